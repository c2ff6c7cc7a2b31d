package syntax_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// TestCompactJSONColdParseAgreesWithWhole: a valid compact (minified) JSON
// text is parsed run by run (coldcompact.go), and gives the tree of the
// whole-text parse: nodes, kinds, styles, tags, values, ranges and
// diagnostics, for generated AsyncAPI documents of every shape and for
// texts built to put what a run boundary could get wrong at one: members
// larger than a run (objects, arrays, arrays of objects, several levels
// deep), escapes the parser is fed sanitized (\u0000, surrogate pairs, \/),
// multi-byte and astral characters, blanks around every token, a BOM,
// duplicate keys (reported as in the whole parse), empty containers, a
// huge string member (first in its object, and after another).
func TestCompactJSONColdParseAgreesWithWhole(t *testing.T) {
	t.Parallel()
	docs := map[string]string{}
	for _, shape := range []docgen.Shape{docgen.ShapeV3, docgen.ShapeV26, docgen.ShapeWide} {
		docs[fmt.Sprintf("docgen %v", shape)] = string(docgen.GenerateMinJSON(docgen.Options{TargetBytes: 300 << 10, Seed: 3, Shape: shape, FlowBindings: true}))
	}
	big := func(open, sep, close string, n int, item func(i int) string) string {
		var b strings.Builder
		b.WriteString(open)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(item(i))
		}
		b.WriteString(close)
		return b.String()
	}
	member := func(i int) string {
		return fmt.Sprintf(`"k%d\u00e9\/":{"s":"v\u0000\ud83d\ude42 é日🙂 %d","n":%d,"f":-1.5e3,"t":true,"z":null,"e":{},"a":[],"l":[1,"x",{"q":[2]}]}`, i, i, i)
	}
	nested := big("{", ",", "}", 900, member)
	docs["objects larger than a run, three levels"] = `{"a":1,"big":{"inner":` + nested + `,"also":` + nested + `},"arr":` +
		big("[", ",", "]", 3, func(int) string { return nested }) + `,"z":"end"}`
	docs["blanks around every token, a BOM"] = "\ufeff { \"a\" : 1 ,\t\"big\" :\r\n " +
		big("{ ", " , ", " }", 4000, func(i int) string { return fmt.Sprintf(`"m%d" : [ %d , { "x" : "y" } ]`, i, i) }) + " , \"b\" : [ ] } \n"
	docs["duplicate keys in and across runs"] = `{"d":1,"big":` + big("{", ",", "}", 9000, func(i int) string { return fmt.Sprintf(`"k%d":%d`, i%8500, i) }) + `,"d":2}`
	// Separators and brackets inside strings (escaped quotes before them)
	// must not split members or close containers, in runs and in members
	// larger than a run.
	tricky := func(i int) string { return fmt.Sprintf(`"k%d,}":"a,b}{][\\\",\\\\","o%d":{"p":"]},{["}`, i, i) }
	docs["separators and brackets inside strings"] = `{"s":"{,[","big":` + big("{", ",", "}", 3000, tricky) + `,"t":"}"}`
	docs["a huge string member"] = `{"s":"` + strings.Repeat("ab\\\"cd ", 20000) + `","o":` + nested + `}`
	docs["a huge string member after another"] = `{"a":1,"s":"` + strings.Repeat("ab\\\"cd ", 20000) + `","o":` + nested + `}`
	docs["an array root member of arrays"] = `{"a":` + big("[", ",", "]", 4, func(int) string {
		return big("[", ",", "]", 2000, func(i int) string { return fmt.Sprintf(`[%d,{"w":"%d"}]`, i, i) })
	}) + `}`
	for name, doc := range docs {
		if len(doc) < 100<<10 {
			t.Fatalf("%s: %d bytes, too small to be parsed in runs", name, len(doc))
		}
		tree, whole := syntax.ParseTree([]byte(doc)), syntax.ParseTreeWhole([]byte(doc))
		if whole.Root() == nil {
			t.Fatalf("%s: the whole parse gave no tree: %+v", name, whole.Diagnostics)
		}
		if strings.HasPrefix(name, "duplicate") != (len(whole.Diagnostics) > 0) {
			t.Fatalf("%s: unexpected diagnostics of the whole parse: %+v", name, whole.Diagnostics)
		}
		abs := func(n *syntax.Node) syntax.Range { return n.Range() }
		if s := edittest.DiffTrees(whole, abs, tree, abs); s != "" {
			t.Errorf("%s: differs from the whole-text parse: %s", name, s)
		}
		runs := syntax.ParseCompactCold([]byte(doc))
		if runs == nil {
			t.Errorf("%s: not parsed in runs", name)
		} else if s := edittest.DiffTrees(whole, abs, runs, abs); s != "" {
			t.Errorf("%s: the run-by-run parse differs from the whole-text parse: %s", name, s)
		}
	}
}

