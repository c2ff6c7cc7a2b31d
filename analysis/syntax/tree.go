package syntax

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Kind is the kind of a tree node.
type Kind uint8

// Node kinds. They mirror yaml.v3's, without the document wrapper.
const (
	ScalarNode Kind = iota + 1
	MappingNode
	SequenceNode
	AliasNode
)

// Style records how a node was written, which decides how its end is found
// and how completion must quote text.
type Style uint8

// Node styles.
const (
	PlainStyle Style = iota
	DoubleQuotedStyle
	SingleQuotedStyle
	LiteralStyle
	FoldedStyle
	FlowStyle // a flow mapping or sequence: {...} or [...]
)

// Node is one YAML/JSON node with its exact byte range in the source. For
// mappings Content alternates key, value; for sequences it holds the items.
//
// Nodes are many (one per 16 bytes of text), so they are kept small: the
// tag is a small code, the range two int32 offsets (ParseTree refuses texts
// of 2 GB and more), and what few nodes have (an anchor, an alias target, a
// tag outside the standard ones) lives in a side record.
type Node struct {
	Kind   Kind
	Style  Style
	tag    tagCode
	broken bool // see Broken
	// gen is the generation of the text the range is relative to: nodes
	// that UpdateTree shares between text versions keep the range of the
	// version that built them, and ShiftLog.R translates it.
	gen        uint32
	Value      string // decoded scalar value, or the anchor name of an alias
	start, end int32  // from the first byte (including anchor/tag) to the last
	Content    []*Node
	ext        *nodeExt // nil for most nodes
}

// nodeExt holds the rare parts of a node.
type nodeExt struct {
	anchor string
	alias  *Node  // target of an alias node
	tag    string // a tag that has no tagCode
}

// tagCode is a resolved short tag.
type tagCode uint8

const (
	tagNone tagCode = iota // no tag (alias nodes), or one kept in ext
	tagStr
	tagInt
	tagFloat
	tagBool
	tagNull
	tagMap
	tagSeq
	tagMerge
	tagBinary
	tagTimestamp
)

var tagNames = [...]string{"", "!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!merge", "!!binary", "!!timestamp"}

// setTag records a resolved short tag.
func (n *Node) setTag(t string) {
	for i, name := range tagNames {
		if name == t {
			n.tag = tagCode(i)
			return
		}
	}
	n.tag = tagNone
	n.extra().tag = t
}

func (n *Node) extra() *nodeExt {
	if n.ext == nil {
		n.ext = &nodeExt{}
	}
	return n.ext
}

// Tag returns the resolved short tag: !!str, !!int, !!null, !!map, ...
// ("" for an alias).
func (n *Node) Tag() string {
	if n.tag == tagNone && n.ext != nil {
		return n.ext.tag
	}
	return tagNames[n.tag]
}

// Anchor returns the node's anchor name, or "".
func (n *Node) Anchor() string {
	if n.ext == nil {
		return ""
	}
	return n.ext.anchor
}

// Alias returns the target of an alias node, or nil.
func (n *Node) Alias() *Node {
	if n.ext == nil {
		return nil
	}
	return n.ext.alias
}

// Range returns the byte range of n in the text version that built it.
// Nodes that UpdateTree shares between versions keep that range: read
// the ranges of shared nodes through ShiftLog.R.
func (n *Node) Range() Range {
	return Range{int(n.start), int(n.end)}
}

func (n *Node) setRange(r Range) {
	n.start, n.end = int32(r.Start), int32(r.End)
}

// IsNull reports whether n is absent or a null scalar.
func (n *Node) IsNull() bool {
	return n == nil || (n.Kind == ScalarNode && n.tag == tagNull)
}

// Key returns the value for key in a mapping, following aliases and merge
// keys (<<) with a depth guard; nil when absent or n is not a mapping.
func (n *Node) Key(key string) *Node {
	_, v := n.Pair(key)
	return v
}

// Pair returns the key node and value node for key in a mapping.
func (n *Node) Pair(key string) (k, v *Node) {
	budget := maxMergeVisits
	return n.pair(key, 0, &budget)
}

