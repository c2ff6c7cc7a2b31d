package syntax

import (
	"encoding/json"
	"strings"
	"testing"
)

// The byte-level scanners of the JSON member-wise parse (jsonregion.go),
// each against its contract. They decide where a diagnostic goes and which
// lines a member region holds; the region and placement tables
// (TestUpdateTreeRegion, TestJSONLayouts, brokendiag_test.go) exercise
// them through whole documents.

// TestJSONValueBytes: the bytes a JSON value starts with (a string, an
// object, an array, a number, true, false, null) and the bytes one ends
// with (a word being typed counts: any lower-case letter).
func TestJSONValueBytes(t *testing.T) {
	const starts = `"{[-0123456789tfn`
	const ends = `"}]0123456789abcdefghijklmnopqrstuvwxyz`
	for c := 0; c < 256; c++ {
		b := byte(c)
		if got, want := jsonValueStart(b), strings.IndexByte(starts, b) >= 0; got != want {
			t.Errorf("jsonValueStart(%q) = %v, want %v", b, got, want)
		}
		if got, want := jsonValueEnd(b), strings.IndexByte(ends, b) >= 0; got != want {
			t.Errorf("jsonValueEnd(%q) = %v, want %v", b, got, want)
		}
	}
}

// TestJSONStringStart: the quote that opens the string closed at end, on
// end's line and not before from; a quote escaped by an odd number of
// backslashes is inside the string.
func TestJSONStringStart(t *testing.T) {
	for _, c := range []struct {
		text      string
		from, end int
		want      int
	}{
		{`x "ab"`, 0, 5, 2},
		{`x "a\"b"`, 0, 7, 2},        // an escaped quote inside
		{`x\\"ab"`, 0, 6, 3},         // two backslashes escape each other
		{`x\"ab"`, 0, 5, -1},         // the only other quote is escaped
		{`x\"ab"`, 2, 5, 2},          // ... by a backslash before from
		{`\"ab"`, 0, 4, -1},          // ... by a backslash at from
		{"\"a\nb\"", 0, 4, -1},       // the opening quote is on another line
		{`"ab"`, 1, 3, -1},           // the opening quote is before from
		{`: "a" "b"`, 0, 8, 6},       // the nearest one
		{`"a\\\"b"`, 0, 7, 0},        // three backslashes: escaped
		{`ab\\\\"c"`, 0, 8, 6},       // four: not
		{`"ab" "c\\\\\\"`, 0, 13, 5}, // the closing quote itself is not looked at
	} {
		if got := jsonStringStart([]byte(c.text), c.from, c.end); got != c.want {
			t.Errorf("jsonStringStart(%q, %d, %d) = %d, want %d", c.text, c.from, c.end, got, c.want)
		}
	}
}

