package syntax_test

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// TestCompactBrokenCold: a broken compact JSON text keeps every member but
// the broken one, and reports one diagnostic where the user types.
func TestCompactBrokenCold(t *testing.T) {
	for _, c := range []struct{ src, at, msg, tree string }{
		{`{"a":1,"b":"x"y":2,"c":3}`, `"x`, "never closed", `{a:1 b:! y:2 c:3}`},
		{`{"a":1,"b":{"c":1,"d":"x,"e":2},"f":3}`, `"x`, "never closed", `{a:1 b:{c:1 d:! e:2} f:3}`},
		{`{"a":1,"b":{"c":1,"d":"str""e":2},"f":3}`, `""e`, "missing ','", `{a:1 b:{c:1 d:str e:2} f:3}`},
		{`{"a":1,"b":{"c":1,"d""e":2},"f":3}`, `"d"`, "expected ':'", `{a:1 b:{c:1 e:2} f:3}`},
		{`{"a":1,"b":{"c":1,"d":"e":2},"f":3}`, `:"e`, "value must follow", `{a:1 b:{c:1 d:! e:2} f:3}`},
		{`{"a":1,"b":{"c":1,""e":2},"f":3}`, `""e`, "never closed", `{a:1 b:{c:1 e:2} f:3}`},
		{`{"a":1,"b":{"c":1,"d":1"e":2},"f":3}`, `1"e`, "missing ','", `{a:1 b:{c:1 d:1 e:2} f:3}`},
		{`{"a":1,"b":"x}`, `"x`, "never closed", `{a:1 b:!}`},
		// a quote typed before a string value: the typed string is the one
		// never closed, its closer the value's opening quote (session 14:
		// the diagnostic was at the value's last quote, "never closed")
		{`{"a":1,"b":"x"value","c":3}`, `"x"value`, "the \" that seems to close it opens the text after it", `{a:1 b:! c:3}`},
		{`{"a":1,"b":{"c":"x"http://h/p?q=1","d":2},"e":3}`, `"x"http`, "never closed", `{a:1 b:{c:! d:2} e:3}`},
		// (not when a separator comes before the next quote: a word typed
		// after the value)
		{`{"a":1,"b":"x"value,"c":3}`, `value,"c`, "invalid character 'v' after object key:value pair", `{a:1 b:! c:3}`},
		{`{"a":1,"b":[1,2,{"x":"y}],"c":3}`, `"y`, "never closed", `{a:1 b:[1 2 {x:!}] c:3}`},
		{`{"a":1,"b":{"c":[1,2,3},"d":4}`, `[1`, "[ is never closed", `{a:1 b:{c:!} d:4}`},
		{`{"a":[1,,2],"b":2}`, `,2`, "a ',' with no item before it", `{a:[1 2] b:2}`},
		// a word typed before or after the last member's value: both
		// scans fail at it; the region is the member, with its ','
		{`{"a":1,"g":x"h"}`, `x"h`, "invalid character 'x' looking for beginning of value", `{a:1 g:x"h"}`},
		{`{"a":1,"g":"h"x}`, `x}`, "invalid character 'x' after object key:value pair", `{a:1 g:!}`},
		{`{"a":[{"x":"1,"y":2},3],"b":4}`, `"1`, "never closed", `{a:[{x:! y:2} 3] b:4}`},
		// a quote typed before a '{': the string takes in the '{', whose
		// '}' closes nothing (session 10; was "never closed" at `":2}`)
		{`{"a":1,"b":"x{"c":1,"d":2},"e":3}`, `"x{`, "takes in the { after it", `{a:1 b:! e:3}`},
		{`{"a":1,"b":"x[1,2],"e":3}`, `"x[`, "takes in the [ after it, so the ] that closes it closes nothing", `{a:1 b:! e:3}`},
		// (the container's last member: its '}' right after the region)
		{`{"a":{"p":1,"q":"x{"c":1}},"e":3}`, `"x{`, "takes in the {", `{a:{p:1 q:!} e:3}`},
		// (a '{' typed right after a string: no string takes it in)
		{`{"a":1,"b":"x"{"c":1},"e":3}`, `{"c`, "invalid character '{' after object key:value pair", `{a:1 b:! e:3}`},
	} {
		tr := syntax.ParseTree([]byte(c.src))
		if len(tr.Diagnostics) != 1 {
			t.Errorf("%s: %d diagnostics %v, want 1", c.src, len(tr.Diagnostics), tr.Diagnostics)
			continue
		}
		d := tr.Diagnostics[0]
		if want := strings.Index(c.src, c.at); c.at != "" && d.Range.Start != want {
			t.Errorf("%s: diagnostic at %d (%q), want %d", c.src, d.Range.Start, c.src[d.Range.Start:], want)
		}
		if !strings.Contains(d.Message, c.msg) {
			t.Errorf("%s: %q, want %q", c.src, d.Message, c.msg)
		}
		if got := dumpNode(tr.Root()); got != c.tree {
			t.Errorf("%s: tree %s, want %s", c.src, got, c.tree)
		}
	}
}

