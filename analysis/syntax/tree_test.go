package syntax

import (
	"strconv"
	"strings"
	"testing"
)

// walk returns the node at path in root: mapping keys by name, sequence
// items by index. A last element "key:" + name returns the key node.
func walk(t *testing.T, root *Node, path ...string) *Node {
	t.Helper()
	n := root
	for i, p := range path {
		if name, ok := strings.CutPrefix(p, "key:"); ok && i == len(path)-1 {
			k, _ := n.Pair(name)
			if k == nil {
				t.Fatalf("no key %q at %v", name, path[:i])
			}
			return k
		}
		if idx, err := strconv.Atoi(p); err == nil && n.Resolve() != nil && n.Resolve().Kind == SequenceNode {
			items := n.Items()
			if idx >= len(items) {
				t.Fatalf("no item %d at %v", idx, path[:i])
			}
			n = items[idx]
			continue
		}
		k, v := n.Pair(p)
		if k == nil {
			t.Fatalf("no key %q at %v", p, path[:i])
		}
		n = v
	}
	return n
}

func src(text []byte, r Range) string {
	if r.Start < 0 || r.End > len(text) || r.Start > r.End {
		return "<bad range " + strconv.Itoa(r.Start) + "," + strconv.Itoa(r.End) + ">"
	}
	return string(text[r.Start:r.End])
}

