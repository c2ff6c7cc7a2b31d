package syntax_test

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestUpdateTreeQuoteOverKeys: a quote left open in a valid text parsed
// whole (anchors) runs to the next quote, over lines that a region-wise
// parse reads as keys; the whole parse reads the text as valid, and so
// does a cold parse of each keystroke typed into it (the text stays
// parsed whole for the anchors). Such a region is re-parsed alone in one
// piece: its value may run over lines at its keys' column, and it may
// hold fewer entries than those lines. In a text parsed region by
// region, the same quote is a broken region (the region-wise parse splits
// it), and in a broken text parsed whole a cold parse finds it broken too:
// both re-parse its line as a broken region.
func TestUpdateTreeQuoteOverKeys(t *testing.T) {
	const op = "op:\n  description: d\n  x-note: 'abc\n  messages:\n    - $ref: '#/c/m'\n  security: 1\n"
	anchored := "a: &x 1\nb: *x\n" + op + "c: 2\n"
	for _, c := range []struct{ name, doc, at, ins, want string }{
		{"a keystroke after the open quote", anchored, "'abc", "x", `depth 2 "  x-note: 'abc\n  messages:\n    - $ref: '#/c/m'\n"`},
		{"a keystroke in the line the quote runs over", anchored, "messages", "x", `depth 2 "  x-note: 'abc\n  messages:\n    - $ref: '#/c/m'\n"`},
		{"the quote closed: the lines it ran over are entries again", anchored, "'abc", "'", `depth 2 "  x-note: 'abc\n  messages:\n    - $ref: '#/c/m'\n"`},
		// (Its only broken region in the region-wise pass is the open
		// quote's entry, in the edited region: a region update.)
		{"text typed after the quote it runs to: the whole parse fails", anchored, "- $ref: '", " y", `depth 2 "  x-note: 'abc\n  messages:\n    - $ref: '#/c/m'\n"`},
		// (The region-wise parse confines the open quote to its line.)
		{"a text parsed region by region (no anchors)", op + "c: 2\n", "'abc", "x", `depth 2 "  x-note: 'abc\n"`},
		{"a broken text parsed whole", anchored + "d: [\n", "'abc", "x", `depth 2 "  description: d\n  x-note: 'abc\n"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			at := strings.Index(c.doc, c.at) + len(c.at)
			got, _, _ := updateAgainstCold(t, c.doc, syntax.Edit{Start: at, End: at, Text: c.ins})
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}