func dumpNode(n *syntax.Node) string {
	if n == nil {
		return "<nil>"
	}
	switch n.Kind {
	case syntax.MappingNode:
		var parts []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			parts = append(parts, n.Content[i].Value+":"+dumpNode(n.Content[i+1]))
		}
		return "{" + strings.Join(parts, " ") + "}"
	case syntax.SequenceNode:
		var parts []string
		for _, c := range n.Content {
			parts = append(parts, dumpNode(c))
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	if n.Broken() {
		return "!"
	}
	return n.Value
}

// TestUpdateTreeCompactBrokenTyping types members, values and keys char by
// char (without and with auto-closed quotes) at several places of minified
// documents, and checks every keystroke's tree against a cold parse: a
// keystroke that leaves the text broken is member-level too (the share is
// asserted), and so is the one that makes it valid again.
func TestUpdateTreeCompactBrokenTyping(t *testing.T) {
	t.Parallel()
	docs := compactDocs(t)
	docs["gen2"] = compactJSON(t, docgen.Generate(docgen.Options{Units: 2, Seed: 8}))
	snippets := []string{`"description": "Typed in lspbench é日🙂",`, `"x-new":{"a":[1,{"b":"c"}]},`, `"k":tru`, `"k" "v",`}
	total, taken := 0, 0
	reasons := map[string]int{}
	corpus := 0
	for _, name := range sortedNames(docs) {
		if strings.HasPrefix(name, "corpus/") {
			if corpus++; corpus%8 != 1 {
				continue // a sample of the corpus keeps the test short
			}
		}
		doc := docs[name]
		var places []int
		for _, anchor := range []string{`"type":"string",`, `"title":`, `"info":{`, `"description":"`} {
			if k := bytes.Index(doc, []byte(anchor)); k >= 0 {
				places = append(places, k+len(anchor))
			}
		}
		for _, at := range places {
			for _, sn := range snippets {
				for _, auto := range []bool{false, true} {
					n, k := typeComparingCold(t, name, doc, typingMember(sn, at, auto), reasons)
					total, taken = total+n, taken+k
				}
			}
		}
	}
	t.Logf("%d keystrokes, %d member-level; declined %v", total, taken, reasons)
	if float64(taken) < 0.9*float64(total) {
		t.Errorf("only %d of %d keystrokes were member-level (want 90%%)", taken, total)
	}
}

// TestCompactBrokenColdSeveral: two errors far apart (a member left broken
// while another is typed), and a '{' typed without its '}' that the rest
// of the text reads as closed: each error is confined to its own member,
// one diagnostic at the place the rules say, every other member kept.
func TestCompactBrokenColdSeveral(t *testing.T) {
	for _, c := range []struct {
		src  string
		at   []string // where each diagnostic starts (the first match of each)
		msg  []string
		tree string
	}{
		{`{"a":{"x":"1" "y":"2"},"b":{"p":1,"q":2},"c":{"u":"3" "v":"4"}}`, []string{`" "y`, `" "v`},
			[]string{"missing ','", "missing ','"}, `{a:{x:1 y:2} b:{p:1 q:2} c:{u:3 v:4}}`},
		{`{"a":{"x":"1,"y":"2"},"b":{"p":1,"q":2},"c":{"u":"3,"v":"4"}}`, []string{`"1,`, `"3,`},
			[]string{"never closed", "never closed"}, `{a:{x:! y:2} b:{p:1 q:2} c:{u:! v:4}}`},
		{`{"a":{"x":[1,2,"y":"2"},"b":{"p":1,"q":2},"c":{"u":"3,"v":"4"}}`, []string{`[1`, `"3,`},
			[]string{"[ is never closed", "never closed"}, `{a:{x:! y:2} b:{p:1 q:2} c:{u:! v:4}}`},
		{`{"a":{"x":"1","y":"2","z":"3},"b":{"p":1,"q":2},"c":{"u":"3","v":"4"},"d":{"u":"3" "v":"4"}}`, []string{`"3}`, `" "v`},
			[]string{"never closed", "missing ','"}, `{a:{x:1 y:2 z:!} b:{p:1 q:2} c:{u:3 v:4} d:{u:3 v:4}}`},
		// Several regions in one container and in its members: each
		// region's members in their places.
		{`{"a":{"x":"1" "y":"2","p":1,"u":"3" "v":"4","b":{"c":"5" "d":"6","e":7,"f":"8" "g":"9"},"q":2,"s":"5" "t":"6"}}`,
			[]string{`" "y`, `" "v`, `" "d`, `" "g`, `" "t`},
			[]string{"missing ','", "missing ','", "missing ','", "missing ','", "missing ','"},
			`{a:{x:1 y:2 p:1 u:3 v:4 b:{c:5 d:6 e:7 f:8 g:9} q:2 s:5 t:6}}`},
		{`{"a":{"x":"1,"p":1,"u":"3,"q":2},"b":[1,"s"x,2,"t"y,3]}`, []string{`"1,`, `"3,`, `x,2`, `y,3`},
			[]string{"never closed", "never closed", "invalid character 'x' after array element", "invalid character 'y' after array element"}, `{a:{x:! p:1 u:! q:2} b:[1 2 3]}`},
		// A '{' typed without auto-close: the root's own '}' is the last
		// one, so the bracket is never closed, and the members after it
		// stay the root's.
		{`{"a":{"x":"1","y":"2"},"b":{"p":1,"q":2,"c":{"u":"3","v":"4"}}`, []string{`{"p`},
			[]string{"{ is never closed"}, `{a:{x:1 y:2} b:! p:1 q:2 c:{u:3 v:4}}`},
	} {
		tr := syntax.ParseTree([]byte(c.src))
		if len(tr.Diagnostics) != len(c.at) {
			t.Errorf("%s: %d diagnostics %v, want %d", c.src, len(tr.Diagnostics), tr.Diagnostics, len(c.at))
			continue
		}
		for i, d := range tr.Diagnostics {
			if want := strings.Index(c.src, c.at[i]); d.Range.Start != want {
				t.Errorf("%s: diagnostic %d at %d (%q), want %d", c.src, i, d.Range.Start, c.src[d.Range.Start:], want)
			}
			if !strings.Contains(d.Message, c.msg[i]) {
				t.Errorf("%s: %q, want %q", c.src, d.Message, c.msg[i])
			}
		}
		if got := dumpNode(tr.Root()); got != c.tree {
			t.Errorf("%s: tree %s, want %s", c.src, got, c.tree)
		}
	}
}

// TestUpdateTreeCompactSeveral: a member left broken while another is
// typed char by char (without and with auto-close), before and after it:
// every keystroke equals a cold parse (which confines each error to its
// own member), and most are taken member-level (updateSeveral: the regions
// found again by scans, the run holding the changed ones re-parsed; the
// share is asserted).
func TestUpdateTreeCompactSeveral(t *testing.T) {
	t.Parallel()
	doc := compactJSON(t, docgen.Generate(docgen.Options{Units: 2, Seed: 8}))
	mid := len(doc) / 2
	brokenAt := mid + bytes.Index(doc[mid:], []byte(`"type":"string"`)) + len(`"type":"string"`)
	total, taken := 0, 0
	reasons := map[string]int{}
	for _, left := range []string{`,"r":"unclosed`, `,"r":{`, `,"r" 1`} {
		base := syntax.Edit{Start: brokenAt, End: brokenAt, Text: left}.Apply(doc)
		if len(syntax.ParseTree(base).Diagnostics) == 0 {
			t.Fatalf("%s: not broken", left)
		}
		for _, at := range []int{bytes.Index(base, []byte(`"info":{`)) + len(`"info":{`), brokenAt + len(left) + bytes.Index(base[brokenAt+len(left):], []byte(`"type":"string",`)) + len(`"type":"string",`)} {
			for _, sn := range []string{`"description": "Typed é日🙂",`, `"k":tru`, `"z":[1,{"w":2}],`} {
				for _, auto := range []bool{false, true} {
					n, k := typeComparingCold(t, "left "+left, base, typingMember(sn, at, auto), reasons)
					total, taken = total+n, taken+k
				}
			}
		}
	}
	t.Logf("%d keystrokes, %d member-level; declined %v", total, taken, reasons)
	if taken != total {
		t.Errorf("only %d of %d keystrokes were member-level (want all): declined %v", taken, total, reasons)
	}
}

// typeComparingCold applies edits one by one from text, each through
// UpdateTree from the previous tree, and compares every result with a cold
// parse (a decline must be an allowed fallback; it is counted in reasons).
// It returns how many edits there were and how many were taken.
func typeComparingCold(t *testing.T, name string, text []byte, edits []syntax.Edit, reasons map[string]int) (total, taken int) {
	t.Helper()
	tree, shifts := syntax.ParseTree(text), (*syntax.ShiftLog)(nil)
	for _, e := range edits {
		next := e.Apply(text)
		want := syntax.ParseTree(next)
		u, reason := syntax.UpdateTree(text, tree, shifts, e, next)
		total++
		if u == nil {
			if !edittest.AllowedFallback(reason) {
				t.Fatalf("%s: declined for a reason not allowed: %q\nedit %+v, new text around it: %s", name, reason, e, next[max(0, e.Start-150):min(len(next), e.Start+150)])
			}
			reasons[reason]++
			t.Logf("%s: declined (%s): edit %+v, new text around it: %s", name, reason, e, next[max(0, e.Start-80):min(len(next), e.Start+80)])
			tree, shifts = want, nil
		} else {
			taken++
			abs := func(n *syntax.Node) syntax.Range { return n.Range() }
			if s := edittest.DiffTrees(want, abs, u.Tree, u.Shifts.R); s != "" {
				t.Fatalf("%s: differs from a cold parse after %+v: %s\nprevious:\n%s\nnew:\n%s", name, e, s, text, next)
			}
			tree, shifts = u.Tree, u.Shifts
		}
		text = next
	}
	return total, taken
}

// TestCompactBrokenRegions: texts with two or three errors, each case
// read by hand against the rules (jsoncompactbroken.go): which stretch of
// text each error is confined to (the member the forward reader failed in,
// up to where it reads a member again: a string left open swallows up to
// its first ','; a bracket never closed, the member that holds it; the
// last member's region takes the ',' before it), the one diagnostic of
// each (exact range and message), and the members kept. Errors in
// adjacent members make one region with one diagnostic.
func TestCompactBrokenRegions(t *testing.T) {
	type diag struct{ at, span, msg string } // span starts at the first match of at
	for _, c := range []struct {
		src     string
		regions []string // each region's text, in order, each after the previous (after "context|")
		diags   []diag
		tree    string
	}{
		// two strings left open, the first at the first member
		{`{"a":"x,"b":1,"c":"y,"d":2}`, []string{`"a":"x,`, `"c":"y,`},
			[]diag{{`"x,`, `"x`, "quoted string is never closed"}, {`"y,`, `"y`, "quoted string is never closed"}},
			`{a:! b:1 c:! d:2}`},
		// a string left open in the last member: its region takes the ',' before it
		{`{"a":1,"b":"x,"c":2,"d":"y}`, []string{`"b":"x,`, `,"d":"y`},
			[]diag{{`"x,`, `"x`, "never closed"}, {`"y}`, `"y`, "never closed"}},
			`{a:1 b:! c:2 d:!}`},
		// a missing ',' at the first and at the last member: the members parse alone
		{`{"a":1 "b":2,"c":3,"d":4 "e":5}`, []string{`"a":1 `, `"d":4 `},
			[]diag{{`1 "b`, `1`, "missing ',' after this value (the next member follows)"}, {`4 "e`, `4`, "missing ','"}},
			`{a:1 b:2 c:3 d:4 e:5}`},
		// a key without ':' at the first and the last member: no node for either
		{`{"a" 1,"b":2,"c" 3}`, []string{`"a" 1,`, `,"c" 3`},
			[]diag{{`"a"`, `"a"`, "could not find expected ':' after this key"}, {`"c"`, `"c"`, "expected ':'"}},
			`{b:2}`},
		// a '[' and a '{' never closed: the member holding each; what
		// follows the '{' reads as the root's members
		{`{"a":[1,2,"b":3,"c":{"x":1,"d":4}`, []string{`"a":[1,2,`, `"c":{`},
			[]diag{{`[1`, `[`, "[ is never closed"}, {`{"x`, `{`, "{ is never closed"}},
			`{a:! b:3 c:! x:1 d:4}`},
		// three errors of three kinds
		{`{"a":"x,"b":1,"c" 3,"d":4,"e":5 "f":6}`, []string{`"a":"x,`, `"c" 3,`, `"e":5 `},
			[]diag{{`"x,`, `"x`, "never closed"}, {`"c"`, `"c"`, "expected ':'"}, {`5 "f`, `5`, "missing ','"}},
			`{a:! b:1 d:4 e:5 f:6}`},
		// nested: in an array and in an object, one level down
		{`{"a":[1,"x,2],"b":{"p":"y,"q":1},"c":3}`, []string{`"x,`, `"p":"y,`},
			[]diag{{`"x,2`, `"x`, "never closed"}, {`"y,`, `"y`, "never closed"}},
			`{a:[1 2] b:{p:! q:1} c:3}`},
		// two levels down
		{`{"a":{"b":{"c":"x,"d":1},"e":[1,"y,2]},"f":3}`, []string{`"c":"x,`, `"y,`},
			[]diag{{`"x,`, `"x`, "never closed"}, {`"y,`, `"y`, "never closed"}},
			`{a:{b:{c:! d:1} e:[1 2]} f:3}`},
		// missing ',' between items, and in an object inside an array
		{`{"a":[1 2,3],"b":[4,5 6],"c":7}`, []string{`1 `, `5 `},
			[]diag{{`1 2`, `1`, "missing ',' after this value (the next item follows)"}, {`5 6`, `5`, "next item follows"}},
			`{a:[1 2 3] b:[4 5 6] c:7}`},
		{`{"a":[1,2,{"x":1 "y":2},4],"b":[5 6]}`, []string{`"x":1 `, `5 `},
			[]diag{{`1 "y`, `1`, "next member follows"}, {`5 6`, `5`, "next item follows"}},
			`{a:[1 2 {x:1 y:2} 4] b:[5 6]}`},
		// one line with blanks after ',' and ':' (as many serializers
		// write it): a region runs to the next member's first byte
		{`{"a": "x, "b": 1, "c": "y, "d": 2}`, []string{`"a": "x, `, `"c": "y, `},
			[]diag{{`"x,`, `"x`, "never closed"}, {`"y,`, `"y`, "never closed"}},
			`{a:! b:1 c:! d:2}`},
		{`{"a": 1 "b": 2, "c": 3, "d" 4, "e": 5}`, []string{`"a": 1 `, `"d" 4, `},
			[]diag{{`1 "b`, `1`, "missing ','"}, {`"d"`, `"d"`, "expected ':'"}},
			`{a:1 b:2 c:3 e:5}`},
		{`{"a": [1, "x, 2], "b": {"p" 1, "q": 1}, "c": 3}`, []string{`"x, `, `"p" 1, `},
			[]diag{{`"x,`, `"x`, "never closed"}, {`"p"`, `"p"`, "expected ':'"}},
			`{a:[1 2] b:{q:1} c:3}`},
		// the last member of a nested object: its ',' goes with it
		{`{"a": {"x": 1, "y" 2}, "b": 1, "c": [3 4]}`, []string{`, "y" 2`, `3 `},
			[]diag{{`"y"`, `"y"`, "expected ':'"}, {`3 4`, `3`, "next item follows"}},
			`{a:{x:1} b:1 c:[3 4]}`},
		// a string left open in a container's last item or member swallows
		// its closing bracket: the region is that item (with the ',' before
		// it), up to the bracket
		{`{"a": [1, "x], "b": 2, "c": "y, "d": 3}`, []string{`, "x`, `"c": "y, `},
			[]diag{{`"x]`, `"x`, "never closed"}, {`"y,`, `"y`, "never closed"}},
			`{a:[1] b:2 c:! d:3}`},
		{`{"a":[1,"x],"b":2 "c":3}`, []string{`,"x`, `"b":2 `},
			[]diag{{`"x]`, `"x`, "never closed"}, {`2 "c`, `2`, "missing ','"}},
			`{a:[1] b:2 c:3}`},
		{`{"a": {"p": 1, "q": "x}, "b": 2, "c" 3}`, []string{`, "q": "x`, `, "c" 3`},
			[]diag{{`"x}`, `"x`, "never closed"}, {`"c"`, `"c"`, "expected ':'"}},
			`{a:{p:1 q:!} b:2}`},
		// a ']' inside the string left open is not where the array ends
		// (the root does not read on after it): the region runs to the
		// first ',' from which an item reads
		{`{"a":[1,"x] z,2],"b":2 "c":3}`, []string{`"x] z,`, `"b":2 `},
			[]diag{{`"x]`, `"x]`, "never closed"}, {`2 "c`, `2`, "missing ','"}},
			`{a:[1 2] b:2 c:3}`},
		// an array never closed that the next member is read into, which
		// has an error of its own: two regions, the member up to the one
		// read into the array and that member (session 12, splitRegion:
		// one region, the diagnostic at the string); not when the array
		// closes later (a ':' in it, one region)
		{`{"a":0,"b":[1,2,"c":"x,"d":1,"e":2}`, []string{`"b":[1,2,`, `"c":"x,`},
			[]diag{{`[1,2`, `[`, "this [ is never closed"}, {`"x,`, `"x`, "never closed"}},
			`{a:0 b:! c:! d:1 e:2}`},
		{`{"a":0,"b":{"p":[1,2,"c":"x,"d":1},"e":2}`, []string{`"p":[1,2,`, `"c":"x,`},
			[]diag{{`[1,2`, `[`, "this [ is never closed"}, {`"x,`, `"x`, "never closed"}},
			`{a:0 b:{p:! c:! d:1} e:2}`},
		// (session 14: the '[' never closed and the quote typed, each
		// where it was typed, regionErrors; session 13: one, at `":1]`)
		{`{"a":0,"b":[1,2,"c":"x,"d":1]"e":2}`, []string{`"b":[1,2,"c":"x,"d":1]`},
			[]diag{{`[1,2`, `[`, "this [ is never closed"}, {`"x,`, `"x,"`, "never closed"}},
			`{a:0 b:! e:2}`},
		// (session 14: and at the quote typed, regionErrors, which then
		// stops: the region's own diagnostic is kept)
		{`{"a":0,"b":[1,2,"c":"x,"d":1],"e":2}`, []string{`"c":"x,"d":`},
			[]diag{{`"x,`, `"x,"`, "never closed"}, {`":1]`, `":`, "never closed"}},
			`{a:0 b:[1 2 1] e:2}`},
		// an error at a member's first byte, and a ':' without its value
		// in the last member; a value where an object's first member
		// should be has its diagnostic at the object's '{', typed before
		// it (session 12; was "a member must start with its key" at the 4)
		{`{"a":{4},"b":1,"c":}`, []string{`4`, `,"c":`},
			[]diag{{`{4}`, `{`, `this { is followed by a value, not a member`}, {`:}`, `:`, "a value must follow this ':'"}},
			`{a:{} b:1 c:!}`},
		{`{"a":{"p":1,4},"b":1,"c":}`, []string{`,4`, `,"c":`},
			[]diag{{`4}`, `4`, `a member must start with its "key" in double quotes`}, {`:}`, `:`, "a value must follow this ':'"}},
			`{a:{p:1} b:1 c:!}`},
		// (blanks between the '{' and its first member, spaced JSON)
		{`{"a": { "v", "w": 1}, "b": 2}`, []string{`"v", `},
			[]diag{{`{ "v"`, `{`, `this { is followed by a value, not a member`}},
			`{a:{w:1} b:2}`},
		{`{"a": {"p": 1, "v", "w": 1}, "b": 2}`, []string{`"v", `},
			[]diag{{`"v", "w"`, `"v"`, "could not find expected ':' after this key"}},
			`{a:{p:1 w:1} b:2}`},
		{`{"a":{"v","w":1},"b":[1,{"v"}],"c":{"p":1,"v","w":1}}`, []string{`"v",`, `"v"`, `"v",`},
			[]diag{{`{"v","w"`, `{`, `this { is followed by a value, not a member`}, {`{"v"}`, `{`, `this { is followed by a value, not a member`},
				{`"v","w":1}}`, `"v"`, "could not find expected ':' after this key"}},
			`{a:{w:1} b:[1 {}] c:{p:1 w:1}}`},
		// a ',' too many: that ',' alone, every item and member kept (the
		// resync used to start past it and swallow the next member)
		{`{"a":[1,,2,3],"b":"x,"c":3}`, []string{`1,|,`, `"b":"x,`},
			[]diag{{`,2`, `,`, "a ',' with no item before it"}, {`"x,`, `"x`, "never closed"}},
			`{a:[1 2 3] b:! c:3}`},
		{`{"a":1,,"b":2,"c":"x,"d":3}`, []string{`1,|,`, `"c":"x,`},
			[]diag{{`,"b`, `,`, "a ',' with no member before it"}, {`"x,`, `"x`, "never closed"}},
			`{a:1 b:2 c:! d:3}`},
		{`{"a":{"p":1,},"b":"x,"c":3}`, []string{`,`, `"b":"x,`},
			[]diag{{`,}`, `,`, "a ',' with no member after it"}, {`"x,`, `"x`, "never closed"}},
			`{a:{p:1} b:! c:3}`},
		// two ',' too many, the first before items that are arrays and
		// objects: each ',' alone (a reading past the first one misread
		// the items after it as the array's end and a member)
		{`{"a":[1,,[2],{"d":"e"}],"b":2,,"c":3}`, []string{`1,|,`, `2,|,`},
			[]diag{{`,[2`, `,`, "a ',' with no item before it"}, {`,"c"`, `,`, "a ',' with no member before it"}},
			`{a:[1 [2] {d:e}] b:2 c:3}`},
		{`{"c":[1,,[2,3],{"d":"e"}],"f":1,"h":{,}}`, []string{`1,|,`, `{|,`},
			[]diag{{`,[2`, `,`, "a ',' with no item before it"}, {`,}`, `,`, "a ',' with no member before it"}},
			`{c:[1 [2 3] {d:e}] f:1 h:{}}`},
		// a word typed before an empty array, in an array: the item up to
		// the next one (the empty array's ']' is not where the array ends:
		// the root reads no member after it)
		{`{"a":[true,x[],[1]],"b":"x,"c":1}`, []string{`x[],`, `"b":"x,`},
			[]diag{{`x[`, `x`, "invalid character 'x' looking for beginning of value"}, {`"x,`, `"x`, "never closed"}},
			`{a:[true [1]] b:! c:1}`},
		// `"z":[1,{` typed into a key without auto-close, while a string
		// is left open before it: the '[' and '{' are never closed, and
		// the text after the '{' (the key's old ':' and value) closes the
		// container as its own. The backward scan reads that '{' as the
		// container's opener, and the ',' after the value's first member
		// reads on only by closing the container a bracket early: the
		// errors are confined by reading on after the '{' instead (its
		// content is the container's members), one region per error.
		{`{"s":{"o":{"t":"oa,"r":"u2"},"p"z":[1,{"er":{"d":"x","f":{}}},"x":1}`, []string{`"t":"oa,`, `"p"z":[1,{`},
			[]diag{{`"oa,`, `"oa`, "never closed"}, {`"p"z`, `"p"`, "expected ':'"}},
			`{s:{o:{t:! r:u2} er:{d:x f:{}}} x:1}`},
		{`{"s":{"o":{"t":"oa,"r":{2"},"p"z":[1,{"er":{"d":"x","f":{}}},"x":1}`, []string{`"t":"oa,"r":{2"`, `"p"z":[1,{`},
			// (session 14: at the quote typed, regionErrors; session 13:
			// "invalid character 'r' after object key:value pair" at `r`)
			[]diag{{`"oa,`, `"oa,"`, "never closed"}, {`"p"z`, `"p"`, "expected ':'"}},
			`{s:{o:{t:!} er:{d:x f:{}}} x:1}`},
		// the plain reading first: a '{' inside a string left open is not
		// a place to read on after (the reading that makes it one, which
		// would keep "b", is tried only when the plain one confines nothing;
		// the region's diagnostic is where its own reading fails, inside out;
		// session 15: at the quote typed before the '{', which takes in the
		// object after it, when that reading explains the whole region)
		{`{"a":"x{"b":1,"c":2,"d" 3}`, []string{`"a":"x{"b":1,`, `,"d" 3`},
			[]diag{{`"x{`, `"x`, "it takes in the value after it"}, {`"d"`, `"d"`, "expected ':'"}},
			`{a:! c:2}`},
		// the openers reading before the merged one: where both confine
		// the errors, the openers reading's regions, each error its own,
		// not one region that takes in the earlier ones (random bytes)
		{`{"a":{,"b":"x","c":[{"k":"v"},{"k":["}],"d":{},"e":[[1],2,[3]]],"f":-1.5e3}`,
			[]string{`,"b":"x","c":[{`, `{"k":["}],`, `"e":[[1],2,[3]]],`},
			// (session 15: and the string the region does not close, at its
			// quote, regionErrors)
			[]diag{{`,"b"`, `,`, `a member must start with its "key"`}, {`{"k":["`, `{`, `a member must start with its "key"`}, {`"}]`, `"}]`, "never closed"}, {`],"f"`, `]`, "closes nothing"}},
			`{a:{k:v} d:{} e:! f:-1.5e3}`},
		// (in an array: a '[' typed before an item, its content the
		// array's items)
		{`{"s":[{"t":"oa,"r":"u2"},x[[5,[6,7]]],"x":1}`, []string{`"t":"oa,`, `x[`},
			[]diag{{`"oa,`, `"oa`, "never closed"}, {`[[5`, `[`, "[ is never closed"}},
			`{s:[{t:! r:u2} [5 [6 7]]] x:1}`},
		// readFurthest (session 10): where the first place that reads on
		// reads the text after it a level off, the place whose scan reads
		// furthest. A '{' typed before a string value (the object's next
		// members read as its own), with a ':' deleted after it
		// (session 13: a '{' followed by a value, not a member, has "{ is
		// followed by a value" where it had "{ is never closed", at the same place)
		{`{"a":{"b":[{"c":{"d"},{"e":"f","g":{"h":"i"}}],"j""k"},"l":{"m":{"n":"o","p":["q","r"]}},"s":"t"}`, []string{`"c":{"d"`, `,"j""k"`},
			[]diag{{`{"d"`, `{`, "{ is followed by a value, not a member"}, {`"j""k"`, `"j"`, "expected ':'"}},
			`{a:{b:[{c:!} {e:f g:{h:i}}]} l:{m:{n:o p:[q r]}} s:t}`},
		// a key's ':' deleted before an object: the region runs over it
		{`{"a":{"b":[{"c":{"d"},{"e":"f","g":{"h":"i"}}],"j":"k"},"l":{"m"{"n":"o","p":["q","r"]}},"s":"t"}`, []string{`"c":{"d"`, `"m"{"n":"o","p":["q","r"]}`},
			[]diag{{`{"d"`, `{`, "{ is followed by a value, not a member"}, {`"m"{`, `"m"`, "expected ':'"}},
			`{a:{b:[{c:!} {e:f g:{h:i}}] j:k} l:{} s:t}`},
		// a '[' typed before a string value, its object's next member kept
		{`{"a":{"b":[{"c":"d"},{"e":["f","g":{"h":"i"}}],"j":"k"},"l":{"m":{"n":"o","p":["q","r"]}},"s""t"}`, []string{`"e":["f",`, `,"s""t"`},
			[]diag{{`["f"`, `[`, "[ is never closed"}, {`"s""t"`, `"s"`, "expected ':'"}},
			`{a:{b:[{c:d} {e:! g:{h:i}}] j:k} l:{m:{n:o p:[q r]}}}`},
		{`{"a":{"b":[{"c":["d"},{"e":"f","g":{"h":"i"}}],"j":"k"},"l":{"m":{"n":"o","p":["q","r"]}},"s":{"t"}`, []string{`"c":["d"`, `,"s":{"t"`},
			[]diag{{`["d"`, `[`, "[ is never closed"}, {`{"t"`, `{`, "{ is followed by a value, not a member"}},
			`{a:{b:[{c:!} {e:f g:{h:i}}] j:k} l:{m:{n:o p:[q r]}} s:!}`},
		// a quote typed before a '{' (`"x{"` is a string): the '}' that
		// closed it closes nothing; the region runs over it, the
		// diagnostic at the quote. Three levels down, where the plain
		// reading confines nothing
		{`{"c":{"f":{"cc":{"a":"x{"r":"R","e":"E"},"t":"u"}},"s":["e"]},"o":{"p":"q"},"x":[{"y":"z,"w":1}]}`, []string{`"a":"x{"r":"R","e":"E"},`, `"y":"z,`},
			[]diag{{`"x{`, `"x{`, "this quoted string takes in the { after it, so the } that closes it closes nothing"}, {`"z,`, `"z`, "never closed"}},
			`{c:{f:{cc:{a:! t:u}} s:[e]} o:{p:q} x:[{y:! w:1}]}`},
		// (one level down, where the plain reading confines the errors in
		// three regions, one at the '}' too many: readFurthest's two in
		// less text are taken)
		{`{"a":{"p":"x{"c":1},"q":2},"e":3,"f":{"g":"y,"h":4}}`, []string{`"p":"x{"c":1},`, `"g":"y,`},
			[]diag{{`"x{`, `"x{`, "takes in the {"}, {`"y,`, `"y`, "never closed"}},
			`{a:{p:! q:2} e:3 f:{g:! h:4}}`},
		// in an array
		{`{"a":[1,"x{"c":1},2],"b":{"d":"y,"e":5}}`, []string{`"x{"c":1},`, `"d":"y,`},
			[]diag{{`"x{`, `"x{`, "takes in the {"}, {`"y,`, `"y`, "never closed"}},
			`{a:[1 2] b:{d:! e:5}}`},
		// a ',' before the root's '}': that ',' alone, as one before any
		// other container's closing bracket (session 10; was parsed whole)
		{`{"a":1,"b":{"c":2},}`, []string{`}|,`},
			[]diag{{`,}`, `,`, "a ',' with no member after it"}},
			`{a:1 b:{c:2}}`},
		{`{"a": 1, "b": 2, }`, []string{`2|, `},
			[]diag{{`, }`, `,`, "a ',' with no member after it"}},
			`{a:1 b:2}`},
		{`{"a":1,"b":{"c":2},"d":"y,"e":1,}`, []string{`"d":"y,`, `1|,`},
			[]diag{{`"y,`, `"y`, "never closed"}, {`,}`, `,`, "a ',' with no member after it"}},
			`{a:1 b:{c:2} d:! e:1}`},
		// adjacent errors: one region, the diagnostic at the first quote
		// typed (session 13: where a JSON reader fails, `b`: "x," is a
		// closed string to it; the reading stops at the second: what
		// follows it reads no further)
		{`{"a":"x,"b":"y,"c":3}`, []string{`"a":"x,"b":"y,`},
			[]diag{{`"x,`, `"x,"`, "never closed"}},
			`{a:! c:3}`},
		// (one diagnostic per key: the region's members read with the
		// ':' put in, regionErrors; session 13: the first key's only)
		{`{"a" 1,"b" 2,"c":3}`, []string{`"a" 1,"b" 2,`},
			[]diag{{`"a"`, `"a"`, "expected ':'"}, {`"b"`, `"b"`, "expected ':'"}},
			`{c:3}`},
		// several errors of the kinds users type, in one region: one
		// diagnostic each, where it was typed
		{`{"a":{"p":{"v","q""w","r":["x","s":"y"z"},"b":2}`, []string{`"p":{"v","q""w","r":["x","s":"y"z"`},
			[]diag{{`{"v"`, `{`, "this { is followed by a value"}, {`"q"`, `"q"`, "expected ':'"}, {`["x"`, `[`, "this [ is never closed"}, {`"y"z"`, `"y"`, "the \" that seems to close it opens the text after it"}},
			`{a:{p:!} b:2}`},
	} {
		text := []byte(c.src)
		rs := syntax.CompactRegions(text)
		var got, want []string
		for _, r := range rs {
			got = append(got, c.src[r.Start:r.End])
		}
		for _, r := range c.regions {
			want = append(want, r[strings.Index(r, "|")+1:])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: regions %q, want %q", c.src, got, want)
		}
		for i, from := 0, 0; i < len(rs) && i < len(c.regions); i++ {
			ctx := c.regions[i][:strings.Index(c.regions[i], "|")+1]
			if want := from + strings.Index(c.src[from:], strings.Replace(c.regions[i], "|", "", 1)) + max(len(ctx)-1, 0); rs[i].Start != want {
				t.Errorf("%s: region %d at %d, want %d", c.src, i, rs[i].Start, want)
			}
			from = rs[i].End
		}
		tr := syntax.ParseTree(text)
		if len(tr.Diagnostics) != len(c.diags) {
			t.Errorf("%s: %d diagnostics %v, want %d", c.src, len(tr.Diagnostics), tr.Diagnostics, len(c.diags))
		} else {
			for i, d := range tr.Diagnostics {
				w := c.diags[i]
				start := strings.Index(c.src, w.at)
				if d.Range.Start != start || d.Range.End != start+len(w.span) {
					t.Errorf("%s: diagnostic %d at %d-%d %q, want %d-%d %q", c.src, i, d.Range.Start, d.Range.End, c.src[d.Range.Start:d.Range.End], start, start+len(w.span), w.span)
				}
				if !strings.Contains(d.Message, w.msg) {
					t.Errorf("%s: diagnostic %d %q, want %q", c.src, i, d.Message, w.msg)
				}
			}
		}
		if got := dumpNode(tr.Root()); got != c.tree {
			t.Errorf("%s: tree %s, want %s", c.src, got, c.tree)
		}
	}
}

// TestCompactBrokenReadings: where a ',' too many is not the only error of
// its stretch, the two readings (the ',' alone, or resyncs that run past
// it) can differ, and the one that runs past it is kept only when it makes
// more regions in no more text (coldCompactRegions). With errors users
// make (a ',' added, a quote, ':' or ',' removed) the readings agree; these
// texts have brackets typed in odd places, where neither reading is plainly
// right: they pin the rule, region by region.
func TestCompactBrokenReadings(t *testing.T) {
	for _, c := range []struct {
		src         string
		stray, past []string // each reading's regions
		pastWins    bool
	}{
		// more regions (3 to 2) in less text (11 bytes to 14)
		{`{"a":[[1,,3]],"b":{,null],,"c":0}`, []string{`,`, `"b":{,null],,`}, []string{`,,3]`, `"b":{,`, `,`}, true},
		// more regions (3 to 2) in as much text (11 bytes)
		{`{"a":[[2,]],"b":"],"[}`, []string{`,`, `,"b":"],"[`}, []string{`,]`, `,"b":"`, `,"[`}, true},
		// as many regions in as much text (7 bytes): the ',' alone
		{`{"a":[1,[2,]],"b":],"c":3}`, []string{`,`, `"b":],`}, []string{`,]`, `,"b":`}, false},
	} {
		text := []byte(c.src)
		stray, past := syntax.CompactReadings(text)
		texts := func(rs []syntax.Range) (out []string) {
			for _, r := range rs {
				out = append(out, c.src[r.Start:r.End])
			}
			return out
		}
		if got := texts(stray); !slices.Equal(got, c.stray) {
			t.Errorf("%s: the ',' alone reads %q, want %q", c.src, got, c.stray)
		}
		if got := texts(past); !slices.Equal(got, c.past) {
			t.Errorf("%s: the reading past the ',' reads %q, want %q", c.src, got, c.past)
		}
		want := c.stray
		if c.pastWins {
			want = c.past
		}
		if got := texts(syntax.CompactRegions(text)); !slices.Equal(got, want) {
			t.Errorf("%s: regions %q, want %q", c.src, got, want)
		}
	}
}

// TestCompactBrokenRegionsBound: up to 16 errors, or one per KiB of a
// larger text, are confined each to its own member (maxCompactRegions);
// past the bound the rest of the errors, from the last region's first one
// to the backward scan's, make the last region (one diagnostic, every
// member before and after it kept; the text used to be parsed whole,
// which confines nothing). The texts are padded to a size (a long string
// member before the last one): 100 errors in 100 KiB are confined each to
// its own, not in a byte less; 101 are not.
func TestCompactBrokenRegionsBound(t *testing.T) {
	build := func(n, size int) []byte {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, `"m%d":%d,"e%d":"x,`, i, i, i)
		}
		if pad := size - b.Len() - len(`"p":"",`) - len(`"z":0}`); size > 0 {
			if pad < 0 {
				t.Fatalf("%d errors do not fit in %d bytes", n, size)
			}
			b.WriteString(`"p":"` + strings.Repeat("p", pad) + `",`)
		}
		b.WriteString(`"z":0}`)
		if size > 0 && b.Len() != size {
			t.Fatalf("%d bytes, want %d", b.Len(), size)
		}
		return []byte(b.String())
	}
	for _, c := range []struct {
		n, size int
		regions int // the bound, or n
	}{
		{15, 0, 15}, {16, 0, 16}, {17, 0, 16},
		{17, 17 << 10, 17}, {18, 17 << 10, 17},
		{100, 100 << 10, 100}, {100, 100<<10 - 1, 99}, {101, 100 << 10, 100},
	} {
		text := build(c.n, c.size)
		rs, diags := syntax.CompactRegions(text), syntax.ParseTree(text).Diagnostics
		if len(rs) != c.regions || len(diags) != c.regions {
			t.Errorf("%d errors in %d bytes: %d regions, %d diagnostics, want %d each", c.n, len(text), len(rs), len(diags), c.regions)
			continue
		}
		var tree []string // each error entry in its place among the members
		for i, r := range rs {
			want := fmt.Sprintf(`"e%d":"x,`, i)
			for k := i + 1; i == c.regions-1 && k < c.n; k++ {
				want += fmt.Sprintf(`"m%d":%d,"e%d":"x,`, k, k, k) // (the last region: the rest)
			}
			if got := string(text[r.Start:r.End]); got != want {
				t.Errorf("%d errors: region %d %q, want %q", c.n, i, got, want)
			}
			tree = append(tree, fmt.Sprintf("m%d:%d e%d:!", i, i, i))
		}
		if c.size > 0 {
			tree = append(tree, "p:"+strings.Repeat("p", c.size-len(`{"p":"",`)-len(`"z":0}`)-len(text[1:rs[len(rs)-1].End])))
		}
		if got, want := dumpNode(syntax.ParseTree(text).Root()), "{"+strings.Join(append(tree, "z:0"), " ")+"}"; got != want {
			t.Errorf("%d errors in %d bytes: tree %.200s, want %.200s", c.n, len(text), got, want)
		}
	}
}