// TestJSONFlowComma: yaml's "did not find expected ','" inside a member's
// value (the value starts at from) is moved to where JSON wants the ',':
// just after the value before the next item or member (whose key yaml may
// have read into that value), or it becomes "a value must follow this
// ':'" or "JSON has no comments"; anything else is left as it is.
func TestJSONFlowComma(t *testing.T) {
	const member, item = "did not find expected ',' or '}'", "did not find expected ',' or ']'"
	at := func(text, sub string, skip int) int {
		i := strings.Index(text, sub)
		if i < 0 {
			t.Fatalf("%q not in %q", sub, text)
		}
		return i + skip
	}
	for _, c := range []struct {
		name, text, msg string
		at              int // where yaml reports it
		want            Range
		wantMsg         string // "" for unchanged
	}{
		{"the next member's key read into the value", `"a": {"x": 1 "y": 2}`, member, 16,
			Range{11, 12}, "syntax error: missing ',' after this value (the next member follows)"},
		{"blanks before the next key's ':'", `"a": {"x": 1 "y" : 2}`, member, 17,
			Range{11, 12}, "syntax error: missing ',' after this value (the next member follows)"},
		{"an escaped quote in the next key", `"a": {"x": 1 "y\"z": 2}`, member, 19,
			Range{11, 12}, "syntax error: missing ',' after this value (the next member follows)"},
		{"the next item on the next line", "\"a\": [1\n    2]", item, 12,
			Range{6, 7}, "syntax error: missing ',' after this value (the next item follows)"},
		{"a word being typed before the next item", `"a": [nu "x"]`, item, 9,
			Range{7, 8}, "syntax error: missing ',' after this value (the next item follows)"},
		{"a ':' without a value before the next key", "\"a\": {\"b\":\n  \"c\": 1}", member, 16,
			Range{9, 10}, "syntax error: a value must follow this ':'"},
		{"a // comment", "\"a\": [1 // x\n]", item, 8,
			Range{8, 12}, "syntax error: JSON has no comments"},
		{"a # comment at the start of a line", "\"a\": [1\n# x\n]", item, 8,
			Range{8, 11}, "syntax error: JSON has no comments"},
		{"a # comment at the end of the text", `"a": [1 # x`, item, 8,
			Range{8, 11}, "syntax error: JSON has no comments"},
		{"another message", `"a": [1 2]`, "did not find expected key", 8, Range{8, 9}, ""},
		{"at the start of the value", `"a"://x`, item, 4, Range{4, 5}, ""},
		{"at the end of the text", `"a": [1`, item, 7, Range{7, 7}, ""},
		{"only blanks before it in the value", `"a": 1`, item, 5, Range{5, 6}, ""},
		{"a ':' after something not a string", `"a": {"x": 1 y: 2}`, member, 14, Range{14, 15}, ""},
		{"a ':' after a quote opened on another line", "\"a\": {\"x\": 1\n  y\": 2}", member, 17, Range{17, 18}, ""},
		{"a ':' right at the start of the value", `"a": : 1`, member, 5, Range{5, 6}, ""},
		{"after a ','", `"a": [1,  2]`, item, 10, Range{10, 11}, ""},
		{"before something that is not a value", `"a": [1 ;]`, item, 8, Range{8, 9}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := syntaxError(Range{c.at, c.at + 1}, c.msg)
			if c.at >= len(c.text) {
				in.Range = Range{c.at, c.at}
			}
			got := jsonFlowComma([]byte(c.text), at(c.text, ":", 1), in)
			want := in
			if c.wantMsg != "" {
				want = syntaxError(c.want, c.wantMsg)
			}
			if got.Range != want.Range || got.Message != want.Message {
				t.Errorf("got %v %q, want %v %q", got.Range, got.Message, want.Range, want.Message)
			}
		})
	}
}

// TestJSONKey: a member's key string from its opening quote: where it ends,
// the ':' after it (blanks between), whether it is closed within [ks, e)
// (if not, it runs to the end of its line).
func TestJSONKey(t *testing.T) {
	for _, c := range []struct {
		text          string
		ks, e         int
		keyEnd, colon int
		closed        bool
	}{
		{`"ab": 1`, 0, 7, 4, 4, true},
		{"\"ab\" \t: 1", 0, 9, 4, 6, true},
		{`"ab" 1`, 0, 6, 4, -1, true},
		{`"ab"`, 0, 4, 4, -1, true},
		{`"a\"b": 1`, 0, 9, 6, 6, true},
		{`"ab": 1`, 0, 4, 4, -1, true},      // the ':' is after e
		{"\"ab\n\": 1", 0, 9, 3, -1, false}, // never closed on its line
		{`"ab": 1`, 0, 3, 7, -1, false},     // its closing quote is at e
		{`"ab": 1`, 0, 0, 0, -1, false},     // nothing in [ks, e)
		{`ab: 1`, 0, 5, 0, -1, false},       // not a string
	} {
		ke, colon, closed := jsonKey([]byte(c.text), c.ks, c.e)
		if ke != c.keyEnd || colon != c.colon || closed != c.closed {
			t.Errorf("jsonKey(%q, %d, %d) = %d, %d, %v, want %d, %d, %v", c.text, c.ks, c.e, ke, colon, closed, c.keyEnd, c.colon, c.closed)
		}
	}
}

