package analysis

import "github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"

// A $ref whose target in another file holds $refs.
//
// The other files' $refs a full build resolves (extState.refs, with their
// edges) are those its model, its checks and the schema validation meet
// under the targets of the document's $refs, lazily (foreignRef). A unit
// rebuild whose region replaces $refs that led to such targets (its
// $ref edited to another target, deleted, or typed beside) cannot tell,
// from the $refs alone, which of those the new version still meets. It
// can when they are met again only through the region: farRefsUnder
// gathers the other files' $refs met under the old targets (and under
// those $refs' own targets, and so on), and gives up when one of them
// lies under the target of a $ref that the rebuild does not follow again
// (a kept $ref of the document, another file's $ref met from elsewhere)
// or in a file with anchors (an alias may lead there from anywhere).
// dropFarRefs forgets them with their edges before the rebuilt units are
// built, so that the rebuilt units' models and checks, and the schema
// validation of the region and of the $refs resolved again, meet anew
// (foreignRef, follow) exactly those a full build meets; a $ref resolved
// again whose new target holds one of them is left to a full build
// (againReachesDropped), as its unit may be kept.

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
// targets in other files of d.Refs[ra:rb], by holder, or why the rebuild
// cannot forget them (see above); nil, "" when there are none.
func (d *Document) farRefsUnder(ra, rb int) (map[*syntax.Node]*Ref, string) {
	if d.ext == nil {
		return nil, ""
	}
	var targets []*syntax.Node
	for i := ra; i < rb; i++ {
		if t := d.Refs[i].Resolved; syntax.FileOf(t) != 0 {
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
		if (i < ra || i >= rb) && reaches(r.Resolved) {
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
// file lies.
func againReachesDropped(resolve []*Ref, gone map[*syntax.Node]*Ref) bool {
	for _, r := range resolve {
		if syntax.FileOf(r.Resolved) == 0 {
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
// as a full build does. A node of the document itself is left to a full
// build.
func (e *entryRebuild) newFarInline(n *syntax.Node) bool {
	if e.prev == nil || syntax.FileOf(n) == 0 {
		return false
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
