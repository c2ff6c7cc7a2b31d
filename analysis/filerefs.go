package analysis

import (
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
)

// A $ref whose target in another file holds $refs.
//
// The other files' $refs a full build resolves (extState.refs, with their
// edges) are those its model, its checks and the schema validation meet
// under the targets of the document's $refs, lazily (foreignRef). A unit
// rebuild whose region replaces $refs that led to such targets (its
// $ref edited to another target, deleted, or typed beside) cannot tell,
// from the $refs alone, which of those the new version still meets. It
// can when everything that meets them is done again: farRefsUnder
// gathers the other files' $refs met under the old targets (and under
// those $refs' own targets, and so on), with those under the targets of
// the document's $refs that reach them, whose units are rebuilt and
// checked and whose targets validated again (coverFar, below), and gives
// up when one lies under the target of a $ref that the rebuild does not
// do again (another file's $ref met from elsewhere) or in a file with
// anchors (an alias may lead there from anywhere).
// dropFarRefs forgets them with their edges before the rebuilt units are
// built, so that the rebuilt units' models and checks, and the schema
// validation of the region and of the $refs resolved again, meet anew
// (foreignRef, follow) exactly those a full build meets; a $ref resolved
// again whose new target holds one of them is left to a full build
// (againReachesDropped), as its unit may be kept, unless coverFar
// rebuilt its unit.

// forgetFarRefs is false only in benchmarks that measure, side by side,
// the full model build such an edit took before, with the schema
// validation of the whole document (schemaChanges) (BenchmarkFarRefEdit).
var forgetFarRefs = true

// within reports whether the node h lies inside t (same file).
func within(h, t *syntax.Node) bool {
	if t == nil || h == nil || syntax.FileOf(h) != syntax.FileOf(t) {
		return false
	}
	hr, tr := h.Range(), t.Range()
	return tr.Start <= hr.Start && hr.End <= tr.End
}

// farRefsUnder returns the other files' $refs that d resolved under the
// targets in other files of d.Refs[ra:rb], and of the $refs that reach
// those (c.far: coverFar), by holder, or why the rebuild cannot forget them
// (see above); nil, "" when there are none.
func (d *Document) farRefsUnder(ra, rb int, c *refCover) (map[*syntax.Node]*Ref, string) {
	if d.ext == nil {
		return nil, ""
	}
	var targets []*syntax.Node
	for i, r := range d.Refs {
		if t := r.Resolved; syntax.FileOf(t) != 0 && (i >= ra && i < rb || c.farHandled(i)) {
			targets = append(targets, t)
		}
	}
	var out map[*syntax.Node]*Ref
	for len(targets) > 0 {
		t := targets[len(targets)-1]
		targets = targets[:len(targets)-1]
		if f := d.ext.files[syntax.FileOf(t)]; f == nil || f.tree.Anchored() {
			return nil, "the edit replaces a $ref whose target in another file holds $refs"
		}
		for h, r := range d.ext.refs {
			if out[h] == nil && within(h, t) {
				if out == nil {
					out = map[*syntax.Node]*Ref{}
				}
				out[h] = r
				if syntax.FileOf(r.Resolved) != 0 {
					targets = append(targets, r.Resolved)
				}
			}
		}
	}
	if out == nil {
		return nil, ""
	}
	if !forgetFarRefs {
		return nil, "the edit replaces a $ref whose target in another file holds $refs"
	}
	reaches := func(t *syntax.Node) bool {
		for h := range out {
			if within(h, t) {
				return true
			}
		}
		return false
	}
	for i, r := range d.Refs {
		if (i < ra || i >= rb) && !c.farHandled(i) && reaches(r.Resolved) {
			return nil, "a $ref's target in another file holds $refs another $ref reaches"
		}
	}
	for h, r := range d.ext.refs {
		if out[h] == nil && reaches(r.Resolved) {
			return nil, "a $ref's target in another file holds $refs another $ref reaches"
		}
	}
	return out, ""
}

