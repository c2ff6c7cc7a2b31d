package analysis

import (
	"bytes"
	"fmt"
	"runtime/debug"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Update analyses text, the result of applying edits (in order) to the text
// of prev. It is the entry point for editors: where it can, it re-parses
// only the part of the document the edits touch, and its result is always
// identical to Analyze(text). With prev == nil it is Analyze.
//
// A panic inside the incremental path is a bug. Users still get a correct
// Document (a full analysis), and the Document says what went wrong
// (InternalError) so the server can log it; the package's own tests turn
// recovery off, so such a bug fails them instead of hiding behind the
// fallback.
//
// The result has prev's Options (see Seed).
func Update(prev *Document, edits []syntax.Edit, text []byte) *Document {
	return update(prev, edits, text, applied{})
}

// UpdateApplied is Update for an editor that made text itself, by applying
// edits in order to prev.Text (syntax.ApplyChangesMapped), and that may
// keep the mapper of text (m; nil: none). Update would check that the
// texts outside the edits are equal and update prev's mapper by the edits,
// each a pass over the whole text that the editor already paid for on the
// keystroke (about 1.2 and 1.7 ms at 5 MB). The result is the Document
// Update(prev, edits, text) gives: the caller's promise replaces the check,
// and m must map text (a mapper of another text gives wrong positions).
func UpdateApplied(prev *Document, edits []syntax.Edit, text []byte, m *syntax.Mapper) *Document {
	return update(prev, edits, text, applied{byCaller: true, mapper: m})
}

// applied is what the caller of update knows about its text.
type applied struct {
	byCaller bool           // text is the edits applied to prev.Text: not checked (UpdateApplied)
	mapper   *syntax.Mapper // the mapper of text, or nil: made here
}

func update(prev *Document, edits []syntax.Edit, text []byte, a applied) *Document {
	if prev == nil {
		return analyze(text, a.mapper, nil)
	}
	if prev.Tree == nil {
		return analyze(text, a.mapper, &incState{opts: prev.inc.opts})
	}
	d, reason, internal := safeRegionUpdate(prev, edits, text, a)
	if g := prev.lastGood; d == nil && internal == "" && g != nil { // a last good version has a tree (SyntaxBroken)
		// A broken text parsed whole (a member being typed into compact
		// JSON) cannot be updated by region, but the text that fixes it
		// may be, from the last good version: the edits since then make
		// one edit, as often inside one member. (editBetween compares
		// the texts, so that edit is checked as Update checks one.)
		ga := applied{mapper: a.mapper}
		if gd, gr, gi := safeRegionUpdate(g, []syntax.Edit{editBetween(g.Text, text)}, text, ga); gd != nil || gi != "" {
			d, reason, internal = gd, gr, gi
		}
	}
	if d == nil {
		d = analyze(text, a.mapper, &incState{opts: prev.inc.opts})
		d.inc.reason = reason
		d.inc.internalError = internal
	}
	d.rememberLastGood(prev, edits)
	return d
}

// recoverUpdatePanics is false only in this package's tests (TestMain), so
// that a panic in the incremental path fails them.
var recoverUpdatePanics = true

// testHookRegionUpdate, when set by a test, runs at the start of every
// region update (to inject a failure).
var testHookRegionUpdate func()

func safeRegionUpdate(prev *Document, edits []syntax.Edit, text []byte, a applied) (d *Document, reason, internal string) {
	if recoverUpdatePanics {
		defer func() {
			if p := recover(); p != nil {
				reason = fmt.Sprintf("internal error: %v", p)
				d, internal = nil, reason+"\n"+string(debug.Stack())
			}
		}()
	}
	if testHookRegionUpdate != nil {
		testHookRegionUpdate()
	}
	d, reason = regionUpdate(prev, edits, text, a)
	return d, reason, ""
}

// InternalError is empty unless Update hit a bug in its incremental path
// and recovered by analyzing the text afresh: then it says what the bug
// was, with the stack, for the log. The Document itself is still correct.
func (d *Document) InternalError() string { return d.inc.internalError }

// updatePath says how Update produced a Document (for tests).
type updatePath uint8

const (
	pathAnalyze   updatePath = iota // a full Analyze
	pathRegion                      // a region re-parse
	pathUnchanged                   // the text did not change: prev itself
)

// incState is what Update hands to analyze, and what a Document remembers
// for the next Update.
type incState struct {
	tree          *syntax.Tree // a tree built by Update (consumed by analyze)
	presetRefs    bool
	refsComplete  bool // Refs holds every $ref of the tree (build ran)
	path          updatePath
	depth         int    // depth of the re-parsed region (pathRegion)
	reason        string // why Update fell back to a full parse
	internalError string // a recovered panic in the incremental path, with its stack
	shifts        *syntax.ShiftLog
	compacted     bool          // the tree was copied with absolute ranges (shift.go)
	makeRefs      func() []*Ref // the refs when presetRefs, built on demand
	change        *regionChange // what the region re-parse changed, for the model
	modelReused   bool          // the model was rebuilt for some units only
	units         int           // how many units (model_inc.go) were rebuilt
	checked       int           // how many of them were checked again (not relinked, or relinked with the server checks run again: srvChecked)
	relinked      int           // how many of them were copied with new pointers (relink.go)
	copied        int           // how many of the checked ones were copied, then checked (srvdep.go)
	srvChecked    int           // of the copied, how many ran only the checks that read the servers (srvdep.go); with the shared
	srvShared     int           // how many units that read the root servers were shared, their server checks run again (srvlook.go)
	forwarded     int           // how many $refs to a forwarded scheme were resolved again in kept units
	covered       int           // how many targets of units that are $refs were rebuilt with their sharers (refCover)
	unitRefs      int           // how many questions refCover answered from its list of the units that are $refs (unitrefs.go)
	modelWhy      string        // why the unit rebuild gave up
	reached       int           // the units a block had reached when it gave up at maxBlock
	dropped       int           // how many units a section dropped with nothing that depends on it removed (drops.go)
	givenBack     int           // how many component schemes were given back with their readers kept (compdrop.go)
	chanSwapped   int           // how many operations a root channels block reached, neither rebuilt nor relinked: their $refs into the channels resolved again (chandrop.go)
	schema        *schemaUpdate // the entries to validate again (schemacheck.go)
	intoPaths     [][]string    // the $refs a unit rebuild resolved again into other files (intoChanged)
	schemaWhole   bool          // validateSchema validated the whole document
	opts          Options       // where the document lives (external.go); kept across updates
}

// regionUpdate returns nil and the reason when the edit cannot be handled
// by a region re-parse.
func regionUpdate(prev *Document, edits []syntax.Edit, text []byte, a applied) (*Document, string) {
	old := prev.Text
	covering := syntax.CoveringEdit
	if a.byCaller {
		covering = syntax.CoveringEditApplied
	}
	e, ok := covering(old, edits, text)
	if !ok {
		if len(old) == len(text) && bytes.Equal(old, text) && prev.inc.tree == nil {
			return prev, ""
		}
		return nil, "edits do not match the texts"
	}
	u, reason := syntax.UpdateTree(old, prev.Tree, prev.shifts, e, text)
	if u == nil {
		return nil, reason
	}
	m := a.mapper
	if m == nil {
		m = syntax.UpdateMapper(prev.Mapper, e, text)
	}
	return analyze(text, m, regionState(prev, u)), ""
}

// regionState is what analyze needs to reuse prev's model parts for the
// tree of a region re-parse.
func regionState(prev *Document, u *syntax.TreeUpdate) *incState {
	levels, pairs := u.Levels, u.Pairs
	inc := &incState{tree: u.Tree, shifts: u.Shifts, path: pathRegion, depth: len(levels), opts: prev.inc.opts,
		schema: schemaChanges(prev, levels, pairs)}
	if u.Compacted {
		// Every node is new, so the model, which is keyed by nodes, is
		// built afresh ($refs included).
		inc.compacted = true
		return inc
	}
	if len(levels) == 0 {
		// No entry holds the re-parsed part alone (compact JSON edited
		// between two root members): the model is built afresh on the
		// spliced tree.
		return inc
	}
	levels, pairs, below := refHolderRegion(u.Tree.Docs[0], levels, pairs)
	inc.presetRefs = prev.inc.refsComplete
	for _, l := range levels {
		if hasRefKey(l.Map) {
			inc.presetRefs = false // an ancestor holds a $ref: let build walk
		}
	}
	inc.presetRefs = inc.presetRefs && !hasRefPair(pairs)
	lv := levels[len(levels)-1]
	inc.change = &regionChange{prev: prev, levels: levels, pairs: pairs, at: lv.End, delta: u.Delta, below: below}
	if inc.presetRefs {
		inc.makeRefs = func() []*Ref { return spliceRefs(prev, lv, pairs) }
	}
	return inc
}

// spliceRefs returns the $refs of the new tree from those of prev.
func spliceRefs(prev *Document, lv syntax.Level, pairs []*syntax.Node) []*Ref {
	{
		// The $refs of the previous text are in pre-order, which is the
		// order of their holders' starts: those before the region, the new
		// entries', then those after it, with their holders shared.
		first, after := prev.refsFrom(lv.Start), prev.refsFrom(lv.End)
		var mid []*Ref
		for _, n := range pairs {
			mid = append(mid, collectRefs(n)...)
		}
		refs := make([]*Ref, 0, len(prev.Refs)+len(mid))
		slab := make([]Ref, len(prev.Refs)) // room for the kept ones
		k := 0
		for idx, r := range prev.Refs {
			if idx == first {
				refs = append(refs, mid...)
			}
			if idx >= first && idx < after {
				continue
			}
			slab[k] = Ref{Holder: r.Holder, Value: r.Value, Target: r.Target, Local: r.Local}
			refs = append(refs, &slab[k])
			k++
		}
		if first == len(prev.Refs) {
			refs = append(refs, mid...)
		}
		return refs
	}
}

func hasRefKey(m *syntax.Node) bool {
	for i := 0; i < len(m.Content); i += 2 {
		if m.Content[i].Value == "$ref" {
			return true
		}
	}
	return false
}

func hasRefPair(pairs []*syntax.Node) bool {
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i].Value == "$ref" {
			return true
		}
	}
	return false
}

// editBetween returns the smallest single edit that makes a into b,
// comparing blocks first (the texts are megabytes, the edit bytes).
func editBetween(a, b []byte) syntax.Edit {
	const block = 4096
	n := min(len(a), len(b))
	p := 0
	for p+block <= n && bytes.Equal(a[p:p+block], b[p:p+block]) {
		p += block
	}
	for p < n && a[p] == b[p] {
		p++
	}
	s := 0
	for s+block <= n-p && bytes.Equal(a[len(a)-s-block:len(a)-s], b[len(b)-s-block:len(b)-s]) {
		s += block
	}
	for s < n-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return syntax.Edit{Start: p, End: len(a) - s, Text: string(b[p : len(b)-s])}
}
