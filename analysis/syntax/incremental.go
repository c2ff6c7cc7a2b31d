package syntax

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Incremental analysis.
//
// A YAML document whose root is a block mapping is a nest of regions: the
// entry of a block-mapping key runs from the start of its key's line to the
// start of the next sibling key's line (the last entry runs to the end of its
// parent's region). An edit strictly inside one entry's region is re-parsed
// as a YAML fragment made of that region's new text alone: a fragment that
// starts with indentation parses as a mapping at that column, and as long as
// it is still only keys at that column with no less-indented content, the
// parser state at its end is the same as before the edit, so the rest of
// the document parses exactly as it did. The new entries are spliced into
// path copies of their ancestors; every other node is shared with the
// previous tree (trees are immutable and read concurrently), those after the
// region included: their ranges are translated by the document's shift log
// (shift.go), so read ranges through ShiftLog.R. The deepest region that contains
// the edit is tried first (one operation's description line, say), then the
// enclosing ones. The region is parsed as a cold parse parses it
// (regionParser.mapping, error-tolerant): an edit that makes, keeps or
// fixes a syntax error is handled the same way, the errors of the other
// regions are kept (shifted), and pretty-printed JSON is updated member by
// member (jsonregion.go), compact JSON by member ranges (jsoncompact.go). Anything the argument above does not cover falls
// back to a full parse: see UpdateTree.
//
// Duplicate keys and the line index are carried over from the previous
// version for the unchanged parts; the analysis package does the same for
// the model parts that walk every node (the $ref list).

// maxRegionDepth bounds how deep the region search goes (1: top-level
// entries, 2: one channel or operation, 3: one component, ...).
const maxRegionDepth = 4

// CoveringEdit merges a batch of edits (each against the result of the
// previous one) into one edit of old that yields text, and checks that the
// unchanged prefix and suffix really are unchanged.
func CoveringEdit(old []byte, edits []Edit, text []byte) (Edit, bool) {
	start, end, suffix, ok := coveringBounds(len(old), edits, len(text))
	// (No overlap of prefix and suffix: the first edit bounds them in old, the last in text.)
	if !ok || !bytes.Equal(old[:start], text[:start]) || !bytes.Equal(old[end:], text[len(text)-suffix:]) {
		return Edit{}, false
	}
	return Edit{Start: start, End: end, Text: string(text[start : len(text)-suffix])}, true
}

// CoveringEditApplied is CoveringEdit for a text its caller made by
// applying edits to old (ApplyChanges, ApplyChangesMapped): the prefix and
// suffix are unchanged by construction, so they are not compared (on a
// keystroke in a 5 MB document the comparison read both whole texts). The
// edits are still checked against the lengths.
func CoveringEditApplied(old []byte, edits []Edit, text []byte) (Edit, bool) {
	start, end, suffix, ok := coveringBounds(len(old), edits, len(text))
	if !ok {
		return Edit{}, false
	}
	return Edit{Start: start, End: end, Text: string(text[start : len(text)-suffix])}, true
}

// coveringBounds returns the edit of an old text of n bytes, [start, end),
// that covers every edit (each against the result of the previous one),
// and the length of the suffix they leave; ok is false when an edit is out
// of range or they do not make a text of newLen bytes.
func coveringBounds(n int, edits []Edit, newLen int) (start, end, suffix int, ok bool) {
	if len(edits) == 0 {
		return 0, 0, 0, false
	}
	minStart, suffix, cur := n, n, n
	for _, e := range edits {
		if e.Start < 0 || e.Start > e.End || e.End > cur {
			return 0, 0, 0, false
		}
		minStart = min(minStart, e.Start)
		suffix = min(suffix, cur-e.End)
		cur += len(e.Text) - (e.End - e.Start)
	}
	if cur != newLen {
		return 0, 0, 0, false
	}
	return minStart, n - suffix, suffix, true
}

// Level is one mapping entry on the way from the root to the edit.
type Level struct {
	Map        *Node // the mapping (of the previous tree)
	Index      int   // index of the pair: keys are Map.Content[2*Index]
	Start, End int   // the pair's region in the previous text
	Col        int   // indentation of the mapping's keys
}

// findLevels returns the nested entries whose regions strictly contain the
// edit [s, e) of old, outermost first; the root's entries end at bodyEnd.
func findLevels(old []byte, root *Node, bodyEnd, s, e int, l *ShiftLog) []Level {
	var out []Level
	m, end := root, bodyEnd
	for depth := 0; depth < maxRegionDepth; depth++ {
		if !plainBlockMapping(m, l) {
			break
		}
		col, ok := keyColumn(old, m.Content[0], l)
		if !ok {
			break
		}
		n := len(m.Content) / 2
		i := sort.Search(n, func(j int) bool { return l.R(m.Content[2*j]).Start-col > s }) - 1
		if i < 0 {
			break
		}
		start, ok := keyLineStart(old, m.Content[2*i], col, l)
		if !ok || start > s {
			break
		}
		rend := end
		if i+1 < n {
			if rend, ok = keyLineStart(old, m.Content[2*i+2], col, l); !ok {
				break
			}
		}
		if e > rend || (e == rend && rend != len(old)) {
			break
		}
		out = append(out, Level{Map: m, Index: i, Start: start, End: rend, Col: col})
		m, end = m.Content[2*i+1], rend
	}
	return out
}

