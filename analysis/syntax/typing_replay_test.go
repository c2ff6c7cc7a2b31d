package syntax_test

import (
	"os"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// TestUpdateTreeTypingJSONReplay types a member into a pretty-printed JSON
// document one keystroke at a time as testdata/typing/json-member.txt does
// without auto-pairs (every bracket and quote stays open until it is
// typed; a completion then replaces the half-typed string), through
// UpdateTree, and checks every tree against a cold parse of the same text,
// diagnostics included, and that there is at most one diagnostic, in the
// typed text (from the ',' on). After the completion `{"$ref": "…oauth"`
// has no '}' yet: the error is on that '{', not on the '[' whose ']'
// follows (the diagnostic used to be on the '[', lines above, in both the
// incremental and the cold parse, which is why comparing them could not
// catch it). After a BOM, the same keystrokes take the same paths.
func TestUpdateTreeTypingJSONReplay(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/typing/json-member.txt")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.SplitN(strings.SplitN(string(raw), "-- doc.json --\n", 2)[1], "-- script --", 2)[0]
	declined := map[string]int{}
	for _, frame := range []struct{ name, prefix string }{{"plain", ""}, {"after a BOM", "\ufeff"}} {
		t.Run(frame.name, func(t *testing.T) {
			doc := frame.prefix + doc
			at := strings.Index(doc, "<|>")
			text := []byte(doc[:at] + doc[at+3:])
			from := at
			tree, shifts := syntax.ParseTree(text), (*syntax.ShiftLog)(nil)
			typed := ",\n        {\"$ref\": \"#/components/securitySchemes/oa"
			var edits []syntax.Edit
			for i := 0; i < len(typed); i++ {
				edits = append(edits, syntax.Edit{Start: at + i, End: at + i, Text: typed[i : i+1]})
			}
			q := at + strings.Index(typed, "\"#")
			// accepting a completion replaces the half-typed string with the whole one
			edits = append(edits, syntax.Edit{Start: q, End: at + len(typed), Text: "\"#/components/securitySchemes/oauth\""})
			edits = append(edits, syntax.Edit{Start: q + len("\"#/components/securitySchemes/oauth\""), End: q + len("\"#/components/securitySchemes/oauth\""), Text: "}"})
			for i, e := range edits {
				next := e.Apply(text)
				want := syntax.ParseTree(next)
				u, reason := syntax.UpdateTree(text, tree, shifts, e, next)
				if u == nil {
					t.Logf("declined: %s", reason)
					declined[frame.name]++
					tree, shifts = want, nil
				} else {
					if s := edittest.DiffTrees(want, func(n *syntax.Node) syntax.Range { return n.Range() }, u.Tree, u.Shifts.R); s != "" {
						t.Fatalf("after edit %d %+v: %s\n%s", i, e, s, next)
					}
					tree, shifts = u.Tree, u.Shifts
				}
				if len(want.Diagnostics) > 1 {
					t.Fatalf("after edit %d %+v: %d diagnostics: %v", i, e, len(want.Diagnostics), want.Diagnostics)
				}
				for _, d := range want.Diagnostics {
					if d.Range.Start < from {
						t.Fatalf("after edit %d %+v: a diagnostic before the typed text: %v\n%s", i, e, d, next)
					}
					if i == len(edits)-2 && (d.Range.Start >= len(next) || next[d.Range.Start] != '{') {
						t.Fatalf("after the completion: want the error on the unclosed '{', got %v", d)
					}
				}
				text = next
			}
		})
	}
	if declined["after a BOM"] != declined["plain"] {
		t.Errorf("after a BOM, %d keystrokes declined, without it %d", declined["after a BOM"], declined["plain"])
	}
}
