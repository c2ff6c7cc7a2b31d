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
// reading, as an updated tree keeps it, with a cold parse's: unknown (0)
// or the same ("" when they agree).
func diffFailRead(want, got *syntax.Tree) string {
	if g := syntax.FailRead(got); g != 0 && g != syntax.FailRead(want) {
		return fmt.Sprintf("FailRead: want %d (or 0), got %d", syntax.FailRead(want), g)
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
// broken region, it may change what the whole parse does: a whole parse
// of the new text says that it still fails (and where), before the
// region is re-parsed.
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
			for _, c := range []struct {
				at, wholeParses int
			}{{f - 1, 1}, {f, 0}, {f + 1, 0}} {
				var got string
				var u *syntax.TreeUpdate
				var cold *syntax.Tree
				n := syntax.WholeChecks(func() { got, u, cold = updateAgainstCold(t, doc, syntax.Edit{Start: c.at, End: c.at, Text: "w"}) })
				if u == nil || n != c.wholeParses {
					t.Errorf("an edit at %d (the failure read %d): got %s after %d whole parses, want a region update after %d", c.at, f, got, n, c.wholeParses)
				}
				if u != nil && (syntax.FailRead(u.Tree) != syntax.FailRead(cold) || syntax.FailRead(cold) < f) {
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
		{name: "a second broken line below (all of its region: the enclosing one)", at: "k5: ", skip: 4, ins: "[", want: `depth 1 "k4:\n`},
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
