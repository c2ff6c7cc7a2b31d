package features

import (
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// cursor describes where an offset sits in a (possibly half-typed) YAML
// text. It is computed from indentation rather than from the tree, because
// the line being typed is exactly the one a parser cannot read yet.
type cursor struct {
	off   int
	path  []string // keys from the root to the enclosing mapping; "-" for a sequence item
	key   string   // the key whose value the cursor is in ("" when typing a key)
	inKey bool     // typing a key (or a bare sequence item) rather than a value
	item  bool     // the current line is a sequence item ("- ...")
	flow  bool     // inside a flow sequence [...] on this line
	// flowMap: typing a key or value inside a flow mapping {...} on this
	// line (inserts stay on the line, in flow style).
	flowMap bool
	// prefix is the token typed before the cursor, replaced by completion
	// edits: [prefixStart, replaceEnd) (replaceEnd also swallows an
	// auto-inserted closing quote).
	prefix      string
	prefixStart int
	replaceEnd  int
	quote       byte // ' or " when the token is quoted
	listed      []string
	lineStart   int
	indent      int // indentation of the current line's content
	parentLine  int // line of the innermost enclosing key or item; -1 at the root
	textContext     // what the text around the cursor says (textcontext.go)
}

// element is a "- " or a "key:" on a line, at a column.
type element struct {
	col  int
	name string // the key, or "-" for a sequence item
}

// lineElements lists the block elements a line opens, left to right:
// "  - $ref: x" gives [{2 -} {4 $ref}]. Comments and blank lines give none.
func lineElements(line string) []element {
	var out []element
	i := lineIndent(line)
	for i < len(line) {
		rest := line[i:]
		switch {
		case rest[0] == '#':
			return out
		case rest == "-" || strings.HasPrefix(rest, "- "):
			out = append(out, element{i, "-"})
			i++
			for i < len(line) && line[i] == ' ' {
				i++
			}
		default:
			if k, ok := syntax.SplitKey(rest); ok {
				out = append(out, element{i, k})
			}
			return out
		}
	}
	return out
}

// indentBytes counts the spaces at text[start:], up to limit.
func indentBytes(text []byte, start, limit int) int {
	n := 0
	for n < limit && start+n < len(text) && text[start+n] == ' ' {
		n++
	}
	return n
}

func lineIndent(s string) int {
	n := 0
	for n < len(s) && s[n] == ' ' {
		n++
	}
	return n
}

func cursorAt(d *analysis.Document, off int) *cursor {
	text := d.Text
	if off > len(text) {
		off = len(text)
	}
	m := d.Mapper
	line := m.Line(off)
	ls := m.LineStart(line)
	cur := string(text[ls:off])
	c := &cursor{off: off, lineStart: ls, prefixStart: off, replaceEnd: off}

	// The current line: "- ", "key: value", "key: [a, b", or a bare token.
	indent := lineIndent(cur)
	rest := cur[indent:]
	contentIndent := indent
	for strings.HasPrefix(rest, "- ") || rest == "-" {
		c.item = true
		rest = strings.TrimLeft(rest[1:], " ")
		contentIndent = len(cur) - len(rest)
	}
	c.indent = contentIndent
	valueStart := len(cur) - len(rest) // offset in cur where the token or key starts
	// A colon right before the cursor may still be part of the token
	// ("orders:" on the way to "orders:read"); a key needs a blank after it.
	colon := keyColon(rest)
	flowValue := rest != "" && (rest[0] == '[' || rest[0] == '{') // "- {$ref: ..." has no block key
	if k, ok := syntax.SplitKey(rest); ok && !flowValue && colon >= 0 && colon < len(rest)-1 {
		c.key = k
		after := rest[colon+1:]
		trimmed := strings.TrimLeft(after, " \t")
		valueStart = len(cur) - len(trimmed)
		rest = trimmed
	} else {
		c.inKey = true
	}
	// Flow collections opened on this line ("scopes: ['a', ",
	// "security: [{$ref: '#/comp"): the token starts after the last
	// bracket, comma or key colon of the innermost one still open.
	var flowPath []string
	inItemValue := false // the cursor is inside a flow mapping the line's item holds
	if rest != "" && (rest[0] == '[' || rest[0] == '{') {
		if fc, ok := scanFlow(rest); ok {
			inItemValue = len(fc.frames) > 1 || fc.frames[0].open == '{'
			flowPath = c.enterFlow(fc)
			valueStart = len(cur) - len(rest) + fc.tokStart
			rest = rest[fc.tokStart:]
		}
	}
	if rest != "" && (rest[0] == '\'' || rest[0] == '"') {
		c.quote = rest[0]
	}
	c.prefix = rest
	c.prefixStart = ls + valueStart
	// Swallow the rest of a token the editor already closed: a closing
	// quote, or the tail of a word the cursor is in the middle of.
	end := off
	for end < len(text) && !syntax.IsBreak(text[end]) && text[end] != ' ' && text[end] != ',' && text[end] != ']' && text[end] != '}' {
		end++
	}
	c.replaceEnd = end

	// Parents, by indentation: walk up to the nearest line with an element
	// (a "- " or a "key:") at a smaller column than ours, or a key at the
	// same column when we are a sequence item (compact sequences). All the
	// elements of that line up to the enclosing one are our ancestors.
	col, isItem := indent, c.item
	c.parentLine = -1
	for l := line - 1; l >= 0 && (col > 0 || isItem); l-- {
		// Most lines are deeper than the parent being looked for: skip
		// them by their indentation alone.
		ls := m.LineStart(l)
		if n := indentBytes(text, ls, col+1); n > col || n == col && !isItem {
			continue
		}
		elems := lineElements(string(text[ls:m.LineEnd(l)]))
		deepest := -1
		for i, e := range elems {
			if e.col < col || (e.col == col && isItem && e.name != "-") {
				deepest = i
			}
		}
		if deepest < 0 {
			continue
		}
		if c.parentLine < 0 {
			c.parentLine = l
		}
		// The parsed tree knows the rest of the ancestry: take it from there
		// when it agrees with this line (walking up the text would visit
		// every line of a long section).
		if anc, ok := treePath(d, m.LineStart(l)+elems[deepest].col, elems[:deepest+1]); ok {
			c.path = append(anc, c.path...)
			break
		}
		// A broken text may have no tree there; the last good one has it
		// when the text before that line did not change since.
		if g := d.LastGood(); g != nil && m.LineStart(l)+elems[deepest].col < d.LastGoodSame() {
			if anc, ok := treePath(g, m.LineStart(l)+elems[deepest].col, elems[:deepest+1]); ok {
				c.path = append(anc, c.path...)
				break
			}
		}
		names := make([]string, 0, deepest+1)
		for _, e := range elems[:deepest+1] {
			names = append(names, e.name)
		}
		c.path = append(names, c.path...)
		col, isItem = elems[0].col, elems[0].name == "-"
	}
	if c.item {
		c.path = append(c.path, "-")
	}
	if inItemValue || len(flowPath) > 0 {
		// the line's item, if any, holds the flow collection: inside it the
		// cursor types no block item
		c.path = append(c.path, flowPath...)
		c.item = false
	}
	return c
}

// keyColon is the index of the colon that ends the key at the start of s
// (a colon followed by a blank or the end), or -1.
func keyColon(s string) int {
	start := 0
	if s != "" && (s[0] == '\'' || s[0] == '"') {
		if end := strings.IndexByte(s[1:], s[0]); end >= 0 {
			start = end + 2
		}
	}
	for i := start; i < len(s); i++ {
		if s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
			return i
		}
	}
	return -1
}

// pathEnds reports whether path ends with the given suffix ("*" matches any
// one element).
func pathEnds(path []string, suffix ...string) bool {
	if len(path) < len(suffix) {
		return false
	}
	base := len(path) - len(suffix)
	for i, s := range suffix {
		if s != "*" && path[base+i] != s {
			return false
		}
	}
	return true
}

// treePath returns the keys ("-" for items) from the root to the element
// that starts at off, when the tree has a key or item there whose own
// elements on that line are elems. ok is false when the tree disagrees
// (the text around it is being edited) and the caller must read the text.
func treePath(d *analysis.Document, off int, elems []element) ([]string, bool) {
	chain := memberChain(d, off)
	if len(chain) == 0 || chain[len(chain)-1].key == nil || d.R(chain[len(chain)-1].key).Start != off {
		return nil, false
	}
	path := chainNames(chain)
	return path, endsWith(path, elems)
}

func endsWith(path []string, elems []element) bool {
	if len(path) < len(elems) {
		return false
	}
	base := len(path) - len(elems)
	for i, e := range elems {
		if path[base+i] != e.name {
			return false
		}
	}
	return true
}
