package analysis

import (
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Sections dropped with nothing that depends on them.
//
// A section dropped as a block (its key line broken: blockDrop,
// sectionKeyRenamed) goes with every unit it had. When nothing outside
// the section reads it — no $ref elsewhere lands in it or passes through
// it (the $ref index by target, refCandidates, asked for the section's
// path), and its units read nothing outside their own text that a check
// reports on or claims — the new model is the previous one without the
// section's runs: no unit is built or checked (applyRebuild would build
// "nothing" for each of them, copy the $refs, and search for dependents
// and shared targets, which cost about a full build of the rest). What
// the section's units made goes with them: their objects (dropRuns),
// their $refs (the region's), their diagnostics (all inside the region),
// their uses of schemes (the unused-scheme counts move by what they
// used); the $refs the region holds now (a section whose key was renamed
// keeps its entries as plain mappings) are resolved and checked as a
// full build would. Anything else — a section whose entries name others
// (component schemes, root servers), one that merges entries in, a unit
// that is a $ref or whose checks reach text outside the section, YAML
// aliases, other files — takes the general path (applyRebuild).

// maxDrop is how many units a section dropped with nothing that depends
// on it (dropSections) may have, given how many the document has, before
// the drop is left to the general path (and its bound, maxBlock): all of
// them. A drop copies prev's slices, $refs and diagnostics once, without
// the dropped units', and builds and checks nothing; measured
// (BenchmarkRootBlock at 1 MB) it costs about a full build (0.89-0.98 of
// one for 3.0 operations, 1.00-1.04 for 2.6 channels), not clearly less:
// what it buys is an edit kept incremental, not speed.
var maxDrop = func(units int) int { return units }

// droppable reports whether section sec's units may be dropped alone:
// its entries are found by $ref only (a name of a scheme or a root server
// is looked up by other units' checks).
func droppable(sec section) bool {
	switch sec {
	case secChannels, secCompChannels, secOperations, secCompOperations, secTraits:
		return true
	}
	return false
}

// dropSections makes d's model from prev's without the units of the
// sections drop, whose entries the region (levels' last, in prev's
// text; ra and rb its $refs in prev.Refs) held: see "Sections dropped
// with nothing that depends on them". handled is false when the drop
// does not qualify (nothing is changed then: the general path runs);
// else ok is whether the model was made (false: noReuse said why).
func (d *Document) dropSections(u *regionChange, drop [numSections]bool, secMaps [numSections]*syntax.Node, paths []string, ra, rb int) (handled, ok bool) {
	prev := u.prev
	pl := prev.shifts
	lv := u.levels[len(u.levels)-1]
	if prev.ext != nil || len(prev.far) > 0 || prev.Tree.Anchored() || d.Tree.Anchored() || len(u.below) > 0 {
		return false, false
	}
	in := func(n *syntax.Node) bool {
		if n == nil {
			return true
		}
		r := pl.R(n)
		return r.Start >= lv.Start && r.End <= lv.End
	}
	// The runs dropped, by slice: one range per section (its units are
	// contiguous in every slice), in build order.
	type cut struct{ from, to int32 }
	var cuts [numSlices][]cut
	units := 0
	for sec := range numSections {
		if !drop[sec] {
			continue
		}
		runs := prev.runs[sec]
		if !droppable(sec) && sec != secSchemes || prev.merges[sec] || len(runs) == 0 || len(runs) != pairCount(secMaps[sec]) {
			return false, false
		}
		m := secMaps[sec].Resolve()
		if !in(m) || pairCount(d.sectionMap(sec)) != 0 {
			// (a second key of the section, which build reads now)
			return false, false
		}
		units += len(runs)
		for sl := range numSlices {
			cuts[sl] = append(cuts[sl], cut{runs[0][sl][0], runs[len(runs)-1][sl][1]})
		}
	}
	if units > maxDrop(prev.unitCount()) {
		return false, false
	}
	// What the dropped units made lies in the region: their security
	// lists (whose entries' $refs their checks claim), inline schemes
	// (which another unit would share only through a $ref into them),
	// channels, traits and operations (an operation's channel a root
	// channel, not one modelled on the fly from components, whose server
	// $refs it claims and reports on). A unit that is a $ref to a node
	// elsewhere made its objects of that node: it fails these. (None of
	// these sections makes servers or component schemes.)
	for _, c := range cuts[slSites] {
		for _, s := range prev.securities[c.from:c.to] {
			if !in(s.sec.Node) || !in(s.via) {
				return false, false
			}
		}
	}
	for _, c := range cuts[slInline] {
		for _, s := range prev.Inline[c.from:c.to] {
			if !in(s.Node) {
				return false, false
			}
		}
	}
	for _, c := range cuts[slChannels] {
		for _, ch := range prev.Channels[c.from:c.to] {
			if !in(ch.Node) {
				return false, false
			}
		}
	}
	for _, c := range cuts[slCompChannels] {
		for _, ch := range prev.ComponentChannels[c.from:c.to] {
			if !in(ch.Node) {
				return false, false
			}
		}
	}
	for _, c := range cuts[slOperations] {
		for _, op := range prev.Operations[c.from:c.to] {
			if !in(op.Node) || op.Channel != nil && prev.channelAt(op.Channel.Node) != op.Channel {
				return false, false
			}
		}
	}
	for _, c := range cuts[slTraits] {
		for _, t := range prev.Traits[c.from:c.to] {
			if !in(t.Node) {
				return false, false
			}
		}
	}
	var dropped []*Scheme // (component schemes: compdrop.go)
	for _, c := range cuts[slSchemes] {
		if !schemesIn(prev.Schemes[c.from:c.to], in) {
			return false, false
		}
		dropped = append(dropped, prev.Schemes[c.from:c.to]...)
	}
	// No $ref outside the region reads the section (or the paths the
	// region's new keys name: one that missed may land now), but those
	// of the component schemes' readers (compdrop.go).
	var readers []int
	for _, idx := range prev.refCandidates(paths, false) {
		if idx >= ra && idx < rb {
			continue
		}
		if r := prev.Refs[idx]; r.Local && readsPath(r, paths, nil) {
			if !drop[secSchemes] {
				return false, false
			}
			readers = append(readers, idx)
		}
	}
	if len(readers) > 0 {
		var fine bool
		if readers, fine = prev.schemeReaders(u, secMaps, readers); !fine {
			return false, false
		}
	}
	for i := ra; i < rb; i++ {
		if prev.Refs[i].leadsOut() {
			return false, false
		}
	}
	// The $refs the region holds now.
	fresh, local := u.localRefs()
	if !local {
		return false, false
	}
	base := len(d.Diagnostics)
	defer func() {
		if !ok { // leave nothing behind for the full build
			d.clearModel(base)
		}
	}()

	// The $refs: prev's without the region's, the fresh ones in their
	// place, resolved, and the readers' copies resolved again.
	again := d.refsAgain(prev, u, fresh, readers)
	for _, r := range fresh {
		if next := d.refAt(r.Resolved); next != nil && !next.Local {
			return true, d.noReuse("a $ref of the region leads out of the document")
		}
	}
	for _, r := range again {
		if r.Resolved != nil {
			return false, false // (it lands somewhere now: the general path; the defer clears d)
		}
	}
	d.Refs = slices.Concat(prev.Refs[:ra], fresh, prev.Refs[rb:])
	d.targetsSince = prev.targetsSince[:len(prev.targetsSince):len(prev.targetsSince)]
	for _, r := range fresh {
		d.targetsSince = appendTargets(d.targetsSince, r)
	}
	againAt := make(map[int]bool, len(readers)) // (their findings, by place in prev)
	for i, idx := range readers {
		at := idx
		if idx >= rb {
			at += len(fresh) - (rb - ra)
		}
		d.Refs[at] = again[i]
		againAt[pl.R(again[i].Value).Start] = true
		if !slices.Equal(again[i].via, prev.Refs[idx].via) {
			d.targetsSince = appendTargets(d.targetsSince, again[i])
		}
	}
	d.refEdits = prev.refEdits[:len(prev.refEdits):len(prev.refEdits)]
	if rb > ra || len(fresh) > 0 {
		d.refEdits = append(d.refEdits, refEdit{at: ra, removed: rb - ra, added: len(fresh)})
	}
	d.inc.refsComplete = true

	// The model: prev's slices without the dropped runs.
	cutOut := func(sl int, n int) func(yield func(from, to int) bool) {
		return func(yield func(from, to int) bool) {
			at := 0
			for _, c := range cuts[sl] {
				if !yield(at, int(c.from)) {
					return
				}
				at = int(c.to)
			}
			yield(at, n)
		}
	}
	Servers, Channels, CompChannels, Operations := prev.Servers, prev.Channels, prev.ComponentChannels, prev.Operations
	Schemes, Traits, Sites, Inline := prev.Schemes, prev.Traits, prev.securities, prev.Inline
	d.Servers = keep(Servers, cutOut(slServers, len(Servers)))
	d.Channels = keep(Channels, cutOut(slChannels, len(Channels)))
	d.ComponentChannels = keep(CompChannels, cutOut(slCompChannels, len(CompChannels)))
	d.Operations = keep(Operations, cutOut(slOperations, len(Operations)))
	d.Schemes = keep(Schemes, cutOut(slSchemes, len(Schemes)))
	d.Traits = keep(Traits, cutOut(slTraits, len(Traits)))
	d.securities = keep(Sites, cutOut(slSites, len(Sites)))
	d.Inline = keep(Inline, cutOut(slInline, len(Inline)))
	d.runs = dropRuns(prev.runs, drop)
	d.schemeByNode, d.serverByNode, d.channelByNode = prev.schemeByNode, prev.serverByNode, prev.channelByNode
	d.schemeOver, d.serverOver, d.channelOver = cloneMap(prev.schemeOver, 0), cloneMap(prev.serverOver, 0), cloneMap(prev.channelOver, 0)
	d.schemeNow = prev.schemeNow
	if len(dropped) > 0 {
		d.schemeNow = forgetSchemes(prev, dropped)
	}
	d.srvLists = prev.srvLists                        // (the shared channels' servers as this document finds them: srvlook.go)
	d.merges, d.mergeIdx = prev.merges, prev.mergeIdx // (a section dropped has no entries now: it merges none)

	// The diagnostics: the root security's and the fresh $refs' made
	// again, the unused schemes' from the counts, prev's others but the
	// region's, shifted.
	d.checkRootSecurity()
	for _, r := range fresh {
		d.checkRefResolved(r)
	}
	var recheck map[string]bool // (the codes remade)
	if len(dropped) > 0 {
		recheck = schemeCheckCodes(d.Version)
		d.recheckSchemeReaders(again)
	}
	var oldSites []*securitySite
	for _, c := range cuts[slSites] {
		oldSites = append(oldSites, prev.securities[c.from:c.to]...)
	}
	d.useCount = d.rebuiltUseCounts(prev, nil, nil, prev.replayUses(oldSites, prev.Refs[ra:rb]), d.replayUses(nil, fresh))
	d.reportUnused()
	shiftR := regionShift(u, lv)
	keptFrom := len(d.Diagnostics)
	for _, dg := range prev.madeDiagnostics() {
		switch {
		case dg.Code == syntax.CodeYAMLSyntax || dg.Code == CodeVersion || dg.Code == CodeUnusedScheme || dg.Code == CodeSecurityRootLevel || isSchemaCode(dg.Code):
			continue // remade by analyze, checkVersion, reportUnused, checkRootSecurity and validateSchema
		case dg.Range.Start >= lv.Start && dg.Range.Start < lv.End:
			continue // a dropped unit's, or the region's
		case recheck[dg.Code] || dg.Code == CodeRefUnresolved && againAt[dg.Range.Start]:
			continue // remade by recheckSchemeReaders
		}
		var why string
		if dg, why = shiftKept(dg, shiftR); why != "" {
			return true, d.noReuse(why)
		}
		d.Diagnostics = append(d.Diagnostics, dg)
	}
	d.Diagnostics = sortKept(d.Diagnostics, keptFrom, len(d.Diagnostics))
	d.inc.units, d.inc.checked, d.inc.dropped = units, units, units // (checked: as applyRebuild counts a unit dropped)
	return true, true
}

// keep returns the elements of s in the ranges spans yields, in a new
// slice (s itself when they are all of it).
func keep[T any](s []T, spans func(yield func(from, to int) bool)) []T {
	n := 0
	for from, to := range spans {
		n += to - from
	}
	if n == len(s) {
		return s[:len(s):len(s)]
	}
	out := make([]T, 0, n)
	for from, to := range spans {
		out = append(out, s[from:to]...)
	}
	return out
}

// pathKeyIdx returns prev's key indexes for the tree whose root is root,
// made from prev's by the region change u: the path-copied mappings keep
// their keys at the same places (unless the region's pairs changed), and
// share their key indexes; the previous ones are not in the new tree.
func (prev *Document) pathKeyIdx(root *syntax.Node, u *regionChange) keyIndex {
	idx := cloneMap(prev.keyIdx, len(u.levels))
	for _, l := range u.below {
		delete(idx, l.Map)
	}
	nm := root
	for j, l := range u.levels {
		delete(idx, l.Map)
		if len(nm.Content) != len(l.Map.Content) || j == len(u.levels)-1 && (len(u.pairs) != 2 || !syntax.SameKey(l.Map.Content[2*l.Index], u.pairs[0])) {
			break
		}
		if m, ok := prev.keyIdx[l.Map]; ok {
			idx[nm] = m
		}
		nm = nm.Content[2*l.Index+1]
	}
	return idx
}

// regionShift moves a range of the previous version into the text of a
// rebuild of the region lv (the edit u): a range that reaches into the
// region (an ancestor's, or a node's the region re-parsed) is not the
// same in the new text (false).
func regionShift(u *regionChange, lv syntax.Level) func(syntax.Range) (syntax.Range, bool) {
	return func(r syntax.Range) (syntax.Range, bool) {
		if r.End > lv.Start && r.Start < lv.End {
			return r, false
		}
		if r.Start >= u.at {
			r.Start += u.delta
			r.End += u.delta
		}
		return r, true
	}
}

// shiftKept moves a kept diagnostic of the previous version, its range
// and its related places in this file, with shift; why, when not empty,
// says why it cannot be kept.
func shiftKept(dg syntax.Diagnostic, shift func(syntax.Range) (syntax.Range, bool)) (_ syntax.Diagnostic, why string) {
	var fine bool
	if dg.Range, fine = shift(dg.Range); !fine {
		return dg, "a diagnostic straddles the edit"
	}
	if len(dg.Related) > 0 {
		rel := make([]syntax.Related, len(dg.Related))
		for i, r := range dg.Related {
			rel[i] = r
			if r.Path != "" {
				continue // a place in another file
			}
			if rel[i].Range, fine = shift(r.Range); !fine {
				return dg, "a kept diagnostic explains the edited region"
			}
		}
		dg.Related = rel
	}
	return dg, ""
}

// localRefs returns the $refs the region of u holds now; false when one
// leads into another file (a drop or a give-back alone then declines).
func (u *regionChange) localRefs() ([]*Ref, bool) {
	var fresh []*Ref
	for _, n := range u.pairs {
		fresh = append(fresh, collectRefs(n)...)
	}
	for _, r := range fresh {
		if !r.Local {
			return nil, false
		}
	}
	return fresh, true
}

// refsAgain sets d's $refs: prev's without the region's, the region's
// fresh ones in their place, and copies of prev.Refs[i] for each i of
// readers, resolved again with them; it returns the copies.
func (d *Document) refsAgain(prev *Document, u *regionChange, fresh []*Ref, readers []int) []*Ref {
	d.refOver = cloneMap(prev.refOver, len(fresh)+len(readers))
	again := make([]*Ref, len(readers))
	for i, idx := range readers {
		again[i] = prev.Refs[idx].copyForRebuild()
		d.refOver[again[i].Holder] = again[i]
	}
	d.resolveOver(prev, u, fresh, slices.Concat(fresh, again))
	return again
}
