package syntax

import "testing"

// TestKeyColon pins how the key line of an entry that does not parse is
// read: where the ':' that ends the implicit key is, and which quote or
// bracket is left open on the line.
func TestKeyColon(t *testing.T) {
	cases := []struct {
		line        string
		col         int
		colon, open int
	}{
		{"key: v", 0, 3, -1},
		{"key:", 0, 3, -1},
		{"key:\tv", 0, 3, -1},
		{"key:v", 0, -1, -1},
		{"  key: v", 2, 5, -1},
		{"'a:b': v", 0, 5, -1},
		{"\"a: b\": v", 0, 6, -1},
		{"a'b: v", 0, 3, -1},
		{"a 'b: v", 0, -1, 2},
		{"'unclosed: v", 0, -1, 0},
		{"[a, b]: v", 0, 6, -1},
		{"{a: 1", 0, -1, 0},
		{"a: [1, 2", 0, 1, -1},
		{"key # comment: x", 0, -1, -1},
		{"[a # c", 0, -1, 0},
		{"a]: v", 0, 2, -1},
		{"a[b: v", 0, 3, -1},
		{"a [b: v", 0, -1, 0},
		{"a#b: v", 0, 3, -1},
		{"{a: 1}: v", 0, 6, -1},
		{"[[a], b]: v", 0, 8, -1},
	}
	for _, c := range cases {
		colon, open := keyColon([]byte(c.line), c.col)
		if colon != c.colon || open != c.open {
			t.Errorf("keyColon(%q, %d) = %d, %d; want %d, %d", c.line, c.col, colon, open, c.colon, c.open)
		}
	}
}

// TestBrokenValueRange pins the range of the broken value an entry that
// does not parse gets: from the first token after its colon (on the next
// line when nothing follows the colon) to the end of its region's last
// non-blank text.
func TestBrokenValueRange(t *testing.T) {
	cases := []struct{ doc, key, want string }{
		{"a:\n  b: 'x\nc: 1\n", "b", "'x"},
		{"a:\n  b: [1, 2\nc: 1\n", "b", "[1, 2"},
		{"a:\n  b:\n    - 'x\n    - y\nc: 1\n", "b", "- 'x\n    - y"},
		{"a:\n  b:   {x: 1   \n\nc: 1\n", "b", "{x: 1"},
		{"b: \"x\ny: 1\n", "b", "\"x"},
	}
	for _, c := range cases {
		tr := ParseTree([]byte(c.doc))
		var found *Node
		var walk func(n *Node)
		walk = func(n *Node) {
			if n == nil {
				return
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Kind == MappingNode && n.Content[i].Value == c.key && n.Content[i+1].Broken() {
					found = n.Content[i+1]
				}
			}
			for _, ch := range n.Content {
				walk(ch)
			}
		}
		for _, d := range tr.Docs {
			walk(d)
		}
		if found == nil {
			t.Errorf("%q: no broken value for %s", c.doc, c.key)
			continue
		}
		r := found.Range()
		if got := c.doc[r.Start:r.End]; got != c.want {
			t.Errorf("%q: broken value of %s covers %q, want %q", c.doc, c.key, got, c.want)
		}
	}
}
