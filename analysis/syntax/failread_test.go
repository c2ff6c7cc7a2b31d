package syntax_test

import (
	"cmp"
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// failLines are long-valued entries after a broken line: the failed whole
// parse of a text parsed whole stops reading inside one of them (yaml.v3
// reads 512 bytes at a time).
var failLines = func() string {
	long := strings.Repeat("v", 200)
	return "k1: " + long + "\nk2: " + long + "\nk3: " + long + "\nk4:\n  k5: " + long + "\n  k6: " + long + "\n"
}()

// failDocs are broken texts parsed whole (anchors, or an explicit key),
// one for each kind of error, with the broken line above failLines (and,
// after an explicit key, an entry between: edits in the top-level entry
// after one fall back).
var failDocs = map[string]string{
	"anchors, an unclosed bracket":       "a: 1\nb: [\n" + failLines + "x: &a 1\ny: *a\n",
	"anchors, a key without its colon":   "a: 1\nb\n" + failLines + "x: &a 1\ny: *a\n",
	"anchors, text after a flow mapping": "a: 1\nb: {c: 1} x\n" + failLines + "x: &a 1\ny: *a\n",
	"explicit, an unclosed bracket":      "a:\n  ? x\n  : 1\nz: 0\nb: [\n" + failLines,
	"explicit, a key without its colon":  "a:\n  ? x\n  : 1\nz: 0\nb\n" + failLines,
	"explicit, text after a flow map":    "a:\n  ? x\n  : 1\nz: 0\nb: {c: 1} x\n" + failLines,
}

// diffFailRead compares where the failed whole parse of a text stopped
// reading, as an updated tree keeps it, with a cold parse's: unknown (0),
// or at least the cold parse's count (an edit there or later leaves the
// failure as it was) and less than 2,048 bytes past it (a bound found
// without parsing the text before the edited region: what a parse of a
// stand-in read, up to 512 bytes past what it needed, plus 1,024), (""
// when they agree).
func diffFailRead(want, got *syntax.Tree) string {
	g, w := syntax.FailRead(got), syntax.FailRead(want)
	if g != 0 && (w == 0 || g < w || g >= w+2048) {
		return fmt.Sprintf("FailRead: want %d (or 0, or less than 2,048 bytes more), got %d", w, g)
	}
	return ""
}

// updateAgainstCold applies e to doc's tree and, when UpdateTree takes
// it, compares the tree with a cold parse of the new text. It returns
// the region re-parsed (`depth N "region"`) or `declined: reason`.
func updateAgainstCold(t *testing.T, doc string, e syntax.Edit) (string, *syntax.TreeUpdate, *syntax.Tree) {
	t.Helper()
	old := []byte(doc)
	text := e.Apply(old)
	cold := syntax.ParseTree(text)
	u, reason := syntax.UpdateTree(old, syntax.ParseTree(old), nil, e, text)
	if u == nil {
		return "declined: " + reason, nil, cold
	}
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	if s := cmp.Or(edittest.DiffTrees(cold, abs, u.Tree, u.Shifts.R), edittest.DiffParseMode(cold, u.Tree), diffFailRead(cold, u.Tree)); s != "" {
		t.Fatalf("differs from a cold parse after %+v: %s\nnew text:\n%s", e, s, text)
	}
	lv := u.Levels[len(u.Levels)-1]
	return fmt.Sprintf("depth %d %q", len(u.Levels), old[lv.Start:lv.End]), u, cold
}

// TestUpdateTreeAtFailure: in a broken text parsed whole, the whole
// parse fails having read the text up to some offset (FailRead), past the
// broken line. An edit that starts there or later leaves that failure as
// it was: it is re-parsed by region (and the tree keeps the offset, as a
// cold parse of the new text finds it). One byte earlier, after the
// broken region, it may change what the whole parse does: a parse of the
// new text says that it still fails (and where), before the region is
// re-parsed: from the entry that holds the broken line (failsFrom,
// which keeps a bound on the count) or, when that is the root's first
// entry, whole.
func TestUpdateTreeAtFailure(t *testing.T) {
	for name, doc := range failDocs {
		t.Run(name, func(t *testing.T) {
			tree := syntax.ParseTree([]byte(doc))
			f := syntax.FailRead(tree)
			if len(tree.BrokenRegions()) != 1 || tree.ParsedByRegion() || f <= 0 {
				t.Fatalf("want a text parsed whole with one broken region and a known failure, got %v (by region %v), failure read %d",
					tree.BrokenRegions(), tree.ParsedByRegion(), f)
			}
			// The failure lies inside a long value, one byte from either end.
			if ls := strings.LastIndexByte(doc[:f], '\n') + 1; !strings.Contains(doc[ls:f-1], ": v") || doc[f+1] != 'v' {
				t.Fatalf("the failure read %d is not inside a long value: %q|%q", f, doc[ls:f], doc[f:f+2])
			}
			first := strings.HasPrefix(name, "anchors") // (the broken line in the root's first entry)
			for _, c := range []struct {
				at, whole, from int
			}{{f - 1, b2i(first), b2i(!first)}, {f, 0, 0}, {f + 1, 0, 0}} {
				var got string
				var u *syntax.TreeUpdate
				var cold *syntax.Tree
				n := 0
				from := syntax.FromChecks(func() {
					n = syntax.WholeChecks(func() { got, u, cold = updateAgainstCold(t, doc, syntax.Edit{Start: c.at, End: c.at, Text: "w"}) })
				})
				if u == nil || n != c.whole || from != c.from {
					t.Errorf("an edit at %d (the failure read %d): got %s after %d whole parses and %d from an entry, want a region update after %d and %d",
						c.at, f, got, n, from, c.whole, c.from)
				}
				if u != nil && from == 0 && (syntax.FailRead(u.Tree) != syntax.FailRead(cold) || syntax.FailRead(cold) < f) {
					t.Errorf("an edit at %d: the failure read is %d updated, %d cold, was %d", c.at, syntax.FailRead(u.Tree), syntax.FailRead(cold), f)
				}
			}
		})
	}
}

// TestUpdateTreeBelowFailure: edits below the failure of a broken text
// parsed whole, named.
func TestUpdateTreeBelowFailure(t *testing.T) {
	doc := "z: 0\n" + failDocs["anchors, a key without its colon"]
	cases := []struct {
		name, at  string
		skip, del int
		ins, want string
	}{
		{name: "a value below", at: "k5: ", skip: 4, ins: "w", want: `depth 2 "  k5: `},
		{name: "a new key below", at: "k4:", ins: "k9: 1\n", want: `depth 1 "k4:\n`},
		{name: "an alias typed below", at: "k5: ", skip: 4, del: 3, ins: "*a", want: `declined: the region cannot be parsed alone: an alias of an anchor outside the region`},
		{name: "an anchor typed below", at: "k5: ", skip: 4, ins: "&n ", want: `declined: the region cannot be parsed alone: anchors or aliases`},
		{name: "an edit in an anchored entry below", at: "x: &a 1", skip: 7, ins: "0", want: `declined: an anchor or alias in the edited region`},
		// A broken line typed below: its region is found and blanked, as
		// the cold parse (whose whole parse fails above) has it.
		// (All of its region broken: no entry there, as in the blanked
		// text; the enclosing region before session 15.)
		{name: "a second broken line below (all of its region)", at: "k5: ", skip: 4, ins: "[", want: `depth 2 "  k5: vvv`},
		{name: "a second key without its colon below", at: "k4:", ins: "k8\n", want: `depth 1 "k4:\n`},
		{name: "a broken line typed below, the rest of its region parsed", at: "k4:\n", skip: 3, ins: "\n  k6: [1,", want: `depth 1 "k4:\n`},
		{name: "a broken entry whose key parses alone but not region by region", at: "k4:", ins: "k7:\n  - $ref: '#/servers/alsecurity:\n  - $ref: '#/x'ias'\n", want: `declined: the region does not parse, in a text parsed whole: an entry that parses alone`},
		// Above the failure: the broken line itself (a whole parse says
		// whether the text still fails), and the entry before it.
		{name: "the colon typed on the broken line (the failure removed)", at: "b\n", skip: 1, ins: ": 2", want: `depth 1 "a: 1\nb\n"`},
		{name: "the broken line kept broken", at: "b\n", skip: 1, ins: "c", want: `depth 1 "a: 1\nb\n"`},
		{name: "the entry whose region holds the broken line (blank in the tree)", at: "a: 1", skip: 4, ins: "0", want: `depth 1 "a: 1\nb\n"`},
		{name: "an entry above the broken line", at: "z: 0", skip: 4, ins: "0", want: `depth 1 "z: 0\n"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			i := strings.Index(doc, c.at)
			if i < 0 {
				t.Fatalf("%q not in the document", c.at)
			}
			got, _, _ := updateAgainstCold(t, doc, syntax.Edit{Start: i + c.skip, End: i + c.skip + c.del, Text: c.ins})
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestUpdateTreeFailureFromRegion: an edit on the broken line of a text
// parsed whole (before where its whole parse failed) learns whether the
// new text's whole parse fails without parsing the text before the
// edited region: a parse of a stand-in for that text (the header, the
// anchors defined there, the enclosing keys at their columns) followed
// by the rest of the text. An alias below the broken line names an
// anchor above the region: when a bracket typed above the broken line
// closes it (`[1,` over `e: 3]`), the whole text parses (the stand-in
// defines the anchor) and the update falls back.
func TestUpdateTreeFailureFromRegion(t *testing.T) {
	body := "a: &top 1\nm:\n  n:\n    c: 1\n    d: 1,\n    e: ]\n    f: 4\n  o: *top\n" + failLines
	kept := `depth 3 "    d: 1,\n    e: ]` // (the broken line's region is the entry before it)
	for _, c := range []struct {
		name, head, at, ins, want string
		whole, from               int
	}{
		{name: "the broken line kept broken", at: "e: ]", ins: "c", want: kept, from: 1},
		{name: "the broken line kept broken, after a comment and a document marker", head: "# head\n---\n", at: "e: ]", ins: "c", want: kept, from: 1},
		{name: "the broken line kept broken, after a directive", head: "%YAML 1.1\n---\n", at: "e: ]", ins: "c", want: kept, from: 1},
		// (A BOM opening the text: the reads of the stand-in and of the
		// whole parse could see it otherwise; a whole parse says.)
		{name: "the broken line kept broken, after a BOM", head: "\ufeff", at: "e: ]", ins: "c", want: kept, whole: 1},
		// (A text with a BOM, NEL, LS or PS has no broken regions found
		// region by region, and one typed is declined first.)
		{name: "an LS typed on the broken line", at: "e: ]", ins: "\u2028", want: "declined: the region cannot be parsed alone: BOM, NEL, LS or PS"},
		{name: "the bracket typed above: the whole text parses, the alias below names the anchor above", at: "d: ", ins: "[",
			want: "declined: an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse", from: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := c.head + body
			if tr := syntax.ParseTree([]byte(doc)); len(tr.BrokenRegions()) != 1 || tr.ParsedByRegion() || syntax.FailRead(tr) == 0 {
				t.Fatalf("want a text parsed whole with one broken region and a known failure, got %v (by region %v), failure read %d",
					tr.BrokenRegions(), tr.ParsedByRegion(), syntax.FailRead(tr))
			}
			at := strings.Index(doc, c.at) + len(c.at)
			var got string
			whole := 0
			from := syntax.FromChecks(func() {
				whole = syntax.WholeChecks(func() { got, _, _ = updateAgainstCold(t, doc, syntax.Edit{Start: at, End: at, Text: c.ins}) })
			})
			if !strings.HasPrefix(got, c.want) || whole != c.whole || from != c.from {
				t.Errorf("got  %s after %d whole parses and %d from the region\nwant %s after %d and %d", got, whole, from, c.want, c.whole, c.from)
			}
		})
	}
}

// TestUpdateTreeFailureFromRegionBound: the failure count an update keeps
// after a parse from the region (a stand-in for the text before it) is
// at least the cold parse's, however much text precedes the region
// (yaml.v3's reads of 512 bytes fall elsewhere in the stand-in), and the
// rule does not apply when the region is the root's first entry (a
// whole parse).
func TestUpdateTreeFailureFromRegionBound(t *testing.T) {
	// (With the comment before the root's first key, which the stand-in
	// copies, the whole parse reads up to 355 bytes more than the
	// stand-in's count moved to the region, at some alignments.)
	for _, head := range []string{"", "# " + strings.Repeat("h", 300) + "\n"} {
		for pad := 0; pad < 3000; pad += 97 {
			doc := head + "a: &top 1\n# " + strings.Repeat("p", pad) + "\nm:\n  n:\n    c: 1\n    d: 1,\n    e: ]\n    f: 4\n  o: *top\n" + failLines + failLines + failLines
			at := strings.Index(doc, "e: ]") + 4
			from := syntax.FromChecks(func() {
				if got, _, _ := updateAgainstCold(t, doc, syntax.Edit{Start: at, End: at, Text: "c"}); !strings.HasPrefix(got, "depth 3") {
					t.Errorf("%d bytes of comment above: got %s", pad, got)
				}
			})
			if from != 1 {
				t.Errorf("%d bytes of comment above: %d parses from the region, want 1", pad, from)
			}
		}
	}
	doc := "a: 1,\ne: ]\nb: 2\n" + failLines + "x: &a 1\ny: *a\n"
	at := strings.Index(doc, "e: ]") + 4
	whole := 0
	from := syntax.FromChecks(func() {
		whole = syntax.WholeChecks(func() {
			if got, _, _ := updateAgainstCold(t, doc, syntax.Edit{Start: at, End: at, Text: "c"}); got != `depth 1 "a: 1,\ne: ]\n"` {
				t.Errorf("the broken line in the root's first entry: got %s", got)
			}
		})
	})
	if whole != 1 || from != 0 {
		t.Errorf("the broken line in the root's first entry: %d whole parses and %d from the region, want 1 and 0", whole, from)
	}
}

// TestUpdateTreeBlankedWindow: a region that does not parse in a broken
// text parsed whole is re-parsed in a window of the text with its broken
// regions blanked (not a blanked copy of the whole text), which must hold
// all the tree builder reads: a value with a tag and no content at the
// region's end (`d: !!str` over the blanked broken line) reaches, as in
// the cold parse, into the tag of the key below the region, and a block
// scalar there ends at its last line. Each keystroke equals a cold parse.
func TestUpdateTreeBlankedWindow(t *testing.T) {
	for _, c := range []struct{ name, region, below string }{
		{"a tag with no content over the broken line", "    d: !!str\n    e: ]\n", "  !!str o: 1\n"},
		{"a tag and an anchor below", "    d: !!str\n    e: ]\n", "  !!str &k o: 1\n"},
		{"a block scalar over the broken line", "    d: |\n      text\n    e: ]\n\n", "  o: 1\n"},
		{"the region at the end of the text", "    d: !!str\n    e: ]", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := "a: &top 1\nm:\n  n:\n    c: 1\n" + c.region + c.below
			if c.below != "" {
				doc += "p: *top\n" + failLines
			}
			at := strings.Index(doc, "e: ]") + 4
			for _, ins := range []string{"c", " ", "]"} {
				if got, _, _ := updateAgainstCold(t, doc, syntax.Edit{Start: at, End: at, Text: ins}); !strings.HasPrefix(got, "depth 3") {
					t.Errorf("%q typed: got %s, want a region update", ins, got)
				}
			}
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestUpdateTreeFailureFromBefore: an edit below the broken line of a
// text parsed whole and before where its whole parse failed learns
// whether the new text's whole parse fails without parsing all of it: a
// parse of a stand-in for the text before the entry that holds the first
// broken line (the header, the anchors defined there, the enclosing keys
// at their columns) followed by the text from that entry, broken line
// included (failsFrom, fromBefore). That entry is the broken line's in
// the mapping of the deepest entry that holds both; when it is the
// root's first entry, a whole parse says.
func TestUpdateTreeFailureFromBefore(t *testing.T) {
	body := "a: &top 1\nm:\n  n:\n    c: 1\n    d: 1,\n    e: ]\n    f: 4\n    g: 5\n  o: *top\n  p: 2\nq: 3\n" + failLines
	for _, c := range []struct {
		name, doc, at, ins, want string
		whole, from              int
	}{
		{name: "in a later entry of the broken line's mapping", doc: body, at: "g: 5", ins: "6", want: `depth 3 "    g: 5\n"`, from: 1},
		{name: "in a later entry of an enclosing mapping", doc: body, at: "p: 2", ins: "6", want: `depth 2 "  p: 2\n"`, from: 1},
		{name: "in a later root entry", doc: body, at: "q: 3", ins: "6", want: `depth 1 "q: 3\n"`, from: 1},
		{name: "below a broken line before the first key of its mapping", doc: "a: &top 1\nm:\n  bad\n  c: 1\n  g: 5\n  o: *top\n" + failLines,
			at: "g: 5", ins: "6", want: `depth 2 "  g: 5\n"`, from: 1},
		{name: "a second broken line typed below", doc: body, at: "g: 5", ins: ", ]", want: `depth 3 "    g: 5\n"`, from: 1},
		{name: "below two broken lines", doc: strings.Replace(body, "  o: *top", "  o: *top\n  r: [", 1), at: "p: 2", ins: "6", want: `depth 2 "  p: 2\n"`, from: 1},
		{name: "the bracket left open above closed below: the whole text parses",
			doc: "a: &top 1\nm:\n  n:\n    c: 1\n    d: [1,\n    e: 3\n    f: 4\n  o: *top\n" + failLines, at: "e: 3", ins: "]",
			want: "declined: an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse", from: 1},
		{name: "the broken line in the root's first entry", doc: "a: 1,\ne: ]\nf: 4\ng: &top 1\nh: *top\n" + failLines, at: "f: 4", ins: "6",
			want: `depth 1 "f: 4\n"`, whole: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := syntax.ParseTree([]byte(c.doc))
			at := strings.Index(c.doc, c.at) + len(c.at)
			if len(tr.BrokenRegions()) == 0 || tr.ParsedByRegion() || (syntax.FailRead(tr) != 0 && syntax.FailRead(tr) <= at) || tr.BrokenRegions()[0].Start >= at {
				t.Fatalf("want a text parsed whole with a broken region before the edit at %d, failing after it, got %v (by region %v), failure read %d",
					at, tr.BrokenRegions(), tr.ParsedByRegion(), syntax.FailRead(tr))
			}
			var got string
			whole := 0
			from := syntax.FromChecks(func() {
				whole = syntax.WholeChecks(func() { got, _, _ = updateAgainstCold(t, c.doc, syntax.Edit{Start: at, End: at, Text: c.ins}) })
			})
			if !strings.HasPrefix(got, c.want) || whole != c.whole || from != c.from {
				t.Errorf("got  %s after %d whole parses and %d from an entry\nwant %s after %d and %d", got, whole, from, c.want, c.whole, c.from)
			}
		})
	}
}

// TestUpdateTreeFailReadToTheEnd: the count an update keeps of what the
// failed whole parse read is a place in the text, or 0 when the parse
// may have read it all: a bound found from the region that reaches the
// text's end (here with the text's length swept over the 512 bytes of a
// read, so that the bound lands on the end exactly once) is 0, never the
// length.
func TestUpdateTreeFailReadToTheEnd(t *testing.T) {
	for pad := 0; pad < 512; pad++ {
		doc := "a: &top 1\nm:\n  n:\n    c: 1\n    d: 1,\n    e: ]\n    f: 4\n  o: *top\n" + failLines + "# " + strings.Repeat("p", pad) + "\n"
		at := strings.Index(doc, "e: ]") + 4
		got, u, _ := updateAgainstCold(t, doc, syntax.Edit{Start: at, End: at, Text: "c"})
		if u == nil {
			t.Fatalf("%d bytes of comment at the end: %s", pad, got)
		}
		if n := syntax.FailRead(u.Tree); n >= len(u.Tree.Text) {
			t.Errorf("%d bytes of comment at the end: the count kept is %d, the text's length %d", pad, n, len(u.Tree.Text))
		}
	}
}

// TestUpdateTreeFailureFromRegionBOM: a broken text parsed whole that
// opens with a byte order mark (it still has its broken regions found
// region by region) learns whether an edit on its broken line leaves
// its whole parse failing from a whole parse, not from a stand-in parse
// from the region: yaml.v3 looks at stale bytes past a read, so with a
// BOM, NEL, LS or PS in the text the alignment of the reads could change
// what it does (failsFrom's rule).
func TestUpdateTreeFailureFromRegionBOM(t *testing.T) {
	doc := "\ufeffa: &top 1\nm:\n  n:\n    c: 1\n    d: 1,\n    e: ]\n    f: 4\n  o: *top\n" + failLines
	at := strings.Index(doc, "e: ]") + 4
	whole := 0
	from := syntax.FromChecks(func() {
		whole = syntax.WholeChecks(func() {
			if got, _, _ := updateAgainstCold(t, doc, syntax.Edit{Start: at, End: at, Text: "c"}); !strings.HasPrefix(got, "depth 3") {
				t.Errorf("the broken line edited: got %s", got)
			}
		})
	})
	if whole != 1 || from != 0 {
		t.Errorf("the broken line edited: %d whole parses and %d from the region, want 1 and 0", whole, from)
	}
}