// TestCompactBrokenResyncBound: after an error the forward scan tries at
// most 256 separators (',' and closing brackets) to read on
// (maxResyncTries): a string left open swallowing the ',' of its own value
// and n more, the member after them is the 256th try when n is 255. Past
// it, the stretch from the error to the backward scan's is one region.
func TestCompactBrokenResyncBound(t *testing.T) {
	for _, n := range []int{255, 256} {
		src := `{"m":1,"a":"x,` + strings.Repeat("1,", n) + `"b":2,"c":"y,"d":3}`
		rs := syntax.CompactRegions([]byte(src))
		if n > 255 {
			if len(rs) != 1 || src[rs[0].Start:rs[0].End] != src[len(`{"m":1,`):strings.Index(src, `"d"`)] {
				t.Errorf("n=%d: regions %v, want one from \"a\" to \"d\"", n, rs)
			}
			if got := dumpNode(syntax.ParseTree([]byte(src)).Root()); got != `{m:1 a:! d:3}` {
				t.Errorf("n=%d: tree %s", n, got)
			}
			continue
		}
		var got []string
		for _, r := range rs {
			got = append(got, src[r.Start:r.End])
		}
		if want := []string{`"a":"x,` + strings.Repeat("1,", n), `"c":"y,`}; !slices.Equal(got, want) {
			t.Errorf("n=%d: regions %q, want %q", n, got, want)
		}
		if got := dumpNode(syntax.ParseTree([]byte(src)).Root()); got != `{m:1 a:! b:2 c:! d:3}` {
			t.Errorf("n=%d: tree %s", n, got)
		}
	}
}

