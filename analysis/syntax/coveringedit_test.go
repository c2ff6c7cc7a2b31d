package syntax_test

import (
	"fmt"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestCoveringEdit pins how a batch of edits (each against the result of
// the previous one) is merged into one edit of the old text: from the
// first byte any of them changes to the last, checked against the new
// text; a batch that is malformed or does not yield the text has none.
func TestCoveringEdit(t *testing.T) {
	type E = syntax.Edit
	for _, c := range []struct {
		name      string
		old, text string
		edits     []E
		want      string // the covering edit as "[start,end) text", or "none"
	}{
		{"no edits", "abc", "abc", nil, "none"},
		{"an insertion", "abc", "aXbc", []E{{1, 1, "X"}}, `[1,1) "X"`},
		{"an insertion at the start", "abc", "Xabc", []E{{0, 0, "X"}}, `[0,0) "X"`},
		{"an insertion at the end", "abc", "abcX", []E{{3, 3, "X"}}, `[3,3) "X"`},
		{"a deletion at the end", "abc", "ab", []E{{2, 3, ""}}, `[2,3) ""`},
		{"the whole text replaced", "abc", "xyz", []E{{0, 3, "xyz"}}, `[0,3) "xyz"`},
		{"left to right", "abcdef", "aXcdYf", []E{{1, 2, "X"}, {4, 5, "Y"}}, `[1,5) "XcdY"`},
		{"right to left", "abcdef", "aXcdYf", []E{{4, 5, "Y"}, {1, 2, "X"}}, `[1,5) "XcdY"`},
		{"a deletion, then an insertion before it", "abc", "xyzbc", []E{{0, 1, ""}, {0, 0, "xyz"}}, `[0,1) "xyz"`},
		{"typing two characters", "ab", "aXYb", []E{{1, 1, "X"}, {2, 2, "Y"}}, `[1,1) "XY"`},
		{"an edit that changes nothing", "abc", "abc", []E{{1, 2, "b"}}, `[1,2) "b"`},
		{"a negative start", "abc", "abc", []E{{-1, 0, ""}}, "none"},
		{"a start after the end", "abc", "abc", []E{{2, 1, ""}}, "none"},
		{"an end past the text", "abc", "abX", []E{{2, 4, "X"}}, "none"},
		{"an end past the text after an earlier edit", "abc", "ab", []E{{2, 3, ""}, {2, 3, ""}}, "none"},
		{"edits that do not yield the text's length", "abc", "abcd", []E{{1, 1, "X"}}, "none"},
		{"a text that differs before the edits", "abc", "Xbcd", []E{{3, 3, "d"}}, "none"},
		{"a text that differs after the edits", "abc", "aXbX", []E{{1, 1, "X"}}, "none"},
	} {
		// CoveringEditApplied trusts that the text is the edits applied
		// (its caller made it so): it checks the edits against the lengths
		// only, so it differs only where the texts do.
		appliedWant := map[string]string{
			"a text that differs before the edits": `[3,3) "d"`,
			"a text that differs after the edits":  `[1,1) "X"`,
			// (The lengths agree: CoveringEdit finds the suffix differs.)
			"edits that do not yield the text's length": `[1,1) "b"`,
		}[c.name]
		if appliedWant == "" {
			appliedWant = c.want
		}
		t.Run(c.name, func(t *testing.T) {
			got := "none"
			if e, ok := syntax.CoveringEdit([]byte(c.old), c.edits, []byte(c.text)); ok {
				got = fmt.Sprintf("[%d,%d) %q", e.Start, e.End, e.Text)
				if applied := string(e.Apply([]byte(c.old))); applied != c.text {
					t.Errorf("the covering edit %s yields %q, want %q", got, applied, c.text)
				}
			}
			if got != c.want {
				t.Errorf("CoveringEdit = %s, want %s", got, c.want)
			}
			got = "none"
			if e, ok := syntax.CoveringEditApplied([]byte(c.old), c.edits, []byte(c.text)); ok {
				got = fmt.Sprintf("[%d,%d) %q", e.Start, e.End, e.Text)
			}
			if got != appliedWant {
				t.Errorf("CoveringEditApplied = %s, want %s", got, appliedWant)
			}
		})
	}
}