// TestJSONKeyLine: a key at ks starts its line when only col bytes of
// blanks precede it on its line.
func TestJSONKeyLine(t *testing.T) {
	for _, c := range []struct {
		text    string
		ks, col int
		ls      int
		ok      bool
	}{
		{`  "a"`, 2, 2, 0, true},
		{"{\n\t \"a\"", 4, 2, 2, true},
		{"{\r  \"a\"", 4, 2, 2, true},
		{`{ "a"`, 2, 1, 0, false},      // after the '{' on its line
		{"{\n  \"a\"", 4, 1, 0, false}, // more indentation than col
		{"{\nx \"a\"", 4, 2, 0, false}, // something else before it
		{`"a"`, 0, 2, 0, false},        // less than col before it
	} {
		ls, ok := jsonKeyLine([]byte(c.text), c.ks, c.col)
		if ls != c.ls || ok != c.ok {
			t.Errorf("jsonKeyLine(%q, %d, %d) = %d, %v, want %d, %v", c.text, c.ks, c.col, ls, ok, c.ls, c.ok)
		}
	}
}

// TestJSONFirstLine: the first line of a region that holds something: its
// indentation (jsonFirstColumn), whether it starts a key at a column
// (jsonKeyLineAt); blank lines, and blanks that run to the region's end
// (or the text's), hold nothing.
func TestJSONFirstLine(t *testing.T) {
	for _, c := range []struct {
		text   string
		fs, fe int
		col    int
		found  bool
		key    bool // starts a key at col
	}{
		{"  \n\n    \"a\": 1\n", 0, 15, 4, true, true},
		{"\t\"a\"", 0, 4, 1, true, true},
		{"  \n  1\n", 0, 7, 2, true, false},
		{"  \n\t\n", 0, 5, 0, false, false},
		{"{\n  ", 2, 4, 0, false, false},     // blanks up to the end of the text
		{"\n\"a\"", 0, 1, 0, false, false},   // the key is after the region
		{"\n  \"a\"", 0, 3, 0, false, false}, // ... on its last line
	} {
		text := []byte(c.text)
		col, found := jsonFirstColumn(text, c.fs, c.fe)
		if found != c.found || (found && col != c.col) {
			t.Errorf("jsonFirstColumn(%q, %d, %d) = %d, %v, want %d, %v", c.text, c.fs, c.fe, col, found, c.col, c.found)
		}
		if got := jsonKeyLineAt(text, c.fs, c.fe, c.col); got != c.key {
			t.Errorf("jsonKeyLineAt(%q, %d, %d, %d) = %v, want %v", c.text, c.fs, c.fe, c.col, got, c.key)
		}
	}
}

// TestLineIndentAt: the indentation of the first line at or after at that
// holds something, -1 when none does.
func TestLineIndentAt(t *testing.T) {
	for _, c := range []struct {
		text string
		at   int
		want int
	}{
		{"a\n\n   b", 1, 3},
		{"a\n \t\n  b\n", 2, 2},
		{"a\n  ", 1, -1},
		{"a\n\n", 1, -1},
		{"a", 1, -1},
	} {
		if got := lineIndentAt([]byte(c.text), c.at); got != c.want {
			t.Errorf("lineIndentAt(%q, %d) = %d, want %d", c.text, c.at, got, c.want)
		}
	}
}

// TestJSONInside: a member region at column col has no line with
// something on it indented less than col (blank lines do not count).
func TestJSONInside(t *testing.T) {
	for _, c := range []struct {
		frag string
		col  int
		want bool
	}{
		{"    \"a\": [\n\n      1\n    ]\n", 4, true},
		{"    \"a\": [\n \t\n      1\n    ]", 4, true},
		{"    \"a\": [\n  1\n    ]\n", 4, false},
		{"    \"a\": [\n      1\n   ]", 4, false},
	} {
		if got := jsonInside([]byte(c.frag), c.col); got != c.want {
			t.Errorf("jsonInside(%q, %d) = %v, want %v", c.frag, c.col, got, c.want)
		}
	}
}