// maxMergeVisits bounds the mappings one lookup visits through merge keys:
// merges of merges of aliases can otherwise fan out exponentially.
const maxMergeVisits = 256

func (n *Node) pair(key string, depth int, budget *int) (*Node, *Node) {
	n = n.Resolve()
	if n == nil || n.Kind != MappingNode || depth > 8 || *budget <= 0 {
		return nil, nil
	}
	*budget--
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == ScalarNode && n.Content[i].Value == key && n.Content[i].tag != tagMerge {
			return n.Content[i], n.Content[i+1]
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].tag == tagMerge {
			src := n.Content[i+1].Resolve()
			if src != nil && src.Kind == SequenceNode {
				for _, s := range src.Content {
					if k, v := s.pair(key, depth+1, budget); k != nil {
						return k, v
					}
				}
			} else if k, v := src.pair(key, depth+1, budget); k != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

// Resolve follows alias nodes (with a bound, since alias graphs can be
// cyclic) and returns the first non-alias node.
func (n *Node) Resolve() *Node {
	for i := 0; n != nil && n.Kind == AliasNode && i < 16; i++ {
		n = n.Alias()
	}
	if n != nil && n.Kind == AliasNode {
		return nil
	}
	return n
}

// Pairs calls f for each key/value pair of a mapping, in source order.
func (n *Node) Pairs(f func(k, v *Node)) {
	n = n.Resolve()
	if n == nil || n.Kind != MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		f(n.Content[i], n.Content[i+1])
	}
}

// Items returns the items of a sequence (after aliases), or nil.
func (n *Node) Items() []*Node {
	n = n.Resolve()
	if n == nil || n.Kind != SequenceNode {
		return nil
	}
	return n.Content
}

// Str returns the value of a scalar node, or "" for anything else.
func (n *Node) Str() string {
	n = n.Resolve()
	if n == nil || n.Kind != ScalarNode || n.tag == tagNull {
		return ""
	}
	return n.Value
}

// treeBuilder converts yaml.v3 nodes to Nodes. yaml.v3 reports 1-based
// lines and 1-based *rune* columns of the first token, and no ends; the
// builder turns them into byte offsets with a line table that uses yaml's
// own set of line breaks, and computes each end from the source.
type treeBuilder struct {
	src       []byte
	lineStart []int32 // byte offset of each yaml line (1-based line l at [l-1])
	// cursor caches the last converted position so that converting the
	// nodes of one long line (minified JSON) stays linear.
	curLine, curCol, curOff int
	anchors                 map[*yaml.Node]*Node
	pending                 []*Node // alias nodes whose target is not built yet
	pendingSrc              []*yaml.Node
	chunk                   []Node
	// left is how many nodes the documents given to build still need
	// (build counts them first), so that the last chunk is cut to fit: a
	// small file's tree would otherwise carry a mostly unused 256-node
	// chunk, which doubled the memory of a workspace of small shared files.
	left    int
	gen     uint32 // stamped on every node built
	release bool   // drop each yaml node's children once converted
	// strs interns short scalar values: keys such as type or description
	// and short values repeat thousands of times, and yaml.v3 allocates
	// each one anew; the tree keeps one copy of each.
	strs map[string]string
	// sani, when set, is the text yaml.v3 parsed for the bytes from
	// saniBase on: a JSON region whose escapes sanitizeJSONEscapes patched
	// (same offsets). A plain scalar's value comes from it, so its end is
	// found in it (in b.src, a patched escape would end it early).
	sani     []byte
	saniBase int
}

// maxInterned bounds the length of interned values: longer ones (prose)
// rarely repeat.
const maxInterned = 32

func (b *treeBuilder) intern(v string) string {
	if len(v) > maxInterned || v == "" {
		return v
	}
	if s, ok := b.strs[v]; ok {
		return s
	}
	if b.strs == nil {
		b.strs = make(map[string]string, 256)
	}
	b.strs[v] = v
	return v
}

func newTreeBuilder(src []byte) *treeBuilder {
	b := &treeBuilder{src: src, lineStart: yamlLineStarts(src), curLine: -1}
	return b
}

// yamlLineStarts indexes lines the way yaml.v3 counts them: "\n", "\r\n",
// "\r", NEL (U+0085), LS (U+2028) and PS (U+2029) all end a line. A BOM is
// not part of line 1.
//
// Offsets are int32: ParseTree refuses texts of 2 GB and more.
func yamlLineStarts(src []byte) []int32 {
	starts := make([]int32, 1, 1+len(src)/32)
	if len(src) >= 3 && string(src[:3]) == bom {
		starts[0] = 3
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			starts = append(starts, int32(i+1))
		case c == '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			starts = append(starts, int32(i+1))
		case c == 0xC2 && i+1 < len(src) && src[i+1] == 0x85:
			i++
			starts = append(starts, int32(i+1))
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			i += 2
			starts = append(starts, int32(i+1))
		}
	}
	return starts
}

