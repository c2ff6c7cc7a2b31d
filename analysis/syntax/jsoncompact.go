package syntax

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"sort"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Member-level updates of compact JSON.
//
// A JSON document whose root object is compact (its first member on the
// line of its '{': minified, one line) is parsed whole (parse.go), which
// at a few megabytes takes a second. An edit of such a text is re-parsed
// member by member instead, by ranges rather than lines: the run of
// members (or array items) of the deepest object or array whose span (key
// start to value end; an item's own range) covers the edit is parsed alone,
// wrapped in the brackets of its container ('{' run '}', '[' run ']'), the
// way the whole parse parses JSON (yaml.v3 with sanitizeJSONEscapes and the
// same tree builder, so kinds, tags, styles, values and ranges are those
// of a cold parse), and spliced into path copies of its ancestors; every
// other node is shared, those after the run translated by the shift log.
//
// Why the result is the cold parse's: the previous text was valid JSON
// (Tree.strictJSON: strictJSONErrors found nothing), and the new
// run, wrapped, is valid JSON with at least one member. JSON is
// context-free: the bytes around the run (a '{', '[' or ',' before it, a
// ',', '}' or ']' after it) are unchanged, so the new text is valid JSON
// and parses with the run read as it reads alone; yaml.v3 reads JSON
// context-free as well (a flow collection at any depth, no indentation
// rule under a root at column 0, simple-key limits relative to the key). The
// run is refused when it holds what yaml reads specially (a BOM, NEL, LS,
// PS), invalid UTF-8, or nests deeper than yaml's limit would allow in the
// whole text. A run that is not valid JSON (a member being typed, a quote
// left open) makes the text broken unless an enclosing run is valid (an
// edit may close one member and open another: `1},"c":{"d":2`): the error
// is then confined to its member as a cold parse confines it, by scans
// from the run's ends (jsoncompactbroken.go), and later edits of that
// member (the one that makes it valid again included), or of valid members
// away from it, are member-level too. Several errors (a member left broken
// while another is typed) get a region each; an update of such a text, or
// one that makes a second error, finds the regions again by scans of the
// whole text (no parse) and re-parses the run of members holding the edit
// and the regions that changed (updateSeveral). What remains for the whole
// parse: errors the scans cannot confine (then the cold parse cannot
// either).
//
// The model layer (analysis) rebuilds by mapping entry: Levels are the
// object members from the root down to the re-parsed run while each holds
// it alone; under an array, or for a run of several members, the deepest
// such member is reported as replaced by its path copy. An edit between
// two members of the root has no such member: Levels is empty, and the
// model is built afresh on the spliced tree.

// maxCompactDepth bounds the nesting of a re-parsed run plus its
// ancestors below yaml.v3's flow depth limit (10000), so that a run that
// parses alone does not fail in the whole text.
const maxCompactDepth = 9000

// compactReason starts every reason for which a compact JSON update
// declines.
const compactReason = "compact JSON: "

// compactStep is one container on the way from the root to the edit: the
// children [i, j] of n (pairs of a mapping, items of a sequence) whose
// spans cover the edit; i == j except at the last step.
type compactStep struct {
	n    *Node
	i, j int
}