// TestCompactBrokenColdParseInRuns: a broken compact JSON text whose
// errors are confined (jsoncompactbroken.go) is the text with its regions
// blanked, valid JSON, parsed run by run as a valid compact text is
// (coldcompact.go), plus the regions' own nodes; the tree equals the one
// the whole parse of the blanked text gave (the path before; nodes,
// kinds, styles, tags, values, ranges, diagnostics), and ParseTree takes
// the run-by-run path. Texts: 1 to 40 broken members of every kind (a
// string never closed, a key without its ':', a ':' without its value, a
// missing ',', two ',' in a row, a '{' or '[' never closed, a misspelt
// literal, a ',' before a '}') among members with escapes the parser is
// fed sanitized and astral characters, in members larger than a run,
// three levels deep and in arrays; a container larger than a run whose one
// member is broken (left with nothing but blanks); the small texts of the
// broken-member tables.
func TestCompactBrokenColdParseInRuns(t *testing.T) {
	t.Parallel()
	member := func(i int) string {
		return fmt.Sprintf(`"k%d\u00e9\/":{"s":"v\u0000\ud83d\ude42 é日🙂 %d","n":%d,"t":true,"z":null,"e":{},"a":[],"l":[1,"x",{"q":[2]}]}`, i, i, i)
	}
	var nb strings.Builder
	nb.WriteString("{")
	for i := range 900 {
		if i > 0 {
			nb.WriteString(",")
		}
		nb.WriteString(member(i))
	}
	nb.WriteString("}")
	nested := nb.String()
	base := `{"a":1,"big":{"inner":` + nested + `,"also":` + nested + `},"arr":[` + nested + `,` + nested + `],"z":"end"}`
	// Each snippet is typed after a `"t":true,` and breaks that member
	// alone; trailing is typed before a `]}}` (after an array's last item).
	snippets := []string{`"u":"open,`, `"d",`, `"d":,`, `"x":1 `, `,`, `"v":"a"b",`, `"w":[1,2,`, `"q":tru,`}
	anchor := `"t":true,`
	at := func(text string, k, of int) int {
		// the first anchor after k/of of the text
		from := len(text) * k / of
		return from + strings.Index(text[from:], anchor) + len(anchor)
	}
	docs := map[string]string{}
	for _, n := range []int{1, 2, 3, 7, 16, 40} {
		text := base
		for k := n - 1; k >= 0; k-- { // from the end, so offsets before stay
			p := at(text, k+1, n+1)
			text = text[:p] + snippets[k%len(snippets)] + text[p:]
		}
		docs[fmt.Sprintf("%d broken members", n)] = text
	}
	o := at(base, 1, 2)
	docs["a '{' never closed"] = base[:o] + `"o":{"p":1,` + base[o:]
	// readFurthest (session 10): a '{' typed before a string value (the
	// members after it read a level off) and a key's ':' deleted before
	// its object, in a member before a container larger than a run; a
	// quote typed before a '{' (its '}' then closes nothing) and a string
	// left open in one after it
	docs["4 broken members"] = `{"f1":{"b":[{"c":{"d"},{"e":"f","g":{"h":"i"}}],"j":"k"},"l":{"m"{"n":"o","p":["q","r"]}},"big":` + nested +
		`,"f2":{"c":{"f":{"cc":{"a":"x{"r":"R","e":"E"},"t":"u"}},"s":["e"]},"o":{"p":"q"},"x":[{"y":"z,"w":1}]},"z":"end"}`
	trailing := strings.Index(base[len(base)/3:], `]}}`) + len(base)/3
	docs["a ',' after an array's last item"] = base[:trailing] + `,` + base[trailing:]
	var lb strings.Builder
	for i := range 6000 {
		fmt.Fprintf(&lb, `%d,"\ud83d\ude42\u00e9",`, i)
	}
	docs["a container larger than a run, its one member broken"] = `{"a":1,"big":{"only":[` + lb.String() + `},"b":` + nested + `}`
	for _, c := range []string{
		`{"a":1,"b":"x"y":2,"c":3}`, `{"a":1,"b":{"c":1,"d":"x,"e":2},"f":3}`, `{"a":1,"b":{"c":1,"d":"str""e":2},"f":3}`,
		`{"a":1,"b":{"c":1,"d""e":2},"f":3}`, `{"a":1,"b":{"c":1,"d":"e":2},"f":3}`, `{"a":1,"b":{"c":1,""e":2},"f":3}`,
		`{"a":1,"b":{"c":1,"d":1"e":2},"f":3}`, `{"a":1,"b":"x}`, `{"a":1,"b":[1,2,{"x":"y}],"c":3}`,
		`{"a":1,"b":{"c":[1,2,3},"d":4}`, `{"a":[1,,2],"b":2}`, `{"a":{"x":"1,"y":"2"},"b":{"p":1,"q":2},"c":{"u":"3,"v":"4"}}`,
		`{"a":{"x":"1","y":"2"},"b":{"p":1,"q":2,"c":{"u":"3","v":"4"}}`, `{"a":{"b":"x}}`, "\ufeff{\"a\":[1,2,],\"b\":\"\\u00e9\"}",
	} {
		docs[c] = c
	}
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	// What a run refuses (a U+2028 in a string: yaml reads it as a line
	// break in a run parsed alone) leaves the blanked text to the whole
	// parse, the errors still confined.
	ls := base[:o] + "\"p\":\"a\u2028b\",\"d\":," + base[o:]
	if syntax.ParseCompactBrokenInRuns([]byte(ls), true) != nil {
		t.Errorf("a U+2028 in a string: the blanked text parsed run by run")
	}
	if tr := syntax.ParseTree([]byte(ls)); len(tr.Diagnostics) != 1 || !strings.Contains(tr.Diagnostics[0].Message, "a value must follow") {
		t.Errorf("a U+2028 in a string: diagnostics %+v, want the one of the broken member", tr.Diagnostics)
	} else if s := edittest.DiffTrees(syntax.ParseCompactBrokenInRuns([]byte(ls), false), abs, tr, abs); s != "" {
		t.Errorf("a U+2028 in a string: ParseTree differs from the whole parse of the blanked text: %s", s)
	}
	for name, doc := range docs {
		text := []byte(doc)
		whole := syntax.ParseCompactBrokenInRuns(text, false)
		if whole == nil {
			t.Errorf("%s: the errors are not confined", name)
			continue
		}
		if n := 0; strings.HasSuffix(name, "broken members") {
			fmt.Sscanf(name, "%d", &n)
			if len(whole.Diagnostics) != n {
				t.Errorf("%s: %d diagnostics, want %d: %+v", name, len(whole.Diagnostics), n, whole.Diagnostics)
			}
		}
		runs := syntax.ParseCompactBrokenInRuns(text, true)
		if runs == nil {
			t.Errorf("%s: the blanked text is not parsed run by run", name)
		} else if s := edittest.DiffTrees(whole, abs, runs, abs); s != "" {
			t.Errorf("%s: the run-by-run parse differs from the whole parse of the blanked text: %s", name, s)
		}
		if s := edittest.DiffTrees(whole, abs, syntax.ParseTree(text), abs); s != "" {
			t.Errorf("%s: ParseTree differs: %s", name, s)
		}
	}
}

