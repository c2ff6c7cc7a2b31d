package syntax

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"gopkg.in/yaml.v3"
)

// Error-tolerant region parsing.
//
// A document being edited is broken most of the time. Its syntax errors
// are confined to the smallest region that holds them: a block-mapping
// entry, whose region runs from its key's line to the next line indented
// at most as deep as the key (a `- ` at the key's column excepted), so that
// an unclosed quote or bracket cannot swallow what follows. A region that
// does not parse alone is split into its key line and the entries of its
// block-mapping value (down to maxSplitDepth); one that cannot be split
// becomes an error entry: its key, when the key line has one (a key with
// a value typed onto its colon, `channels:x`, counts), with a broken null
// value (Node.Broken) covering the rest of the region, and one
// diagnostic where the user is typing (errorDiagnostic). Lines indented
// less than the keys of their mapping but deeper than its parent's form a
// stray region: one diagnostic, no node.
//
// The result is a function of the text alone: each region is parsed the
// same way whether the whole text is parsed (ParseTree) or one region is
// re-parsed after an edit (spliceRegion), so both give the same tree and
// the same errors. Outside its broken regions, the tree of a broken text
// is the tree of the same text with those regions removed.
//
// Regions lie in the body of the document (body.go: after a BOM, a leading
// `---` and its directives, before a trailing `...`). Some texts cannot be
// decided region by region (anchors and aliases, NEL/LS/PS line breaks,
// document markers inside the body, explicit keys, a root that is not a
// block mapping): those are parsed whole (Tree.WholeParseReason says why),
// with the recovery of parse.go; when aliases link the regions of a broken
// text, its errors are still found region by region (locateBroken).

// brokenRegion is one syntax diagnostic of a tree, with the region it
// broke (empty for errors found by the whole-text parse).
type brokenRegion struct {
	diag   Diagnostic
	region Range
}

// doubtful reports a checkFragmentLines reason that says the text may not
// read the same region by region, as opposed to a syntax error.
func doubtful(why string) bool {
	return why != "a tab in indentation" && why != "content less indented than the region's keys"
}

// Broken reports whether n stands for text that did not parse: the value
// of an entry with a syntax error inside. It is a null scalar whose range
// covers the broken text; checks say nothing about it (the syntax error
// does).
func (n *Node) Broken() bool { return n != nil && n.broken }

// brokenValue returns the broken null value of an entry whose ':' is at
// colon and whose region ends at e: from the first token after the colon
// (on a later line when nothing follows it on its line) to the last
// non-blank byte of the region; empty at the end of the colon's line when
// the region holds nothing more.
func (p *regionParser) brokenValue(colon, e int) *Node {
	text := p.text
	s := colon + 1
	for s < e && isSpace(text[s]) {
		s++
	}
	end := s + len(bytes.TrimRight(text[s:e], " \t\r\n"))
	for s < end && (isSpace(text[s]) || IsBreak(text[s])) {
		s++
	}
	n := p.b.newNode()
	n.gen = p.b.gen
	n.Kind, n.tag, n.broken = ScalarNode, tagNull, true
	n.setRange(Range{s, end})
	return n
}