// updateCompactJSON is UpdateTree for a JSON text parsed whole.
func updateCompactJSON(old []byte, t *Tree, shifts *ShiftLog, e Edit, text []byte) (*TreeUpdate, string) {
	root := t.Root()
	cb := t.compactBroken
	switch {
	case cb != nil:
		if len(t.Docs) != 1 || root == nil || root.Kind != MappingNode || compactRootStart(text) < 0 {
			return nil, compactReason + "the new text is not a compact JSON object"
		}
		if cb.several {
			return updateSeveral(old, t, shifts, e, text)
		}
		// Edits of the broken region (or touching its end): the scans of
		// the new text then start from text the previous scans read
		// without error (jsoncompactbroken.go). Edits of a valid member
		// away from it (one that ends where the region starts included:
		// the value before the region's ',') leave it as it was, when
		// awayRun says the scans stop where they did. An edit that makes
		// a second error is taken by updateSeveral.
		if e.End <= cb.region.start() || e.Start > cb.region.to {
			u, why := updateAwayFromBroken(old, t, shifts, e, text)
			if u == nil {
				return orSeveral(old, t, shifts, e, text, why)
			}
			return u, ""
		}
	case len(t.Diagnostics) > 0 && !t.strictJSON:
		// A syntax error's recovery reads the text around it otherwise,
		// and what YAML accepts but JSON does not may read otherwise too.
		// (Duplicate keys alone leave the text valid JSON.)
		return nil, compactReason + "diagnostics in the previous text"
	case len(t.Docs) != 1 || root == nil || t.anchored || root.Kind != MappingNode || root.Style != FlowStyle:
		return nil, "JSON document parsed whole: not one JSON object"
	case !compactRoot(old, root, shifts) || !t.strictJSON:
		// (A compact root object whose text has no diagnostics is valid
		// JSON: strictJSON.)
		return nil, "JSON document parsed whole: not a compact root object"
	}
	s, end := e.Start, e.End
	if cb != nil {
		s, end = min(s, cb.region.start()), max(end, regionEnd(old, cb.region))
	}
	steps := compactSteps(root, s, end, shifts)
	if len(steps) == 0 {
		return nil, compactReason + "the edit is not inside a member of the root object"
	}
	broken := func() (*TreeUpdate, string, bool) {
		// The deepest run is not valid JSON: when the text is not either,
		// its error is confined to a region (jsoncompactbroken.go); else
		// an enclosing run is valid.
		return spliceCompactBroken(old, t, shifts, steps, e, text)
	}
	u, why := spliceRuns(old, t, shifts, steps, e, text, nil, broken)
	if u == nil && cb != nil {
		return orSeveral(old, t, shifts, e, text, why)
	}
	return u, why
}

// orSeveral is updateSeveral after an update of a broken text declined for
// why (the edit may have made a second error).
func orSeveral(old []byte, t *Tree, shifts *ShiftLog, e Edit, text []byte, why string) (*TreeUpdate, string) {
	u, why2 := updateSeveral(old, t, shifts, e, text)
	if u != nil {
		return u, ""
	}
	return nil, why + "; " + why2
}

// spliceRuns re-parses the runs of steps from the deepest out (up to half
// the text) until one is valid JSON. runOK, when set, says why a run may
// not be tried ("" when it may): the run is away from the text's broken
// region, which stays; broken, when set, is tried after the
// deepest run failed, and says whether the text is valid (an enclosing run
// may then be).
func spliceRuns(old []byte, t *Tree, shifts *ShiftLog, steps []compactStep, e Edit, text []byte,
	runOK func(fs, fe int) string, broken func() (*TreeUpdate, string, bool)) (*TreeUpdate, string) {
	reason := ""
	for k := len(steps) - 1; k >= 0; k-- {
		st := steps[k]
		fs, fe := childSpan(st.n, st.i, shifts).Start, childSpan(st.n, st.j, shifts).End
		if runOK != nil {
			if why := runOK(fs, fe); why != "" {
				return nil, cmp.Or(reason, why)
			}
		}
		if k < len(steps)-1 && fe-fs > len(old)/2 {
			break // as costly as a full parse
		}
		u, why, retry := spliceCompact(t, shifts, steps[:k+1], e, text, runOK != nil)
		if u != nil {
			return u, ""
		}
		if reason == "" {
			reason = why
		}
		if !retry {
			break
		}
		if k == len(steps)-1 && broken != nil {
			u, why, valid := broken()
			if u != nil {
				return u, ""
			}
			if !valid {
				return nil, reason + "; " + why
			}
		}
	}
	return nil, reason
}

// updateAwayFromBroken is updateCompactJSON for an edit of a broken
// compact JSON text away from its broken region: the run of members that
// holds the edit is re-parsed as in a valid text (it must stay valid, and
// away from the region), and the region is kept.
func updateAwayFromBroken(old []byte, t *Tree, shifts *ShiftLog, e Edit, text []byte) (*TreeUpdate, string) {
	cb := t.compactBroken
	steps := compactSteps(t.Root(), e.Start, e.End, shifts)
	if len(steps) == 0 {
		return nil, compactReason + "the edit is not inside a member of the root object"
	}
	runOK := func(fs, fe int) string {
		if !cb.awayRun(fs, fe, e) {
			return "the run or the edit reaches the text the broken region's scans read"
		}
		return ""
	}
	u, reason := spliceRuns(old, t, shifts, steps, e, text, runOK, nil)
	if u == nil {
		return nil, compactReason + "an edit away from the broken region that its run does not take (" + reason + ")"
	}
	keepBroken(u, t, e)
	return u, ""
}