// offset converts a yaml (line, column) to a byte offset.
func (b *treeBuilder) offset(line, col int) int {
	if line < 1 || line > len(b.lineStart) {
		return len(b.src)
	}
	if col < 1 {
		col = 1
	}
	off, c := int(b.lineStart[line-1]), 1
	if line == b.curLine && col >= b.curCol {
		off, c = b.curOff, b.curCol
	}
	for c < col && off < len(b.src) {
		_, size := utf8.DecodeRune(b.src[off:])
		off += size
		c++
	}
	b.curLine, b.curCol, b.curOff = line, col, off
	return off
}

// nodeChunk is how many nodes one allocation holds: few allocations, while
// an edit that replaces some nodes does not keep a huge array alive.
const nodeChunk = 256

// fewNodes is the chunk of nodes made outside build.
const fewNodes = 8

// countYAMLNodes is how many nodes build makes of y: one per yaml node.
func countYAMLNodes(y *yaml.Node) int {
	n := 1
	for _, c := range y.Content {
		n += countYAMLNodes(c)
	}
	return n
}

func (b *treeBuilder) newNode() *Node {
	if len(b.chunk) == 0 {
		size := min(b.left, nodeChunk)
		if size == 0 {
			// A node made outside build (a region parse's mapping of
			// regions): those are few, and each tree of a small file
			// would otherwise keep a mostly unused chunk for one.
			size = fewNodes
		}
		b.chunk = make([]Node, size)
	}
	if b.left > 0 {
		b.left--
	}
	n := &b.chunk[0]
	b.chunk = b.chunk[1:]
	return n
}

// build converts a yaml document node's content; it returns nil for an
// empty document.
func (b *treeBuilder) build(doc *yaml.Node) *Node {
	if doc == nil {
		return nil
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		doc = doc.Content[0]
	}
	b.left += countYAMLNodes(doc)
	root := b.node(doc, 0)
	for i, a := range b.pending {
		a.extra().alias = b.anchors[b.pendingSrc[i]]
	}
	b.pending, b.pendingSrc = nil, nil
	return root
}

