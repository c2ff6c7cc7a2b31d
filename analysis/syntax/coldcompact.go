package syntax

import (
	"bytes"
	"slices"
	"sort"
)

// Cold parse of valid compact JSON, container by container.
//
// A compact (minified) JSON text has no line layout for the region-wise
// cold parse (coldparse.go, jsonregion.go), and was parsed whole: yaml.v3
// builds its node tree of the whole text before the tree builder converts
// it, which at 5 MB held about 30 MB more than the finished tree, the peak
// of the server's memory (the open of a 5 MB minified document peaked at
// 22-24x the document; issue 8 asks < 20x). When the text is valid JSON
// its members are parsed instead in runs of about compactColdRun bytes,
// with parseCompactRun (jsoncompact.go), the way an update re-parses the
// run that holds an edit, and for the same reason give the nodes of the
// whole parse: JSON is context-free, yaml.v3 reads it context-free, and a
// run that parses alone parses so in the whole text. A member larger than
// a run whose value is an object or array is parsed with that value
// emptied ("key":{}), which gives the key and the value's node, and the
// value's members are parsed the same way, one level down. Anything that
// does not parse that way (what parseCompactRun refuses) falls back to the
// whole parse.

// compactColdRun is the size of the runs of members parsed at once.
const compactColdRun = 32 << 10

// compactColdLevels bounds how deep the cold parse goes down into members
// larger than a run (deeper: the text is parsed whole). Each level scans
// its container's text for the members, so a text nesting members larger
// than a run n levels deep is scanned n times: a bound keeps that linear
// (generated and real documents split a few levels deep).
const compactColdLevels = 32

// compactColdParsed, when set (tests), is told the size of every run of
// members, and of every member with its value emptied, parsed at once.
var compactColdParsed func(size int)

// compactChild is one member or item of a container: its bytes [s, e)
// between the separators (',' and the container's brackets), and when its
// value is an object or array, that value's brackets (vOpen < 0: none).
type compactChild struct {
	s, e, vOpen, vClose int
}

// compactChildren returns the members or items of the container whose
// brackets are at open and close, in a valid JSON text, or in a broken one
// that is valid with its regions rs blanked (their bytes are skipped).
func compactChildren(text []byte, rs []compactRegion, open, close int) []compactChild {
	var out []compactChild
	c := compactChild{s: open + 1, vOpen: -1}
	depth := 0
	ri := sort.Search(len(rs), func(k int) bool { return rs[k].to > open })
	for i := open + 1; i < close; i++ {
		for ri < len(rs) && rs[ri].to <= i {
			ri++
		}
		if ri < len(rs) && rs[ri].start() <= i {
			i = rs[ri].to - 1 // (blanks)
			continue
		}
		switch text[i] {
		case '"':
			if i = quoteEnd(text, i, close); i < 0 {
				i = close // (a valid text closes its strings)
			}
		case '{', '[':
			if depth == 0 {
				c.vOpen = i
			}
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				c.vClose = i
			}
		case ',':
			if depth == 0 {
				c.e = i
				out = append(out, c)
				c = compactChild{s: i + 1, vOpen: -1}
			}
		}
	}
	c.e = close
	return append(out, c)
}