// TestTrailingComma: the ',' that a ']' or '}' follows (blanks and line
// breaks between them), not before s.
func TestTrailingComma(t *testing.T) {
	for _, c := range []struct {
		text  string
		s, at int
		want  int
	}{
		{"[1,]", 0, 3, 2},
		{"{\"a\": 1,\n \t}", 0, 11, 7},
		{",]", 0, 1, 0},
		{",]", 1, 1, -1}, // the ',' is before s
		{"[1]", 0, 2, -1},
		{"[1,]", 0, 2, -1}, // not at a closer
		{"[1,", 0, 3, -1},  // at the end of the text
	} {
		if got := trailingComma([]byte(c.text), c.s, c.at); got != c.want {
			t.Errorf("trailingComma(%q, %d, %d) = %d, want %d", c.text, c.s, c.at, got, c.want)
		}
	}
}

// TestJSONUnclosed: the string, array or object that [s, e) opens and
// never closes, as pretty-printed JSON is laid out: a string ends at its
// line's end; a bracket with something after it on its line closes on
// that line (else the innermost such of the last line is the one); a
// bracket that ends its line closes on a later line when the lines below
// are indented deeper than its own.
func TestJSONUnclosed(t *testing.T) {
	for _, c := range []struct {
		text string
		s    int
		want int
	}{
		{`"x": "abc`, 4, 5},
		{`"x": [1, 2]`, 4, -1},
		{"\"x\": [1, 2\n", 4, 5},
		{"\"x\": [1, [2\n  ]\n", 4, 9},
		{`[{"a": 1]`, 0, 1},                       // the '{' is the one never closed
		{"[1\n{]", 0, 0},                          // the '[' left open on its line, not the '{'
		{"[1\n", 0, 0},                            // ... at the start of the region
		{"[1,\n]", 0, 0},                          // a ']' on a later line does not close it
		{"\"a\":[\n    1\n]", 4, -1},              // closed below its deeper lines
		{"\"a\": {\n    \"b\": [\n", 4, 16},       // the innermost of the brackets that end their lines
		{"[\n1\n]", 0, 0},                         // the line below is not deeper
		{"\"a\": [\n    \"b\n    ]\n", 4, 11},     // a string never closed inside it
		{"\"a\": [\n    \"b\\\"\n    ]\n", 4, 11}, // an escaped quote does not close it
	} {
		if got := jsonUnclosed([]byte(c.text), c.s, len(c.text)); got != c.want {
			t.Errorf("jsonUnclosed(%q, %d) = %d, want %d", c.text, c.s, got, c.want)
		}
	}
}

// TestJSONContinues: text after a root object's closing '}' that reads as
// more of the document (a ',' after it, a later line starting with a key,
// a ',' or a closer) rather than as text after its end.
func TestJSONContinues(t *testing.T) {
	for _, c := range []struct {
		text string
		end  int
		want bool
	}{
		{"{}  ", 2, false},
		{"{}", 2, false},
		{"{}\n  ", 2, false},
		{"{}\n\n  x\n", 2, false},
		{"{} ,", 2, true},
		{"{}\n  \"b\": 1", 2, true},
		{"{}\n}", 2, true},
		{"{}\n\t]", 2, true},
		{"{}\n, \"c\": 2", 2, true},
	} {
		if got := jsonContinues([]byte(c.text), c.end); got != c.want {
			t.Errorf("jsonContinues(%q, %d) = %v, want %v", c.text, c.end, got, c.want)
		}
	}
}