// plainBlockMapping reports whether n is a non-empty block mapping without
// properties, positioned at its first key.
func plainBlockMapping(n *Node, l *ShiftLog) bool {
	return n != nil && n.Kind == MappingNode && n.Style != FlowStyle && n.ext == nil && n.tag == tagMap &&
		len(n.Content) >= 2 && l.R(n).Start == l.R(n.Content[0]).Start
}

// keyColumn returns the column of a key that starts its line after spaces.
func keyColumn(src []byte, k *Node, l *ShiftLog) (int, bool) {
	ks := l.R(k).Start
	ls := ks
	for ls > 0 && src[ls-1] == ' ' {
		ls--
	}
	if ls > 0 && !IsBreak(src[ls-1]) && !afterBOM(src, ls) {
		return 0, false
	}
	return ks - ls, k.Kind == ScalarNode
}

// keyLineStart returns the start of the line of key k when k is a scalar
// preceded on its line by exactly col spaces.
func keyLineStart(src []byte, k *Node, col int, l *ShiftLog) (int, bool) {
	ks := l.R(k).Start
	ls := ks - col
	if k.Kind != ScalarNode || ls < 0 || (ls > 0 && !IsBreak(src[ls-1]) && !afterBOM(src, ls)) {
		return 0, false
	}
	for _, c := range src[ls:ks] {
		if c != ' ' {
			return 0, false
		}
	}
	return ls, true
}

// lineStartAt reports whether a line (in the LSP and yaml sense, once NEL,
// LS and PS are excluded) starts at p.
func lineStartAt(src []byte, p int) bool {
	if p == 0 {
		return true
	}
	if p > len(src) {
		return false
	}
	c := src[p-1]
	return c == '\n' || (c == '\r' && (p == len(src) || src[p] != '\n'))
}

// checkFragmentLines rejects region texts that a parse in isolation may read
// differently from the whole document: content less indented than the
// region's keys (which would close the parent mapping), explicit keys, tabs
// in indentation, document markers and directives, and characters yaml
// treats specially (BOM, NEL, LS, PS) or invalid UTF-8.
func checkFragmentLines(frag []byte, col int) string {
	if !utf8.Valid(frag) {
		return "invalid UTF-8 in the region"
	}
	if specialChars(frag) {
		return "BOM, NEL, LS or PS in the region"
	}
	why := ""
	eachLine(frag, func(ind int, line []byte) bool {
		switch {
		case len(line) > 0 && line[0] == '\t':
			why = "a tab in indentation"
		case len(line) == 0 || line[0] == '#':
			// blank or comment
		case ind < col:
			why = "content less indented than the region's keys"
		case ind == 0 && (line[0] == '%' || isMarker(line, "---") || isMarker(line, "...")):
			why = "a document marker or directive"
		case ind == col && isMarker(line, ":"):
			why = explicitKeyDoubt
		case explicitKey(line):
			// At any depth: a key without a value line gets its empty
			// value positioned at the next token, which may lie past
			// the region.
			why = explicitKeyDoubt
		}
		return why == ""
	})
	return why
}

// specialChars reports whether frag holds a character yaml treats
// specially: a BOM, NEL, LS or PS.
func specialChars(frag []byte) bool {
	return bytes.Contains(frag, []byte(bom)) || bytes.Contains(frag, []byte("\u0085")) ||
		bytes.Contains(frag, []byte("\u2028")) || bytes.Contains(frag, []byte("\u2029"))
}

// eachLine calls f with the indentation (leading spaces) and the rest of
// each line of frag up to its break, until f returns false.
func eachLine(frag []byte, f func(ind int, line []byte) bool) {
	for i := 0; i < len(frag); {
		j := i
		for j < len(frag) && frag[j] == ' ' {
			j++
		}
		end := j
		for end < len(frag) && !IsBreak(frag[end]) {
			end++
		}
		if !f(j-i, frag[j:end]) {
			return
		}
		i = nextLine(frag, end)
	}
}

// anchorOrAliasIn reports whether a line may hold an anchor or an alias:
// a '&' or '*' that starts a token, followed by a name.
func anchorOrAliasIn(line []byte) bool {
	for i, c := range line {
		if (c == '&' || c == '*') && i+1 < len(line) && !isSpace(line[i+1]) &&
			(i == 0 || isSpace(line[i-1]) || strings.IndexByte("[{,:-?", line[i-1]) >= 0) {
			return true
		}
	}
	return false
}

// brokenAround reports whether a broken region (in order of their
// starts) starts before [start, end), or one starts inside it and another
// outside it.
func brokenAround(broken []brokenRegion, start, end int) bool {
	inside, outside := false, false
	for _, b := range broken {
		switch {
		case b.region.Start < start:
			return true
		case b.region.Start < end:
			inside = true
		default:
			outside = true
		}
	}
	return inside && outside
}

