package syntax_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
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
		{"{\n  \"a\": {\"b\": 1, },\n  \"c\": 1\n}\n", ", }", "a ',' after the last member"},
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

// TestJSONLayouts: valid JSON is parsed member by member when each member
// starts its line at its object's member column and each '}' closing a
// multi-line object starts its line; laid out any other way (a compact
// root, members sharing a line, a line indented less than its object's
// members, a '}' that may close something else) it is parsed whole.
// Either way the tree and the diagnostics are the whole-text parse's.
func TestJSONLayouts(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		byRegion  bool
	}{
		{"members one per line", "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [1,\n      2]\n  }\n}\n", true},
		{"tabs", "{\n\t\"a\": 1,\n\t\"b\": {\n\t\t\"c\": 2\n\t}\n}\n", true},
		{"CRLF", "{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n", true},
		{"a nested object on its key's line", "{\n  \"a\": {\"x\": 1,\n    \"y\": 2},\n  \"b\": 2\n}\n", true},
		{"a nested object closed on its last member's line", "{\n  \"a\": {\n    \"x\": 1 },\n  \"b\": 2\n}\n", true},
		{"the root's '}' indented less than its members", "{\n    \"a\": 1\n  }\n", true},
		{"blanks before a member's ':'", "{\n  \"a\" : 1,\n  \"b\"\t: {\n    \"c\"  : 2\n  }\n}\n", true},
		{"an array closed at the member column", "{\n  \"a\": [\n    1\n  ],\n  \"b\": 2\n}\n", true},
		{"a one-member object whose value goes on indented less than its member", "{\n  \"a\": {\n      \"x\":\n    1\n  },\n  \"b\": 2\n}\n", false},
		{"a member two objects down indented less than its sibling", "{\n  \"a\": {\n    \"b\": {\n        \"x\": 1,\n      \"y\": 2\n    }\n  },\n  \"c\": 1\n}\n", false},
		{"a nested object's '}' at the root's column, blanks before its ','", "{\n  \"a\": {\n    \"b\": 1\n}  , \"c\": 2}\n", false},
		{"a compact root", "{\"a\": 1, \"b\": 2}\n", false},
		{"a member on the root's '{' line", "{\"a\": 1,\n  \"b\": 2\n}\n", false},
		{"two members on a line", "{\n  \"a\": 1, \"b\": 2\n}\n", false},
		{"an array's string item at the members' column", "{\n  \"a\": [\n  \"b\", 1],\n  \"c\": 2\n}\n", false},
		{"an object's member at its parent's members' column", "{\n  \"a\": 1,\n  \"b\": {\n  \"x\": 1},\n  \"c\": 2\n}\n", false},
		{"a member indented less than the first", "{\n    \"a\": 1,\n  \"b\": 2\n}\n", false},
		{"a nested member indented less than its object's", "{\n    \"a\": {\n  \"x\": 1\n    },\n    \"b\": 2\n}\n", false},
		{"a nested object's '}' at the root's column", "{\n  \"a\": {\n    \"b\": 1\n}\n}\n", false},
		{"a nested object's members sharing a line", "{\n  \"a\": {\n    \"x\": 1, \"y\": 2\n  },\n  \"b\": 2\n}\n", false},
		{"an empty root", "{\n}\n", false},
		{"an empty root, its '}' indented", "{\n  }\n", false},
		{"the root's '}' at its members' column", "{\n  \"a\": 1\n  }\n", false},
		{"the root's '}' deeper than its members, after an object", "{\n  \"a\": {\n    \"b\": 1\n  }\n    }", false},
		{"the root's '}' at its members' column after an array", "{\n  \"a\": [\n    1\n  ]\n  }\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := syntax.ParseTreeWhole([]byte(c.doc))
			got := syntax.ParseTree([]byte(c.doc))
			if got.ParsedByRegion() != c.byRegion {
				t.Errorf("parsed by region: %v, want %v", got.ParsedByRegion(), c.byRegion)
			}
			abs := func(n *syntax.Node) syntax.Range { return n.Range() }
			if s := edittest.DiffTrees(want, abs, got, abs); s != "" {
				t.Errorf("differs from the whole-text parse: %s", s)
			}
			if len(got.Diagnostics) != 0 {
				t.Errorf("diagnostics on valid JSON: %v", got.Diagnostics)
			}
		})
	}
}

