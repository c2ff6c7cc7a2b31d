package analysis

import (
	"cmp"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Incremental model.
//
// The model is made of units: each entry of a model section (a scheme, a
// server, a trait, a channel, an operation; see section) adds a contiguous
// run to each of the Document's slices (Servers, Channels, Operations,
// Schemes, Traits, the security sites and Inline), in build order, and
// makes its diagnostics inside its own text. Everything else (info, tags,
// components.messages, components.schemas, ...) only holds $refs.
//
// After a region re-parse (syntax.UpdateTree), rebuildUnits rebuilds the
// unit that holds the region, if any, and the units that depend on what
// changed, and shares everything else with the previous Document:
//   - a $ref whose target is the region, inside it or one of its ancestors
//     (those are path-copied), or whose resolution went through another
//     $ref, is resolved again; the unit that holds it is rebuilt, since its
//     model points to the nodes it resolved to (such $refs are found in an
//     index by target, reftargets.go, not by a walk over every $ref);
//   - a rebuilt scheme, server, channel or trait is a new object: the units
//     whose model points to it (by $ref, or in 2.x by name) are rebuilt;
//   - a scheme edited in no way its users' checks read is forwarded (see
//     "Forwarded schemes"): its users are not rebuilt at all, and read
//     its new version through Document.Entry;
//   - of the units rebuilt only because they depend on another, those whose
//     checks read nothing that changed (relinkable: the signatures of what
//     they read of schemes, servers, channels and traits; scopesReread)
//     are relinked (relink.go) and keep their diagnostics; the others are
//     checked again (when the root servers moved, those that only the
//     servers reach are relinked and run the two checks that read the
//     servers: srvdep.go);
//   - document-wide facts are kept by count, not re-derived: the uses of
//     each scheme (unused-scheme) change by what the rebuilt units used
//     before and use now; root security is re-checked (one lookup);
//   - an edit of a $ref's value (its holder is path-copied) replaces that
//     $ref by one the new holder holds;
//   - what the $refs found in other files is kept, or gathered again from
//     the $refs (see "$refs that leave the document" below).
//
// Runs are replaced in place, so a rebuilt unit must add runs of the same
// lengths as before, but for the unit that holds the region: it may become
// several entries (typed after it: grow), or none (its key lost its colon,
// and its text joined the entry before it: grow -1, keylessDropsUnit);
// the runs after it move (shiftRuns). A root server added or dropped so is
// one renamed from or to no name, and so is a component scheme (the
// unused-scheme counts pair schemes by object: rebuiltUseCounts). A
// section whose own key line broke (it has no entries now, or its key
// names no section now) drops all its units as a block (blockDrop,
// sectionKeyRenamed; root servers too: the units that name or $ref one,
// or run on every server, are checked again), and the components key
// line broken drops every section under it as one block (componentsDrop);
// a section that gets its entries back (its key line fixed, its colon
// typed back, also after another section: colonBackAfterSection) adds them
// as a block (blockRestore, addRestored), all within maxBlock. A section
// that merges entries in (`<<`) has units that are not its pairs in order
// (sectionUnits): it goes, comes back or is replaced as a block, and a
// unit of it is found by its key (Document.mergeIdx, mergedUnitAt) and
// rebuilt alone, unless the edit renames or adds an entry there, or is in
// a flow merge's entry, or the merge is from elsewhere (mergeUnit). A unit that is itself a
// $ref is rebuilt with the units that share its target (refCover,
// refholder.go). Anything the argument above does not cover (a unit $ref's
// target refCover cannot cover, a diagnostic outside its unit, too many
// units to check again) falls back to a full build, which gives the same
// result by construction. The differential
// tests compare every update with a cold Analyze (with AnalyzeWith for
// documents whose $refs lead into other files: model_inc_files_test.go).

// maxRecheck is how many units a rebuild may check again (not relink)
// before it gives up for a full build, given how many units the document
// has. Measured by BenchmarkRecheckBailout (CPU time, one run): the typing
// sweep's edits that check more than 64 units again (21-50 % of the
// document's units, all that they reach) cost 0.53-0.65 of a full build
// in all at 1 and 5 MB; in the worst case, a document of 20,000 small
// operations whose edited scheme a share of them names, 0.7-0.97 up to
// three quarters of the units, 1.34 at 90 %, 1.39 at all of them. Half
// the units leaves a margin. (It was half the units the edit reaches, so
// that an edit that relinked few of its dependents built the whole model
// whatever their share of the document.) Benchmarks replace it.
var maxRecheck = func(units int) int { return max(64, units/2) }

// maxBlock is how many units a block (a section dropped, replaced or given
// back: blockDrop, sectionReplaced, blockRestore, componentsDrop, ...) may
// reach, with the units that $ref into it or name it, before the model is
// built whole instead; rebuildUnits gives up as soon as the block passes
// it, before it looks for the rest. Measured side by side, CPU time,
// medians of 5 (session 10, after the block's diagnostics were merged
// rather than sorted and its unused-scheme counts made once, load 10-25):
// a block costs about what building and checking its units does, on top
// of the search for them and the copies of their $refs, so that one that
// reaches nearly every unit costs more than a full build.
// BenchmarkBlockShare (10,000 operations, a share of which $ref the
// channels dropped or given back): 0.07-0.55 of a full build (the
// fall-back, which no longer looks for the block's units first) up to 30 %
// of the units, 0.94-2.1 at 36-60 %, 0.74-1.75 beyond. BenchmarkBlockDropCost
// and BenchmarkSectionBreakFix (the typing sweep's edits, 200 KB and 1 MB):
// 8-9 % of the units (the wide shape's operations) 0.44-0.59, 46-49 % (3.0
// operations) 0.89-1.31, 90-100 % (channels, components, schemes)
// 0.84-1.64. A quarter leaves a margin below the crossing. (It
// was an eighth, measured when a block cost 1.2-4.8 times a full build at
// half the units.)
var maxBlock = func(units int) int { return max(64, units/4) }

// section is a mapping whose entries each add a unit to the model; build
// visits them in this order.
type section uint8

const (
	secSchemes        section = iota // components.securitySchemes
	secServers                       // servers
	secCompServers                   // components.servers (3.x)
	secTraits                        // components.operationTraits
	secChannels                      // channels
	secCompChannels                  // components.channels (2.x)
	secOperations                    // operations (3.x)
	secCompOperations                // components.operations (3.x)
	numSections
)

var sectionPaths = [numSections][]string{
	secSchemes:        {"components", "securitySchemes"},
	secServers:        {"servers"},
	secCompServers:    {"components", "servers"},
	secTraits:         {"components", "operationTraits"},
	secChannels:       {"channels"},
	secCompChannels:   {"components", "channels"},
	secOperations:     {"operations"},
	secCompOperations: {"components", "operations"},
}

// inVersion reports whether build models the section in version v.
func (s section) inVersion(v Version) bool {
	switch s {
	case secOperations, secCompOperations:
		return v.V3()
	case secCompChannels:
		return !v.V3()
	}
	return true
}

// linked reports whether other units point to the objects of this
// section's units (so that rebuilding one means rebuilding them too).
func (s section) linked() bool {
	return s != secOperations && s != secCompOperations
}

// relinkable reports whether a unit of the section that only depends on a
// change may keep its diagnostics whatever changed: not operations (2.x
// channels hold operations), whose audits read their effective security
// over all their servers; they may keep them only when no scheme or
// server changed what the checks read (see appendSchemeSig and appendServerSig).
func (s section) relinkable(v Version) bool {
	switch s {
	case secOperations, secCompOperations:
		return false
	case secChannels, secCompChannels:
		return v.V3()
	}
	return true
}

// sectionMap returns the mapping of a section (nil when absent).
func (d *Document) sectionMap(s section) *syntax.Node {
	n := d.Root
	for _, k := range sectionPaths[s] {
		n = n.Key(k)
	}
	return n
}

// The slices a unit adds runs to.
const (
	slServers = iota
	slChannels
	slCompChannels
	slOperations
	slSchemes
	slTraits
	slSites
	slInline
	numSlices
)

// unitRuns are the half-open index ranges a unit added to each slice.
type unitRuns [numSlices][2]int32

func (d *Document) lens() [numSlices]int32 {
	return [numSlices]int32{int32(len(d.Servers)), int32(len(d.Channels)), int32(len(d.ComponentChannels)), int32(len(d.Operations)),
		int32(len(d.Schemes)), int32(len(d.Traits)), int32(len(d.securities)), int32(len(d.Inline))}
}

func spanOf(start, end [numSlices]int32) unitRuns {
	var r unitRuns
	for i := range r {
		r[i] = [2]int32{start[i], end[i]}
	}
	return r
}

// copyRun appends src[from:to] of one slice of prev to d's.
func (d *Document) copyRun(prev *Document, sl int, from, to int32) {
	switch sl {
	case slServers:
		d.Servers = append(d.Servers, prev.Servers[from:to]...)
	case slChannels:
		d.Channels = append(d.Channels, prev.Channels[from:to]...)
	case slCompChannels:
		d.ComponentChannels = append(d.ComponentChannels, prev.ComponentChannels[from:to]...)
	case slOperations:
		d.Operations = append(d.Operations, prev.Operations[from:to]...)
	case slSchemes:
		d.Schemes = append(d.Schemes, prev.Schemes[from:to]...)
	case slTraits:
		d.Traits = append(d.Traits, prev.Traits[from:to]...)
	case slSites:
		d.securities = append(d.securities, prev.securities[from:to]...)
	case slInline:
		d.Inline = append(d.Inline, prev.Inline[from:to]...)
	}
}

// Lookups through the overlays of a rebuilt document.

func (d *Document) serverAt(n *syntax.Node) *Server {
	if s, ok := d.serverOver[n]; ok {
		return s
	}
	return d.serverByNode[n]
}

// setServerFirst registers s for n unless a server came first (a root
// server that is a $ref to components.servers shares its node and keeps
// the root name). In a rebuilt document only the overlay counts: a shared
// node's entry in the base map is the previous version's, of a unit that
// is being rebuilt (one whose node another server shares is a $ref, which
// is left to a full build); a nil entry is the place of a server being
// rebuilt (applyRebuild).
func (d *Document) setServerFirst(n *syntax.Node, s *Server) {
	m := d.serverOver
	if m == nil {
		m = d.serverByNode
	}
	if m == nil {
		return
	}
	if cur, taken := m[n]; !taken || cur == nil {
		m[n] = s
	}
}

func (d *Document) channelAt(n *syntax.Node) *Channel {
	if c, ok := d.channelOver[n]; ok {
		return c
	}
	return d.channelByNode[n]
}

func (d *Document) setChannel(n *syntax.Node, c *Channel) {
	if d.channelOver != nil {
		d.channelOver[n] = c
	} else if d.channelByNode != nil {
		d.channelByNode[n] = c
	}
}

// entryRebuild is the state of rebuilding units.
type entryRebuild struct {
	refs map[*Ref]bool // the rebuilt units' own (fresh) $refs
	bad  string        // why the rebuild cannot be trusted
	// inline are the $ref targets outside components.securitySchemes
	// (in this document or another file) of which a rebuilt unit made its
	// inline scheme, and no other unit uses: the unit makes it again
	// (ownInline).
	inline map[*syntax.Node]bool
	// shared are the inline schemes rebuilt units made of $ref targets
	// that other units use too: the previous version's object, which a
	// rebuilt unit would find, is no longer in the model.
	shared map[*Scheme]bool
	// prevInline and inlineFrom: the previous version's inline schemes,
	// and where the unit being built made its own among them. An inline
	// scheme of a $ref target is made by the first unit (in build order)
	// that names the target: a rebuilt unit that finds one a later unit
	// made would have made it in a full build (madeLater).
	prevInline []*Scheme
	inlineFrom int32
	// farGone are the other files' $refs forgotten (farRefsUnder): met
	// again only through the rebuilt units.
	farGone map[*syntax.Node]*Ref
	prev    *Document
	// covered are refCover's: a channel there is modelled on the fly
	// (addOperationV3) with its $refs' claims made again (onTheFlyOK).
	covered map[*syntax.Node]bool
}

// madeLater reports whether s is an inline scheme that the previous
// version made in a unit built after the one being built now.
func (e *entryRebuild) madeLater(s *Scheme) bool {
	if s == nil || !s.Inline {
		return false
	}
	for _, o := range e.prevInline[e.inlineFrom:] {
		if o == s {
			return true
		}
	}
	return false
}

// unitSpan is a rebuilt unit's text in the previous version, and its
// $refs there (prev.Refs[ra:rb]).
type unitSpan struct{ start, end, ra, rb int }

// ownInline returns the targets of $refs of which the units ids made an
// inline scheme (parseEntryV3) that no $ref of another unit, nor of
// another file, lands on: built again, each unit makes its scheme anew, as
// a full build does, and the previous version's no longer stands in for it
// (a nil overlay in d.schemeOver). The other inline schemes they made of
// $ref targets are returned too: shared with other units, they cannot be
// made anew.
func (d *Document) ownInline(prev *Document, ids []unitID, spans []unitSpan, cover *refCover) (map[*syntax.Node]bool, map[*Scheme]bool) {
	var own map[*syntax.Node]bool
	var made map[*Scheme]bool
	for j, id := range ids {
		runs := prev.runs[id.sec][id.i]
		for _, o := range prev.Inline[runs[slInline][0]:runs[slInline][1]] {
			if o.Node == nil || prev.schemeAt(o.Node) != o {
				continue
			}
			if syntax.FileOf(o.Node) == 0 {
				if r := prev.shifts.R(o.Node); r.Start >= spans[j].start && r.End <= spans[j].end {
					continue // written in place: made anew from its node
				}
			}
			if own == nil {
				own, made = map[*syntax.Node]bool{}, map[*Scheme]bool{}
			}
			own[o.Node] = true
			made[o] = true
		}
	}
	if own == nil {
		return nil, nil
	}
	// (in build order, components.securitySchemes comes first: its spans
	// are sorted by text here)
	byText := slices.SortedFunc(slices.Values(spans), func(a, b unitSpan) int { return cmp.Compare(a.ra, b.ra) })
	j := 0
	for i, r := range prev.Refs {
		for j < len(byText) && byText[j].rb <= i {
			j++
		}
		if own[r.Resolved] && (j == len(byText) || i < byText[j].ra) && !cover.inRegion(i) {
			delete(own, r.Resolved) // another unit's $ref lands there too
		}
	}
	if prev.ext != nil {
		for h, r := range prev.ext.refs {
			if own[r.Resolved] && d.entry.farGone[h] != r && !cover.farReadersRebuilt(h) {
				delete(own, r.Resolved)
			}
		}
	}
	for o := range made {
		if own[o.Node] {
			delete(made, o)
			d.schemeOver[o.Node] = nil
		}
	}
	return own, made
}

// appendInPlaceInline appends the raw paths of the inline schemes written
// in unit id (an operation's security entry): rebuilt, the unit makes them
// anew, so the units whose $refs land on one are rebuilt too (a full build
// gives them the unit's object).
func (d *Document) appendInPlaceInline(out []string, id unitID, k, v *syntax.Node) []string {
	runs := d.runs[id.sec][id.i]
	if runs[slInline][0] == runs[slInline][1] {
		return out
	}
	start, end := d.R(k).Start, max(d.R(v).End, d.R(k).End)
	for _, s := range d.Inline[runs[slInline][0]:runs[slInline][1]] {
		if s.Node == nil || syntax.FileOf(s.Node) != 0 {
			continue // a $ref target in another file
		}
		if r := d.R(s.Node); r.Start < start || r.End > end {
			continue // a $ref target elsewhere in the document
		}
		if raw, ok := rawPointer(s.Pointer); ok {
			out = append(out, raw)
		}
	}
	return out
}

func (e *entryRebuild) owns(r *Ref) bool { return e.refs[r] }

func (e *entryRebuild) fail(why string) {
	if e.bad == "" {
		e.bad = why
	}
}

// regionChange is what Update learned about a region re-parse, for the
// model: the entries from the root down to the region (in the previous
// tree), the region's new pairs, and the shift of the text after it.
type regionChange struct {
	prev      *Document
	levels    []syntax.Level
	pairs     []*syntax.Node
	at, delta int
	// kept are the $refs (prev.Refs indexes) resolved again whose units
	// are not rebuilt for them (rebuildUnits: unreadRef).
	kept map[int]bool
	// dropped are the sections whose units are all dropped as a block
	// besides the changed unit's (componentsDrop).
	dropped [numSections]bool
	// restores: the region gives sections that had no units their entries
	// back (blockRestore: one; componentsBack: several), in build order;
	// applyRebuild adds each as a block.
	restores []restoredSection
	// merged: the units of each section of prev that merges entries in
	// (`<<`), keys and values alternating in build order (sectionUnits):
	// set for one dropped or replaced as a block, and by unitPair for one
	// a unit of which is rebuilt alone; nil for the others, whose units
	// are their pairs
	merged [numSections][]*syntax.Node
	// below are the levels under the region that refHolderRegion cut off:
	// their mappings were path-copied, and are not in the new tree.
	below []syntax.Level
	// cover: the in-document targets of rebuilt units that are $refs,
	// rebuilt with their sharers (refCover).
	cover *refCover
	// coverForced: the units refCover checks again (srvdep.go: not
	// for the servers alone)
	coverForced map[unitID]bool
	// srvDeps: the units that read the root servers, which moved alone:
	// shared with their server checks run again, or a full build
	// (srvlook.go)
	srvDeps map[unitID]bool
}

// unitPair returns the key and value of unit id of prev, whose model
// sections are secMaps: its pair, or the entry pairsMerged visits id.i-th
// in a section that merges entries in (u.merged).
func (u *regionChange) unitPair(secMaps [numSections]*syntax.Node, id unitID) (k, v *syntax.Node) {
	c := u.merged[id.sec]
	if c == nil {
		m := secMaps[id.sec].Resolve()
		c = m.Content
		if u.prev.merges[id.sec] {
			// A unit of it rebuilt alone (prev has its index, so its
			// merges are inline: sectionUnits holds), listed once.
			c, _ = sectionUnits(m)
			u.merged[id.sec] = c
		}
	}
	return c[2*id.i], c[2*id.i+1]
}

// restoredSection is a section given back with n entries.
type restoredSection struct {
	sec section
	n   int
}

// unitID names one entry of a model section.
type unitID struct {
	sec section
	i   int
}

// rawPointer returns a local $ref target as the unescaped path it names
// ("/a/b/c", "" for the root), or ok false when it is not a JSON pointer.
func rawPointer(target string) (string, bool) {
	// As resolvePointerIndexed reads it: percent-decoded, then a pointer
	// only when it starts with '/'. (A scan runs this on every $ref: the
	// decoding and unescaping run only when there is something to undo.)
	frag := strings.TrimPrefix(target, "#")
	if strings.Contains(frag, "%") {
		if dec, err := url.PathUnescape(frag); err == nil {
			frag = dec
		}
	}
	if frag != "" && frag[0] != '/' {
		return "", false
	}
	if strings.Contains(frag, "~") {
		frag = strings.ReplaceAll(strings.ReplaceAll(frag, "~1", "/"), "~0", "~")
	}
	return frag, true
}

// readsPath reports whether the resolution of the local $ref r read one
// of paths (raw, as rawPath makes them): its target or a $ref of its chain
// is one of them (exact: given as a set), or on the line of descent of
// one (related).
func readsPath(r *Ref, paths []string, exact map[string]bool) bool {
	for t := -1; t < len(r.via); t++ {
		target := r.Target
		if t >= 0 {
			target = r.via[t]
		}
		raw, ok := rawPointer(target)
		switch {
		case !ok:
		case exact != nil:
			if exact[raw] {
				return true
			}
		default:
			for _, p := range paths {
				if related(raw, p) {
					return true
				}
			}
		}
	}
	return false
}

// related reports whether a $ref target path and a changed path are on one
// line of descent (one is a prefix of the other). It compares unescaped
// text, not tokens, so keys that contain '/' (which change the messages of
// pointers that miss them) count too: a few extra $refs are resolved again.
func related(target, path string) bool {
	return strings.HasPrefix(path, target) || strings.HasPrefix(target, path)
}

func rawPath(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(t)
	}
	return b.String()
}

