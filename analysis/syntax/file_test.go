package syntax

import (
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestShareText: after ShareText every value is what the parser decoded,
// and the values that appear verbatim (plain, quoted without escapes, long
// prose) live inside the text, while escaped, folded and tagged ones keep
// their own copy.
func TestShareText(t *testing.T) {
	text := strings.Join([]string{
		"description: A long description that is longer than any interned value, plain",
		"quoted: 'single quoted, also long enough not to be interned by the builder'",
		`double: "double quoted with an escape\n that must keep its decoded copy"`,
		"folded: >",
		"  folded text spanning",
		"  two lines",
		"tagged: !!str tagged value",
		"anchored: &a anchored value",
		"alias: *a",
		"list: [one, 'two', \"three\"]",
		"",
	}, "\n")
	want := ParseTree([]byte(text)).Root()
	root := ParseTree([]byte(text)).Root()
	ShareText(root, text)
	inText := func(s string) bool {
		if s == "" {
			return false
		}
		p, base := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(text)))
		return p >= base && p+uintptr(len(s)) <= base+uintptr(len(text))
	}
	shared := map[string]bool{
		"description": true, "A long description that is longer than any interned value, plain": true,
		"quoted": true, "single quoted, also long enough not to be interned by the builder": true,
		"double": true, "folded": true, "tagged": true, "anchored": true, "alias": true,
		"list": true, "one": true, "two": true, "three": true,
	}
	var walk func(got, exp *Node)
	walk = func(got, exp *Node) {
		if got.Value != exp.Value || got.Kind != exp.Kind || len(got.Content) != len(exp.Content) {
			t.Fatalf("value %q (kind %d), want %q (kind %d)", got.Value, got.Kind, exp.Value, exp.Kind)
		}
		if got.Kind == ScalarNode && inText(got.Value) != shared[got.Value] {
			t.Errorf("%q: inside the text %v, want %v", got.Value, inText(got.Value), shared[got.Value])
		}
		for i := range got.Content {
			walk(got.Content[i], exp.Content[i])
		}
	}
	walk(root, want)
}

// TestSmallTreeMemory: the tree of a small file keeps about what its nodes
// need. A workspace keeps a thousand such trees (the files its documents
// reference); each once carried a mostly unused chunk of 256 nodes.
func TestSmallTreeMemory(t *testing.T) {
	text := []byte("components:\n  securitySchemes:\n    apiKey:\n      type: httpApiKey\n      name: X-Api-Key\n      in: header\n    other:\n      type: X509\n")
	nodes := 0
	var count func(n *Node)
	count = func(n *Node) {
		nodes++
		for _, c := range n.Content {
			count(c)
		}
	}
	count(ParseTree(text).Root())
	const trees = 500
	keep := make([]*Tree, trees)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range keep {
		keep[i] = ParseTree(text)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perTree := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / trees
	// The nodes, their content lists and a few small allocations; a
	// 256-node chunk alone is 256*Sizeof(Node).
	limit := int64(2*nodes)*int64(unsafe.Sizeof(Node{})) + 1024
	t.Logf("%d nodes, %d bytes per tree, limit %d", nodes, perTree, limit)
	if perTree > limit {
		t.Errorf("a tree of %d nodes keeps %d bytes, want at most %d", nodes, perTree, limit)
	}
	runtime.KeepAlive(keep)
}