func (b *treeBuilder) node(y *yaml.Node, depth int) *Node {
	n := b.newNode()
	n.gen = b.gen
	n.Value = b.intern(y.Value)
	if y.Kind != yaml.AliasNode {
		n.setTag(y.ShortTag())
	}
	if y.Anchor != "" {
		n.extra().anchor = y.Anchor
	}
	start := b.offset(y.Line, y.Column)
	var end int
	if y.Anchor != "" {
		if b.anchors == nil {
			b.anchors = map[*yaml.Node]*Node{}
		}
		b.anchors[y] = n
	}
	switch y.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		if y.Kind == yaml.MappingNode {
			n.Kind = MappingNode
		} else {
			n.Kind = SequenceNode
		}
		if y.Style&yaml.FlowStyle != 0 {
			n.Style = FlowStyle
		}
		n.Content = make([]*Node, len(y.Content))
		end = b.skipProperties(start)
		for i, c := range y.Content {
			n.Content[i] = b.node(c, depth+1)
			end = max(end, int(n.Content[i].end))
		}
		if b.release {
			y.Content = nil // converted: let the collector have it
		}
		if n.Style == FlowStyle {
			end = b.flowEnd(start, end, n.Kind)
		}
	case yaml.AliasNode:
		n.Kind = AliasNode
		p := b.skipProperties(start)
		end = min(len(b.src), p+1+len(y.Value))
		if t, ok := b.anchors[y.Alias]; ok {
			n.extra().alias = t
		} else {
			n.extra()
			b.pending = append(b.pending, n)
			b.pendingSrc = append(b.pendingSrc, y.Alias)
		}
	default:
		n.Kind = ScalarNode
		switch {
		case y.Style&yaml.DoubleQuotedStyle != 0:
			n.Style = DoubleQuotedStyle
		case y.Style&yaml.SingleQuotedStyle != 0:
			n.Style = SingleQuotedStyle
		case y.Style&yaml.LiteralStyle != 0:
			n.Style = LiteralStyle
		case y.Style&yaml.FoldedStyle != 0:
			n.Style = FoldedStyle
		}
		p := b.skipProperties(start)
		end = b.scalarEnd(p, n)
		if end == p && p > start {
			// No content after an anchor or tag (`k: !!null`, `k: &a`):
			// end at the last property, not after the blanks that follow.
			for end > start && (isSpace(b.src[end-1]) || IsBreak(b.src[end-1])) {
				end--
			}
		}
	}
	n.setRange(Range{start, end})
	return n
}

// skipProperties skips an anchor (&a) and/or tag (!t) written before a
// node's content; yaml.v3 positions the node at the first of them.
func (b *treeBuilder) skipProperties(p int) int {
	for p < len(b.src) && (b.src[p] == '&' || b.src[p] == '!') {
		for p < len(b.src) && !isSpace(b.src[p]) && !IsBreak(b.src[p]) {
			p++
		}
		for p < len(b.src) && (isSpace(b.src[p]) || IsBreak(b.src[p])) {
			p++
		}
	}
	return p
}

// flowEnd finds the bracket that closes a flow collection: after the last
// item, skip blanks, commas and comments.
func (b *treeBuilder) flowEnd(start, after int, kind Kind) int {
	closer := byte('}')
	if kind == SequenceNode {
		closer = ']'
	}
	p := after
	if p <= start {
		p = b.skipProperties(start) + 1 // just after the opening bracket
	}
	for p < len(b.src) {
		c := b.src[p]
		switch {
		case c == closer:
			return p + 1
		case isSpace(c) || IsBreak(c) || c == ',':
			p++
		case c == '#':
			for p < len(b.src) && !IsBreak(b.src[p]) {
				p++
			}
		default:
			return after
		}
	}
	return after
}