// wholeChecked, when set (tests), is called for each whole parse
// spliceRegion makes to learn that the new text's fails.
var wholeChecked func()

// pastFailure reports whether edit e of the text of t starts at or
// after where the failed whole parse of that text stopped reading
// (Tree.failRead), so that the new text's whole parse fails the same way.
func pastFailure(t *Tree, e Edit) bool {
	return t.failRead > 0 && e.Start >= t.failRead
}

// wholeCause returns what in frag, the text of a region, a cold parse
// may have parsed the whole text for (checkFragmentLines's doubts, at any
// indentation), or "".
func wholeCause(frag []byte) string {
	if !utf8.Valid(frag) {
		return "invalid UTF-8"
	}
	if specialChars(frag) {
		return "BOM, NEL, LS or PS"
	}
	why := ""
	eachLine(frag, func(ind int, line []byte) bool {
		switch {
		case len(line) == 0:
		case ind == 0 && (line[0] == '%' || isMarker(line, "---") || isMarker(line, "...")):
			why = "a document marker or directive"
		case isMarker(line, ":") || explicitKey(line):
			why = explicitKeyDoubt
		case anchorOrAliasIn(line):
			why = "anchors or aliases"
		}
		return why == ""
	})
	return why
}

// explicitKeyDoubt is why a region with an explicit key is not parsed
// alone.
const explicitKeyDoubt = "an explicit key"

// explicitKey reports whether a line's content is an explicit key, after
// sequence entry indicators (`? k`, `- ? k`).
func explicitKey(line []byte) bool {
	for isMarker(line, "-") {
		line = bytes.TrimLeft(line[1:], " ")
	}
	return isMarker(line, "?")
}

func isMarker(line []byte, m string) bool {
	return bytes.HasPrefix(line, []byte(m)) && (len(line) == len(m) || isSpace(line[len(m)]))
}

// UpdateMapper returns NewMapper(text) computed from the mapper of the text
// before edit e: line starts before the edit are kept, those after it are
// shifted, and only the edited span is scanned. The two mappers share the
// blocks of the line index that the edit does not touch (position.go).
func UpdateMapper(pm *Mapper, e Edit, text []byte) *Mapper {
	if pm == nil {
		return NewMapper(text)
	}
	return pm.update(e, text)
}

// TreeUpdate is a tree made by re-parsing one region of the previous tree
// after an edit, and what the model layer needs to know about the splice.
type TreeUpdate struct {
	Tree *Tree
	// Shifts translates the ranges of the nodes shared with the previous
	// tree; nil when Compacted.
	Shifts *ShiftLog
	// Levels are the entries from the root down to the re-parsed region
	// (the last one), in the previous tree.
	Levels []Level
	// Pairs are the region's new key/value nodes (error entries included:
	// a key with a Broken value), and OldPairs the pair they replace.
	Pairs, OldPairs []*Node
	// Path is the keys from the root to the re-parsed region's entry (in
	// the previous tree), for the model layer to rebuild by entry.
	Path  []string
	Delta int // len(new text) - len(old text)
	// Compacted: the shift log was full, so every node was copied with
	// absolute ranges (shift.go): none is shared with the previous tree.
	Compacted bool
}

// UpdateTree re-parses only the region of the tree of old (whose shared
// nodes shifts translates) that edit e touches, and returns the tree of
// text, or nil and why it cannot (the caller then parses text in full).
func UpdateTree(old []byte, t *Tree, shifts *ShiftLog, e Edit, text []byte) (*TreeUpdate, string) {
	if !editKeepsUTF8(text, e) {
		return nil, "invalid UTF-8 at the edit"
	}
	if t.IsJSON {
		return updateJSON(old, t, shifts, e, text)
	}
	switch {
	case len(t.Docs) != 1 || t.Docs[0] == nil:
		return nil, "not exactly one YAML document"
	case bytes.HasPrefix(old, []byte(bom)) != bytes.HasPrefix(text, []byte(bom)):
		return nil, "byte order mark added or removed"
	case looksLikeJSON(text):
		return nil, "the new text looks like JSON"
	}
	prevDups := false
	for _, dg := range t.Diagnostics {
		if !IsDuplicateKey(dg) {
			// A text parsed whole has broken regions when aliases link its
			// regions (locateBroken): the rest is the text without them,
			// parsed whole, and a region outside them parses alone as in
			// it. Any other error may have changed what follows it.
			if !t.regional && len(t.broken) == 0 {
				return nil, "syntax error in the previous text"
			}
			continue
		}
		prevDups = true
	}
	levels := findLevels(old, t.Docs[0], t.rootEnd(), e.Start, e.End, shifts)
	if len(levels) == 0 {
		return nil, "the edit is not inside one entry of a block mapping"
	}
	if t.anchored {
		// Outside anything anchored or aliased, a region parses as in
		// the whole text (which such texts are parsed as, see tolerant.go).
		lv := levels[len(levels)-1]
		for j := 2 * lv.Index; j < 2*lv.Index+2; j++ {
			if hasAnchorOrAlias(lv.Map.Content[j]) {
				return nil, "an anchor or alias in the edited region"
			}
		}
	}
	if t.explicitKeys && explicitKeyBefore(old, levels, shifts) {
		return nil, "an explicit key before the edited region, in its top-level entry or the one before"
	}
	return spliceDeepest(old, t, shifts, levels, e, text, prevDups)
}