// TestJSONNotAnObject: a text of blanks (or nothing but a BOM) is not
// parsed member by member.
func TestJSONNotAnObject(t *testing.T) {
	for _, text := range []string{"", " \n\t", "\ufeff", "\ufeff\r\n"} {
		if _, _, _, why := parseJSONTolerant([]byte(text), regionChunk); why != "not a JSON object with a quoted first key" {
			t.Errorf("%q: %q", text, why)
		}
	}
}

// TestClosedObject: an object a member-wise parse closed ends with a '}'
// first on its line (blanks before it); one never closed ends with its
// last member, a compact one with a '}' after its members on their line.
func TestClosedObject(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want bool
	}{
		{"{\n  \"a\": 1\n}\n", true},
		{"{\n  \"a\": 1\n  }", true},
		{"{\n  \"a\": 1\r}", true},
		{"{\n  \"a\": 1 }\n", false},
		{"{}\n", false},
		{"{\n  \"a\": 1,\n  \"b\": 2\n", false},
	} {
		tree := ParseTree([]byte(c.doc))
		if len(tree.Docs) != 1 || tree.Docs[0] == nil {
			t.Fatalf("%q: no tree", c.doc)
		}
		if got := closedObject([]byte(c.doc), tree.Docs[0], nil); got != c.want {
			t.Errorf("closedObject(%q) = %v, want %v", c.doc, got, c.want)
		}
	}
}

// TestRunFitsBlanked: runFitsBlanked's contract (jsoncompactbroken.go) is
// json.Valid of the text with the regions blanked, for a run of members
// (⟦…⟧) that parses as members once blanked, the broken regions «…»
// anywhere; only the separators around the run decide.
func TestRunFitsBlanked(t *testing.T) {
	for _, src := range []string{
		`{"a":1,⟦"b":2,⟧"c":3}`,
		`{"a":1,⟦"b":2⟧}`,
		`{"a":1,⟦"b":2,⟧}`,              // a ',' before the '}'
		`{"a":1,⟦"b":2⟧"c":3}`,          // no ',' before the next member
		`{⟦"b":2,⟧"c":3}`,               // the first member
		`{"a": 1, ⟦"b": 2, ⟧"c": 3}`,    // blanks around the run
		`{"a": 1, «"x": "y, »⟦"b": 2⟧}`, // a region between the ',' and the run
		`{"a":1,⟦«"b":"x,»⟧"c":3}`,      // nothing left of the run, between ',' and a member
		`{⟦«"b":"x,»⟧"c":3}`,            // between '{' and a member
		`{"a":1⟦«,"b":"x»⟧}`,            // between a member and the '}'
		`{"a":1,⟦«"b":"x»⟧}`,            // between ',' and '}'
		`{"a":1,⟦ ⟧}`,                   // one blank between ',' and '}'
		`{"a":1, ⟦«"b":"x»⟧}`,           // a blank before it
		`{"a":1,⟦"b":2⟧«,"c":"x»}`,      // a region with its ',' after the run
		`{"a":[1,⟦2⟧],"b":1}`,           // an item
		`{"a":[1,⟦2,⟧],"b":1}`,          //
		`{"a":[⟦«"x,»⟧2],"b":1}`,        // between '[' and an item
		`{"a":{}, ⟦«"b":"x, »⟧ "c":[]}`, // blanks and brackets around an empty run
	} {
		var text []byte
		var rs []compactRegion
		from, next := -1, -1
		for _, r := range src {
			switch r {
			case '⟦':
				from = len(text)
			case '⟧':
				next = len(text)
			case '«':
				rs = append(rs, compactRegion{from: len(text), comma: -1})
			case '»':
				rs[len(rs)-1].to = len(text)
			default:
				text = append(text, string(r)...)
			}
		}
		want := json.Valid(blankCompactRegions(text, rs))
		if got := runFitsBlanked(text, rs, from, next); got != want {
			t.Errorf("%s: %v, want %v (%s)", src, got, want, blankCompactRegions(text, rs))
		}
	}
}
