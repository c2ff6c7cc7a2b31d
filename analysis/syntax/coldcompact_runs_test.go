package syntax_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestCompactColdRunBounds: the run-by-run cold parse at a run's exact
// size. A member of CompactColdRun bytes or more whose value is an object
// or array is parsed with its value emptied, and its value's members in
// runs of their own; a run of members is parsed as soon as it reaches
// CompactColdRun bytes, and the members after it start the next run.
func TestCompactColdRunBounds(t *testing.T) {
	run := syntax.CompactColdRun
	// a member of exactly a run's bytes whose value is an object
	m := `"m":{"s":"` + strings.Repeat("y", run-len(`"m":{"s":""}`)) + `"}`
	// a scalar member of exactly a run's bytes, then a small one
	b := `"b":"` + strings.Repeat("z", run-len(`"b":""`)) + `"`
	text := []byte(`{` + m + `,` + b + `,"c":1}`)
	if len(m) != run || len(b) != run {
		t.Fatalf("members of %d and %d bytes, want %d", len(m), len(b), run)
	}
	got := syntax.CompactColdParses(text)
	want := []int{
		len(`"m":{}`),       // m with its value emptied
		run - len(`"m":{}`), // m's value's one member, a run of its own
		run,                 // b: a run once it reaches a run's size
		len(`"c":1`),        // c: the next run, at the root's end
	}
	if !slices.Equal(got, want) {
		t.Errorf("parses of %v bytes, want %v", got, want)
	}
}

// TestCompactBlankedSpanOwnBytes: a span of a broken compact text that no
// broken region meets is parsed from the text's own bytes, without a
// blanked copy, also when a region ends where the span starts or starts
// where it ends; a region inside it is blanked in a copy.
func TestCompactBlankedSpanOwnBytes(t *testing.T) {
	text := []byte(`{"a":"x,"b":1,"c":"y,"d":2}`)
	r1 := syntax.Range{Start: strings.Index(string(text), `"a"`), End: strings.Index(string(text), `"b"`)}
	r2 := syntax.Range{Start: strings.Index(string(text), `"c"`), End: strings.Index(string(text), `"d"`)}
	regions := []syntax.Range{r1, r2}
	for _, c := range []struct {
		name string
		s, e int
		want string
		own  bool
	}{
		{"between the regions, touching both", r1.End, r2.Start, `"b":1,`, true},
		{"after the last region", r2.End, len(text) - 1, `"d":2`, true},
		{"before the first region", 0, r1.Start, `{`, true},
		{"holding a region", r1.End, r2.End, `"b":1,       `, false},
	} {
		span, own := syntax.BlankedSpan(text, regions, c.s, c.e)
		if string(span) != c.want || own != c.own {
			t.Errorf("%s: %q (own bytes %v), want %q (own bytes %v)", c.name, span, own, c.want, c.own)
		}
	}
}