// editKeepsUTF8 reports whether text, made by edit e from a text that was
// valid UTF-8 (a tree with documents), is still valid around the edit: a
// byte deleted from a character, or a character cut by the edit's ends,
// makes the whole parse report invalid UTF-8 and give no document, which
// a re-parse that does not read that place (a kept broken JSON region's
// scan, say) would miss. Only the characters the edit's ends fall in and
// the inserted text can have become invalid: the window runs from the
// first character start at most UTFMax bytes before the edit to the last
// one at most UTFMax bytes after the inserted text.
func editKeepsUTF8(text []byte, e Edit) bool {
	from, to := max(0, e.Start-utf8.UTFMax), min(len(text), e.Start+len(e.Text)+utf8.UTFMax)
	for from < e.Start && !utf8.RuneStart(text[from]) {
		from++
	}
	for to > e.Start+len(e.Text) && to < len(text) && !utf8.RuneStart(text[to]) {
		to--
	}
	return utf8.Valid(text[from:to])
}

// spliceDeepest re-parses the deepest region of levels that works: the
// one that contains the edit, then the enclosing ones (up to half the
// text, which costs as much as a full parse).
func spliceDeepest(old []byte, t *Tree, shifts *ShiftLog, levels []Level, e Edit, text []byte, prevDups bool) (*TreeUpdate, string) {
	reason := ""
	for depth := len(levels) - 1; depth >= 0; depth-- {
		if depth < len(levels)-1 && levels[depth].End-levels[depth].Start > len(old)/2 {
			break // as costly as a full parse
		}
		u, why, retry := spliceRegion(t, shifts, levels[:depth+1], e, text, prevDups)
		if u != nil {
			return u, ""
		}
		reason = why
		if !retry {
			break
		}
	}
	return nil, reason
}

