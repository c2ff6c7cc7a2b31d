package analysis

import (
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Component schemes dropped, their readers kept.
//
// The components entry, or components.securitySchemes, dropped as a block
// (its key line broken: componentsDrop, blockDrop, sectionKeyRenamed)
// takes every component scheme with it, which every operation, server
// and trait that names one reads: the general path rebuilds them all,
// past maxBlock. dropSections removes the section's units alone when,
// besides what it asks of any dropped section (drops.go), every $ref
// outside the region that read the dropped paths (refCandidates by the
// paths' prefix) is one whose unit's model does not change with it:
//
//   - a security entry's $ref (3.x), which named a component scheme
//     (dropped with the section), or nothing: the entry's scheme is
//     forwarded to none (Document.schemeNow maps the scheme to nil; Entry
//     hands readers the entry with d's $ref, no scheme and no scopes, as
//     parseEntryV3 makes it for a $ref that does not resolve);
//   - a $ref no model object reads (relinker.reads: a message's, a
//     payload's) that led to no scheme, server or channel and that no
//     check claimed.
//
// A 2.x requirement names its scheme: its entry is forwarded to none the
// same way (current). Each such $ref is copied and resolved again (it
// must dangle now: the section is gone), and the findings that read the
// schemes are made again for the units kept: the security lists' checks
// (checkSecurity: an undefined scheme, whose hint lists the schemes
// defined, a scope, a $ref target) and the audits of the servers and
// operations (auditServer, auditOperation: credentials over cleartext
// transports), whose previous findings of those codes (schemeCheckCodes)
// are dropped; a $ref resolved again has its own finding made again
// (checkRefResolved), its previous one dropped. Nothing is built: the
// units that read the schemes stay shared with the previous version.
// Anything else (a $ref a model object reads, a unit that is a $ref into
// components, an entry that named an inline scheme there, a $ref that
// lands somewhere now) takes the general path.

// schemeCheckCodes returns the codes the checks that read the component
// schemes report on the units that use them (checkSecurity, auditServer,
// auditOperationTransport), and no other check of those units does: in
// 2.x the scopes a requirement asks for are checked there too
// (checkScopes; in 3.x a scheme checks its own, an inline one in an
// operation's list). (The operations' other audits read the shape of the
// security lists only, and the servers: their findings stay.)
func schemeCheckCodes(v Version) map[string]bool {
	codes := map[string]bool{
		CodeOperationSecurityTooEarly: true,
		CodeRequirementShape:          true,
		CodeEmptyRequirement:          true,
		CodeUndefinedScheme:           true,
		CodeRefTarget:                 true,
		CodeInsecureTransport:         true,
	}
	if !v.V3() {
		codes[CodeUndefinedScope], codes[CodeScopesNotAllowed] = true, true
	}
	return codes
}

// schemesIn reports whether the component schemes list (the units of a
// section dropped) were made of nodes inside the region (in): none is a
// $ref to a node elsewhere, which its readers would still find. (Their
// keys are the section's, inside it.)
func schemesIn(list []*Scheme, in func(*syntax.Node) bool) bool {
	for _, s := range list {
		if !in(s.Node) {
			return false
		}
	}
	return true
}

// schemeReaders returns the $refs of prev at cands (indexes outside the
// region that read the dropped paths), sorted and once each, when each
// may be resolved again with its unit kept (see "Component schemes
// dropped, their readers kept"); false otherwise.
func (prev *Document) schemeReaders(u *regionChange, secMaps [numSections]*syntax.Node, cands []int) ([]int, bool) {
	slices.Sort(cands)
	cands = slices.Compact(cands)
	var entries map[*syntax.Node]bool // the holders of the security entries' $refs
	probe := &relinker{prev: prev}
	readsOf := map[unitID]map[*syntax.Node]bool{}
	for _, idx := range cands {
		r := prev.Refs[idx]
		if idx+1 < len(prev.Refs) && prev.Refs[idx+1].Holder == r.Holder || idx > 0 && prev.Refs[idx-1].Holder == r.Holder {
			return nil, false // duplicate $ref keys: the last one wins
		}
		if entries == nil {
			entries = map[*syntax.Node]bool{}
			for _, site := range prev.securities {
				for _, req := range site.sec.Alternatives {
					for _, e := range req.Entries {
						if e.Ref != nil {
							entries[e.Ref.Holder] = true
						}
					}
				}
			}
		}
		if entries[r.Holder] {
			// It named a component scheme (all of them are dropped) or
			// nothing; an inline scheme it made would go with it.
			if s := prev.schemeAt(r.Resolved); r.Resolved != nil && s != nil && s.Key == nil {
				return nil, false
			}
			continue
		}
		if r.claimed || prev.linkedAt(r.Resolved) {
			return nil, false
		}
		id, ok := prev.unitAt(secMaps, prev.shifts.R(r.Holder).Start)
		if !ok {
			continue // outside the units: only its own finding changes
		}
		switch id.sec {
		case secChannels, secCompChannels, secOperations, secCompOperations:
		default:
			return nil, false
		}
		if prev.merges[id.sec] {
			return nil, false
		}
		_, v := u.unitPair(secMaps, id)
		if v == r.Holder {
			return nil, false // the unit is the $ref
		}
		m, seen := readsOf[id]
		if !seen {
			m = probe.reads(prev.runs[id.sec][id.i], prev.compOpOf(id, v))
			readsOf[id] = m
		}
		if m[r.Holder] {
			return nil, false
		}
	}
	return cands, true
}

// forgetSchemes returns prev's forwarding table (schemeNow) with each of
// the component schemes dropped forwarded to none: a kept entry that
// names one (by any of its versions) reads no scheme.
func forgetSchemes(prev *Document, dropped []*Scheme) map[*Scheme]*Scheme {
	out := cloneMap(prev.schemeNow, len(dropped))
	if out == nil {
		out = make(map[*Scheme]*Scheme, len(dropped))
	}
	for _, s := range dropped {
		key := s
		if s.origin != nil {
			key = s.origin
		}
		out[key] = nil
	}
	return out
}

// recheckSchemeReaders makes again, on d's kept units, the findings that
// read the component schemes (schemeCheckCodes), and those of the $refs
// resolved again (again), after the checks that claim them.
// The credentials sent over cleartext transports are looked for only when
// a server has one (no finding of that code otherwise, before or after).
func (d *Document) recheckSchemeReaders(again []*Ref) {
	for _, site := range d.securities {
		d.checkSecurity(site)
	}
	if slices.ContainsFunc(d.Servers, func(s *Server) bool { return s.Problem == "" && cleartextTransport(s) != "" }) {
		for _, s := range d.Servers {
			d.auditServer(s)
		}
		for _, op := range d.Operations {
			if op.Problem == "" && op.Key != nil { // (as auditOperation)
				d.auditOperationTransport(op, d.EffectiveSecurity(op))
			}
		}
	}
	for _, r := range again {
		d.checkRefResolved(r)
	}
}

// Component schemes given back, their readers kept.
//
// The inverse: components.securitySchemes (or components holding it, and
// no other model section with entries) given back as a block
// (blockRestore, componentsBack) to a document without component schemes
// builds the schemes alone (addUnit) and keeps their readers. A kept
// entry that named a scheme dropped before (schemeNow forwards it to
// none) is forwarded to the scheme of the same pointer given back; the
// $refs that read the section's paths are resolved again as for a drop
// (schemeReaders), the uses counted again (countUses), and the findings
// that read the schemes made again (recheckSchemeReaders) with the new
// schemes' own (checkScheme). Every kept entry must then name what a
// build names (entryAsBuilt): one built while its scheme was undefined
// (its unit rebuilt during the drop), or one whose $ref lands on
// something else now, takes the general path. So do other files,
// aliases, merges, a scheme that is a $ref, and other model sections
// given back with them.

// schemesGivenBack makes d's model from prev's, which has no component
// schemes, with the n schemes of the region (levels' last; ra and rb its
// $refs in prev.Refs) given back. handled is false when the give-back
// does not qualify (nothing is changed then: the general path runs);
// else ok is whether the model was made (false: noReuse said why).
func (d *Document) schemesGivenBack(u *regionChange, n int, secMaps [numSections]*syntax.Node, paths []string, ra, rb int) (handled, ok bool) {
	prev := u.prev
	pl := prev.shifts
	lv := u.levels[len(u.levels)-1]
	if prev.ext != nil || len(prev.far) > 0 || prev.Tree.Anchored() || d.Tree.Anchored() || len(u.below) > 0 ||
		len(prev.runs[secSchemes]) != 0 || len(u.pairs) == 0 || n > maxDrop(prev.unitCount()+n) {
		// (maxDrop bounds a give-back as it does a drop)
		return false, false
	}
	// (prev descends from a drop that kept the readers: its entries are
	// forwarded, and read through Entry; one the general path dropped
	// has its readers rebuilt without the schemes)
	if !prev.forwardsToNone() {
		return false, false
	}
	m := d.sectionMap(secSchemes).Resolve()
	if m == nil || m.Kind != syntax.MappingNode || hasMergeKey(m) || len(m.Content) != 2*n {
		return false, false
	}
	from, to := d.R(u.pairs[0]).Start, d.R(u.pairs[len(u.pairs)-1]).End
	for i := 0; i < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if r := d.R(k); r.Start < from || d.R(v).End > to || v.Resolve() != v || hasRefKey(v) {
			return false, false // (outside the region, an alias, a $ref)
		}
	}
	var readers []int
	for _, idx := range prev.refCandidates(paths, false) {
		if idx >= ra && idx < rb {
			continue
		}
		if r := prev.Refs[idx]; r.Local && readsPath(r, paths, nil) {
			readers = append(readers, idx)
		}
	}
	if len(readers) > 0 {
		var fine bool
		if readers, fine = prev.schemeReaders(u, secMaps, readers); !fine {
			return false, false
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
		}
	}()

	// The $refs: prev's without the region's, the fresh ones in their
	// place, and the readers' copies resolved again.
	again := d.refsAgain(prev, u, fresh, readers)
	for _, r := range slices.Concat(fresh, again) {
		if next := d.refAt(r.Resolved); next != nil && !next.Local {
			return false, false
		}
	}
	d.Refs = slices.Concat(prev.Refs[:ra], fresh, prev.Refs[rb:])
	d.targetsSince = prev.targetsSince[:len(prev.targetsSince):len(prev.targetsSince)]
	for _, r := range fresh {
		d.targetsSince = appendTargets(d.targetsSince, r)
	}
	againAt := make(map[int]bool, len(readers))
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

	// The model: prev's, with the schemes built (they come first: build
	// visits their section first, and they make nothing else).
	d.schemeByNode, d.serverByNode, d.channelByNode = prev.schemeByNode, prev.serverByNode, prev.channelByNode
	d.schemeOver, d.serverOver, d.channelOver = cloneMap(prev.schemeOver, n), cloneMap(prev.serverOver, 0), cloneMap(prev.channelOver, 0)
	if d.schemeOver == nil {
		d.schemeOver = make(map[*syntax.Node]*Scheme, n)
	}
	runs := make([]unitRuns, 0, n)
	for i := 0; i < len(m.Content); i += 2 { // (the other slices empty yet: the schemes' runs start at 0)
		start := d.lens()
		d.addUnit(secSchemes, m.Content[i], m.Content[i+1])
		runs = append(runs, spanOf(start, d.lens()))
	}
	d.Servers, d.Channels, d.ComponentChannels, d.Operations = slices.Clip(prev.Servers), slices.Clip(prev.Channels), slices.Clip(prev.ComponentChannels), slices.Clip(prev.Operations)
	d.Traits, d.securities, d.Inline = slices.Clip(prev.Traits), slices.Clip(prev.securities), slices.Clip(prev.Inline)
	d.runs = addedRuns(prev.runs, secSchemes, runs)
	d.srvLists = prev.srvLists
	d.merges, d.mergeIdx = prev.merges, prev.mergeIdx
	d.mergeIdx[secSchemes] = newMergeIndex(false, m)
	d.schemeNow = cloneMap(prev.schemeNow, 0)
	for key, now := range prev.schemeNow {
		if now != nil {
			continue
		}
		for _, s := range d.Schemes {
			if s.Pointer == key.Pointer {
				d.schemeNow[key] = s
				s.origin = key // (a later rebuild forwards it by that key)
			}
		}
	}
	if !d.entriesAsBuilt() {
		return false, false
	}

	// The diagnostics: the schemes', those that read them and the root
	// security's made again, the unused schemes' from the uses counted
	// again, prev's others but the region's, shifted.
	d.checkRootSecurity()
	for _, s := range d.Schemes {
		d.checkScheme(s)
	}
	for _, r := range fresh {
		d.checkRefResolved(r)
	}
	d.recheckSchemeReaders(again)
	d.useCount = d.countUses()
	d.reportUnused()
	recheck := schemeCheckCodes(d.Version)
	shiftR := regionShift(u, lv)
	keptFrom := len(d.Diagnostics)
	for _, dg := range prev.madeDiagnostics() {
		switch {
		case dg.Code == syntax.CodeYAMLSyntax || dg.Code == CodeVersion || dg.Code == CodeUnusedScheme || dg.Code == CodeSecurityRootLevel || isSchemaCode(dg.Code):
			continue // remade by analyze, checkVersion, reportUnused, checkRootSecurity and validateSchema
		case dg.Range.Start >= lv.Start && dg.Range.Start < lv.End:
			continue // the region's
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
	d.inc.units, d.inc.checked, d.inc.givenBack = n, n, n
	return true, true
}

// forwardsToNone reports whether d forwards a component scheme to none:
// kept entries name one that a drop took (forgetSchemes).
func (d *Document) forwardsToNone() bool {
	for _, s := range d.schemeNow {
		if s == nil {
			return true
		}
	}
	return false
}

// addedRuns returns the runs of a document in which section sec, which
// had no units, has the units runs (made in build order, where the
// section's units go): those of the sections after it move on by what
// they added.
func addedRuns(prev [numSections][]unitRuns, sec section, runs []unitRuns) [numSections][]unitRuns {
	out := prev
	out[sec] = runs
	var delta [numSlices]int32
	for _, r := range runs {
		for sl := range r {
			delta[sl] += r[sl][1] - r[sl][0]
		}
	}
	for s := sec + 1; s < numSections; s++ {
		list := make([]unitRuns, len(prev[s]))
		for i, r := range prev[s] {
			for sl := range r {
				r[sl][0] += delta[sl]
				r[sl][1] += delta[sl]
			}
			list[i] = r
		}
		out[s] = list
	}
	return out
}

// entriesAsBuilt reports whether every security entry of d names, as d
// has it (Entry), the component scheme a build of its unit would name:
// in 2.x the scheme of its name, in 3.x the one its $ref lands on (none
// when it does not resolve, and no $ref may land on anything else that
// a build would make an inline scheme of).
func (d *Document) entriesAsBuilt() bool {
	for _, site := range d.securities {
		for _, req := range site.sec.Alternatives {
			for _, e := range req.Entries {
				now := d.Entry(e)
				var want *Scheme
				switch {
				case !d.Version.V3():
					want = d.SchemeByName(e.Name)
				case e.Ref == nil:
					continue // an inline scheme, kept
				case now.Ref.Resolved != nil:
					if want = d.schemeAt(now.Ref.Resolved); want == nil && looksLikeScheme(now.Ref.Resolved) {
						return false // a build makes an inline scheme of it
					}
				}
				if now.Scheme != want {
					return false
				}
			}
		}
	}
	return true
}