// errorEntry is the result of an entry [s, e) at column col that does not
// parse: one diagnostic, and the key with a broken value when the key line
// has a key.
func (p *regionParser) errorEntry(s, e, col int) ([]*Node, bool) {
	text := p.text
	ls := contentLine(text, s, e, false) // the key line
	lineEnd := lineRangeAt(text, ls).End
	colon, open := keyColon(text[ls:lineEnd], col)
	var d Diagnostic
	switch {
	case colon >= 0 || open >= 0 || (p.locate && explicitKey(bytes.TrimLeft(text[ls:lineEnd], " "))):
	case gluedColon(text[ls:lineEnd], col) > 0:
		// `channels:x`: a value typed right after the key's colon. The
		// key is the user's (its entry keeps its place in the tree, with
		// a broken value); the error is on what follows the colon.
		colon = gluedColon(text[ls:lineEnd], col)
		d = syntaxError(tokenRangeAt(text, ls+colon+1),
			"syntax error: a ':' that ends a key must be followed by a space or a line break")
	default:
		d = syntaxError(tokenRangeAt(text, ls+col),
			"syntax error: could not find expected ':' (this key has no ':' yet)")
	}
	if d.Message == "" {
		var ok bool
		if d, ok = p.errorDiagnostic(ls, e); !ok {
			if p.locate {
				// It parses alone, or but for an alias of another
				// region's anchor: no error of its own.
				return nil, true
			}
			p.doubt, p.doubtAt = entryDoubt, Range{ls, e}
			return nil, false
		}
	}
	// The region starts at its key's line: the blank and comment lines
	// before it go with whichever region is parsed first, and must not
	// make the region depend on that.
	p.errs = append(p.errs, brokenRegion{diag: d, region: Range{ls, e}})
	if colon < 0 {
		return nil, true
	}
	// The key: its line up to the colon, parsed alone.
	docs, err := decodeStream(text[ls : ls+colon+1])
	if err != nil || len(docs) != 1 || len(docs[0].Content) != 1 {
		return nil, true
	}
	y := docs[0].Content[0]
	if y.Kind != yaml.MappingNode || len(y.Content) != 2 || y.Content[0].Kind != yaml.ScalarNode || y.Content[0].Column != col+1 || y.Content[0].Anchor != "" {
		return nil, true
	}
	if !p.lineAt(ls) {
		return nil, true
	}
	k := p.b.node(y.Content[0], 0)
	return []*Node{k, p.brokenValue(ls+colon, e)}, true
}

// gluedColon returns the offset in line of the last ':' inside the word
// that starts at col (a plain key, `channels:x`, `user:signup:x`) with a
// non-blank byte right after it, or -1: the key a value was typed onto.
func gluedColon(line []byte, col int) int {
	if col >= len(line) || strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", line[col]) >= 0 {
		return -1
	}
	at := -1
	for i := col + 1; i+1 < len(line) && line[i] != ' ' && line[i] != '\t'; i++ {
		if line[i] == ':' && line[i+1] != ' ' && line[i+1] != '\t' && line[i+1] != '\r' {
			at = i
		}
	}
	return at
}

// keyColon returns the offset in line of the ':' that ends the implicit
// key starting at col, or -1; open is the offset of a quote or bracket
// left open on the line (-1 if none).
func keyColon(line []byte, col int) (colon, open int) {
	depth := 0
	for i := col; i < len(line); i++ {
		switch c := line[i]; c {
		case '\'', '"':
			if i > col && depth == 0 && line[i-1] != ' ' && line[i-1] != '\t' {
				continue // inside a plain scalar
			}
			j := quoteEnd(line, i, len(line))
			if j < 0 {
				return -1, i
			}
			i = j
		case '[', '{':
			if i == col || depth > 0 || line[i-1] == ' ' {
				depth++
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '#':
			if i == col || line[i-1] == ' ' || line[i-1] == '\t' { // a comment
				if depth > 0 {
					return -1, col
				}
				return -1, -1
			}
		case ':':
			if depth == 0 && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t') {
				return i, -1
			}
		}
	}
	if depth > 0 {
		return -1, col
	}
	return -1, -1
}

// stray reports the lines [s, e), indented less than the keys of their
// mapping (column col): one diagnostic at their first token, no node.
func (p *regionParser) stray(s, e, col int) bool {
	if why := checkFragmentLines(p.text[s:e], 0); why != "" && doubtful(why) {
		p.doubt = why
		return false
	}
	j := s // the run's first line has content (segments): its first token
	for p.text[j] == ' ' {
		j++
	}
	d := syntaxError(tokenRangeAt(p.text, j),
		fmt.Sprintf("syntax error: this line is indented less than the keys of its mapping (column %d): indent it like them, or like their parent", col+1))
	p.errs = append(p.errs, brokenRegion{diag: d, region: Range{s, e}})
	return true
}

// errorDiagnostic parses the entry [s, e) alone and places its error where
// the user is typing: at the opening quote or bracket of a string or
// collection that the region ends inside, on a key that lacks its ':', or
// where the parser stopped. It is false when the entry parses.
func (p *regionParser) errorDiagnostic(s, e int) (Diagnostic, bool) {
	frag := p.text[s:e]
	_, err := decodeStream(frag)
	if err == nil || strings.Contains(err.Error(), "unknown anchor") {
		// It parses, or it refers to an anchor of another region: the
		// region cannot be judged alone.
		return Diagnostic{}, false
	}
	d := regionDiagnostic(frag, err)
	d.Range = shiftRange(d.Range, s)
	for i := range d.Related {
		d.Related[i].Range = shiftRange(d.Related[i].Range, s)
	}
	return d, true
}

