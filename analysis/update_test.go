package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestUpdateEntry: what Update does before any region re-parse. Every
// case's result equals a cold analysis of the new text; the path says
// whether Update could use prev.
func TestUpdateEntry(t *testing.T) {
	prev := Analyze([]byte(incV3))
	at := strings.Index(incV3, "Sends an order")
	typed := syntax.Edit{Start: at, End: at, Text: "x"}
	cases := []struct {
		name   string
		prev   *Document
		edits  []syntax.Edit
		text   []byte
		path   updatePath
		reason string // why it analyzed the text afresh ("" for none)
		same   bool   // the result is prev itself
	}{
		{"no previous version", nil, []syntax.Edit{typed}, typed.Apply(prev.Text), pathAnalyze, "", false},
		{"a previous version with no tree", &Document{}, []syntax.Edit{{Text: "x"}}, []byte("x"), pathAnalyze, "", false},
		{"a keystroke", prev, []syntax.Edit{typed}, typed.Apply(prev.Text), pathRegion, "", false},
		{"no edits, same text", prev, nil, prev.Text, pathAnalyze, "", true},
		{"no edits, other text", prev, nil, typed.Apply(prev.Text), pathAnalyze, "edits do not match the texts", false},
		{"edits that do not make the text", prev, []syntax.Edit{typed}, typed.Apply(typed.Apply(prev.Text)), pathAnalyze, "edits do not match the texts", false},
		{"edits, but the same text", prev, []syntax.Edit{typed}, prev.Text, pathAnalyze, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Update(c.prev, c.edits, c.text)
			if s := diffDocs(Analyze(c.text), got); s != "" {
				t.Fatalf("Update differs from Analyze: %s", s)
			}
			if (got == c.prev) != c.same {
				t.Fatalf("the result is prev itself: %v, want %v", got == c.prev, c.same)
			}
			if got.inc.path != c.path || got.inc.reason != c.reason {
				t.Fatalf("path %d (%q), want %d (%q)", got.inc.path, got.inc.reason, c.path, c.reason)
			}
		})
	}
}
