package features

import (
	"bytes"
	"sort"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// The cursor of a JSON document, read from the text: a member being typed
// has no node yet (the parser may not even read the document), so the
// member path, the key whose value is typed and the keys and items around
// the cursor come from a tolerant scan of the text. JSON strings cannot
// span lines, so each line is tokenized on its own; the scan walks the
// lines backwards from the cursor, matching brackets, until it reaches the
// root or an opening bracket that a parsed tree (the current one, or the
// last good one when the text before that bracket is unchanged) knows the
// path of.

// jtok is one JSON token: a structural character, a string or a bare word
// (a number, true/false/null, or anything else being typed).
type jtok struct {
	kind        byte // { } [ ] , : s (string) w (word)
	start, end  int  // byte range; a string includes its quotes
	closed      bool // a string whose closing quote is on the line
	first, last bool // the first, the last token of its line
	indent      int  // the indentation of its line
}

// jsonLineTokens tokenizes text[start:end] (one line, from its start).
//
// Lines that start mid-line (the cursor's line up to the cursor, or from
// it) get a "first" or "last" mark that only means first or last of the
// part read.
func jsonLineTokens(text []byte, start, end int, out []jtok) []jtok {
	from := len(out)
	for i := start; ; {
		t, next, ok := jsonToken(text, i, end)
		if !ok {
			break
		}
		out, i = append(out, t), next
	}
	if len(out) > from {
		indent := indentBytes(text, start, end-start)
		out[from].first, out[len(out)-1].last = true, true
		for i := from; i < len(out); i++ {
			out[i].indent = indent
		}
	}
	return out
}

// jsonToken reads the token at or after byte i of text[:end] (blanks
// skipped) and returns it with the byte after it; ok is false when only
// blanks are left.
func jsonToken(text []byte, i, end int) (t jtok, next int, ok bool) {
	for i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r') {
		i++
	}
	if i >= end {
		return jtok{}, i, false
	}
	switch c := text[i]; {
	case c == '"':
		j := i + 1
		closed := false
		for j < end {
			if text[j] == '\\' {
				j += 2
				continue
			}
			if text[j] == '"' {
				closed = true
				j++
				break
			}
			j++
		}
		j = min(j, end)
		return jtok{kind: 's', start: i, end: j, closed: closed}, j, true
	case bytes.IndexByte([]byte("{}[],:"), c) >= 0:
		return jtok{kind: c, start: i, end: i + 1}, i + 1, true
	default:
		j := i
		for j < end && bytes.IndexByte([]byte("{}[],:\" \t\r"), text[j]) < 0 {
			j++
		}
		return jtok{kind: 'w', start: i, end: j}, j, true
	}
}

// jsonString decodes a string token (tolerating a missing closing quote).
func jsonString(text []byte, t jtok) string {
	s := text[t.start+1 : t.end]
	if t.closed {
		s = s[:len(s)-1]
	}
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s)
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b = append(b, '\n')
			case 't':
				b = append(b, '\t')
			default:
				b = append(b, s[i]) // \" \\ \/ (and \uXXXX kept as is)
			}
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// revTokens yields the tokens before an offset, last first, line by line.
type revTokens struct {
	text  []byte
	m     *syntax.Mapper
	line  int
	lines int // lines read: the scan gives up after maxScanLines
	toks  []jtok
	// windowed: the tokens start mid-line, at a container a tree knows
	// (jsonWindow); there are none before it but opener, when the window
	// starts after the container's opening bracket.
	windowed bool
	opener   *jtok
}

// maxScanLines bounds the backward scan of a JSON text that no parsed tree
// helps with: past it the cursor's path is unknown (no completion) rather
// than slow.
const maxScanLines = 20000

func newRevTokens(text []byte, m *syntax.Mapper, ws, off int) *revTokens {
	l := m.Line(off)
	r := &revTokens{text: text, m: m, line: l, windowed: ws > m.LineStart(l)}
	r.toks = jsonLineTokens(text, max(ws, m.LineStart(l)), off, nil)
	return r
}