// TestCompactColdRuns: the cold parse of a valid minified document reads
// it in runs of about CompactColdRun bytes (what bounds its memory peak,
// issue 8): no parse of more than two runs' worth (no member here is a
// scalar larger than a run), and runs as large as that allows (a run is
// parsed once it reaches CompactColdRun bytes, not member by member: at
// most four parses per run's worth of text, for the runs a container's
// end or a member larger than a run cuts short).
func TestCompactColdRuns(t *testing.T) {
	for _, shape := range []docgen.Shape{docgen.ShapeV3, docgen.ShapeWide} {
		doc := docgen.GenerateMinJSON(docgen.Options{TargetBytes: 400 << 10, Seed: 5, Shape: shape})
		sizes := syntax.CompactColdParses(doc)
		if len(sizes) == 0 {
			t.Fatalf("%v: not parsed run by run", shape)
		}
		for _, n := range sizes {
			if n > 2*syntax.CompactColdRun {
				t.Errorf("%v: a parse of %d bytes, want at most %d", shape, n, 2*syntax.CompactColdRun)
			}
		}
		if most := 4 * len(doc) / syntax.CompactColdRun; len(sizes) > most {
			t.Errorf("%v: %d parses of a %d-byte text, want at most %d", shape, len(sizes), len(doc), most)
		}
		// The same for a broken one (its region blanked).
		at := len(doc)/2 + strings.Index(string(doc[len(doc)/2:]), `"type":"string",`) + len(`"type":"string",`)
		broken := syntax.Edit{Start: at, End: at, Text: `"d`}.Apply(doc)
		if bs := syntax.CompactColdParses(broken); len(bs) < len(sizes)-2 || len(bs) > len(sizes)+2 {
			t.Errorf("%v: %d parses of the broken text, want about the valid one's %d", shape, len(bs), len(sizes))
		}
	}
}

