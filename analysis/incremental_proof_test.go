package analysis

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// checkFallback fails when Update fell back to a full analysis for a
// reason that is not on the list.
func checkFallback(t testing.TB, d *Document) {
	t.Helper()
	if d.inc.path == pathAnalyze && d.inc.reason != "" && !edittest.AllowedFallback(d.inc.reason) {
		t.Fatalf("Update fell back to a full analysis for a reason not allowed: %q", d.inc.reason)
	}
	if d.InternalError() != "" {
		t.Fatalf("internal error in the incremental path: %s", d.InternalError())
	}
}

var (
	keyLine   = regexp.MustCompile(`(?m)^( *)([A-Za-z_$][A-Za-z0-9_.$-]*):`)
	rootEntry = regexp.MustCompile(`(?m)^[A-Za-z_$][A-Za-z0-9_$-]*:`)
)

// structuredEdit makes the edits that random byte edits rarely make but
// that typing does: renaming a key (sometimes to the name of a sibling,
// making a duplicate), editing exactly at the start or end of a
// diagnostic's range (a boundary of the shift after the edit), and typing
// a new root key right after the last entry of a section.
func structuredEdit(rng *rand.Rand, d *Document) (syntax.Edit, bool) {
	text := d.Text
	switch rng.IntN(3) {
	case 0: // rename a key
		keys := keyLine.FindAllSubmatchIndex(text, -1)
		if len(keys) == 0 {
			return syntax.Edit{}, false
		}
		k := keys[rng.IntN(len(keys))]
		indent := k[3] - k[2]
		name := "renamed"
		if rng.IntN(2) == 0 {
			// A sibling: the nearest other key at the same indentation
			// with no shallower key between them.
			if s, ok := siblingKey(text, keys, k, indent); ok {
				name = s
			}
		}
		return syntax.Edit{Start: k[4], End: k[5], Text: name}, true
	case 1: // at a diagnostic's boundary (of the model's checks: the
		// schema's, many in these small documents, would change the mix)
		var diags []syntax.Diagnostic
		for _, dg := range d.Diagnostics {
			if !isSchemaCode(dg.Code) {
				diags = append(diags, dg)
			}
		}
		if len(diags) == 0 {
			return syntax.Edit{}, false
		}
		dg := diags[rng.IntN(len(diags))]
		at := dg.Range.Start
		if rng.IntN(2) == 0 {
			at = dg.Range.End
		}
		if at > len(text) {
			return syntax.Edit{}, false
		}
		switch rng.IntN(3) {
		case 0:
			return syntax.Edit{Start: at, End: at, Text: "x"}, true
		case 1:
			if at > 0 && text[at-1] != '\n' {
				return syntax.Edit{Start: at - 1, End: at, Text: ""}, true
			}
			return syntax.Edit{Start: at, End: at, Text: " "}, true
		default:
			return syntax.Edit{Start: at, End: at, Text: "\n"}, true
		}
	default: // a root key right after the last entry of a section
		roots := rootEntry.FindAllIndex(text, -1)
		if len(roots) < 2 {
			return syntax.Edit{}, false
		}
		i := 1 + rng.IntN(len(roots)-1)
		at := roots[i][0] // the start of the next section = the end of the previous one
		ins := []string{"tags: []\n", "x-new: 1\n", "info:\n  title: again\n", "securityx", "t"}[rng.IntN(5)]
		return syntax.Edit{Start: at, End: at, Text: ins}, true
	}
}

func siblingKey(text []byte, keys [][]int, k []int, indent int) (string, bool) {
	idx := 0
	for i, o := range keys {
		if o[0] == k[0] {
			idx = i
		}
	}
	for _, dir := range []int{-1, 1} {
		for j := idx + dir; j >= 0 && j < len(keys); j += dir {
			in := keys[j][3] - keys[j][2]
			if in < indent {
				break
			}
			if in == indent {
				return string(text[keys[j][4]:keys[j][5]]), true
			}
		}
	}
	return "", false
}

// TestIncrementalStructuredEdits checks key renames, edits at diagnostic
// boundaries and new root keys after a section against a full analysis,
// and asserts which share of them took the incremental path.
func TestIncrementalStructuredEdits(t *testing.T) {
	t.Parallel()
	steps := testenv.Count(150, 600)
	// The minimum share of edits handled by a region re-parse, per document
	// (measured, with a margin): a regression in the incremental path's
	// reach fails here even when its results stay right.
	minShare := map[string]float64{"v3": 0.75, "v3crlf": 0.75, "v2": 0.75, "gen3": 0.7, "dups": 0.45, "plain": 0.95,
		"markers": 0.75, "bom": 0.75, "anchors": 0.35, "anchors-sec": 0.12}
	for name, doc := range testDocs() {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(doc)), 7))
			var st pathStats
			renamesToSibling := 0
			start := Analyze([]byte(doc))
			prev := start
			for i := 0; i < steps; i++ {
				e, ok := structuredEdit(rng, prev)
				if !ok {
					continue
				}
				if e.Text != "renamed" && e.End > e.Start && keyLine.Match(prev.Text[max(0, e.Start-40):e.End+1]) {
					renamesToSibling++
				}
				next := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				checkFallback(t, next)
				st.add(next)
				prev = next
				if i%5 == 4 { // back to the start, through the incremental path
					back := edittest.TrimEdit(prev.Text, start.Text)
					prev = checkUpdate(t, prev, []syntax.Edit{back}, start.Text)
					checkFallback(t, prev)
				}
			}
			if st.edits == 0 && name != "json" { // the JSON sample is one line: no key starts a line
				t.Fatal("no structured edit was made")
			}
			share := float64(st.region) / float64(max(1, st.edits))
			t.Logf("%s: %d edits, %d incremental (%.0f%%), reasons %v", name, st.edits, st.region, 100*share, st.reasons)
			if min, ok := minShare[name]; ok && share < min {
				t.Errorf("only %.0f%% of the edits were incremental (want at least %.0f%%): %v", 100*share, 100*min, st.reasons)
			}
		})
	}
}

// TestUpdateInternalErrorIsReported: a panic in the incremental path gives
// users a correct Document from a full analysis, says what happened, and
// with recovery off (as in this package's tests) is not swallowed.
func TestUpdateInternalErrorIsReported(t *testing.T) {
	prev := Analyze([]byte(incV3))
	e := syntax.Edit{Start: strings.Index(incV3, "Sends an order"), End: strings.Index(incV3, "Sends an order"), Text: "x"}
	text := e.Apply(prev.Text)
	testHookRegionUpdate = func() { panic("injected") }
	defer func() { testHookRegionUpdate = nil }()

	recoverUpdatePanics = true
	got := Update(prev, []syntax.Edit{e}, text)
	recoverUpdatePanics = false
	if s := diffDocs(Analyze(text), got); s != "" {
		t.Fatalf("the recovered Document differs from a full analysis: %s", s)
	}
	if ie := got.InternalError(); !strings.HasPrefix(ie, "internal error: injected") || !strings.Contains(ie, "goroutine") {
		t.Fatalf("InternalError = %q, want the panic and its stack", ie)
	}
	if edittest.AllowedFallback(got.inc.reason) {
		t.Fatalf("an internal error must never be an allowed fallback: %q", got.inc.reason)
	}

	panicked := func() (p any) {
		defer func() { p = recover() }()
		Update(prev, []syntax.Edit{e}, text)
		return nil
	}()
	if panicked == nil {
		t.Fatal("with recovery off, a panic in the incremental path must reach the test")
	}
}
