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
// huge string member.
func TestCompactJSONColdParseAgreesWithWhole(t *testing.T) {
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