// compactRoot reports whether root, the object of a JSON text, is compact:
// its first key is on the line of its '{' (parseJSONTolerant then parses
// the text whole, whatever its members).
func compactRoot(text []byte, root *Node, l *ShiftLog) bool {
	if len(root.Content) == 0 {
		return false
	}
	// (The root starts at its '{', and the text is valid JSON: only
	// blanks separate them.)
	for _, c := range text[l.R(root).Start+1 : l.R(root.Content[0]).Start] {
		if c != ' ' && c != '\t' {
			return false // a line break
		}
	}
	return true
}

// flowContainer reports whether n is a JSON object or array.
func flowContainer(n *Node) bool {
	return n != nil && n.Style == FlowStyle && n.ext == nil && !n.broken &&
		(n.Kind == MappingNode && n.tag == tagMap || n.Kind == SequenceNode && n.tag == tagSeq)
}

func childCount(n *Node) int {
	if n.Kind == MappingNode {
		return len(n.Content) / 2
	}
	return len(n.Content)
}

// childSpan is the range of a member (its key's start to its value's
// end) or of an item.
func childSpan(n *Node, k int, l *ShiftLog) Range {
	if n.Kind == MappingNode {
		return Range{l.R(n.Content[2*k]).Start, l.R(n.Content[2*k+1]).End}
	}
	return l.R(n.Content[k])
}

// compactSteps returns the containers from the root down whose children
// cover the edit [s, e): binary searches on the children's ranges.
func compactSteps(root *Node, s, e int, l *ShiftLog) []compactStep {
	var out []compactStep
	for n := root; len(out) < maxCompactDepth && flowContainer(n); {
		cnt := childCount(n)
		i := sort.Search(cnt, func(k int) bool { return childSpan(n, k, l).Start > s }) - 1
		if i < 0 {
			break // before the first child: the enclosing member's
		}
		j := i + sort.Search(cnt-i, func(k int) bool { return childSpan(n, i+k, l).End >= e })
		if j == cnt {
			break // past the last child
		}
		out = append(out, compactStep{n: n, i: i, j: j})
		if i != j {
			break
		}
		if n.Kind == MappingNode {
			n = n.Content[2*i+1]
		} else {
			n = n.Content[i]
		}
	}
	return out
}

// spliceCompact re-parses the children [i, j] of the last step after edit
// e and splices them into path copies of the steps above. On failure it
// says why, and whether an enclosing run may still work.
//
// awayFromBroken: the run is away from t's broken region, which stays (else
// the previous text was valid but for the region, which the run holds:
// the new text is valid when the run is and is separated from its
// neighbours as JSON wants).
func spliceCompact(t *Tree, shifts *ShiftLog, steps []compactStep, e Edit, text []byte, awayFromBroken bool) (*TreeUpdate, string, bool) {
	last := steps[len(steps)-1]
	c := last.n
	delta := len(e.Text) - (e.End - e.Start)
	fs, fe := childSpan(c, last.i, shifts).Start, childSpan(c, last.j, shifts).End
	log := shifts.next(fe, delta)
	if t.compactBroken != nil && !awayFromBroken && !separated(text, fs, fe+delta) {
		return nil, compactReason + "the run is not separated from its neighbours by ','", true
	}
	kids, why, retry := parseCompactRun(text, fs, fe+delta, c.Kind, len(steps), log.gen())
	if kids == nil {
		return nil, why, retry
	}
	return assembleCompact(t, shifts, log, steps, last.i, last.j, kids, delta, text)
}

// separated reports whether what precedes [s, e) in text is an opening
// bracket or a ',' and what follows it a ',' or a closing bracket.
func separated(text []byte, s, e int) bool {
	for s > 0 && jsonBlank(text[s-1]) {
		s--
	}
	for e < len(text) && jsonBlank(text[e]) {
		e++
	}
	return s > 0 && e < len(text) && bytes.IndexByte([]byte("{[,"), text[s-1]) >= 0 && bytes.IndexByte([]byte("}],"), text[e]) >= 0
}