// spliceRegion re-parses the region of levels[len-1] after edit e and
// returns the new tree. On failure it says why, and whether an enclosing
// region may still work.
func spliceRegion(t *Tree, shifts *ShiftLog, levels []Level, e Edit, text []byte, prevDups bool) (*TreeUpdate, string, bool) {
	lv := levels[len(levels)-1]
	delta := len(e.Text) - (e.End - e.Start)
	fs, fe := lv.Start, lv.End+delta
	if !regionLineStart(text, fs) || (fe < len(text) && !lineStartAt(text, fe)) { // (fe >= fs: the edit is inside the region)
		return nil, "the edit moves a region boundary", true
	}
	if t.IsJSON {
		if !jsonKeyLineAt(text, fs, fe, lv.Col) {
			return nil, "the region no longer starts with a key", true
		}
		if !jsonInside(text[fs:fe], lv.Col) {
			return nil, "a line of the region belongs to an enclosing region", true
		}
		if fe == len(text) && (&regionParser{text: text}).jsonCloserAtMembers(fs, fe, lv.Col) {
			// the last member of a root never closed: a cold parse reads
			// the text whole
			return nil, "the region cannot be parsed alone: the root object's '}' is not indented less than its members", false
		}
	} else {
		if !keyLineAt(text, fs, fe, lv.Col) {
			return nil, "the region no longer starts with a key", true
		}
		if len(levels) >= 2 && !indentedDeeper(text[fs:fe], levels[len(levels)-2].Col) {
			return nil, "a line of the region belongs to an enclosing region", true
		}
	}
	if !t.IsJSON && contentLine(text, fs, fe, false) > fs && brokenUpTo(t.broken, lv.Start) {
		// The blank and comment lines that now open the region belong to
		// the broken region before it, which a cold parse runs to the
		// region's key line.
		return nil, "blank lines between a broken region and the region", false
	}
	log := shifts.next(lv.End, delta)
	gen := log.gen()
	p := &regionParser{text: text, lines: yamlLineStarts(text[fs:fe]), chunk: regionChunk, tolerant: t.regional,
		whole: !t.regional && !t.IsJSON && len(t.broken) == 0}
	for i := range p.lines {
		p.lines[i] += int32(fs)
	}
	p.b = &treeBuilder{src: text, gen: gen, release: true} // lineAt points it at each fragment
	var pairs []*Node
	var ok bool
	if t.IsJSON {
		if pairs, ok = p.jsonMembers(fs, fe, lv.Col, len(levels)-1); ok && p.doubt == "" {
			p.jsonNotes(fs, fe, lv.Col, len(levels)-1, lv.Index == len(lv.Map.Content)/2-1 && closedObject(t.Text, lv.Map, shifts))
		}
	} else {
		pairs, ok = p.mapping(fs, fe, lv.Col, len(levels)-1)
	}
	// failing: the new text is parsed whole, and its whole parse must
	// fail for its broken regions to be found region by region
	// (parseTree); known when the edit is past the old one's failure,
	// else checked once the region is spliced (a whole parse, without the
	// rest of what a cold parse does).
	failing := false
	if !ok && p.doubt == "" && !t.IsJSON && !t.regional && (len(t.broken) > 0 || t.located.within(lv.Start, lv.End)) {
		// (A text found broken region by region: its broken regions are
		// all known. A valid text parsed whole may have some that its
		// whole parse reads, a quoted string over a less indented line,
		// which its cold parse finds once another error makes it fail:
		// its region-wise pass, run once, says whether it has any
		// outside the region (located.go).)
		afterBlock := lv.Index > 0 && endsInBlockScalar(lv.Map.Content[2*lv.Index-1])
		q, qpairs, why, retry := blankedRegion(text, fs, fe, lv.Col, len(levels)-1, gen, afterBlock)
		if q == nil {
			return nil, "the region does not parse, in a text parsed whole: " + why, retry
		}
		p, pairs, ok, failing = q, qpairs, true, true
	}
	switch {
	case p.doubt != "":
		return nil, "the region cannot be parsed alone: " + p.doubt, false
	case !ok:
		return nil, "the region does not parse", true
	case len(pairs) == 0 && (len(p.errs) == 0 || len(lv.Map.Content) == 2):
		// (A broken entry whose key line has no key, `channels:x`, is
		// spliced as no entry at all, as a cold parse has it, unless the
		// mapping would be left empty.)
		return nil, "no entry of the region has a key", true
	case !realKeyIn(text, pairs, log) && !realKeyIn(text, lv.Map.Content[:2*lv.Index], log) &&
		!realKeyIn(text, lv.Map.Content[2*lv.Index+2:], log):
		// `d:\n  e:x` reads as d's plain scalar "e:x": a mapping whose keys
		// all had a value typed onto their colon is no mapping.
		return nil, "a key with a value typed onto its colon is the only key of its mapping", true
	}

	if !t.IsJSON && !t.regional {
		// A text parsed whole stays so only while what made it so is
		// there: when the old region held it (an explicit key, a NEL, LS
		// or PS, a marker) and the new one parses alone, the edit may
		// have removed it, and a cold parse of the new text may go
		// region by region, where other regions can read differently
		// (a quoted string over a line that looks like a key).
		why := wholeCause(t.Text[lv.Start:lv.End])
		if t.wholeWhy == entryDoubt && t.doubtAt.Start < lv.End && lv.Start < t.doubtAt.End {
			why = entryDoubt
		}
		if why != "" {
			return nil, "the region held what made the text parse whole (" + why + ")", false
		}
		// A broken text parsed whole has its broken regions found region
		// by region only while the whole text does not parse (parseTree):
		// an edit after a broken region can make it parse (a flow
		// collection or quoted string left open there, closed by the
		// edit), and so can fixing one broken region of several (the
		// others may be errors of the region-wise parse only, `[1,\n2]`
		// less indented); then those regions read as the whole parse
		// has them. Before the broken regions, or fixing the only one,
		// the whole parse reaches the errors as it did, or parses as
		// the regions do. Otherwise the whole parse must fail (failing):
		// it does when the edit starts past what the failed whole parse
		// read (failRead), as the old one did, and then its errors are
		// found region by region again; before that, a whole parse of
		// the new text says.
		if brokenAround(t.broken, lv.Start, lv.End) {
			failing = true
		}
	}

	// Path-copy the ancestors; everything else is shared, the nodes after
	// the region included: log translates their ranges.
	var child *Node
	for l := len(levels) - 1; l >= 0; l-- {
		pm, i := levels[l].Map, levels[l].Index
		var content []*Node
		if l == len(levels)-1 {
			content = slices.Concat(pm.Content[:2*i], pairs, pm.Content[2*i+2:])
		} else {
			content = slices.Concat(pm.Content[:2*i+1], []*Node{child}, pm.Content[2*i+2:])
		}
		nm := new(Node)
		*nm = *pm
		nm.gen = gen
		nm.Content = content
		r := log.R(content[0])
		for _, c := range content[1:] {
			r.End = max(r.End, log.R(c).End)
		}
		if pm.Style == FlowStyle {
			// From its '{' (before the region) to its '}' (after it), or
			// to its last member when it is never closed.
			r.Start = shifts.R(pm).Start
			if closedObject(t.Text, pm, shifts) {
				r.End = shifts.R(pm).End + delta
			}
		}
		nm.setRange(r)
		child = nm
	}
	root := child

	// Duplicate keys: the previous text had none (else recompute them all),
	// so only the spliced mapping's keys and the new entries can have some;
	// pre-order puts the mapping's before its entries'.
	tree := &Tree{Text: text, Docs: []*Node{root}, IsJSON: t.IsJSON, regional: t.regional, anchored: t.anchored,
		wholeWhy: t.wholeWhy, doubtAt: t.doubtAt, explicitKeys: t.explicitKeys}
	if t.doubtAt.Start >= lv.End {
		tree.doubtAt = shiftRange(t.doubtAt, delta)
	}
	if t.bodyEnd > 0 {
		tree.bodyEnd = t.bodyEnd + delta
	}
	tree.broken = spliceBroken(t.broken, p.errs, lv.Start, lv.End, delta)
	if !t.IsJSON && !t.regional {
		// (The region re-parsed without regionParser.whole's leniency has
		// the pass's verdict there: p.errs, found as the pass finds them,
		// none when it parsed; it holds no anchor, alias or explicit key,
		// which would have been a doubt of p or of blankedRegion.)
		tree.located = t.located.next(text, lv.Start, lv.End, delta, p.lenient, p.errs)
	}
	// (A NEL, LS or PS is at most 3 bytes: one the edit made overlaps it.)
	tree.special = t.special || specialChars(text[max(0, e.Start-2):min(len(text), e.Start+len(e.Text)+2)])
	switch {
	case !failing:
	case len(tree.broken) == 0:
		// The whole parse fails, and with no broken region left a cold
		// parse recovers from its error line by line.
		return nil, "an edit after the failure of a text parsed whole that fixes its last broken region", false
	case pastFailure(t, e):
		tree.failRead = t.failRead // (the same failure: the text up to it is unchanged)
	default:
		fails, read, known := failsFrom(t, shifts, levels, text, tree.special)
		if !known {
			if wholeChecked != nil {
				wholeChecked()
			}
			_, n, err := decodeStreamRead(text)
			fails, read = err != nil, n
			if read >= len(text) {
				read = 0
			}
		}
		if !fails {
			return nil, "an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse", false
		}
		tree.failRead = read
	}
	sortByStart(p.notes)
	tree.notes = spliceBroken(t.notes, p.notes, lv.Start, lv.End, delta)
	var dups []Diagnostic
	if prevDups {
		dups = duplicateKeys(root, log)
	} else {
		old := levels[len(levels)-1]
		ok := old.Map.Content[2*old.Index]
		if len(pairs) != 2 || !SameKey(ok, pairs[0]) {
			spliced := root
			for l := 0; l < len(levels)-1; l++ {
				spliced = spliced.Content[2*levels[l].Index+1]
			}
			dups = mappingDuplicates(spliced, dups, log)
		}
		for _, n := range pairs {
			dups = append(dups, duplicateKeys(n, log)...)
		}
	}
	tree.Diagnostics = treeDiagnostics(append(tree.broken[:len(tree.broken):len(tree.broken)], tree.notes...), dups)
	u := &TreeUpdate{Tree: tree, Shifts: log, Levels: levels, Pairs: pairs, Delta: delta,
		OldPairs: lv.Map.Content[2*lv.Index : 2*lv.Index+2 : 2*lv.Index+2]}
	for _, l := range levels {
		u.Path = append(u.Path, l.Map.Content[2*l.Index].Value)
	}
	if len(log.shifts) >= MaxShifts {
		// The log is full: copy the tree with absolute ranges, which
		// empties it.
		if tree.Docs[0] = compact(root, log); tree.Docs[0] == nil {
			return nil, "aliases in the tree", false
		}
		u.Shifts, u.Compacted = nil, true
	}
	return u, "", false
}