// TestUpdateTreeCompactSeveralEdits: edits of texts with two broken
// members, insertions, deletions and replacements, before, between and
// after the errors, one that makes a third error and ones that fix one.
// Each equals a cold parse and re-parses the smallest run of members (or
// items) that holds the edit and every region that is not the previous
// text's own (updateSeveral): fresh lists the scalars (keys and values,
// "!" for a broken value) of the new tree that are not the previous
// tree's nodes. An edit that is not inside the root object is left to the
// whole parse.
func TestUpdateTreeCompactSeveralEdits(t *testing.T) {
	// a string left open in "a", a missing ',' in "c"
	const doc = `{"a":{"x":"1,"y":2},"b":{"p":1,"q":[1,2,3]},"c":{"t":0,"u":3 "v":4},"d":"end"}`
	// strings left open in "b" and in the last member, whose region
	// takes the ',' before it
	const doc2 = `{"a":{"p":1,"q":[1,2,3]},"b":"x,"c":2,"d":"y}`
	// a string left open in an array's item, another in "b"
	const doc3 = `{"a":[1,"x,2,3],"b":{"p":"y,"q":1},"c":3}`
	at := func(doc, s string) int {
		i := strings.Index(doc, s)
		if i < 0 {
			t.Fatalf("%q not in the document", s)
		}
		return i
	}
	ins := func(doc, before, s string) syntax.Edit {
		i := at(doc, before)
		return syntax.Edit{Start: i, End: i, Text: s}
	}
	del := func(doc, s string) syntax.Edit {
		i := at(doc, s)
		return syntax.Edit{Start: i, End: i + len(s)}
	}
	const outside = "compact JSON: several errors: the edit is not inside the root object"
	for _, c := range []struct {
		name, doc string
		edit      syntax.Edit
		fresh     string // or the reason it is declined
	}{
		{"an item typed after an array's last", doc, ins(doc, `]},"c"`, ",4"), "3 4"},
		{"an item deleted with its ','", doc, del(doc, `2,`), "3"},
		{"a number replaced by a longer one", doc, syntax.Edit{Start: at(doc, `1,"q"`), End: at(doc, `1,"q"`) + 1, Text: "100"}, "p 100"},
		{"a third error: a ',' replaced by a blank", doc, syntax.Edit{Start: at(doc, `,3]`), End: at(doc, `,3]`) + 1, Text: " "}, "2 3"},
		{"a value replaced by members, one lacking its ','", doc, syntax.Edit{Start: at(doc, `1,"q"`), End: at(doc, `1,"q"`) + 1, Text: `1,"w":1 "z":2`}, "p 1 w 1 z 2"},
		// (the deleted ',', between "t" and "u", makes the run both members)
		{"the member before a broken one deleted", doc, del(doc, `"t":0,`), "u 3"},
		{"the missing ',' typed", doc, ins(doc, ` "v"`, ","), "u 3"},
		{"the value of the member right after a region replaced", doc, syntax.Edit{Start: at(doc, `2},"b"`), End: at(doc, `2},"b"`) + 1, Text: "22"}, "y 22"},
		{"the string closed", doc, ins(doc, `,"y"`, `"`), "x 1"},
		{"typed inside the string left open", doc, ins(doc, `,"y"`, "z"), "x !"},
		{"a broken member deleted with the ',' before it", doc, syntax.Edit{Start: at(doc, `,"c"`), End: at(doc, `,"d"`)}, "b p 1 q 1 2 3"},
		{"a blank before the root's '{'", doc, syntax.Edit{Start: 0, End: 0, Text: " "}, outside},
		{"a blank before the root's '}'", doc, syntax.Edit{Start: len(doc) - 1, End: len(doc) - 1, Text: " "}, outside},
		{"a blank after the root's '}'", doc, syntax.Edit{Start: len(doc), End: len(doc), Text: " "}, outside},
		{"before a last member's region: an item typed", doc2, ins(doc2, `]},"b"`, ",4"), "3 4"},
		{"before a last member's region: an item deleted", doc2, del(doc2, `2,`), "3"},
		// the kept region's ',' is the separator after the run "c" (its
		// blanked run must end without a ',': no member follows it)
		{"a member typed where a last member's region starts", doc2, ins(doc2, `,"d"`, `,"e":1`), "compact JSON: no run of members holds the changed regions"},
		// a region that ends where the edit starts is the previous text's
		// own: only the item after it is re-parsed
		{"the item right after an item's region deleted with its ','", doc3, del(doc3, `2,`), "3"},
		// a ',' typed after a region makes it a region of more text, which
		// starts before the run: the run takes the member before it
		{"a ',' typed right after a broken member", doc, ins(doc, `"y"`, ","), "x ! y 2"},
		// a ',' at an object's start is a region of its own: the run is
		// the object's first member, the ',' lies before it
		{"a ',' typed before an object's first member", doc, ins(doc, `"t"`, ","), "t 0"},
	} {
		t.Run(c.name, func(t *testing.T) { checkFresh(t, c.doc, 2, c.edit, c.fresh) })
	}
}