// assembleCompact splices kids, the new children of the last step's
// container in place of its children [i, j], into path copies of the steps.
func assembleCompact(t *Tree, shifts, log *ShiftLog, steps []compactStep, i, j int, kids []*Node, delta int, text []byte) (*TreeUpdate, string, bool) {
	last := steps[len(steps)-1]
	c := last.n

	// The container with the new children, then path copies up to the
	// root; every range ends delta later (valid JSON: only blanks between
	// the last child and the closing bracket).
	lo, hi := i, j+1
	if c.Kind == MappingNode {
		lo, hi = 2*lo, 2*hi
	}
	copyNode := func(pm *Node, content []*Node) *Node {
		nm := new(Node)
		*nm = *pm
		nm.gen = log.gen()
		nm.Content = content
		r := shifts.R(pm)
		nm.setRange(Range{r.Start, r.End + delta})
		return nm
	}
	content := slices.Concat(c.Content[:lo], kids, c.Content[hi:])
	if content == nil {
		content = []*Node{} // (an empty object or array, as the builder makes it)
	}
	newC := copyNode(c, content)
	child := newC
	for k := len(steps) - 2; k >= 0; k-- {
		pm, idx := steps[k].n, steps[k].i
		if pm.Kind == MappingNode {
			idx = 2*idx + 1
		}
		content := slices.Clone(pm.Content)
		content[idx] = child
		child = copyNode(pm, content)
	}
	root := child
	if !compactRoot(text, root, log) {
		return nil, compactReason + "a line break before the root object's first key", false
	}

	// Duplicate keys: when the previous tree had none, only the
	// container's keys (when the run's changed) and the new children can
	// have some; else they are all found again.
	var dups []Diagnostic
	if hasDuplicateKey(t.Diagnostics) {
		dups = duplicateKeys(root, log)
	} else {
		if c.Kind == MappingNode && !sameKeys(c.Content[lo:hi], kids) {
			dups = mappingDuplicates(newC, dups, log)
		}
		for _, n := range kids {
			dups = append(dups, duplicateKeys(n, log)...)
		}
	}
	sortTreeDiagnostics(dups)
	tree := &Tree{Text: text, Docs: []*Node{root}, IsJSON: true, wholeWhy: t.wholeWhy, Diagnostics: dups, strictJSON: true}

	u := &TreeUpdate{Tree: tree, Shifts: log, Delta: delta}
	u.Levels, u.Pairs, u.OldPairs = compactLevels(steps, i, j, kids, root, shifts)
	for _, l := range u.Levels {
		u.Path = append(u.Path, l.Map.Content[2*l.Index].Value)
	}
	if len(log.shifts) >= MaxShifts {
		tree.Docs[0] = compact(root, log) // (JSON has no aliases)
		u.Shifts, u.Compacted = nil, true
	}
	return u, "", false
}

// compactLevels returns the mapping entries from the root down to the
// deepest one that holds the re-parsed run alone (Levels in the previous
// tree), its new pairs, and the pair they replace.
func compactLevels(steps []compactStep, i, j int, kids []*Node, newRoot *Node, l *ShiftLog) (levels []Level, pairs, oldPairs []*Node) {
	last := len(steps) - 1
	for k, st := range steps {
		if k == last {
			st.i, st.j = i, j
		}
		if st.n.Kind != MappingNode || (k == last && st.i != st.j) {
			break
		}
		levels = append(levels, Level{Map: st.n, Index: st.i, Start: l.R(st.n.Content[2*st.i]).Start,
			End: l.R(st.n.Content[2*st.i+1]).End, Col: -1})
	}
	if len(levels) == 0 {
		return nil, nil, nil
	}
	lv := levels[len(levels)-1]
	oldPairs = lv.Map.Content[2*lv.Index : 2*lv.Index+2 : 2*lv.Index+2]
	if len(levels) == len(steps) {
		return levels, kids, oldPairs
	}
	// The deepest level's pair in the new tree: its key is shared, its
	// value a path copy.
	n := newRoot
	for _, lv := range levels[:len(levels)-1] {
		n = n.Content[2*lv.Index+1]
	}
	return levels, n.Content[2*lv.Index : 2*lv.Index+2 : 2*lv.Index+2], oldPairs
}