// fromChecked, when set (tests), is called for each parse failsFrom
// makes from the region instead of a whole parse.
var fromChecked func()

// failsFrom tells whether the whole parse of text fails without parsing
// the text before the region of levels[len-1], at L, when no broken
// region starts before L (levels and t.broken are those of the previous
// text, equal to text before the edit, which starts at or after L; when
// one does, L is the start of an entry before it that holds the first
// broken region, and levels those of that entry: fromBefore). The
// text before L is then what the old tree's blanked text, which parses
// whole, has there; yaml.v3 reaches L (a key line of block mappings
// without properties, nested as levels say, outside any flow
// collection) in a state that depends only on the columns of those
// mappings, whether the innermost one has an entry before L, and the
// anchors defined before L (aliases after L need them). failsFrom
// parses a stand-in for the text before L that leaves yaml.v3 in that
// state (the header before the root's first key, an entry `k: &name x`
// for each anchor, a `k:` line at each enclosing mapping's column and,
// when the region is not its mapping's first entry, `k: x` at its
// column) followed by text[L:], and returns whether it fails and a
// bound on what the whole parse reads: yaml.v3 reads at most 512 bytes
// past what it needs, a read at a time, so the whole parse reads less
// than what the stand-in's did, moved to L, plus 1024 bytes (0 when
// that reaches the end of text). known is false when the rule does not
// apply: L at the root's first key, or a BOM, NEL, LS or PS in text
// (special, Tree.special of text: yaml.v3 looks at stale bytes past a
// read, so the alignment of the reads could change what it does with
// them; a text with a NEL, LS or PS has no broken regions found region
// by region, and spliceRegion declines one typed, but a BOM opening a
// text does not keep it from having some).
func failsFrom(t *Tree, shifts *ShiftLog, levels []Level, text []byte, special bool) (fails bool, read int, known bool) {
	enc, lv := levels[:len(levels)-1], levels[len(levels)-1]
	if len(t.broken) > 0 && t.broken[0].region.Start < lv.Start {
		if enc, lv, known = fromBefore(t, shifts, levels); !known {
			return false, 0, false
		}
	}
	L := lv.Start
	root := levels[0].Map
	k0, ok := keyLineStart(text, root.Content[0], levels[0].Col, shifts)
	if !ok || k0 >= L || special {
		return false, 0, false
	}
	// (Each level's mapping is the value of the entry of the one before,
	// without properties: findLevels.)
	var b bytes.Buffer
	b.Write(text[:k0])
	if bytes.IndexByte(text[k0:L], '&') >= 0 {
		for _, a := range anchorsBefore(root, L, shifts, nil) {
			fmt.Fprintf(&b, "%*sk: &%s x\n", levels[0].Col, "", a)
		}
	}
	for _, l := range enc {
		fmt.Fprintf(&b, "%*sk:\n", l.Col, "")
	}
	if lv.Index > 0 {
		fmt.Fprintf(&b, "%*sk: x\n", lv.Col, "")
	}
	off := L - b.Len()
	if fromChecked != nil {
		fromChecked()
	}
	r := &joinedReader{a: b.Bytes(), b: text[L:]}
	_, err := decodeFrom(r)
	n := r.n
	if read = n + off + 1024; read >= len(text) {
		read = 0
	}
	return err != nil, read, true
}

