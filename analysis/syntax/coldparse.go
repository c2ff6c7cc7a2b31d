package syntax

import (
	"bytes"
	"sort"

	"gopkg.in/yaml.v3"
)

// Region-wise cold parse.
//
// yaml.v3 builds its whole node tree before we can convert it, and that
// tree is larger than ours: holding both at once set the peak memory of a
// cold parse. A block-mapping document is therefore parsed as a sequence of
// fragments, each converted and dropped before the next is parsed. The
// fragments are the regions of incremental.go: a run of entries of one
// block mapping, from the line of a key to the line of a later sibling key
// (or the end of the parent's region), parsed alone. A large entry whose
// value is a block mapping written on the following lines ("channels:" and
// nothing after the colon but a comment) is split again: its key line is
// parsed alone, and its value is assembled from the fragments of its own
// entries.
//
// Why this equals a parse of the whole text: a fragment starting at a key
// at column c, with no content less indented than c, parses alone as a
// block mapping at column c; the whole-text parser reaches the fragment's
// first line in the same state (inside a block mapping at column c,
// expecting a key), because nothing a previous fragment left open can
// continue at a line that starts a key at column c: plain and block scalars
// end at a line indented c or less, and an unclosed quote or flow
// collection would have made that fragment fail on its own. So the tokens
// of each fragment are the same both ways. Every fragment is checked like
// an incremental region (checkFragmentLines; a block mapping with no
// properties whose keys all start their lines at column c; no anchors or
// aliases), and any doubt (a syntax error, a tab in indentation, a
// document marker, BOM, NEL, LS, PS, ...) gives up: the caller parses the
// whole text, with error recovery. TestRegionParse compares both ways.

// regionParseMin is the smallest text parsed region by region: below it the
// two trees are small and one parse is cheaper.
const regionParseMin = 64 << 10

// regionChunk is the text size of a fragment: consecutive small entries are
// parsed together up to about this size, and entries larger than it are
// split into their own entries when they can be.
const regionChunk = 32 << 10

// RegionParseMin is the smallest text ParseTree parses region by region.
const RegionParseMin = regionParseMin

// maxSplitDepth bounds how deep entries are split (0: the root's entries).
const maxSplitDepth = 4

type regionParser struct {
	text  []byte
	lines []int32 // yamlLineStarts(text)
	b     *treeBuilder
	chunk int
}

// regionParse returns the root of text parsed fragment by fragment, or nil
// when it cannot show the result equal to a parse of the whole text.
func regionParse(text []byte, chunk int) (root *Node) {
	defer func() {
		if recover() != nil {
			root = nil
		}
	}()
	if bytes.HasPrefix(text, []byte(bom)) || looksLikeJSON(text) {
		return nil
	}
	p := &regionParser{text: text, lines: yamlLineStarts(text), chunk: chunk}
	p.b = &treeBuilder{src: text, curLine: -1, release: true}
	col, ok := firstContentColumn(text, 0, len(text))
	if !ok {
		return nil
	}
	pairs, ok := p.mapping(0, len(text), col, 0)
	if !ok {
		return nil
	}
	return p.assemble(pairs)
}

// firstContentColumn returns the indentation of the first line in [s, e)
// that is neither blank nor a comment.
func firstContentColumn(src []byte, s, e int) (int, bool) {
	for i := s; i < e; {
		j := i
		for j < e && src[j] == ' ' {
			j++
		}
		if j < e && !IsBreak(src[j]) && src[j] != '#' {
			return j - i, true
		}
		i = nextLine(src[:e], j)
	}
	return 0, false
}

// assemble makes the block mapping node of pairs, as treeBuilder.node
// would: positioned at its first key, ending at the end of its last child.
func (p *regionParser) assemble(pairs []*Node) *Node {
	n := p.b.newNode()
	n.Kind, n.tag, n.Content = MappingNode, tagMap, pairs
	start := int(pairs[0].start)
	end := p.b.skipProperties(start)
	for _, c := range pairs {
		end = max(end, int(c.end))
	}
	n.setRange(Range{start, end})
	return n
}