// sameKeys reports whether two lists of pairs have the same keys in order.
func sameKeys(a, b []*Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i += 2 {
		if !SameKey(a[i], b[i]) {
			return false
		}
	}
	return true
}

// parseCompactRun parses text[fs:fe], a run of the members (kind
// MappingNode) or items of a container depth levels deep, as the whole
// parse of a JSON text parses them, with ranges in text and generation gen.
// It returns nil and why when the run is not one or more valid JSON
// members or items, or may parse otherwise in the whole text; retry says
// whether an enclosing run may do better (one that is not valid JSON may
// be part of one that is; what yaml refuses here it refuses there too).
func parseCompactRun(text []byte, fs, fe int, kind Kind, depth int, gen uint32) ([]*Node, string, bool) {
	if fs >= fe { // (the run lies between its container's brackets)
		return nil, compactReason + "the run is not valid JSON (empty)", true
	}
	return parseCompactFrag(text[fs:fe], fs, kind, depth, gen)
}

// parseCompactFrag is parseCompactRun on the bytes of a run that starts at
// offset at of the text (the bytes may be made up: coldcompact.go parses a
// member with its value emptied).
func parseCompactFrag(frag []byte, at int, kind Kind, depth int, gen uint32) ([]*Node, string, bool) {
	if !utf8.Valid(frag) {
		return nil, compactReason + "invalid UTF-8 in the run", false
	}
	if bytes.Contains(frag, []byte(bom)) || bytes.Contains(frag, []byte("\u0085")) ||
		bytes.Contains(frag, []byte("\u2028")) || bytes.Contains(frag, []byte("\u2029")) {
		return nil, compactReason + "BOM, NEL, LS or PS in the run", false
	}
	open, closer := byte('{'), byte('}')
	if kind == SequenceNode {
		open, closer = '[', ']'
	}
	buf := make([]byte, 0, len(frag)+2)
	buf = append(append(append(buf, open), frag...), closer)
	if !json.Valid(buf) {
		return nil, compactReason + "the run is not valid JSON", true
	}
	if depth+jsonDepth(buf) > maxCompactDepth {
		return nil, compactReason + "the run nests too deep", false
	}
	src, fixes := sanitizeJSONEscapes(buf)
	docs, err := decodeStream(src)
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.DocumentNode || len(docs[0].Content) != 1 {
		return nil, compactReason + "the run does not parse as YAML", false
	}
	b := newTreeBuilder(src)
	b.gen, b.release = gen, true
	w := b.build(docs[0])
	docs[0] = nil
	if w == nil || w.Kind != kind || w.Style != FlowStyle || len(w.Content) == 0 || b.anchors != nil {
		return nil, compactReason + "the run does not parse as members", false
	}
	kids := w.Content
	for _, n := range kids {
		if len(fixes) > 0 {
			redecodeJSONStrings(n, buf, fixes)
		}
		moveNodes(n, at-1)
	}
	return kids, "", false
}

// moveNodes adds by to the range of every node under n (all new).
func moveNodes(n *Node, by int) {
	n.start += int32(by)
	n.end += int32(by)
	for _, c := range n.Content {
		moveNodes(c, by)
	}
}

// jsonDepth returns how deep the brackets of a valid JSON text nest.
func jsonDepth(src []byte) int {
	d, most := 0, 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			d++
			most = max(most, d)
		case '}', ']':
			d--
		}
	}
	return most
}

// hasDuplicateKey reports whether some diagnostic is a duplicate key.
func hasDuplicateKey(ds []Diagnostic) bool {
	for _, d := range ds {
		if IsDuplicateKey(d) {
			return true
		}
	}
	return false
}

// onlyDuplicateKeys reports whether every diagnostic (of a tree) is a
// duplicate key.
func onlyDuplicateKeys(ds []Diagnostic) bool {
	for _, d := range ds {
		if !IsDuplicateKey(d) {
			return false
		}
	}
	return true
}
