package syntax

import (
	"fmt"
	"strings"
	"testing"
)

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
		{"#key: x", 0, -1, -1},
		{"  #key: x", 2, -1, -1},
		{"[a # c", 0, -1, 0},
		{"a]: v", 0, 2, -1},
		{"a[b: v", 0, 3, -1},
		{"a [b: v", 0, -1, 0},
		{"a#b: v", 0, 3, -1},
		{"key #c: x", 0, -1, -1},
		{"key\t#c: x", 0, -1, -1},
		{"key# c: x", 0, 6, -1},
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

// TestGluedColon pins where the key of a key line with a value typed
// right onto its colon (`channels:x`) ends: the last ':' inside the word
// that starts at col with a non-blank byte right after it; -1 when there
// is none, or when the word is no plain key (it starts with an indicator).
func TestGluedColon(t *testing.T) {
	for _, c := range []struct {
		line      string
		col, want int
	}{
		{"channels:x", 0, 8},
		{"user:signup:x", 0, 11},
		{"  c:see it", 2, 3},
		{"a:b: c", 0, 1},  // the ':' followed by a blank ends no glued key
		{"a:b:\tc", 0, 1}, // nor one followed by a tab
		{"a:b:", 0, 1},    // nor one that ends the line
		{"a:b:\r", 0, 1},  // (before a CR line break too)
		{"b c:d", 0, -1},  // not in the first word
		{"key", 0, -1},
		{"-a:b", 0, -1}, // indicators: no plain key
		{"'a:b", 0, -1},
		{"[a:b", 0, -1},
		{"  ", 2, -1}, // nothing at col
	} {
		if got := gluedColon([]byte(c.line), c.col); got != c.want {
			t.Errorf("gluedColon(%q, %d) = %d, want %d", c.line, c.col, got, c.want)
		}
	}
}

// TestDiagnosticOrder: a tree's diagnostics are in document order, by
// start, then end, then message (so that the order does not depend on how
// the tree was built).
func TestDiagnosticOrder(t *testing.T) {
	d := func(s, e int, msg string) Diagnostic { return Diagnostic{Range: Range{s, e}, Message: msg} }
	got := []Diagnostic{d(5, 6, "b"), d(0, 9, "a"), d(5, 6, "a"), d(0, 3, "z"), d(2, 4, "c")}
	sortTreeDiagnostics(got)
	want := []Diagnostic{d(0, 3, "z"), d(0, 9, "a"), d(2, 4, "c"), d(5, 6, "a"), d(5, 6, "b")}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sorted to %v, want %v", got, want)
	}
}

// TestUnclosedOpener pins which quote or flow bracket a region's text
// leaves open (marked «» in src; none when unmarked): the innermost, read
// as YAML reads it: a quote or bracket opens something only where a token
// starts (in a flow collection after a ',', a ':' or a bracket too), a
// comment opens nothing, and a bracket closed by the wrong kind is the
// one never closed.
func TestUnclosedOpener(t *testing.T) {
	for _, src := range []string{
		"«'»x",
		"a «'»x",
		"a'x",
		"«\"»a\\\"b",
		"«'»a''b",
		"'a''b'",
		"\"a\\\\\"",
		"[a, «'»b",
		"[a,«'»b",
		"a,'b",
		"{a:«'»b",
		"a:'b",
		"[«'»b",
		"[a\n«'»b",
		"\t«'»b",
		"«[»a, [b]",
		"[a, «{»b: 1]",
		"{a: «[»1}",
		"[a, {b: [c]}, «{»d]",
		"[a] # [",
		"a #b 'c",
		"[a]\n# [",
		"#[",
		"«[»a #b",
		"«[»a\t# [b",
		"a#[",
		"a[b",
		"[a«[»b",
		"x: [1, 2]",
		"x: {a: '1', b: \"2\"}",
		"«{»a: [1, 2]",
	} {
		text := strings.NewReplacer("«", "", "»", "").Replace(src)
		want := strings.Index(src, "«")
		if got := unclosedOpener([]byte(text)); got != want {
			t.Errorf("unclosedOpener(%q) = %d, want %d", text, got, want)
		}
	}
}

// TestQuoteEnd pins where a quoted string that starts at 0 ends: a '
// closes '-strings, where ” is a quote inside, and a " closes
// "-strings, where \ escapes; no further than the limit given.
func TestQuoteEnd(t *testing.T) {
	for _, c := range []struct {
		src   string
		limit int // 0: the whole src
		want  int
	}{
		{"'a'", 0, 2},
		{"'a''b'", 0, 5},
		{"'a''", 0, -1},
		{"'a'' '", 0, 5},
		{"'a\"b'", 0, 4},
		{"\"a\\\"b\"", 0, 5},
		{"\"a\\\\\"", 0, 4},
		{"\"a'b\"", 0, 4},
		{"\"ab", 0, -1},
		{"'ab' x", 3, -1},
		{"'a'' x'", 4, -1},
		{"''", 0, 1},
	} {
		limit := c.limit
		if limit == 0 {
			limit = len(c.src)
		}
		if got := quoteEnd([]byte(c.src), 0, limit); got != c.want {
			t.Errorf("quoteEnd(%q, 0, %d) = %d, want %d", c.src, limit, got, c.want)
		}
	}
}
