package syntax_test

import (
	"testing"
	"unicode/utf8"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// TestUpdateTreeInvalidUTF8: an edit that leaves invalid UTF-8 (a byte of
// a character deleted, a character cut by a replacement) is never kept
// as a region update: the whole parse reports the byte and gives no
// document. A kept broken JSON region's scan used to miss the byte and
// keep the tree. Every other one-byte deletion or cut equals a cold parse.
func TestUpdateTreeInvalidUTF8(t *testing.T) {
	docs := []string{
		// minified JSON: broken regions holding the character, valid
		`{"a":{"x":["é","y":1},"b":{"c":2},"d":"ü"}`,
		`{"a":{"x":"é,"y":1},"b":{"c":2},"d":"ü"}`,
		`{"a":{"x":{"é","y":1},"b":{"c":2},"d":"ü"}`,
		`{"a":{"x":"é" "y":1},"b":{"c":2},"d":"ü"}`,
		`{"a":{"x":"é","y":[1},"b":{"c":"😀"},"d":"ü"}`,
		`{"a":{"x":"é","y":1},"b":{"c":2},"d":"ü"}`,
		// JSON over lines, valid and broken
		"{\n  \"a\": {\n    \"x\": \"é\"\n  },\n  \"b\": \"€\"\n}\n",
		"{\n  \"a\": {\n    \"x\": \"é\n  },\n  \"b\": \"€\"\n}\n",
		// YAML, valid and broken
		"a:\n  x: é\nb: 😀\n",
		"a:\n  x: 'é\nb: 😀\n",
	}
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	kept := 0
	for _, doc := range docs {
		text := []byte(doc)
		for i := 0; i < len(text); i++ {
			if text[i] < utf8.RuneSelf {
				continue
			}
			// a byte of the character deleted, the byte replaced by an
			// ASCII letter, and (at its first byte) the whole character
			// deleted: valid, kept or not as any edit
			edits := []syntax.Edit{{Start: i, End: i + 1}, {Start: i, End: i + 1, Text: "z"}}
			if utf8.RuneStart(text[i]) {
				_, n := utf8.DecodeRune(text[i:])
				edits = append(edits, syntax.Edit{Start: i, End: i + n})
			}
			for _, e := range edits {
				next := e.Apply(text)
				u, why := syntax.UpdateTree(text, syntax.ParseTree(text), nil, e, next)
				if utf8.Valid(next) {
					if u != nil {
						kept++
						if s := edittest.DiffTrees(syntax.ParseTree(next), abs, u.Tree, u.Shifts.R); s != "" {
							t.Errorf("%q, %+v: differs from a cold parse: %s", doc, e, s)
						}
					}
					continue
				}
				if u != nil {
					t.Errorf("%q, %+v: invalid UTF-8 kept as a region update", doc, e)
					continue
				}
				if !edittest.AllowedFallback(why) {
					t.Errorf("%q, %+v: fallback reason not allowed: %q", doc, e, why)
				}
			}
		}
	}
	if kept == 0 {
		t.Error("no character deleted whole was kept as a region update: the test compares nothing")
	}
	t.Logf("%d edits that leave valid UTF-8 kept as region updates", kept)
}
