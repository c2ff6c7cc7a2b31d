package analysis

import (
	"fmt"
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// refHolderRegion widens a region re-parse whose entries include a $ref
// mapping's own entries to that mapping's entry. The region is then the
// $ref mapping whole, as a YAML edit of the same text often has it
// (`channel:` with its `$ref:` line below): a $ref key typed into or out
// of, its colon deleted or typed back, or a member typed beside it
// changes what the object is (a Reference or inline), and the model,
// which reads the mapping as one (its $ref, held by the mapping, is not
// among the region's), rebuilds the unit that holds it with the region's
// $refs made anew (rebuildUnits, spliceRefs).
//
// The cut is at the outermost mapping of levels that holds a $ref, or at
// the region's own mapping when the new pairs bring one (a key given back
// its name); an edit of the $ref's value alone (refValueEdit) keeps its
// region, which rebuildUnits replaces the $ref of in place. tree is the
// new tree, whose mappings along levels are path-copies at the same
// indexes. It returns levels and pairs unchanged when there is nothing
// to widen, or the root itself holds the $ref (a full build), and below:
// the levels cut off (their mappings are not in the new tree).
func refHolderRegion(tree *syntax.Node, levels []syntax.Level, pairs []*syntax.Node) (_ []syntax.Level, _ []*syntax.Node, below []syntax.Level) {
	last := len(levels) - 1
	valueEdit := refValueEdit(levels[last], pairs)
	cut := len(levels)
	for j, l := range levels {
		if hasRefKey(l.Map) && !(valueEdit && j == last) {
			cut = j
			break
		}
	}
	if cut == len(levels) && hasRefPair(pairs) && !valueEdit {
		cut = last
	}
	if cut == len(levels) || cut == 0 {
		return levels, pairs, nil
	}
	nm := tree
	for j := range cut - 1 {
		l := levels[j]
		if nm == nil || nm.Kind != syntax.MappingNode || len(nm.Content) != len(l.Map.Content) {
			return levels, pairs, nil
		}
		nm = nm.Content[2*l.Index+1]
	}
	p := levels[cut-1]
	if nm == nil || nm.Kind != syntax.MappingNode || len(nm.Content) != len(p.Map.Content) {
		return levels, pairs, nil
	}
	return levels[:cut], nm.Content[2*p.Index : 2*p.Index+2 : 2*p.Index+2], levels[cut:]
}

// refUnitAlone says why a unit that is a $ref (own, landing on n: the
// previous version's, or the new one's) cannot be rebuilt by itself, or
// "" when it can. Its model is read through the $ref: its objects hold
// n, where the node lookups (schemeAt, serverAt, channelAt) find them
// from any $ref that lands there. The unit is rebuilt alone when n is
// in another file (not a node another unit models in this document; the
// other files' $refs it holds are met again: farRefsUnder, and their
// claims are no check's: claim), and
// every other $ref that lands on n went through the unit's entry (path):
// those are resolved again with the change and their units rebuilt
// (rebuildUnits' scan), while one that names n itself (a requirement
// that $refs the file, another unit that is a $ref to it) or another
// file's $ref that lands there would find the unit's object, or lose
// it, unseen. An unresolved $ref models the unit from its own mapping.
// refs are the document's $refs, ext what it knows of other files; why
// is the reason given otherwise.
func (d *Document) refUnitAlone(refs func(yield func(*Ref) bool), own *Ref, path string, n *syntax.Node, ext *extState, why string) string {
	if n == nil {
		return ""
	}
	id := syntax.FileOf(n)
	if id == 0 || ext == nil || ext.files[id] == nil {
		return why
	}
	for _, r := range ext.refs {
		if r.Resolved == n {
			return why
		}
	}
	for r := range refs {
		if r != own && r.Resolved == n && !readsPath(r, []string{path}, nil) {
			return why
		}
	}
	return ""
}

// unitPath is the raw path of the entry named key of section sec.
func unitPath(sec section, key string) string {
	return rawPath(append(slices.Clone(sectionPaths[sec]), key)...)
}

// forgetRefTargets makes the nodes that rebuilt units which were $refs
// landed on (olds, in other files: refUnitAlone) find no scheme or
// channel of the previous version: one that still lands there sets it
// again (newScheme, setChannel), as a server does (applyRebuild).
func (d *Document) forgetRefTargets(prev *Document, olds []*syntax.Node) {
	for _, n := range olds {
		if prev.schemeAt(n) != nil {
			d.schemeOver[n] = nil
		}
		if prev.channelAt(n) != nil {
			d.channelOver[n] = nil
		}
	}
}

// refsAfterRebuild yields the $refs of a document a unit rebuild makes:
// the region's (fresh), and prev's others, as copied when resolved again
// or rebuilt (copyOf, which applyRebuild adds to as it goes).
func (d *Document) refsAfterRebuild(prev *Document, fresh []*Ref, copyOf map[int]*Ref, ra, rb int) func(yield func(*Ref) bool) {
	return func(yield func(*Ref) bool) {
		for _, r := range fresh {
			if !yield(r) {
				return
			}
		}
		for i, r := range prev.Refs {
			if i >= ra && i < rb {
				continue
			}
			if c := copyOf[i]; c != nil {
				r = c
			}
			if !yield(r) {
				return
			}
		}
	}
}

// refUnitNow is refUnitAlone for a rebuilt unit's new value v (the entry
// key of section sec), when it is a $ref; refs are the new $refs.
func (d *Document) refUnitNow(v *syntax.Node, sec section, key *syntax.Node, refs func(yield func(*Ref) bool)) string {
	r := d.refAt(v.Resolve())
	if r == nil {
		return ""
	}
	return d.refUnitAlone(refs, r, unitPath(sec, key.Value), r.Resolved, d.ext, "a rebuilt unit is a $ref")
}

// Diagnostics on other files of rebuilt units.
//
// A check of a unit's object that reports on a node of another file (a
// scheme's problem in a shared file) has its diagnostic relocated onto
// the $ref that leads there, which may lie in another unit, and
// relocate keeps one of several that land on one place with one message.
// The full build remembers, by object, the diagnostics as the checks made
// them (markFar). A unit checked again drops the relocated ones its
// previous objects made (farKeys: each found once among the previous
// version's relocated diagnostics) and relocates those its new objects
// make; one that another object, kept, made too is left to a full build.

// appendFarOf appends the diagnostics the objects of a unit's runs made
// on other files (markFar) to out, and marks the objects in objs.
func (d *Document) appendFarOf(out []syntax.Diagnostic, runs unitRuns, objs map[any]bool) []syntax.Diagnostic {
	for sl := range numSlices {
		for x := runs[sl][0]; x < runs[sl][1]; x++ {
			o := d.objectAt(sl, x)
			if far := d.far[o]; far != nil {
				out = append(out, far...)
				objs[o] = true
			}
		}
	}
	return out
}

// relocatedKey names a relocated diagnostic as relocate tells them apart.
func relocatedKey(dg syntax.Diagnostic) string {
	return fmt.Sprintf("%d:%d:%s:%s", dg.Range.Start, dg.Range.End, dg.Code, dg.Message)
}

// farKeys relocates, as d (the previous version) did, the diagnostics on
// other files that the objects objs made (made), and counts them by
// relocatedKey; it says why not when another object's, kept, land on one
// of those too.
func (d *Document) farKeys(made []syntax.Diagnostic, objs map[any]bool) (map[string]int, string) {
	if len(made) == 0 {
		return nil, ""
	}
	keys := map[string]int{}
	for _, dg := range d.relocateDiagnostics(slices.Clone(made)) {
		keys[relocatedKey(dg)]++
	}
	// (d.far may hold objects of earlier versions: d's own are looked up)
	n := d.lens()
	for sl := range numSlices {
		for x := range n[sl] {
			o := d.objectAt(sl, x)
			if objs[o] || d.far[o] == nil {
				continue
			}
			for _, dg := range d.relocateDiagnostics(slices.Clone(d.far[o])) {
				if keys[relocatedKey(dg)] > 0 {
					return nil, "a checked unit's diagnostic on another file is another unit's too"
				}
			}
		}
	}
	return keys, ""
}

// noteFar marks obj (of d, a rebuilt unit's) with the diagnostics its
// checks, since index from, made on other files (markFar), copying prev's
// marks first unless owned; it reports whether it marked it.
func (d *Document) noteFar(prev *Document, obj any, from int, owned bool) bool {
	var far []syntax.Diagnostic
	for _, dg := range d.Diagnostics[from:] {
		if id, _ := splitRange(dg.Range); id != 0 {
			far = append(far, dg)
		}
	}
	if far == nil {
		return false
	}
	if !owned {
		d.far = cloneMap(prev.far, 8)
	}
	d.far[obj] = far
	return true
}