func shiftRange(r Range, by int) Range { return Range{r.Start + by, r.End + by} }

// regionDiagnostic turns the parse error of one region's text into a
// diagnostic; go.yaml.in/yaml/v4 parses the region again for exact marks
// (the region only, never the whole document).
func regionDiagnostic(src []byte, err error) Diagnostic {
	le := loadErrorV4(src)
	if le == nil {
		d, _ := syntaxDiagnostic(src, err, false)
		return d
	}
	b := &treeBuilder{src: src, lineStart: yamlLineStarts(src), curLine: -1}
	mark := b.offset(le.Mark.Line, le.Mark.Column)              // len(src) too when there is none
	ctx := b.offset(le.ContextMark.Line, le.ContextMark.Column) // len(src) when there is none
	atEnd := restIsBlank(src, mark)
	var r Range
	var msg string
	open := -1
	if atEnd || strings.Contains(le.Message, "document") {
		open = unclosedOpener(src)
	} else if src[mark] == ']' || src[mark] == '}' { // (not at the end: mark < len(src))
		// `[a, {b: 1]`: the ']' is where yaml notices that the '{' is
		// never closed
		if o := unclosedOpener(src[:mark+1]); o >= 0 && (src[o] == '[' || src[o] == '{') && !closes(src[o], src[mark]) {
			open = o
		}
	} else if q := spanningQuote(src, mark); q >= 0 {
		open = q
	} else if o := unclosedOpener(src); o >= 0 && (src[o] == '[' || src[o] == '{') && o < mark && bytes.ContainsAny(src[o:mark], "\r\n") {
		// `components: {` or `bindings: {kafka: {` over block lines: yaml
		// stops at a line below (a key, a "- " item), still inside the
		// bracket it never closes
		open = o
	}
	switch {
	case open >= 0 && (src[open] == '\'' || src[open] == '"'):
		r, msg = tokenRangeAt(src, open), "this quoted string is never closed"
		if src[open] == '\'' {
			msg += " (a ' opens it, and a ' that is not doubled closes it)"
		}
	case open >= 0:
		what := "[ is never closed (a ] closes it)"
		if src[open] == '{' {
			what = "{ is never closed (a } closes it)"
		}
		r, msg = Range{open, open + 1}, "this "+what
	case strings.Contains(le.ContextMsg, "simple key") && ctx < len(src):
		r, msg = tokenRangeAt(src, ctx), "could not find expected ':' (this key has no ':' yet)"
	case strings.Contains(le.Message, "mapping values are not allowed") && bareLineBefore(src, mark) >= 0:
		// "newkey" typed above "description: x": the two lines read as one
		// plain scalar, and yaml stops at the colon below
		r, msg = tokenRangeAt(src, bareLineBefore(src, mark)), "could not find expected ':' (this key has no ':' yet)"
	default:
		d, _ := syntaxDiagnostic(src, err, false)
		return d
	}
	return syntaxError(r, "syntax error: "+msg)
}

// restIsBlank reports whether src holds nothing but blanks and comments
// from off on: the parser stopped at the end of the region.
func restIsBlank(src []byte, off int) bool {
	for i := min(max(off, 0), len(src)); i < len(src); {
		c := src[i]
		switch {
		case isSpace(c) || IsBreak(c):
			i++
		case c == '#' && (i == 0 || isSpace(src[i-1]) || IsBreak(src[i-1])):
			for i < len(src) && !IsBreak(src[i]) {
				i++
			}
		default:
			return false
		}
	}
	return true
}