func (r *revTokens) next() (jtok, bool) {
	if len(r.toks) == 0 && r.opener != nil {
		t := *r.opener
		r.opener = nil
		return t, true
	}
	for len(r.toks) == 0 {
		if r.line == 0 || r.lines >= maxScanLines || r.windowed {
			return jtok{}, false
		}
		r.lines++
		r.line--
		r.toks = jsonLineTokens(r.text, r.m.LineStart(r.line), r.m.LineEnd(r.line), r.toks[:0])
	}
	t := r.toks[len(r.toks)-1]
	r.toks = r.toks[:len(r.toks)-1]
	return t, true
}

// fwdTokens yields the tokens from an offset on, line by line.
type fwdTokens struct {
	text     []byte
	m        *syntax.Mapper
	line     int
	toks     []jtok
	windowed bool // the tokens end mid-line, at the end of a container (jsonWindow)
}

func newFwdTokens(text []byte, m *syntax.Mapper, off, we int) *fwdTokens {
	l := m.Line(off)
	le := m.LineEnd(l)
	return &fwdTokens{text: text, m: m, line: l, toks: jsonLineTokens(text, off, min(we, le), nil), windowed: we < le}
}

func (f *fwdTokens) next() (jtok, bool) {
	for len(f.toks) == 0 {
		if f.line+1 >= f.m.LineCount() || f.windowed {
			return jtok{}, false
		}
		f.line++
		f.toks = jsonLineTokens(f.text, f.m.LineStart(f.line), f.m.LineEnd(f.line), f.toks[:0])
	}
	t := f.toks[0]
	f.toks = f.toks[1:]
	return t, true
}

// jsonCursorAt is cursorAt for JSON text.
func jsonCursorAt(d *analysis.Document, off int) *cursor { return jsonCursor(d, off, true) }

// jsonCursor reads the cursor at off; the rest of the container after the
// cursor (keys, items, the next token) only when around is set.
func jsonCursor(d *analysis.Document, off int, around bool) *cursor {
	text, m := d.Text, d.Mapper
	off = min(off, len(text))
	line := m.Line(off)
	ls, le := m.LineStart(line), m.LineEnd(line)
	c := &cursor{off: off, lineStart: ls, prefixStart: off, replaceEnd: off, parentLine: -1}
	c.json = true
	ws, we, outer := jsonWindow(d, off, ls, le)

	// The token being typed: an open string, or a bare word.
	for i := ws; ; {
		t, next, ok := jsonToken(text, i, we)
		if !ok || t.start >= off {
			break // (the tokens after the cursor are not read: a window may be a whole member)
		}
		i = next
		if t.kind == 's' && (off < t.end || !t.closed) {
			c.prefixStart, c.replaceEnd, c.quote = t.start, max(t.end, off), '"'
			if !t.closed {
				c.replaceEnd = off
			}
		} else if t.kind == 'w' && off <= t.end {
			c.prefixStart, c.replaceEnd = t.start, t.end
		}
	}
	c.prefix = string(text[c.prefixStart:off])

	// Backwards: the innermost container and what comes before the token.
	rev := newRevTokens(text, m, ws, c.prefixStart)
	if outer != nil {
		// the container's opening bracket, before the window
		kind := byte('{')
		if outer.Kind == syntax.SequenceNode {
			kind = '['
		}
		st := d.R(outer).Start
		rev.opener = &jtok{kind: kind, start: st, end: st + 1}
	}
	first, hasFirst := rev.next()
	if hasFirst {
		c.prevSig, c.prevSigEnd = first.kind, first.end
	}
	switch {
	case !hasFirst:
		return c // the very first token
	case first.kind == ':':
		// a value: the key is the string before the colon
		if k, ok := rev.next(); ok && k.kind == 's' {
			c.key = jsonString(text, k)
		}
	default:
		rev.toks = append(rev.toks, first) // the scan below needs it
	}
	kind, open, names := jsonEnclosing(d, rev, c)
	switch kind {
	case '{':
		c.inKey = c.key == ""
	case '[':
		c.item = true
		c.inKey = c.key == ""
	default:
		return c
	}
	c.path = names
	if kind == '[' {
		c.path = append(c.path, "-")
	}
	c.containerStart = open

	// Forwards: the rest of the container (keys and items after the cursor)
	// and the token that follows the one being typed.
	if kind == '{' {
		c.listed = nil
	}
	if !around {
		return c
	}
	fwd := newFwdTokens(text, m, c.replaceEnd, we)
	depth := 0
	var prev jtok
	for n := 0; n < maxScanTokens; n++ {
		t, ok := fwd.next()
		if !ok {
			break
		}
		if c.nextSig == 0 {
			c.nextSig = t.kind
		}
		atTop := depth == 0
		switch t.kind {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			atTop = depth == 0
		}
		if depth < 0 {
			break
		}
		if !atTop {
			continue
		}
		switch {
		case t.kind == ':' && prev.kind == 's' && kind == '{':
			c.addSibling(jsonString(text, prev), "")
		case t.kind == 's' && prev.kind == ':' && kind == '{' && len(c.siblingKeys) > 0:
			c.siblings[c.siblingKeys[len(c.siblingKeys)-1]] = jsonString(text, t)
		case t.kind == 's' && kind == '[':
			c.listed = append(c.listed, jsonString(text, t))
		}
		prev = t
	}
	if outer != nil && open == d.R(outer).Start {
		outerContext(d, c, outer, ws, we)
	}
	return c
}

