package analysis

import (
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Dependents of the root servers, copied and checked.
//
// When the root servers change in number or names (the `servers:` line
// broken, its colon typed back, a server added, dropped or renamed), every
// channel that lists a server, every operation on such a channel and every
// operation that runs on all servers is checked again: a channel's
// `channel-server-undefined` findings and their hint (the names of the
// servers), an operation's audits of the servers it runs on. None of them
// changed otherwise: their objects are what they were, but for the servers
// a channel's entries find. So instead of building such a unit again from
// the tree (addUnit), applyRebuild copies its objects (relink.go, in its
// serversAgain mode: the channels' servers looked up again by
// channelServers, as a build does) and runs its checks on the copies. A
// unit the copy cannot reproduce (canRelink: a $ref other than a channel's
// server $ref that lands elsewhere now, a scheme, an inline scheme of a
// $ref target, a component channel modelled on the fly) is built as before.

// serversHoldRef reports whether d's root servers hold a server that is
// a $ref. A channel's server $ref then lands, through that server, on
// what its $ref names (a scheme, whose uses count it, say), and a copied
// channel's $refs are not replayed for the uses: the dependents of such
// servers are built as before. (Servers that are a $ref as a whole never
// get here: a model section holding a $ref is built whole.)
func (d *Document) serversHoldRef() bool {
	m := d.sectionMap(secServers).Resolve()
	if m == nil || m.Kind != syntax.MappingNode {
		return false
	}
	for i := 1; i < len(m.Content); i += 2 {
		if m.Content[i].Key("$ref") != nil {
			return true
		}
	}
	return false
}

// serverRefHolders returns the holders of the server $refs of the channels
// in runs (prev's): resolved again, they may land on another server, or on
// none, without the copy being wrong (channelServers looks them up again).
// (A unit's channels list a few: a list, looked through.)
func (l *relinker) serverRefHolders(runs unitRuns) refHolders {
	// (asked twice per unit: canRelink)
	if l.holders.made && l.holders.runs == runs {
		return l.holders.of
	}
	out := l.holders.of[:0]
	add := func(cs []*Channel) {
		for _, c := range cs {
			for _, r := range l.prev.ServersOf(c) {
				if r.Ref != nil {
					out = append(out, r.Ref.Holder)
				}
			}
		}
	}
	add(l.prev.Channels[runs[slChannels][0]:runs[slChannels][1]])
	add(l.prev.ComponentChannels[runs[slCompChannels][0]:runs[slCompChannels][1]])
	l.holders.made, l.holders.runs, l.holders.of = true, runs, out
	return out
}

// refHolders are the holders of some $refs.
type refHolders []*syntax.Node

func (h refHolders) has(n *syntax.Node) bool { return slices.Contains(h, n) }

// serversAgain reports whether a rebuild whose relinker would be off (the
// changed unit grew or shrank, or was renamed) changes the root servers
// alone: the changed unit is a root server (or the block of them), or the
// region gives the root servers back and nothing else. Then only the
// servers' positions moved: the dependents can still be copied, with
// their channels' servers looked up again (relinker.serversAgain). (Not
// when sections are dropped with components, u.dropped: the changed unit
// is then a component section's, and the sections given back are
// components': componentsDrop, componentsReplaced.)
func serversAgain(u *regionChange, changed unitID, inUnit bool) bool {
	for _, r := range u.restores {
		if r.sec != secServers {
			return false
		}
	}
	if inUnit {
		return changed.sec == secServers
	}
	return len(u.restores) == 1
}

// Of the checks of a channel's or an operation's unit, only checkChannel
// (a channel's servers, and the servers' names in its hints) and
// auditOperation (the servers the operation runs on: EffectiveSecurity)
// read the root servers; checkSecurity and checkScheme read the schemes
// the unit names, and nothing else the unit's checks read refers to a
// server (see check.go's checks loop). So a dependent that only the
// servers reach, when nothing else it reads changed, is relinked and
// runs those two checks again (serverChecks): its findings of their
// codes (serverCheckCodes) are remade, the others kept with its claims.

// serverCheckCodes are the codes checkChannel and auditOperation report,
// and no other check of a channel's or an operation's unit does.
var serverCheckCodes = map[string]bool{
	CodeChannelServerUndefined: true,
	CodeChannelServerDuplicate: true,
	CodeInsecureTransport:      true, // (also auditServer's: no server is in such a unit)
	CodeInconsistentServers:    true,
	CodeEmptyOverride:          true,
}

// serverChecksOnly reports whether the rebuild (the units ids of prev)
// changes nothing the dependents' other checks read: no scheme, trait or
// component server is rebuilt (their checks' readers read them), and no
// YAML alias makes a unit report elsewhere than its own text (the remade
// findings are found by their unit's text).
func serverChecksOnly(prev, d *Document, u *regionChange, ids []unitID) bool {
	if prev.Tree.Anchored() || d.Tree.Anchored() {
		return false
	}
	for _, id := range ids {
		switch id.sec {
		case secSchemes, secTraits, secCompServers:
			return false
		}
	}
	return true
}

// serverReader reports whether a unit with these runs makes only what a
// dependent of the servers makes: channels, operations, their security
// sites and inline schemes (no scheme, server or trait, whose own checks
// serverChecks does not run).
func serverReader(runs unitRuns) bool {
	for _, sl := range []int{slSchemes, slServers, slTraits} {
		if runs[sl][0] != runs[sl][1] {
			return false
		}
	}
	return true
}

// serverChecks runs the checks that read the servers on a relinked or
// shared unit's objects (runs, in src: d, or prev for a shared unit).
func (d *Document) serverChecks(src *Document, runs unitRuns) {
	for _, c := range src.Channels[runs[slChannels][0]:runs[slChannels][1]] {
		d.checkChannel(c)
	}
	for _, c := range src.ComponentChannels[runs[slCompChannels][0]:runs[slCompChannels][1]] {
		d.checkChannel(c)
	}
	for _, op := range src.Operations[runs[slOperations][0]:runs[slOperations][1]] {
		d.auditOperation(op)
	}
}