// maxOverlay bounds the overlays a chain of rebuilds accumulates before a
// full build starts afresh.
const maxOverlay = 1 << 13

// resolveOver puts the region's fresh $refs over prev's index (the
// last one of a holder wins, as in resolveRefsIndexed), shares prev's
// index and targets, and resolves the $refs of resolve through them.
func (d *Document) resolveOver(prev *Document, u *regionChange, fresh, resolve []*Ref) {
	for _, r := range fresh {
		d.refOver[r.Holder] = r
	}
	d.refByHolder, d.targets = prev.refByHolder, prev.targets
	d.keyIdx = prev.pathKeyIdx(d.Root, u)
	resolveChains(d.Root, resolve, func(n *syntax.Node) (*Ref, bool) {
		r := d.refAt(n)
		return r, r != nil
	}, d.keyIdx)
}

// clearModel leaves nothing of a partial model behind for the full build
// that follows a rebuild giving up: the diagnostics made since base, and
// every part of the model a rebuild fills.
func (d *Document) clearModel(base int) {
	d.Diagnostics = d.Diagnostics[:base]
	d.Refs, d.Operations, d.securities, d.Inline = nil, nil, nil, nil
	d.Servers, d.Channels, d.ComponentChannels, d.Schemes, d.Traits = nil, nil, nil, nil, nil
	d.refOver, d.schemeOver, d.serverOver, d.channelOver = nil, nil, nil, nil
	d.refByHolder, d.schemeByNode, d.serverByNode, d.channelByNode = nil, nil, nil, nil
	d.targets, d.targetsSince, d.refEdits = nil, nil, nil
	d.keyIdx, d.useCount, d.schemeNow, d.srvLists = nil, nil, nil, nil
	d.runs, d.merges, d.mergeIdx = [numSections][]unitRuns{}, [numSections]bool{}, [numSections]*mergeIndex{}
}