// parseRegionsTolerant parses text region by region, errors included; why
// says why the text cannot be parsed that way (see doubtful), "" when it was.
func parseRegionsTolerant(text []byte) (root *Node, errs []brokenRegion, why string, at Range) {
	defer func() {
		if p := recover(); p != nil {
			rethrowOwn(p)
			root, errs, why = nil, nil, fmt.Sprintf("the region parser failed (%v)", p)
		}
	}()
	if looksLikeJSON(text) {
		return nil, nil, "JSON", Range{}
	}
	bs, be, why := yamlBody(text)
	if why != "" {
		return nil, nil, why, Range{}
	}
	p := &regionParser{text: text, lines: yamlLineStarts(text), chunk: regionChunk, tolerant: true}
	p.b = &treeBuilder{src: text, release: true} // lineAt points it at each fragment
	col, found := firstContentColumn(text, bs, be)
	if !found {
		return nil, nil, "no content", Range{}
	}
	pairs, fine := p.mapping(bs, be, col, 0)
	switch {
	case p.doubt != "":
		return nil, nil, p.doubt, p.doubtAt
	case !fine || len(pairs) == 0:
		return nil, nil, "the root is not a block mapping", Range{}
	}
	return p.assemble(pairs), p.errs, "", Range{}
}

// entryDoubt is why a text whose entry parses alone but not region by
// region is parsed whole; Tree.doubtAt is the entry.
const entryDoubt = "an entry that parses alone but not region by region"

// linkedRegions reports a reason of parseRegionsTolerant that says the
// text's regions are linked (by aliases, or by explicit keys whose empty
// values a parse positions in the next region), not that a region may
// read differently alone: its errors can still be found region by region
// (locateBroken).
func linkedRegions(why string) bool {
	return why == "anchors or aliases" || why == "an alias of an anchor outside the region" || why == explicitKeyDoubt
}

// locateBroken finds the broken regions of a YAML text whose regions
// aliases or explicit keys link (parsed whole): each region is parsed as a
// region-wise parse would, an alias of another region's anchor or an
// explicit key counting as parsed. ok is false when the text has some
// other doubt.
func locateBroken(text []byte) (errs []brokenRegion, ok bool) {
	return locatePass(text, false, nil)
}

// locatePass is locateBroken, strict or not (regionParser.strict).
func locatePass(text []byte, strict bool, stop *atomic.Bool) (errs []brokenRegion, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			rethrowOwn(p)
			errs, ok = nil, false
		}
	}()
	bs, be, why := yamlBody(text)
	if why != "" {
		return nil, false
	}
	p := &regionParser{text: text, lines: yamlLineStarts(text), chunk: regionChunk, tolerant: true, locate: true, strict: strict, stop: stop}
	p.b = &treeBuilder{src: text, release: true} // lineAt points it at each fragment
	col, found := firstContentColumn(text, bs, be)
	if !found {
		return nil, false
	}
	if _, fine := p.mapping(bs, be, col, 0); !fine || p.doubt != "" {
		return nil, false
	}
	return p.errs, true
}

// blankRegions returns a copy of text with the broken regions blanked
// (line breaks kept, so that offsets and lines stay).
func blankRegions(text []byte, errs []brokenRegion) []byte {
	out := append([]byte(nil), text...)
	for _, e := range errs {
		for i := e.region.Start; i < e.region.End; i++ {
			if !IsBreak(out[i]) {
				out[i] = ' '
			}
		}
	}
	return out
}

// treeDiagnostics returns the diagnostics of a tree: its syntax errors and
// duplicate keys, in document order.
func treeDiagnostics(errs []brokenRegion, dups []Diagnostic) []Diagnostic {
	out := make([]Diagnostic, 0, len(errs)+len(dups))
	for _, e := range errs {
		out = append(out, e.diag)
	}
	out = append(out, dups...)
	sortTreeDiagnostics(out)
	return out
}

// sortTreeDiagnostics puts a tree's diagnostics in document order (the
// order must not depend on how the tree was built).
func sortTreeDiagnostics(out []Diagnostic) {
	slices.SortStableFunc(out, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Range.Start, b.Range.Start), cmp.Compare(a.Range.End, b.Range.End), strings.Compare(a.Message, b.Message))
	})
}

// sortByStart puts regions in order of their starts (as spliceBroken
// expects), keeping the order of those that start together.
func sortByStart(rs []brokenRegion) {
	slices.SortStableFunc(rs, func(a, b brokenRegion) int { return cmp.Compare(a.region.Start, b.region.Start) })
}

