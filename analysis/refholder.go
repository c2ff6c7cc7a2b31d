package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

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
// A target in the document is rebuilt with its sharers (refCover) when
// covered holds it; one in another file that covered holds needs no
// $ref to go through the unit's entry (their units are rebuilt and
// checked). refs are the document's $refs, ext what it knows of other
// files; why is the reason given otherwise.
func (d *Document) refUnitAlone(refs func(yield func(*Ref) bool), own *Ref, path string, n *syntax.Node, ext *extState, covered map[*syntax.Node]bool, why string) string {
	if n == nil {
		return ""
	}
	id := syntax.FileOf(n)
	if id == 0 && covered[n] {
		return ""
	}
	if id == 0 || ext == nil || ext.files[id] == nil {
		return why
	}
	if covered[n] {
		return "" // the units of the other $refs that land there, or reach one that does, are rebuilt
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
func (d *Document) refUnitNow(v *syntax.Node, sec section, key *syntax.Node, refs func(yield func(*Ref) bool), covered map[*syntax.Node]bool) string {
	r := d.refAt(v.Resolve())
	if r == nil {
		return ""
	}
	return d.refUnitAlone(refs, r, unitPath(sec, key.Value), r.Resolved, d.ext, covered, "a rebuilt unit is a $ref")
}

// restoredRefOK reports whether a unit of a section given back (its key k
// and value v, of section sec: addRestored) may be made by the rebuild:
// it is no $ref, or a $ref into another file whose target nothing else
// finds (refUnitAlone, on the new $refs, refs): the previous version had no
// such unit, so no claim of its is taken back, and the other files'
// $refs under its target are met by its build as by a full one.
func (d *Document) restoredRefOK(sec section, k, v *syntax.Node, refs func(yield func(*Ref) bool)) bool {
	r := d.refAt(v.Resolve())
	return r == nil || d.refUnitAlone(refs, r, unitPath(sec, k.Value), r.Resolved, d.ext, d.entry.covered, "a unit given back is a $ref") == ""
}

// restoredTargets notes the targets of the units of the sections given
// back (restores, or sec alone) that are $refs, as newTarget does for
// the changed unit: the units whose $refs land there too are rebuilt
// with them (restoredRefOK).
func (c *refCover) restoredTargets(d *Document, sec section, restores []restoredSection, paths []string) {
	secs := []section{sec}
	if len(restores) > 0 {
		secs = secs[:0]
		for _, r := range restores {
			secs = append(secs, r.sec)
		}
	}
	for _, sec := range secs {
		m := d.sectionMap(sec).Resolve()
		if m == nil || m.Kind != syntax.MappingNode {
			continue
		}
		units, _ := sectionUnits(m)
		for q := 1; q < len(units); q += 2 {
			c.newTarget(units[q], paths)
		}
	}
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

// Units that are $refs to targets in the document.
//
// A unit whose value is a $ref (U) is modeled from the $ref's target n:
// its objects hold n, where the node lookups (schemeAt, serverAt,
// channelAt) find them, and its checks report on n's text. Another unit
// models n too when n is in its entry (T: a root server that $refs a
// component server, a scheme that $refs another), and the units whose
// $refs land in T's entry read the objects the lookups find there, which
// depends on the build order of all of them. So U is rebuilt with T and
// with every unit whose $ref lands in T's entry (in n, when n is outside
// the units: a 3.x component channel), all checked again: the lookups at
// n are set again in build order, the previous diagnostics in that text
// are dropped and made again by every unit that may make one there, and
// the claims on the $refs held in n are made again. That holds for the
// target U had and for the one it has now (the changed unit's, resolved
// before the rebuild in the previous tree: its path does not go through
// the region). A target that holds or overlaps a model section or the
// region, that a $ref outside the units reads, that is itself a $ref, or
// that is in U's own entry, is left to a full build.

// refCover gathers, for a unit rebuild, the in-document targets of the
// rebuilt units that are $refs, and makes their sharers rebuilt too.
type refCover struct {
	prev    *Document
	root    *syntax.Node // the new tree's
	u       *regionChange
	secMaps [numSections]*syntax.Node
	region  syntax.Range // the region, in the previous text
	seen    map[unitID]bool
	// unitRefs lists the units that are $refs (unitrefs.go).
	unitRefs unitRefList
	// covered are the targets whose sharers are all rebuilt and checked
	// (refUnitAlone lets a unit that is a $ref to one be rebuilt).
	covered map[*syntax.Node]bool
	units   []unitID       // the units that hold a covered target
	outside []syntax.Range // covered targets outside the units (previous text)
	refsIn  []int          // prev.Refs held in those: their claims are made again
	pending []*syntax.Node // the changed unit's new targets
	// checked says whether a unit to rebuild is checked again for sure
	// (the region's, or forced); inlineSeen are those whose inline
	// schemes' sharers were forced.
	checked    func(unitID) bool
	inlineSeen map[unitID]bool
	// inlineNamed are the nodes of inline schemes of the previous
	// version that the region's new $refs name (newInlineNames).
	inlineNamed []*syntax.Node
	changed     *unitID // the unit the region is in (nil: none)
	// The other files' $refs the rebuild forgets (coverFar, in
	// filerefs.go): the region's $refs (prev.Refs[ra:rb]) and those
	// resolved again lead to them; far are the $refs outside the region
	// that reach them, farForced those whose units were forced, farGone
	// their holders.
	ra, rb    int
	reach     *farReach
	far       map[int]bool
	farForced map[int]bool
	farGone   map[*syntax.Node]bool
	why       string
}

func newRefCover(prev *Document, root *syntax.Node, u *regionChange, secMaps [numSections]*syntax.Node, region syntax.Range) *refCover {
	return &refCover{prev: prev, root: root, u: u, secMaps: secMaps, region: region, seen: map[unitID]bool{}, covered: map[*syntax.Node]bool{},
		checked: func(unitID) bool { return false }, inlineSeen: map[unitID]bool{}}
}

// newTarget notes the target of v, a value the changed unit has now, when
// it is a $ref into the document (the last string $ref, as collectRefs
// and resolveRefsIndexed have it); paths are the region's. (An operation
// whose channel $ref lands on no root channel now: newChannel.)
func (c *refCover) newTarget(v *syntax.Node, paths []string) {
	v = v.Resolve()
	if v == nil || v.Kind != syntax.MappingNode {
		return
	}
	t := lastStringRef(v)
	if t == nil {
		return
	}
	if !isLocalRef(t.Value) {
		// Where it lands is known after the rebuild follows it: where
		// the previous version's resolution through the files it read
		// goes (the files are as they were: sameFiles; knownTarget).
		if n := c.prev.knownTarget(t.Value); n != nil {
			c.pending = append(c.pending, n)
		}
		return
	}
	raw, ok := rawPointer(t.Value)
	if !ok {
		return // not a pointer: it resolves to nothing
	}
	for _, p := range paths {
		if related(raw, p) {
			c.fail("a rebuilt unit is a $ref into the region")
			return
		}
	}
	n, err := resolvePointerFast(c.prev.Root, t.Value, nil)
	if err != nil {
		return // unresolved in the new tree too: modeled from its own mapping
	}
	if c.prev.refAt(n) != nil {
		c.fail("a rebuilt unit is a $ref to a $ref")
		return
	}
	c.pending = append(c.pending, n)
}

func (c *refCover) fail(why string) {
	if c.why == "" {
		c.why = why
	}
}

// step covers the targets of the rebuilt units not looked at yet, forcing
// their sharers (force marks a unit rebuilt and checked), and the $refs
// that reach what the rebuild forgets (coverFar; again are the $refs
// resolved again); it reports whether it added units to rebuild.
func (c *refCover) step(rebuild map[unitID]bool, force func(unitID), again map[int]bool) bool {
	before := len(rebuild)
	for _, n := range c.inlineNamed {
		c.forceNamers(n, force)
	}
	c.inlineNamed = nil
	for c.why == "" {
		targets := c.pending
		c.pending = nil
		var units []unitID
		var refs []*Ref // the rebuilt units' own, whose targets are covered
		for id := range rebuild {
			if c.seen[id] {
				continue
			}
			c.seen[id] = true
			k, v := c.u.unitPair(c.secMaps, id)
			if r := c.prev.refAt(v.Resolve()); r != nil && r.Resolved != nil {
				targets = append(targets, r.Resolved)
				units = append(units, id)
				refs = append(refs, r)
			}
			// A 3.x operation models the component channel its channel
			// $ref lands on (addOperationV3), and claims the server $refs
			// there: that channel is covered as a unit $ref's target is.
			if n := c.prev.onTheFlyChannel(id, v); n != nil {
				targets = append(targets, n)
			}
			// The units that are $refs into this one report on its text
			// and model what it holds: rebuilt (and theirs covered) too.
			units = c.appendRefUnitsInto(units, unitPath(id.sec, k.Value))
		}
		// A unit checked again that made an inline scheme of a $ref
		// target: the units that name it too are (ownInline: all make
		// it anew, in build order). (One relinked keeps it.) A rebuilt
		// unit not checked for sure that made one may be built again
		// (an operation whose servers changed): it is checked with them
		// when all of them are units (sharersOf).
		for id := range rebuild {
			if c.inlineSeen[id] {
				continue
			}
			k, v := c.u.unitPair(c.secMaps, id)
			if c.checked(id) {
				c.inlineSeen[id] = true
				units = c.appendInlineSharers(units, id, k, v, true)
			} else if more := c.appendInlineSharers(units, id, k, v, false); len(more) > len(units) {
				c.inlineSeen[id] = true
				units = append(more, id)
			}
		}
		if len(targets) == 0 && len(units) == 0 {
			break
		}
		for _, id := range units {
			force(id)
		}
		for _, n := range targets {
			c.cover(n, force)
		}
		for _, r := range refs {
			c.coverCopy(r)
		}
	}
	c.coverFar(force, again)
	return c.why == "" && len(rebuild) > before
}

// coverCopy covers the node the $ref r lands on in the new tree when its
// covered target holds the region: a path-copy of it, the same entries.
func (c *refCover) coverCopy(r *Ref) {
	n := r.Resolved
	if !c.covered[n] || !overlaps(c.prev.shifts.R(n), c.region) {
		return
	}
	if len(r.via) > 0 {
		c.fail("a unit's $ref through other $refs lands on the region's ancestor")
		return
	}
	if n2, err := resolvePointerFast(c.root, r.Target, nil); err == nil && n2 != n {
		if n2.Kind == syntax.MappingNode && hasRefKey(n2) {
			c.fail("a unit's $ref lands on a $ref now")
			return
		}
		c.covered[n2] = true
	}
}

// cover forces the sharers of target n (see refCover).
func (c *refCover) cover(n *syntax.Node, force func(unitID)) {
	if c.covered[n] || c.why != "" {
		return
	}
	prev := c.prev
	if syntax.FileOf(n) != 0 {
		c.coverFile(n, force)
		return
	}
	pl := prev.shifts
	area := pl.R(n)
	area.End = max(area.End, area.Start+1)
	t, inUnit := prev.unitAt(c.secMaps, area.Start)
	if r := pl.R(n); !inUnit && r.Start == r.End && r.Start > 0 {
		// An empty node (`orders:` with no value) where a unit's value
		// ends is the last of that unit's (unitAt counts a unit's
		// entry up to its value's end, not at it).
		if id, ok := prev.unitAt(c.secMaps, r.Start-1); ok && pl.R(c.unitValue(id)).End == r.Start {
			t, inUnit = id, true
		}
	}
	if inUnit {
		k, v := c.u.unitPair(c.secMaps, t)
		s, e := pl.R(k).Start, max(pl.R(v).End, pl.R(k).End)
		if pl.R(n).End > e { // (an empty node at e is the unit's)
			c.fail("a unit's $ref target holds other units")
			return
		}
		area = syntax.Range{Start: s, End: e}
	} else {
		for _, m := range c.secMaps {
			if m != nil && overlaps(pl.R(m), area) {
				c.fail("a unit's $ref target holds a model section")
				return
			}
		}
		switch {
		case c.region.Start <= area.Start && area.End <= c.region.End:
			area = c.region // re-parsed whole (with its key)
		case c.region.Start >= area.Start && c.region.Start < area.End && c.region.End > area.End &&
			len(strings.TrimSpace(string(prev.Text[area.End:c.region.End]))) == 0:
			area.End = c.region.End // (the region's last line break)
		case overlaps(c.region, area) && (c.region.Start < area.Start || c.region.End > area.End):
			c.fail("a unit's $ref target outside the units straddles the region")
			return
		}
	}
	var forced []unitID
	var in []int
	if inUnit {
		forced = append(forced, t)
	} else {
		for i := prev.refsFrom(area.Start); i < len(prev.Refs) && pl.R(prev.Refs[i].Holder).Start < area.End; i++ {
			in = append(in, i)
		}
	}
	for _, r := range prev.Refs {
		if r.Resolved == nil || syntax.FileOf(r.Resolved) != 0 || !inArea(pl.R(r.Resolved), area) {
			continue
		}
		h := pl.R(r.Holder).Start
		if id, ok := prev.unitAt(c.secMaps, h); ok {
			forced = append(forced, id)
		} else if (h < area.Start || h >= area.End) && !c.coverReaders(r.Holder) {
			return
		}
	}
	for _, id := range forced {
		force(id)
	}
	if inUnit {
		c.units = append(c.units, t)
	} else {
		c.outside = append(c.outside, area)
		c.refsIn = append(c.refsIn, in...)
	}
	c.covered[n] = true
}

// coverFile forces the units of the document's $refs that land in n, a
// node of another file: what they read there is the rebuilt unit's (or
// no longer is). What other files' $refs meet there is refUnitAlone's.
func (c *refCover) coverFile(n *syntax.Node, force func(unitID)) {
	id, nr := syntax.FileOf(n), n.Range()
	var forced []unitID
	for i, r := range c.prev.Refs {
		if r.Resolved == nil || syntax.FileOf(r.Resolved) != id || !overlaps(r.Resolved.Range(), nr) || c.inRegion(i) {
			continue
		}
		u, ok := c.prev.unitAt(c.secMaps, c.prev.shifts.R(r.Holder).Start)
		if !ok {
			if !c.coverReaders(r.Holder) {
				return
			}
			continue
		}
		forced = append(forced, u)
	}
	// Another file's $ref that lands there finds the unit's object too
	// (a server's security in a shared file that names the scheme): the
	// units of the document's $refs whose targets reach it are rebuilt
	// and checked (farReaders).
	more, ok := c.farReaders(n, true)
	if !ok {
		return
	}
	for _, u := range append(forced, more...) {
		force(u)
	}
	c.covered[n] = true
}

// coverAt notes the targets of the document's $refs that hold p, a place
// of the previous text outside the units where a check of a unit
// reported (a 3.x component channel's server $ref that names a root
// server, checked with the root channel that is a $ref to that channel):
// covered (cover), the diagnostics there are dropped and made again by
// every unit whose $refs land there. False when no $ref lands on a node
// that holds p.
func (c *refCover) coverAt(p int) bool {
	pl := c.prev.shifts
	found := false
	for _, r := range c.prev.Refs {
		if t := r.Resolved; t != nil && syntax.FileOf(t) == 0 && holdsRange(pl.R(t), syntax.Range{Start: p, End: p}) {
			c.pending = append(c.pending, t)
			found = true
		}
	}
	return found
}

// inArea reports whether a node at r lies in a covered target's area: it
// overlaps it, or is empty where the area ends (an empty value that ends a
// unit, `send:` with nothing after it, is the unit's).
func inArea(r, area syntax.Range) bool {
	return overlaps(r, area) || r.Start == r.End && r.Start == area.End
}

// coverReaders notes, for h, the holder of a $ref of the previous version
// outside the units that lands on a covered target, the nodes that hold h
// and that $refs of the document land on: a unit whose $ref lands there
// (a root channel that is a $ref to a 3.x component channel, an operation
// that models it on the fly) models what h holds and reads, through h,
// the object at the target. Each is covered in turn (cover: its units
// rebuilt and checked, the $refs it holds, h among them, claimed again).
// A $ref outside the units that no $ref reaches is read by no unit. False,
// with the cover failed, when another file's $ref lands on a node that
// holds h (its readers are not the document's).
func (c *refCover) coverReaders(h *syntax.Node) bool {
	prev := c.prev
	pl := prev.shifts
	hr := pl.R(h)
	if prev.ext != nil {
		for _, r := range prev.ext.refs {
			if t := r.Resolved; t != nil && syntax.FileOf(t) == 0 && holdsRange(pl.R(t), hr) {
				c.fail("a $ref outside the units lands on a unit's $ref target")
				return false
			}
		}
	}
	for _, r := range prev.Refs {
		if t := r.Resolved; t != nil && syntax.FileOf(t) == 0 && !c.covered[t] && holdsRange(pl.R(t), hr) {
			c.pending = append(c.pending, t)
		}
	}
	return true
}

// holdsRange reports whether the range a holds b.
func holdsRange(a, b syntax.Range) bool {
	return a.Start <= b.Start && b.End <= a.End
}

// inRegion reports whether prev.Refs[i] is one the region replaces (its
// units are the changed ones, or none).
func (c *refCover) inRegion(i int) bool {
	return i >= c.ra && i < c.rb
}

// overlaps reports whether a and b share a byte; an empty range counts as
// its first byte.
func overlaps(a, b syntax.Range) bool {
	return a.Start < max(b.End, b.Start+1) && b.Start < max(a.End, a.Start+1)
}

// unitValue returns the value of unit id of the previous version.
func (c *refCover) unitValue(id unitID) *syntax.Node {
	_, v := c.u.unitPair(c.secMaps, id)
	return v
}

// coveredTargets is c's covered set (nil without a cover).
func (c *refCover) coveredTargets() map[*syntax.Node]bool {
	if c == nil {
		return nil
	}
	return c.covered
}

// appendRefUnitsInto appends the units whose value is a local $ref whose
// resolution read path (a unit's) or a path on its line of descent.
func (c *refCover) appendRefUnitsInto(out []unitID, path string) []unitID {
	if out, ok := c.refUnitsListed(out, path); ok {
		return out
	}
	return c.appendRefUnitsIndexed(out, path)
}

// appendRefUnitsIndexed is appendRefUnitsInto through the index by target.
func (c *refCover) appendRefUnitsIndexed(out []unitID, path string) []unitID {
	prev := c.prev
	for _, idx := range prev.refCandidates([]string{path}, false) {
		r := prev.Refs[idx]
		if !r.Local || !readsPath(r, []string{path}, nil) {
			continue
		}
		if id, ok := prev.unitAt(c.secMaps, prev.shifts.R(r.Holder).Start); ok && c.unitValue(id).Resolve() == r.Holder {
			out = append(out, id)
		}
	}
	return out
}

// onTheFlyChannel returns the node of the channel that the build of the
// unit id of prev (its value v) models on the fly (an operation's:
// opChannelOnTheFly) when it claims $refs there (its servers'), or nil:
// covered, they are claimed again, and a rebuilt unit models it
// (addOperationV3: onTheFlyOK).
func (d *Document) onTheFlyChannel(id unitID, v *syntax.Node) *syntax.Node {
	if id.sec != secOperations && id.sec != secCompOperations {
		return nil
	}
	if n := d.opChannelOnTheFly(d.deref(v)); d.claimsIn(n) {
		return n
	}
	return nil
}

// claimsIn reports whether a channel modelled on the fly from n claims
// $refs (addChannel: its servers').
func (d *Document) claimsIn(n *syntax.Node) bool {
	for _, item := range n.Key("servers").Items() {
		if d.refAt(item.Resolve()) != nil {
			return true
		}
	}
	return false
}

// onTheFlyOK reports whether a rebuilt operation may model the channel
// at n on the fly (addOperationV3): its build claims nothing there, or n
// is covered (refCover: the claims are made again on the $refs' copies).
func (e *entryRebuild) onTheFlyOK(d *Document, n *syntax.Node) bool {
	return e.covered[n] || !d.claimsIn(n)
}

// newChannel notes the channel that v, the changed unit's value now (of
// section sec), models on the fly when it is a 3.x operation whose
// channel $ref lands on a node of the previous tree, away from the region
// (paths), that is no root channel and holds server $refs: it is covered like a unit $ref's
// target (its $refs' claims made again, the units that $ref into it
// rebuilt), and the operation models it (addOperationV3). An operation
// that is a $ref is modelled from its target, covered by newTarget.
func (c *refCover) newChannel(sec section, v *syntax.Node, paths []string) {
	if sec != secOperations && sec != secCompOperations || !c.prev.Version.V3() {
		return
	}
	v = v.Resolve()
	if v == nil || v.Kind != syntax.MappingNode || hasRefKey(v) {
		return
	}
	ch := v.Key("channel").Resolve()
	if ch == nil || ch.Kind != syntax.MappingNode {
		return
	}
	t := lastStringRef(ch)
	if t == nil || !isLocalRef(t.Value) {
		return
	}
	raw, ok := rawPointer(t.Value)
	if !ok || slices.ContainsFunc(paths, func(p string) bool { return related(raw, p) }) {
		return // (a rebuilt unit models no channel on the fly there)
	}
	n, err := resolvePointerFast(c.prev.Root, t.Value, nil)
	if err != nil || n == c.prev.Root || c.prev.channelAt(n) != nil || c.prev.refAt(n) != nil || !c.prev.claimsIn(n) {
		return // (one that claims nothing is modelled uncovered: onTheFlyOK)
	}
	c.pending = append(c.pending, n)
}

// opChannelOnTheFly returns the node of the channel that the operation
// modelled from n models on the fly (addOperationV3: its channel $ref
// lands on no root channel), or nil. Its build claims the server $refs
// there.
func (d *Document) opChannelOnTheFly(n *syntax.Node) *syntax.Node {
	if r := d.refAt(n.Key("channel").Resolve()); r != nil && r.Resolved != nil && r.Resolved != d.Root && d.channelAt(r.Resolved) == nil {
		return r.Resolved
	}
	return nil
}

// appendInlineSharers appends the units whose $refs land on the target of
// an inline scheme that the unit id (its key k and value v, of the
// previous version) made of a $ref target (parseEntryV3): the first unit
// in build order that names a target makes its scheme, the others find
// it (schemeAt). With all of them rebuilt, none finds the previous
// version's object, and the scheme is made anew by the first of them
// (ownInline). A $ref outside the units that lands there is left to a
// full build (strict: the cover fails; else none is appended for that
// scheme); so is another file's (ownInline: shared).
func (c *refCover) appendInlineSharers(out []unitID, id unitID, k, v *syntax.Node, strict bool) []unitID {
	prev := c.prev
	runs := prev.runs[id.sec][id.i]
	if runs[slInline][0] == runs[slInline][1] {
		return out
	}
	pl := prev.shifts
	start, end := pl.R(k).Start, max(pl.R(v).End, pl.R(k).End)
	for _, o := range prev.Inline[runs[slInline][0]:runs[slInline][1]] {
		if o.Node == nil || prev.schemeAt(o.Node) != o {
			continue
		}
		if syntax.FileOf(o.Node) == 0 {
			if r := pl.R(o.Node); r.Start >= start && r.End <= end {
				continue // written in place (appendInPlaceInline)
			}
		}
		units, ok := c.refUnitsOf(o.Node, strict)
		if !ok && strict {
			return out
		}
		if ok && syntax.FileOf(o.Node) != 0 {
			// Another file's $ref that lands there finds it too (a
			// server's security in servers.yaml, while no component
			// scheme models the node): the units whose targets reach that
			// $ref are (ownInline: farReadersRebuilt).
			var far []unitID
			if far, ok = c.farReaders(o.Node, strict); !ok && strict {
				return out
			}
			units = append(units, far...)
		}
		if !ok {
			continue
		}
		for _, u := range units {
			if u != id {
				out = append(out, u)
			}
		}
	}
	return out
}

// inlineMove is a rebuilt unit other than the changed one (at its index
// in the new runs) that made n more (or fewer) objects of slice sl than
// before: a unit that names an inline scheme of a $ref target makes it
// when it is the first to name it (appendInlineSharers), and a dependent
// checked again may make more or fewer security sites or operations (a
// root server that is a $ref to a component server whose section is
// dropped: its security is read no longer). (Not of the slices the
// relinker pairs by position: movable.)
type inlineMove struct {
	id unitID
	sl int
	n  int32
}

// movable reports whether a dependent checked again may make more or
// fewer objects of slice sl: none of its objects is relinked in another
// unit (relinker.record pairs schemes, servers, channels and traits by
// position).
func movable(sl int) bool {
	return sl != slSchemes && sl != slServers && sl != slChannels && sl != slTraits
}

// inlineMoves returns runs with the runs of slice sl of the moved units
// (in build order) grown by their n, and those of every unit after each
// moved by as much, but for the units whose runs are where the rebuild
// made them (placed: the entries the changed unit became, the units of
// the sections given back), which the moves before them moved already.
// runs' lists are not written to.
func inlineMoves(runs [numSections][]unitRuns, moved []inlineMove, placed func(unitID) bool) [numSections][]unitRuns {
	if len(moved) == 0 {
		return runs
	}
	for sec := range numSections {
		runs[sec] = slices.Clone(runs[sec])
	}
	for _, m := range moved {
		runs[m.id.sec][m.id.i][m.sl][1] += m.n
		for sec := m.id.sec; sec < numSections; sec++ {
			from := 0
			if sec == m.id.sec {
				from = m.id.i + 1
			}
			for i := from; i < len(runs[sec]); i++ {
				if placed(unitID{section(sec), i}) {
					continue
				}
				runs[sec][i][m.sl][0] += m.n
				runs[sec][i][m.sl][1] += m.n
			}
		}
	}
	return runs
}

// placedRuns says which units of the new runs have the runs the rebuild
// made them (inlineMoves): the entries the changed unit became (grown,
// from its index, when shiftRuns placed them) and the units of the
// sections given back.
func placedRuns(changed unitID, grown int, restores []restoredSection) func(unitID) bool {
	return func(id unitID) bool {
		if id.sec == changed.sec && id.i >= changed.i && id.i < changed.i+grown {
			return true
		}
		return slices.ContainsFunc(restores, func(r restoredSection) bool { return r.sec == id.sec })
	}
}

// siteUnit returns the unit that made the security site prev.securities[x]
// (d's): the one whose entry holds its key, or, for a key in another file
// (the security of a unit that is a $ref there), the one whose runs hold
// the site. A unit rebuilt that is a $ref is rebuilt alone or not at all
// (refUnitAlone).
func (d *Document) siteUnit(secMaps [numSections]*syntax.Node, x int) (unitID, bool) {
	if k := d.securities[x].sec.Key; syntax.FileOf(k) == 0 {
		return d.unitOf(secMaps, k)
	}
	for sec := range numSections {
		for i, r := range d.runs[sec] {
			if int(r[slSites][0]) <= x && x < int(r[slSites][1]) {
				return unitID{sec, i}, true
			}
		}
	}
	return unitID{}, false
}

// newInlineNames notes the inline schemes of $ref targets (parseEntryV3)
// of the previous version that the $refs in the region's new pairs name:
// a unit after the changed one in build order may have made one, which a
// full build makes in the changed unit now (madeLater). The units whose
// $refs land there are rebuilt and checked with it (forceNamers), so that
// the first of them makes it anew (ownInline). Where a new $ref lands is
// where a $ref of the previous version with the same value landed (the
// files are as they were), or its pointer in the previous tree, away
// from the region (paths).
func (c *refCover) newInlineNames(pairs []*syntax.Node, paths []string, changed *unitID) {
	prev := c.prev
	c.changed = changed
	if len(prev.Inline) == 0 {
		return
	}
	for _, p := range pairs {
		for _, r := range collectRefs(p) {
			var n *syntax.Node
			if r.Local {
				raw, ok := rawPointer(r.Target)
				if !ok || slices.ContainsFunc(paths, func(p string) bool { return related(raw, p) }) {
					continue
				}
				n, _ = resolvePointerFast(prev.Root, r.Target, nil)
			} else {
				for _, o := range prev.Refs {
					if o.Target == r.Target && syntax.FileOf(o.Holder) == 0 && syntax.FileOf(o.Resolved) != 0 {
						n = o.Resolved
						break
					}
				}
			}
			if s := prev.schemeAt(n); n != nil && s != nil && s.Inline {
				c.inlineNamed = append(c.inlineNamed, n)
			}
		}
	}
}

// forceNamers forces the units whose $refs of the previous version land
// on n, the node of an inline scheme, unless the first of them in build
// order (the one that made it) comes before the changed unit (then that
// one still makes it, and the changed unit finds it).
func (c *refCover) forceNamers(n *syntax.Node, force func(unitID)) {
	units, ok := c.refUnitsOf(n, true)
	if !ok || len(units) == 0 {
		return
	}
	first := slices.MinFunc(units, compareUnits)
	if c.changed != nil && compareUnits(first, *c.changed) < 0 {
		return
	}
	for _, u := range units {
		force(u)
	}
}

// compareUnits orders units as a build makes them.
// refUnitsOf returns the units of the $refs of the previous version
// that resolve to n, an inline scheme; false (and, strict, the cover
// failed) when one of them is outside the units.
func (c *refCover) refUnitsOf(n *syntax.Node, strict bool) ([]unitID, bool) {
	var units []unitID
	for i, r := range c.prev.Refs {
		if r.Resolved != n || c.inRegion(i) {
			continue
		}
		u, ok := c.prev.unitAt(c.secMaps, c.prev.shifts.R(r.Holder).Start)
		if !ok {
			if strict {
				c.fail("a $ref outside the units names an inline scheme a rebuilt unit made")
			}
			return nil, false
		}
		units = append(units, u)
	}
	return units, true
}

func compareUnits(a, b unitID) int {
	return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.i, b.i))
}

// lastStringRef is the value of m's last `$ref` key whose value is a
// string (a mapping's $ref as collectRefs and resolveRefsIndexed take it:
// the last one wins), or nil.
func lastStringRef(m *syntax.Node) *syntax.Node {
	var t *syntax.Node
	for i := 0; i < len(m.Content); i += 2 {
		if k, tv := m.Content[i], m.Content[i+1]; k.Value == "$ref" && k.Kind == syntax.ScalarNode && tv.Kind == syntax.ScalarNode && tv.Tag() == "!!str" {
			t = tv
		}
	}
	return t
}
