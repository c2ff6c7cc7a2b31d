package analysis

import (
	"slices"
	"sort"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// The root channels of a 3.x document dropped or given back as a block.
//
// In 3.x the root operations `$ref` their channel (`channel: {$ref:
// '#/channels/x'}`) and its messages (`#/channels/x/messages/m`), so the
// `channels:` line broken or fixed reaches every operation: the general
// path (applyRebuild) rebuilt them all, after a search for them through
// refCover and the $ref scan, and cost more than a full build
// (BenchmarkRootBlock, session 15). Session 15's dropSections refuses the
// section, since $refs outside it read it. Here the channels alone are
// dropped (their runs cut out, as dropSections does) or built (given
// back: addUnit for each entry of the section, nothing else), and the
// operations are not rebuilt: the $refs outside the region that may read
// the section are found through the index by target (refCandidates by the
// section's path, readsPath), each resolved again on a copy; they must
// all be held by root operations that are not $refs themselves, and of
// what an operation's build reads (relinker.reads) only its `channel` $ref
// may be among them (a message's, a reply's: not read by the model). An
// operation whose `channel` $ref landed elsewhere becomes a copy of its
// object with its channel as addOperationV3 finds it (the new channel,
// or none: ChannelProblem), and runs its one check that reads the channel
// (auditOperation, whose findings lie in its text: serverCheckCodes);
// every $ref resolved again is reported as a full build's
// checkRefResolved would; the other findings are kept, shifted. Anything
// else — a 2.x document (dropSections and the general path), other
// files, YAML aliases, merges, a channel or an operation that is a $ref,
// a $ref into the channels held elsewhere (a component operation, a
// component message), an operation whose security comes through a merge,
// or whose channel would be modelled on the fly — takes the paths before
// (handled false).

// channelsSwapped switches the path on (off: the general path and its
// bound, maxBlock; tests of that bound, and benchmarks comparing the two,
// use it).
var channelsSwapped = true

// chanBlock makes d's model from prev's when the region change u drops
// the root channels of a 3.x document (back false: the `channels` key
// line broken or renamed) or gives them back (back true: fixed), without
// building the operations that $ref them; paths are the region's paths
// (rebuildUnits), ra and rb its $refs in prev.Refs. handled is false when
// the change does not qualify (nothing changed: the other paths run);
// else ok is whether the model was made (false: noReuse said why).
func (d *Document) chanBlock(u *regionChange, secMaps [numSections]*syntax.Node, paths []string, ra, rb int, back, srvRepl bool) (handled, ok bool) {
	prev := u.prev
	pl := prev.shifts
	lv := u.levels[len(u.levels)-1]
	// (prev.far is empty without prev.ext: markFar; u.dropped is set only
	// with components dropped, which the hook excludes)
	if !channelsSwapped || !d.Version.V3() || prev.ext != nil || prev.Tree.Anchored() || d.Tree.Anchored() || len(u.below) > 0 {
		return false, false
	}
	for _, sec := range []section{secChannels, secOperations, secCompOperations} {
		if prev.merges[sec] {
			return false, false
		}
	}
	in := func(n *syntax.Node) bool {
		if n == nil {
			return false
		}
		r := pl.R(n)
		return r.Start >= lv.Start && r.End <= lv.End
	}
	chRuns := prev.runs[secChannels]
	units := len(chRuns)
	var given *syntax.Node // back: the channels given back (d's section)
	if back {
		given = d.sectionMap(secChannels).Resolve()
		if len(chRuns) != 0 || len(prev.Channels) != 0 || given == nil || given.Kind != syntax.MappingNode || mergesIn(given) {
			return false, false
		}
		held := false // the section is the value of one of the region's pairs
		for i := 1; i < len(u.pairs); i += 2 {
			held = held || u.pairs[i].Resolve() == given && u.pairs[i-1].Value == "channels"
		}
		if !held {
			return false, false
		}
		units = pairCount(given)
		for i := 1; i < len(given.Content); i += 2 {
			if isRefMap(given.Content[i]) {
				return false, false // a channel that is a $ref (or holds one: resolved as build does)
			}
		}
		if srvRepl {
			// The root servers' entries re-parsed with them (the colon
			// typed back after the servers: colonBackAfterSection): built
			// again too, so every reader of a server must be rebuilt or
			// swapped: the channels are given back, and an operation not
			// on one of them may read the servers only if its channel
			// cannot be followed (the others are refused below).
			// (the region's first pair is the entry of the servers build
			// reads: colonBackAfterSection, modelsSection)
			srv := d.sectionMap(secServers).Resolve()
			if prev.merges[secServers] || mergesIn(srv) {
				return false, false
			}
			for i := 1; i < len(srv.Content); i += 2 {
				if isRefMap(srv.Content[i]) {
					return false, false // a server that is a $ref
				}
			}
			for _, r := range prev.runs[secServers] {
				for _, s := range prev.Servers[r[slServers][0]:r[slServers][1]] {
					if !in(s.Node) {
						return false, false // a $ref to a server elsewhere
					}
				}
			}
			units += pairCount(srv) // (rebuilt: counted once)
		}
		if units == 0 || units > maxDrop(prev.unitCount()+units) {
			return false, false
		}
	} else {
		if units == 0 || units != pairCount(secMaps[secChannels]) || !in(secMaps[secChannels].Resolve()) ||
			pairCount(d.sectionMap(secChannels)) != 0 || units > maxDrop(prev.unitCount()) {
			return false, false
		}
		// A 3.x channel's unit makes its channel alone, from its own text.
		for sl := range numSlices {
			if sl != slChannels && chRuns[0][sl][0] != chRuns[units-1][sl][1] {
				return false, false
			}
		}
		for _, c := range prev.Channels[chRuns[0][slChannels][0]:chRuns[units-1][slChannels][1]] {
			if !in(c.Node) {
				return false, false // a $ref to a channel elsewhere
			}
		}
	}

	// The $refs outside the region that may read the section: each held
	// by a root operation, not read by its build but for its channel.
	type dep struct {
		id     unitID
		op     *Operation
		start  int  // the unit's text in prev
		end    int  //
		direct bool // its `channel` $ref is resolved again
	}
	var deps []dep
	var again []int // prev.Refs indexes, ascending
	// the last dep's `security` and `traits` values: what its build reads
	// but its channel (relinker.reads) lies in them
	var read [2]syntax.Range
	for _, idx := range prev.refCandidates(paths, false) {
		if idx >= ra && idx < rb {
			continue
		}
		r := prev.Refs[idx]
		if !r.Local || !readsPath(r, paths, nil) {
			continue
		}
		if r.claimed {
			return false, false
		}
		at := pl.R(r.Holder).Start
		if len(deps) == 0 || at < deps[len(deps)-1].start || at >= deps[len(deps)-1].end {
			id, found := prev.unitAt(secMaps, at)
			if !found || id.sec != secOperations {
				return false, false // held outside the root operations
			}
			runs := prev.runs[id.sec][id.i]
			k, v := u.unitPair(secMaps, id)
			if prev.refAt(v.Resolve()) != nil {
				// an operation that is a $ref (into the channels: read
				// through it, or, given back, read through it now)
				return false, false
			}
			// (a root operation's unit makes one operation: addOperationV3)
			op := prev.Operations[runs[slOperations][0]]
			deps = append(deps, dep{id: id, op: op, start: pl.R(k).Start, end: max(pl.R(v).End, pl.R(k).End)})
			for i, key := range []string{"security", "traits"} {
				read[i] = syntax.Range{}
				if n := op.Node.Key(key); n != nil {
					read[i] = pl.R(n)
				}
			}
		}
		dp := &deps[len(deps)-1]
		if r.Holder == dp.op.Node.Key("channel").Resolve() {
			dp.direct = true
		} else if at >= read[0].Start && at < read[0].End || at >= read[1].Start && at < read[1].End {
			return false, false // a trait's or a security entry's $ref
		}
		again = append(again, idx)
	}
	if srvRepl {
		direct := make(map[*Operation]bool, len(deps))
		for _, dp := range deps {
			direct[dp.op] = dp.direct
		}
		for _, op := range prev.Operations {
			// (an operation on a channel in prev, whose channels are
			// dropped, is on a component one: not direct, its channel
			// followed)
			if !direct[op] && op.Problem == "" && op.Key != nil && op.ChannelProblem == "" {
				return false, false // its audit reads the servers
			}
		}
	}
	fresh, local := u.localRefs()
	if !local {
		return false, false
	}

	base := len(d.Diagnostics)
	defer func() {
		if !ok { // leave nothing behind for the full build
			d.clearModel(base)
			d.entry = nil
		}
	}()
	// The $refs: prev's without the region's, the fresh ones in their
	// place, copies of those resolved again in theirs.
	copies := d.refsAgain(prev, u, fresh, again)
	resolve := slices.Concat(fresh, copies)
	for _, r := range resolve {
		if next := d.refAt(r.Resolved); next != nil && !next.Local {
			return true, d.noReuse("a $ref of the region leads out of the document")
		}
	}
	d.Refs = slices.Concat(prev.Refs[:ra], fresh, prev.Refs[rb:])
	moved := len(fresh) - (rb - ra)
	for j, idx := range again {
		if idx >= rb {
			idx += moved
		}
		d.Refs[idx] = copies[j]
	}
	d.targetsSince = prev.targetsSince[:len(prev.targetsSince):len(prev.targetsSince)]
	for _, r := range fresh {
		d.targetsSince = appendTargets(d.targetsSince, r)
	}
	for j, idx := range again {
		if !slices.Equal(copies[j].via, prev.Refs[idx].via) {
			d.targetsSince = appendTargets(d.targetsSince, copies[j])
		}
	}
	d.refEdits = prev.refEdits[:len(prev.refEdits):len(prev.refEdits)]
	if rb > ra || len(fresh) > 0 {
		d.refEdits = append(d.refEdits, refEdit{at: ra, removed: rb - ra, added: len(fresh)})
	}
	d.inc.refsComplete = true

	// The model: prev's, with the channels cut out or built.
	capped := func(s []*Operation) []*Operation { return s[:len(s):len(s)] }
	d.Servers, d.ComponentChannels, d.Operations = prev.Servers[:len(prev.Servers):len(prev.Servers)], prev.ComponentChannels[:len(prev.ComponentChannels):len(prev.ComponentChannels)], capped(prev.Operations)
	d.Schemes, d.Traits = prev.Schemes[:len(prev.Schemes):len(prev.Schemes)], prev.Traits[:len(prev.Traits):len(prev.Traits)]
	d.securities, d.Inline = prev.securities[:len(prev.securities):len(prev.securities)], prev.Inline[:len(prev.Inline):len(prev.Inline)]
	d.schemeByNode, d.serverByNode, d.channelByNode = prev.schemeByNode, prev.serverByNode, prev.channelByNode
	d.schemeOver, d.serverOver, d.channelOver = cloneMap(prev.schemeOver, 0), cloneMap(prev.serverOver, 0), cloneMap(prev.channelOver, units)
	d.schemeNow = prev.schemeNow
	d.srvLists = prev.srvLists // (the channels shared with an earlier version: srvlook.go)
	d.merges, d.mergeIdx = prev.merges, prev.mergeIdx
	var built [numSections]*syntax.Node // back: the sections built
	if back {
		built[secChannels] = given
		if srvRepl {
			built[secServers] = d.sectionMap(secServers).Resolve()
		}
		d.srvLists = nil // (no channel of prev is in d)
		if why := d.buildSections(prev, built, fresh); why != "" {
			return true, d.noReuse(why)
		}
	} else {
		from, to := chRuns[0][slChannels][0], chRuns[units-1][slChannels][1]
		d.Channels = slices.Concat(prev.Channels[:from], prev.Channels[to:])
		var drop [numSections]bool
		drop[secChannels] = true
		d.runs = dropRuns(prev.runs, drop)
	}
	// The operations whose channel $ref landed elsewhere: copies with the
	// channel a build finds now.
	var swapped []*Operation // by deps
	ops := false
	for _, dp := range deps {
		if !dp.direct {
			swapped = append(swapped, nil)
			continue
		}
		no := *dp.op
		no.Channel, no.ChannelProblem = nil, ""
		r := d.refAt(no.Node.Key("channel").Resolve())
		switch {
		case r.Resolved == nil:
			no.ChannelProblem = ProblemUnresolved
		case r.Resolved != d.Root:
			if no.Channel = d.channelAt(r.Resolved); no.Channel == nil {
				return true, d.noReuse("an operation's channel would be modelled on the fly")
			}
		}
		if !ops {
			d.Operations, ops = slices.Clone(d.Operations), true
		}
		d.Operations[d.runs[secOperations][dp.id.i][slOperations][0]] = &no
		swapped = append(swapped, &no)
	}

	// The diagnostics: the root security's, the channels' given back, the
	// $refs' made again and resolved again, the swapped operations'
	// audits, the unused schemes' from the counts; prev's others but the
	// region's and those remade, shifted.
	shiftR := regionShift(u, lv)
	d.checkRootSecurity()
	var oldSites, newSites []*securitySite // the servers' rebuilt
	if srvRepl {
		pr, nr := prev.runs[secServers], d.runs[secServers]
		if len(pr) > 0 {
			oldSites = prev.securities[pr[0][slSites][0]:pr[len(pr)-1][slSites][1]]
		}
		if len(nr) > 0 {
			newSites = d.securities[nr[0][slSites][0]:nr[len(nr)-1][slSites][1]]
			for _, s := range d.Servers[nr[0][slServers][0]:nr[len(nr)-1][slServers][1]] {
				d.auditServer(s)
			}
			for _, site := range newSites {
				d.checkSecurity(site)
			}
			for _, s := range d.Inline[nr[0][slInline][0]:nr[len(nr)-1][slInline][1]] {
				d.checkScheme(s)
			}
		}
	}
	if back {
		for _, c := range d.Channels {
			d.checkChannel(c)
		}
	}
	for _, r := range resolve {
		d.checkRefResolved(r)
	}
	for j, dp := range deps {
		if swapped[j] == nil {
			continue
		}
		at := len(d.Diagnostics)
		d.auditOperation(swapped[j])
		span, _ := shiftR(syntax.Range{Start: dp.start, End: dp.end})
		for _, dg := range d.Diagnostics[at:] {
			if dg.Range.Start < span.Start || dg.Range.End > span.End {
				return true, d.noReuse("an operation's audit reports outside it")
			}
		}
	}
	old := slices.Clone(prev.Refs[ra:rb])
	againAt := make(map[int]bool, len(again))
	for _, idx := range again {
		old = append(old, prev.Refs[idx])
		againAt[pl.R(prev.Refs[idx].Value).Start] = true
	}
	d.useCount = d.rebuiltUseCounts(prev, nil, nil, prev.replayUses(oldSites, old), d.replayUses(newSites, resolve))
	d.reportUnused()
	// swappedAt: the finding is in the text of a swapped operation
	swappedAt := func(at int) bool {
		j := sort.Search(len(deps), func(j int) bool { return deps[j].end > at })
		return j < len(deps) && deps[j].start <= at && swapped[j] != nil
	}
	keptFrom := len(d.Diagnostics)
	for _, dg := range prev.madeDiagnostics() {
		switch {
		case dg.Code == syntax.CodeYAMLSyntax || dg.Code == CodeVersion || dg.Code == CodeUnusedScheme || dg.Code == CodeSecurityRootLevel || isSchemaCode(dg.Code):
			continue // remade by analyze, checkVersion, reportUnused, checkRootSecurity and validateSchema
		case dg.Range.Start >= lv.Start && dg.Range.Start < lv.End:
			continue // a dropped unit's, or the region's
		case dg.Code == CodeRefUnresolved && againAt[dg.Range.Start]:
			continue // a $ref resolved again
		case serverCheckCodes[dg.Code] && swappedAt(dg.Range.Start):
			continue // a swapped operation's audit: remade
		}
		var why string
		if dg, why = shiftKept(dg, shiftR); why != "" {
			return true, d.noReuse(why)
		}
		d.Diagnostics = append(d.Diagnostics, dg)
	}
	d.Diagnostics = sortKept(d.Diagnostics, keptFrom, len(d.Diagnostics))
	d.inc.units, d.inc.checked = units+len(deps), units+len(deps)
	if !back {
		d.inc.dropped = units
	}
	d.inc.chanSwapped = len(deps)
	return true, true
}

// buildSections makes d's model slices and runs from prev's: the units
// of the sections in built (d's section mappings) built, each alone as
// build would (addUnit), the others' objects shared, in build order.
// The built units' $refs are the region's (fresh): a claim of any other,
// a unit that is a $ref, or a $ref to an inline scheme another unit made
// returns why not.
func (d *Document) buildSections(prev *Document, built [numSections]*syntax.Node, fresh []*Ref) string {
	own := make(map[*Ref]bool, len(fresh))
	for _, r := range fresh {
		own[r] = true
	}
	// (no inline scheme of prev is one a built unit may name: those of
	// the units before it would be, in a full build, its own)
	d.entry = &entryRebuild{refs: own, prev: prev, prevInline: prev.Inline}
	defer func() { d.entry = nil }()
	d.Servers, d.Channels, d.ComponentChannels, d.Operations = nil, nil, nil, nil
	d.Schemes, d.Traits, d.securities, d.Inline = nil, nil, nil, nil
	for sec := range numSections {
		var runs []unitRuns
		if m := built[sec]; m != nil {
			runs = make([]unitRuns, 0, len(m.Content)/2)
			for i := 0; i < len(m.Content); i += 2 {
				k, v := m.Content[i], m.Content[i+1]
				if d.refAt(v.Resolve()) != nil {
					return "a unit given back is a $ref"
				}
				start := d.lens()
				d.addUnit(sec, k, v)
				runs = append(runs, spanOf(start, d.lens()))
			}
		} else if len(prev.runs[sec]) > 0 {
			pr := prev.runs[sec]
			start := d.lens()
			var delta [numSlices]int32
			for sl := range numSlices {
				d.copyRun(prev, sl, pr[0][sl][0], pr[len(pr)-1][sl][1])
				delta[sl] = start[sl] - pr[0][sl][0]
			}
			runs = pr
			if delta != ([numSlices]int32{}) {
				runs = slices.Clone(pr)
				for i := range runs {
					for sl := range numSlices {
						runs[i][sl][0] += delta[sl]
						runs[i][sl][1] += delta[sl]
					}
				}
			}
		}
		d.runs[sec] = runs
	}
	return d.entry.bad
}

// isRefMap reports whether the value v is a mapping that holds `$ref`.
func isRefMap(v *syntax.Node) bool {
	v = v.Resolve()
	return v != nil && v.Kind == syntax.MappingNode && hasRefKey(v)
}
