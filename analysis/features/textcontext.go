package features

import (
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
)

// textContext is what completion reads from the text around the cursor
// beyond the key path: the keys already present in the mapping being typed
// into (so that no proposal duplicates one), and for JSON the punctuation
// around the token (so that inserts get their commas).
type textContext struct {
	json bool
	// siblings: the keys of the mapping the cursor is in (its other
	// members), with their scalar values ("" for anything else).
	siblings    map[string]string
	siblingKeys []string
	// JSON: the token before the typed one and where it ends, the token
	// after it, and where the innermost container opens.
	prevSig        byte
	prevSigEnd     int
	nextSig        byte
	containerStart int
}

func (t *textContext) addSibling(key, value string) {
	if t.siblings == nil {
		t.siblings = map[string]string{}
	}
	if _, ok := t.siblings[key]; !ok {
		t.siblingKeys = append(t.siblingKeys, key)
	}
	t.siblings[key] = value
}

func (t *textContext) hasSibling(key string) bool {
	_, ok := t.siblings[key]
	return ok
}

// maxSiblingLines bounds how far the YAML sibling scan reads each way.
const maxSiblingLines = 4000

// yamlSiblings fills c.siblings with the keys of the block mapping the
// cursor's line belongs to (at the cursor's content column): the lines
// above it up to the parent line, and the lines below it up to the first
// less-indented line. A new item's mapping ("- |") starts on the cursor's
// line, so only the lines below count.
func yamlSiblings(d *analysis.Document, c *cursor) {
	m, text := d.Mapper, d.Text
	line := m.Line(c.off)
	col := c.indent
	add := func(l int, e element) {
		rest := string(text[m.LineStart(l)+e.col : m.LineEnd(l)])
		v := ""
		if i := strings.Index(rest, ":"); i >= 0 {
			v = scalarText(rest[i+1:])
		}
		c.addSibling(e.name, v)
	}
	if c.item {
		yamlItems(d, c)
	} else {
		for l, n := line-1, 0; l >= 0 && n < maxSiblingLines; l, n = l-1, n+1 {
			elems := lineElements(string(text[m.LineStart(l):m.LineEnd(l)]))
			if len(elems) == 0 {
				continue
			}
			last := elems[len(elems)-1]
			if last.col == col && last.name != "-" {
				add(l, last)
			}
			if elems[0].col < col {
				break
			}
		}
	}
	for l, n := line+1, 0; l < m.LineCount() && n < maxSiblingLines; l, n = l+1, n+1 {
		elems := lineElements(string(text[m.LineStart(l):m.LineEnd(l)]))
		if len(elems) == 0 {
			continue
		}
		if elems[0].col < col {
			break
		}
		if elems[0].col == col && elems[0].name != "-" {
			add(l, elems[0])
		}
	}
}

// scalarText is the scalar value of "key: value # comment", unquoted;
// "" for anything else.
func scalarText(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if s != "" && strings.IndexByte("{[|>&*!", s[0]) >= 0 {
		return "" // a collection, a block scalar, an anchor, alias or tag
	}
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return s
}

// yamlDeclaredScopes reads the scopes the flows of the scheme around the
// cursor declare (`availableScopes` maps) from the text, for the cursor in
// that scheme's `scopes` list; nil when the text has none.
func yamlDeclaredScopes(d *analysis.Document, c *cursor) []analysis.ScopeDecl {
	m, text := d.Mapper, d.Text
	lineText := func(l int) string { return string(text[m.LineStart(l):m.LineEnd(l)]) }
	// the line of the `scopes` key and its column
	at, col := m.Line(c.off), c.indent
	if c.item {
		if c.parentLine < 0 {
			return nil
		}
		at = c.parentLine
		elems := lineElements(lineText(at))
		if len(elems) == 0 || elems[len(elems)-1].name != "scopes" {
			return nil
		}
		col = elems[len(elems)-1].col
	}
	// the scheme's block: the lines around at column col and deeper
	first, last := at, at
	for l := at - 1; l >= 0 && at-l < maxSiblingLines; l-- {
		elems := lineElements(lineText(l))
		if len(elems) == 0 {
			continue
		}
		if elems[len(elems)-1].col < col {
			// a "- type: ..." line opens the item at our column
			if elems[len(elems)-1].col == col {
				first = l
			}
			break
		}
		if elems[0].col < col {
			first = l
			break
		}
		first = l
	}
	for l := at + 1; l < m.LineCount() && l-at < maxSiblingLines; l++ {
		elems := lineElements(lineText(l))
		if len(elems) == 0 {
			continue
		}
		if elems[0].col < col {
			break
		}
		last = l
	}
	var out []analysis.ScopeDecl
	found := false
	for l := first; l <= last; l++ {
		elems := lineElements(lineText(l))
		if len(elems) == 0 || elems[len(elems)-1].name != "availableScopes" {
			continue
		}
		found = true
		scol := elems[len(elems)-1].col
		inner := -1
		for k := l + 1; k <= last; k++ {
			ke := lineElements(lineText(k))
			if len(ke) == 0 {
				continue
			}
			if ke[0].col <= scol {
				break
			}
			if inner < 0 {
				inner = ke[0].col
			}
			if ke[0].col == inner && ke[0].name != "-" {
				rest := lineText(k)[ke[0].col:]
				desc := ""
				if i := strings.Index(rest, ": "); i >= 0 {
					desc = scalarText(rest[i+1:])
				}
				out = append(out, analysis.ScopeDecl{Name: ke[0].name, Description: desc})
			}
		}
	}
	if !found {
		return nil
	}
	return out
}

// yamlItems adds to c.listed the other items of the block sequence the
// cursor's "- " line belongs to (their scalar text, or the pointer of a
// `$ref: ...` item).
func yamlItems(d *analysis.Document, c *cursor) {
	m, text := d.Mapper, d.Text
	line := m.Line(c.off)
	dash := lineIndent(string(text[m.LineStart(line):m.LineEnd(line)]))
	add := func(l int) bool {
		lt := string(text[m.LineStart(l):m.LineEnd(l)])
		elems := lineElements(lt)
		if len(elems) == 0 {
			return true
		}
		if elems[0].col < dash || elems[0].col == dash && elems[0].name != "-" {
			return false
		}
		if elems[0].col == dash {
			v := strings.TrimSpace(lt[dash+1:])
			if rest, ok := strings.CutPrefix(v, "$ref:"); ok {
				v = rest
			}
			if v = scalarText(v); v != "" {
				c.listed = append(c.listed, v)
			}
		}
		return true
	}
	for l, n := line-1, 0; l >= 0 && n < maxSiblingLines && add(l); l, n = l-1, n+1 {
	}
	for l, n := line+1, 0; l < m.LineCount() && n < maxSiblingLines && add(l); l, n = l+1, n+1 {
	}
}