func (b *treeBuilder) scalarEnd(p int, n *Node) int {
	src := b.src
	switch n.Style {
	case DoubleQuotedStyle:
		for i := p + 1; i < len(src); i++ {
			switch src[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(src)
	case SingleQuotedStyle:
		for i := p + 1; i < len(src); i++ {
			if src[i] == '\'' {
				if i+1 < len(src) && src[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(src)
	case LiteralStyle, FoldedStyle:
		return blockScalarEnd(src, p, n.Value)
	}
	// Plain. The common case is a single-line scalar whose source is its
	// value; a multi-line plain scalar folds line breaks into spaces.
	v := n.Value
	if n.tag == tagNull && v == "" {
		return p
	}
	if base := b.saniBase; b.sani != nil && p >= base && p < base+len(b.sani) {
		return plainEnd(b.sani, p-base, v) + base
	}
	return plainEnd(src, p, v)
}

// plainEnd returns the end of the plain scalar of value v at p in src.
func plainEnd(src []byte, p int, v string) int {
	if p+len(v) <= len(src) && string(src[p:p+len(v)]) == v {
		return p + len(v)
	}
	i, j := p, 0
	for j < len(v) && i < len(src) {
		switch {
		case (v[j] == ' ' || v[j] == '\n') && (isSpace(src[i]) || IsBreak(src[i])):
			// Folded line breaks: "a\n\n  b" is "a\nb", so blanks and
			// breaks are skipped as a run on both sides.
			for i < len(src) && (isSpace(src[i]) || IsBreak(src[i])) {
				i++
			}
			for j < len(v) && (v[j] == ' ' || v[j] == '\n') {
				j++
			}
		case src[i] == v[j]:
			i++
			j++
		default:
			return max(i, p)
		}
	}
	return i
}

// blockScalarEnd returns the end of the last non-blank content line of a
// literal or folded block scalar whose indicator is at p and whose decoded
// value is value. Lines end where yaml.v3 ends them: at NEL, LS and PS too.
func blockScalarEnd(src []byte, p int, value string) int {
	end := p
	for end < len(src) && !IsBreak(src[end]) && !isSpace(src[end]) {
		end++ // the header: |, >, chomping and indentation indicators
	}
	// Lines more indented than the content keep their extra spaces in the
	// value, so the first content line's extra indentation (non-zero with an
	// indentation indicator, `|2`) is the value's leading spaces.
	first := strings.TrimLeft(value, "\n")
	if first == "" {
		return end // no content: a keep indicator's blank lines are not ours
	}
	extra := len(first) - len(strings.TrimLeft(first, " "))
	// The content of the value of `key: |` or `- |` is indented deeper than
	// the header's line: a line that is not cannot be ours (whatever this
	// scan makes of the lines before it), so the scalar never runs past
	// its entry's region. A document-level scalar (`|`, `--- |`) has no
	// such bound.
	bound := -1
	hs := p
	for hs > 0 && !IsBreak(src[hs-1]) {
		hs--
	}
	hind := 0
	for hs+hind < p && src[hs+hind] == ' ' {
		hind++
	}
	if hs+hind < p && !bytes.HasPrefix(src[hs+hind:p], []byte("---")) {
		bound = hind
	}
	i := yamlNextLine(src, end)
	indent := -1
	for i < len(src) {
		lineEnd := i
		for lineEnd < len(src) && !IsBreak(src[lineEnd]) && unicodeBreakLen(src, lineEnd) == 0 {
			lineEnd++
		}
		ind := 0
		for i+ind < lineEnd && src[i+ind] == ' ' {
			ind++
		}
		blank := true
		for k := i + ind; k < lineEnd; k++ {
			if !isSpace(src[k]) {
				blank = false
				break
			}
		}
		if !blank {
			if ind <= bound {
				break
			}
			if indent < 0 {
				indent = max(ind-extra, 0)
			} else if ind < indent {
				break
			}
			end = lineEnd
			for end > i && isSpace(src[end-1]) {
				end--
			}
		}
		i = yamlNextLine(src, lineEnd)
	}
	return end
}

// unicodeBreakLen returns the length of the NEL, LS or PS at i (line
// breaks to yaml.v3), or 0.
func unicodeBreakLen(src []byte, i int) int {
	switch {
	case i+1 < len(src) && src[i] == 0xc2 && src[i+1] == 0x85:
		return 2
	case i+2 < len(src) && src[i] == 0xe2 && src[i+1] == 0x80 && (src[i+2] == 0xa8 || src[i+2] == 0xa9):
		return 3
	}
	return 0
}

// yamlNextLine is nextLine with NEL, LS and PS ending lines too.
func yamlNextLine(src []byte, i int) int {
	for i < len(src) && !IsBreak(src[i]) {
		if n := unicodeBreakLen(src, i); n > 0 {
			return i + n
		}
		i++
	}
	return nextLine(src, i)
}

func nextLine(src []byte, i int) int {
	for i < len(src) && !IsBreak(src[i]) {
		i++
	}
	if i < len(src) && src[i] == '\r' {
		i++
		if i < len(src) && src[i] == '\n' {
			i++
		}
		return i
	}
	if i < len(src) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// IsBreak reports whether c ends a line (\n or \r).
func IsBreak(c byte) bool { return c == '\n' || c == '\r' }
