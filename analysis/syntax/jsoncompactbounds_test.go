package syntax_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestCompactSpacedRegionPast: spaced one-line JSON is confined as
// minified JSON is. A region that ends past a closing bracket (a quote
// typed before a '{' leaves the '}' that closed it closing nothing: the
// member up to that '}', resyncOver) takes the blanks after the bracket
// and the ',' after them, and the members after it are kept.
func TestCompactSpacedRegionPast(t *testing.T) {
	for _, c := range []struct {
		src     string
		regions []string // each region's text, in order
		diags   []string // each region's one diagnostic starts at the first place of its text
	}{
		{`{"a": {"p": "x{"c": 1} , "q": 2}, "e": 3, "f": {"g": "y, "h": 4}}`,
			[]string{`"p": "x{"c": 1} , `, `"g": "y, `}, []string{`"x{`, `"y,`}},
		{`{ "a": { "p": "x{ "c": 1 } , "q": 2 }, "e": 3, "f": { "g": "y, "h": 4 } }`,
			[]string{`"p": "x{ "c": 1 } , `, `"g": "y, `}, []string{`"x{`, `"y,`}},
	} {
		rs := syntax.CompactRegionsDiagnosed([]byte(c.src))
		if len(rs) != len(c.regions) {
			t.Errorf("%s: %d regions, want %d", c.src, len(rs), len(c.regions))
			continue
		}
		for i, r := range rs {
			if got := c.src[r.Start:r.End]; got != c.regions[i] || len(r.Diags) != 1 || r.Diags[0].Range.Start != strings.Index(c.src, c.diags[i]) {
				t.Errorf("%s: region %q with %v, want %q with one diagnostic at %q", c.src, got, r.Diags, c.regions[i], c.diags[i])
			}
		}
		tree := syntax.ParseTree([]byte(c.src))
		if len(tree.Docs) != 1 || len(tree.Diagnostics) != 2 {
			t.Errorf("%s: %d documents, %d diagnostics, want one document and the regions' two", c.src, len(tree.Docs), len(tree.Diagnostics))
		}
	}
}

// TestCompactResyncOverBracketBound: the region over a member up to where
// its brackets balance again (a quote typed before a '{', whose '}' then
// closes nothing: resyncOver) is looked for over at most 256 brackets of
// the member (each place costs a scan). Under the bound the member up to
// that '}' is one region; past it, the typed quote's region ends at the
// last value it takes in, and the '}' is a region of its own.
func TestCompactResyncOverBracketBound(t *testing.T) {
	for _, c := range []struct {
		items   int // one-item arrays in the object after the typed quote: 2 brackets each
		regions []string
		first   string // the first region's diagnostic
	}{
		{100, []string{`"p":"x{"c":[…]},`, `"g":"y,`}, "this quoted string takes in the { after it"},
		{140, []string{`"p":"x{"c":[…]`, `"q":2},`, `"g":"y,`}, "this quoted string is never closed: it takes in the value after it"},
	} {
		items := make([]string, c.items)
		for i := range items {
			items[i] = fmt.Sprintf("[%d]", i)
		}
		array := "[" + strings.Join(items, ",") + "]"
		src := `{"a":{"p":"x{"c":` + array + `},"q":2},"e":3,"f":{"g":"y,"h":4}}`
		rs := syntax.CompactRegionsDiagnosed([]byte(src))
		var got []string
		for _, r := range rs {
			got = append(got, strings.Replace(src[r.Start:r.End], array, "[…]", 1))
		}
		if !slices.Equal(got, c.regions) {
			t.Errorf("%d items: regions %q, want %q", c.items, got, c.regions)
			continue
		}
		if d := rs[0].Diags; len(d) != 1 || d[0].Range.Start != strings.Index(src, `"x{`) || !strings.Contains(d[0].Message, c.first) {
			t.Errorf("%d items: the first region's diagnostics %v, want one at the typed quote: %q", c.items, d, c.first)
		}
	}
}

// TestCompactSpacedTextAfterString: text glued to a string (no blank
// between) that a quote ends is read as a quote typed before a value
// (`"x"value"`: the typed string is never closed); after a blank it is a
// word typed after the value, and the quote that ends it opens a string
// never closed.
func TestCompactSpacedTextAfterString(t *testing.T) {
	for _, c := range []struct{ src, at, msg string }{
		{`{"x": {"p": "a" b", "q": 1}, "y": 2}`, `", "q"`, "this quoted string is never closed"},
		{`{"x": {"p": "a"b", "q": 1}, "y": 2}`, `"a"`, "the \" that seems to close it opens the text after it"},
	} {
		rs := syntax.CompactRegionsDiagnosed([]byte(c.src))
		if len(rs) != 1 || len(rs[0].Diags) != 1 {
			t.Errorf("%s: regions %v, want one with one diagnostic", c.src, rs)
			continue
		}
		if d := rs[0].Diags[0]; d.Range.Start != strings.Index(c.src, c.at) || !strings.Contains(d.Message, c.msg) {
			t.Errorf("%s: %q at %d, want %q at %q", c.src, d.Message, d.Range.Start, c.msg, c.at)
		}
	}
}

// TestCompactRegionErrorsDepthBound: the reading that tells a region's
// errors apart (regionErrors) follows at most 200 levels of nesting. A key
// without its ':' after a value nested 199 arrays deep has its own
// diagnostic; after one nested 200 deep the reading stops there, and the
// region keeps the diagnostic of its first error only.
func TestCompactRegionErrorsDepthBound(t *testing.T) {
	for _, c := range []struct {
		depth int
		diags int
	}{{199, 2}, {200, 1}} {
		src := `{"a":{"p":{"v","q":` + strings.Repeat("[", c.depth) + "1" + strings.Repeat("]", c.depth) + `,"r" 2},"b":3}`
		rs := syntax.CompactRegionsDiagnosed([]byte(src))
		if len(rs) != 1 || len(rs[0].Diags) != c.diags {
			t.Errorf("%d levels: regions %v, want one with %d diagnostics", c.depth, rs, c.diags)
			continue
		}
		want := []string{`{"v"`, `"r" 2`}[:c.diags]
		for i, d := range rs[0].Diags {
			if d.Range.Start != strings.Index(src, want[i]) {
				t.Errorf("%d levels: diagnostic %q at %d, want at %q", c.depth, d.Message, d.Range.Start, want[i])
			}
		}
	}
}

// TestCompactTypedStringFailedTry: a value tried inside a string with text
// glued to it (a quote typed before a value, regionErrors) that does not
// read up to a separator is not that value, and leaves none of the
// diagnostics its reading found: `"x{1"{` is not a '{' typed before the
// value 1 (the region's one diagnostic is the '{' after the string, never
// closed).
func TestCompactTypedStringFailedTry(t *testing.T) {
	src := `{"a":{"p":"x{1"{,"q":1},"b":2}`
	rs := syntax.CompactRegionsDiagnosed([]byte(src))
	if len(rs) != 1 || src[rs[0].Start:rs[0].End] != `"p":"x{1"{,` {
		t.Fatalf("regions %v, want the one member \"p\"", rs)
	}
	if d := rs[0].Diags; len(d) != 1 || d[0].Range.Start != strings.Index(src, `{,`) || !strings.Contains(d[0].Message, "this { is never closed") {
		t.Errorf("diagnostics %v, want one: the '{' after the string never closed", d)
	}
}