// dropFarRefs forgets, in d's copy of what prev knew of other files, the
// other files' $refs gone (farRefsUnder) and their edges.
func (d *Document) dropFarRefs(gone map[*syntax.Node]*Ref) {
	if len(gone) == 0 {
		return
	}
	for h := range gone {
		delete(d.ext.refs, h)
	}
	edges := d.ext.edges[:0:0]
	for _, e := range d.ext.edges {
		if gone[e.from.Holder] != e.from {
			edges = append(edges, e)
		}
	}
	d.ext.edges = edges
}

// againReachesDropped reports whether a $ref resolved again (resolve,
// prev's kept ones copied) now lands where a forgotten $ref of another
// file lies, other than one whose unit coverFar forced (its processing
// and the validation of its target meet them again).
func againReachesDropped(resolve []*Ref, gone map[*syntax.Node]*Ref, c *refCover) bool {
	var handled map[*syntax.Node]bool
	if c != nil && len(c.far) > 0 {
		handled = make(map[*syntax.Node]bool, len(c.far))
		for i := range c.far {
			handled[c.prev.Refs[i].Holder] = true
		}
	}
	for _, r := range resolve {
		if syntax.FileOf(r.Resolved) == 0 || handled[r.Holder] {
			continue
		}
		for h := range gone {
			if within(h, r.Resolved) {
				return true
			}
		}
	}
	return false
}

// newFarInline reports whether a rebuilt unit may make an inline scheme
// of n, a node of another file that looks like a scheme and that no scheme
// of the model stands for: no $ref of the previous version lands there
// (the document's, or another file's it met), so that no kept unit names
// it, and the rebuilt units that do make it and find it in build order,
// as a full build does. So may one of a node that refCover covered (a
// unit that was a $ref to n no longer is: coverFile rebuilt and checked
// every unit whose $refs, or whose targets' other files' $refs, land
// there). A node of the document itself is left to a full build.
func (e *entryRebuild) newFarInline(n *syntax.Node) bool {
	if e.prev == nil || syntax.FileOf(n) == 0 {
		return false
	}
	if e.covered[n] {
		return true
	}
	for _, r := range e.prev.Refs {
		if r.Resolved == n {
			return false
		}
	}
	if e.prev.ext != nil {
		for _, r := range e.prev.ext.refs {
			if r.Resolved == n {
				return false
			}
		}
	}
	return true
}

// Other $refs that reach the other files' $refs an edit forgets.
//
// farRefsUnder forgets the other files' $refs met under the targets of the
// region's $refs; a $ref of the document outside the region whose target
// reaches one of them (through the other files' $refs met under it, and
// theirs in turn) may have its processing meet it too, and a $ref
// resolved again (again) led to its own. A full build meets such a $ref
// where the model of the unit that holds the document's $ref, its checks
// or the schema validation of that $ref's target walk to it. The rebuild
// makes all of them meet again what they meet now: the other files'
// $refs under the targets of every $ref that reaches a forgotten one are
// forgotten too (so that none stays met that no $ref meets any longer),
// the units of those $refs are rebuilt and checked, and the schema
// validation takes their targets again (farInto). That is a fixpoint:
// forgetting more reaches more $refs. One held outside the units is left
// to a full build.

// farReach is what the other files' $refs a document met (ext.refs) lead
// to, by file: the closure of a target, memoized.
type farReach struct {
	ext    *extState
	byFile map[uint32][]*Ref
	memo   map[*syntax.Node][]*syntax.Node
}

// farReach returns c's farReach of the previous version, made when first
// needed.
func (c *refCover) farReach() *farReach {
	if c.reach == nil {
		c.reach = newFarReach(c.prev.ext)
	}
	return c.reach
}

func newFarReach(ext *extState) *farReach {
	x := &farReach{ext: ext, byFile: map[uint32][]*Ref{}, memo: map[*syntax.Node][]*syntax.Node{}}
	for h, r := range ext.refs {
		id := syntax.FileOf(h)
		x.byFile[id] = append(x.byFile[id], r)
	}
	return x
}