// TestCompactColdLevels: the cold parse goes down into members larger than
// a run at most 32 levels (each level scans its container: a text nesting
// such members deeper would be scanned once per level); deeper, the text
// is parsed whole, with the same tree. And texts under two runs are parsed
// whole (one run is the whole text).
func TestCompactColdLevels(t *testing.T) {
	blob := `"b":"` + strings.Repeat("x", 2*syntax.CompactColdRun) + `"`
	nest := func(levels int) []byte {
		// levels objects, each one member larger than a run: the next one
		return []byte(strings.Repeat(`{"a":1,"n":`, levels) + `{` + blob + `}` + strings.Repeat(`}`, levels))
	}
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	for _, c := range []struct {
		levels int
		runs   bool
	}{{1, true}, {5, true}, {30, true}, {31, true}, {32, false}, {40, false}} {
		text := nest(c.levels)
		if got := syntax.ParseCompactCold(text) != nil; got != c.runs {
			t.Errorf("%d levels: parsed run by run %v, want %v", c.levels, got, c.runs)
		}
		if s := edittest.DiffTrees(syntax.ParseTreeWhole(text), abs, syntax.ParseTree(text), abs); s != "" {
			t.Errorf("%d levels: differs from the whole parse: %s", c.levels, s)
		}
	}
	small := func(size int) []byte {
		return []byte(`{"a":1,"s":"` + strings.Repeat("y", size-len(`{"a":1,"s":""}`)) + `"}`)
	}
	if syntax.ParseCompactCold(small(2*syntax.CompactColdRun)) == nil {
		t.Errorf("a text of two runs is not parsed run by run")
	}
	if syntax.ParseCompactCold(small(2*syntax.CompactColdRun-1)) != nil {
		t.Errorf("a text under two runs is parsed run by run")
	}
}

// TestCompactColdFrame: what is around the root object (blanks, a BOM) is
// read as the whole parse reads it: YAML refuses a tab before the root's
// '{' (JSON allows it), so such a text, valid or broken, gets the whole
// parse's result (no document, its diagnostics) and not a tree built run
// by run; blanks YAML accepts keep the run-by-run parse.
func TestCompactColdFrame(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, `,"m%d":{"x":[%d,"y"]}`, i, i)
	}
	body := `{"a":1` + b.String() + `}`
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	for _, c := range []struct {
		pre, post string
		runs      bool
	}{
		{"", "", true}, {" \r\n ", "\n", true}, {"\ufeff", " ", true}, {"\n\n  ", "\t", true},
		{"\t", "", false}, {"\n\t", "", false}, {"\ufeff\t", "\n", false},
	} {
		text := []byte(c.pre + body + c.post)
		whole, tree := syntax.ParseTreeWhole(text), syntax.ParseTree(text)
		if s := edittest.DiffTrees(whole, abs, tree, abs); s != "" {
			t.Errorf("%q before, %q after: differs from the whole parse: %s", c.pre, c.post, s)
		}
		if got := syntax.ParseCompactCold(text) != nil; got != c.runs {
			t.Errorf("%q before, %q after: parsed run by run %v, want %v", c.pre, c.post, got, c.runs)
		}
		broken := []byte(strings.Replace(string(text), `"m5":{"x"`, `"m5":{"x",`, 1))
		runs, old := syntax.ParseCompactBrokenInRuns(broken, true), syntax.ParseCompactBrokenInRuns(broken, false)
		if (runs != nil) != c.runs || (old != nil) != c.runs {
			t.Errorf("%q before, %q after, broken: confined run by run %v, by the whole parse %v, want %v", c.pre, c.post, runs != nil, old != nil, c.runs)
		} else if runs != nil {
			if s := edittest.DiffTrees(old, abs, runs, abs); s != "" {
				t.Errorf("%q before, %q after, broken: differs from the whole parse of the blanked text: %s", c.pre, c.post, s)
			}
		}
	}
}