// spliceBroken returns the syntax errors of a tree after the region
// [start, end) of the previous text was re-parsed into fresh (which are
// in the new text's coordinates): those before the region are kept, those
// inside it replaced, those after it shifted by delta.
func spliceBroken(prev, fresh []brokenRegion, start, end, delta int) []brokenRegion {
	if len(prev) == 0 {
		return fresh
	}
	// Regions are in order of their starts, and each lies within one
	// region of the text, which starts at a key's line: those of the
	// re-parsed region start inside it.
	a := sort.Search(len(prev), func(i int) bool { return prev[i].region.Start >= start })
	b := sort.Search(len(prev), func(i int) bool { return prev[i].region.Start >= end })
	out := slices.Concat(prev[:a], fresh, prev[b:])
	for i := a + len(fresh); i < len(out); i++ {
		e := &out[i]
		e.region = shiftRange(e.region, delta)
		e.diag.Range = shiftRange(e.diag.Range, delta)
		if len(e.diag.Related) > 0 {
			rel := make([]Related, len(e.diag.Related)) // prev's are not to change
			for i, r := range e.diag.Related {
				rel[i] = Related{Range: shiftRange(r.Range, delta), Message: r.Message}
			}
			e.diag.Related = rel
		}
	}
	return out
}

// keyLineAt reports whether the first line of [fs, fe) that is neither
// blank nor a comment starts a key of a mapping at column col: indented
// exactly col, and not a sequence entry.
func keyLineAt(text []byte, fs, fe, col int) bool {
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
		if len(line) > 0 && line[0] != '#' {
			return j-i == col && line[0] != '\t' && !continues(line)
		}
		i = nextLine(text[:fe], end)
	}
	return false
}

// indentedDeeper reports whether every line of frag that is neither blank
// nor a comment is indented deeper than col (so that none of them starts
// or ends a region of an enclosing mapping at col or less).
func indentedDeeper(frag []byte, col int) bool {
	deeper := true
	eachLine(frag, func(ind int, line []byte) bool {
		deeper = len(line) == 0 || line[0] == '#' || line[0] == '\t' || ind > col
		return deeper
	})
	return deeper
}

// hasAnchorOrAlias reports whether the tree under n holds an anchor or an
// alias. (The trees it walks, as crosses does, are as deep as yaml.v3
// lets a text nest, which it caps: no depth limit of its own is needed.)
func hasAnchorOrAlias(n *Node) bool {
	if n == nil {
		return false
	}
	if n.ext != nil && (n.ext.anchor != "" || n.ext.alias != nil || n.Kind == AliasNode) {
		return true
	}
	for _, c := range n.Content {
		if hasAnchorOrAlias(c) {
			return true
		}
	}
	return false
}

// crossesRegions reports whether a quoted scalar or a flow collection under
// the pairs of a mapping at column col continues on a line that starts a
// region (a line indented no deeper than the key of the entry it is in).
// yaml.v3 accepts such lines, YAML does not, and a region parse would read
// them as the start of the next entry: the fragment is then parsed in
// smaller regions, where it is a syntax error.
func crossesRegions(text []byte, pairs []*Node, col int) bool {
	for i, v := range pairs {
		if i%2 == 1 && crosses(text, v, valueCol(text, v, col)) {
			return true
		}
	}
	return false
}

// valueCol is the column that the lines of value v must stay right of, in
// an entry whose key is at column k: k, or, for a quoted string or flow
// collection that starts a later line than its key's, the column it starts
// at (`s:\n    'a\n    b: c'`), where a
// region parse splits the value's lines into entries at that column.
func valueCol(text []byte, v *Node, k int) int {
	if v == nil || int(v.start) > len(text) || (v.Style != SingleQuotedStyle && v.Style != DoubleQuotedStyle && v.Style != FlowStyle) {
		return k
	}
	ls := lineRangeAt(text, int(v.start)).Start
	if c := int(v.start) - ls; c > k && blankBefore(text[ls:v.start]) {
		return c
	}
	return k
}