// TestUpdateTreeCompactBrokenEdits: edits of texts with one broken
// member, at its ends: each equals a cold parse and re-parses (fresh, as in
// TestUpdateTreeCompactSeveralEdits) the member edited alone when the
// broken region stays as it was (an edit of the value before a region that
// starts with its ','), else the run that holds the edit and the region.
func TestUpdateTreeCompactBrokenEdits(t *testing.T) {
	ins := func(doc, before, s string) syntax.Edit {
		i := strings.Index(doc, before)
		if i < 0 {
			t.Fatalf("%q not in the document", before)
		}
		return syntax.Edit{Start: i, End: i, Text: s}
	}
	// a key without its ':' as the last member: the region starts with
	// the ',' before it
	const lastKey = `{"a": {"x": 1, "y" 2}, "b": 1, "c": [3, 4]}`
	// a missing ',' inside an object in an array
	const comma = `{"a":[1,2,{"x":1 "y":2},4],"b":[5,6]}`
	// a string left open
	const open = `{"a":1,"b":"x,"c":2,"d":3}`
	for _, c := range []struct {
		name, doc string
		edit      syntax.Edit
		fresh     string
	}{
		{"the value before a region's ',' changed", lastKey, ins(lastKey, `, "y"`, "1"), "x 11"},
		{"a member typed before a region's ','", lastKey, ins(lastKey, `, "y"`, `,"k":1`), "x 1 k 1"},
		{"the missing ',' typed at the region's end", comma, ins(comma, `"y"`, ","), "x 1 y 2"},
		{"the string closed", open, ins(open, `,"c"`, `"`), "b x"},
	} {
		t.Run(c.name, func(t *testing.T) { checkFresh(t, c.doc, 1, c.edit, c.fresh) })
	}
	// the last member deleted, its ',' left before the root's '}': that
	// ',' is confined (session 10; the text was parsed whole)
	const valid = `{"a":1,"b":2}`
	t.Run("the last member deleted, its comma left", func(t *testing.T) {
		checkFresh(t, valid, 0, syntax.Edit{Start: strings.Index(valid, `"b"`), End: len(valid) - 1}, "a 1")
	})
}

// checkFresh applies edit e to doc (which has diags diagnostics) through
// UpdateTree: fresh is the scalars the update re-parses (freshScalars; the
// update must equal a cold parse), or the reason it declines.
func checkFresh(t *testing.T, doc string, diags int, e syntax.Edit, fresh string) {
	t.Helper()
	text := []byte(doc)
	tree := syntax.ParseTree(text)
	if len(tree.Diagnostics) != diags {
		t.Fatalf("the document has %d diagnostics, want %d", len(tree.Diagnostics), diags)
	}
	next := e.Apply(text)
	u, reason := syntax.UpdateTree(text, tree, nil, e, next)
	if strings.HasPrefix(fresh, "compact JSON: ") {
		if u != nil || reason != fresh {
			t.Fatalf("taken %v (%q), want declined: %q", u != nil, reason, fresh)
		}
		return
	}
	if u == nil {
		t.Fatalf("declined: %q; new text %s", reason, next)
	}
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	if s := edittest.DiffTrees(syntax.ParseTree(next), abs, u.Tree, u.Shifts.R); s != "" {
		t.Fatalf("differs from a cold parse: %s\nnew text: %s", s, next)
	}
	if got := freshScalars(tree.Root(), u.Tree.Root()); got != fresh {
		t.Errorf("re-parsed %q, want %q; new text %s", got, fresh, next)
	}
}

// freshScalars lists the scalars under n that are not nodes under old, in
// order ("!" for a broken one).
func freshScalars(old, n *syntax.Node) string {
	seen := map[*syntax.Node]bool{}
	var mark func(*syntax.Node)
	mark = func(n *syntax.Node) {
		seen[n] = true
		for _, c := range n.Content {
			mark(c)
		}
	}
	mark(old)
	var out []string
	var walk func(*syntax.Node)
	walk = func(n *syntax.Node) {
		switch {
		case len(n.Content) > 0 || n.Kind == syntax.MappingNode || n.Kind == syntax.SequenceNode:
			for _, c := range n.Content {
				walk(c)
			}
		case seen[n]:
		case n.Broken():
			out = append(out, "!")
		default:
			out = append(out, n.Value)
		}
	}
	walk(n)
	return strings.Join(out, " ")
}

// TestUpdateTreeCompactSeveralCost: an update of a text with several
// errors re-parses a run of members up to half the text, as a region
// update of YAML does: the deepest run that holds the edit whatever its
// size (the least there is to parse), an enclosing one (when the deepest
// does not hold a changed region) only up to half the text, exactly half
// included; past that the update declines (the whole parse costs as much).
// Where the run lies in the text does not matter, only its size.
func TestUpdateTreeCompactSeveralCost(t *testing.T) {
	// errors: a string left open in "a", a missing ',' in "c"
	broken := `"a":{"x":"1,"y":2},"c":{"t":0,"u":3 "v":4}`
	const declined = "compact JSON: no run of members holds the changed regions"
	// A ',' typed after q's item 2 makes a third error, in the
	// separator after the item: the run is the member "q" (one step out).
	stray := func(doc string) syntax.Edit {
		i := strings.Index(doc, `2,3`) + 1
		return syntax.Edit{Start: i, End: i, Text: ","}
	}
	// "q" is exactly half of the previous text once it has the new ','.
	half := func() string {
		for pad := 0; pad < 400; pad++ {
			q := `"q":[1,2,3,"` + strings.Repeat("x", pad) + `"]`
			doc := `{` + broken + `,"d":"` + strings.Repeat("y", 100) + `","b":{"p":1,` + q + `}}`
			if len(q)+1 == len(doc)/2 {
				return doc
			}
		}
		t.Fatal("no padding makes q half the text")
		return ""
	}()
	pad := strings.Repeat("x", 150)
	for _, c := range []struct {
		name, doc string
		edit      func(doc string) syntax.Edit
		fresh     string // or the reason it is declined
	}{
		{"an enclosing run past the text's middle", `{` + broken + `,"d":"` + pad + `","b":{"p":1,"q":[1,2,3]}}`, stray, "q 1 2 3"},
		{"an enclosing run of exactly half the text", half, stray, "q 1 2 3 " + half[strings.Index(half, `3,"`)+3:strings.Index(half, `"]`)]},
		{"an enclosing run over half the text", `{` + broken + `,"b":{"p":1,"q":[1,2,3,"` + pad + `"]},"d":"end"}`, stray, declined},
		{"the deepest run over half the text", `{` + broken + `,"b":{"p":1,"q":[1,"` + pad + `",3]},"d":"end"}`,
			func(doc string) syntax.Edit {
				i := strings.Index(doc, "xxx")
				return syntax.Edit{Start: i, End: i + 1, Text: "y"}
			}, "y" + pad[1:]},
	} {
		t.Run(c.name, func(t *testing.T) { checkFresh(t, c.doc, 2, c.edit(c.doc), c.fresh) })
	}
}