// compactContent parses the members (kind MappingNode) or items of the
// container whose brackets are at open and close, depth containers deep.
func compactContent(text []byte, rs []compactRegion, open, close int, kind Kind, depth int) ([]*Node, bool) {
	var out []*Node
	children := compactChildren(text, rs, open, close)
	if len(children) == 1 && len(bytes.TrimLeft(blankedSpan(text, rs, children[0].s, children[0].e), " \t\r\n")) == 0 {
		return nil, true // only blanks: a container whose members were all blanked
	}
	run, runEnd := -1, 0 // the run of small children not parsed yet, if run >= 0
	flush := func() bool {
		if run < 0 {
			return true
		}
		if compactColdParsed != nil {
			compactColdParsed(runEnd - run)
		}
		nodes, why, _ := parseCompactFrag(blankedSpan(text, rs, run, runEnd), run, kind, depth, 0)
		out, run = append(out, nodes...), -1
		return why == ""
	}
	for _, c := range children {
		if c.e-c.s < compactColdRun || c.vOpen < 0 {
			if run < 0 {
				run = c.s
			}
			runEnd = c.e
			if runEnd-run >= compactColdRun && !flush() {
				return nil, false
			}
			continue
		}
		if !flush() || depth >= compactColdLevels {
			return nil, false
		}
		// The child with its value emptied: "key":{} or {} (an item).
		frag := append(slices.Clone(blankedSpan(text, rs, c.s, c.vOpen+1)), text[c.vClose])
		if compactColdParsed != nil {
			compactColdParsed(len(frag))
		}
		nodes, why, _ := parseCompactFrag(frag, c.s, kind, depth, 0)
		want := 1
		if kind == MappingNode {
			want = 2
		}
		if why != "" || len(nodes) != want {
			return nil, false
		}
		v := nodes[len(nodes)-1]
		vKind := MappingNode
		if text[c.vOpen] == '[' {
			vKind = SequenceNode
		}
		if v.Kind != vKind || int(v.start) != c.vOpen || len(v.Content) != 0 {
			return nil, false
		}
		content, ok := compactContent(text, rs, c.vOpen, c.vClose, vKind, depth+1)
		if !ok {
			return nil, false
		}
		v.Content, v.end = content, int32(c.vClose+1)
		out = append(out, nodes...)
	}
	return out, flush()
}

// parseCompactCold parses a valid compact JSON text of at least two runs
// as the whole parse does (parseTree), run by run; false: the text is not
// such a text, or some run did not parse alone, and t is unchanged.
func parseCompactCold(t *Tree, text []byte) bool {
	o := compactRootStart(text)
	if o < 0 || len(text) < 2*compactColdRun || strictJSONErrors(text) != nil {
		return false
	}
	root := compactColdRoot(text, nil, o)
	if root == nil {
		return false
	}
	t.Docs = []*Node{root}
	t.Diagnostics = duplicateKeys(root, nil)
	t.strictJSON = true // (strictJSONErrors found nothing)
	sortTreeDiagnostics(t.Diagnostics)
	return true
}

// compactColdRoot returns the root object, whose '{' is at o, of a valid
// JSON text parsed run by run, or nil when some run does not parse alone.
// The text may be a broken one read with its broken regions rs blanked
// (parseCompactBroken: each run blanked when it is parsed, no blanked copy
// of the whole text), whose containers may hold nothing but blanks. Every
// run, and every member with its value emptied, is checked as JSON
// (parseCompactFrag) and the children are split at the separators between
// them, so a root that parses is that of a valid (blanked) text.
func compactColdRoot(text []byte, rs []compactRegion, o int) *Node {
	closing := len(text) - 1 // the root's '}': the last byte but blanks
	for jsonBlank(text[closing]) {
		closing--
	}
	// The root: the text with the root emptied, parsed whole, then filled.
	// What is around the root is parsed as the whole parse reads it (YAML
	// refuses a tab before the '{', which JSON allows).
	frame := slices.Concat(text[:o+1], text[closing:])
	docs, err := decodeStream(frame)
	if err != nil || len(docs) != 1 {
		return nil
	}
	b := newTreeBuilder(frame)
	b.release = true
	root := b.build(docs[0])
	if root == nil || root.Kind != MappingNode {
		return nil
	}
	content, ok := compactContent(text, rs, o, closing, MappingNode, 1)
	if !ok {
		return nil
	}
	root.Content, root.end = content, int32(closing+1)
	return root
}

// blankedSpan returns text[s:e] with the regions rs (in order, apart)
// blanked as blankCompactRegions blanks them: text's own bytes when no
// region meets the span, else a copy.
func blankedSpan(text []byte, rs []compactRegion, s, e int) []byte {
	i := sort.Search(len(rs), func(k int) bool { return rs[k].to > s })
	if i == len(rs) || rs[i].start() >= e {
		return text[s:e]
	}
	out := slices.Clone(text[s:e])
	for ; i < len(rs) && rs[i].start() < e; i++ {
		for k := max(rs[i].start(), s); k < min(rs[i].to, e); k++ {
			if !IsBreak(out[k-s]) {
				out[k-s] = ' '
			}
		}
	}
	return out
}
