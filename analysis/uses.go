package analysis

import (
	"net/url"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Uses of security schemes.
//
// The places that use a scheme are not stored on the (shared, immutable)
// Scheme: they are replayed from the security sites and the $refs of a
// Document, in the order the checks visit them, when asked (Uses) and, as
// counts, when the unused-scheme check needs them.

// use is one use of a scheme: the node whose range is the use's.
type use struct {
	node  *syntax.Node
	owner string
}

// Uses returns the places that use s, in check order: the security lists
// (servers, traits, operations) and then, in 3.x, any other $ref that lands
// on it.
func (d *Document) Uses(s *Scheme) []Use {
	d.usesOnce.Do(func() {
		d.uses = map[*Scheme][]Use{}
		for sc, list := range d.replayUses(d.securities, d.Refs) {
			out := make([]Use, len(list))
			for i, u := range list {
				out[i] = Use{Range: d.R(u.node), Owner: u.owner}
			}
			d.uses[sc] = out
		}
	})
	return d.uses[s]
}

// replayUses returns the uses that sites and refs make, by scheme, exactly
// as the checks (checkRequirementV2, checkEntryV3, checkUnused) count them.
// The uses of disjoint parts of a document (an operation and the rest) add
// up, since a $ref only ever coincides with a use of its own site.
func (d *Document) replayUses(sites []*securitySite, refs []*Ref) map[*Scheme][]use {
	out := map[*Scheme][]use{}
	for _, site := range sites {
		sec := site.sec
		v := sec.Node.Resolve()
		if v.IsNull() || v.Kind != syntax.SequenceNode {
			continue
		}
		for _, req := range sec.Alternatives {
			item := req.Node
			if item == nil || item.Kind != syntax.MappingNode {
				continue
			}
			if d.Version.V3() {
				if len(req.Entries) == 0 {
					continue
				}
				e := d.Entry(req.Entries[0])
				switch {
				case e.Ref == nil:
					out[e.Scheme] = append(out[e.Scheme], use{item, site.owner})
				case e.Ref.Local && e.Ref.Resolved != nil && e.Scheme != nil:
					out[e.Scheme] = append(out[e.Scheme], use{e.Ref.Value, site.owner})
				}
				continue
			}
			if k, _ := item.Pair("$ref"); k != nil || item.Key("type") != nil || req.Empty {
				continue
			}
			for _, e := range req.Entries {
				if s := d.current(e.Scheme); s != nil {
					out[s] = append(out[s], use{e.Node, site.owner})
				}
			}
		}
	}
	if !d.Version.V3() {
		return out
	}
	// Any $ref that lands on a scheme uses it, wherever it is written,
	// once. The places of each scheme's uses are hashed when a $ref first
	// lands on it (thousands of operations may name one scheme).
	var at map[*Scheme]map[syntax.Range]bool
	use1 := func(s *Scheme, n *syntax.Node) {
		set := at[s]
		if set == nil {
			if at == nil {
				at = map[*Scheme]map[syntax.Range]bool{}
			}
			set = make(map[syntax.Range]bool, len(out[s])+1)
			for _, u := range out[s] {
				set[d.R(u.node)] = true
			}
			at[s] = set
		}
		if r := d.R(n); !set[r] {
			set[r] = true
			out[s] = append(out[s], use{n, ""})
		}
	}
	for _, r := range refs {
		if r.Resolved == nil {
			continue
		}
		if s := d.schemeAt(r.Resolved); s != nil {
			use1(s, r.Value)
		}
		// A component that is itself a $ref to another scheme shares its
		// node: the $ref naming it uses it too. (Every component's
		// pointer is under componentSchemes: a target elsewhere, written
		// without an escape samePointer decodes, names none.)
		if !strings.HasPrefix(r.Target, componentSchemes) && !strings.Contains(r.Target, "%") {
			continue
		}
		for _, s := range d.Schemes {
			if samePointer(s.Pointer, r.Target) {
				use1(s, r.Value)
			}
		}
	}
	return out
}

// refAt returns the $ref whose holder is n.
func (d *Document) refAt(n *syntax.Node) *Ref {
	if syntax.FileOf(n) != 0 {
		return d.foreignRef(n)
	}
	if r, ok := d.refOver[n]; ok {
		return r
	}
	return d.refByHolder[n]
}

// current returns the version of component scheme s that d has: s, or
// the version a later unit rebuild made (schemeNow) when s is an earlier
// one that a kept entry still points to.
func (d *Document) current(s *Scheme) *Scheme {
	if s == nil || len(d.schemeNow) == 0 {
		return s
	}
	key := s
	if s.origin != nil {
		key = s.origin
	}
	if n, ok := d.schemeNow[key]; ok {
		return n
	}
	return s
}

// Entry returns e as d has it: e itself, or, when the scheme it names was
// made again by a unit rebuild that kept e's unit (its content changed in
// no way e's checks read), a copy that names d's version of the scheme,
// with d's $ref and, for a $ref, the scopes of d's version. A scheme
// dropped since (compdrop.go) is forwarded to none: the copy names no
// scheme, and a $ref's has d's $ref (resolved again: it dangles) and no
// scopes, as parseEntryV3 makes it. Every reader of a security list's
// entries takes them through Entry (or Needs).
func (d *Document) Entry(e *Entry) *Entry {
	if e == nil || len(d.schemeNow) == 0 {
		return e
	}
	n := d.current(e.Scheme)
	var r *Ref // d's $ref of the entry, when it differs
	if e.Ref != nil {
		if now := d.refAt(e.Ref.Holder); now != nil && now != e.Ref {
			r = now
		}
	}
	if n == e.Scheme && r == nil {
		return e
	}
	c := *e
	c.Scheme = n
	if r != nil {
		c.Ref = r
	}
	switch {
	case e.Ref == nil:
	case n != nil: // parseEntryV3 takes these from the scheme
		c.Scopes, c.ScopesNode = n.Scopes, n.ScopesNode
		if n.Key != nil {
			c.Name = n.Name
		}
	default:
		c.Scopes, c.ScopesNode, c.Name = nil, nil, c.Ref.Target
		c.External = !c.Ref.Local && c.Ref.Resolved == nil
	}
	return &c
}

// schemeAt returns the scheme modelled from node n.
func (d *Document) schemeAt(n *syntax.Node) *Scheme {
	if s, ok := d.schemeOver[n]; ok {
		return s
	}
	return d.schemeByNode[n]
}

// claim marks a $ref as reported by a specific check.
func (d *Document) claim(r *Ref) {
	if d.entry != nil && syntax.FileOf(r.Holder) != 0 {
		// Another file's $ref (met under a unit's target, or met again
		// after farRefsUnder): no check reads its claim (checkRefResolved
		// reports the document's own).
		return
	}
	if d.entry != nil && !d.entry.owns(r) {
		if r.claimed {
			return // a relinked unit claims what it claimed before
		}
		d.entry.fail("a $ref outside the rebuilt units is claimed")
		return
	}
	r.claimed = true
}

// componentSchemes starts the pointer of every component scheme
// (PointerTo("components", "securitySchemes", name)).
var componentSchemes = PointerTo("components", "securitySchemes") + "/"

// samePointer compares a pointer built by PointerTo with one as written,
// which may be percent-encoded ("#/a%20b" is "#/a b").
func samePointer(built, written string) bool {
	if built == written {
		return true
	}
	if !strings.Contains(written, "%") {
		return false
	}
	dec, err := url.PathUnescape(written)
	return err == nil && dec == built
}