// TestCompactRegionsManyErrors: a generated minified document with k
// errors at random members' values (a '[', a '{' or `[1,{` typed before
// the value without its closer, a quote left open, the ':' deleted), k
// from 1 to 40 (past the region bound of this 8 KB text, 16). A cold parse
// confines each text's errors to regions (in order, apart, inside the
// root's brackets, one diagnostic each, the members outside kept) in most
// of them: before session 9 it parsed a text whole when a bracket never
// closed took in an earlier region (now the region replaces it,
// readMerged), when no place after an error read on (now the stretch up
// to the backward scan's error is one region) and past the bound (now the
// rest is the last region); 449 of 1,000 texts were confined, then 735;
// session 10 (readFurthest: a resync takes the place, in any container
// from the innermost out, or past a '}' too many, whose scan reads
// furthest) 957; session 11 (readClosers: also after each closing
// bracket of the member, for a bracket never closed; and a region over a
// valid bracketed value wins although another reading failed in it) 985;
// session 12 (readCoarse: the place that reads furthest wins although its
// region holds another's failure, and a region whose member starts before
// the previous region runs past it) 999; session 13 (readCoarse's last
// region merged with the one before when they share only the ',' between
// them, mergeAtComma) 1,000.
// A keystroke into a broken text equals a cold parse
// (typeComparingCold).
func TestCompactRegionsManyErrors(t *testing.T) {
	t.Parallel()
	texts := manyErrorTexts(t)
	confined, total, typed := 0, 0, 0
	// (every 20th confined text is typed into in CI, every 60th by
	// default: the typing is most of the test's time)
	typeEvery := testenv.Count(60, 20)
	for _, k := range manyErrorCounts {
		n := 0
		for _, text := range texts[:100] {
			texts = texts[1:]
			total++
			rs := syntax.CompactRegionsDiagnosed(text)
			if rs == nil {
				continue
			}
			n++
			tr := syntax.ParseTree(text)
			// (a '{' never closed makes the members after it its parent's:
			// duplicate keys there have their own diagnostics)
			diags := slices.DeleteFunc(slices.Clone(tr.Diagnostics), func(d syntax.Diagnostic) bool { return strings.Contains(d.Message, "duplicate key") })
			var want []syntax.Diagnostic
			for _, x := range rs {
				want = append(want, x.Diags...)
			}
			slices.SortStableFunc(want, func(a, b syntax.Diagnostic) int {
				return cmp.Or(cmp.Compare(a.Range.Start, b.Range.Start), cmp.Compare(a.Range.End, b.Range.End), strings.Compare(a.Message, b.Message))
			})
			if !reflect.DeepEqual(diags, want) || len(rs) > max(16, len(text)>>10) {
				t.Fatalf("%d errors: %d regions, diagnostics %v, the regions' %v (the bound %d)\n%s", k, len(rs), diags, want, max(16, len(text)>>10), text)
			}
			prev := bytes.IndexByte(text, '{')
			for i, x := range rs {
				if x.Start <= prev || x.End < x.Start || x.End > bytes.LastIndexByte(text, '}') {
					t.Fatalf("%d errors: region %d %v after %d\n%s", k, i, x, prev, text)
				}
				// (one diagnostic per error the region's members tell apart,
				// regionErrors; each in the region, or at the bracket of
				// its container: a '{' followed by a value where the
				// object's first member should be, an array's '[' whose
				// second item is a key)
				if len(x.Diags) == 0 {
					t.Fatalf("%d errors: region %d %v has no diagnostic\n%s", k, i, x, text)
				}
				for _, d := range x.Diags {
					if (d.Range.Start < x.Start || d.Range.Start > x.End) && d.Range.Start != x.Open {
						t.Fatalf("%d errors: diagnostic %v outside its region %d %v\n%s", k, d, i, x, text)
					}
				}
				prev = x.End - 1
			}
			if n%typeEvery == 1 { // a member typed at the first region's start
				typed++
				typeComparingCold(t, fmt.Sprintf("%d errors", k), text, typingMember(`"k":[1,{"w":2}],`, rs[0].Range.Start, false), map[string]int{})
			}
		}
		confined += n
		t.Logf("%d errors: %d of 100 texts confined", k, n)
	}
	t.Logf("%d of %d texts confined, %d typed into", confined, total, typed)
	if confined < 1000 {
		t.Errorf("only %d of %d texts confined (want 1000)", confined, total)
	}
}

// TestUpdateTreeCompactFurthestTyping: typing a member, char by char
// (without and with auto-closed quotes), at each broken region's start and
// at each member's start of texts whose errors only readFurthest confines
// (a bracket never closed before a string, a ':' deleted before an object,
// a quote typed before a '{') or that were parsed whole before session 10
// (a ',' before the root's '}'): every keystroke equals a cold parse, and
// most are member-level (85 %; 45 % before session 10).
func TestUpdateTreeCompactFurthestTyping(t *testing.T) {
	total, taken := 0, 0
	reasons := map[string]int{}
	for _, src := range []string{
		`{"a":{"b":[{"c":{"d"},{"e":"f","g":{"h":"i"}}],"j""k"},"l":{"m":{"n":"o","p":["q","r"]}},"s":"t"}`,
		`{"a":{"b":[{"c":{"d"},{"e":"f","g":{"h":"i"}}],"j":"k"},"l":{"m"{"n":"o","p":["q","r"]}},"s":"t"}`,
		`{"a":{"b":[{"c":"d"},{"e":["f","g":{"h":"i"}}],"j":"k"},"l":{"m":{"n":"o","p":["q","r"]}},"s""t"}`,
		`{"c":{"f":{"cc":{"a":"x{"r":"R","e":"E"},"t":"u"}},"s":["e"]},"o":{"p":"q"},"x":[{"y":"z,"w":1}]}`,
		// (and a ',' before the root's '}', now confined)
		`{"a":{"b":[{"c":"d"},{"e":"f","g":{"h":"i"}}],"j":"k"},"l":{"m":{"n":"o","p":["q","r"]}},"s":"t",}`,
		`{"a":{"b":[{"c":"d"},{"e":"f","g":{"h":"i"}}],"j":"k"},"l":{"m":{"n":"o","p":"q,"r"]}},"s":"t",}`,
	} {
		text := []byte(src)
		var places []int
		for _, r := range syntax.CompactRegions(text) {
			places = append(places, r.Start)
		}
		for i := 1; i < len(src); i++ {
			if src[i] == '"' && (src[i-1] == ',' || src[i-1] == '{') {
				places = append(places, i)
			}
		}
		n0, k0 := total, taken
		autos := []bool{false, true}[:testenv.Count(1, 2)] // (auto-closed quotes in CI)
		for _, at := range places {
			for _, auto := range autos {
				n, k := typeComparingCold(t, src, text, typingMember(`"k":[1,{"w":2}],`, at, auto), reasons)
				total, taken = total+n, taken+k
			}
		}
		t.Logf("%s: %d of %d keystrokes member-level", src, taken-k0, total-n0)
	}
	// (In texts this small, the root's first member holds most of the
	// text: a keystroke that changes a region in another member is left
	// to the whole parse, which costs as much.)
	t.Logf("%d of %d keystrokes member-level; declined %v", taken, total, reasons)
	if float64(taken) < 0.85*float64(total) {
		t.Errorf("only %d of %d keystrokes member-level (want 85%%)", taken, total)
	}
}

// manyErrorCounts are the error counts of manyErrorTexts, 100 texts each.
var manyErrorCounts = []int{1, 2, 3, 5, 8, 12, 16, 20, 30, 40}

// manyErrorTexts returns TestCompactRegionsManyErrors' 1,000 texts: 100
// for each of manyErrorCounts, in that order.
func manyErrorTexts(tb testing.TB) [][]byte {
	texts, _ := manyErrorTextsTyped(tb)
	return texts
}