func blankBefore(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

func crosses(text []byte, n *Node, k int) bool {
	if n == nil {
		return false
	}
	switch {
	case n.Style == SingleQuotedStyle || n.Style == DoubleQuotedStyle || n.Style == FlowStyle:
		s, e := int(n.start), int(n.end)
		for i := nextLine(text[:e], s); i < e; { // the lines after its first
			j := i
			for j < e && text[j] == ' ' {
				j++
			}
			end := j
			for end < len(text) && !IsBreak(text[end]) {
				end++
			}
			line := text[j:end]
			if len(line) > 0 && line[0] != '#' && line[0] != '\t' && (j-i < k || (j-i == k && !continues(line))) {
				return true
			}
			i = nextLine(text[:e], end)
		}
	case n.Kind == MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			key := int(n.Content[i].start)
			if crosses(text, n.Content[i+1], valueCol(text, n.Content[i+1], key-lineRangeAt(text, key).Start)) {
				return true
			}
		}
	case n.Kind == SequenceNode:
		for _, c := range n.Content {
			if crosses(text, c, k) {
				return true
			}
		}
	}
	return false
}

// HasBrokenRegions reports whether some region of the tree did not parse
// (its entries are error entries or are missing).
func (t *Tree) HasBrokenRegions() bool { return t != nil && len(t.broken) > 0 }

// Explains reports whether a diagnostic (of a check, not of the syntax)
// that starts at offset at is explained by a syntax error, so that it
// should not be reported: it starts inside a region the error broke (a
// check on a broken entry: a value that is not a list, a missing type), or
// on a key whose entry holds such a region (a field the broken line was
// meant to give). One diagnostic per error: the syntax error's.
func (t *Tree) Explains(at int) bool {
	if t == nil || len(t.broken) == 0 {
		return false
	}
	errs, text := t.broken, t.Text
	i := sort.Search(len(errs), func(i int) bool { return errs[i].region.End > at })
	if i == len(errs) {
		return false
	}
	if errs[i].region.Start <= at {
		return true
	}
	return EntryHolds(text, at, errs[i].region.Start)
}

// EntryHolds reports whether the block entry whose key starts at key (the
// first token of its line; not an item's) holds offset at: at is on the
// key's line, after it, or every line from the next one down to at's is
// indented deeper than the key (blank and comment lines aside).
func EntryHolds(text []byte, key, at int) bool {
	ls := key
	for ls > 0 && text[ls-1] == ' ' {
		ls--
	}
	if ls > 0 && !IsBreak(text[ls-1]) && !afterBOM(text, ls) || key >= len(text) || text[key] == '-' || at < key {
		return false
	}
	col := key - ls
	for p := nextLine(text, key); p < len(text) && p <= at; {
		j := p
		for j < len(text) && text[j] == ' ' {
			j++
		}
		end := j
		for end < len(text) && !IsBreak(text[end]) {
			end++
		}
		if j < end && text[j] != '#' && text[j] != '\t' && j-p <= col {
			return false // the entry ends before at
		}
		p = nextLine(text, end)
	}
	return true
}

// unclosedOpener returns the offset of the innermost quote or flow bracket
// that src opens and never closes, or -1 (see scanOpeners).
func unclosedOpener(src []byte) int {
	stack, never := scanOpeners(src, nil)
	switch {
	case never >= 0:
		return never
	case len(stack) > 0:
		return stack[len(stack)-1]
	}
	return -1
}

// spanningQuote returns the offset of the quote that opens a quoted
// scalar running over line ends to a closing quote on the line of mark,
// before mark, or -1. A quote the user has not closed yet takes the text
// up to the next quote in the file: the parser then fails right after it,
// lines below, where nothing was typed.
func spanningQuote(src []byte, mark int) int {
	found := -1
	scanOpeners(src[:mark], func(start, end int) {
		if bytes.ContainsAny(src[start:end], "\r\n") && !bytes.ContainsAny(src[end:mark], "\r\n") {
			found = start
		}
	})
	return found
}