// under returns the holders of the other files' $refs met under t (a node
// of another file), and under their targets in turn; false when one of
// those files has anchors (an alias may lead there from anywhere) or is
// not read.
func (x *farReach) under(t *syntax.Node) ([]*syntax.Node, bool) {
	if out, ok := x.memo[t]; ok {
		return out, true
	}
	var out []*syntax.Node
	seen := map[*syntax.Node]bool{}
	targets := []*syntax.Node{t}
	for len(targets) > 0 {
		n := targets[len(targets)-1]
		targets = targets[:len(targets)-1]
		id := syntax.FileOf(n)
		if f := x.ext.files[id]; f == nil || f.tree.Anchored() {
			return nil, false
		}
		for _, r := range x.byFile[id] {
			if !seen[r.Holder] && within(r.Holder, n) {
				seen[r.Holder] = true
				out = append(out, r.Holder)
				if syntax.FileOf(r.Resolved) != 0 {
					targets = append(targets, r.Resolved)
				}
			}
		}
	}
	x.memo[t] = out
	return out, true
}

// coverFar finds the $refs of the previous version outside the region
// that reach the other files' $refs the rebuild forgets (see above), and
// forces their units; far holds their indexes and farGone the holders
// forgotten.
func (c *refCover) coverFar(force func(unitID), again map[int]bool) {
	prev := c.prev
	if prev.ext == nil || len(prev.ext.refs) == 0 || !forgetFarRefs || c.why != "" {
		return // (no other file's $ref met: none to forget)
	}
	for i := c.ra; i < c.rb; i++ {
		if !c.addGone(prev.Refs[i].Resolved) {
			return // (farRefsUnder says why)
		}
	}
	for i := range again {
		if t := prev.Refs[i].Resolved; syntax.FileOf(t) != 0 && !c.far[i] {
			if hs, _ := c.farReach().under(t); len(hs) > 0 {
				c.addFar(i)
			}
		}
	}
	for i := range c.far {
		if !c.addGone(prev.Refs[i].Resolved) {
			c.fail("a $ref that reaches $refs the edit forgets leads into a file with anchors")
			return
		}
	}
	if len(c.farGone) == 0 {
		return
	}
	for changed := true; changed; {
		changed = false
		for i, r := range prev.Refs {
			if i >= c.ra && i < c.rb || c.far[i] || syntax.FileOf(r.Resolved) == 0 {
				continue
			}
			hs, ok := c.farReach().under(r.Resolved)
			if !ok || !slices.ContainsFunc(hs, func(h *syntax.Node) bool { return c.farGone[h] }) {
				continue
			}
			c.addFar(i)
			for _, h := range hs {
				changed = changed || !c.farGone[h]
				c.farGone[h] = true
			}
		}
	}
	for i := range c.far {
		if c.farForced[i] {
			continue
		}
		c.farForced[i] = true
		id, ok := prev.unitAt(c.secMaps, prev.shifts.R(prev.Refs[i].Holder).Start)
		if !ok {
			c.fail("a $ref outside the units reaches $refs in another file the edit forgets")
			return
		}
		force(id)
	}
}

// addGone adds the other files' $refs met under t to farGone; false when
// a file on the way has anchors.
func (c *refCover) addGone(t *syntax.Node) bool {
	if syntax.FileOf(t) == 0 {
		return true
	}
	hs, ok := c.farReach().under(t)
	if !ok {
		return false
	}
	for _, h := range hs {
		if c.farGone == nil {
			c.farGone = map[*syntax.Node]bool{}
		}
		c.farGone[h] = true
	}
	return true
}

func (c *refCover) addFar(i int) {
	if c.far == nil {
		c.far, c.farForced = map[int]bool{}, map[int]bool{}
	}
	c.far[i] = true
}

// farInto returns the paths (in d, the new version) of the $refs whose
// units coverFar forced: the schema validation takes their targets
// again, meeting anew the other files' $refs there.
func (c *refCover) farInto(d *Document, out [][]string) [][]string {
	if c == nil {
		return out
	}
	for i := range c.far {
		out = append(out, d.holderTokens(c.prev.Refs[i].Holder))
	}
	return out
}

// farHandled reports whether prev.Refs[i] is one whose units coverFar
// forced.
func (c *refCover) farHandled(i int) bool {
	return c != nil && c.far[i]
}

