package syntax

import (
	"bytes"
	"sort"
	"strings"
	"sync/atomic"

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
// aliases). A fragment that does not parse is a syntax error, confined to
// its region (tolerant.go); any doubt (a document marker in the body, an
// explicit key, anchors, a BOM in the body, NEL, LS, PS, ...) gives up: the caller parses the whole
// text, with error recovery. Regions are decided from the text: a line at
// column c starts an entry (unless it continues the one above: `- `, or a
// closing bracket), so a quote or flow collection that runs past such a
// line is an error (YAML requires its lines to be indented deeper; yaml.v3
// is lax there), whatever the size of the fragment (crossesRegions).
// TestRegionParse compares both ways.

// regionParseMin is the smallest text parsed region by region. It is 0:
// every block-mapping text is, so that syntax errors are confined to their
// regions whatever the size (tolerant.go); a text smaller than
// regionChunk is one fragment, one parse. ParseTreeWhole parses whole.
const regionParseMin = 0

// regionChunk is the text size of a fragment: consecutive small entries are
// parsed together up to about this size, and entries larger than it are
// split into their own entries when they can be.
const regionChunk = 32 << 10

// RegionChunk is the text size of the fragments of a region-wise parse:
// a text of a few chunks is parsed in several fragments.
const RegionChunk = regionChunk

// maxSplitDepth bounds how deep entries are split (0: the root's entries).
const maxSplitDepth = 8

type regionParser struct {
	text  []byte
	lines []int32 // yaml line starts of the text parsed (all of it, or one region)
	b     *treeBuilder
	chunk int
	// tolerant: a region that does not parse is split into smaller regions,
	// and one that cannot be split becomes an error entry (tolerant.go);
	// otherwise any failure gives up.
	tolerant bool
	errs     []brokenRegion // the syntax errors found (tolerant)
	notes    []brokenRegion // diagnostics of regions that parsed (JSON's ',')
	doubt    string         // why the text cannot be parsed region-wise at all
	doubtAt  Range          // the entry of entryDoubt
	// locate: the parse only finds the broken regions of a text whose
	// aliases link its regions (locateBroken), so a fragment that parses
	// but for them counts as parsed; its nodes are not used.
	locate bool
	// strict (with locate): a fragment with anchors or aliases counts as
	// parsed only if it passes the checks of one without (located.go).
	strict bool
	// stop (with locate): when set, the pass ends at the next fragment
	// with the doubt stoppedDoubt (a pass run ahead whose text an edit
	// superseded: located.go).
	stop *atomic.Bool
	// whole: the text's cold parse is a whole parse that succeeds (a
	// valid text parsed whole, re-parsed by region: spliceRegion), so a
	// quoted scalar or flow collection may run over lines that start
	// regions (crossesRegions), and a fragment may hold fewer entries
	// than it has lines at its keys' column.
	whole bool
	// lenient: a fragment parsed only by whole's leniency (a quoted
	// scalar or flow collection over lines that start regions; a
	// fragment with fewer entries than lines at the keys' column has
	// one, since a line at that column can only go on such a value).
	lenient bool
}

// regionParse returns the root of text parsed fragment by fragment, or nil
// when it cannot show the result equal to a parse of the whole text.
func regionParse(text []byte, chunk int) (root *Node) {
	defer func() {
		if p := recover(); p != nil {
			rethrowOwn(p)
			root = nil
		}
	}()
	if looksLikeJSON(text) {
		return nil
	}
	bs, be, why := yamlBody(text)
	if why != "" {
		return nil
	}
	p := &regionParser{text: text, lines: yamlLineStarts(text), chunk: chunk}
	p.b = &treeBuilder{src: text, curLine: -1, release: true}
	col, ok := firstContentColumn(text, bs, be)
	if !ok {
		return nil
	}
	pairs, ok := p.mapping(bs, be, col, 0)
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
		if j < e && !IsBreak(src[j]) && src[j] != '#' && src[j] != '\t' {
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
	n.gen = p.b.gen
	n.Kind, n.tag, n.Content = MappingNode, tagMap, pairs
	start := int(pairs[0].start)
	end := p.b.skipProperties(start)
	for _, c := range pairs {
		end = max(end, int(c.end))
	}
	n.setRange(Range{start, end})
	return n
}

// segment is one region of a block mapping: the lines of an entry (from
// a line at the mapping's column to the next such line), or, when
// tolerant, a run of lines indented less than the mapping's keys (a
// stray, which belongs to no entry).
type segment struct {
	start int
	stray bool
}

// segments returns the regions of [fs, fe) for a block mapping at column
// col. The first one starts at fs: leading blank and comment lines go with
// the first entry.
func (p *regionParser) segments(fs, fe, col int) []segment {
	text := p.text
	var out []segment
	strayInd := -1 // indentation of the current stray run
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
		ind := j - i
		switch {
		case len(line) == 0 || line[0] == '#' || line[0] == '\t':
			// A tab in indentation (a syntax error, or content of a block
			// scalar) never starts a region: it errs in the region above.
		case ind == col && !continues(line) && !(p.locate && isMarker(line, ":")):
			// (A `: value` line at the column goes with the explicit key
			// above it, which only locateBroken reads.)
			out = append(out, segment{start: i})
			strayInd = -1
		case p.tolerant && ind < col && (strayInd < 0 || ind < strayInd):
			out = append(out, segment{start: i, stray: true})
			strayInd = ind
		}
		i = nextLine(text[:fe], end)
	}
	if len(out) > 0 {
		out[0].start = fs
	}
	return out
}

// continues reports whether a line at the column of a mapping's keys
// continues the entry above it instead of starting one: a sequence entry
// (`- x`, the value of a key at the same column) or the bracket that
// closes a flow collection opened above (JSON-like YAML).
func continues(line []byte) bool {
	return isMarker(line, "-") || line[0] == ']' || line[0] == '}'
}

// mapping parses [fs, fe), a run of entries of a block mapping whose keys
// are at column col, and returns its key/value pairs. When tolerant it
// fails only on doubt (p.doubt); the pairs may then be empty.
func (p *regionParser) mapping(fs, fe, col, depth int) ([]*Node, bool) {
	segs := p.segments(fs, fe, col)
	if len(segs) == 0 || segs[0].stray {
		return nil, false
	}
	var pairs []*Node
	// keep: the pairs are the result. The region-wise pass (locate) wants
	// only the broken regions: holding the pairs kept a tree of the whole
	// text live until the pass ended, which under the server's memory
	// limit (a 5 MB text) made the collector run back to back through it
	// (3.8 s for a pass of 0.4 s).
	keep := !p.locate
	cs, ck := fs, 0 // the start (and first segment) of the current run of small entries
	flush := func(upTo, k int) bool {
		if cs >= upTo {
			return true
		}
		frag, ok := p.fragment(cs, upTo, col, k-ck)
		if !ok {
			if !p.tolerant || p.doubt != "" {
				return false
			}
			for i := ck; i < k; i++ {
				s, e := segs[i].start, upTo
				if i+1 < k {
					e = segs[i+1].start
				}
				if i == ck {
					s = cs
				}
				pair, ok := p.entry(s, e, col, depth)
				if !ok {
					return false
				}
				if keep {
					pairs = append(pairs, pair...)
				}
			}
			return true
		}
		if keep {
			pairs = append(pairs, frag...)
		}
		return true
	}
	for k, sg := range segs {
		s := sg.start
		e := fe
		if k+1 < len(segs) {
			e = segs[k+1].start
		}
		if sg.stray {
			if !flush(s, k) {
				return nil, false
			}
			if !p.stray(s, e, col) {
				return nil, false
			}
			cs, ck = e, k+1
			continue
		}
		if e-s <= p.chunk || depth >= maxSplitDepth {
			if e-cs >= p.chunk {
				if !flush(e, k+1) {
					return nil, false
				}
				cs, ck = e, k+1
			}
			continue
		}
		if !flush(s, k) {
			return nil, false
		}
		cs, ck = e, k+1
		pair, ok := p.split(s, e, col, depth)
		if !ok {
			if p.doubt != "" {
				return nil, false
			}
			if pair, ok = p.entry(s, e, col, depth); !ok {
				return nil, false
			}
		}
		if keep {
			pairs = append(pairs, pair...)
		}
	}
	if !flush(fe, len(segs)) {
		return nil, false
	}
	return pairs, true
}

// entry parses one entry [s, e): as one fragment, else (tolerant) split
// into its key line and its value's entries, else as an error entry.
func (p *regionParser) entry(s, e, col, depth int) ([]*Node, bool) {
	if pair, ok := p.fragment(s, e, col, 1); ok {
		return pair, true
	}
	if !p.tolerant || p.doubt != "" {
		return nil, false
	}
	if depth < maxSplitDepth {
		if pair, ok := p.split(s, e, col, depth); ok {
			return pair, true
		}
		if p.doubt != "" {
			return nil, false
		}
	}
	return p.errorEntry(s, e, col)
}

// split parses the entry [s, e) as its key line and the entries of its
// block-mapping value; false when the entry is not written that way (the
// caller then parses it as one fragment).
func (p *regionParser) split(s, e, col, depth int) ([]*Node, bool) {
	text := p.text
	s = contentLine(text, s, e, false) // the key line
	keyEnd := nextLine(text[:e], s)
	col2, ok := firstContentColumn(text, keyEnd, e)
	if !ok || col2 <= col {
		return nil, false
	}
	cs := contentLine(text, keyEnd, e, false) // the first line of the value's entries
	if isMarker(bytes.TrimLeft(text[cs:e], " "), "-") {
		return nil, false // a block sequence
	}
	head, ok := p.fragment(s, cs, col, 1)
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
	if len(pairs) == 0 {
		// Every entry of the value was broken beyond salvage.
		return []*Node{k, p.brokenValue(int(k.end), e)}, true
	}
	return []*Node{k, p.assemble(pairs)}, true
}

// fragment parses [fs, fe) alone and returns its pairs when it is a block
// mapping whose keys all start their lines at column col, one for each of
// the want entries the text has there.
func (p *regionParser) fragment(fs, fe, col, want int) ([]*Node, bool) {
	if p.stop != nil && p.stop.Load() {
		p.doubt = stoppedDoubt
		return nil, false
	}
	frag := p.text[fs:fe]
	if why := checkFragmentLines(frag, col); why != "" {
		if doubtful(why) && !(p.locate && why == explicitKeyDoubt) {
			p.doubt = why
		}
		return nil, false
	}
	docs, err := decodeStream(frag)
	if err != nil && strings.Contains(err.Error(), "unknown anchor") {
		if p.locate {
			// Parsed entry by entry, then split (errorEntry), so that an
			// alias cannot hide another entry's error.
			return nil, false
		}
		// An alias of an anchor in another region (or of none): only the
		// whole text can say which.
		p.doubt = "an alias of an anchor outside the region"
		return nil, false
	}
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.DocumentNode || len(docs[0].Content) != 1 {
		return nil, false
	}
	y := docs[0].Content[0]
	if y.Kind != yaml.MappingNode || y.Style != 0 || y.Anchor != "" || y.ShortTag() != "!!map" ||
		(len(y.Content) != 2*want && !(p.whole && len(y.Content) < 2*want)) { // (a block mapping has an entry)
		return nil, false
	}
	for i := 0; i < len(y.Content); i += 2 {
		if k := y.Content[i]; k.Kind != yaml.ScalarNode || k.Column != col+1 {
			return nil, false
		}
	}
	b := p.b
	if !p.lineAt(fs) {
		return nil, false
	}
	root := b.build(docs[0])
	docs[0] = nil
	if b.anchors != nil || b.pending != nil {
		if !p.locate {
			p.doubt = "anchors or aliases"
			return nil, false
		}
		b.anchors, b.pending, b.pendingSrc = nil, nil, nil
		if !p.strict {
			return root.Content, true
		}
	}
	if root.start != root.Content[0].start {
		return nil, false
	}
	for i := 0; i < len(root.Content); i += 2 {
		if _, ok := keyLineStart(p.text, root.Content[i], col, nil); !ok {
			return nil, false
		}
	}
	if crossesRegions(p.text, root.Content, col) {
		if !p.whole {
			return nil, false
		}
		p.lenient = true
	}
	return root.Content, true
}

// lineAt points the builder's line table at the line that starts at off.
func (p *regionParser) lineAt(off int) bool {
	l := sort.Search(len(p.lines), func(i int) bool { return int(p.lines[i]) >= off })
	if l == len(p.lines) || int(p.lines[l]) != off {
		return false
	}
	p.b.lineStart, p.b.curLine = p.lines[l:], -1
	return true
}
