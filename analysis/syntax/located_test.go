package syntax_test

import (
	"cmp"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// step is one edit of a typing session: at is the text before which the
// edit starts (after skip bytes of it), del how many bytes it deletes.
type step struct {
	at        string
	skip, del int
	ins       string
}

// session applies steps one after another, each to the tree UpdateTree
// made of the one before (a cold parse after a decline), checks every
// updated tree against a cold parse of its text, and returns for each
// step its region ("depth 2 ...", in the text before it) or why it was
// declined, and how many region-wise passes over a valid text parsed
// whole (located.go) each took.
func session(t *testing.T, doc string, steps []step) (got []string, passes []int) {
	t.Helper()
	text := []byte(doc)
	tree, shifts := syntax.ParseTree(text), (*syntax.ShiftLog)(nil)
	for _, s := range steps {
		g, n, next, u := update(t, text, tree, shifts, s)
		got, passes = append(got, g), append(passes, n)
		if u == nil {
			tree, shifts = syntax.ParseTree(next), nil
		} else {
			tree, shifts = u.Tree, u.Shifts
		}
		text = next
	}
	return got, passes
}

// update applies step s to text, whose tree is tree, checks the updated
// tree against a cold parse, and returns the region or why it was
// declined, how many region-wise passes it took, the new text and the
// update (nil when declined).
func update(t *testing.T, text []byte, tree *syntax.Tree, shifts *syntax.ShiftLog, s step) (string, int, []byte, *syntax.TreeUpdate) {
	t.Helper()
	i := strings.Index(string(text), s.at)
	if i < 0 {
		t.Fatalf("%q not in\n%s", s.at, text)
	}
	e := syntax.Edit{Start: i + s.skip, End: i + s.skip + s.del, Text: s.ins}
	next := e.Apply(text)
	var u *syntax.TreeUpdate
	var reason string
	n := syntax.LocatePasses(func() { u, reason = syntax.UpdateTree(text, tree, shifts, e, next) })
	if u == nil {
		return "declined: " + reason, n, next, nil
	}
	cold := syntax.ParseTree(next)
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	if d := cmp.Or(edittest.DiffTrees(cold, abs, u.Tree, u.Shifts.R), edittest.DiffParseMode(cold, u.Tree), diffFailRead(cold, u.Tree)); d != "" {
		t.Fatalf("differs from a cold parse after %+v: %s\nnew text:\n%s", e, d, next)
	}
	lv := u.Levels[len(u.Levels)-1]
	return fmt.Sprintf("depth %d %q", len(u.Levels), text[lv.Start:lv.End]), n, next, u
}

// TestUpdateTreeErrorTypedParsedWhole: an error typed into a valid text
// parsed whole (anchors, explicit keys) is a region update when the old
// text's region-wise pass finds no broken region outside the edited one
// (located.go). The pass runs on the first error of a session only: the
// updates carry its result, so breaking the text again after a fix, here
// or elsewhere, is local without it.
func TestUpdateTreeErrorTypedParsedWhole(t *testing.T) {
	const explicit = "a: 1\nb:\n  ? c\n  : 2\nc: 1\nd: 2\ne:\n  e: 3\n  f: 4\ng: 5\n"
	for _, c := range []struct {
		name   string
		doc    string
		steps  []step
		want   []string
		passes []int
	}{
		{"broken, fixed, broken: one pass", anchoredDoc,
			[]step{{at: "g: 5", skip: 3, ins: "["}, {at: "g: [5", skip: 3, del: 1}, {at: "g: 5", skip: 3, ins: "["}},
			[]string{`depth 2 "  g: 5\n"`, `depth 1 "d:\n  g: [5\n  h: 6\n"`, `depth 2 "  g: 5\n"`}, []int{1, 0, 0}},
		{"broken again in another region after the fix", anchoredDoc,
			[]step{{at: "g: 5", skip: 3, ins: "["}, {at: "g: [5", skip: 3, del: 1}, {at: "h: 6", skip: 1, del: 1}},
			[]string{`depth 2 "  g: 5\n"`, `depth 1 "d:\n  g: [5\n  h: 6\n"`, `depth 2 "  h: 6\n"`}, []int{1, 0, 0}},
		{"a valid keystroke before the error: the pass runs on the error", anchoredDoc,
			[]step{{at: "h: 6", skip: 4, ins: "7"}, {at: "g: 5", skip: 3, ins: "{"}},
			[]string{`depth 2 "  h: 6\n"`, `depth 2 "  g: 5\n"`}, []int{0, 1}},
		{"typing in the broken line, then fixing it", anchoredDoc,
			[]step{{at: "g: 5", skip: 3, ins: "["}, {at: "g: [5", skip: 5, ins: ", 6"}, {at: "g: [5, 6", skip: 8, ins: "]"}, {at: "h: 6", skip: 3, ins: "'"}},
			[]string{`depth 2 "  g: 5\n"`, `depth 1 "d:\n  g: [5\n  h: 6\n"`, `depth 1 "d:\n  g: [5, 6\n  h: 6\n"`, `depth 2 "  h: 6\n"`}, []int{1, 0, 0, 0}},
		{"the whole entry broken", anchoredDoc,
			[]step{{at: "h: 6", skip: 1, del: 1}, {at: "h 6", skip: 1, ins: ":"}},
			[]string{`depth 2 "  h: 6\n"`, `depth 2 "  g: 5\n  h 6\n"`}, []int{1, 0}},
		{"an explicit key's text", explicit,
			[]step{{at: "f: 4", skip: 3, ins: "{"}, {at: "f: {4", skip: 3, del: 1}},
			[]string{`depth 2 "  f: 4\n"`, `depth 2 "  e: 3\n  f: {4\n"`}, []int{1, 0}},
		// The pass finds a quoted string over a line indented less than
		// its key broken (the whole parse reads it): an error typed
		// elsewhere is declined (session 12's counter-example).
		{"a quoted string over a less indented line", anchoredDoc + "q:\n  r:\n    - 'a\n  '\n",
			[]step{{at: "g: 5", skip: 3, ins: "["}}, []string{`declined: the region does not parse`}, []int{1}},
		// A doubt of the pass (a line separator, in a fragment after the
		// first one's anchors: the text is parsed whole for the anchors):
		// the cold parse of the broken text recovers line by line.
		{"a line separator in a later fragment", anchoredDoc + pad(syntax.RegionChunk) + "s: 'a\u2028b'\n",
			[]step{{at: "g: 5", skip: 3, ins: "["}}, []string{`declined: the region does not parse`}, []int{1}},
		// A text parsed whole for an entry that parses alone but not
		// region by region, not for anchors: its cold parse, once broken,
		// recovers line by line; no pass.
		{"a text parsed whole for an entry that parses alone", "a:\n  s:\n    - $ref: '#/servers/alsecurity:\n    - $ref: '#/x'ias'\nd: 1\ne:\n  f: 2\n",
			[]step{{at: "f: 2", skip: 3, ins: "["}}, []string{`declined: the region does not parse`}, []int{0}},
		// A text opened broken: its cold parse found its broken regions,
		// the pass runs on the first error after the fix.
		{"opened broken, fixed, broken again", strings.Replace(anchoredDoc, "g: 5", "g: [5", 1),
			[]step{{at: "g: [5", skip: 3, del: 1}, {at: "h: 6", skip: 3, ins: "["}},
			[]string{`depth 1 "d:\n  g: [5\n  h: 6\n"`, `depth 2 "  h: 6\n"`}, []int{0, 1}},
		// A valid keystroke in an entry whose quoted string runs over its
		// value's keys (parsed as the whole parse reads it, not region by
		// region: regionParser.whole): the pass finds it broken.
		{"after a keystroke in an entry whose value's quote runs over keys", anchoredDoc + "q:\n  b: 'x\n  c: y'\nz: 1\n",
			[]step{{at: "q:", skip: 1, ins: "q"}, {at: "g: 5", skip: 3, ins: "["}},
			[]string{`depth 1 "q:\n  b: 'x\n  c: y'\n"`, `declined: the region does not parse`}, []int{0, 1}},
		// The pass over a text cut into fragments otherwise: an entry
		// with an anchor counts as parsed in locateBroken's pass without
		// the check for a quoted string over lines that start regions;
		// an error elsewhere makes the cold parse cut that entry apart,
		// where the quote is broken. The strict pass checks it.
		{"an anchor's fragment over a quote that runs over keys", quoteOverAnchors,
			[]step{{at: "type: string", skip: 0, del: 1, ins: "security:\n      - $ref: '#/x'"}},
			[]string{`declined: the region does not parse`}, []int{1}},
		// A valid keystroke in a region that parses only as the whole
		// parse reads it (its quote runs over keys): its verdict is not
		// known, the next error runs the pass again.
		{"after a keystroke in a quote that runs over keys", quoteOverAnchors,
			[]step{{at: "'abc", skip: 4, ins: "d"}, {at: "type: string", skip: 6, ins: " ["}},
			[]string{`depth 2 "  a:\n    address: a\n    x-note: 'abc\n  b:\n    address: '#/b'\n"`, `declined: the region does not parse`}, []int{0, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, passes := session(t, c.doc, c.steps)
			if fmt.Sprint(got) != fmt.Sprint(c.want) || fmt.Sprint(passes) != fmt.Sprint(c.passes) {
				t.Errorf("got  %q, passes %v\nwant %q, passes %v", got, passes, c.want, c.passes)
			}
		})
	}
}

// quoteOverAnchors is TestUpdateTreeDifferentialParsedWhole's quote-over
// text: a quote left open in a channel runs to the next quote, over the
// next channel's key.
const quoteOverAnchors = "asyncapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\nchannels:\n  a:\n    address: a\n    x-note: 'abc\n  b:\n    address: '#/b'\n" +
	"components:\n  schemas:\n    base: &base\n      type: object\n    other:\n      <<: *base\n      description: x\n" +
	"    third:\n      type: string\n  messages:\n    m:\n      payload: *base\n    n:\n      name: n\n"

// TestUpdateTreeBrokenAfterBlockScalar: the cold parse of a broken text
// parsed whole blanks its broken regions, and a block scalar right
// before one runs on over its blanked lines (as content when they are
// indented deeper than it, as line breaks it keeps with `|+`): a region
// whose first entry is broken right after a block scalar is declined.
func TestUpdateTreeBrokenAfterBlockScalar(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		s         step
		want      string
	}{
		{"all of the region broken, after a literal", "l: |\n  literal\nm: >-\n  folded\n  text\nn: &a x\n",
			step{at: "m: >-", skip: 5, ins: "]"}, `declined: the region does not parse, in a text parsed whole: its first entry broken right after a block scalar`},
		{"its first entry broken, after a kept literal", "a:\n  b: |+\n    text\n\n  c: 1\nz: &x 1\ny: *x\nw: [\n",
			step{at: "c: 1", skip: 3, del: 1, ins: "[\n  d: 1"}, `declined: the region does not parse, in a text parsed whole: its first entry broken right after a block scalar`},
		{"its second entry broken, after a kept literal", "a:\n  b: |+\n    text\n\n  c: 1\nz: &x 1\ny: *x\nw: [\n",
			step{at: "c: 1", skip: 4, ins: "\n  d: ["}, `depth 2 "  c: 1\n"`},
		{"all of the region broken, after a folded scalar", "l: >\n  folded\nm: >-\n  folded\n  text\nn: &a x\n",
			step{at: "m: >-", skip: 5, ins: "]"}, `declined: the region does not parse, in a text parsed whole: its first entry broken right after a block scalar`},
		{"all of the region broken, after a mapping that ends in a literal", "a:\n  b:\n    c: |+\n      text\n\n  d: 1\nz: &x 1\ny: *x\n",
			step{at: "d: 1", skip: 3, ins: "["}, `declined: the region does not parse, in a text parsed whole: its first entry broken right after a block scalar`},
		{"all of the region broken, after a plain scalar", "l: x\nm: >-\n  folded\n  text\nn: &a x\n",
			step{at: "m: >-", skip: 5, ins: "]"}, `depth 1 "m: >-\n  folded\n  text\n"`},
		// In a larger text the enclosing region, which holds the block
		// scalar, is re-parsed instead (its blanked lines run into the
		// scalar there as in the cold parse).
		{"its first entry broken, after a kept literal, the enclosing region re-parsed", "a:\n  b: |+\n    text\n\n  c: 1\nz: &x 1\ny: *x\n" + pad(200),
			step{at: "c: 1", skip: 3, del: 1, ins: "[\n  d: 1"}, `depth 1 "a:\n  b: |+\n    text\n\n  c: 1\n"`},
		{"all of the region broken, after a mapping that ends in a literal, the enclosing region re-parsed", "a:\n  b:\n    c: |+\n      text\n\n  d: 1\nz: &x 1\ny: *x\n" + pad(200),
			step{at: "d: 1", skip: 3, ins: "["}, `depth 1 "a:\n  b:\n    c: |+\n      text\n\n  d: 1\n"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, _ := session(t, c.doc, []step{c.s}); got[0] != c.want {
				t.Errorf("got  %s\nwant %s", got[0], c.want)
			}
		})
	}
}

// pad is root entries of about n bytes.
func pad(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "p%d:\n  t: some text %d\n", i, i)
	}
	return b.String()
}

// TestUpdateTreeLocatedCarried: the pass's broken regions, carried by the
// updates of a valid text (its verdict known), keep their places: moved
// by an edit before them, kept by one right after them.
func TestUpdateTreeLocatedCarried(t *testing.T) {
	t.Run("moved by an edit before", func(t *testing.T) {
		// The pass finds the open quote's entry broken; an error typed
		// in it is a region update, after 30 bytes typed above it.
		text := []byte(quoteOverAnchors)
		tree := syntax.ParseTree(text)
		if got, n, _, _ := update(t, text, tree, nil, step{at: "type: string", ins: "["}); got != `declined: the region does not parse` || n != 1 {
			t.Fatalf("an error typed below the open quote: got %s, %d passes; want it declined, one pass", got, n)
		}
		_, _, text1, u := update(t, text, tree, nil, step{at: "title: t", skip: 7, ins: strings.Repeat("x", 30)})
		if u == nil {
			t.Fatal("a keystroke in the title declined")
		}
		got, n, _, _ := update(t, text1, u.Tree, u.Shifts, step{at: "x-note: 'abc", skip: 8, ins: "{"})
		if want := `depth 2 "  a:\n    address: a\n    x-note: 'abc\n  b:\n    address: '#/b'\n"`; got != want || n != 0 {
			t.Errorf("an error typed into the open quote's entry: got %s, %d passes; want %s, no pass", got, n, want)
		}
	})
	t.Run("a doubt", func(t *testing.T) {
		// A line separator in a fragment after the first one's anchors:
		// the text is parsed whole for the anchors, the pass doubts, and
		// so does the pass carried by a keystroke.
		text := []byte(anchoredDoc + pad(syntax.RegionChunk) + "s: 'a\u2028b'\n")
		tree := syntax.ParseTree(text)
		if got, n, _, _ := update(t, text, tree, nil, step{at: "g: 5", skip: 3, ins: "["}); got != `declined: the region does not parse` || n != 1 {
			t.Fatalf("an error typed into d: got %s, %d passes; want it declined, one pass", got, n)
		}
		_, _, text1, u := update(t, text, tree, nil, step{at: "h: 6", skip: 3, ins: "7"})
		if u == nil {
			t.Fatal("a keystroke in h declined")
		}
		if got, n, _, _ := update(t, text1, u.Tree, u.Shifts, step{at: "g: 5", skip: 3, ins: "["}); got != `declined: the region does not parse` || n != 0 {
			t.Errorf("an error typed into d after it: got %s, %d passes; want it declined, no pass", got, n)
		}
	})
	t.Run("a keystroke parsed as the whole parse reads it", func(t *testing.T) {
		// q's value has a quoted string over its keys: the pass finds
		// it broken. A keystroke on q's key line re-parses q's entry as
		// the whole parse reads it (regionParser.whole): its verdict is
		// not known, and the next error runs the pass again.
		text := []byte(anchoredDoc + "q:\n  b: 'x\n  c: y'\nz: 1\n")
		tree := syntax.ParseTree(text)
		if got, n, _, _ := update(t, text, tree, nil, step{at: "g: 5", skip: 3, ins: "["}); got != `declined: the region does not parse` || n != 1 {
			t.Fatalf("an error typed into d: got %s, %d passes; want it declined, one pass", got, n)
		}
		_, _, text1, u := update(t, text, tree, nil, step{at: "q:", skip: 1, ins: "q"})
		if u == nil {
			t.Fatal("a keystroke on q's key line declined")
		}
		if got, n, _, _ := update(t, text1, u.Tree, u.Shifts, step{at: "g: 5", skip: 3, ins: "["}); got != `declined: the region does not parse` || n != 1 {
			t.Errorf("an error typed into d after it: got %s, %d passes; want it declined, one pass", got, n)
		}
	})
	t.Run("kept by an edit right after", func(t *testing.T) {
		// Session 12's quoted string over a less indented line: its
		// broken regions end where z's entry starts.
		text := []byte(anchoredDoc + "q:\n  r:\n    - 'a\n  '\nz: 1\n")
		tree := syntax.ParseTree(text)
		if got, n, _, _ := update(t, text, tree, nil, step{at: "g: 5", skip: 3, ins: "["}); got != `declined: the region does not parse` || n != 1 {
			t.Fatalf("an error typed into d: got %s, %d passes; want it declined, one pass", got, n)
		}
		_, _, text1, u := update(t, text, tree, nil, step{at: "z: 1", skip: 3, ins: "2"})
		if u == nil {
			t.Fatal("a keystroke in z declined")
		}
		if got, n, _, _ := update(t, text1, u.Tree, u.Shifts, step{at: "z: 21", skip: 3, ins: "["}); got != `declined: the region does not parse` || n != 0 {
			t.Errorf("an error typed into z: got %s, %d passes; want it declined, no pass", got, n)
		}
	})
}

// TestLocateAhead: the pass run ahead of any error (Tree.Locate, as the
// server does while the editor is idle) is the one the first error would
// have run: typing valid text carries it, and the error typed after is a
// region update that runs no pass.
func TestLocateAhead(t *testing.T) {
	text := []byte(anchoredDoc)
	tree := syntax.ParseTree(text)
	if !tree.LocatePending() {
		t.Fatal("a valid text parsed whole for its anchors: no pass pending")
	}
	if n := syntax.LocatePasses(tree.Locate); n != 1 || tree.LocatePending() {
		t.Fatalf("Locate ran %d passes, pending after: %v; want 1, false", n, tree.LocatePending())
	}
	if n := syntax.LocatePasses(tree.Locate); n != 0 {
		t.Fatalf("Locate again ran %d passes; want none", n)
	}
	got, n, next, u := update(t, text, tree, nil, step{at: "h: 6", skip: 4, ins: "7"})
	if u == nil || n != 0 || u.Tree.LocatePending() {
		t.Fatalf("a valid keystroke after the pass: %s, %d passes; want a region update carrying the pass", got, n)
	}
	if got, n, _, _ := update(t, next, u.Tree, u.Shifts, step{at: "g: 5", skip: 3, ins: "["}); got != `depth 2 "  g: 5\n"` || n != 0 {
		t.Errorf("the first error after the pass ran ahead: %s, %d passes; want depth 2 \"  g: 5\\n\", none", got, n)
	}
	if plain := syntax.ParseTree([]byte("a: 1\nb: 2\n")); plain.LocatePending() {
		t.Error("a text parsed region by region has a pass pending")
	}
}

// TestLocateStopped: a pass stopped (Tree.StopLocate, the server's for a
// superseded tree) is not done: no update carries it, and an error typed
// into its tree declines (a whole parse) rather than trust it; the next
// tree runs its own pass on its first error.
func TestLocateStopped(t *testing.T) {
	text := []byte(anchoredDoc)
	tree := syntax.ParseTree(text)
	tree.StopLocate()
	if n := syntax.LocatePasses(tree.Locate); n != 1 || !tree.LocatePending() {
		t.Fatalf("a stopped pass: %d passes, pending %v; want 1 begun, still pending", n, tree.LocatePending())
	}
	if got, _, _, _ := update(t, text, tree, nil, step{at: "g: 5", skip: 3, ins: "["}); got != `declined: the region does not parse` {
		t.Errorf("an error typed into the stopped pass's tree: %s; want it declined", got)
	}
	got, n, next, u := update(t, text, tree, nil, step{at: "h: 6", skip: 4, ins: "7"})
	if u == nil || n != 0 || !u.Tree.LocatePending() {
		t.Fatalf("a valid keystroke after a stopped pass: %s, %d passes, pending %v; want a region update with its own pass pending", got, n, u != nil && u.Tree.LocatePending())
	}
	if got, n, _, _ := update(t, next, u.Tree, u.Shifts, step{at: "g: 5", skip: 3, ins: "["}); got != `depth 2 "  g: 5\n"` || n != 1 {
		t.Errorf("the first error in the next tree: %s, %d passes; want depth 2 \"  g: 5\\n\", 1", got, n)
	}
	if (*syntax.Tree)(nil).StopLocate(); syntax.ParseTree([]byte("a: 1\n")).LocatePending() {
		t.Error("a text parsed region by region has a pass pending")
	}
	// A pass stopped before it runs parses no fragment: its allocations
	// are its line table's, not the thousands of a pass over 100 KB.
	big := []byte(anchoredDoc + pad(100<<10))
	mallocs := func(f func()) uint64 {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		f()
		runtime.ReadMemStats(&m1)
		return m1.Mallocs - m0.Mallocs
	}
	stopped, run := syntax.ParseTree(big), syntax.ParseTree(big)
	stopped.StopLocate()
	if s, r := mallocs(stopped.Locate), mallocs(run.Locate); s > 100 || r < 1000 {
		t.Errorf("allocations of a pass over 100 KB: %d stopped before it ran, %d run; want under 100 and over 1,000", s, r)
	}
}

// TestLocatePassKeepsNoPairs: the region-wise pass wants only the broken
// regions, so its parse holds none of the pairs it builds (holding them
// kept a tree of the whole text live to the pass's end: under the
// server's memory limit the collector then ran back to back through a
// pass over 5 MB), in runs of entries, large entries split, and entries
// parsed one by one around a broken one.
func TestLocatePassKeepsNoPairs(t *testing.T) {
	for name, text := range map[string]string{
		"anchored":            anchoredDoc + pad(20<<10),
		"a large entry":       "a: &x 1\nb:\n  " + strings.TrimSuffix(strings.ReplaceAll(pad(20<<10), "\n", "\n  "), "  ") + "c: *x\n",
		"around a broken one": anchoredDoc + "e: [\n" + pad(10<<10),
	} {
		if n, ok := syntax.LocatePassPairs([]byte(text)); !ok || n != 0 {
			t.Errorf("%s: the pass holds %d pairs at its end (went through: %v); want 0", name, n, ok)
		}
	}
}

// TestQuoteOverKeysBrokenInAnyRun: in a broken text parsed whole (an
// anchor and its alias), a quoted string that goes on over a line at its
// keys' column is a broken region of the cold parse, as the region-wise
// parse reads those lines as keys: whether its entry is parsed in a run
// with the anchor and the alias that the error entry below ends (all of
// a small text), or in a run that a large entry after it ends (a run
// that parses, with fewer entries than lines at the keys' column).
func TestQuoteOverKeysBrokenInAnyRun(t *testing.T) {
	const head = "a: &x 1\nb: 'q\nc: 2'\nd: *x\n"
	var b strings.Builder
	b.WriteString("p:\n")
	for i := 0; b.Len() <= syntax.RegionChunk; i++ {
		fmt.Fprintf(&b, "  x%d: some text %d\n", i, i)
	}
	large := b.String()
	for name, doc := range map[string]string{
		"a small text":         head + "e: [\n",
		"before a large entry": head + large + "e: [\n",
	} {
		tree := syntax.ParseTree([]byte(doc))
		var msgs []string
		for _, d := range tree.Diagnostics {
			msgs = append(msgs, fmt.Sprintf("%d %s", d.Range.Start, d.Message))
		}
		if len(msgs) != 2 || !strings.HasPrefix(msgs[0], "11 syntax error: this quoted string is never closed") ||
			!strings.Contains(msgs[1], "this [ is never closed") {
			t.Errorf("%s: %d diagnostics %.300q; want the quote at 11 never closed, and the '['", name, len(msgs), msgs)
		}
	}
}
