package syntax_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// syntaxDocs are texts of the kinds the syntax layer meets: nested block
// mappings with every scalar style, lists, flow collections, comments,
// multi-byte text, CRLF, duplicate keys, and a generated AsyncAPI document.
var syntaxDocs = map[string]string{
	"nested": "a: 1\nb:\n  c: 2\n  d:\n    e: 3\n    f: [x, {y: z}]\n  g: 'quoted ''s'\n# comment\nh:\n  - i\n  - j: k\n" +
		"l: |\n  literal\n    more\n\nm: >-\n  folded\n  text\nn: \"dq \\u00e9 日本 😀\"\n",
	"crlf": "a: 1\r\nb:\r\n  c: 2\r\n  d:\r\n    e: 3\r\nf: x\r\n",
	"dups": "a: 1\nb:\n  c: 2\n  c: 3\nd:\n  e: x\n  e: y\n",
	"gen":  string(docgen.Generate(docgen.Options{Units: 2, Seed: 11})),
}

// TestUpdateTreeDifferential applies random edits, one after another, and
// checks every tree UpdateTree returns against a cold parse of the same
// text: every node's kind, style, tag, value, anchor and range (read
// through the shift log) and the diagnostics. Where UpdateTree declines,
// the reason must be on the allowed list; the share of edits it takes is
// asserted, so that a regression in its reach fails too.
func TestUpdateTreeDifferential(t *testing.T) {
	steps := testenv.Count(300, 1500)
	minShare := map[string]float64{"nested": 0.12, "crlf": 0.12, "dups": 0.12, "gen": 0.2}
	for name, doc := range syntaxDocs {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(doc)), 3))
			start := syntax.ParseTree([]byte(doc))
			tree, shifts, text := start, (*syntax.ShiftLog)(nil), []byte(doc)
			taken, reasons := 0, map[string]int{}
			for i := 0; i < steps; i++ {
				e := edittest.RandomEdit(rng, text)
				next := e.Apply(text)
				want := syntax.ParseTree(next)
				u, reason := syntax.UpdateTree(text, tree, shifts, e, next)
				if u == nil {
					if !edittest.AllowedFallback(reason) {
						t.Fatalf("UpdateTree declined for a reason not allowed: %q\nedit %+v on\n%s", reason, e, text)
					}
					if i := strings.Index(reason, ": yaml"); i > 0 {
						reason = reason[:i]
					}
					reasons[reason]++
					tree, shifts = want, nil
				} else {
					taken++
					abs := func(n *syntax.Node) syntax.Range { return n.Range() }
					if s := edittest.DiffTrees(want, abs, u.Tree, u.Shifts.R); s != "" {
						t.Fatalf("UpdateTree differs from a cold parse after edit %+v: %s\nprevious text:\n%s\nnew text:\n%s", e, s, text, next)
					}
					tree, shifts = u.Tree, u.Shifts
				}
				text = next
				if i%4 == 3 { // back towards the start, so that most edits land on parseable text
					text, tree, shifts = []byte(doc), start, nil
				}
			}
			share := float64(taken) / float64(steps)
			t.Logf("%s: %d edits, %d by region (%.0f%%), declined %v", name, steps, taken, 100*share, reasons)
			if share < minShare[name] {
				t.Errorf("only %.0f%% of the edits were taken by UpdateTree (want at least %.0f%%)", 100*share, 100*minShare[name])
			}
		})
	}
}