// fromBefore returns, for failsFrom, the entry to parse from when a
// broken region starts before the region of levels (an edit below a
// broken line, before the failure): the deepest entry that holds both the
// first broken region and the region, or the entry of the first broken
// region in the mapping of the deepest one that holds both, and the
// levels that enclose it. No broken region starts before it, and the text
// from it holds the broken regions as the whole parse reads them; false
// when the broken region is in no entry of a block mapping.
func fromBefore(t *Tree, shifts *ShiftLog, levels []Level) (enc []Level, lv Level, ok bool) {
	bs := t.broken[0].region.Start
	lb := findLevels(t.Text, levels[0].Map, t.rootEnd(), bs, bs, shifts)
	d := 0
	for d < len(lb) && d < len(levels) && lb[d].Map == levels[d].Map && lb[d].Index == levels[d].Index {
		d++
	}
	switch {
	case d < len(lb): // (d < len(levels): the region starts after bs)
		return levels[:d], lb[d], true
	case d > 0: // the broken region is in levels[d-1]'s entry, in none of its value's
		return levels[:d-1], levels[d-1], true
	}
	return nil, Level{}, false
}

// joinedReader reads a then b, as a bytes.Reader of their concatenation
// would (each read as full as it can be: yaml.v3 reads the same bytes),
// without copying b; n counts the bytes read.
type joinedReader struct {
	a, b []byte
	n    int
}

func (j *joinedReader) Read(p []byte) (int, error) {
	if len(j.a) == 0 && len(j.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, j.a)
	j.a = j.a[n:]
	m := copy(p[n:], j.b)
	j.b = j.b[m:]
	j.n += n + m
	return n + m, nil
}

// anchorsBefore appends to out the anchors of n and its descendants
// that start before p, in order.
func anchorsBefore(n *Node, p int, l *ShiftLog, out []string) []string {
	if n == nil || l.R(n).Start >= p {
		return out
	}
	if a := n.Anchor(); a != "" {
		out = append(out, a)
	}
	for _, c := range n.Content {
		if l.R(c).Start >= p {
			break
		}
		out = anchorsBefore(c, p, l, out)
	}
	return out
}