// farReaders returns the units of the document's $refs whose targets
// reach (farReach) another file's $ref that lands in n, a node of another
// file: their models, checks and schema validation meet that $ref and
// read what n is (a unit that is a $ref to n makes it). False, with the
// cover failed (strict), when one of them is held outside the units or a
// file on the way has anchors.
func (c *refCover) farReaders(n *syntax.Node, strict bool) ([]unitID, bool) {
	prev := c.prev
	if prev.ext == nil {
		return nil, true
	}
	id, nr := syntax.FileOf(n), n.Range()
	var lands map[*syntax.Node]bool
	for h, r := range prev.ext.refs {
		if r.Resolved != nil && syntax.FileOf(r.Resolved) == id && overlaps(r.Resolved.Range(), nr) {
			if lands == nil {
				lands = map[*syntax.Node]bool{}
			}
			lands[h] = true
		}
	}
	if len(lands) == 0 {
		return nil, true
	}
	var out []unitID
	for _, r := range prev.Refs {
		if syntax.FileOf(r.Resolved) == 0 {
			continue
		}
		hs, ok := c.farReach().under(r.Resolved)
		if !ok {
			if strict {
				c.fail("a $ref's target in another file with anchors reaches a unit's $ref target")
			}
			return nil, false
		}
		if !slices.ContainsFunc(hs, func(h *syntax.Node) bool { return lands[h] }) {
			continue
		}
		u, ok := prev.unitAt(c.secMaps, prev.shifts.R(r.Holder).Start)
		if !ok {
			if strict {
				c.fail("a $ref outside the units reaches another file's $ref that lands on a unit's $ref target")
			}
			return nil, false
		}
		out = append(out, u)
	}
	return out, true
}

// knownTarget returns the node of another file that a $ref of the
// document whose value is target lands on, as d resolves it (follow):
// through the files d read and the $refs they hold. Nil when it leads to
// a file d did not read (nothing of d lands there), to the document
// itself, or nowhere. It reads nothing and records nothing.
func (d *Document) knownTarget(target string) *syntax.Node {
	if d.ext == nil {
		return nil
	}
	var file uint32
	var seen []*syntax.Node
	for cur := target; ; {
		t := workspace.ParseRef(cur)
		var root *syntax.Node
		frag := t.Fragment
		switch t.Kind {
		case workspace.RefLocal:
			if file == 0 {
				return nil
			}
			root = d.ext.files[file].root
		case workspace.RefFile:
			base := d.basePath(file)
			if base == "" {
				return nil
			}
			lr, ok := d.ext.loaded[workspace.Join(base, t.Path)]
			if !ok || lr.err != nil || lr.f == nil {
				return nil
			}
			pf := parsedFile(lr.f)
			if d.ext.files[pf.id] != pf {
				return nil
			}
			root, file = pf.root, pf.id
			if frag == "" {
				frag = "#"
			}
		default:
			return nil
		}
		n, err := resolvePointerIndexed(root, frag, nil)
		if err != nil || slices.Contains(seen, n) {
			return nil
		}
		next := d.ext.files[file].refs[n]
		if next == nil {
			return n
		}
		seen = append(seen, n)
		cur = next.Target
	}
}

// farReadersRebuilt reports whether every unit whose model may read h,
// another file's $ref (the units of the document's $refs whose targets
// reach it: farReach), is rebuilt and checked again, and one is: an
// inline scheme a rebuilt unit made of where h lands is then made anew by
// the first of them, as a full build makes it (ownInline). The $refs the
// region replaces are none of them.
func (c *refCover) farReadersRebuilt(h *syntax.Node) bool {
	prev := c.prev
	some := false
	for i, r := range prev.Refs {
		if syntax.FileOf(r.Resolved) == 0 || c.inRegion(i) {
			continue
		}
		hs, ok := c.farReach().under(r.Resolved)
		if !ok {
			return false
		}
		if !slices.Contains(hs, h) {
			continue
		}
		u, ok := prev.unitAt(c.secMaps, prev.shifts.R(r.Holder).Start)
		if !ok || !c.checked(u) {
			return false
		}
		some = true
	}
	return some
}
