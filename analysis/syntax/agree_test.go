package syntax_test

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// TestUpdateTreeAgreesWithColdParse pins edits after which UpdateTree and
// a cold parse of the same text once disagreed: the update must give the
// cold parse's tree (nodes, ranges, Broken, diagnostics, broken regions),
// or decline for an allowed reason.
func TestUpdateTreeAgreesWithColdParse(t *testing.T) {
	const jsonDoc = "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [1, 2],\n    \"d\": {\"e\": \"f\"},\n    \"g\": {\n      \"h\": \"i\\/j\",\n      \"k\": null\n    }\n  },\n  \"l\": \"m\"\n}\n"
	cases := []struct {
		name, doc string
		at        string // the edit starts at the first occurrence of at, plus skip
		skip, del int
		ins       string
	}{
		{
			// The block scalar's first content line starts with an LS,
			// a line break to yaml.v3: its end (and its mapping's) was
			// scanned up to the end of the text.
			name: "a block scalar whose first line starts with an LS",
			doc:  "asyncapi: 3.0.0\ninfo:\n  title: Demo\n  description: |\n\u2028    Multi-line\n      literal\n\n    and a blank line.\n# a comment\nservers:\n  prod:\n    host: x\ncomponents:\n  schemas:\n    a: {type: string}\n",
			at:   "components:", ins: "tags: []\n",
		},
		{
			// "d" is indented one tab deeper than its sibling "c": parsed
			// in a run of members the object is fine, split (once "g"
			// breaks) "d" is part of "c"'s region.
			name: "JSON: a member indented deeper than its siblings, then a sibling breaks",
			doc:  strings.ReplaceAll(strings.Replace(jsonDoc, "    \"d\"", "      \"d\"", 1), "  ", "\t"),
			at:   "\"g\": {", skip: 5, ins: "\"",
		},
		{
			name: "JSON: deleting the '}' of a nested object whose sibling is misindented",
			doc:  strings.Replace(jsonDoc, "    \"d\"", "      \"d\"", 1),
			at:   "    }\n  },", skip: 4, del: 1,
		},
		{
			// A plain scalar holding a \/ that the YAML parser read
			// sanitized: its end, and its object's, was found short.
			name: "JSON: joining lines of a broken member with an escaped /",
			doc:  strings.Replace(strings.Replace(strings.Replace(jsonDoc, "\"f\"}", "\"f\"}z x", 1), "\"h\": \"i", "\"h\":...\"i", 1), "\"k\": null", "\"k\"ull", 1),
			at:   "\"i\\/j\",\n", skip: 6, del: 7, ins: "   ",
		},
		{
			// The error of a member after a blank line was placed from
			// the start of its region, which the blank line is part of
			// in a cold parse but not in an update.
			name: "JSON: an error in the first member after a blank line",
			doc:  strings.Replace(jsonDoc, "  \"b\": {\n", "  \"b\": {\n\n", 1),
			at:   "[1, 2],", skip: 7, ins: ":",
		},
		{
			// A line of the object indented less than its members: a
			// stray line to a split, nothing to a parse of the whole run.
			name: "JSON: typing on the closing line of a nested object",
			doc:  jsonDoc, at: "    }\n  },", skip: 3, ins: "i",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			i := strings.Index(c.doc, c.at)
			if i < 0 {
				t.Fatalf("%q not in the document", c.at)
			}
			old := []byte(c.doc)
			e := syntax.Edit{Start: i + c.skip, End: i + c.skip + c.del, Text: c.ins}
			text := e.Apply(old)
			prev := syntax.ParseTree(old)
			want := syntax.ParseTree(text)
			u, reason := syntax.UpdateTree(old, prev, nil, e, text)
			if u == nil {
				if !edittest.AllowedFallback(reason) {
					t.Fatalf("declined for a reason not allowed: %q", reason)
				}
				t.Logf("declined: %s", reason)
				return
			}
			abs := func(n *syntax.Node) syntax.Range { return n.Range() }
			if s := edittest.DiffTrees(want, abs, u.Tree, u.Shifts.R); s != "" {
				t.Fatalf("UpdateTree differs from a cold parse: %s\nnew text:\n%s", s, text)
			}
			if s := diffRanges(want.BrokenRegions(), u.Tree.BrokenRegions()); s != "" {
				t.Fatalf("broken regions differ: %s", s)
			}
		})
	}
}

// TestValidJSONLaidOutOddly: JSON does not care about indentation, so a
// valid document whose lines are indented unevenly parses without
// diagnostics and gives the whole-text parse's tree (the region-wise parse must not read an uneven line as a
// stray line or as the end of the document).
func TestValidJSONLaidOutOddly(t *testing.T) {
	for name, doc := range map[string]string{
		"first member indented with a tab and spaces":                 "{\n\t  \"a\": 1,\n  \"b\": {\n    \"c\": 2\n  },\n  \"l\": \"m\"\n}\n",
		"a member indented less than its siblings":                    "{\n  \"a\": {\n      \"b\": 1,\n    \"c\": 2\n  },\n  \"d\": 3\n}\n",
		"a nested '}' indented less than the root's members":          "{\n  \"a\": {\n    \"b\": 1\n},\n  \"c\": 2\n}\n",
		"a nested '}' at the root's column, its ',' on the next line": "{\n  \"a\": {\n    \"b\": 1\n}\n  , \"c\": 2\n}\n",
		"an array's ']' indented less than its member":                "{\n  \"a\": [\n    1\n ],\n  \"c\": 2\n}\n",
	} {
		tree, whole := syntax.ParseTree([]byte(doc)), syntax.ParseTreeWhole([]byte(doc))
		if len(tree.Diagnostics) != 0 || tree.Root() == nil {
			t.Errorf("%s: want a tree and no diagnostics, got %+v", name, tree.Diagnostics)
			continue
		}
		abs := func(n *syntax.Node) syntax.Range { return n.Range() }
		if s := edittest.DiffTrees(whole, abs, tree, abs); s != "" {
			t.Errorf("%s: differs from the whole-text parse: %s", name, s)
		}
	}
}