// jsonWindowLine is the length from which a line (a minified document is
// one) is not tokenized whole around the cursor.
var jsonWindowLine = 4 << 10

// jsonWindow returns the part of the cursor's line [ls, le) that the cursor
// is read from: the whole line, or for a long one (a minified document)
// the members around the cursor in the innermost container the tree knows
// (a broken member is an error entry inside its container, or no node
// between two members: jsoncompactbroken.go): from the end of the member
// before the cursor (or before the one holding it) to the end of the one
// after it; outer is then that container, whose brackets and other members
// come from the tree. Reading the cursor costs what a member holds, not
// what the document does, and a quote left open elsewhere in the line does
// not turn the tokens around the cursor inside out.
func jsonWindow(d *analysis.Document, off, ls, le int) (ws, we int, outer *syntax.Node) {
	if le-ls <= jsonWindowLine || d.Root == nil {
		return ls, le, nil
	}
	var in *syntax.Node
	inside := func(n *syntax.Node) {
		if n.Kind != syntax.MappingNode && n.Kind != syntax.SequenceNode {
			return
		}
		if r := d.R(n); r.Start < off && off < r.End && r.Start >= ls && r.End <= le {
			in = n
		}
	}
	inside(d.Root)
	for _, m := range memberChain(d, off) {
		inside(m.value)
	}
	if in == nil {
		return ls, le, nil
	}
	r := d.R(in)
	step := 1
	if in.Kind == syntax.MappingNode {
		step = 2
	}
	n := len(in.Content) / step
	start := func(i int) int { return d.R(in.Content[step*i]).Start }
	end := func(i int) int { return d.R(in.Content[step*i+step-1]).End }
	// (A cursor at a member's start types before it: the member before
	// holds it, and a broken one, being typed, holds it up to the next.)
	i := sort.Search(n, func(i int) bool { return start(i) >= off }) - 1
	ws, we = r.Start, r.End
	switch {
	case i >= 0 && end(i) < off && !in.Content[step*i+step-1].Broken():
		ws = end(i)
	case i >= 1:
		ws = end(i - 1)
	}
	if i+1 < n {
		we = end(i + 1)
	}
	// A broken region between ws and the cursor (a member with no node)
	// ends where the next member starts.
	for _, br := range d.Tree.BrokenRegions() {
		if i >= 0 && start(i) <= br.Start && br.Start < end(i) {
			continue // inside the member before the cursor
		}
		if ws <= br.Start && br.End < off && br.End < r.End {
			ws = br.End
		}
	}
	return ws, we, in
}

// outerContext adds what a narrowed window (jsonWindow) leaves out of the
// container outer: its members (mapping) or string items (sequence)
// outside [ws, we), as the scans would have recorded them.
func outerContext(d *analysis.Document, c *cursor, outer *syntax.Node, ws, we int) {
	out := func(n *syntax.Node) bool { r := d.R(n); return r.End <= ws || r.Start >= we }
	if outer.Kind == syntax.MappingNode {
		for i := 0; i+1 < len(outer.Content); i += 2 {
			k, v := outer.Content[i], outer.Content[i+1]
			if !out(k) {
				continue
			}
			val := ""
			if v.Kind == syntax.ScalarNode && v.Style == syntax.DoubleQuotedStyle {
				val = v.Value
			}
			c.addSibling(k.Value, val)
		}
		return
	}
	for _, it := range outer.Content {
		if out(it) && it.Kind == syntax.ScalarNode && it.Style == syntax.DoubleQuotedStyle {
			c.listed = append(c.listed, it.Value)
		}
	}
}

