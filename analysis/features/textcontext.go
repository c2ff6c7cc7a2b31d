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
	if !c.item {
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

// scalarText is the plain value of "key: value # comment", unquoted.
func scalarText(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return s
}