// TestCompactRegionsLeftovers: texts of TestCompactRegionsManyErrors that
// session 10 parsed whole, reduced to the errors that kept them whole
// (each given as the place after a key's ':' it is typed at, '|', and what
// is typed; "" deletes the ':'). A key without its ':' before an array,
// and a quote typed before a '[', each with a bracket never closed after
// it: the region over the member up to the bracket that balances it is
// taken although another reading failed inside that member, because the
// bracketed value there is valid JSON (valueAtError); each error has its
// own region and its diagnostic where it was typed. A `[1,{` typed before
// an object (two brackets never closed, the member's brackets balance
// only past its container's end): the member ends at a closing bracket
// after the error, the one whose resumed scan reads furthest
// (resyncClosers, readClosers); the texts are confined, though not every
// diagnostic is at the typed place (the three `[1,{` make four regions,
// one a '}' that "closes nothing"). A value where an object's first member
// should be has its diagnostic at that object's '{', the one typed
// (session 12: it was at the value, "a member must start with its key"),
// also when that '{' lies inside a region whose brackets do not balance
// (session 13: a `[1,{` read a level off had its diagnostic at the
// bracket never closed or closing nothing where the region's scan ended,
// the typed '[' or a bracket after it). And a text that readFurthest confines, two
// `[1,{` typed before strings: the places after closing brackets, weighed
// only in the last reading, would make three regions of it. Typing a
// member at each region's start equals a cold parse at every keystroke.
func TestCompactRegionsLeftovers(t *testing.T) {
	doc := compactJSON(t, docgen.Generate(docgen.Options{Units: 3, Seed: 8}))
	type brk struct{ at, typed string }
	type diag struct{ at, msg string } // the diagnostic starts at the one place of at
	for _, c := range []struct {
		name  string
		errs  []brk
		diags []diag // (nil: only the count of regions is checked)
		n     int
	}{
		{"a key without its ':' before an array", []brk{{`productDeleted"}],"security":|`, ""}, {`"scopes":|["users:write"]`, "["}}, []diag{
			{`"security"[{"$ref":"#/components/securitySchemes/bearerJwt"}`, "could not find expected ':' after this key"},
			{`[["users:write"]`, "this [ is never closed"},
		}, 2},
		{"a quote typed before a '['", []brk{{`userUpdated"}],"security":|`, `"x`}, {`"summary":|"Publishes the user update event"`, "["}}, []diag{
			{`"x[{"$ref"`, "this quoted string takes in the [ after it"},
			{`["Publishes the user update event"`, "this [ is never closed"},
		}, 2},
		{"a '{' before an array, then a member's object after [1,{", []brk{{`productDeleted"}],"security":|`, "{"}, {`"sendUserUpdated00001":|`, "[1,{"}}, []diag{
			{`{[{"$ref":"#/components/securitySchemes/bearerJwt"`, "this { is followed by a value, not a member"},
			// (at the typed `[1,{`'s '{', followed by the operation's object;
			// session 12: at the "messages" array after it, read a level off,
			// "never closed")
			{`{{"action":"send","channel":{"$ref":"#/channels/userUpdated00001"}`, "this { is followed by a value, not a member"},
		}, 2},
		{"two strings after [1,{ (readFurthest: the last reading's places would make three regions)", []brk{
			{`"servers":[{"$ref":|"#/servers/production"}`, "[1,{"}, {`"title":|"Product deleted"`, "[1,{"},
		}, []diag{
			// (session 13: "this { is never closed", at the same '{')
			{`{"#/servers/production"`, "this { is followed by a value, not a member"},
			{`{"Product deleted"`, "this { is followed by a value, not a member"},
		}, 2},
		{"three objects after [1,{", []brk{{`"name":"userUpdated","payload":|`, "[1,{"}, {`"status":|`, "[1,{"}, {`"scopes":|["partner:read"]`, "[1,{"}}, []diag{
			{`{{"properties":{"createdAt"`, `this { is followed by a value, not a member`},
			// (session 12: "this [ is never closed" at the '[')
			{`{{"description":"status of the user`, "this { is followed by a value, not a member"},
			{`}},"securitySchemes"`, "this } closes nothing"},
			// (session 12: "this { is never closed")
			{`{["partner:read"]`, "this { is followed by a value, not a member"},
		}, 4},
		// (session 12, readCoarse: a resync at an error after a region
		// read a level off starts in a member before that region; the
		// region then runs from that member past the regions it holds)
		{"a key without its ':' at the root's first member, errors inside it", []brk{
			{`"channels":|{"productDeleted00002"`, ""}, {`"messages":|{"userUpdated":{"$ref"`, `"x`},
			{`"products:write":|"Write products"`, "["}, {`"realtime":{"description":|`, "["},
		}, []diag{
			{`"channels"{"productDeleted00002"`, "could not find expected ':' after this key"},
			// (session 14: the quote typed in the first region has its
			// own diagnostic, regionErrors)
			{`"x{"userUpdated"`, "this quoted string is never closed: it takes in the value after it"},
			{`["Write products"`, "this [ is never closed"},
			{`["WebSocket stream`, "this [ is never closed"},
		}, 3},
		// (the region of the resync after the '{' before "oauth2" would
		// start in a member before the previous region ends: it runs from
		// that member past it, resyncAtPast)
		{"six errors, one region taking in an earlier one", []brk{
			{`"sessionDeleted00000":|{"contentType"`, `"x`}, {`"payload":{"properties":|{"createdAt"`, "["}, {`"openIdConnectUrl":|"https`, ""},
			{`"info":|{"contact"`, "{"}, {`"users:write"],"type":|"oauth2"}`, "{"}, {`"servers":{"events":|{"description"`, "[1,{"},
		}, nil, 3},
		// (session 13: the one text of TestCompactRegionsManyErrors left
		// whole, reduced, now one region: in readCoarse the last region, from the
		// "components" member (its '[' and '{' never closed, the '[' before
		// the last array) to the root's end, takes the ',' before it, which
		// ends the "channels" member's region: the two are one region,
		// mergeAtComma)
		{"the text left whole: a quote before the root's first member's '{', a quote before a string, [1,{ before an object, a '[' before the last array", []brk{
			{`"channels":|{"productDeleted00002"`, `"x`}, {`"$ref":|"#/servers/realtime"},{"$ref":"#/servers/events"}],"summary":"User updated`, `"x`},
			{`"components":|{"messages"`, "[1,{"}, {`"secure-mqtt","security":|[{"$ref"`, "["},
		}, []diag{
			// (one region over every member but the first, coarse; session
			// 13: its one diagnostic at a '}' after the second quote, none
			// of the four typed places; session 14: one at each, the
			// region's members read with each error undone, regionErrors)
			{`"x{"productDeleted00002"`, "this quoted string is never closed: it takes in the value after it"},
			{`"x"#/servers/realtime"`, "the \" that seems to close it opens the text after it"},
			{`{{"messages"`, "this { is followed by a value, not a member"},
			{`[[{"$ref":"#/components/securitySchemes/`, "this [ is never closed"},
		}, 1},
		{"two quotes left open, then a key without its ':'", []brk{
			{`"properties":{"createdAt":|`, `"x`}, {`"availableScopes":{"admin:audit":|`, `"x`}, {`"license":|{"name":"Apache`, ""},
		}, []diag{
			// (the stretch of both quotes is one region of the root's
			// "components" member; session 13: its one diagnostic at
			// neither quote; session 14: at each, regionErrors)
			{`"x{"format"`, "this quoted string is never closed: it takes in the value after it"},
			{`"x"Read the audit trail"`, "the \" that seems to close it opens the text after it"},
			{`"license"{"name"`, "could not find expected ':' after this key"},
		}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := bytes.Clone(doc)
			for i := len(c.errs) - 1; i >= 0; i-- { // from the end: the places before stay
				text = typeAtBar(t, text, c.errs[i].at, c.errs[i].typed)
			}
			rs := syntax.CompactRegions(text)
			if len(rs) != c.n {
				t.Fatalf("regions %v, want %d", rs, c.n)
			}
			// (a region read a level off makes a member its parent's: a
			// duplicate key there has its own diagnostic)
			ds := slices.DeleteFunc(syntax.ParseTree(text).Diagnostics, func(d syntax.Diagnostic) bool { return strings.Contains(d.Message, "duplicate key") })
			// (one diagnostic per region, or per error where the region's
			// members tell them apart: regionErrors)
			if c.diags != nil && len(ds) != len(c.diags) || len(ds) < c.n {
				for _, d := range ds {
					t.Logf("%q at %.40q", d.Message, text[d.Range.Start:])
				}
				t.Fatalf("%d diagnostics, want %d", len(ds), max(c.n, len(c.diags)))
			}
			for i, want := range c.diags {
				if bytes.Count(text, []byte(want.at)) != 1 {
					t.Fatalf("%s: not one place", want.at)
				}
				at := bytes.Index(text, []byte(want.at))
				if ds[i].Range.Start != at || !strings.Contains(ds[i].Message, want.msg) {
					t.Errorf("diagnostic %d: %q at %q, want %q at %q", i, ds[i].Message, text[ds[i].Range.Start:min(len(text), ds[i].Range.Start+20)], want.msg, want.at)
				}
			}
			for _, r := range rs {
				typeComparingCold(t, c.name, text, typingMember(`"k":[1,{"w":2}],`, r.Start, false), map[string]int{})
			}
		})
	}
}

// TestCompactBrokenSecondDocument: a root read without error that closes
// before the text's last '}' is followed by another document: its errors
// are not confined to regions (the reading that reads on after an opening
// bracket would take the second document's members as the root's), but
// the tree is the root's, parsed as a text of its own, with one diagnostic
// at the text that follows it, its first token up to 64 bytes (session 10 parsed the text whole, with
// YAML's error there and no tree). A root with an error of its own and text
// after it (session 12; parsed whole before): the root closes at the text's
// last '}' when the text ends with something else, else at the '}' before
// the object that ends the text, when that object reads back without error;
// the root's errors are confined as in any compact text, and the text after
// it has the same diagnostic. Typing a second document after the root, and a
// member into the root while one follows, equals a cold parse at every
// keystroke (each declines: a cold parse).
func TestCompactBrokenSecondDocument(t *testing.T) {
	for _, c := range []struct{ src, tree, after string }{
		{"{\"a\": 1}\n{\"x\": 1}\n", "{a:1}", `{"x":`},
		{`{"a":1}{"x":1}`, "{a:1}", `{"x":1}`},
		{`{"a":{"b":1}}{"x":1}`, "{a:{b:1}}", `{"x":1}`},
		{`{"a":1}` + "\n" + `{"x":"` + strings.Repeat("y", 100) + `"}`, "{a:1}", `{"x":"` + strings.Repeat("y", 58)},
		{`{"a":{"b":1},"c":[1,2]} x `, "{a:{b:1} c:[1 2]}", `x`},
		{`{"a":{"b":1},"c":[1,2]},`, "{a:{b:1} c:[1 2]}", `,`},
		{`{"a":1,"a":2}{}`, "{a:1 a:2}", `{}`}, // (and the root's own duplicate key)
	} {
		if rs := syntax.CompactRegions([]byte(c.src)); rs != nil {
			t.Errorf("%q: regions %v, want none", c.src, rs)
		}
		tr := syntax.ParseTree([]byte(c.src))
		if got := dumpNode(tr.Root()); got != c.tree {
			t.Errorf("%q: tree %s, want %s", c.src, got, c.tree)
		}
		d := tr.Diagnostics[len(tr.Diagnostics)-1]
		if got := c.src[d.Range.Start:d.Range.End]; got != c.after || !strings.Contains(d.Message, "text after the root object's closing }") {
			t.Errorf("%q: diagnostic %q over %q, want one over %q", c.src, d.Message, got, c.after)
		}
	}
	for _, c := range []struct{ src, tree, at, msg, after string }{
		{`{"a":1,}x`, "{a:1}", `,}`, "a ',' with no member after it", `x`},
		{`{"a":1,}{"c":2}`, "{a:1}", `,}`, "a ',' with no member after it", `{"c":2}`},
		{`{"a":{"b":1},"c":[1,2} x `, "{a:{b:1} c:!}", `[1`, "this [ is never closed", `x`},
		// (session 13: more documents after a broken root, each read back
		// from the text's end; parsed whole before, no tree)
		{`{"a":1,}{"b":2}{"c":3}`, "{a:1}", `,}`, "a ',' with no member after it", `{"b":2}{"c":3}`},
		{`{"a":1,}{"b":2}{"c":3}x`, "{a:1}", `,}`, "a ',' with no member after it", `{"b":2}{"c":3}x`},
		{`{"a":1,}{"b":2}x`, "{a:1}", `,}`, "a ',' with no member after it", `{"b":2}x`},
		// (a region over a '}' followed by a '{': session 12 confined the
		// text as one, the documents' members read as the root's)
		{`{"a": [}{"b":1}`, "{a:!}", `[}`, "this [ is never closed", `{"b":1}`},
		{`{"a":[1,}{"b":2}{"c":3}`, "{a:!}", `[1`, "this [ is never closed", `{"b":2}{"c":3}`},
		{"{\"a\":{\"b\":1,,\"c\":2},\"d\":3}\n{\"e\":{\"f\":4}}\n{\"g\":5}\n", "{a:{b:1 c:2} d:3}", `,"c"`, "a ',' with no member before it", `{"e":{"f":4}}`},
	} {
		tr := syntax.ParseTree([]byte(c.src))
		if got := dumpNode(tr.Root()); got != c.tree {
			t.Errorf("%q: tree %s, want %s", c.src, got, c.tree)
		}
		if len(tr.Diagnostics) != 2 {
			t.Fatalf("%q: diagnostics %v, want two", c.src, tr.Diagnostics)
		}
		if d := tr.Diagnostics[0]; d.Range.Start != strings.Index(c.src, c.at) || !strings.Contains(d.Message, c.msg) {
			t.Errorf("%q: diagnostic %q at %d, want %q at %q", c.src, d.Message, d.Range.Start, c.msg, c.at)
		}
		d := tr.Diagnostics[1]
		if got := c.src[d.Range.Start:d.Range.End]; got != c.after || !strings.Contains(d.Message, "text after the root object's closing }") {
			t.Errorf("%q: diagnostic %q over %q, want one over %q", c.src, d.Message, got, c.after)
		}
	}
	// (a string left open that takes in the second document's '{', and a
	// '}' too many, are the root's own errors: confined in the whole text)
	for _, src := range []string{`{"a":"x,"b":1}{"c":2}`, `{"a":1}}`} {
		tr := syntax.ParseTree([]byte(src))
		if tr.WholeParseReason() == "text follows the root object" {
			t.Errorf("%q: read as a root and text after it", src)
		}
	}
	// (a region over a '}' followed by a '{' with no documents after the
	// root, a ',' missing between two objects, is confined like any error)
	for _, src := range []string{`{"a":[{"x":1}{"y":2}],"b":3}`, `{"a":{"p":{"x":1}{"y":2}},"b":3}`} {
		if rs := syntax.CompactRegions([]byte(src)); rs == nil {
			t.Errorf("%s: not confined", src)
		}
	}
	// (an extra '}' after an error is confined like any error)
	if rs := syntax.CompactRegions([]byte(`{"a":"x,"b":1},"c":{"d":2}}`)); rs == nil {
		t.Errorf("an extra '}' after an error: not confined")
	}
	doc := `{"a":{"b":[1,2]},"c":"d","e":{"f":{"g":null}}}`
	reasons := map[string]int{}
	for _, auto := range []bool{false, true} {
		typeComparingCold(t, "a second document", []byte(doc), typingMember(`{"k":[1,{"w":2}]}`, len(doc), auto), reasons)
		two := doc + `{"x":1}`
		typeComparingCold(t, "a member, a second document after", []byte(two), typingMember(`"k":[1,{"w":2}],`, strings.Index(two, `"c"`), auto), reasons)
		broken := strings.Replace(doc, `"d"`, `"d",`, 1) // (two ',' in a row: the root's own error)
		typeComparingCold(t, "a second document after a broken root", []byte(broken), typingMember(`{"k":[1,{"w":2}]}`, len(broken), auto), reasons)
		typeComparingCold(t, "text after a broken root", []byte(broken), typingMember(`x`, len(broken), auto), reasons)
		two = broken + `{"x":1}`
		typeComparingCold(t, "a member into a broken root, a second document after", []byte(two), typingMember(`"k":[1,{"w":2}],`, strings.Index(two, `"e"`), auto), reasons)
		typeComparingCold(t, "a third document after a broken root", []byte(two), typingMember(`{"k":[1,{"w":2}]}`, len(two), auto), reasons)
		three := two + `{"y":{"z":2}}`
		typeComparingCold(t, "a member into a broken root, two documents after", []byte(three), typingMember(`"k":[1,{"w":2}],`, strings.Index(three, `"e"`), auto), reasons)
	}
}