// TestJSONChunkSize: how much of a JSON text is parsed at once (a run of
// members up to the chunk size, a member larger than it split into its
// members) changes neither the tree nor the diagnostics, valid or broken.
func TestJSONChunkSize(t *testing.T) {
	docs := jsonDocs(t)
	docs["broken"] = []byte(brokenDocs()["json"][:60] + "[\n" + brokenDocs()["json"][60:])
	docs["broken-deep"] = []byte(deepJSON("[1,", "2"))
	docs["missing-comma"] = []byte(deepJSON("1", "{\n          \"x\": 'y',\n          \"z\": [1,]\n        }"))
	docs["broken-nine-deep"] = []byte(nestedJSON(9, "[1,\n", "\"g\": 2\n")) // nested deeper than the split depth
	docs["never-closed"] = []byte("{\n  \"a\": {\n    \"b\": 1,\n    \"c\": {\n      \"d\": 2\n    }\n  },\n  \"e\": 3\n")
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	for name, text := range docs {
		want := syntax.ParseTree(text)
		if !want.ParsedByRegion() {
			continue
		}
		for _, chunk := range []int{1, 40, 300} {
			got := syntax.ParseJSONInChunks(text, chunk)
			if got == nil {
				t.Errorf("%s, chunk %d: not parsed member by member", name, chunk)
				continue
			}
			if s := edittest.DiffTrees(want, abs, got, abs); s != "" {
				t.Errorf("%s, chunk %d: %s", name, chunk, s)
			}
		}
	}
}

// TestJSONEscapedStrings: the keys and string values of a JSON text parsed
// member by member hold what JSON tools decode, escapes YAML reads
// differently or rejects (`\/`, surrogate pairs) included, at any depth,
// in a run of members or in a member parsed alone.
func TestJSONEscapedStrings(t *testing.T) {
	for _, doc := range []string{
		"{\n  \"a\\/b\": \"\\ud83d\\ude00 \\/ x\",\n  \"c\": {\n    \"d\\/e\": \"\\/\",\n    \"f\": [\"\\u00e9\\/\"]\n  },\n  \"g\": \"\\\\/\"\n}\n",
		"{\n  \"a\": [1,\n  \"b\\/\": \"\\/\"\n}\n", // after a broken member
	} {
		tree := syntax.ParseTree([]byte(doc))
		if !tree.ParsedByRegion() {
			t.Errorf("%q: not parsed member by member", doc)
		}
		strs := 0
		var walk func(n *syntax.Node)
		walk = func(n *syntax.Node) {
			if n == nil {
				return
			}
			if n.Kind == syntax.ScalarNode && n.Style == syntax.DoubleQuotedStyle {
				strs++
				var want string
				if err := json.Unmarshal([]byte(doc[n.Range().Start:n.Range().End]), &want); err != nil {
					t.Errorf("%q: %v", doc[n.Range().Start:n.Range().End], err)
				} else if n.Value != want {
					t.Errorf("%q reads %q, want %q", doc[n.Range().Start:n.Range().End], n.Value, want)
				}
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(tree.Root())
		if strs < 2 {
			t.Errorf("%q: %d strings in the tree", doc, strs)
		}
	}
}

// TestJSONRunsOfChunk: an object's members are parsed in runs of about
// the chunk size: a run ends with the member that brings it to the chunk
// size or more, and a member larger than the chunk (an object over
// several lines) ends the run before it and is parsed by its own
// members, in runs of their own. A member exactly the chunk size is no
// larger than it.
func TestJSONRunsOfChunk(t *testing.T) {
	const (
		a = "  \"a\": 1,\n" // 10 bytes each
		b = "  \"b\": 2,\n"
		f = "  \"f\": 5,\n"
		d = "    \"d\": 3,\n" // c's members
		e = "    \"e\": 4\n"
		c = "  \"c\": {\n" + d + e + "  },\n" // 37 bytes
		g = "  \"g\": 6\n"
	)
	text := "{\n" + a + b + f + c + g + "}\n"
	for _, tc := range []struct {
		chunk int
		runs  []string
	}{
		{20, []string{a + b, f, d + e, g}}, // a+b is 20: the run ends there
		{37, []string{a + b + f + c, g}},   // c is 37: not larger than the chunk
		{1000, []string{a + b + f + c + g}},
	} {
		var got []string
		for _, r := range syntax.JSONRunsParsed([]byte(text), tc.chunk) {
			got = append(got, text[r.Start:r.End])
		}
		if !slices.Equal(got, tc.runs) {
			t.Errorf("chunk %d: runs parsed %q, want %q", tc.chunk, got, tc.runs)
		}
	}
}
