package analysis

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// refTargets indexes the local $refs of the document a full build made by
// the raw pointers (rawPointer) their resolution read: the target and
// every $ref of the chain it went through. A unit rebuild looks up the
// $refs that a changed path reaches there instead of walking every $ref of
// the document, so that a keystroke in a scheme costs in proportion to
// its dependents.
//
// The index is built once, from the full build's $refs, on the first
// rebuild that needs it, and shared by the documents that unit rebuilds
// make from that one. Each of those
// adds what changed (Document.targetsSince): the pointers read by the
// $refs it made (the region's) and by those it resolved again whose chain
// went another way. A $ref's pointers are then under the index or
// targetsSince, so the holders found there are a superset of those whose
// resolution read a path (some are gone, or now hold a $ref that reads
// other pointers): each candidate is looked up in the document's own $refs
// and checked there.
type refTargets struct {
	refs []*Ref // the full build's (until the index is built)
	once sync.Once
	by   map[string][]*syntax.Node // raw pointer -> holders
	keys []string                  // the keys of by, sorted
	// at: the index of each holder's first $ref in the full build's list,
	// which refEdits map to the index in a later version's
	at map[*syntax.Node]int32
}

// refEdit is how a unit rebuild changed the list of $refs: the removed
// ones from index at on (the region's), replaced by added ones.
type refEdit struct{ at, removed, added int }

// maxRefEdits bounds the edits a lookup maps an index through; past it,
// holders are searched for by position.
const maxRefEdits = 64

// refIndexAfter maps the index i of a $ref in the full build's list
// through edits, or returns false when an edit removed it.
func refIndexAfter(i int, edits []refEdit) (int, bool) {
	for _, e := range edits {
		switch {
		case i < e.at:
		case i < e.at+e.removed:
			return 0, false
		default:
			i += e.added - e.removed
		}
	}
	return i, true
}

// targetOf is a raw pointer a $ref's resolution read.
type targetOf struct {
	raw    string
	holder *syntax.Node
}

// appendTargets appends the raw pointers r's resolution read.
func appendTargets(out []targetOf, r *Ref) []targetOf {
	if raw, ok := rawPointer(r.Target); ok {
		out = append(out, targetOf{raw, r.Holder})
	}
	for _, v := range r.via {
		if raw, ok := rawPointer(v); ok {
			out = append(out, targetOf{raw, r.Holder})
		}
	}
	return out
}

func (t *refTargets) build() {
	refs := t.refs
	t.refs = nil
	t.by = make(map[string][]*syntax.Node, len(refs)/4)
	add := func(target string, holder *syntax.Node) {
		if raw, ok := rawPointer(target); ok {
			if l := t.by[raw]; len(l) == 0 || l[len(l)-1] != holder {
				t.by[raw] = append(l, holder)
			}
		}
	}
	t.at = make(map[*syntax.Node]int32, len(refs))
	for i, r := range refs {
		if _, ok := t.at[r.Holder]; !ok {
			t.at[r.Holder] = int32(i)
		}
		if !r.Local {
			continue
		}
		add(r.Target, r.Holder)
		for _, v := range r.via {
			add(v, r.Holder)
		}
	}
	t.keys = make([]string, 0, len(t.by))
	for k := range t.by {
		t.keys = append(t.keys, k)
	}
	sort.Strings(t.keys)
}

// Warm builds the indexes that the first incremental update would build
// lazily (the $ref targets: 20 ms at 5 MB), so that a server that calls it
// after a document's first analysis spares that to the first keystroke.
func (d *Document) Warm() {
	if d != nil && d.targets != nil {
		d.targets.once.Do(d.targets.build)
	}
}

// Warmed reports whether the indexes Warm builds are built (tests).
func (d *Document) Warmed() bool {
	return d != nil && d.targets != nil && d.targets.by != nil
}

// refCandidates returns the indexes in d.Refs (sorted, each once) of the
// $refs whose resolution may have read one of paths: exactly (exact), or
// a path on its line of descent (related: a prefix of it, or one it is a
// prefix of). Callers check each candidate. d's model is a full build's,
// which made the index, or a unit rebuild's, which shares it.
func (d *Document) refCandidates(paths []string, exact bool) []int {
	t := d.targets
	t.once.Do(t.build)
	var holders []*syntax.Node
	for _, p := range paths {
		if exact {
			holders = append(holders, t.by[p]...)
			continue
		}
		for l := range len(p) { // its prefixes (p itself below)
			holders = append(holders, t.by[p[:l]]...)
		}
		for i := sort.SearchStrings(t.keys, p); i < len(t.keys) && strings.HasPrefix(t.keys[i], p); i++ {
			holders = append(holders, t.by[t.keys[i]]...)
		}
	}
	var set map[string]bool // exact: paths, made on the first pointer looked up
	for _, t := range d.targetsSince {
		if exact {
			if set == nil {
				set = make(map[string]bool, len(paths))
				for _, p := range paths {
					set[p] = true
				}
			}
			if set[t.raw] {
				holders = append(holders, t.holder)
			}
			continue
		}
		for _, p := range paths {
			if related(t.raw, p) {
				holders = append(holders, t.holder)
				break
			}
		}
	}
	return d.refIndexes(holders)
}

// appendHeld appends the indexes of the $refs held by h when they are where
// the full build's list and refEdits put them: true when h is found;
// false when it must be searched for.
func (d *Document) appendHeld(out []int, h *syntax.Node) ([]int, bool) {
	t := d.targets
	b, ok := t.at[h]
	if !ok || len(d.refEdits) > maxRefEdits {
		return out, false
	}
	i, ok := refIndexAfter(int(b), d.refEdits)
	if !ok {
		// In the region of an edit: gone, or (compact JSON, whose region
		// is a path copy that shares the members it did not re-parse)
		// still held, elsewhere in the list.
		return out, false
	}
	if i >= len(d.Refs) || d.Refs[i].Holder != h {
		return out, false
	}
	for ; i < len(d.Refs) && d.Refs[i].Holder == h; i++ {
		out = append(out, i)
	}
	return out, true
}

// refIndexes returns the indexes in d.Refs (sorted, each once) of the
// $refs held by holders (none for a holder no longer in the tree): those
// of the full build where its list and refEdits put them (appendHeld),
// the others searched for by position, in text order, each from the one
// before (d.Refs is in the order of their holders' starts).
func (d *Document) refIndexes(holders []*syntax.Node) []int {
	type at struct {
		start int
		n     *syntax.Node
	}
	var out []int
	list := make([]at, 0, 16)
	for _, h := range holders {
		var found bool
		if out, found = d.appendHeld(out, h); !found {
			list = append(list, at{d.shifts.R(h).Start, h})
		}
	}
	slices.SortFunc(list, func(a, b at) int { return a.start - b.start })
	refStart := func(i int) int { return d.shifts.R(d.Refs[i].Holder).Start }
	from := 0
	for j, h := range list {
		if j > 0 && h == list[j-1] {
			continue
		}
		from = gallop(from, len(d.Refs), func(i int) bool { return refStart(i) >= h.start })
		for i := from; i < len(d.Refs) && refStart(i) == h.start; i++ {
			if d.Refs[i].Holder == h.n {
				out = append(out, i)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