// TestUpdateTreeCompactOpenerBeforeValue: a region at an object's first
// member that is a value (a '{' typed before it) has its diagnostic at the
// object's '{', outside the region; a member pasted or deleted in one edit
// between that '{' and the region (an edit away from the region, which is
// kept) changes that diagnostic as a cold parse does, with one broken
// region and with another after it (updateSeveral). Typing a member there
// char by char equals a cold parse too.
func TestUpdateTreeCompactOpenerBeforeValue(t *testing.T) {
	for _, c := range []struct {
		src  string
		edit func(at int) syntax.Edit
		msg  string // the first diagnostic's, after the edit
	}{
		{`{"a":0,"b":{"p":{"str","q":1},"e":2}}`, func(at int) syntax.Edit { return syntax.Edit{Start: at, End: at, Text: `"k":1,`} }, "could not find expected ':' after this key"},
		{`{"a":0,"b":{"p":{"str","q":1},"e":"x,"f":1}}`, func(at int) syntax.Edit { return syntax.Edit{Start: at, End: at, Text: `"k":1,`} }, "could not find expected ':' after this key"},
		{`{"a":0,"b":{"p":{"str"},"e":2},"c":"x,"d":1}`, func(at int) syntax.Edit { return syntax.Edit{Start: at, End: at, Text: `"k":1,`} }, "could not find expected ':' after this key"},
		{`{"a":0,"b":{"p":{"m":1,"str","q":1},"e":2}}`, func(at int) syntax.Edit { return syntax.Edit{Start: at, End: at + 6} }, "this { is followed by a value, not a member"},
		{`{"a":0,"b":{"p":{"m":1,"str","q":1},"e":2},"c":"x,"d":1}`, func(at int) syntax.Edit { return syntax.Edit{Start: at, End: at + 6} }, "this { is followed by a value, not a member"},
	} {
		text := []byte(c.src)
		at := strings.Index(c.src, `"p":{`) + len(`"p":{`)
		e := c.edit(at)
		reasons := map[string]int{}
		if _, taken := typeComparingCold(t, c.src, text, []syntax.Edit{e}, reasons); taken != 1 {
			t.Errorf("%s: %+v declined (%v)", c.src, e, reasons)
		}
		if d := syntax.ParseTree(e.Apply(text)).Diagnostics[0]; !strings.Contains(d.Message, c.msg) {
			t.Errorf("%s: after %+v, diagnostic %q, want %q", c.src, e, d.Message, c.msg)
		}
		for _, auto := range []bool{false, true} {
			typeComparingCold(t, c.src, text, typingMember(`"k":[1,{"w":2}],`, at, auto), reasons)
		}
	}
}

// TestUpdateTreeCompactSplitRegion: an array never closed that the next
// member is read into, and an error in that member (splitRegion): a quote
// deleted or typed there, one edit from a text with the array's region
// alone (spliceCompactBroken splits it as a cold parse does), from a valid
// one and from one with another region after it, and a member typed char
// by char at each region's start, equal a cold parse at every keystroke.
func TestUpdateTreeCompactSplitRegion(t *testing.T) {
	reasons := map[string]int{}
	for _, src := range []string{
		`{"a":0,"b":[1,2,"c":"y","d":1,"e":2}`,
		`{"a":0,"b":{"p":[1,2,"c":"y","d":1},"e":2}`,
		`{"a":0,"b":[1,2,"c":"y","d":1,"e":2,"f":"z,"g":3}`,
		`{"a":0,"b":[1,2],"c":"y","d":1,"e":2}`,
	} {
		text := []byte(src)
		q := strings.Index(src, `y"`) + 1
		// the quote deleted (a string left open), then typed again
		typeComparingCold(t, src, text, []syntax.Edit{{Start: q, End: q + 1}, {Start: q, End: q, Text: `"`}}, reasons)
		// (and the ']' deleted from the valid text)
		if b := strings.Index(src, `2]`); b >= 0 {
			typeComparingCold(t, src, text, []syntax.Edit{{Start: q, End: q + 1}, {Start: b + 1, End: b + 2}, {Start: b + 1, End: b + 1, Text: `]`}}, reasons)
		}
		broken := slices.Delete(bytes.Clone(text), q, q+1)
		if rs := syntax.CompactRegions(broken); !strings.Contains(src, `2]`) && len(rs) < 2 {
			t.Errorf("%s: regions %v, want the array's split", broken, rs)
		}
		for _, r := range syntax.CompactRegions(broken) {
			for _, auto := range []bool{false, true} {
				typeComparingCold(t, src, broken, typingMember(`"k":[1,{"w":2}],`, r.Start, auto), reasons)
			}
		}
	}
	t.Logf("declined %v", reasons)
}

// typeAtBar types typed into text at the one place of at, marked by its
// '|' (at without it occurs once in text), or, when typed is "", deletes
// the byte before the '|'.
func typeAtBar(t *testing.T, text []byte, at, typed string) []byte {
	t.Helper()
	needle := strings.Replace(at, "|", "", 1)
	if bytes.Count(text, []byte(needle)) != 1 {
		t.Fatalf("%s: not one place", needle)
	}
	i := bytes.Index(text, []byte(needle)) + strings.Index(at, "|")
	if typed == "" {
		return slices.Delete(text, i-1, i)
	}
	return slices.Insert(text, i, []byte(typed)...)
}

// TestCompactBrokenRootThenDocument: an edit that makes a compact text a
// root that closes before the text's last '}' (`{"a":}{…`: a cold parse
// confines nothing and parses it whole, with no document) or a broken root
// followed by what reads as another document (`…{"q":2}{"z":…`: a cold
// parse reads the root up to there, brokenRootEnd, and reports the rest as
// text after it) is declined by the update, whose scans read the root to
// the text's last '}'; it declines for those reasons only where the cold
// parse reads no document, or a root with text after it. Every insertion
// of a '}', '{' or ',', every deletion of one byte and every replacement of
// one or two bytes by one of them, at every offset of six small compact
// texts (broken or valid, with nested objects and arrays; two with a
// region holding a '}' followed by a '{'), updates the
// cold parse's tree of the text to the cold parse's tree of the new one, or
// declines for a reason allowed.
func TestCompactBrokenRootThenDocument(t *testing.T) {
	const src = `{"a":{"p":[1,{"q":2},"z":{"y":3}}`
	for _, c := range []struct {
		name     string
		e        syntax.Edit
		tree     string // the cold parse's root ("<nil>": no document)
		trailing string // what the cold parse reports after the root ("": nothing)
	}{
		{"a '}' typed before a value", syntax.Edit{Start: 5, End: 5, Text: "}"}, "<nil>", ""},
		{"a value's '{' replaced by '}'", syntax.Edit{Start: 5, End: 6, Text: "}"}, "<nil>", ""},
		{"two bytes replaced by '}'", syntax.Edit{Start: 5, End: 7, Text: "}"}, "<nil>", ""},
		{"a ',' replaced by '{'", syntax.Edit{Start: 20, End: 21, Text: "{"}, "{a:! q:2}", `{"z":{"y":3}}`},
	} {
		next := c.e.Apply([]byte(src))
		cold := syntax.ParseTree(next)
		if got := dumpNode(cold.Root()); got != c.tree {
			t.Errorf("%s: %s: cold tree %s, want %s", c.name, next, got, c.tree)
		}
		trailing := ""
		for _, d := range cold.Diagnostics {
			if strings.Contains(d.Message, "text after the root object's closing }") {
				trailing = string(next[d.Range.Start:d.Range.End])
			}
		}
		if trailing != c.trailing {
			t.Errorf("%s: %s: text after the root %q, want %q", c.name, next, trailing, c.trailing)
		}
		if why, _ := updateEqualsCold(t, src, c.e); why == "" {
			t.Errorf("%s: %s: updated, want declined", c.name, next)
		}
	}
	taken, total := 0, 0
	for _, src := range []string{
		src,
		`{"a":{"b":[1,{"c":2}],"d":{"e":3}},"f":[{"g":4}]}`,
		`{"a":{"p":"x,"q":1},"b":[{"c":2}],"d":3}`,
		`{"a":[{"b":1},{"c":{"d":2}}],"e":{"f":[3]},"g":"x,"h":4}`,
		// (a region holding a '}' followed by a '{', edits away from it)
		`{"a":[{"x":1}{"y":2}],"b":{"c":3},"d":{"e":4}}`,
		`{"a":{"b":1},"c":{"p":{"x":1}{"y":2}},"d":[{"e":4}]}`,
	} {
		var edits []syntax.Edit
		for i := 0; i <= len(src); i++ {
			for _, c := range []string{"}", "{", ","} {
				for k := 0; k <= 2 && i+k <= len(src); k++ {
					edits = append(edits, syntax.Edit{Start: i, End: i + k, Text: c})
				}
			}
			if i < len(src) {
				edits = append(edits, syntax.Edit{Start: i, End: i + 1})
			}
		}
		for _, e := range edits {
			total++
			why, cold := updateEqualsCold(t, src, e)
			if why == "" {
				taken++
				continue
			}
			if !edittest.AllowedFallback(why) {
				t.Errorf("%s: %+v declined for a reason not allowed: %s", src, e, why)
			}
			if (strings.Contains(why, "a broken root followed by another document") || strings.Contains(why, "the root closes before the text's last '}'")) &&
				cold.Root() != nil && cold.WholeParseReason() != "text follows the root object" {
				t.Errorf("%s: %+v declined (%s), but a cold parse reads one root over the text (%s)", src, e, why, cold.WholeParseReason())
			}
		}
	}
	t.Logf("%d edits, %d updated", total, taken)
}

// updateEqualsCold applies e to the cold parse's tree of src and, when
// UpdateTree takes it, compares the tree with a cold parse of the new text
// as the differentials do (failing the test when they differ). It returns
// why the update declined ("" when it took the edit) and the cold parse.
func updateEqualsCold(t *testing.T, src string, e syntax.Edit) (string, *syntax.Tree) {
	t.Helper()
	old := []byte(src)
	text := e.Apply(old)
	cold := syntax.ParseTree(text)
	u, why := syntax.UpdateTree(old, syntax.ParseTree(old), nil, e, text)
	if u == nil {
		return why, cold
	}
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	if s := cmp.Or(edittest.DiffTrees(cold, abs, u.Tree, u.Shifts.R), edittest.DiffParseMode(cold, u.Tree), diffFailRead(cold, u.Tree)); s != "" {
		t.Errorf("%s: differs from a cold parse after %+v: %s\nnew text: %s", src, e, s, text)
	}
	return "", cold
}