// blankedRegion parses [fs, fe), a region of text (a block mapping's
// entries at column col) that does not parse alone, in a text parsed
// whole whose regions anchors, aliases or explicit keys link, as the cold
// parse of text has it when its whole parse fails: the broken regions are
// found region by region (locateBroken, here those of the region), and
// the rest is the text with them blanked, parsed whole, the region's part
// as its blanked text parsed alone. It returns the parser of the blanked
// region, with the broken regions found as its errs, and the pairs; nil
// and why when the cold parse would go otherwise: the region-wise parse
// meets a doubt in the region (an entry that parses alone but not region
// by region: the whole parse then recovers line by line), or the blanked
// region does not parse alone, when an enclosing region may (retry). A
// region all broken has no pairs. afterBlock says that a block scalar
// ends right before the region: a broken region at its first line is
// then declined, as the blanked text's block scalar runs on over its
// blanked lines (keeping their breaks, or as content when they are
// indented deeper than it); the enclosing region, which holds the
// scalar, may do (retry: it is parsed with the scalar, as the cold parse
// has it).
func blankedRegion(text []byte, fs, fe, col, depth int, gen uint32, afterBlock bool) (p *regionParser, pairs []*Node, why string, retry bool) {
	lines := yamlLineStarts(text[fs:fe])
	for i := range lines {
		lines[i] += int32(fs)
	}
	parser := func(src []byte, tolerant, locate bool) *regionParser {
		p := &regionParser{text: src, lines: lines, chunk: regionChunk, tolerant: tolerant, locate: locate}
		p.b = &treeBuilder{src: src, gen: gen, release: true}
		return p
	}
	if pt := parser(text, true, false); !mappingOK(pt, fs, fe, col, depth) {
		return nil, nil, cmp.Or(pt.doubt, "the region does not parse region by region"), false
	}
	pl := parser(text, true, true)
	if !mappingOK(pl, fs, fe, col, depth) || len(pl.errs) == 0 {
		return nil, nil, cmp.Or(pl.doubt, "no broken region found in it"), false
	}
	if afterBlock && pl.errs[0].region.Start == contentLine(text, fs, fe, false) {
		return nil, nil, "its first entry broken right after a block scalar", true
	}
	// The region is parsed in a window of the text (offsets from fs) with
	// its broken regions blanked, not in a blanked copy of all of it: the
	// parse reads only the region and what readPastRegion says the tree
	// builder reads past it.
	w := append([]byte(nil), text[fs:readPastRegion(text, fe)]...)
	for _, e := range pl.errs {
		for i := e.region.Start - fs; i < e.region.End-fs; i++ {
			if !IsBreak(w[i]) {
				w[i] = ' '
			}
		}
	}
	wl := make([]int32, len(lines))
	for i, l := range lines {
		wl[i] = l - int32(fs)
	}
	pb := &regionParser{text: w, lines: wl, chunk: regionChunk}
	pb.b = &treeBuilder{src: w, gen: gen, release: true}
	if contentLine(w, 0, fe-fs, false) == fe-fs {
		// All of it broken: the blanked text has no entry there.
		pb.errs = pl.errs
		return pb, nil, "", false
	}
	pairs, ok := pb.mapping(0, fe-fs, col, depth)
	if !ok { // (blanking adds no doubt that pt did not meet)
		return nil, nil, "the region with its broken regions blanked does not parse", true
	}
	for _, n := range pairs {
		shiftNodes(n, fs)
	}
	pb.errs = pl.errs
	return pb, pairs, "", false
}

// endsInBlockScalar reports whether the last node of n's subtree, in
// text order, is a block scalar.
func endsInBlockScalar(n *Node) bool {
	for n != nil && n.Kind != AliasNode {
		if n.Kind == ScalarNode {
			return n.Style == LiteralStyle || n.Style == FoldedStyle
		}
		if len(n.Content) == 0 {
			return false
		}
		n = n.Content[len(n.Content)-1]
	}
	return false
}

// readPastRegion returns where the tree builder stops reading text when
// it builds the nodes of a region that ends at fe (a line start), at
// most: skipProperties, after a node with no content after its tag at the
// region's end (`k: !!str`), skips blanks, line breaks and the tags and
// anchors of the lines below (`!!str n: v`), up to a byte that is none
// of those (or the end of the window). Everything else it reads lies in
// the region: yaml.v3 parsed the region alone, so its quoted scalars and
// flow collections close in it, and a plain scalar's source holds its
// value; the scan for the end of a block scalar reads on to the line at
// fe, whose content is indented at most the region's keys, where it
// stops without moving the end.
func readPastRegion(text []byte, fe int) int {
	q := fe
	for {
		for q < len(text) && (isSpace(text[q]) || IsBreak(text[q])) {
			q++
		}
		if q == len(text) || (text[q] != '&' && text[q] != '!') {
			return q
		}
		for q < len(text) && !isSpace(text[q]) && !IsBreak(text[q]) {
			q++
		}
	}
}

// shiftNodes adds d to the range of n and its descendants (not an
// alias's target: it is one of them, or outside).
func shiftNodes(n *Node, d int) {
	n.start += int32(d)
	n.end += int32(d)
	for _, c := range n.Content {
		shiftNodes(c, d)
	}
}

// mappingOK runs p.mapping (tolerant: it fails only on doubt, which
// p.doubt says) and reports whether it went through.
func mappingOK(p *regionParser, fs, fe, col, depth int) bool {
	_, ok := p.mapping(fs, fe, col, depth)
	return ok
}

// realKeyIn reports whether pairs (read through l) hold a key that is one: not a key with a value typed onto its colon
// (`e:x`, an error entry), whose colon is followed by no blank in text.
func realKeyIn(text []byte, pairs []*Node, l *ShiftLog) bool {
	for i := 0; i < len(pairs); i += 2 {
		if !pairs[i+1].Broken() {
			return true
		}
		after := text[l.R(pairs[i]).End:] // the key's ':' and what follows it
		if len(after) < 2 || after[0] != ':' || isSpace(after[1]) || IsBreak(after[1]) {
			return true
		}
	}
	return false
}

// brokenUpTo reports whether a broken region ends at p.
func brokenUpTo(broken []brokenRegion, p int) bool {
	i := sort.Search(len(broken), func(i int) bool { return broken[i].region.End >= p })
	return i < len(broken) && broken[i].region.End == p
}

// SameKey reports whether two keys are the same scalar (kind, value, tag).
func SameKey(a, b *Node) bool {
	return a.Kind == b.Kind && a.Value == b.Value && a.Tag() == b.Tag()
}