// mapping parses [fs, fe), a run of entries of a block mapping whose keys
// are at column col, and returns its key/value pairs.
func (p *regionParser) mapping(fs, fe, col, depth int) ([]*Node, bool) {
	text := p.text
	// The entries: lines at column col that can start a key.
	var starts []int
	for i := fs; i < fe; {
		j := i
		for j < fe && text[j] == ' ' {
			j++
		}
		end := j
		for end < fe && !IsBreak(text[end]) {
			end++
		}
		line := text[j:end]
		if len(line) > 0 && line[0] != '#' && j-i == col && !isMarker(line, "-") {
			starts = append(starts, i)
		}
		i = nextLine(text[:fe], end)
	}
	if len(starts) == 0 {
		return nil, false
	}
	starts[0] = fs // leading blank and comment lines go with the first entry
	var pairs []*Node
	cs := fs // the start of the current run of small entries
	for k, s := range starts {
		e := fe
		if k+1 < len(starts) {
			e = starts[k+1]
		}
		if e-s <= p.chunk || depth >= maxSplitDepth {
			if e-cs >= p.chunk {
				frag, ok := p.fragment(cs, e, col)
				if !ok {
					return nil, false
				}
				pairs, cs = append(pairs, frag...), e
			}
			continue
		}
		if cs < s {
			frag, ok := p.fragment(cs, s, col)
			if !ok {
				return nil, false
			}
			pairs = append(pairs, frag...)
		}
		cs = e
		pair, ok := p.split(s, e, col, depth)
		if !ok {
			if pair, ok = p.fragment(s, e, col); !ok {
				return nil, false
			}
		}
		pairs = append(pairs, pair...)
	}
	if cs < fe {
		frag, ok := p.fragment(cs, fe, col)
		if !ok {
			return nil, false
		}
		pairs = append(pairs, frag...)
	}
	return pairs, true
}

// split parses the entry [s, e) as its key line and the entries of its
// block-mapping value; false when the entry is not written that way (the
// caller then parses it as one fragment).
func (p *regionParser) split(s, e, col, depth int) ([]*Node, bool) {
	text := p.text
	keyEnd := nextLine(text[:e], s)
	col2, ok := firstContentColumn(text, keyEnd, e)
	if !ok || col2 <= col {
		return nil, false
	}
	cs := keyEnd // the first line of the value's entries
	for {
		j := cs
		for j < e && text[j] == ' ' {
			j++
		}
		if j < e && !IsBreak(text[j]) && text[j] != '#' {
			break
		}
		cs = nextLine(text[:e], j)
	}
	head, ok := p.fragment(s, cs, col)
	if !ok || len(head) != 2 {
		return nil, false
	}
	k, v := head[0], head[1]
	if v.Kind != ScalarNode || v.tag != tagNull || v.Value != "" || v.Style != PlainStyle {
		return nil, false
	}
	// Nothing but blanks and a comment after the key's colon.
	i := int(k.end)
	for i < keyEnd && isSpace(text[i]) {
		i++
	}
	if i >= keyEnd || text[i] != ':' {
		return nil, false
	}
	for i++; i < keyEnd && isSpace(text[i]); i++ {
	}
	if i < keyEnd && text[i] != '#' && !IsBreak(text[i]) {
		return nil, false
	}
	pairs, ok := p.mapping(cs, e, col2, depth+1)
	if !ok {
		return nil, false
	}
	return []*Node{k, p.assemble(pairs)}, true
}

// fragment parses [fs, fe) alone and returns its pairs when it is a block
// mapping whose keys all start their lines at column col.
func (p *regionParser) fragment(fs, fe, col int) ([]*Node, bool) {
	frag := p.text[fs:fe]
	if checkFragmentLines(frag, col) != "" {
		return nil, false
	}
	docs, err := decodeStream(frag)
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.DocumentNode || len(docs[0].Content) != 1 {
		return nil, false
	}
	y := docs[0].Content[0]
	if y.Kind != yaml.MappingNode || y.Style != 0 || y.Anchor != "" || y.ShortTag() != "!!map" || len(y.Content) < 2 {
		return nil, false
	}
	for i := 0; i < len(y.Content); i += 2 {
		if k := y.Content[i]; k.Kind != yaml.ScalarNode || k.Column != col+1 {
			return nil, false
		}
	}
	l := sort.Search(len(p.lines), func(i int) bool { return int(p.lines[i]) >= fs })
	if l == len(p.lines) || int(p.lines[l]) != fs {
		return nil, false
	}
	b := p.b
	b.lineStart, b.curLine = p.lines[l:], -1
	root := b.build(docs[0])
	docs[0] = nil
	if b.anchors != nil || b.pending != nil {
		return nil, false
	}
	if root.start != root.Content[0].start {
		return nil, false
	}
	for i := 0; i < len(root.Content); i += 2 {
		if _, ok := keyLineStart(p.text, root.Content[i], col, nil); !ok {
			return nil, false
		}
	}
	return root.Content, true
}
