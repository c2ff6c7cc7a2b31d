package syntax_test

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// TestParseFramedDocument pins which texts a cold parse takes region by
// region (so that a syntax error is confined to its region and edits in
// a broken text stay incremental) and why the others are parsed whole: a
// BOM, comments, %YAML directives, a leading --- and a trailing ... frame
// the body and are no reason; a %TAG directive, content on a marker line,
// a second document, anchors and explicit keys are. Either way the tree
// is the one the whole-text parse gives.
func TestParseFramedDocument(t *testing.T) {
	cases := []struct {
		name, doc string
		whole     string // "" when parsed region by region, else the reason
	}{
		{name: "plain", doc: "a: 1\nb:\n  c: 2\n"},
		{name: "leading ---", doc: "---\na: 1\nb:\n  c: 2\n"},
		{name: "comments before ---", doc: "# title\n\n# more\n---\na: 1\nb:\n  c: 2\n"},
		{name: "--- with a comment", doc: "--- # the document\na: 1\n"},
		{name: "a %YAML directive", doc: "%YAML 1.1\n---\na: 1\nb:\n  c: 2\n"},
		{name: "%YAML 1.2, which yaml.v3 rejects", doc: "%YAML 1.2\n---\na: 1\n", whole: "a directive other than %YAML 1.1"},
		{name: "a %YAML 1.1 directive and comments", doc: "# c\n%YAML 1.1\n# c\n---\n# c\na: 1\n"},
		{name: "trailing ...", doc: "a: 1\nb:\n  c: 2\n...\n"},
		{name: "trailing ... and comments", doc: "---\na: 1\nb:\n  c: 2\n...\n# end\n\n# more\n"},
		{name: "... without a final newline", doc: "a: 1\n..."},
		{name: "CRLF frame", doc: "%YAML 1.1\r\n---\r\na: 1\r\nb:\r\n  c: 2\r\n...\r\n"},
		{name: "a BOM", doc: "\ufeffa: 1\nb:\n  c: 2\n"},
		{name: "a BOM before an indented root", doc: "\ufeff  a: 1\n  b:\n    c: 2\n"},
		{name: "a BOM and ---", doc: "\ufeff---\na: 1\n...\n"},
		{name: "a BOM before a comment", doc: "\ufeff# c\na: 1\n"},
		{name: "JSON after a BOM", doc: "\ufeff{\n  \"a\": 1,\n  \"b\": {\n    \"c\": 2\n  }\n}\n"},
		{name: "a %TAG directive", doc: "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", whole: "a directive other than %YAML 1.1"},
		{name: "two %YAML directives", doc: "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", whole: "a second %YAML directive"},
		{name: "a directive without ---", doc: "%YAML 1.1\na: 1\n", whole: "a directive without ---"},
		{name: "content on the --- line", doc: "--- !!map\na: 1\n", whole: "content on the --- line"},
		{name: "content on the ... line", doc: "a: 1\n... x\n", whole: "content on the ... line"},
		{name: "two documents", doc: "---\na: 1\n---\nb: 2\n", whole: "a document marker or directive"},
		{name: "a document after ...", doc: "a: 1\n...\nb: 2\n", whole: "a document marker or directive"},
		{name: "anchors", doc: "a: &x 1\nb: *x\n", whole: "anchors or aliases"},
		{name: "an explicit key", doc: "a:\n  ? b\n", whole: "an explicit key"},
		{name: "compact JSON", doc: "{\"a\": 1, \"b\": 2}\n", whole: "compact JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := syntax.ParseTree([]byte(c.doc))
			if got.ParsedByRegion() != (c.whole == "") || !strings.HasPrefix(got.WholeParseReason(), c.whole) {
				t.Errorf("ParsedByRegion %v, WholeParseReason %q; want the reason %q", got.ParsedByRegion(), got.WholeParseReason(), c.whole)
			}
			abs := func(n *syntax.Node) syntax.Range { return n.Range() }
			if s := edittest.DiffTrees(syntax.ParseTreeWhole([]byte(c.doc)), abs, got, abs); s != "" {
				t.Errorf("differs from the whole-text parse: %s", s)
			}
		})
	}
}

// TestFramedSyntaxErrorPlacement: a syntax error in a framed document is
// confined to its region (the rest of the tree is intact) and reported
// where it is; in a document with anchors, which is parsed whole, it is
// reported at its line too.
func TestFramedSyntaxErrorPlacement(t *testing.T) {
	cases := []struct {
		name, doc string
		at        string // the text the diagnostic must start at
		keys      []string
	}{
		{name: "after ---", doc: "%YAML 1.1\n---\na: 1\nb: [2\nc: 3\n...\n", at: "[2", keys: []string{"a", "b", "c"}},
		{name: "after a BOM", doc: "\ufeffa: 1\nb: 'x\nc: 3\n", at: "'x", keys: []string{"a", "b", "c"}},
		{name: "anchors", doc: "a: &x 1\nb: *x\nc: [\nd: 3\n", at: "[", keys: []string{"a", "b"}},
		{name: "anchors, an alias before the error in its entry's run", doc: "x: &y 0\na:\n  b: *y\n  c: [\n  d: 2\ne: 3\n", at: "[", keys: []string{"x", "a", "e"}},
		{name: "an explicit key", doc: "a:\n  ? x\n  : 1\nb: [\nc: 2\n", at: "[", keys: []string{"a", "c"}},
		// An explicit value's ':' on a line of its own is no key that
		// lacks its ':': the error stays at the second ': ' below it.
		{name: "a second ': ' below an explicit value's ':'", doc: "a: 1\n:\n  b: x: y\nc: 1\n", at: ": y", keys: []string{"c"}},
		{name: "anchors, an unclosed quote", doc: "a: &x {k: 1}\nb:\n  c: \"open\n  d: *x\ne: 2\n", at: "\"open"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := syntax.ParseTree([]byte(c.doc))
			var syn []syntax.Diagnostic
			for _, d := range tr.Diagnostics {
				if d.Code == syntax.CodeYAMLSyntax {
					syn = append(syn, d)
				}
			}
			if len(syn) != 1 {
				t.Fatalf("want one syntax error, got %+v", tr.Diagnostics)
			}
			if want := strings.Index(c.doc, c.at); syn[0].Range.Start != want {
				m := syntax.NewMapper([]byte(c.doc))
				t.Errorf("the error %q is at %v, want %v (%q)", syn[0].Message, m.Position(syn[0].Range.Start), m.Position(want), c.at)
			}
			for _, k := range c.keys {
				if tr.Root() == nil || tr.Root().Key(k) == nil {
					t.Errorf("key %s is missing from the tree", k)
				}
			}
		})
	}
}

// TestExplainsAfterBOM: a check's diagnostic on a key whose entry holds a
// broken region is explained by the syntax error, the first key after a
// BOM as any other; a key after the broken entry is not.
func TestExplainsAfterBOM(t *testing.T) {
	for _, prefix := range []string{"", "\ufeff"} {
		doc := prefix + "a:\n  b: [\n  x: 1\nc: 1\n"
		tr := syntax.ParseTree([]byte(doc))
		if len(tr.BrokenRegions()) != 1 {
			t.Fatalf("%q: want one broken region, got %v", doc, tr.BrokenRegions())
		}
		if !tr.Explains(len(prefix)) {
			t.Errorf("%q: the key a, whose entry holds the broken region, is not explained", doc)
		}
		if tr.Explains(strings.Index(doc, "c: 1")) {
			t.Errorf("%q: the key c, after the broken entry, is explained", doc)
		}
	}
}