// rebuildUnits builds d's model from prev's and the region change u,
// rebuilding only the units that the change reaches. It returns false,
// leaving d as it found it, when it cannot be sure of the result.
func (d *Document) rebuildUnits(u *regionChange) (ok bool) {
	prev := u.prev
	if d.Version != prev.Version || !prev.modelOK || prev.refByHolder == nil ||
		len(prev.refOver)+len(prev.schemeOver)+len(prev.serverOver)+len(prev.channelOver) > maxOverlay {
		return d.noReuse("the version or the previous model differs")
	}
	if !rebuildLeavingUnits && prev.leavesFile() {
		return d.noReuse("the document's $refs leave it (benchmark switch)")
	}
	// A document whose $refs lead into other files keeps what they found
	// there (see extReuse) only while those files are as they were.
	if prev.ext != nil && !prev.ext.sameFiles(d.inc.opts.Loader) {
		return d.noReuse("a file the document reads changed")
	}
	pl := prev.shifts
	levels, pairs := u.levels, u.pairs
	lv := levels[len(levels)-1]
	if len(prev.targetsSince) > maxOverlay {
		return d.noReuse("too many $refs changed since the full build")
	}
	if levels[0].Map != prev.Root {
		return d.noReuse("the region is not under the root")
	}
	valueEdit := refValueEdit(lv, pairs)
	for j, l := range levels {
		if hasRefKey(l.Map) && !(valueEdit && j == len(levels)-1) {
			return d.noReuse("an ancestor of the region holds a $ref")
		}
	}
	if hasRefPair(pairs) && !valueEdit {
		return d.noReuse("the region's mapping now holds a $ref")
	}
	keys := make([]string, len(levels))
	for j, l := range levels {
		keys[j] = l.Map.Content[2*l.Index].Value
	}
	blockSec, block := d.blockDrop(prev, keys, pairs)
	// The components key line broke: every model section under it drops
	// its units, as one block (componentsDrop).
	compDrop, comp := d.componentsDrop(prev, keys, pairs)
	var restores []restoredSection // several sections given back (componentsBack, componentsReplaced)
	if !comp {
		// components re-parsed with its sections: dropped and given back
		compDrop, restores, comp = d.componentsReplaced(prev, keys, pairs)
	}
	if comp {
		if k, _ := prev.Root.Pair("components"); k != levels[0].Map.Content[2*levels[0].Index] {
			return d.noReuse("the region is in a duplicate section key")
		}
		block = true
		blockSec = numSections // set below to the first section with units
		for sec := range numSections {
			if compDrop[sec] {
				blockSec = sec
				compDrop[sec] = false // the changed section; the others stay dropped
				break
			}
		}
		u.dropped = compDrop
	}
	if !block {
		blockSec, block = d.sectionKeyRenamed(prev, keys, pairs)
	}
	replN := 0 // the entries of a section re-parsed whole (sectionReplaced)
	if !block {
		blockSec, replN, block = d.sectionReplaced(prev, keys, pairs)
	}
	restoreSec, restoreN, restore := d.blockRestore(prev, keys, pairs)
	// A section's colon typed back after an entry that is a section: that
	// one replaced, this one given back (colonBackAfterSection).
	colonBack := false
	if !block && !restore && !comp {
		blockSec, replN, restores, colonBack = d.colonBackAfterSection(prev, keys, pairs)
		block = colonBack
	}
	// The components entry given back: every model section under it that
	// has entries now, each as a block (componentsBack).
	compBack := false
	if !block && !restore && !comp {
		restores, compBack = d.componentsBack(prev, keys, pairs)
	}
	if len(restores) > 0 { // (componentsBack, componentsReplaced)
		restore, restoreSec = true, restores[0].sec
		for _, r := range restores {
			restoreN += r.n
		}
	}
	if len(pairs) == 0 && !d.keylessKeepsUnits(keys) && !d.keylessDropsUnit(keys) && !block {
		// Its key line lost its key (a colon deleted): a section would
		// go, not change. (A unit that goes is dropped: keylessDropsUnit;
		// a section's units, as a block: blockDrop.)
		return d.noReuse("the region's entry has no key")
	}
	var newKeys []string
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i].Kind != syntax.ScalarNode || pairs[i].Value == "<<" {
			return d.noReuse("a new key is not a plain scalar")
		}
		newKeys = append(newKeys, pairs[i].Value)
	}

	// Which unit holds the region, if any; a region that holds a section
	// (or may now) is left to a full build.
	changed, inUnit := unitID{}, false
	var renamedFrom *syntax.Node // the old key of a renamed unit
	mergedPath := ""             // the changed unit's path when it is merged in (mergedChanged)
	grow := 0                    // how many entries the changed unit became, minus one
	span := 1                    // how many units the region replaces (from changed)
	for sec := range numSections {
		sp := sectionPaths[sec]
		if comp && sp[0] == "components" {
			// dropped with components (or had no units, and has no entry now)
			if sec == blockSec {
				units := len(prev.runs[sec])
				changed, inUnit, grow, span = unitID{sec, 0}, true, -units, units
			}
			continue
		}
		if block && sec == blockSec {
			// The section's own key line broke (or its colon went): it
			// has no entries now, and its units are dropped as a block,
			// when it is the section build models.
			if !prev.modelsSection(sp, levels) {
				return d.noReuse("the region is in a duplicate section key")
			}
			units := len(prev.runs[sec])
			changed, inUnit, grow, span = unitID{sec, 0}, true, replN-units, units
			continue
		}
		if colonBack {
			// The section (or components) given back after the replaced
			// one: added by applyRebuild. (The region's keys name no
			// other section.)
			continue
		}
		if compBack && sp[0] == "components" {
			// (changed names the first section given back; the names of
			// schemes given back are looked up below: schemesRestored)
			changed, grow, span = unitID{restoreSec, 0}, restoreN, 0
			continue
		}
		if restore && sec == restoreSec {
			// The inverse: its key line fixed, the section gets its
			// entries back, added as a block (no unit is replaced: the
			// region holds none); see blockRestore.
			if slices.Equal(keys, sp) && !prev.modelsSection(sp, levels) {
				return d.noReuse("the region is in a duplicate section key")
			}
			changed, grow, span = unitID{sec, 0}, restoreN, 0
			continue
		}
		for _, variant := range append([][]string{keys}, renamed(keys, newKeys)...) {
			if len(variant) <= len(sp) && slices.Equal(variant, sp[:len(variant)]) {
				return d.noReuse("the region holds a model section")
			}
		}
		if !sec.inVersion(d.Version) || len(keys) <= len(sp) || !slices.Equal(keys[:len(sp)], sp) {
			continue
		}
		// The section must be the one build models.
		if !prev.modelsSection(sp, levels) {
			return d.noReuse("the region is in a duplicate section key")
		}
		if len(keys) == len(sp)+1 && len(pairs) != 2 {
			// entries typed after this one, or -1: the unit's key lost
			// its colon, and the unit left its section (its text is now
			// part of the entry before it, which the tree keeps broken)
			grow = len(pairs)/2 - 1
		}
		if len(keys) == len(sp)+1 && len(pairs) > 0 && !syntax.SameKey(lv.Map.Content[2*lv.Index], pairs[0]) {
			renamedFrom = lv.Map.Content[2*lv.Index]
		}
		changed, inUnit = unitID{sec, levels[len(sp)].Index}, true
		if prev.merges[sec] {
			// Its units are not its pairs in order: the unit is found by
			// its key (mergeIdx), written or merged in from a block
			// mapping (`<<:` and the entries below it). A section that
			// merges in what is no inline mapping (`<<: x`, an alias:
			// sectionUnits) has no index: built whole (mergeUnit).
			if prev.mergeIdx[sec] == nil {
				return d.noReuse("the region is in a section that merges entries in")
			}
			i, extra, ok := prev.mergedChanged(levels[len(sp):], pairs, sec)
			if !ok || renamedFrom != nil || grow != 0 {
				// (an entry renamed, added or dropped may shadow
				// another, or stop shadowing it)
				return d.noReuse("the region is in a section that merges entries in")
			}
			changed.i = i
			if extra != "" {
				// the entry merged in, as a $ref names it
				mergedPath = rawPath(append(append(slices.Clone(sp), extra), keys[len(sp)+2:]...)...)
			}
		}
	}

	// The changed paths: the region's entry under its old and new keys
	// (and, merged in, as a $ref names it).
	var paths []string
	for _, variant := range append([][]string{keys}, renamed(keys, newKeys)...) {
		paths = append(paths, rawPath(variant...))
	}
	if mergedPath != "" {
		paths = append(paths, mergedPath)
	}

	// The units to rebuild, and the $refs elsewhere to resolve again.
	secMaps := [numSections]*syntax.Node{}
	for sec := range numSections {
		if sec.inVersion(d.Version) {
			secMaps[sec] = prev.sectionMap(sec)
			n := pairCount(secMaps[sec])
			if prev.merges[sec] && (block && sec == blockSec || u.dropped[sec]) {
				// A section that merges entries in (`<<`) builds them
				// after the keys it writes (pairsMerged): its units are
				// not its pairs in order, even when they are as many, so
				// none is rebuilt alone (mergeUnit); the section only
				// goes or is replaced whole, as a block (its units:
				// u.merged).
				units, ok := sectionUnits(secMaps[sec].Resolve())
				if !ok {
					return d.noReuse("a model section merges entries in from elsewhere")
				}
				u.merged[sec], n = units, len(units)/2
			} else if prev.merges[sec] {
				if prev.mergeIdx[sec] == nil {
					continue // (none of its units may be rebuilt: mergeUnit)
				}
				// its units are found by key (mergedUnitAt), and
				// rebuilt in build order (unitPair)
				n = prev.mergeIdx[sec].units()
			}
			if len(prev.runs[sec]) != n {
				return d.noReuse("the model sections differ from their runs")
			}
			if prev.refAt(secMaps[sec].Resolve()) != nil {
				// Its $ref keys are units, and the $refs they hold
				// belong to none of them (their holder is the section).
				return d.noReuse("a model section holds a $ref")
			}
		}
	}
	// mergeUnit: a unit of a section that merges entries in from
	// elsewhere (an alias: unitAt finds its first for any place in it)
	mergeUnit := func(id unitID) bool {
		return prev.merges[id.sec] && u.merged[id.sec] == nil && prev.mergeIdx[id.sec] == nil
	}
	if inUnit && mergeUnit(changed) {
		// (a region in such a unit is refused above; a section dropped or
		// replaced as a block has its units in u.merged)
		panic("analysis: the changed unit is in a section that merges entries in from elsewhere")
	}
	// The root channels of a 3.x document dropped or given back: the
	// channels alone dropped or built, the operations on them swapped
	// (chandrop.go).
	// (grow == -span: no entry re-parsed, replN 0; restoreSec is a
	// section under components when componentsBack gives several back)
	if block && blockSec == secChannels && !restore && !comp && !valueEdit && inUnit && grow == -span ||
		restore && restoreSec == secChannels && !block && !comp && !valueEdit ||
		colonBack && blockSec == secServers && len(restores) == 1 && restoreSec == secChannels && !comp && !valueEdit {
		if handled, ok := d.chanBlock(u, secMaps, paths, prev.refsFrom(lv.Start), prev.refsFrom(lv.End), restore, colonBack); handled {
			return ok
		}
	}
	// A section dropped that nothing depends on: its units removed, none
	// built or checked (drops.go).
	if block && replN == 0 && !restore && !valueEdit && inUnit && grow == -span {
		drop := u.dropped
		drop[changed.sec] = true
		if handled, ok := d.dropSections(u, drop, secMaps, paths, prev.refsFrom(lv.Start), prev.refsFrom(lv.End)); handled {
			return ok
		}
	}
	// Component schemes given back alone, their readers kept (compdrop.go).
	if restore && !block && replN == 0 && !valueEdit && restoreSec == secSchemes && len(restores) <= 1 {
		if handled, ok := d.schemesGivenBack(u, restoreN, secMaps, paths, prev.refsFrom(lv.Start), prev.refsFrom(lv.End)); handled {
			return ok
		}
	}
	rebuild := map[unitID]bool{}
	if inUnit {
		rebuild[changed] = true
	}
	var blockIDs []unitID // the units dropped with the changed one (queued below)
	for i := 1; i < span; i++ {
		rebuild[unitID{changed.sec, changed.i + i}] = true
		blockIDs = append(blockIDs, unitID{changed.sec, changed.i + i})
	}
	for sec := range numSections {
		if u.dropped[sec] { // (componentsDrop)
			for i := range len(prev.runs[sec]) {
				rebuild[unitID{sec, i}] = true
				blockIDs = append(blockIDs, unitID{sec, i})
			}
		}
	}
	// A block (a section dropped, replaced or given back) that reaches more
	// units than maxBlock is built whole: told as soon as it does, not
	// after the search for the rest of them (a fifth of a full build's
	// time when they are most of the document's units).
	units := prev.unitCount()
	blockOver := func() string {
		if (span > 1 || comp) && len(rebuild) > maxBlock(units) {
			// (with the units that $ref into it: their $refs now miss,
			// they are checked again, not relinked)
			return "a section dropped as a block reaches too many units"
		}
		if restore && restoreN+len(rebuild) > maxBlock(units+restoreN) {
			// its units built, with those that $ref into it or name them
			// checked again
			return "a section given back as a block reaches too many units"
		}
		return ""
	}
	overBound := func() bool {
		d.inc.reached = len(rebuild)
		return d.noReuse(blockOver())
	}
	if blockOver() != "" {
		return overBound()
	}
	over := false // blockOver says why
	refStart := func(r *Ref) int { return pl.R(r.Holder).Start }
	ra, rb := prev.refsFrom(lv.Start), prev.refsFrom(lv.End)
	var lead []*Ref // the $ref whose value the region is, now
	if valueEdit {
		// Its holder is path-copied: the $ref is replaced by one held by
		// the new mapping, in its place in pre-order (the holder's own
		// $ref comes before those of its entries, which the region's
		// entry, a scalar, has none of).
		k := prev.refsFrom(pl.R(lv.Map).Start)
		if k >= len(prev.Refs) || prev.Refs[k].Holder != lv.Map || k < ra-1 {
			return d.noReuse("the edited $ref is not the first of its holder's")
		}
		holder := d.holderOf(pairs[0])
		if holder == nil {
			return d.noReuse("the edited $ref's new holder is not found")
		}
		if v := pairs[1]; v.Kind == syntax.ScalarNode && v.Tag() == "!!str" {
			lead = []*Ref{{Holder: holder, Value: v, Target: v.Value, Local: isLocalRef(v.Value)}}
		}
		ra = k
	}
	again := map[int]bool{} // prev.Refs indexes (outside the region) to resolve again
	var queue []unitID
	// srvLook: the root servers dropped or given back alone: the units
	// that read them are shared, not rebuilt, and not searched from
	// (srvlook.go)
	// (components dropped or given back, and a section replaced before
	// the servers given back, are in restores or comp)
	srvLook := (block && blockSec == secServers && !comp && replN == 0 || restore && restoreSec == secServers && len(restores) == 0) &&
		serversLookedUp(prev, d, secMaps)
	srvDeps := map[unitID]bool{}
	if srvLook { // (most channels and operations may read the servers)
		srvDeps = make(map[unitID]bool, len(prev.runs[secChannels])+len(prev.runs[secOperations]))
	}
	markFull := func(id unitID) {
		if !rebuild[id] {
			rebuild[id] = true
			queue = append(queue, id)
			over = over || blockOver() != ""
		}
	}
	mark := func(id unitID) {
		if srvLook && srvDepSection(id.sec) { // (one rebuilt too leaves srvDeps below)
			srvDeps[id] = true
			return
		}
		markFull(id)
	}
	var outside []string
	seenOutside := map[string]bool{}
	// A scheme whose content changed in no way its users read is
	// forwarded (see "Forwarded schemes" below): the $refs that land on
	// it are resolved again, but their units are kept.
	fwd, fwdNew := forwardable(prev, d, changed, inUnit, renamedFrom, grow, secMaps)
	fwdPath, fwdName := "", ""
	if fwd != nil {
		fwdPath = rawPath(append(slices.Clone(sectionPaths[secSchemes]), fwd.Name)...)
		if !d.Version.V3() {
			fwdName = fwd.Name
		}
	}
	var fwdRefs []int // their indexes in prev.Refs
	fwdEntries := 0   // 2.x requirement entries that name it in kept units
	// A $ref that a channel's or an operation's objects do not point to and
	// its build does not read through (relinker.reads: a message's, a
	// payload's), and that led to no scheme, server or channel, changes
	// nothing of its unit: the unit is not rebuilt for it, and only the
	// $ref is resolved again (where it lands now is checked in
	// applyRebuild). A section broken by a keystroke (`  messages:x`)
	// takes thousands of such $refs with it.
	readsOf := map[unitID]map[*syntax.Node]bool{}
	probe := &relinker{prev: prev}
	unreadRef := func(id unitID, r *Ref) bool {
		switch id.sec {
		case secChannels, secCompChannels, secOperations, secCompOperations:
		default:
			return false
		}
		if mergeUnit(id) || prev.linkedAt(r.Resolved) || restore && readsPath(r, paths, nil) {
			// (a $ref into a section given back may land on a scheme,
			// server or channel now)
			return false
		}
		_, v := u.unitPair(secMaps, id)
		if v == r.Holder {
			return false // the unit is the $ref: its whole model is read through it
		}
		m, ok := readsOf[id]
		if !ok {
			m = probe.reads(prev.runs[id.sec][id.i], prev.compOpOf(id, v))
			readsOf[id] = m
		}
		return !m[r.Holder]
	}
	var scanHint unitHint // (the candidates are in text order)
	scan := func(paths []string, exact bool) {
		var exactSet map[string]bool
		if exact {
			exactSet = make(map[string]bool, len(paths))
			for _, p := range paths {
				exactSet[p] = true
			}
		}
		cands := prev.refCandidates(paths, exact)
		if len(again) == 0 && len(cands) > 8 {
			again = make(map[int]bool, len(cands)) // (nothing holds it yet)
		}
		for _, idx := range cands {
			r := prev.Refs[idx]
			if over {
				return
			}
			if idx >= ra && idx < rb || !r.Local || again[idx] {
				continue
			}
			hit := readsPath(r, paths, exactSet)
			if !hit {
				continue
			}
			again[idx] = true
			// The $refs after it in its holder (duplicate $ref keys, next
			// to it in pre-order) are resolved again with it, so that
			// the one a full build keeps (the last) is kept (the copies
			// replace the holder's $ref in order: one before it is
			// replaced by this one's copy).
			for j := idx + 1; j < len(prev.Refs) && prev.Refs[j].Holder == r.Holder; j++ {
				again[j] = true
			}
			if fwd != nil && len(r.via) == 0 && r.Target != "" {
				if raw, ok := rawPointer(r.Target); ok && raw == fwdPath {
					fwdRefs = append(fwdRefs, idx)
					continue
				}
			}
			if id, ok := prev.unitAtHint(secMaps, refStart(r), &scanHint); ok {
				if !rebuild[id] && unreadRef(id, r) {
					if u.kept == nil {
						u.kept = map[int]bool{}
					}
					u.kept[idx] = true
					continue
				}
				mark(id)
			} else if p := prev.holderPath(r.Holder); !seenOutside[p] {
				// held outside the units (a 3.x component channel's
				// servers): the units that $ref into it read it
				seenOutside[p] = true
				outside = append(outside, p)
			}
		}
	}
	scanned := 0
	scanOutside := func() {
		for scanned < len(outside) {
			next := outside[scanned:]
			scanned = len(outside)
			scan(slices.Clone(next), false)
		}
	}
	scan(paths, false)
	scanOutside()
	if over {
		return overBound()
	}
	if fwd != nil && !prev.forwardsTo(fwd, fwdRefs, secMaps) {
		// Some $ref that lands on the scheme is read otherwise than as a
		// security entry: every unit that holds one is rebuilt.
		for _, idx := range fwdRefs {
			delete(again, idx)
		}
		fwd, fwdPath, fwdName, fwdRefs = nil, "", "", nil
		scan(paths, false)
		scanOutside()
	}
	if inUnit {
		queue = append(queue, changed)
		queue = append(queue, blockIDs...)
	}
	// A renamed scheme or root server changes what names find: the units
	// that name either name, and those whose diagnostics list the names,
	// are checked again.
	forced := map[unitID]bool{}
	if srvLook { // (the shared units that name a server are forced too)
		forced = make(map[unitID]bool, len(srvDeps))
	}
	var forceHint unitHint // (the channels are in build order)
	force := func(n *syntax.Node) bool {
		id, ok := prev.unitOfHint(secMaps, n, &forceHint)
		if ok {
			mark(id)
			forced[id] = true
		}
		return ok
	}
	forceSite := func(x int) bool { // (prev.securities[x]: siteUnit)
		id, ok := prev.siteUnit(secMaps, x)
		if ok {
			mark(id)
			forced[id] = true
		}
		return ok
	}
	var atHint unitHint // (the diagnostics are in text order)
	forceAt := func(p int) bool {
		id, ok := prev.unitAtHint(secMaps, p, &atHint)
		if ok {
			mark(id)
			forced[id] = true
		}
		return ok
	}
	// A root server dropped or added (typed before the entry, or its
	// colon typed back) is one renamed to or from no name: the units that
	// name any of the names look for it. So is a component scheme; and a
	// section of schemes dropped as a block drops all their names
	// (blockNames).
	gone := renamedFrom
	if gone == nil && grow != 0 && ((inUnit || restore) && changed.sec == secServers || (inUnit || restore) && changed.sec == secSchemes && !block) {
		gone = lv.Map.Content[2*lv.Index]
	}
	// diagnostics that name a name, outside the units (coverAt)
	var outsideAt []int
	schemesRestored := restoredCount(restores, secSchemes) > 0 // (componentsBack, componentsReplaced, colonBackAfterSection)
	// root servers given back after a section replaced
	// (colonBackAfterSection): their names are looked up, as for servers
	// given back alone
	serversRestored := restoredCount(restores, secServers) > 0
	if gone != nil && (changed.sec == secSchemes || changed.sec == secServers) || block && (blockSec == secSchemes || u.dropped[secSchemes]) || schemesRestored || serversRestored {
		names := map[string]bool{}
		if block && (blockSec == secSchemes || u.dropped[secSchemes]) {
			names = blockNames(secMaps[secSchemes], map[string]bool{})
		} else if gone != nil {
			names = map[string]bool{gone.Value: true}
			for i := 0; i < len(pairs); i += 2 {
				names[pairs[i].Value] = true
			}
		}
		// the servers or schemes given back (the region's last pair), or
		// those a section replaced has now (its first): in 2.x before 2.2
		// a channel that names a server has no finding that says so, and
		// a requirement that names a scheme is checked against it. (Those
		// of a block dropped are queued: their names are looked up below.)
		if serversRestored {
			blockNames(d.sectionMap(secServers), names)
		}
		if len(restores) > 0 {
			// (the region's pairs may hold other entries: components,
			// or the sections given back after a section replaced)
			blockNames(d.sectionMap(secSchemes), names)
		} else if restore {
			blockNames(pairs[len(pairs)-1], names)
		}
		if replN > 0 {
			blockNames(pairs[1], names)
		}
		// (servers replaced, components given back after them: both)
		codes := map[string]bool{}
		if changed.sec != secServers && !serversRestored || schemesRestored {
			codes[CodeUndefinedScheme], codes[CodeRequirementShape] = true, true
		}
		if changed.sec == secServers || serversRestored {
			codes[CodeChannelServerUndefined] = true
		}
		for _, dg := range prev.madeDiagnostics() {
			if codes[dg.Code] && !forceAt(dg.Range.Start) {
				outsideAt = append(outsideAt, dg.Range.Start) // (covered below: coverAt)
			}
		}
		if changed.sec == secSchemes || schemesRestored {
			for x, site := range prev.securities {
				for _, req := range site.sec.Alternatives {
					for _, e := range req.Entries {
						if names[e.Name] && !forceSite(x) {
							return d.noReuse("a requirement outside the units")
						}
					}
				}
			}
		}
		if changed.sec != secSchemes {
			for _, c := range slices.Concat(prev.Channels, prev.ComponentChannels) {
				// (by name: an entry that finds no server has a
				// CodeChannelServerUndefined finding, forced above when
				// the servers change; a channel reads no scheme)
				for _, sr := range prev.ServersOf(c) {
					if names[sr.Name] && !force(c.Key) {
						return d.noReuse("a channel outside the units")
					}
				}
			}
		}
	}
	if prev.Tree.Anchored() || d.Tree.Anchored() {
		// An alias makes a unit read nodes of another part of the text,
		// which no $ref records: the units that hold an anchor or an alias
		// are rebuilt and checked again with the change (the region holds
		// none: syntax.UpdateTree).
		ids, ok := prev.linkedUnits(secMaps)
		if !ok {
			return d.noReuse("an anchor or alias on the way to a model section")
		}
		for _, id := range ids {
			mark(id)
			forced[id] = true
		}
	}
	// Units whose objects other units point to: those are rebuilt too;
	// so are the sharers of the targets of rebuilt units that are $refs
	// into the document (refCover), and theirs in turn.
	cover := newRefCover(prev, d.Root, u, secMaps, syntax.Range{Start: lv.Start, End: lv.End})
	if srvLook {
		// The servers' $refs are the channels' (hundreds), none of them a
		// unit's value: the units that are $refs are listed at once (as
		// many lookups as units: unitrefs.go), not searched among them.
		cover.unitRefs.asked = unitRefsAfter
	}
	if inUnit && !block && grow >= 0 {
		if nm := d.sectionMap(changed.sec).Resolve(); prev.merges[changed.sec] {
			// (grow is 0: the entry at the region's place)
			_, v := d.mergedPairAt(changed.sec, levels[len(sectionPaths[changed.sec]):])
			cover.newTarget(v, paths)
		} else if nm != nil && nm.Kind == syntax.MappingNode {
			for q := 0; q <= grow && 2*(changed.i+q)+1 < len(nm.Content); q++ {
				cover.newTarget(nm.Content[2*(changed.i+q)+1], paths)
				cover.newChannel(changed.sec, nm.Content[2*(changed.i+q)+1], paths)
			}
		}
	}
	var inChanged *unitID
	if inUnit {
		inChanged = &changed
	}
	cover.newInlineNames(pairs, paths, inChanged)
	cover.ra, cover.rb = ra, rb
	if restore {
		cover.restoredTargets(d, restoreSec, restores, paths)
	}
	u.cover = cover
	for _, p := range outsideAt {
		if !cover.coverAt(p) {
			return d.noReuse("a diagnostic outside the units")
		}
	}
	cover.checked = func(id unitID) bool {
		return forced[id] || inUnit && id.sec == changed.sec && id.i >= changed.i && id.i < changed.i+span || u.dropped[id.sec]
	}
	forceUnit := func(id unitID) {
		markFull(id)
		forced[id] = true
		if u.coverForced == nil {
			u.coverForced = map[unitID]bool{}
		}
		u.coverForced[id] = true
	}
	for {
		for !over && (len(queue) > 0 || cover.step(rebuild, forceUnit, again)) {
			var exact []string
			var names []string
			var serverNames []string
			for _, id := range queue {
				if mergeUnit(id) { // (its pairs are not its units: unitPair has none)
					return d.noReuse("a unit to rebuild is in a section that merges entries in")
				}
				k, v := u.unitPair(secMaps, id)
				exact = prev.appendInPlaceInline(exact, id, k, v)
				if !id.sec.linked() {
					continue
				}
				exact = append(exact, rawPath(append(slices.Clone(sectionPaths[id.sec]), k.Value)...))
				if !d.Version.V3() && id.sec == secSchemes {
					names = append(names, k.Value)
				}
				if !d.Version.V3() && id.sec == secServers {
					serverNames = append(serverNames, k.Value)
				}
			}
			queue = queue[:0]
			if len(exact) > 0 {
				scan(exact, true)
				scanOutside()
			}
			// 2.x names schemes in requirements and servers in channels.
			for _, name := range names {
				for x, site := range prev.securities {
					for _, req := range site.sec.Alternatives {
						for _, e := range req.Entries {
							if e.Name == name {
								if name == fwdName && !rereadsScheme(e, fwd, fwdNew) {
									fwdEntries++
									continue // kept: it reads the new scheme through Entry
								}
								if id, ok := prev.siteUnit(secMaps, x); ok {
									mark(id)
								} else {
									return d.noReuse("a 2.x requirement outside the units")
								}
							}
						}
					}
				}
			}
			if len(serverNames) > 0 { // (one pass for all of them: a block queues every server)
				var h unitHint // (the channels are in build order)
				for _, c := range slices.Concat(prev.Channels, prev.ComponentChannels) {
					for _, sr := range prev.ServersOf(c) {
						if slices.Contains(serverNames, sr.Name) {
							if id, ok := prev.unitOfHint(secMaps, c.Key, &h); ok {
								mark(id)
							} else {
								return d.noReuse("a 2.x channel outside the units")
							}
						}
					}
				}
			}
		}
		if over {
			return overBound()
		}
		if cover.why != "" {
			return d.noReuse(cover.why)
		}
		// An operation whose channel names no servers runs on every root
		// server: its audits read them all. It is rebuilt, and checked again
		// when a server changed what its audits read (appendServerSig), else
		// relinked. (The units it adds are looked at as above: those
		// that $ref into them, and what they cover.)
		serversChanged := restore && restoreSec == secServers
		for id := range rebuild {
			serversChanged = serversChanged || id.sec == secServers
		}
		if serversChanged {
			// Before 2.2.0 a channel's servers are not read: every operation
			// runs on every root server (see EffectiveSecurity).
			channelServers := d.Version.V3() || d.Version.AtLeast(2, 2)
			var h unitHint // (the operations are in build order)
			for _, op := range prev.Operations {
				if c := op.Channel; op.Key != nil && (!channelServers || c == nil || len(prev.ServersOf(c)) == 0 || c.ServersInvalid) {
					id, ok := prev.unitAtHint(secMaps, pl.R(op.Key).Start, &h)
					if !ok {
						return d.noReuse("an operation outside the units")
					}
					mark(id)
					// A 2.x operation of a component channel that a root
					// channel $refs is audited by that channel's unit (on its
					// servers): it is rebuilt too.
					if !d.Version.V3() && c != nil && c.Key != nil {
						if cid, ok := prev.unitOf(secMaps, c.Key); ok {
							mark(cid)
						}
					}
				}
			}
		}
		if len(queue) == 0 {
			break
		}
	}
	// Most units of the model may depend on a scheme (2.x channels that
	// hold operations on it): they are rebuilt here when few of them must be
	// checked again (applyRebuild gives up as soon as too many must); the
	// others are relinked, which costs a copy of their objects.
	if why := prev.extReuse(ra, rb, again, cover); why != "" {
		return d.noReuse(why)
	}
	d.inc.forwarded = len(fwdRefs) + fwdEntries
	if blockOver() != "" {
		return overBound()
	}
	// The operations on the shared channels are audited again on their
	// servers (srvlook.go: found by their channel, not by a $ref scan).
	prev.srvDepOps(srvDeps, secMaps)
	// The shared dependents are not rebuilt (nor counted by maxBlock: they
	// cost their server checks; applyRebuild shares them after its loop);
	// one searched from is rebuilt as before.
	for id := range srvDeps {
		if rebuild[id] {
			delete(srvDeps, id)
		}
	}
	u.srvDeps = srvDeps
	for id := range rebuild {
		if mergeUnit(id) {
			return d.noReuse("a unit to rebuild is in a section that merges entries in")
		}
	}
	if restore && restores == nil {
		restores = []restoredSection{{restoreSec, restoreN}}
	}
	u.restores = restores
	// Only a section given back, dropped or replaced as a block may merge
	// entries in now, or no longer (the region's keys are no merge keys).
	d.merges, d.mergeIdx = prev.merges, prev.mergeIdx
	for sec := range numSections {
		if !sec.inVersion(d.Version) {
			continue
		}
		asBlock := block && sec == blockSec || u.dropped[sec] || restoredCount(restores, sec) > 0
		if asBlock {
			d.merges[sec] = mergesIn(d.sectionMap(sec))
		}
		switch {
		case !d.merges[sec]:
			d.mergeIdx[sec] = nil
		case !asBlock && d.sectionMap(sec) == secMaps[sec]:
			// (its key nodes are prev's: the index is shared)
		case !asBlock && inUnit && sec == changed.sec && prev.mergeIdx[sec] != nil:
			mergedKey, _ := d.mergedPairAt(sec, levels[len(sectionPaths[sec]):])
			// one entry re-parsed, under its key (mergedChanged): its
			// new key node names the same unit
			d.mergeIdx[sec] = prev.mergeIdx[sec].with(d.sectionMap(sec), mergedKey, changed.i)
		default:
			d.mergeIdx[sec] = newMergeIndex(true, d.sectionMap(sec))
		}
	}
	base := len(d.Diagnostics)
	if !d.applyRebuild(u, secMaps, rebuild, forced, again, fwdRefs, ra, rb, lead, changed, inUnit, grow, span) {
		d.inc.forwarded = 0
		return false
	}
	if prev.forwardsToNone() && len(d.Schemes) > 0 && !d.entriesAsBuilt() {
		// A unit kept whose entry a drop forwarded to none (compdrop.go),
		// its scheme back: it should have been built again.
		d.clearModel(base)
		d.inc.forwarded = 0
		return d.noReuse("a kept entry reads no scheme, its scheme back")
	}
	return true
}

// Forwarded schemes.
//
// A scheme that a thousand operations name first is the one users edit
// most: a keystroke in its description must not copy every unit that
// names it (and the channels on a server that names it, and their
// operations). When the region is inside one component scheme, renames
// nothing and leaves what its users' checks read of it as it was
// (appendSchemeSig), the units whose security entries $ref it are kept
// whole: shared with the previous version, diagnostics included. Only the
// scheme is rebuilt, and the $refs that land on it are resolved again
// (their target node is new). A kept entry still points to the scheme
// version it was built with; the document maps each component scheme made
// again since the last full build to its current version (schemeNow, by
// the scheme's first version), and every reader of entries takes them
// through Document.Entry (or Needs), which names the current version, its
// $ref and its scopes. The previous version's table is not changed: a
// reader of an older snapshot sees the schemes of that snapshot.
//
// 2.x requirements name schemes and carry their own scopes, which the
// checks compare with the flows: a unit with a requirement that asks the
// scheme for a scope its checks read again (rereadsScheme) is rebuilt as
// before; the others are kept.

// forwardable returns the scheme (prev's) of the changed unit and its new
// version when the edit may forward it: a component scheme, edited inside
// its entry (not renamed, no entry added), whose new version holds what
// its users' checks read of it unchanged (appendSchemeSig); nils
// otherwise.
func forwardable(prev, d *Document, changed unitID, inUnit bool, renamedFrom *syntax.Node, grow int, secMaps [numSections]*syntax.Node) (*Scheme, *Scheme) {
	if !inUnit || changed.sec != secSchemes || renamedFrom != nil || grow != 0 || prev.merges[secSchemes] {
		// (a section that merges entries in: its pairs are not its
		// units)
		return nil, nil
	}
	runs := prev.runs[secSchemes][changed.i]
	if runs[slSchemes][1]-runs[slSchemes][0] != 1 {
		return nil, nil
	}
	o := prev.Schemes[runs[slSchemes][0]]
	om, nm := secMaps[secSchemes].Resolve(), d.sectionMap(secSchemes).Resolve()
	if nm == nil || len(nm.Content) != len(om.Content) || prev.refAt(om.Content[2*changed.i+1].Resolve()) != nil {
		return nil, nil
	}
	k, v := nm.Content[2*changed.i], nm.Content[2*changed.i+1].Resolve()
	if k.Value != o.Name || v == nil || hasRefKey(v) {
		return nil, nil
	}
	tmp := &Document{Version: d.Version, schemeByNode: map[*syntax.Node]*Scheme{}}
	n := tmp.newScheme(o.Name, o.Pointer, k, v)
	if string(appendSchemeSig(nil, o)) != string(appendSchemeSig(nil, n)) {
		return nil, nil
	}
	return o, n
}

