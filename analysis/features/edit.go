package features

import (
	"sort"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Text edits that keep a document's style: new pairs go at the column of
// their siblings, block or flow as the mapping is written, JSON stays
// JSON; removals take whole lines in block style and the separating comma
// in flow style.

// yval is a value to write into a document.
type yval interface{ isYval() }

// ystr is a string scalar, quoted as the document needs.
type ystr string

// ylit is text written as is (such as "[]").
type ylit string

// ykv is one pair of a ymap.
type ykv struct {
	key string
	val yval
}

// ymap is a mapping, in order.
type ymap []ykv

// ylist is a sequence.
type ylist []yval

// yraw is a piece of the document copied elsewhere: block text is
// re-indented by the difference of columns.
type yraw struct {
	text   string
	keyCol int  // column of the key the text was the value of
	inline bool // the value started on the key's line
}

func (ystr) isYval()  {}
func (ylit) isYval()  {}
func (ymap) isYval()  {}
func (ylist) isYval() {}
func (yraw) isYval()  {}

// editor writes values in a document's style.
type editor struct {
	d    *analysis.Document
	json bool
	unit int    // indentation step of block mappings
	nl   string // line break
	q    byte   // quote for $ref strings: ' or "
}

func newEditor(d *analysis.Document) *editor {
	e := &editor{d: d, json: isJSON(d), unit: indentUnit(d), nl: "\n", q: '\''}
	if strings.Contains(string(d.Text), "\r\n") {
		e.nl = "\r\n"
	}
	single, double := 0, 0
	for _, r := range d.Refs {
		switch r.Value.Style {
		case syntax.SingleQuotedStyle:
			single++
		case syntax.DoubleQuotedStyle:
			double++
		}
	}
	if e.json || double > single {
		e.q = '"'
	}
	return e
}

// indentUnit is the step between a root key and the keys of its block
// mapping value (2 when the document has none).
func indentUnit(d *analysis.Document) int {
	if d.Root == nil || d.Root.Kind != syntax.MappingNode {
		return 2
	}
	for i := 1; i < len(d.Root.Content); i += 2 {
		v := d.Root.Content[i]
		if v.Kind == syntax.MappingNode && v.Style != syntax.FlowStyle && len(v.Content) > 0 {
			if c := column(d, d.R(v.Content[0]).Start) - column(d, d.R(d.Root.Content[i-1]).Start); c > 0 {
				return c
			}
		}
	}
	return 2
}

func column(d *analysis.Document, off int) int {
	return off - lineStartOf(d.Text, off)
}

func lineStartOf(text []byte, off int) int {
	for off > 0 && text[off-1] != '\n' && text[off-1] != '\r' {
		off--
	}
	return off
}

func lineEndOf(text []byte, off int) int {
	for off < len(text) && text[off] != '\n' && text[off] != '\r' {
		off++
	}
	return off
}

// afterLineBreak returns the offset after the line break at off (a line
// end), or off at the end of the text.
func afterLineBreak(text []byte, off int) int {
	if off < len(text) && text[off] == '\r' {
		off++
	}
	if off < len(text) && text[off] == '\n' {
		off++
	}
	return off
}

// key writes a mapping key.
func (e *editor) key(s string, flow bool) string {
	if e.json {
		return jsonQuote(s)
	}
	return e.scalar(s, flow)
}

// scalar writes a string value: plain when it reads back the same, else
// single-quoted (double in JSON).
func (e *editor) scalar(s string, flow bool) string {
	switch {
	case e.json:
		return jsonQuote(s)
	case plainSafe(s) && !(flow && strings.ContainsAny(s, ":"+flowIndicators)):
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// ref writes a $ref value with the document's quote.
func (e *editor) ref(ptr string) string {
	if e.q == '"' {
		return jsonQuote(ptr)
	}
	return "'" + strings.ReplaceAll(ptr, "'", "''") + "'"
}

// refPair writes {$ref: ptr} as the pair of a block mapping item or, in
// flow, as a whole mapping.
func (e *editor) refPair(ptr string, flow bool) string {
	k := "$ref"
	if e.json {
		k = `"$ref"`
	}
	if flow || e.json {
		return "{" + k + ": " + e.ref(ptr) + "}"
	}
	return k + ": " + e.ref(ptr)
}

// flow writes v in flow style on one line.
func (e *editor) flow(v yval) string {
	switch v := v.(type) {
	case ystr:
		return e.scalar(string(v), true)
	case ylit:
		return string(v)
	case yraw:
		return strings.TrimSpace(v.text)
	case ylist:
		parts := make([]string, len(v))
		for i, it := range v {
			parts[i] = e.flow(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case ymap:
		parts := make([]string, len(v))
		for i, kv := range v {
			parts[i] = e.key(kv.key, true) + ": " + e.flow(kv.val)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}

// block writes v as the value of a key at column col, starting right
// after the key's colon.
func (e *editor) block(v yval, col int) string {
	switch v := v.(type) {
	case ymap:
		if len(v) == 0 {
			return " {}"
		}
		var b strings.Builder
		for _, kv := range v {
			b.WriteString(e.nl + strings.Repeat(" ", col+e.unit) + e.key(kv.key, false) + ":" + e.block(kv.val, col+e.unit))
		}
		return b.String()
	case yraw:
		lines := strings.Split(strings.ReplaceAll(v.text, "\r\n", "\n"), "\n")
		shift := col - v.keyCol
		first := 0
		if v.inline {
			first = 1 // the first line follows the key
		}
		for i := first; i < len(lines); i++ {
			lines[i] = reindent(lines[i], shift)
		}
		if v.inline {
			return " " + strings.Join(lines, e.nl)
		}
		return e.nl + strings.Join(lines, e.nl)
	case ylist:
		return " " + e.flow(v)
	case ystr:
		return " " + e.scalar(string(v), false)
	case ylit:
		return " " + string(v)
	}
	return ""
}

func reindent(line string, shift int) string {
	if shift >= 0 {
		if strings.TrimSpace(line) == "" {
			return line
		}
		return strings.Repeat(" ", shift) + line
	}
	n := min(-shift, lineIndent(line))
	return line[n:]
}

// insertPair adds key: v at the end of mapping m.
func (e *editor) insertPair(m *syntax.Node, key string, v yval) (TextEdit, bool) {
	d := e.d
	m = m.Resolve()
	if m == nil || m.Kind != syntax.MappingNode {
		return TextEdit{}, false
	}
	if m.Style == syntax.FlowStyle || e.json {
		r := d.R(m)
		if r.End < 1 || r.End > len(d.Text) || d.Text[r.End-1] != '}' {
			return TextEdit{}, false
		}
		pair := e.key(key, true) + ": " + e.flow(v)
		if len(m.Content) == 0 {
			return TextEdit{Range: syntax.Range{Start: r.End - 1, End: r.End - 1}, NewText: pair}, true
		}
		last := pairEnd(d, m, len(m.Content)-2)
		lastKey := d.R(m.Content[len(m.Content)-2]).Start
		if d.Mapper.Line(lastKey) != d.Mapper.Line(r.Start) {
			// one pair per line (pretty-printed JSON): keep it so
			ls := lineStartOf(d.Text, lastKey)
			return TextEdit{Range: syntax.Range{Start: last, End: last}, NewText: "," + e.nl + string(d.Text[ls:lastKey]) + pair}, true
		}
		return TextEdit{Range: syntax.Range{Start: last, End: last}, NewText: ", " + pair}, true
	}
	if len(m.Content) == 0 {
		return TextEdit{}, false
	}
	col := column(d, d.R(m.Content[0]).Start)
	at := lineEndOf(d.Text, pairEnd(d, m, len(m.Content)-2))
	return TextEdit{Range: syntax.Range{Start: at, End: at}, NewText: e.nl + strings.Repeat(" ", col) + e.key(key, false) + ":" + e.block(v, col)}, true
}

// pairEnd is where the pair at index i of m ends in the text.
func pairEnd(d *analysis.Document, m *syntax.Node, i int) int {
	return max(d.R(m.Content[i]).End, d.R(m.Content[i+1]).End)
}

// removePair deletes the pair at index i (of the key) of mapping m.
func (e *editor) removePair(m *syntax.Node, i int) TextEdit {
	d := e.d
	k := m.Content[i]
	end := pairEnd(d, m, i)
	if m.Style == syntax.FlowStyle || e.json {
		switch {
		case i > 0:
			return TextEdit{Range: syntax.Range{Start: pairEnd(d, m, i-2), End: end}}
		case len(m.Content) > 2:
			return TextEdit{Range: syntax.Range{Start: d.R(k).Start, End: d.R(m.Content[2]).Start}}
		}
		return TextEdit{Range: syntax.Range{Start: d.R(k).Start, End: end}}
	}
	start := d.R(k).Start
	ls := lineStartOf(d.Text, start)
	if strings.TrimSpace(string(d.Text[ls:start])) == "" {
		return TextEdit{Range: syntax.Range{Start: ls, End: afterLineBreak(d.Text, lineEndOf(d.Text, end))}}
	}
	if i+2 < len(m.Content) {
		return TextEdit{Range: syntax.Range{Start: start, End: d.R(m.Content[i+2]).Start}}
	}
	return TextEdit{Range: syntax.Range{Start: start, End: end}}
}

// removeItem deletes item i of sequence l (which has more than one).
func (e *editor) removeItem(l *syntax.Node, i int) TextEdit {
	d := e.d
	it := l.Content[i]
	r := d.R(it)
	if l.Style == syntax.FlowStyle || e.json {
		if i > 0 {
			return TextEdit{Range: syntax.Range{Start: d.R(l.Content[i-1]).End, End: r.End}}
		}
		return TextEdit{Range: syntax.Range{Start: r.Start, End: d.R(l.Content[1]).Start}}
	}
	// "- item" lines: from the dash's line start to after the item's last line.
	ls := lineStartOf(d.Text, r.Start)
	return TextEdit{Range: syntax.Range{Start: ls, End: afterLineBreak(d.Text, lineEndOf(d.Text, r.End))}}
}

// pairIndex returns the index of key k in mapping m, or -1.
func pairIndex(m *syntax.Node, k *syntax.Node) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i] == k {
			return i
		}
	}
	return -1
}

// sortEdits orders edits by position.
func sortEdits(edits []TextEdit) []TextEdit {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Range.Start < edits[j].Range.Start })
	return edits
}

// ApplyEdits applies non-overlapping edits to text.
func ApplyEdits(text []byte, edits []TextEdit) []byte {
	sorted := sortEdits(append([]TextEdit(nil), edits...))
	var b []byte
	at := 0
	for _, e := range sorted {
		b = append(b, text[at:e.Range.Start]...)
		b = append(b, e.NewText...)
		at = e.Range.End
	}
	return append(b, text[at:]...)
}

// valueOf converts a node to a value to write elsewhere, for flow
// targets; false for what it cannot carry (aliases, non-string scalars
// it would have to re-type are kept as written).
func valueOf(n *syntax.Node) (yval, bool) {
	n = n.Resolve()
	if n == nil {
		return nil, false
	}
	switch n.Kind {
	case syntax.MappingNode:
		m := ymap{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, ok := valueOf(n.Content[i+1])
			if !ok || n.Content[i].Kind != syntax.ScalarNode {
				return nil, false
			}
			m = append(m, ykv{n.Content[i].Value, v})
		}
		return m, true
	case syntax.SequenceNode:
		l := ylist{}
		for _, it := range n.Content {
			v, ok := valueOf(it)
			if !ok {
				return nil, false
			}
			l = append(l, v)
		}
		return l, true
	case syntax.ScalarNode:
		if n.Tag() == "!!str" {
			return ystr(n.Value), true
		}
		return ylit(n.Value), true
	}
	return nil, false
}
