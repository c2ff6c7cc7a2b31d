package edittest

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestDiffTreesPath: DiffTrees names the first differing node by its path
// (a mapping's values by key, a sequence's items by index), and finds no
// difference between two parses of the same text.
func TestDiffTreesPath(t *testing.T) {
	abs := func(n *syntax.Node) syntax.Range { return n.Range() }
	base := "a:\n  b: [xx, y]\n  c: 1\nd: 2\n"
	same := syntax.ParseTreeWhole([]byte(base))
	if s := DiffTrees(same, abs, syntax.ParseTreeWhole([]byte(base)), abs); s != "" {
		t.Fatalf("the same text: %s", s)
	}
	for _, c := range []struct{ text, path string }{
		{"a:\n  b: [xx, z]\n  c: 1\nd: 2\n", "Docs[0]/a/b/1: want {"},
		{"a:\n  b: [xx, y]\n  c: 2\nd: 2\n", "Docs[0]/a/c: want {"},
		{"a:\n  b: [x,y,z]\n  c: 1\nd: 2\n", "Docs[0]/a/b: want 2 children"},
		{"a:\n  b: [xx, y]\n  c: 1\nd: 3\n", "Docs[0]/d: want {"},
		{"- a\n- b\n", "Docs[0]: want {"},
	} {
		s := DiffTrees(same, abs, syntax.ParseTreeWhole([]byte(c.text)), abs)
		if !strings.HasPrefix(s, c.path) {
			t.Errorf("%q: got %q, want it to start with %q", c.text, s, c.path)
		}
	}
}