// rereadsScheme reports whether the checks of a 2.x requirement entry that
// names the scheme o (now n, the same in appendSchemeSig) read it again:
// it asks for scopes, and either one is not granted before or after
// (scopesReread: its finding lists the declared scopes and points to the
// flows), or the type takes no scopes (the finding points to the scheme).
func rereadsScheme(e *Entry, o, n *Scheme) bool {
	return len(e.Scopes) > 0 && (o.Type != "oauth2" || scopesReread(e, o, n))
}

// forwardsTo reports whether every $ref of d.Refs at refs (each landing
// on the component scheme s) is held by a security entry of a unit that is
// not a scheme: one whose model reads the $ref only as an entry's scheme.
func (d *Document) forwardsTo(s *Scheme, refs []int, secMaps [numSections]*syntax.Node) bool {
	for _, idx := range refs {
		r := d.Refs[idx]
		id, ok := d.unitAt(secMaps, d.shifts.R(r.Holder).Start)
		if !ok || id.sec == secSchemes {
			return false
		}
		runs := d.runs[id.sec][id.i]
		found := false
		for _, site := range d.securities[runs[slSites][0]:runs[slSites][1]] {
			for _, req := range site.sec.Alternatives {
				for _, e := range req.Entries {
					if e.Ref != nil && e.Ref.Holder == r.Holder && d.current(e.Scheme) == s {
						found = true
					}
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// $refs that leave the document.
//
// What a document's $refs found in other files (the files read, the
// resolutions, the edges relocate follows back to a local $ref) depends on
// those files and on the $refs that lead there, not on the units. A unit
// rebuild keeps it (a copy: lazy resolutions add to it) while the files
// load as they did (sameFiles). The $refs of the region and those resolved
// again that lead out are followed as a full build follows them
// (followExternal); when any did, or a dropped or re-resolved one had,
// refreshExt gathers the files, the files read and the edges again from
// the $refs, as a full build makes them, and the reports of broken files
// and the diagnostics relocated from other files are placed again.
//
// That gathering is exact only when a $ref that goes away (or lands
// elsewhere now) met no other file's $ref on its way: the other files'
// $refs a document resolves are those its model and the schema validation
// meet under its targets, which the document does not record by target.
// For the region's $refs, those met under their targets are forgotten and
// met again, with those of every $ref that reaches them, whose units are
// rebuilt and checked (farRefsUnder, coverFar, in filerefs.go); extReuse
// refuses a $ref resolved again that met some, unless coverFar did so.
//
// A diagnostic a check made on a node of another file sits, after
// relocate, on the local $ref that leads there, which may lie in another
// unit than the one whose check made it; the full build remembers the
// objects whose checks made one, with what they made (markFar). A unit
// checked again drops the relocated diagnostics its previous objects made
// (farKeys, in refholder.go: unless a kept object made one of them too)
// and relocates those it makes now, so that every other relocated
// diagnostic of the previous version belongs to a kept unit (or to one
// rebuilt without its checks, whose new objects take the marks:
// carryFar): its message stays, and its place is the previous one
// shifted, or, when the edges changed, where relocate puts it now.

// rebuildLeavingUnits is false only in benchmarks that measure, side by
// side, the full model build that documents whose $refs leave them took
// before (BenchmarkKeystrokeFileRefs).
var rebuildLeavingUnits = true

// extReuse says why the model parts that leave the document cannot be
// kept when the $refs prev.Refs[ra:rb] are replaced and those of again
// resolved again ("" when they can). What the replaced ones met in other
// files is forgotten and met again (farRefsUnder, in filerefs.go).
func (d *Document) extReuse(ra, rb int, again map[int]bool, c *refCover) string {
	for i := range again {
		if !c.farHandled(i) && !d.dropsCleanly(d.Refs[i]) {
			return "a $ref resolved again led to $refs in another file"
		}
	}
	return ""
}

// dropsCleanly reports whether what r found in other files is its own:
// the files it named and its edge, nothing met under its target (which
// holds no $ref, nor an alias that could lead to one).
func (d *Document) dropsCleanly(r *Ref) bool {
	id := syntax.FileOf(r.Resolved)
	if id == 0 {
		return true
	}
	f := d.ext.files[id]
	if f == nil || f.tree.Anchored() {
		return false
	}
	rr := r.Resolved.Range()
	for h := range f.refs {
		if hr := h.Range(); rr.Start <= hr.Start && hr.End <= rr.End {
			return false
		}
	}
	return true
}

// refsLeadOut reports whether a $ref of prev.Refs[ra:rb] or of again led
// out of the document.
func (d *Document) refsLeadOut(ra, rb int, again map[int]bool) bool {
	for i := ra; i < rb; i++ {
		if d.Refs[i].leadsOut() {
			return true
		}
	}
	for i := range again {
		if d.Refs[i].leadsOut() {
			return true
		}
	}
	return false
}

// refreshExt gathers what d knows of other files again from its $refs and
// the other files' $refs it resolved, as a full build makes it: the edges
// of its own $refs in their order, then the other files' (in the order
// they were met), the files named, the files read.
func (d *Document) refreshExt() {
	x := d.ext
	edges := make([]refEdge, 0, len(x.edges))
	tried := make(map[string]bool, len(x.tried))
	for _, r := range d.Refs {
		if syntax.FileOf(r.Resolved) != 0 {
			edges = append(edges, refEdge{from: r, target: r.Resolved})
		}
		for _, p := range r.paths {
			tried[p] = true
		}
	}
	for _, e := range x.edges {
		if syntax.FileOf(e.from.Holder) != 0 {
			edges = append(edges, e)
		}
	}
	for _, r := range x.refs {
		for _, p := range r.paths {
			tried[p] = true
		}
	}
	files := make(map[uint32]*extFile, len(x.files))
	loaded := make(map[string]loadResult, len(tried))
	for p := range tried {
		lr := x.loaded[p]
		loaded[p] = lr
		if lr.err == nil && lr.f != nil {
			pf := parsedFile(lr.f)
			files[pf.id] = pf
		}
	}
	x.edges, x.tried, x.files, x.loaded = edges, tried, files, loaded
}

// extInto returns the paths of the $refs whose view as another file's
// content the schema validation must take again (intoChanged): those
// resolved again (again) that led, or lead, into another file, and the
// $ref whose value the region is (lead), an ancestor of the region. The
// others keep their resolution, in files that did not change.
func (d *Document) extInto(prev *Document, copyOf map[int]*Ref, again map[int]bool, lead []*Ref) [][]string {
	var out [][]string
	for _, r := range lead {
		out = append(out, d.holderTokens(r.Holder))
	}
	for i := range again {
		if c := copyOf[i]; c != nil && (syntax.FileOf(prev.Refs[i].Resolved) != 0 || syntax.FileOf(c.Resolved) != 0) {
			out = append(out, d.holderTokens(c.Holder))
		}
	}
	return out
}

// relocateAgain places a diagnostic that relocate moved from another file
// where relocate puts it now; false when its file is no longer read.
func (d *Document) relocateAgain(dg *syntax.Diagnostic, ids map[string]uint32) bool {
	id, ok := ids[dg.Related[0].Path]
	if !ok {
		return false
	}
	dg.Range = d.localRange(id, dg.Related[0].Range)
	return true
}

// farUnit reports whether the checks of one of a unit's objects reported
// on another file (markFar).
func (d *Document) farUnit(runs unitRuns) bool {
	if d.far == nil {
		return false
	}
	for sl := range numSlices {
		for x := runs[sl][0]; x < runs[sl][1]; x++ {
			if d.far[d.objectAt(sl, x)] != nil {
				return true
			}
		}
	}
	return false
}

// objectAt returns the model object at index x of one of d's slices.
func (d *Document) objectAt(sl int, x int32) any {
	switch sl {
	case slServers:
		return d.Servers[x]
	case slChannels:
		return d.Channels[x]
	case slCompChannels:
		return d.ComponentChannels[x]
	case slOperations:
		return d.Operations[x]
	case slSchemes:
		return d.Schemes[x]
	case slTraits:
		return d.Traits[x]
	case slSites:
		return d.securities[x]
	}
	return d.Inline[x]
}

// carryFar marks the objects a kept unit has in d from start when their
// counterparts in prev's runs are marked (markFar).
func (d *Document) carryFar(prev *Document, runs unitRuns, start [numSlices]int32) {
	for sl := range numSlices {
		for x := runs[sl][0]; x < runs[sl][1]; x++ {
			if far := prev.far[prev.objectAt(sl, x)]; far != nil {
				d.far[d.objectAt(sl, start[sl]+x-runs[sl][0])] = far
			}
		}
	}
}

// dedupDiagnostics drops the repeats of a diagnostic (same range, code
// and message) from a sorted list, as relocate does for a document that
// reads other files; false when two such differ otherwise (which one the
// full build keeps depends on the order of its checks).
func dedupDiagnostics(list []syntax.Diagnostic) ([]syntax.Diagnostic, bool) {
	out := list[:0]
	for i, dg := range list {
		dup := false
		for j := len(out) - 1; j >= 0 && out[j].Range.Start == dg.Range.Start && out[j].Code == dg.Code && out[j].Message == dg.Message; j-- {
			if out[j].Range.End == dg.Range.End {
				if !reflect.DeepEqual(out[j], dg) {
					return list, false
				}
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, list[i])
		}
	}
	return out, true
}

// keylessKeepsUnits reports whether the entry at the path keys can lose
// its key (and so its value) with every unit of the model still there: it
// lies below a unit (which is rebuilt without it) or outside the model
// sections (info, components.messages), not at a unit's or a section's
// place or above one.
func (d *Document) keylessKeepsUnits(keys []string) bool {
	for sec := range numSections {
		sp := sectionPaths[sec]
		if !sec.inVersion(d.Version) {
			continue
		}
		n := min(len(keys), len(sp))
		if slices.Equal(keys[:n], sp[:n]) && len(keys) <= len(sp)+1 {
			return false
		}
	}
	return true
}

// keylessDropsUnit reports whether the entry at the path keys, which lost
// its key, is a unit that can be dropped from its section. A root server
// or a component scheme dropped or added is handled as one renamed to or
// from no name (the units that name it are checked again: rebuildUnits;
// the unused-scheme counts pair schemes by object: rebuiltUseCounts). Its text joins the entry
// before it in the tree (a syntax error there), so the section keeps its
// other units; when the colon comes back, that entry's region becomes
// two entries again (grow 1).
func (d *Document) keylessDropsUnit(keys []string) bool {
	for sec := range numSections {
		sp := sectionPaths[sec]
		if !sec.inVersion(d.Version) {
			continue
		}
		if len(keys) == len(sp)+1 && slices.Equal(keys[:len(sp)], sp) {
			return true
		}
	}
	return false
}

// modelsSection reports whether the levels lead down the path sp through
// the keys build reads: the first of duplicate keys.
func (d *Document) modelsSection(sp []string, levels []syntax.Level) bool {
	n := d.Root
	for j := range sp {
		k, v := n.Pair(sp[j])
		if k != levels[j].Map.Content[2*levels[j].Index] {
			return false
		}
		n = v
	}
	return true
}

// blockDrop reports whether the region is the entry of a model section
// (its own key line edited: `channels:x`, a quote or bracket opened after
// the colon, the colon deleted) that had units and now has none: the
// section's value is no mapping, or its entry is gone. Its units are then
// dropped as a block, as one unit whose key lost its colon is
// (keylessDropsUnit), and the units that $ref into them are checked
// again; rebuildUnits gives up first when they are too many (every
// operation $refs its channel). Component schemes too: their users (by
// $ref, or in 2.x by name) and the units whose undefined-scheme errors
// list the names are checked again (blockNames). Root servers, whose
// names channels look up, are dropped as a block of names gone
// (blockNames).
func (d *Document) blockDrop(prev *Document, keys []string, pairs []*syntax.Node) (section, bool) {
	for sec := range numSections {
		sp := sectionPaths[sec]
		if !sec.inVersion(d.Version) || !slices.Equal(keys, sp) || len(prev.runs[sec]) == 0 {
			continue
		}
		switch {
		case len(pairs) == 0:
			return sec, true
		case len(pairs) >= 2 && pairs[0].Value == sp[len(sp)-1]:
			// (with members after it: a JSON member typed right after the
			// section's '{' breaks its value, and parses beside it)
			if v := pairs[1].Resolve(); v == nil || v.Kind != syntax.MappingNode || len(v.Content) == 0 {
				return sec, true
			}
		}
		return 0, false
	}
	return 0, false
}

// componentsDrop reports whether the region is the components entry
// (its own key line edited: `components:x`, a quote or bracket opened
// after the colon, the colon deleted, the key renamed) that now has no
// mapping, or an empty one: every model section under it (component schemes, servers,
// traits, 2.x channels, 3.x operations) has no entries now. It returns
// those that had units: their units are dropped as one block, as a
// section's are (blockDrop), and the $refs into components are resolved
// again; rebuildUnits gives up first when they reach too many units
// (maxBlock).
func (d *Document) componentsDrop(prev *Document, keys []string, pairs []*syntax.Node) (drop [numSections]bool, ok bool) {
	if len(keys) != 1 || keys[0] != "components" {
		return drop, false
	}
	switch {
	case len(pairs) == 0:
	case len(pairs) >= 2 && pairs[0].Value == "components": // (members after it: see blockDrop)
		if v := pairs[1].Resolve(); v != nil && v.Kind == syntax.MappingNode && len(v.Content) > 0 {
			return drop, false
		}
	case len(pairs) == 2:
		// renamed (`"componentsx":`): gone, unless build reads another
		// components key now
		if k, _ := d.Root.Pair("components"); k != nil {
			return drop, false
		}
	default:
		return drop, false
	}
	for sec := range numSections {
		if sectionPaths[sec][0] == "components" && sec.inVersion(d.Version) && len(prev.runs[sec]) > 0 {
			drop[sec] = true
		}
	}
	return drop, true
}

// dropRuns returns the runs of a document in which every unit of the
// sections drop made nothing: their runs are gone, and those of the
// sections after each move back by what it had (build visits the
// sections in order, each adding its units' runs after the last).
func dropRuns(prev [numSections][]unitRuns, drop [numSections]bool) [numSections][]unitRuns {
	var out [numSections][]unitRuns
	var delta [numSlices]int32
	for sec := range numSections {
		if drop[sec] {
			for _, r := range prev[sec] {
				for sl := range r {
					delta[sl] -= r[sl][1] - r[sl][0]
				}
			}
			continue
		}
		if delta == ([numSlices]int32{}) {
			out[sec] = prev[sec]
			continue
		}
		list := make([]unitRuns, len(prev[sec]))
		for i, r := range prev[sec] {
			for sl := range r {
				r[sl][0] += delta[sl]
				r[sl][1] += delta[sl]
			}
			list[i] = r
		}
		out[sec] = list
	}
	return out
}

// sectionKeyRenamed reports whether the region is the entry of a model
// section that had units, whose key was edited into one that names no
// model section (`"channels"` typed into `"channelsx"`): the section is
// gone, and its units are dropped as a block (as blockDrop's). A key that
// names another section, or a mapping on the way to one, is left to a
// full build (rebuildUnits: "the region holds a model section"); typed
// back, the section gets its units back (sectionKeyBack).
func (d *Document) sectionKeyRenamed(prev *Document, keys []string, pairs []*syntax.Node) (section, bool) {
	// (a new key that is no plain scalar, or a merge, is refused before)
	if len(pairs) != 2 || pairs[0].Value == keys[len(keys)-1] {
		return 0, false
	}
	for sec := range numSections {
		sp := sectionPaths[sec]
		if !sec.inVersion(d.Version) || !slices.Equal(keys, sp) || len(prev.runs[sec]) == 0 {
			continue
		}
		return sec, true
	}
	return 0, false
}

// sectionReplaced reports whether the region is the entry of a model
// section that had units and has n entries now, all of them re-parsed:
// an edit at the section's own key line that left its value a mapping
// (a JSON member typed right after its '{', a comment or a tag after
// `channels:`). Its units are replaced as a block: the old ones dropped
// and the n new ones built, with the units that $ref into the section or
// name its entries (old names and new) checked again, under blockDrop's
// bound (rebuildUnits). As many entries as before under other keys are
// left to a full build: the dependents would be relinked by position.
// Entries merged in (`<<`) are units in build order (sectionUnits), from
// inline mappings only (an alias: left whole).
func (d *Document) sectionReplaced(prev *Document, keys []string, pairs []*syntax.Node) (section, int, bool) {
	for sec := range numSections {
		sp := sectionPaths[sec]
		if !sec.inVersion(d.Version) || !slices.Equal(keys, sp) || len(prev.runs[sec]) == 0 {
			continue
		}
		if len(pairs) != 2 || pairs[0].Value != sp[len(sp)-1] {
			return 0, 0, false
		}
		v, old := pairs[1], prev.sectionMap(sec).Resolve()
		if v.Kind != syntax.MappingNode || old == nil || old.Kind != syntax.MappingNode { // (an alias: its entries are elsewhere)
			return 0, 0, false
		}
		units, _ := sectionUnits(v) // (none when it merges in from elsewhere)
		oldUnits, oldOK := sectionUnits(old)
		n := len(units) / 2
		if !oldOK || n == 0 {
			return 0, 0, false // (an empty mapping is a drop, blockDrop)
		}
		if len(units) == len(oldUnits) {
			for i := 0; i < len(units); i += 2 {
				if units[i].Value != oldUnits[i].Value {
					return 0, 0, false
				}
			}
		}
		return sec, n, true
	}
	return 0, 0, false
}

// colonBackAfterSection reports whether the region is a model section's
// entry followed by entries given back: the first of them had lost its
// colon (or the text between them was broken), so their text was part of
// the section's entry, and the edit splits them again. The section's
// entries are all re-parsed: its units are replaced as a block
// (sectionReplaced: repl, with replN entries). Each entry after it that is
// a model section with entries gets its units back as a block
// (blockRestore), in build order (rest): root servers and component
// schemes too, whose names are looked up again (rebuildUnits); when one is
// components, each model section under it does (componentsGivenBack). The
// others (info, components.messages) hold no units: the $refs into them
// are resolved again. A model section prev has units or a key for, or one
// given back empty, merged (`<<`) or aliased, is left to a full build.
func (d *Document) colonBackAfterSection(prev *Document, keys []string, pairs []*syntax.Node) (repl section, replN int, rest []restoredSection, ok bool) {
	if len(pairs) < 4 {
		return 0, 0, nil, false
	}
	repl, replN, ok = d.sectionReplaced(prev, keys, pairs[:2])
	if !ok {
		return 0, 0, nil, false
	}
	for i := 2; i < len(pairs); i += 2 {
		// (a key that is no plain scalar names no section here, and
		// rebuildUnits refuses it with every new key: "a new key is not a
		// plain scalar")
		back := append(slices.Clone(keys[:len(keys)-1]), pairs[i].Value)
		if len(back) == 1 && back[0] == "components" {
			comp, ok := d.componentsGivenBack(prev, pairs[:i+2])
			if !ok {
				return 0, 0, nil, false
			}
			rest = append(rest, comp...)
			continue
		}
		for sec := range numSections {
			sp := sectionPaths[sec]
			if !sec.inVersion(d.Version) || !slices.Equal(sp, back) {
				continue
			}
			parent := prev.Root
			for _, k := range sp[:len(sp)-1] {
				parent = parent.Key(k)
			}
			if k, _ := parent.Pair(sp[len(sp)-1]); k != nil || len(prev.runs[sec]) != 0 {
				return 0, 0, nil, false // prev has the section's key (another one)
			}
			n := restoredEntries(pairs[i+1])
			if n == 0 {
				return 0, 0, nil, false
			}
			rest = append(rest, restoredSection{sec, n})
		}
	}
	slices.SortFunc(rest, func(a, b restoredSection) int { return cmp.Compare(a.sec, b.sec) })
	return repl, replN, rest, true
}

// componentsBack reports whether the region gives the components entry
// back to a document whose model sections under it have no units (the
// inverse of componentsDrop): its value fixed (`components:x` back to
// `components:`), its key typed back (`"componentsx"`), or its colon typed
// back after an entry that holds no model section. It returns the
// sections under it that have entries now, in build order, each given
// back as a block (addRestored), with the units that $ref into
// components or name a scheme given back checked again, under
// blockRestore's bound (rebuildUnits). A section that merges entries in
// (`<<`) or is no mapping with entries is left to a full build.
func (d *Document) componentsBack(prev *Document, keys []string, pairs []*syntax.Node) ([]restoredSection, bool) {
	if len(keys) != 1 {
		return nil, false
	}
	switch {
	case len(pairs) == 2 && pairs[0].Value == "components":
	case len(pairs) == 4 && pairs[0].Value == keys[0] && pairs[2].Value == "components" && keys[0] != "components":
		for sec := range numSections {
			if sectionPaths[sec][0] == keys[0] {
				return nil, false // the entry is a model section (replaced: built whole)
			}
		}
	default:
		return nil, false
	}
	return d.componentsGivenBack(prev, pairs)
}

// componentsGivenBack returns the sections under components, the
// region's last pair, given back to prev, which has no units in any
// (restoredComponents); false when it has.
func (d *Document) componentsGivenBack(prev *Document, pairs []*syntax.Node) ([]restoredSection, bool) {
	for sec := range numSections {
		if sectionPaths[sec][0] == "components" && sec.inVersion(d.Version) && len(prev.runs[sec]) != 0 {
			return nil, false // prev's components had units: not given back (componentsReplaced)
		}
	}
	// (none, maybe: components that holds no model section, given back,
	// has its $refs resolved again and the units that make them rebuilt)
	return d.restoredComponents(pairs)
}

// restoredComponents returns the model sections under components, the
// region's last pair, that have entries, in build order, with how many
// (none, maybe): false when build reads another components key, or a
// section is no mapping with entries nor empty (an alias, a merge, a
// list: left to a full build).
func (d *Document) restoredComponents(pairs []*syntax.Node) ([]restoredSection, bool) {
	k, comp := d.Root.Pair("components")
	if k != pairs[len(pairs)-2] || comp.Kind != syntax.MappingNode || hasMergeKey(comp) {
		return nil, false // another components key is read, or none
	}
	var out []restoredSection
	for sec := range numSections {
		sp := sectionPaths[sec]
		if sp[0] != "components" || !sec.inVersion(d.Version) {
			continue
		}
		v := d.sectionMap(sec)
		if v == nil || v.Kind == syntax.ScalarNode || v.Kind == syntax.MappingNode && len(v.Content) == 0 {
			continue // no units
		}
		n := restoredEntries(v)
		if n == 0 {
			return nil, false // an alias, a merge, a list: left to a full build
		}
		out = append(out, restoredSection{sec, n})
	}
	return out, true
}

// componentsReplaced reports whether the region is the components entry
// re-parsed with the sections under it (a comment or a tag after
// `components:`, a JSON member typed right after its '{'): every model
// section under it that had units drops them (drop, as componentsDrop's)
// and every one that has entries now gets them back (as componentsBack's),
// each as a block, under both bounds (rebuildUnits).
func (d *Document) componentsReplaced(prev *Document, keys []string, pairs []*syntax.Node) (drop [numSections]bool, back []restoredSection, ok bool) {
	if len(keys) != 1 || keys[0] != "components" || len(pairs) != 2 || pairs[0].Value != "components" {
		return drop, nil, false
	}
	for sec := range numSections {
		if sectionPaths[sec][0] == "components" && sec.inVersion(d.Version) && len(prev.runs[sec]) > 0 {
			drop[sec], ok = true, true
		}
	}
	if !ok {
		return drop, nil, false // nothing to replace (componentsBack)
	}
	back, ok = d.restoredComponents(pairs)
	return drop, back, ok
}

// restoredCount returns the entries given back to section sec (0 when
// it is not given back).
func restoredCount(rs []restoredSection, sec section) int {
	for _, r := range rs {
		if r.sec == sec {
			return r.n
		}
	}
	return 0
}

// blockRestore reports whether the region is the entry of a model section
// that had no units (its key line broken: blockDrop) and now has n
// entries: the edit that fixes the key line (`channels:x` back to
// `channels:`, a quote or bracket closed or deleted). Its units come back
// as a block added, and the units that $ref into it (or, for root
// servers, name one, or run on every server) are checked again; the
// inverse of blockDrop, under the same bound (rebuildUnits). Not a
// section of component schemes (see keylessDropsUnit).
//
// Its colon typed back (the edit that undoes a colon deleted) is another
// shape: the section's keyless text had joined the entry before it, whose
// region now becomes that entry and the section's (sectionKeyBack).
func (d *Document) blockRestore(prev *Document, keys []string, pairs []*syntax.Node) (section, int, bool) {
	if sec, n, ok := d.sectionKeyBack(prev, keys, pairs); ok {
		return sec, n, true
	}
	for sec := range numSections {
		sp := sectionPaths[sec]
		if !sec.inVersion(d.Version) || !slices.Equal(keys, sp) || len(prev.runs[sec]) != 0 {
			continue
		}
		if len(pairs) == 2 && pairs[0].Value == sp[len(sp)-1] {
			if n := restoredEntries(pairs[1]); n > 0 {
				return sec, n, true
			}
		}
		return 0, 0, false
	}
	return 0, 0, false
}

// sectionKeyBack reports whether the region, the entry at keys, became
// a model section that prev does not have, with n entries: either itself
// (same key) and the section (the section's key had lost its colon: its
// text was part of this entry), or the section alone (its key typed back
// from one that names no section: sectionKeyRenamed). The entry must hold
// no model section nor lead to one (info, components.messages): its own
// units would be rebuilt too (left to a full build).
func (d *Document) sectionKeyBack(prev *Document, keys []string, pairs []*syntax.Node) (section, int, bool) {
	switch {
	case len(pairs) == 4 && pairs[0].Value == keys[len(keys)-1]:
		pairs = pairs[2:]
	case len(pairs) == 2 && pairs[0].Value != keys[len(keys)-1]:
	default:
		return 0, 0, false
	}
	for sec := range numSections {
		sp := sectionPaths[sec]
		if sec.inVersion(d.Version) && len(sp) >= len(keys) && slices.Equal(sp[:len(keys)], keys) {
			return 0, 0, false // the entry holds a model section
		}
	}
	for sec := range numSections {
		sp := sectionPaths[sec]
		if !sec.inVersion(d.Version) || len(sp) != len(keys) || !slices.Equal(sp[:len(sp)-1], keys[:len(keys)-1]) ||
			pairs[0].Value != sp[len(sp)-1] || len(prev.runs[sec]) != 0 {
			continue
		}
		parent := prev.Root
		for _, k := range sp[:len(sp)-1] {
			parent = parent.Key(k)
		}
		if k, _ := parent.Pair(sp[len(sp)-1]); k != nil {
			return 0, 0, false // prev has the section's key (another one)
		}
		if n := restoredEntries(pairs[1]); n > 0 {
			return sec, n, true
		}
		return 0, 0, false
	}
	return 0, 0, false
}

// restoredEntries returns how many units a section's new value gives back:
// its entries when it is a mapping (not an alias), with those its merge
// keys bring in from inline mappings (sectionUnits); 0 otherwise.
func restoredEntries(v *syntax.Node) int {
	if v.Kind != syntax.MappingNode {
		return 0
	}
	units, _ := sectionUnits(v)
	return len(units) / 2
}

// restoredBlock is what addRestored built: the first key and last value of
// the section given back, the runs of each of its entries, and where they
// start and end in the document's slices.
type restoredBlock struct {
	k, v       *syntax.Node
	grown      []unitRuns
	start, end [numSlices]int32
}

// addRestored adds to d, whose slices hold prev's objects up to cursor,
// the units of the n entries of section sec given back (blockRestore),
// after prev's objects of the units before them; false when the new tree's
// section is not those n entries, or an entry is a $ref (its model would
// be read through it: left to a full build, as for a rebuilt unit).
func (d *Document) addRestored(prev *Document, sec section, n int, cursor *[numSlices]int32, refs func(yield func(*Ref) bool)) (restoredBlock, bool) {
	at := prev.restoreAt(sec)
	for sl := range numSlices {
		// (past the section's own units when they were dropped with it:
		// componentsReplaced)
		if at[sl] > cursor[sl] {
			d.copyRun(prev, sl, cursor[sl], at[sl])
			cursor[sl] = at[sl]
		}
	}
	m := d.sectionMap(sec).Resolve()
	if m == nil || m.Kind != syntax.MappingNode {
		return restoredBlock{}, false
	}
	units, _ := sectionUnits(m)
	if len(units) != 2*n {
		return restoredBlock{}, false
	}
	out := restoredBlock{start: d.lens()}
	// An inline scheme another unit made of a $ref target after these:
	// they come first now, so one of them makes it (madeLater).
	d.entry.inlineFrom = at[slInline]
	for q := 0; q < n; q++ {
		k, v := units[2*q], units[2*q+1]
		if !d.restoredRefOK(sec, k, v, refs) {
			return restoredBlock{}, false
		}
		qs := d.lens()
		d.addUnit(sec, k, v)
		out.grown = append(out.grown, spanOf(qs, d.lens()))
	}
	out.k, out.v, out.end = m.Content[0], m.Content[len(m.Content)-1], d.lens()
	return out, true
}

// schemesBack reports whether the region gives component schemes back
// as a block (blockRestore): as for schemes dropped (every one's
// signature changed), the operations rebuilt are checked again, not
// relinked (their audits read their servers' schemes).
func schemesBack(u *regionChange, changed unitID) bool {
	return len(u.restores) > 0 && u.restores[0].sec == secSchemes
}

// serversBack reports whether the region gives root servers back as a
// block: the operations rebuilt because they run on every root server
// (rebuildUnits) are checked again, not relinked, as their audits read
// servers that have no previous version to compare (appendServerSig).
func serversBack(u *regionChange) bool {
	return restoredCount(u.restores, secServers) > 0
}

// restoreAt returns where the units of section sec, which has none, go in
// each slice: after the last unit of the sections built before it (units
// make every object of the slices, in build order).
func (d *Document) restoreAt(sec section) [numSlices]int32 {
	for s := sec; s > 0; s-- {
		if r := d.runs[s-1]; len(r) > 0 {
			var at [numSlices]int32
			for sl := range numSlices {
				at[sl] = r[len(r)-1][sl][1]
			}
			return at
		}
	}
	return [numSlices]int32{}
}

// mergesIn reports whether n is a mapping that merges entries in.
func mergesIn(n *syntax.Node) bool {
	m := n.Resolve()
	return m != nil && m.Kind == syntax.MappingNode && hasMergeKey(m)
}

// sectionUnits returns the entries of the section mapping m that build
// makes units of, in its order (pairsMerged: the keys m writes, then those
// its merge keys bring in), keys and values alternating: m's pairs when it
// merges none in. False when a merge key's value is not an inline mapping
// nor a list of them (an alias, whose entries are elsewhere in the text:
// left to a full build).
func sectionUnits(m *syntax.Node) ([]*syntax.Node, bool) {
	if !hasMergeKey(m) {
		return m.Content, true
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			continue
		}
		for _, src := range mergeSources(m.Content[i+1]) {
			if src.Kind != syntax.MappingNode {
				return nil, false
			}
		}
	}
	out := make([]*syntax.Node, 0, len(m.Content))
	pairsMerged(m, func(k, v *syntax.Node) { out = append(out, k, v) })
	return out, true
}

// hasMergeKey reports whether the mapping m merges entries in (`<<`):
// build reads its entries through them (pairsMerged).
func hasMergeKey(m *syntax.Node) bool {
	for i := 0; i < len(m.Content); i += 2 {
		if isMergeKey(m.Content[i]) {
			return true
		}
	}
	return false
}

// blockNames adds to names the keys of m, a section dropped or given
// back as a block (schemes dropped, root servers given back): as for one
// unit renamed, the units that name any of them, and those whose
// undefined-scheme or undefined-server errors list the names, are checked
// again.
func blockNames(m *syntax.Node, names map[string]bool) map[string]bool {
	pairsMerged(m, func(k, _ *syntax.Node) { names[k.Value] = true })
	return names
}

// refValueEdit reports whether the region is the value of a $ref: the
// entry $ref of a mapping that has no other, replaced by one entry $ref.
func refValueEdit(lv syntax.Level, pairs []*syntax.Node) bool {
	if lv.Map.Content[2*lv.Index].Value != "$ref" || len(pairs) != 2 || pairs[0].Kind != syntax.ScalarNode || pairs[0].Value != "$ref" {
		return false
	}
	n := 0
	for i := 0; i < len(lv.Map.Content); i += 2 {
		if lv.Map.Content[i].Value == "$ref" {
			n++
		}
	}
	return n == 1
}

// holderOf finds the mapping of d's tree that holds the key node key,
// going down by offsets from the root; nil when it is not found.
func (d *Document) holderOf(key *syntax.Node) *syntax.Node {
	at := d.R(key).Start
	cur := d.Root
	for cur != nil { // one level down a step (an alias is not followed)
		var next *syntax.Node
		switch cur.Kind {
		case syntax.MappingNode:
			for i := 0; i < len(cur.Content); i += 2 {
				if cur.Content[i] == key {
					return cur
				}
				if r := d.R(cur.Content[i+1]); next == nil && r.Start <= at && at < r.End {
					next = cur.Content[i+1]
				}
			}
		case syntax.SequenceNode:
			for _, v := range cur.Content {
				if r := d.R(v); r.Start <= at && at < r.End {
					next = v
					break
				}
			}
		}
		cur = next
	}
	return nil
}

// holderPath is the raw path (rawPath) of the mapping n in d's tree, found
// by its offset: the keys and item indexes from the root down to it.
func (d *Document) holderPath(n *syntax.Node) string {
	return rawPath(d.holderTokens(n)...)
}

// holderTokens is holderPath as tokens. n holds a $ref key, so neither it
// nor any node above it has an empty range.
func (d *Document) holderTokens(n *syntax.Node) []string {
	at := d.R(n).Start
	var tokens []string
	cur := d.Root
	for cur != nil && cur != n { // one level down a step (an alias is not followed)
		var next *syntax.Node
		switch cur.Kind {
		case syntax.MappingNode:
			for i := 0; i < len(cur.Content); i += 2 {
				if v := cur.Content[i+1]; d.R(v).Start <= at && at < d.R(v).End {
					tokens, next = append(tokens, cur.Content[i].Value), v
					break
				}
			}
		case syntax.SequenceNode:
			for i, v := range cur.Content {
				if d.R(v).Start <= at && at < d.R(v).End {
					tokens, next = append(tokens, strconv.Itoa(i)), v
					break
				}
			}
		}
		cur = next
	}
	return tokens
}

// linkedUnits returns the units that hold an anchor or an alias; false
// when a section, or a mapping on the way to it, is anchored or aliased,
// or a section merges entries in.
func (d *Document) linkedUnits(secMaps [numSections]*syntax.Node) ([]unitID, bool) {
	var out []unitID
	for sec, m := range secMaps {
		if m == nil {
			continue
		}
		n := d.Root
		for _, k := range sectionPaths[sec] {
			if linked(n, false) {
				return nil, false
			}
			n = n.Key(k)
		}
		if linked(m, false) {
			return nil, false
		}
		if m.Kind != syntax.MappingNode {
			continue
		}
		for i := 0; i < len(m.Content); i += 2 {
			if m.Content[i].Value == "<<" {
				return nil, false // entries merged into the section
			}
			if linked(m.Content[i], true) || linked(m.Content[i+1], true) {
				out = append(out, unitID{section(sec), i / 2})
			}
		}
	}
	return out, true
}

// linked reports whether n (with deep, a node under it) is an alias or
// has an anchor.
func linked(n *syntax.Node, deep bool) bool {
	if n == nil {
		return false
	}
	if n.Kind == syntax.AliasNode || n.Anchor() != "" || n.Alias() != nil {
		return true
	}
	if deep {
		for _, c := range n.Content {
			if linked(c, true) {
				return true
			}
		}
	}
	return false
}

// renamed returns keys with its last element replaced by each new key.
func renamed(keys, newKeys []string) [][]string {
	var out [][]string
	for _, nk := range newKeys {
		if nk != keys[len(keys)-1] {
			v := slices.Clone(keys)
			v[len(v)-1] = nk
			out = append(out, v)
		}
	}
	return out
}

// unitOf is unitAt for the place of node n of the previous version; a
// node of another file is in no unit (its unit is a $ref: rebuilding it
// is left to a full build).
func (d *Document) unitOf(secMaps [numSections]*syntax.Node, n *syntax.Node) (unitID, bool) {
	if syntax.FileOf(n) != 0 {
		return unitID{}, false
	}
	return d.unitAt(secMaps, d.shifts.R(n).Start)
}

// unitHint is the last unit unitAtHint found (none in a section that
// merges entries in, whose pairs are not its units).
type unitHint struct {
	id unitID
	ok bool
}

// unitAtHint is unitAt for offsets asked in text order (the $refs a scan
// finds, the diagnostics, the operations): each is looked for first in
// the unit the last one was in, then in the next, without a search. (A
// section's pairs do not overlap, nor do the sections: the pair that
// holds p is the one unitAt finds.)
func (d *Document) unitAtHint(secMaps [numSections]*syntax.Node, p int, h *unitHint) (unitID, bool) {
	if h.ok {
		c := secMaps[h.id.sec].Resolve().Content
		for i := h.id.i; i <= h.id.i+1 && 2*i+1 < len(c); i++ {
			if p >= d.R(c[2*i]).Start && p < d.R(c[2*i+1]).End {
				h.id.i = i
				return h.id, true
			}
		}
	}
	id, ok := d.unitAt(secMaps, p)
	h.id, h.ok = id, ok && !d.merges[id.sec]
	return id, ok
}

// unitOfHint is unitOf through unitAtHint, for a channel's key: always
// the document's own text (addUnit: a section's key; no other file's
// channel is in Channels or ComponentChannels).
func (d *Document) unitOfHint(secMaps [numSections]*syntax.Node, n *syntax.Node, h *unitHint) (unitID, bool) {
	return d.unitAtHint(secMaps, d.shifts.R(n).Start, h)
}

// unitAt returns the unit whose entry holds offset p of the previous text.
func (d *Document) unitAt(secMaps [numSections]*syntax.Node, p int) (unitID, bool) {
	for sec, m := range secMaps {
		m = m.Resolve()
		if m == nil || m.Kind != syntax.MappingNode || len(m.Content) < 2 {
			continue
		}
		n := len(m.Content) / 2
		if p < d.R(m.Content[0]).Start || p >= d.R(m.Content[len(m.Content)-1]).End {
			// (before its first key or after its last value, which ends
			// after every other: the search below finds no pair either)
			continue
		}
		i := sort.Search(n, func(j int) bool { return d.R(m.Content[2*j]).Start > p }) - 1
		if i < 0 {
			continue
		}
		if p < d.R(m.Content[2*i+1]).End { // a value never ends before its key, even an empty one
			if d.merges[sec] {
				// (its pairs are not its units)
				return d.mergedUnitAt(section(sec), m, i, p)
			}
			return unitID{section(sec), i}, true
		}
	}
	return unitID{}, false
}

// mergedUnitAt is unitAt in section sec, which merges entries in (m is
// its mapping, pair i holds offset p): the unit whose entry, written or
// merged in, holds p, by its index in build order (mergeIdx). An entry
// merged in that a written key shadows makes no unit: p is in none, as
// in info. Without the index (a merge from elsewhere: sectionUnits) the
// section's first unit, which rebuildUnits rebuilds only with the whole
// section (mergeUnit).
func (d *Document) mergedUnitAt(sec section, m *syntax.Node, i, p int) (unitID, bool) {
	idx := d.mergeIdx[sec]
	if idx == nil {
		return unitID{sec, 0}, true
	}
	k := m.Content[2*i]
	written := !isMergeKey(k)
	if !written {
		k = nil
		for _, src := range mergeSources(m.Content[2*i+1]) {
			if r := d.R(src); p < r.Start || p >= r.End || len(src.Content) < 2 {
				continue
			}
			n := len(src.Content) / 2
			j := sort.Search(n, func(j int) bool { return d.R(src.Content[2*j]).Start > p }) - 1
			if j >= 0 && p < d.R(src.Content[2*j+1]).End {
				k = src.Content[2*j]
			}
			break
		}
	}
	x, ok := idx.unit(k)
	if !ok && written {
		// every written key is a unit (pairsMerged): the index is not
		// this tree's
		panic("mergeIdx: a written key of a section that merges entries in has no unit")
	}
	return unitID{sec, x}, ok
}

// mergedPairAt returns the key and value, in d's tree, of the entry of
// section sec that levels (prev's, from the section's mapping down) lead
// to, as mergedChanged reads them: the pair at the same place.
func (d *Document) mergedPairAt(sec section, levels []syntax.Level) (k, v *syntax.Node) {
	m := d.sectionMap(sec).Resolve()
	if i := levels[0].Index; isMergeKey(m.Content[2*i]) {
		m = m.Content[2*i+1]
		levels = levels[1:]
	}
	return m.Content[2*levels[0].Index], m.Content[2*levels[0].Index+1]
}

// mergedChanged returns the build-order index of the unit of section sec
// (which merges entries in) that holds the region, given the levels from
// the section's mapping down: a written entry, or one merged in from a
// block mapping (`<<:` with the entries below it), whose key the region's
// pairs keep (name: its key, the token a $ref names it by, when merged
// in). False when the region is the merge key's entry, an entry no unit
// is made of (shadowed), or renames or adds entries merged in.
func (d *Document) mergedChanged(levels []syntax.Level, pairs []*syntax.Node, sec section) (i int, name string, ok bool) {
	l := levels[0]
	k := l.Map.Content[2*l.Index]
	if isMergeKey(k) {
		if len(levels) < 2 { // (levels[1] is then in its value, a block mapping)
			return 0, "", false
		}
		k = levels[1].Map.Content[2*levels[1].Index]
		if len(levels) == 2 && (len(pairs) != 2 || !syntax.SameKey(k, pairs[0])) {
			return 0, "", false
		}
		name = k.Value
	}
	i, ok = d.mergeIdx[sec].unit(k)
	return i, name, ok
}

// mergeIndex maps the unit key nodes of a section that merges entries
// in, from inline mappings, to their indexes in build order (unitAt):
// base, made from a tree, and over, the key nodes the unit rebuilds since
// re-parsed in place (with), which name the same units (base's old ones
// are in no later tree). Past maxMergeOver it is made again.
type mergeIndex struct {
	base, over map[*syntax.Node]int
}

// maxMergeOver bounds a mergeIndex's overlay.
const maxMergeOver = 64

// newMergeIndex returns the index of the section mapping m: nil unless it
// merges entries in from inline mappings (sectionUnits).
func newMergeIndex(merges bool, m *syntax.Node) *mergeIndex {
	if !merges {
		return nil
	}
	units, ok := sectionUnits(m.Resolve())
	if !ok {
		return nil
	}
	x := &mergeIndex{base: make(map[*syntax.Node]int, len(units)/2)}
	for i := 0; i < len(units); i += 2 {
		x.base[units[i]] = i / 2
	}
	return x
}

// unit returns the index of the unit whose key node is k.
func (x *mergeIndex) unit(k *syntax.Node) (int, bool) {
	if i, ok := x.over[k]; ok {
		return i, true
	}
	i, ok := x.base[k]
	return i, ok
}

// units is how many units the section has.
func (x *mergeIndex) units() int { return len(x.base) }

// with returns x with key node k naming unit i (a copy: x is a previous
// version's), or the index of m, the section mapping that holds k, made
// again when the overlay is full.
func (x *mergeIndex) with(m, k *syntax.Node, i int) *mergeIndex {
	if j, ok := x.unit(k); ok && j == i {
		return x
	}
	if len(x.over) >= maxMergeOver {
		return newMergeIndex(true, m)
	}
	over := make(map[*syntax.Node]int, len(x.over)+1)
	for n, j := range x.over {
		over[n] = j
	}
	over[k] = i
	return &mergeIndex{base: x.base, over: over}
}

// applyRebuild rebuilds the units of rebuild and the $refs of again (and
// of the region) into d; kept are those of again that land on a forwarded
// scheme in units kept whole.
func (d *Document) applyRebuild(u *regionChange, secMaps [numSections]*syntax.Node, rebuild, forced map[unitID]bool, again map[int]bool, kept []int, ra, rb int, lead []*Ref, changed unitID, inUnit bool, grow, blockLen int) (ok bool) {
	// inBlock: the unit is one the region replaces (the changed one, or
	// a section's units dropped as a block: blockDrop).
	inBlock := func(id unitID) bool {
		return inUnit && id.sec == changed.sec && id.i >= changed.i && id.i < changed.i+blockLen || u.dropped[id.sec]
	}
	prev := u.prev
	pl := prev.shifts
	base := len(d.Diagnostics)
	defer func() {
		if !ok { // leave nothing behind for the full build
			d.clearModel(base)
			d.entry, d.ext, d.far = nil, nil, nil
		}
	}()
	var farRefsGone map[*syntax.Node]*Ref // other files' $refs met under the replaced ones' targets
	if prev.ext != nil {
		d.ext = prev.ext.clone()
		var why string
		if farRefsGone, why = prev.farRefsUnder(ra, rb, u.cover); why != "" {
			return d.noReuse(why)
		}
		d.dropFarRefs(farRefsGone)
	}
	d.far = prev.far
	ids := make([]unitID, 0, len(rebuild))
	for id := range rebuild {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b unitID) int { return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.i, b.i)) })

	// The old text of each rebuilt unit, and its $refs in prev.Refs.
	olds := make([]unitSpan, len(ids))
	var oldTargets []*syntax.Node // those of the rebuilt units that were $refs
	refStart := func(i int) int { return pl.R(prev.Refs[i].Holder).Start }
	for j, id := range ids {
		mk, mv := u.unitPair(secMaps, id)
		if r := prev.refAt(mv.Resolve()); r != nil {
			// Its model was read through the $ref, which may have claimed
			// $refs elsewhere: nothing here would take those claims back,
			// unless it leads into another file alone (refUnitAlone).
			if why := prev.refUnitAlone(slices.Values(prev.Refs), r, unitPath(id.sec, mk.Value), r.Resolved, prev.ext, u.cover.coveredTargets(), "a rebuilt unit was a $ref"); why != "" {
				return d.noReuse(why)
			}
			if r.Resolved != nil {
				oldTargets = append(oldTargets, r.Resolved)
			}
		}
		s, e := pl.R(mk).Start, max(pl.R(mv).End, pl.R(mk).End)
		// The entries of a section follow each other in the text, and so
		// do their $refs: search on from the previous unit's. (Not those
		// a merge key brings in: pairsMerged visits them last.)
		from := 0
		if j > 0 && ids[j-1].sec == id.sec && !prev.merges[id.sec] {
			from = olds[j-1].rb
		}
		a := gallop(from, len(prev.Refs), func(i int) bool { return refStart(i) >= s })
		b := gallop(a, len(prev.Refs), func(i int) bool { return refStart(i) >= e })
		olds[j] = unitSpan{s, e, a, b}
	}
	sh := u.srvDepSpans(secMaps) // the shared units (srvlook.go), not in ids

	// The $refs: fresh ones for the region, copies for those of rebuilt
	// units (their claims are made again) and for those resolved again.
	lv := u.levels[len(u.levels)-1]
	fresh := lead
	for _, n := range u.pairs {
		fresh = append(fresh, collectRefs(n)...)
	}
	copyOf := make(map[int]*Ref, len(again))
	// inRebuilt: the $ref is in a unit whose checks run again (the changed
	// unit, and below the dependents that cannot be relinked).
	inRebuilt := make([]bool, len(prev.Refs))
	for j, o := range olds {
		if inBlock(ids[j]) {
			for i := o.ra; i < o.rb; i++ {
				inRebuilt[i] = true
			}
		}
	}
	// The $refs held in covered targets are copied before any unit is
	// built: the units that are $refs to them, built first, point to the
	// copies; the units that read them claim them again.
	refsIn := u.cover.refsIn
	for j, id := range ids {
		if slices.Contains(u.cover.units, id) {
			for i := olds[j].ra; i < olds[j].rb; i++ {
				refsIn = append(refsIn, i)
			}
		}
	}
	for _, i := range refsIn {
		if i < ra || i >= rb {
			inRebuilt[i] = true
		}
	}
	own := make(map[*Ref]bool, len(fresh))
	var resolve []*Ref
	d.refOver = cloneMap(prev.refOver, len(fresh)+len(again))
	for _, r := range fresh {
		own[r] = true
	}
	resolve = append(resolve, fresh...)
	for i, r := range prev.Refs {
		if i >= ra && i < rb || !inRebuilt[i] && !again[i] {
			continue
		}
		c := r.copyForRebuild()
		if !inRebuilt[i] {
			c.claimed = r.claimed // kept unless its unit is checked again
		}
		copyOf[i] = c
		d.refOver[r.Holder] = c
		if inRebuilt[i] {
			own[c] = true
		}
		if again[i] {
			resolve = append(resolve, c)
		}
	}
	d.resolveOver(prev, u, fresh, resolve)
	// Those that leave the document are followed on (followExternal).
	extChanged := prev.refsLeadOut(ra, rb, again)
	for _, r := range resolve {
		if next := d.refAt(r.Resolved); !r.Local || next != nil && !next.Local {
			d.follow(r, 0)
			extChanged = true
		}
	}
	if againReachesDropped(resolve[len(fresh):], farRefsGone, u.cover) {
		return d.noReuse("a $ref resolved again lands where another file's $refs were forgotten")
	}
	refsNow := d.refsAfterRebuild(prev, fresh, copyOf, ra, rb)
	// What the index of $refs by target (reftargets.go) does not know yet.
	d.targetsSince = prev.targetsSince[:len(prev.targetsSince):len(prev.targetsSince)]
	for _, r := range fresh {
		d.targetsSince = appendTargets(d.targetsSince, r)
	}
	for i, c := range copyOf {
		if !slices.Equal(c.via, prev.Refs[i].via) {
			d.targetsSince = appendTargets(d.targetsSince, c)
		}
	}

	// The model: prev's runs, with the rebuilt units' runs made again.
	d.schemeByNode, d.serverByNode, d.channelByNode = prev.schemeByNode, prev.serverByNode, prev.channelByNode
	d.schemeOver = cloneMap(prev.schemeOver, 4)
	d.serverOver = cloneMap(prev.serverOver, 4)
	d.channelOver = cloneMap(prev.channelOver, 4)
	// A rebuilt server's node no longer finds the previous version's
	// object (which an earlier rebuild may have put in the overlay, where
	// setServerFirst would take it for a server that came first): nil
	// holds its place until the rebuild sets it again.
	for _, id := range ids {
		runs := prev.runs[id.sec][id.i]
		for _, o := range prev.Servers[runs[slServers][0]:runs[slServers][1]] {
			if o.Node != nil && prev.serverAt(o.Node) == o {
				d.serverOver[o.Node] = nil
			}
		}
	}
	d.forgetRefTargets(prev, oldTargets)
	d.runs = prev.runs
	d.Servers = make([]*Server, 0, len(prev.Servers))
	d.Channels = make([]*Channel, 0, len(prev.Channels))
	d.Operations = make([]*Operation, 0, len(prev.Operations))
	d.Schemes = make([]*Scheme, 0, len(prev.Schemes))
	d.Traits = make([]*Trait, 0, len(prev.Traits))
	d.securities = make([]*securitySite, 0, len(prev.securities))
	d.Inline = make([]*Scheme, 0, len(prev.Inline))
	d.entry = &entryRebuild{refs: own, prevInline: prev.Inline, farGone: farRefsGone, prev: prev, covered: u.cover.coveredTargets()}
	d.entry.inline, d.entry.shared = d.ownInline(prev, ids, olds, u.cover)
	var cursor [numSlices]int32
	newMaps := [numSections]*syntax.Node{}
	var newUnits [numSections][]*syntax.Node // their units' keys and values (sectionUnits)
	type newUnit struct {
		k, v     *syntax.Node // its first key and last value
		runs     unitRuns     // its runs in d (all the entries it became)
		checked  bool         // its checks ran again (else it was relinked)
		relinked bool         // its objects were copied (relink.go), not built
		srvCheck bool         // relinked, with its server checks run again (srvdep.go)
		diags    [2]int       // its diagnostics in d.Diagnostics
	}
	var delta [numSlices]int32   // how far the runs after the changed unit moved
	var inlineMoved []inlineMove // dependents that made more or fewer inline schemes
	var grown []unitRuns         // the runs of the entries the changed unit became
	news := make([]newUnit, len(ids))
	sigChanged := map[*Scheme]bool{} // rebuilt schemes whose users' checks may change
	// the rebuilt schemes, to their new versions: a 2.x requirement that
	// names one reads its scopes (scopesReread)
	newSchemes := map[*Scheme]*Scheme{}
	freshSchemes := map[*Scheme]bool{} // made by a unit that made more or fewer schemes
	// a rebuilt server, channel or trait changed what operations' audits
	// read (a shared channel's servers are looked up again: they may)
	serverSigChanged := len(sh.ids) > 0
	nChecked, nDropped := 0, 0
	limit := maxRecheck(prev.unitCount())
	farOwn := false // d.far is a copy of prev.far
	// the diagnostics the checked units' objects made in other files
	// (markFar), and those objects
	var oldFar []syntax.Diagnostic
	farGone := map[any]bool{}
	var sig sigBufs
	// Dependents are relinked (relink.go) unless the region renamed or
	// added an entry: then names and positions may find other objects.
	relinked := 0
	rlOff := grow != 0 || len(u.pairs) != 2 || !syntax.SameKey(lv.Map.Content[2*lv.Index], u.pairs[0])
	// (unless only the root servers moved, or were replaced as a block:
	// srvdep.go)
	srvAgain := (rlOff || blockLen > 1) && serversAgain(u, changed, inUnit) && !prev.serversHoldRef() && !d.serversHoldRef()
	rl := newRelinker(prev, d, rlOff && !srvAgain)
	rl.serversAgain = srvAgain
	copied, srvChecked := 0, 0 // dependents copied and checked (srvdep.go)
	d.srvLists = prev.srvLists // (cloned when a unit is shared: shareServerDeps)
	// srvOnly: the units rebuilt change nothing a dependent's checks
	// read but the servers (srvdep.go: serverChecksOnly)
	srvOnly := srvAgain && serverChecksOnly(prev, d, u, ids)
	// The units of the sections given back (u.restores), each added when
	// the rebuilt units reach a later section.
	var restored []newUnit
	var restoredGrown [][]unitRuns
	var restoredDelta [][numSlices]int32
	addRestored := func(before section) bool {
		for len(restored) < len(u.restores) && u.restores[len(restored)].sec < before {
			r := u.restores[len(restored)]
			nu, ok := d.addRestored(prev, r.sec, r.n, &cursor, refsNow)
			if !ok {
				return false
			}
			var delta [numSlices]int32
			for sl := range numSlices {
				delta[sl] = nu.end[sl] - nu.start[sl]
			}
			restoredGrown, restoredDelta = append(restoredGrown, nu.grown), append(restoredDelta, delta)
			restored = append(restored, newUnit{k: nu.k, v: nu.v, runs: spanOf(nu.start, nu.end), checked: true})
		}
		return true
	}
	for j, id := range ids {
		if !addRestored(id.sec) {
			return d.noReuse("a section given back changed its entries")
		}
		if newMaps[id.sec] == nil {
			newMaps[id.sec] = d.sectionMap(id.sec).Resolve()
			if m := newMaps[id.sec]; m != nil && m.Kind == syntax.MappingNode {
				newUnits[id.sec] = m.Content
				if d.merges[id.sec] {
					units, ok := sectionUnits(m)
					if !ok {
						return d.noReuse("a model section merges entries in from elsewhere")
					}
					newUnits[id.sec] = units
				}
			}
		}
		m, mu := newMaps[id.sec], newUnits[id.sec]
		ni, want := id.i, 2*len(prev.runs[id.sec])
		if inUnit && id.sec == changed.sec {
			want += 2 * grow
			if id.i >= changed.i+blockLen {
				ni += grow
			}
		}
		if u.dropped[id.sec] {
			want = 0 // dropped with components (componentsDrop)
		}
		if n := restoredCount(u.restores, id.sec); inBlock(id) && n > 0 {
			want = 2 * n // dropped and given back (componentsReplaced)
		}
		// dropped: the changed unit left its section (grow -1), or its
		// section's units were dropped as a block; it has no entry in the
		// new tree (ni may be out of range)
		dropped := inBlock(id) && (blockLen > 1 || grow < 0 || u.dropped[id.sec])
		entries := len(mu)                           // a section with no mapping has none
		if m == nil && want > 0 || entries != want { // then ni is in range (unless dropped): 2*ni+1 < want
			return d.noReuse("a section changed its entries")
		}
		var k, v *syntax.Node
		if !dropped {
			k, v = mu[2*ni], mu[2*ni+1]
			if why := d.refUnitNow(v, id.sec, k, refsNow, u.cover.coveredTargets()); why != "" {
				return d.noReuse(why)
			}
		}
		runs := prev.runs[id.sec][id.i]
		checked := inBlock(id)
		_, pv := u.unitPair(secMaps, id)
		compOp := prev.compOpOf(id, pv)
		opsStale := !id.sec.relinkable(d.Version) && (len(sigChanged) > 0 || serverSigChanged || schemesBack(u, changed) || serversBack(u))
		// (in serversAgain mode a unit that is a $ref is built: its
		// channel's servers follow the component's rule)
		copyable := !rl.serversAgain || prev.refAt(pv.Resolve()) == nil
		copyCheck := false // copied, then checked (srvdep.go)
		srvCheck := false  // copied (relinked), its server checks run again (srvdep.go)
		if !checked && (opsStale || forced[id] || !d.relinkable(prev, runs, olds[j].ra, olds[j].rb, copyOf, sigChanged, newSchemes, rl.unread(runs, compOp))) {
			// (canRelink implies relinkable's test of the $refs but the
			// channel server $refs, and sigChanged is empty: srvOnly)
			srvCheck = srvOnly && copyable && !u.coverForced[id] && !prev.farUnit(runs) && serverReader(runs) &&
				rl.canRelink(runs, olds[j].ra, olds[j].rb, copyOf, compOp)
			copyCheck = !srvCheck && rl.serversAgain && copyable && rl.canRelink(runs, olds[j].ra, olds[j].rb, copyOf, compOp)
		}
		if !checked && !srvCheck && (opsStale || forced[id] || !d.relinkable(prev, runs, olds[j].ra, olds[j].rb, copyOf, sigChanged, newSchemes, rl.unread(runs, compOp))) {
			// Its checks may say something else now: its claims are made
			// again, on copies of its $refs.
			checked = true
			for i := olds[j].ra; i < olds[j].rb; i++ {
				c := copyOf[i]
				if c == nil {
					r := prev.Refs[i]
					c = r.copyForRebuild()
					copyOf[i] = c
				}
				c.claimed = false
				own[c] = true
				inRebuilt[i] = true
			}
			// In order: of a holder's duplicate $ref keys the last one
			// wins, as in resolveRefsIndexed (its copy may be older).
			for i := olds[j].ra; i < olds[j].rb; i++ {
				d.refOver[prev.Refs[i].Holder] = copyOf[i]
			}
		}
		if checked && prev.farUnit(runs) {
			// Its diagnostics relocated from other files are made again:
			// the previous ones are dropped (farKeys).
			oldFar = prev.appendFarOf(oldFar, runs, farGone)
		}
		for sl := range numSlices {
			d.copyRun(prev, sl, cursor[sl], runs[sl][0])
		}
		start := d.lens()
		lastV := v
		isRelinked := false
		d.entry.inlineFrom = runs[slInline][0]
		if inBlock(id) {
			// the entries it became (one when grow is 0, none when it
			// was dropped; the block's others become none)
			for q := 0; id == changed && q < blockLen+grow; q++ {
				qs := d.lens()
				qk, qv := mu[2*(ni+q)], mu[2*(ni+q)+1]
				if why := d.refUnitNow(qv, id.sec, qk, refsNow, u.cover.coveredTargets()); why != "" {
					return d.noReuse(why)
				}
				d.addUnit(id.sec, qk, qv)
				grown = append(grown, spanOf(qs, d.lens()))
				lastV = qv
			}
		} else if copyCheck || srvCheck || !checked && copyable && rl.canRelink(runs, olds[j].ra, olds[j].rb, copyOf, compOp) {
			// (copyCheck and srvCheck: canRelink said so above)
			rl.relink(runs)
			isRelinked = true // (its uses move with the counts)
			switch {
			case srvCheck:
				copied++
				srvChecked++
			case copyCheck:
				copied++
			default:
				relinked++
			}
		} else {
			d.addUnit(id.sec, k, v)
		}
		if !isRelinked {
			// Built again, a unit that made an inline scheme other units
			// share (d.entry.shared) either finds it (which fails:
			// model.go) or no longer names it, and the units that do
			// would make it in a full build.
			for _, o := range prev.Inline[runs[slInline][0]:runs[slInline][1]] {
				if d.entry.shared[o] {
					return d.noReuse("a rebuilt unit made an inline scheme other units share")
				}
			}
		}
		end := d.lens()
		// sameLen: the unit has as many objects of that slice as before,
		// so its old and new objects pair up by position.
		sameLen := func(sl int) bool { return end[sl]-start[sl] == runs[sl][1]-runs[sl][0] }
		for sl := range numSlices {
			if inBlock(id) {
				// The changed unit may make more or fewer objects (an
				// operation whose inline scheme is half typed, a server
				// whose value broke): the runs after it move.
				delta[sl] += (end[sl] - start[sl]) - (runs[sl][1] - runs[sl][0])
			} else if !sameLen(sl) {
				if checked && movable(sl) {
					// (an inline scheme of a $ref target it makes now, or
					// no longer, a site or an operation: inlineMoves)
					inlineMoved = append(inlineMoved, inlineMove{unitID{id.sec, ni}, sl, end[sl] - start[sl] - (runs[sl][1] - runs[sl][0])})
					cursor[sl] = runs[sl][1]
					continue
				}
				return d.noReuse("a dependent unit changed the length of its runs")
			}
			cursor[sl] = runs[sl][1]
		}
		// (the root servers are looked up again, not swapped, when they
		// moved: srvdep.go)
		srvMoved := rl.serversAgain && id.sec == secServers
		if !sameLen(slSchemes) || !sameLen(slServers) && !srvMoved || !sameLen(slChannels) || !sameLen(slTraits) {
			// Their old objects have no new version to swap in: the
			// dependents are built again.
			rl.off = true
		}
		if !rl.off && !srvMoved {
			rl.record(runs, start)
		}
		if !checked && prev.farUnit(runs) {
			// Its diagnostics are kept: its new objects made them.
			if !farOwn {
				d.far, farOwn = cloneMap(prev.far, 8), true
			}
			d.carryFar(prev, runs, start)
		}
		// at: the new object in the place of prev's x-th of slice sl (the
		// runs after a changed unit that grew or shrank have moved).
		at := func(sl int, x int32) int32 { return start[sl] + x - runs[sl][0] }
		if !sameLen(slSchemes) {
			// a scheme added or dropped: the new ones pair with none
			for _, n := range d.Schemes[start[slSchemes]:end[slSchemes]] {
				freshSchemes[n] = true
			}
		}
		for x := runs[slSchemes][0]; x < runs[slSchemes][1]; x++ {
			o := prev.Schemes[x]
			if !sameLen(slSchemes) {
				sigChanged[o] = true
				continue
			}
			n := d.Schemes[at(slSchemes, x)]
			// kept entries that point to an earlier version read this one
			// (Entry)
			key := o
			if o.origin != nil {
				key = o.origin
			}
			n.origin = key
			if d.schemeNow == nil {
				d.schemeNow = cloneMap(prev.schemeNow, 1)
			}
			d.schemeNow[key] = n
			newSchemes[o] = n
			if !sig.same(func(b []byte) []byte { return appendSchemeSig(b, o) }, func(b []byte) []byte { return appendSchemeSig(b, n) }) {
				sigChanged[o] = true
			}
		}
		// A server, trait or channel more or fewer changes what
		// operations' audits read, as a changed one does.
		serverSigChanged = serverSigChanged || !sameLen(slServers) || !sameLen(slTraits) || !sameLen(slChannels)
		for x := runs[slServers][0]; x < runs[slServers][1] && sameLen(slServers); x++ {
			o, n := prev.Servers[x], d.Servers[at(slServers, x)]
			if !sig.same(func(b []byte) []byte { return appendServerSig(b, o) }, func(b []byte) []byte { return appendServerSig(b, n) }) {
				serverSigChanged = true
			}
		}
		for x := runs[slTraits][0]; x < runs[slTraits][1] && sameLen(slTraits); x++ {
			o, n := prev.Traits[x], d.Traits[at(slTraits, x)]
			if !sig.same(func(b []byte) []byte { return appendTraitSig(b, o) }, func(b []byte) []byte { return appendTraitSig(b, n) }) {
				serverSigChanged = true // operations' effective security reads their traits
			}
		}
		for x := runs[slChannels][0]; x < runs[slChannels][1] && sameLen(slChannels); x++ {
			o, n := prev.Channels[x], d.Channels[at(slChannels, x)]
			if !sig.same(func(b []byte) []byte { return prev.appendChannelSig(b, o) }, func(b []byte) []byte { return d.appendChannelSig(b, n) }) {
				serverSigChanged = true // the servers its operations run on
			}
		}
		news[j] = newUnit{k: k, v: lastV, runs: spanOf(start, end), checked: checked, relinked: isRelinked, srvCheck: srvCheck}
		if checked {
			nChecked++
			if dropped {
				nDropped++ // made nothing: it costs nothing to check
			}
			// checking them again would cost about what a full build does
			if nChecked-nDropped > limit {
				return d.noReuse("too many units to check again")
			}
		}
	}
	if !addRestored(numSections) {
		return d.noReuse("a section given back changed its entries")
	}
	for sl := range numSlices {
		d.copyRun(prev, sl, cursor[sl], prev.lens()[sl])
	}
	news = append(news, restored...) // checked below with the rebuilt units
	for i := range u.kept {
		if d.linkedAt(copyOf[i].Resolved) { // (a kept $ref is one resolved again: copied)
			return d.noReuse("a $ref of a kept unit lands on a scheme, server or channel")
		}
	}
	if d.schemeNow == nil {
		d.schemeNow = prev.schemeNow // (never written: each rebuild that adds to it copies it)
	}
	// The shared units' objects were copied with the runs between the
	// rebuilt ones: their channels' servers are looked up again now that
	// every server is built, and their server checks run (srvlook.go).
	if why := d.shareServerDeps(u, secMaps, &sh, rl, srvOnly, copyOf); why != "" {
		return d.noReuse(why)
	}
	if d.entry.bad != "" {
		return d.noReuse("a rebuilt unit depends on something outside it")
	}
	// The runs of the sections given back are inserted in build order,
	// those before the changed unit's section first (their runs are
	// where they are in d: each insertion moves only the runs after it).
	nIns := 0
	insertRestored := func(before section) {
		for ; nIns < len(restored) && u.restores[nIns].sec < before; nIns++ {
			d.runs = shiftRuns(d.runs, unitID{u.restores[nIns].sec, 0}, 0, restoredGrown[nIns], restoredDelta[nIns])
		}
	}
	if u.dropped != ([numSections]bool{}) {
		drop := u.dropped
		drop[changed.sec] = inUnit // (all its units: componentsDrop)
		d.runs = dropRuns(prev.runs, drop)
	} else if grown != nil || inUnit && grow < 0 {
		insertRestored(changed.sec) // (a section replaced after them: colonBackAfterSection)
		d.runs = shiftRuns(d.runs, changed, blockLen, grown, delta)
	}
	insertRestored(numSections)
	if len(inlineMoved) > 0 {
		placed := 0 // (the entries the changed unit became: shiftRuns)
		if u.dropped == ([numSections]bool{}) && (grown != nil || inUnit && grow < 0) {
			placed = len(grown)
		}
		d.runs = inlineMoves(d.runs, inlineMoved, placedRuns(changed, placed, u.restores))
	}
	d.Refs = make([]*Ref, 0, len(prev.Refs)-(rb-ra)+len(fresh))
	copies := make([]*Ref, 0, len(copyOf)) // copyOf's, in the list's order
	for i, r := range prev.Refs {
		if i == ra {
			d.Refs = append(d.Refs, fresh...)
		}
		if i >= ra && i < rb {
			continue
		}
		if c := copyOf[i]; c != nil {
			r = c
			copies = append(copies, c)
		}
		d.Refs = append(d.Refs, r)
	}
	if ra == len(prev.Refs) {
		d.Refs = append(d.Refs, fresh...)
	}
	d.refEdits = prev.refEdits[:len(prev.refEdits):len(prev.refEdits)]
	if rb > ra || len(fresh) > 0 {
		d.refEdits = append(d.refEdits, refEdit{at: ra, removed: rb - ra, added: len(fresh)})
	}
	d.inc.refsComplete = true
	if extChanged && d.ext != nil {
		d.refreshExt()
	}
	d.inc.intoPaths = u.cover.farInto(d, d.extInto(prev, copyOf, again, lead))

	// The rebuilt units' diagnostics, each inside its own entry.
	checksFrom := len(d.Diagnostics)
	d.checkRootSecurity()
	newFar := false // a rebuilt unit reported on another file
	note := func(obj any, at int) {
		if d.noteFar(prev, obj, at, farOwn) {
			farOwn, newFar = true, true
		}
	}
	for j := range news { // (the rebuilt units, then a section given back)
		from := len(d.Diagnostics)
		if news[j].srvCheck {
			d.serverChecks(d, news[j].runs)
			for _, dg := range d.Diagnostics[from:] {
				if fid, _ := splitRange(dg.Range); fid != 0 {
					// On another file (an operation's security there,
					// audited on servers given back): a checked unit's is
					// moved onto the $ref that leads there (noteFar); a unit
					// with the server checks only is no farUnit, whose are.
					return d.noReuse("a unit with the server checks only reported on another file")
				}
			}
			news[j].diags = [2]int{from, len(d.Diagnostics)}
			continue
		}
		if !news[j].checked {
			news[j].diags = [2]int{from, from}
			continue
		}
		runs := news[j].runs
		for _, s := range d.Schemes[runs[slSchemes][0]:runs[slSchemes][1]] {
			at := len(d.Diagnostics)
			d.checkScheme(s)
			note(s, at)
		}
		for _, site := range d.securities[runs[slSites][0]:runs[slSites][1]] {
			at := len(d.Diagnostics)
			d.checkSecurity(site)
			note(site, at)
		}
		for _, s := range d.Inline[runs[slInline][0]:runs[slInline][1]] {
			at := len(d.Diagnostics)
			d.checkScheme(s)
			note(s, at)
		}
		for _, c := range d.Channels[runs[slChannels][0]:runs[slChannels][1]] {
			at := len(d.Diagnostics)
			d.checkChannel(c)
			note(c, at)
		}
		for _, c := range d.ComponentChannels[runs[slCompChannels][0]:runs[slCompChannels][1]] {
			at := len(d.Diagnostics)
			d.checkChannel(c)
			note(c, at)
		}
		for _, s := range d.Servers[runs[slServers][0]:runs[slServers][1]] {
			at := len(d.Diagnostics)
			d.auditServer(s)
			note(s, at)
		}
		for _, op := range d.Operations[runs[slOperations][0]:runs[slOperations][1]] {
			at := len(d.Diagnostics)
			d.auditOperation(op)
			note(op, at)
		}
		news[j].diags = [2]int{from, len(d.Diagnostics)}
	}
	if d.entry.bad != "" {
		return d.noReuse("a rebuilt unit depends on something outside it")
	}
	d.entry = nil
	// Unresolved $refs among the fresh and copied ones, in the list's
	// order: sortKept sorts the diagnostics below, fast when they are
	// nearly sorted already (a block breaks thousands of $refs; in map
	// order they cost more to sort than to make).
	for _, r := range fresh {
		d.checkRefResolved(r)
	}
	for _, c := range copies {
		d.checkRefResolved(c)
	}
	// A unit that is a $ref reports on its target's text, which is
	// covered: every unit that may report there was checked again.
	inCovered := func(p int) bool {
		for _, a := range u.cover.outside {
			if a.Start >= u.at {
				a.Start = a.Start + u.delta
			}
			if a.End >= u.at { // (one that holds the region grows with it)
				a.End = a.End + u.delta
			}
			if p >= a.Start && p < a.End {
				return true
			}
		}
		for j, id := range ids {
			if news[j].k != nil && slices.Contains(u.cover.units, id) && p >= d.R(news[j].k).Start && p < max(d.R(news[j].v).End, d.R(news[j].k).End) {
				return true
			}
		}
		// a covered unit of the block: its entries are the region's
		// (a section replaced before the schemes given back)
		return p >= lv.Start && p < u.at+u.delta && slices.ContainsFunc(u.cover.units, inBlock)
	}
	for j := range news {
		if news[j].k == nil {
			continue // dropped: it made no objects, so no diagnostics
		}
		s, e := d.R(news[j].k).Start, max(d.R(news[j].v).End, d.R(news[j].k).End)
		for _, dg := range d.Diagnostics[news[j].diags[0]:news[j].diags[1]] {
			if id, _ := splitRange(dg.Range); id != 0 {
				continue // on another file: relocated below
			}
			if (dg.Range.Start < s || dg.Range.Start >= e) && !inCovered(dg.Range.Start) {
				return d.noReuse("a diagnostic outside its unit")
			}
		}
	}
	if newFar {
		// Onto the $refs that lead there, as relocate does.
		d.Diagnostics = append(d.Diagnostics[:checksFrom], d.relocateDiagnostics(d.Diagnostics[checksFrom:])...)
	}
	farMade, why := prev.farKeys(oldFar, farGone)
	if why != "" {
		return d.noReuse(why)
	}
	// Related places in other files name their file (as relocate does).
	d.relatedInFiles(d.Diagnostics)

	// Unused schemes: the counts change by what the rebuilt units and the
	// $refs resolved again used before and use now.
	// A relinked unit uses the new versions of the schemes it used: its
	// uses move with the counts and are not replayed; so does a $ref to a
	// forwarded scheme in a kept unit (one use of the old version before,
	// of the new one now).
	var oldSites, newSites []*securitySite
	var inRelinked []bool // by prev.Refs index
	markRelinked := func(i int) {
		if inRelinked == nil {
			inRelinked = make([]bool, len(prev.Refs))
		}
		inRelinked[i] = true
	}
	for _, i := range kept {
		markRelinked(i)
	}
	for _, i := range sh.refs { // (shared: their uses move with the counts, as a relinked unit's)
		markRelinked(i)
	}
	for j, id := range ids {
		runs, nr := prev.runs[id.sec][id.i], news[j].runs
		if news[j].relinked {
			for i := olds[j].ra; i < olds[j].rb; i++ {
				markRelinked(i)
			}
			continue
		}
		oldSites = append(oldSites, prev.securities[runs[slSites][0]:runs[slSites][1]]...)
		newSites = append(newSites, d.securities[nr[slSites][0]:nr[slSites][1]]...)
	}
	for _, r := range restored { // it had no units before
		newSites = append(newSites, d.securities[r.runs[slSites][0]:r.runs[slSites][1]]...)
	}
	oldRefs := slices.Clone(prev.Refs[ra:rb])
	newRefs := slices.Clone(fresh)
	for i, c := range copyOf {
		if inRelinked == nil || !inRelinked[i] {
			oldRefs = append(oldRefs, prev.Refs[i])
			newRefs = append(newRefs, c)
		}
	}
	if len(oldSites)+len(newSites)+len(oldRefs)+len(newRefs) > len(d.securities)+len(d.Refs) {
		// (a block: replayed before and after, they are more than the
		// document's, which a full build replays once)
		d.useCount = d.countUses()
	} else {
		oldUses := prev.replayUses(oldSites, oldRefs)
		newUses := d.replayUses(newSites, newRefs)
		d.useCount = d.rebuiltUseCounts(prev, newSchemes, freshSchemes, oldUses, newUses)
	}
	d.reportUnused()

	// The previous diagnostics that nothing above remade, shifted.
	// Rebuilt units do not overlap; the region may hold them or lie in one.
	type span struct{ s, e int }
	gone := make([]span, 0, len(olds))
	for j, o := range olds {
		if news[j].checked {
			gone = append(gone, span{o.start, o.end})
		}
	}
	for _, a := range u.cover.outside {
		gone = append(gone, span{a.Start, a.End})
	}
	slices.SortFunc(gone, func(a, b span) int { return cmp.Compare(a.s, b.s) })
	// the units whose server checks ran again: their findings of those
	// checks are remade (srvdep.go)
	var srvGone []span
	for j, o := range olds {
		if news[j].srvCheck {
			srvGone = append(srvGone, span{o.start, o.end})
		}
	}
	for _, o := range sh.spans {
		srvGone = append(srvGone, span{o.start, o.end})
	}
	// (by text: the sections are in build order)
	slices.SortFunc(srvGone, func(a, b span) int { return cmp.Compare(a.s, b.s) })
	inSrvGone := func(p int) bool {
		i := sort.Search(len(srvGone), func(i int) bool { return srvGone[i].s > p }) - 1
		return i >= 0 && p < srvGone[i].e
	}
	inGone := func(p int) bool {
		if p >= lv.Start && p < lv.End {
			return true
		}
		i := sort.Search(len(gone), func(i int) bool { return gone[i].s > p }) - 1
		return i >= 0 && p < gone[i].e
	}
	againAt := make([]int, 0, len(copyOf)) // sorted (a block resolves thousands again)
	for i := range copyOf {
		if !inRebuilt[i] {
			againAt = append(againAt, pl.R(prev.Refs[i].Value).Start)
		}
	}
	slices.Sort(againAt)
	// A range that reaches into the region (an ancestor's, or a node's
	// the region re-parsed) is not the same in the new text. (u.at is
	// lv.End: one that holds it reaches into the region too.)
	shiftR := regionShift(u, lv)
	var fileIDs map[string]uint32 // when the edges changed
	if extChanged && d.ext != nil {
		fileIDs = make(map[string]uint32, len(d.ext.files))
		for id, f := range d.ext.files {
			fileIDs[f.path] = id
		}
	}
	keptFrom := len(d.Diagnostics)
	for _, dg := range prev.madeDiagnostics() {
		far := prev.ext != nil && relocated(dg) // a kept unit's, or a broken file's (see extReuse)
		if far && farMade[relocatedKey(dg)] > 0 {
			farMade[relocatedKey(dg)]-- // a checked unit's: made again
			continue
		}
		switch {
		case far && dg.Code == syntax.CodeYAMLSyntax && extChanged:
			continue // remade below
		case dg.Code == syntax.CodeYAMLSyntax && !far || dg.Code == CodeVersion || dg.Code == CodeUnusedScheme || dg.Code == CodeSecurityRootLevel || isSchemaCode(dg.Code):
			continue // remade by analyze, checkVersion, reportUnused checkRootSecurity and validateSchema
		case !far && inGone(dg.Range.Start):
			continue // a rebuilt unit's, or the region's
		case !far && serverCheckCodes[dg.Code] && inSrvGone(dg.Range.Start):
			continue // remade by serverChecks
		case dg.Code == CodeRefUnresolved && sortedHas(againAt, dg.Range.Start):
			continue // a $ref resolved again
		}
		var fine bool
		if far && extChanged {
			if !d.relocateAgain(&dg, fileIDs) {
				return d.noReuse("a kept diagnostic is in a file no longer read")
			}
		} else if dg.Range, fine = shiftR(dg.Range); !fine {
			return d.noReuse("a diagnostic straddles the edit")
		}
		if len(dg.Related) > 0 {
			rel := make([]syntax.Related, len(dg.Related))
			for i, r := range dg.Related {
				rel[i] = r
				if r.Path != "" {
					continue // a place in another file
				}
				if inGone(r.Range.Start) {
					return d.noReuse("a kept diagnostic explains a rebuilt unit")
				}
				if rel[i].Range, fine = shiftR(r.Range); !fine {
					return d.noReuse("a diagnostic straddles the edit")
				}
			}
			dg.Related = rel
		}
		d.Diagnostics = append(d.Diagnostics, dg)
	}
	keptTo := len(d.Diagnostics)
	for _, n := range farMade {
		if n > 0 {
			return d.noReuse("a checked unit's diagnostic on another file is not found")
		}
	}
	if extChanged && d.ext != nil { // (without files, both find nothing)
		from := len(d.Diagnostics)
		d.reportBrokenFiles()
		d.Diagnostics = append(d.Diagnostics[:from], d.relocateDiagnostics(d.Diagnostics[from:])...)
	}
	// (d.Diagnostics stays as it is until the end: a full build keeps its
	// first base ones.)
	sorted := sortKept(d.Diagnostics, keptFrom, keptTo)
	if d.ext != nil && len(d.ext.files) > 0 {
		var fine bool
		if sorted, fine = dedupDiagnostics(sorted); !fine {
			return d.noReuse("two diagnostics on one place differ only in their related places")
		}
	}
	d.Diagnostics = sorted
	// (a unit that ran the server checks only is checked again, but
	// counts as relinked towards maxRecheck: it costs a copy)
	shared := len(sh.ids)
	d.inc.units, d.inc.checked, d.inc.relinked, d.inc.copied, d.inc.srvChecked = len(ids)+shared, nChecked+srvChecked+shared, relinked, copied, srvChecked+shared
	d.inc.srvShared = shared
	d.inc.covered = len(u.cover.covered)
	d.inc.unitRefs = u.cover.unitRefs.answered
	for _, r := range u.restores[:len(restored)] {
		d.inc.units, d.inc.checked = d.inc.units+r.n, d.inc.checked+r.n
	}
	return true
}

// sortKept returns diags sorted as sortDiagnostics sorts them, given that
// diags[from:to] are the previous document's diagnostics kept, in its
// order (shifted past the edit, which keeps it): the others are sorted and
// merged with them. A stable sort of them all costs more, once a block
// checks thousands of units again: each unit's diagnostics are a run that
// it merges into the kept ones by moving them. diags is not changed.
func sortKept(diags []syntax.Diagnostic, from, to int) []syntax.Diagnostic {
	kept := diags[from:to]
	if !slices.IsSortedFunc(kept, compareDiagnostics) {
		// (relocated into another file's place: its order is that file's)
		out := slices.Clone(diags)
		sortDiagnostics(out)
		return out
	}
	made, after := sortRuns(slices.Clone(diags[:from])), sortRuns(slices.Clone(diags[to:]))
	if len(kept) == 0 && len(after) == 0 {
		return made // (a clone)
	}
	return mergeDiagnostics(mergeDiagnostics(made, kept), after)
}

// sortedHas reports whether the sorted list holds x.
func sortedHas(list []int, x int) bool {
	_, ok := slices.BinarySearch(list, x)
	return ok
}

// maxSortRuns: a list of more ascending runs than this is sorted whole.
const maxSortRuns = 8

// sortRuns returns diags sorted as sortDiagnostics sorts them (diags may
// be reordered): when it is a few ascending runs (the checks of units in
// build order, then the $refs resolved again in the list's order: a block
// makes thousands), merged run by run, each with the next (a stable
// merge keeps those that compare equal in their order); else sorted.
func sortRuns(diags []syntax.Diagnostic) []syntax.Diagnostic {
	var runs [][]syntax.Diagnostic
	start := 0
	for i := 1; i <= len(diags); i++ {
		if i == len(diags) || compareDiagnostics(diags[i], diags[i-1]) < 0 {
			if len(runs) == maxSortRuns {
				sortDiagnostics(diags)
				return diags
			}
			runs = append(runs, diags[start:i])
			start = i
		}
	}
	for len(runs) > 1 {
		var next [][]syntax.Diagnostic
		for j := 0; j < len(runs); j += 2 {
			if j+1 == len(runs) {
				next = append(next, runs[j])
			} else {
				next = append(next, mergeDiagnostics(runs[j], runs[j+1]))
			}
		}
		runs = next
	}
	if len(runs) == 0 {
		return diags // (empty)
	}
	return runs[0]
}

// mergeDiagnostics merges two lists sorted by compareDiagnostics into a new
// one, a's first of those that compare equal (as a stable sort of a then
// b puts them).
func mergeDiagnostics(a, b []syntax.Diagnostic) []syntax.Diagnostic {
	out := make([]syntax.Diagnostic, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareDiagnostics(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// rebuiltUseCounts returns the uses of each of d's component schemes,
// from prev's counts changed by what the rebuilt units and the $refs
// resolved again used before (oldUses, of prev's schemes) and use now
// (newUses, of d's). A scheme pairs with the one it is a new version of
// (newOf: a rebuilt unit that made as many schemes as before), or is
// prev's own (a kept unit's). A fresh one (a scheme added: its unit made
// more schemes than before) was used by nothing kept, since every unit
// that names it is rebuilt (its $refs resolved again, its 2.x names
// checked again: rebuildUnits): its uses are its new ones. A scheme
// dropped has no count.
func (d *Document) rebuiltUseCounts(prev *Document, newOf map[*Scheme]*Scheme, fresh map[*Scheme]bool, oldUses, newUses map[*Scheme][]use) map[*Scheme]int {
	oldOf := make(map[*Scheme]*Scheme, len(newOf))
	for o, n := range newOf {
		oldOf[n] = o
	}
	out := make(map[*Scheme]int, len(d.Schemes))
	for _, s := range d.Schemes {
		if fresh[s] {
			out[s] = len(newUses[s])
			continue
		}
		o, ok := oldOf[s]
		if !ok {
			o = s
		}
		out[s] = prev.useCount[o] - len(oldUses[o]) + len(newUses[s])
	}
	return out
}

// gallop returns the smallest i in [lo, n) for which f holds (n if none),
// f being false then true over that range: it probes lo, lo+1, lo+3, ...
// before a binary search, so an answer near lo costs few probes.
func gallop(lo, n int, f func(int) bool) int {
	hi, step := lo, 1
	for hi < n && !f(hi) {
		lo = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, n)
	return lo + sort.Search(hi-lo, func(k int) bool { return f(lo + k) })
}

// refsFrom returns the index of the first $ref of d whose holder starts
// at or after p: d.Refs is in pre-order, the order of the holders' starts.
func (d *Document) refsFrom(p int) int {
	return sort.Search(len(d.Refs), func(i int) bool { return d.shifts.R(d.Refs[i].Holder).Start >= p })
}

// pairCount returns the number of pairs of a mapping (0 for anything else).
func pairCount(n *syntax.Node) int {
	n = n.Resolve()
	if n == nil || n.Kind != syntax.MappingNode {
		return 0
	}
	return len(n.Content) / 2
}

func cloneMap[K comparable, V any](m map[K]V, extra int) map[K]V {
	if len(m) >= extra && len(m) > 0 {
		// (copied as it is laid out: faster than inserted entry by entry
		// when the entries added are few, or replace others)
		return maps.Clone(m)
	}
	out := make(map[K]V, len(m)+extra)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// unitCount returns how many units the model has.
func (d *Document) unitCount() int {
	n := 0
	for _, r := range d.runs {
		n += len(r)
	}
	return n
}

// noReuse records why the unit rebuild gave up (for tests) and returns
// false.
func (d *Document) noReuse(why string) bool {
	d.inc.modelWhy = why
	return false
}

// relinkable reports whether a dependent unit's checks say the same as
// before, so that its model is made again (to point to the new objects)
// but its diagnostics and claims are kept: each of its $refs that was
// resolved again lands as before (resolved or not, with the same error,
// on a server, channel or scheme or not), and none of the schemes its
// security lists name changed in a way their checks read.
func (d *Document) relinkable(prev *Document, runs unitRuns, ra, rb int, copyOf map[int]*Ref, sigChanged map[*Scheme]bool, newSchemes map[*Scheme]*Scheme, unread func(r, c *Ref) bool) bool {
	for i := ra; i < rb; i++ {
		c := copyOf[i]
		if c == nil {
			continue
		}
		r := prev.Refs[i]
		if unread(r, c) {
			continue
		}
		if (r.Resolved == nil) != (c.Resolved == nil) || r.Err != c.Err ||
			(prev.serverAt(r.Resolved) == nil) != (d.serverAt(c.Resolved) == nil) ||
			(prev.channelAt(r.Resolved) == nil) != (d.channelAt(c.Resolved) == nil) ||
			(prev.schemeAt(r.Resolved) == nil) != (d.schemeAt(c.Resolved) == nil) {
			return false
		}
	}
	if len(sigChanged) == 0 && (len(newSchemes) == 0 || d.Version.V3()) {
		return true
	}
	for _, site := range prev.securities[runs[slSites][0]:runs[slSites][1]] {
		for _, req := range site.sec.Alternatives {
			for _, e := range req.Entries {
				o := prev.current(e.Scheme)
				if o == nil {
					continue
				}
				if sigChanged[o] {
					return false
				}
				if n, ok := newSchemes[o]; ok && !d.Version.V3() && scopesReread(e, o, n) {
					return false
				}
			}
		}
	}
	return true
}

// appendSchemeSig appends what the checks of a scheme's users read from
// it besides its scopes: its name, its type (credentialKind, the messages)
// and its `scheme` field (credentialKind). Its flows are not: a user's
// check reads them only through the scopes it asks for (checkScopes, a
// 2.x requirement's), which scopesReread re-checks whenever a scope is
// not granted before or after (a requirement whose scopes are all granted
// by both finds flows with scopes either way). Nor are its other fields,
// which only the scheme's own checks read. So a flow's scopes mapping
// broken by a half-typed line (the tolerant parse leaves it out) re-checks
// no user in 3.x, and in 2.x only those scopesReread names.
func appendSchemeSig(b []byte, s *Scheme) []byte {
	b = append(b, s.Name...)
	b = append(b, 0)
	b = append(b, s.Type...)
	if s.TypeNode == nil {
		b = append(b, "\x00-"...)
	}
	b = append(b, "\x00F"...)
	b = append(b, s.Fields["scheme"]...)
	return b
}

// scopesReread reports whether the check of a 2.x requirement entry that
// names a rebuilt scheme (o, now n; the same in what appendSchemeSig holds)
// may say something else, or says something that points into the
// scheme: some scope it asks for is not granted before or after (its
// message lists the declared scopes and points to the flows). One whose
// scopes are all granted by both says nothing either way. In 3.x a
// requirement is a $ref, whose checks read no scopes: the scheme's own
// `scopes` are checked with the scheme.
func scopesReread(e *Entry, o, n *Scheme) bool {
	for _, sc := range e.Scopes {
		if sc.Node == nil || sc.Node.Kind != syntax.ScalarNode || sc.Node.IsNull() {
			continue // not checked (checkScopes)
		}
		if len(o.FlowsGranting(sc.Name)) == 0 || len(n.FlowsGranting(sc.Name)) == 0 {
			return true
		}
	}
	return false
}

// sigBufs compares the signatures of two objects without allocating a
// string for each (a rebuild compares one per rebuilt unit).
type sigBufs struct{ a, b []byte }

func (p *sigBufs) same(appendSig func([]byte) []byte, appendOther func([]byte) []byte) bool {
	p.a, p.b = appendSig(p.a[:0]), appendOther(p.b[:0])
	return string(p.a) == string(p.b)
}

// shiftRuns returns the runs of a document in which the changed unit became
// the entries of grown (none when it was dropped), which moved the runs
// after it by delta.
func shiftRuns(prev [numSections][]unitRuns, changed unitID, span int, grown []unitRuns, delta [numSlices]int32) [numSections][]unitRuns {
	var out [numSections][]unitRuns
	shift := func(r unitRuns) unitRuns {
		for sl := range r {
			r[sl][0] += delta[sl]
			r[sl][1] += delta[sl]
		}
		return r
	}
	for sec := range numSections {
		switch {
		case sec < changed.sec:
			out[sec] = prev[sec]
		case sec == changed.sec:
			list := make([]unitRuns, 0, len(prev[sec])+len(grown)-span)
			list = append(list, prev[sec][:changed.i]...)
			list = append(list, grown...)
			for _, r := range prev[sec][changed.i+span:] {
				list = append(list, shift(r))
			}
			out[sec] = list
		default:
			list := make([]unitRuns, len(prev[sec]))
			for i, r := range prev[sec] {
				list[i] = shift(r)
			}
			out[sec] = list
		}
	}
	return out
}

// copyForRebuild returns a copy of r that a rebuilt document may claim
// and resolve again (r is shared with the previous document).
func (r *Ref) copyForRebuild() *Ref {
	c := *r
	c.claimed = false
	return &c
}

// appendServerSig appends what the audits of the operations on a server
// read from it (auditOperation): its name, protocol, host and problem, and
// whether it lets a client in without credentials (serverOpen). Its
// security's schemes and scopes are read by its own checks only
// (auditServer, checkSecurity), which run with its unit.
func appendServerSig(b []byte, s *Server) []byte {
	for _, f := range []string{s.Name, s.Pointer, s.Protocol, s.Host, s.Problem} {
		b = append(b, f...)
		b = append(b, 0)
	}
	if serverOpen(s) {
		b = append(b, "\x00open"...)
	}
	return b
}

// appendTraitSig appends what the audits of the operations that have a
// trait read from it (auditOperation): its name, and its security as their
// operation layer: written as an empty list or not, its alternatives (an
// empty one, or how many entries) and, of each entry, the name and what
// the audits read of the scheme (credentialKind: appendSchemeSig).
func appendTraitSig(b []byte, t *Trait) []byte {
	b = append(b, t.Name...)
	if t.Security == nil {
		return append(b, "\x00-"...)
	}
	if emptyList(t.Security) {
		b = append(b, "\x00[]"...)
	}
	for _, alt := range t.Security.Alternatives {
		b = append(b, "\x00a"...)
		if alt.Empty {
			b = append(b, "{}"...)
		}
		for _, e := range alt.Entries {
			b = append(b, "\x00e"...)
			b = append(b, e.Name...)
			if e.Scheme != nil {
				b = appendSchemeSig(b, e.Scheme)
			}
		}
	}
	return b
}

// appendChannelSig appends what the audits of a channel's operations read
// from it: the servers it is available on.
func (d *Document) appendChannelSig(b []byte, c *Channel) []byte {
	b = append(b, c.Name...)
	if c.ServersInvalid {
		b = append(b, "\x00!"...)
	}
	for _, r := range d.ServersOf(c) {
		b = append(b, "\x00r"...)
		b = append(b, r.Name...)
		if r.Server != nil {
			b = append(b, "\x00="...)
			b = append(b, r.Server.Pointer...)
		}
		if r.Duplicate || r.OutsideRoot {
			b = append(b, "\x00d"...)
		}
	}
	return b
}