// maxScanTokens bounds the forward scan of a container (a huge array after
// the cursor is not read to its end).
const maxScanTokens = 1 << 16

// jsonEnclosing walks back from the token before the cursor to the
// innermost unclosed bracket, recording the keys (with string values) or
// items before the cursor, and then on to the root for the path. It returns
// the kind and offset of the innermost bracket (0 at the top level) and the
// member path of that container.
func jsonEnclosing(d *analysis.Document, rev *revTokens, c *cursor) (byte, int, []string) {
	text := d.Text
	innerKind, innerOpen := byte(0), -1
	var names []string // innermost first
	reverse := func(p []string) []string {
		for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
			p[i], p[j] = p[j], p[i]
		}
		return p
	}
	var closers []jtok // the closing brackets met and not matched yet
	var a1, a2 jtok    // the two tokens after t at depth 0 of the innermost container
	for {
		t, ok := rev.next()
		if !ok {
			break
		}
		atTop := len(closers) == 0
		switch t.kind {
		case '}', ']':
			closers = append(closers, t)
		case '{', '[':
			if len(closers) > 0 {
				if abandoned(t, closers[len(closers)-1]) {
					continue // an opener being typed, never closed: skip it
				}
				closers = closers[:len(closers)-1]
				atTop = len(closers) == 0
				break
			}
			// an unclosed bracket: the next enclosing container
			if innerKind == 0 {
				innerKind, innerOpen = t.kind, t.start
			}
			if anc, ok := jsonTreePath(d, t.start, t.kind); ok {
				return innerKind, innerOpen, append(anc, reverse(names)...)
			}
			// its name in its parent: a key before a colon, or an item
			p, ok := rev.next()
			switch {
			case !ok:
				return innerKind, innerOpen, reverse(names) // the root
			case p.kind == ':':
				name := ""
				if k, ok := rev.next(); ok && k.kind == 's' {
					name = jsonString(text, k)
				}
				names = append(names, name)
			default:
				rev.toks = append(rev.toks, p)
				names = append(names, "-")
			}
			continue
		}
		if innerKind != 0 || !atTop {
			continue
		}
		if t.kind == 's' {
			if a1.kind == ':' {
				v := ""
				if a2.kind == 's' {
					v = jsonString(text, a2)
				}
				c.addSibling(jsonString(text, t), v)
			} else if a1.kind != ':' {
				c.listed = append(c.listed, jsonString(text, t))
			}
		}
		a1, a2 = t, a1
	}
	if innerKind == 0 {
		return 0, -1, nil
	}
	return innerKind, innerOpen, reverse(names)
}

// abandoned reports whether the opening bracket o cannot be the one the
// closing bracket c closes, so that o is one left unclosed while typing:
// the kinds differ, or c begins its line (a container laid out over
// lines) while o does not end its line at the same indentation.
func abandoned(o, c jtok) bool {
	if (o.kind == '{') != (c.kind == '}') {
		return true
	}
	return c.first && (!o.last || o.indent != c.indent)
}

// jsonTreePath returns the member path of the container that opens at off
// (with the bracket kind), from a parsed tree: the current one, or the last
// good one when the text up to that bracket is the same.
func jsonTreePath(d *analysis.Document, off int, kind byte) ([]string, bool) {
	want := syntax.MappingNode
	if kind == '[' {
		want = syntax.SequenceNode
	}
	if d.Root != nil {
		if p, ok := nodePathAt(d, off, want); ok {
			return p, true
		}
	}
	if g := d.LastGood(); g != nil && g.Root != nil && off < d.LastGoodSame() {
		return nodePathAt(g, off, want)
	}
	return nil, false
}

// nodePathAt finds the container of the given kind that starts at off in
// d's tree and returns its path (keys, "-" for items) from the root.
func nodePathAt(d *analysis.Document, off int, kind syntax.Kind) ([]string, bool) {
	if d.Root != nil && d.R(d.Root).Start == off && d.Root.Kind == kind {
		return nil, true
	}
	chain := memberChain(d, off)
	for i, m := range chain {
		if d.R(m.value).Start == off && m.value.Kind == kind {
			return chainNames(chain[:i+1]), true
		}
	}
	return nil, false
}