// TestTreeRanges asserts the exact source text of node ranges for many
// YAML and JSON constructs, and the decoded value where it matters.
func TestTreeRanges(t *testing.T) {
	type check struct {
		path  string // "."-separated
		text  string // exact source text of the range
		value string // decoded value; "-" = don't check
	}
	cases := []struct {
		name   string
		doc    string
		checks []check
	}{
		{"plain", "a: hello world\nb: 1\n", []check{
			{"a", "hello world", "hello world"}, {"key:a", "a", "a"}, {"b", "1", "1"}}},
		{"single quoted with ''", "a: 'it''s ok'  # c\nb: ''\n", []check{
			{"a", "'it''s ok'", "it's ok"}, {"b", "''", ""}}},
		{"double quoted with escapes", `a: "x\"y\\" ` + "\nb: \"\\u00e9\\t\"\n", []check{
			{"a", `"x\"y\\"`, `x"y\`}, {"b", `"\u00e9\t"`, "é\t"}}},
		{"multi-line quoted", "a: \"one\n  two\"\nb: 'x\n\n  y'\n", []check{
			{"a", "\"one\n  two\"", "one two"}, {"b", "'x\n\n  y'", "x\ny"}}},
		{"multi-line plain", "a: hello\n  big\n\n  world\nb: 1\n", []check{
			{"a", "hello\n  big\n\n  world", "hello big\nworld"}, {"b", "1", "1"}}},
		{"multi-line plain in a sequence", "- one\n  two\n- three\n", []check{
			{"0", "one\n  two", "one two"}, {"1", "three", "three"}}},
		{"literal keep", "a: |+\n  l1\n  l2\n\nb: x\n", []check{
			{"a", "|+\n  l1\n  l2", "l1\nl2\n\n"}, {"b", "x", "x"}}},
		{"literal strip with indent indicator", "a: |2-\n   l1\n  l2\n\n\nb: x\n", []check{
			{"a", "|2-\n   l1\n  l2", " l1\nl2"}}},
		{"folded clip", "a: >\n  f1\n  f2\n\n  f3\nb: x\n", []check{
			{"a", ">\n  f1\n  f2\n\n  f3", "f1 f2\nf3\n"}}},
		{"folded strip with comment", "a: >- # note\n  f1\n  f2\n# trailing\nb: x\n", []check{
			{"a", ">- # note\n  f1\n  f2", "f1 f2"}}},
		{"empty block scalar", "a: |\nb: x\n", []check{{"a", "|", ""}, {"b", "x", "x"}}},
		{"block scalar at end of text without newline", "a: |\n  x", []check{{"a", "|\n  x", "x"}}},
		{"keep with only blank lines", "a: |+\n\nb: x\nc: y\n", []check{{"a", "|+", "\n"}, {"b", "x", "x"}}},
		{"indentation indicator in a sequence", "- a: >1\n    x\n   y\n  b: 1\n", []check{{"0.a", ">1\n    x\n   y", " x\ny\n"}, {"0.b", "1", "1"}}},
		{"flow collections", "a: {x: 1, y: [p, 'q'], z: {}, w: [ ]}\n", []check{
			{"a", "{x: 1, y: [p, 'q'], z: {}, w: [ ]}", "-"}, {"a.y", "[p, 'q']", "-"}, {"a.y.1", "'q'", "q"},
			{"a.z", "{}", "-"}, {"a.w", "[ ]", "-"}}},
		{"multi-line flow with trailing comma and comment", "a: [\n  1,\n  2, # two\n]\nb: x\n", []check{
			{"a", "[\n  1,\n  2, # two\n]", "-"}, {"a.1", "2", "2"}}},
		{"nested flow", "a: [[1, [2]], {b: {c: d}}]\n", []check{
			{"a.0", "[1, [2]]", "-"}, {"a.0.1", "[2]", "-"}, {"a.1.b", "{c: d}", "-"}, {"a.1.b.c", "d", "d"}}},
		{"anchor tag alias", "a: &x !!str 12\nb: *x\nc: &m {k: v}\nd: !!binary aGk=\n", []check{
			{"a", "&x !!str 12", "12"}, {"b", "*x", "x"}, {"c", "&m {k: v}", "-"}, {"d", "!!binary aGk=", "aGk="}}},
		{"anchor on block mapping", "a: &base\n  k: v\nb:\n  <<: *base\n", []check{
			{"a", "&base\n  k: v", "-"}, {"b.k", "v", "v"}}},
		{"empty values", "a:\nb: ~\nc: null\nd: !!null\ne: &n\nf: x\n", []check{
			{"a", "", ""}, {"b", "~", "~"}, {"c", "null", "null"}, {"d", "!!null", ""}, {"e", "&n", ""}, {"f", "x", "x"}}},
		{"null sequence items", "s:\n  - \n  -\n  - x\n", []check{
			{"s.0", "", ""}, {"s.1", "", ""}, {"s.2", "x", "x"}, {"s", "- \n  -\n  - x", "-"}}},
		{"emoji and CJK keys", "\"😀键\": v\n键2: 值 😀\n'é': 1\n", []check{
			{"key:😀键", `"😀键"`, "😀键"}, {"😀键", "v", "v"}, {"key:键2", "键2", "键2"}, {"键2", "值 😀", "值 😀"}, {"é", "1", "1"}}},
		{"CRLF", "a: x\r\nb: |\r\n  l1\r\n  l2\r\nc: \"q\r\n  r\"\r\nd: p\r\n  q\r\n", []check{
			{"a", "x", "x"}, {"b", "|\r\n  l1\r\n  l2", "l1\nl2\n"}, {"c", "\"q\r\n  r\"", "q r"}, {"d", "p\r\n  q", "p q"}}},
		{"BOM", bom + "a: 1\nb: é\n", []check{{"key:a", "a", "a"}, {"a", "1", "1"}, {"b", "é", "é"}}},
		{"NEL LS PS inside quoted strings", "a: \"x\u2028y\"\nb: 'p\u2029q'\nc: \"n\u0085m\"\nd: after\n", []check{
			{"a", "\"x\u2028y\"", "-"}, {"b", "'p\u2029q'", "-"}, {"c", "\"n\u0085m\"", "-"}, {"d", "after", "after"}}},
		{"comments everywhere", "# head\na: 1 # one\n# mid\nb: # two\n  c: 2\n", []check{
			{"a", "1", "1"}, {"b", "c: 2", "-"}, {"b.c", "2", "2"}}},
		{"document markers", "---\na: 1\n...\n", []check{{"a", "1", "1"}}},
		{"JSON", `{"a": {"b": [1, "two", null, true]}, "c": "\u00e9"}`, []check{
			{"a", `{"b": [1, "two", null, true]}`, "-"}, {"a.b.1", `"two"`, "two"}, {"a.b.2", "null", "null"},
			{"key:c", `"c"`, "c"}, {"c", `"\u00e9"`, "é"}}},
		{"JSON with \\. and surrogate pairs", `{"u": "http:\/\/x\/y", "e": "\ud83d\ude00!", "k\/": 1, "mix": "a\\b\/\"c\ud834\udd1e"}`, []check{
			{"u", `"http:\/\/x\/y"`, "http://x/y"}, {"e", `"\ud83d\ude00!"`, "😀!"}, {"key:k/", `"k\/"`, "k/"},
			{"mix", `"a\\b\/\"c\ud834\udd1e"`, "a\\b/\"c𝄞"}}},
		{"minified JSON", `{"asyncapi":"3.0.0","info":{"title":"t","version":"1"},"servers":{"s":{"host":"h","protocol":"ws"}}}`, []check{
			{"info.title", `"t"`, "t"}, {"servers.s", `{"host":"h","protocol":"ws"}`, "-"}, {"servers.s.protocol", `"ws"`, "ws"}}},
		{"pretty JSON with CRLF", "{\r\n  \"a\": [\r\n    1\r\n  ],\r\n  \"b\": {}\r\n}\r\n", []check{
			{"a", "[\r\n    1\r\n  ]", "-"}, {"b", "{}", "-"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := []byte(c.doc)
			tree := ParseTree(text)
			for _, d := range tree.Diagnostics {
				t.Errorf("unexpected diagnostic %s at %q: %s", d.Code, src(text, d.Range), d.Message)
			}
			root := tree.Root()
			if root == nil {
				t.Fatal("no root")
			}
			for _, ch := range c.checks {
				n := walk(t, root, strings.Split(ch.path, ".")...)
				if got := src(text, n.Range()); got != ch.text {
					t.Errorf("%s: range text %q, want %q", ch.path, got, ch.text)
				}
				if ch.value != "-" && n.Value != ch.value {
					t.Errorf("%s: value %q, want %q", ch.path, n.Value, ch.value)
				}
			}
			checkRanges(t, text, root, 0)
		})
	}
}

// checkRanges verifies that every node lies within the text and within its
// parent, and that siblings are in order.
func checkRanges(t *testing.T, text []byte, n *Node, depth int) {
	t.Helper()
	if n == nil || n.Kind == AliasNode || depth > 200 {
		return
	}
	if n.Range().Start < 0 || n.Range().Start > n.Range().End || n.Range().End > len(text) {
		t.Errorf("bad range %v (text %d bytes)", n.Range(), len(text))
		return
	}
	prev := n.Range().Start
	for _, c := range n.Content {
		if c.Range().Start < prev || c.Range().End > n.Range().End {
			t.Errorf("child %q %v outside parent %v or before its sibling end %d", src(text, c.Range()), c.Range(), n.Range(), prev)
		}
		prev = c.Range().End
		checkRanges(t, text, c, depth+1)
	}
}
