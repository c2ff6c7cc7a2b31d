package analysis

import (
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// The root servers looked up, not copied.
//
// A channel stores the servers its list names as its document found them
// (Channel.Servers), so a channel whose document's root servers moved (the
// `servers:` line broken or fixed: a block dropped or given back) would
// have to be a new object, and so would every operation on it: session
// 14's copies (srvdep.go). Instead, when only the root servers moved, the
// channels and operations that read them stay shared with the previous
// version: each shared channel's servers are looked up again in the new
// document and kept beside it (Document.srvLists), and every reader takes
// them through ServersOf. Their findings of the checks that read the
// servers (serverCheckCodes) are swapped: serverChecks runs on the shared
// objects, and the previous findings of those codes in their text go.
//
// The dependents are found without the search of a rebuilt unit
// (rebuildUnits: no `$ref` scan for the $refs into them, no refCover
// step): they are not rebuilt, so nothing that points to them or that
// they point to changes but the servers. A dependent that cannot be
// shared so (shareServerDeps) makes the update a full build.

// serversShared switches the sharing on (off: the dependents are copied or
// built as before, srvdep.go; tests and benchmarks compare the two).
var serversShared = true

// ServersOf returns the entries of c's servers list as this document
// finds them: c.Servers, unless c is shared with an earlier version whose
// root servers were others (srvLists).
func (d *Document) ServersOf(c *Channel) []*ServerRef {
	if l, ok := d.srvLists[c]; ok {
		return l
	}
	return c.Servers
}

// serversLookedUp reports whether the region change u moves the root
// servers alone, as a block (their section dropped, or given back), in a
// document where a channel's or an operation's unit is no $ref, no
// section of theirs merges entries in and no alias is: the dependents
// found by the servers' names and $refs may then be shared
// (srvDeps) instead of rebuilt.
func serversLookedUp(prev, d *Document, secMaps [numSections]*syntax.Node) bool {
	if !serversShared || prev.Tree.Anchored() || d.Tree.Anchored() || prev.serversHoldRef() || d.serversHoldRef() {
		return false
	}
	for _, sec := range []section{secChannels, secCompChannels, secOperations, secCompOperations} {
		if !sec.inVersion(d.Version) {
			continue
		}
		if prev.merges[sec] {
			return false
		}
		m := secMaps[sec].Resolve()
		if m == nil || m.Kind != syntax.MappingNode {
			continue
		}
		for i := 1; i < len(m.Content); i += 2 {
			if prev.refAt(m.Content[i].Resolve()) != nil {
				return false
			}
		}
	}
	// What the copy of a dependent cannot reproduce (canRelink) cannot
	// be shared either: a 3.x operation that models a component channel
	// on the fly (its channel's servers are its own object's), an inline
	// trait, a security $ref to a scheme outside components. Then the
	// dependents are copied or built as before.
	var listed map[*Trait]bool // prev.Traits
	for _, op := range prev.Operations {
		if op.Channel != nil && prev.channelAt(op.Channel.Node) != op.Channel {
			return false
		}
		for _, t := range op.Traits {
			if listed == nil {
				listed = make(map[*Trait]bool, len(prev.Traits))
				for _, x := range prev.Traits {
					listed[x] = true
				}
			}
			if !listed[t] {
				return false
			}
		}
	}
	for _, site := range prev.securities {
		for _, req := range site.sec.Alternatives {
			for _, e := range req.Entries {
				if e.Ref != nil && e.Scheme != nil && e.Scheme.Inline {
					return false
				}
			}
		}
	}
	return true
}

// srvDepSection: a unit of the section may read the root servers (a
// channel's list, an operation's audits) and nothing else of them.
func srvDepSection(sec section) bool {
	switch sec {
	case secChannels, secCompChannels, secOperations, secCompOperations:
		return true
	}
	return false
}

// srvDepOps adds to deps the units of the operations on the channels of
// deps (prev's units): their audits read those channels' servers.
func (d *Document) srvDepOps(deps map[unitID]bool, secMaps [numSections]*syntax.Node) {
	if len(deps) == 0 {
		return
	}
	chans := map[*Channel]bool{}
	for id := range deps {
		runs := d.runs[id.sec][id.i]
		for _, c := range d.Channels[runs[slChannels][0]:runs[slChannels][1]] {
			chans[c] = true
		}
		// (a component channel's operations are its unit's in 2.x; in 3.x
		// they model it on the fly: serversLookedUp)
	}
	var hint unitHint // (the operations are in build order)
	for _, op := range d.Operations {
		if op.Key == nil || !chans[op.Channel] {
			continue
		}
		id, ok := d.unitAtHint(secMaps, d.shifts.R(op.Key).Start, &hint)
		if !ok {
			// (an operation with a key is modelled by a unit of channels
			// or of operations, none of them a $ref nor merged in:
			// serversLookedUp)
			panic("analysis: an operation on a shared channel outside the units")
		}
		deps[id] = true // (one rebuilt leaves deps: rebuildUnits)
	}
}

// The shared units outside applyRebuild's loop.
//
// A shared dependent is neither built nor copied, and what the loop over
// the rebuilt units asks of each (its entry in the new tree, canRelink,
// the signatures of its channels, the relinker's record of its objects)
// is answered for all of them at once: its objects are prev's, copied
// with the runs between the rebuilt units; serversLookedUp refused the
// documents where a copy (canRelink) or a share could differ from a
// build (a unit that is a $ref, an operation on a component channel
// modelled on the fly, an inline trait, a security $ref to an inline
// scheme); the relinker needs no record of an object that is its own new
// version. What is left per unit is asked by shareServerDeps after the
// loop, which looks their servers up and runs their server checks.

// sharedDeps are the units of u.srvDeps in build order, with their text
// in prev (spans: start and end), and once looked up (shareServerDeps)
// the $refs resolved again that they hold (prev.Refs indexes: their
// channels' server $refs).
type sharedDeps struct {
	ids   []unitID
	spans []unitSpan
	refs  []int
}

// srvDepSpans returns u.srvDeps in build order, with their spans.
func (u *regionChange) srvDepSpans(secMaps [numSections]*syntax.Node) sharedDeps {
	if len(u.srvDeps) == 0 {
		return sharedDeps{}
	}
	pl := u.prev.shifts
	s := sharedDeps{ids: make([]unitID, 0, len(u.srvDeps)), spans: make([]unitSpan, len(u.srvDeps))}
	keys := make([]int, 0, len(u.srvDeps)) // (section, index) as one int, sorted
	for id := range u.srvDeps {
		keys = append(keys, int(id.sec)<<40|id.i)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s.ids = append(s.ids, unitID{section(k >> 40), k & (1<<40 - 1)})
	}
	for j, id := range s.ids {
		mk, mv := u.unitPair(secMaps, id)
		s.spans[j] = unitSpan{start: pl.R(mk).Start, end: max(pl.R(mv).End, pl.R(mk).End)}
	}
	return s
}

// shareServerDeps looks the shared units' channels' servers up in d (its
// servers all built) and runs their server checks, in build order, after
// applyRebuild's loop copied their objects. It returns why one cannot be
// shared, or "": the rebuild changes what else its checks read (srvOnly),
// or it reported on another file (farUnit) or reports there now, or
// holds a $ref resolved again other than its channels' server $refs
// (s.refs, set here: their uses move with the counts, as a relinked
// unit's). It panics (recovered in production: safeRegionUpdate) where
// serversLookedUp makes sharing safe and something else broke: the
// relinker off, a readers' section with other entries, a shared unit
// that makes a scheme, server or trait (serverReader), a finding outside
// its entry.
func (d *Document) shareServerDeps(u *regionChange, secMaps [numSections]*syntax.Node, s *sharedDeps, rl *relinker, srvOnly bool, copyOf map[int]*Ref) string {
	if len(s.ids) == 0 {
		return ""
	}
	prev := u.prev
	if !srvOnly {
		return "a unit that reads the servers cannot be shared"
	}
	// Can't happen: srvOnly rebuilds no scheme, trait or component server;
	// the root servers are looked up again (srvMoved), and a channel or
	// an operation rebuilt from its unchanged text makes the objects it
	// made; nothing turns the relinker off.
	if rl.off {
		panic("analysis: a servers block turned the relinker off")
	}
	// Nor this: the region is the root servers' (dropped or given back
	// alone), so the readers' sections are the same mappings, none of
	// them merging entries in (serversLookedUp).
	for j, id := range s.ids {
		if (j == 0 || s.ids[j-1].sec != id.sec) && pairCount(d.sectionMap(id.sec)) != len(prev.runs[id.sec]) {
			panic("analysis: a servers block changed the entries of a section of their readers")
		}
	}
	d.srvLists = cloneMap(prev.srvLists, len(s.ids))
	held := make(map[*syntax.Node]bool, len(s.ids)) // their channels' server $refs' holders
	look := func(c *Channel, root bool) {
		for _, r := range prev.ServersOf(c) {
			if r.Ref != nil {
				held[r.Ref.Holder] = true
			}
		}
		d.srvLists[c] = d.channelServers(c.Node, root)
	}
	var m [numSections]*syntax.Node // their sections in d (the same mappings: the region is the servers')
	// In build order: a unit's channels are looked up before the checks
	// of its operations, or of a later section's, read them.
	for _, id := range s.ids {
		runs := prev.runs[id.sec][id.i]
		if !serverReader(runs) { // (a channel's or an operation's unit makes none: addUnit)
			panic("analysis: a shared reader of the servers made a scheme, server or trait")
		}
		if prev.farUnit(runs) {
			return "a unit that reads the servers cannot be shared"
		}
		for _, c := range prev.Channels[runs[slChannels][0]:runs[slChannels][1]] {
			look(c, true) // (not a $ref: serversLookedUp)
		}
		for _, c := range prev.ComponentChannels[runs[slCompChannels][0]:runs[slCompChannels][1]] {
			look(c, false)
		}
		// Its server checks, each finding inside its entry.
		if m[id.sec] == nil {
			m[id.sec] = d.sectionMap(id.sec).Resolve()
		}
		from := len(d.Diagnostics)
		d.serverChecks(prev, runs)
		k, v := m[id.sec].Content[2*id.i], m[id.sec].Content[2*id.i+1]
		start, end := d.R(k).Start, max(d.R(v).End, d.R(k).End)
		for _, dg := range d.Diagnostics[from:] {
			if fid, _ := splitRange(dg.Range); fid != 0 {
				// On another file (an operation's security there, audited
				// on the servers given back): a build moves it onto the
				// $ref that leads there (markFar, relocate); a shared
				// unit's findings are not moved.
				return "a shared unit's server check reported on another file"
			}
			// (no alias, serversLookedUp: a check reports on its object's
			// own text)
			if dg.Range.Start < start || dg.Range.Start >= end {
				panic("analysis: a shared unit's server check reported outside its entry")
			}
		}
	}
	// Of the $refs resolved again, those of a shared unit must be its
	// channels' server $refs (channelServers found their copies): any
	// other may land elsewhere now, which its shared objects would not
	// follow (asked of all of them at once, not per unit).
	for i := range copyOf {
		h := prev.Refs[i].Holder
		if held[h] {
			s.refs = append(s.refs, i)
			continue
		}
		if id, ok := prev.unitOf(secMaps, h); ok && u.srvDeps[id] {
			return "a unit that reads the servers cannot be shared"
		}
	}
	return ""
}
