package syntax_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// prettyJSON converts a YAML document to JSON indented as editors write
// it (indent is the indentation unit: two spaces, a tab, ...).
func prettyJSON(t testing.TB, doc []byte, indent string) []byte {
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(v, "", indent)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// jsonDocs are valid pretty-printed JSON documents: generated ones, and
// the corpus's.
func jsonDocs(t testing.TB) map[string][]byte {
	docs := map[string][]byte{
		"gen-2sp": prettyJSON(t, docgen.Generate(docgen.Options{Units: 4, Seed: 3}), "  "),
		"gen-tab": prettyJSON(t, docgen.Generate(docgen.Options{Units: 2, Seed: 4}), "\t"),
		"gen-4sp": prettyJSON(t, docgen.Generate(docgen.Options{Units: 2, Seed: 5}), "    "),
		"escapes": []byte("{\n  \"a\\/b\": \"\\ud83d\\ude00 \\/ x\",\n  \"c\": {\n    \"d\": [1, 2,\n      3],\n    \"e\": {}\n  },\n  \"f\": null\n}\n"),
		"crlf":    []byte("{\r\n  \"a\": {\r\n    \"b\": [\r\n      1\r\n    ]\r\n  },\r\n  \"c\": \"d\"\r\n}\r\n"),
		"nested":  []byte("{\n  \"a\": {\n    \"b\": {\n      \"c\": {\n        \"d\": 1,\n        \"e\": [true, false]\n      }\n    }\n  }\n}\n"),
	}
	files, _ := filepath.Glob("../../../shared/corpus/*.json")
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs["corpus/"+filepath.Base(f)] = text
	}
	return docs
}

// TestJSONRegions: a valid pretty-printed JSON document parsed region by
// region gives the tree (every node's kind, style, tag, value and range)
// of the whole-text parse, without diagnostics.
func TestJSONRegions(t *testing.T) {
	taken := 0
	for name, text := range jsonDocs(t) {
		want := syntax.ParseTreeWhole(text)
		got := syntax.ParseTree(text)
		if !got.ParsedByRegion() {
			if name[:3] == "gen" {
				t.Errorf("%s: not parsed region by region", name)
			}
			continue
		}
		taken++
		abs := func(n *syntax.Node) syntax.Range { return n.Range() }
		if s := edittest.DiffTrees(want, abs, got, abs); s != "" {
			t.Errorf("%s: region-wise parse differs from the whole-text parse: %s", name, s)
		}
	}
	t.Logf("%d JSON documents parsed region by region", taken)
}

// TestJSONMemberStrictness: what YAML accepts and JSON does not is
// reported per member, a trailing comma on its ','; valid members (a
// list closed by its ']', nested lists and objects) report nothing.
func TestJSONMemberStrictness(t *testing.T) {
	for _, c := range []struct{ doc, at, msg string }{
		{"{\n  \"a\": [{\"b\": []}],\n  \"c\": [\"d\"]\n}\n", "", ""},
		{"{\n  \"a\": [\n    {\"b\": 1}\n  ],\n  \"c\": 1\n}\n", "", ""},
		{"{\n  \"a\": [{\"b\": []}, ],\n  \"c\": 1\n}\n", ", ]", "a ',' after the last item"},
		{"{\n  \"a\": {\"b\": 1, },\n  \"c\": 1\n}\n", ", }", "a ',' after the last item"},
		{"{\n  \"a\": [\n    1,\n  ],\n  \"c\": 1\n}\n", ",\n  ]", "a ',' after the last item"},
		{"{\n  \"a\": 1,\n  \"c\": 1,\n}\n", ",\n}", "a ',' after the last member"},
	} {
		tree := syntax.ParseTree([]byte(c.doc))
		if c.at == "" {
			if len(tree.Diagnostics) != 0 {
				t.Errorf("%q: %v, want none", c.doc, tree.Diagnostics)
			}
			continue
		}
		want := strings.Index(c.doc, c.at)
		if len(tree.Diagnostics) != 1 || tree.Diagnostics[0].Range.Start != want || !strings.Contains(tree.Diagnostics[0].Message, c.msg) {
			t.Errorf("%q: %v, want one at %d: %s", c.doc, tree.Diagnostics, want, c.msg)
		}
	}
}