// scanOpeners reads src as YAML does, near enough: a quote or bracket opens
// something only where a token starts, comments are skipped, and in a flow
// collection every bracket counts. It calls quote (if not nil) with each
// quoted scalar's start and end (its closing quote). It stops at the first
// opener that is never closed: a quote that src ends inside, or the
// innermost bracket when a mismatched closer meets it (`{a: [1}`), and
// returns its offset as never; else never is -1 and stack holds the flow
// brackets still open, innermost last.
func scanOpeners(src []byte, quote func(start, end int)) (stack []int, never int) {
	tokenStart := func(i int) bool {
		if i == 0 {
			return true
		}
		switch c := src[i-1]; {
		case c == ' ' || c == '\t' || IsBreak(c):
			return true
		case c == '[' || c == '{' || c == ',':
			return len(stack) > 0
		case c == ':':
			return len(stack) > 0
		}
		return false
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '#':
			if i == 0 || src[i-1] == ' ' || src[i-1] == '\t' || IsBreak(src[i-1]) {
				for i < len(src) && !IsBreak(src[i]) {
					i++
				}
			}
		case '\'', '"':
			if !tokenStart(i) {
				continue
			}
			j := quoteEnd(src, i, len(src))
			if j < 0 {
				return stack, i
			}
			if quote != nil {
				quote(i, j)
			}
			i = j
		case '[', '{':
			if len(stack) > 0 || tokenStart(i) {
				stack = append(stack, i)
			}
		case ']', '}':
			if len(stack) > 0 {
				if top := stack[len(stack)-1]; !closes(src[top], c) {
					return stack, top // `{a: [1}`: the innermost opener is the one never closed
				}
				stack = stack[:len(stack)-1]
			}
		}
	}
	return stack, -1
}

// closes reports whether the bracket closer closes the bracket opener.
func closes(opener, closer byte) bool {
	return (opener == '[' && closer == ']') || (opener == '{' && closer == '}')
}

// BrokenRegions returns the regions of the text that did not parse, in
// order: each holds one syntax error, and its entry is an error entry (or
// no node at all); the rest of the tree is what the text without them
// parses to.
func (t *Tree) BrokenRegions() []Range {
	if t == nil {
		return nil
	}
	out := make([]Range, len(t.broken))
	for i, b := range t.broken {
		out[i] = b.region
	}
	return out
}

// ParsedByRegion reports whether the tree was parsed region by region
// (error-tolerant, and updated region by region even when broken), as
// opposed to whole.
func (t *Tree) ParsedByRegion() bool { return t != nil && t.regional }

// contentLine returns the start of the first line in [s, e) that is not
// blank (nor, for YAML, a comment), or e.
func contentLine(text []byte, s, e int, json bool) int {
	for ls := s; ; ls = nextLine(text[:e], ls) {
		j := ls
		for j < e && (text[j] == ' ' || (json && text[j] == '\t')) {
			j++
		}
		if j == e || (!IsBreak(text[j]) && (json || text[j] != '#')) {
			return ls // (e, once no line is left)
		}
	}
}

// quoteEnd returns the offset of the quote that closes the one at i
// (a ' closes '-strings, where ” is a quote inside; a " closes
// "-strings, where \ escapes), looking no further than e, or -1.
func quoteEnd(src []byte, i, e int) int {
	c := src[i]
	for j := i + 1; j < e; j++ {
		switch {
		case c == '"' && src[j] == '\\':
			j++
		case src[j] != c:
		case c == '\'' && j+1 < e && src[j+1] == '\'':
			j++
		default:
			return j
		}
	}
	return -1
}

// bareLineBefore returns where the content of the line before mark's line
// starts when that line holds a bare word, as a key typed without its
// colon does (no colon, no item dash, no quote, bracket or comment), or -1.
func bareLineBefore(src []byte, mark int) int {
	ls := mark
	for ls > 0 && !IsBreak(src[ls-1]) {
		ls--
	}
	if ls == 0 {
		return -1
	}
	pe := ls - 1
	if pe > 0 && src[pe] == '\n' && src[pe-1] == '\r' {
		pe--
	}
	ps := pe
	for ps > 0 && !IsBreak(src[ps-1]) {
		ps--
	}
	line := bytes.TrimRight(src[ps:pe], " \t")
	start := len(line) - len(bytes.TrimLeft(line, " "))
	word := line[start:]
	if len(word) == 0 || bytes.IndexByte([]byte("-#'\"[{|>&*!%@`"), word[0]) >= 0 {
		return -1
	}
	if colon, _ := keyColon(word, 0); colon >= 0 {
		return -1
	}
	return ps + start
}
