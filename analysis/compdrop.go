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
// $ref to a node elsewhere, which its readers would still find.
func schemesIn(list []*Scheme, in func(*syntax.Node) bool) bool {
	for _, s := range list {
		if !in(s.Node) || !in(s.Key) {
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
