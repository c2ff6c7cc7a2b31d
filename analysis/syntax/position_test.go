package syntax

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// TestMapperTable checks byte offset -> position and position -> offset on
// hand-written cases. Each case lists (offset, line, character) triples
// that must hold in both directions, plus positions that only map one way
// (clamping).
func TestMapperTable(t *testing.T) {
	type both struct{ off, line, char int }
	type toOff struct{ line, char, off int }
	type toPos struct{ off, line, char int }
	cases := []struct {
		name  string
		text  string
		lines int
		both  []both
		toOff []toOff // positions that are clamped or rounded
		toPos []toPos // offsets that are clamped or rounded
	}{
		{name: "empty", text: "", lines: 1,
			both:  []both{{0, 0, 0}},
			toOff: []toOff{{0, 5, 0}, {3, 0, 0}, {-1, 0, 0}},
			toPos: []toPos{{7, 0, 0}, {-3, 0, 0}}},
		{name: "ascii", text: "ab\ncd", lines: 2,
			both:  []both{{0, 0, 0}, {1, 0, 1}, {2, 0, 2}, {3, 1, 0}, {5, 1, 2}},
			toOff: []toOff{{0, 9, 2}, {1, 9, 5}, {2, 0, 5}, {99, 99, 5}}},
		{name: "final newline gives an empty last line", text: "a\n", lines: 2,
			both:  []both{{0, 0, 0}, {1, 0, 1}, {2, 1, 0}},
			toOff: []toOff{{1, 4, 2}, {2, 0, 2}}},
		{name: "e acute is 2 bytes 1 unit", text: "é=1\nx", lines: 2,
			both:  []both{{0, 0, 0}, {2, 0, 1}, {3, 0, 2}, {4, 0, 3}, {5, 1, 0}},
			toPos: []toPos{{1, 0, 0}}},
		{name: "CJK is 3 bytes 1 unit", text: "中文: v", lines: 1,
			both:  []both{{3, 0, 1}, {6, 0, 2}, {7, 0, 3}, {9, 0, 5}},
			toPos: []toPos{{1, 0, 0}, {2, 0, 0}, {4, 0, 1}}},
		{name: "emoji is 4 bytes 2 units", text: "a😀b\n😀", lines: 2,
			both: []both{{0, 0, 0}, {1, 0, 1}, {5, 0, 3}, {6, 0, 4}, {7, 1, 0}, {11, 1, 2}},
			// inside the surrogate pair: round down to the emoji's start
			toOff: []toOff{{0, 2, 1}, {1, 1, 7}, {1, 3, 11}},
			toPos: []toPos{{2, 0, 1}, {3, 0, 1}, {4, 0, 1}}},
		{name: "CRLF", text: "ab\r\ncd\r\n", lines: 3,
			both: []both{{2, 0, 2}, {4, 1, 0}, {6, 1, 2}, {8, 2, 0}},
			// never split a CRLF: past the end of line 0 is before "\r"
			toOff: []toOff{{0, 3, 2}, {0, 100, 2}, {1, 3, 6}},
			toPos: []toPos{{3, 0, 2}, {7, 1, 2}}},
		{name: "lone CR", text: "a\rb\r\rc", lines: 4,
			both:  []both{{1, 0, 1}, {2, 1, 0}, {3, 1, 1}, {4, 2, 0}, {5, 3, 0}, {6, 3, 1}},
			toOff: []toOff{{2, 1, 4}}},
		{name: "mixed breaks", text: "a\nb\r\nc\rd", lines: 4,
			both: []both{{2, 1, 0}, {5, 2, 0}, {7, 3, 0}, {8, 3, 1}}},
		{name: "tab counts one", text: "\tk:\t😀", lines: 1,
			both: []both{{1, 0, 1}, {3, 0, 3}, {4, 0, 4}, {8, 0, 6}}},
		{name: "BOM is not a column", text: bom + "ab\nc", lines: 2,
			both:  []both{{3, 0, 0}, {4, 0, 1}, {5, 0, 2}, {6, 1, 0}},
			toOff: []toOff{{0, 0, 3}},
			toPos: []toPos{{0, 0, 0}, {1, 0, 0}, {2, 0, 0}}},
		{name: "invalid UTF-8 bytes count one unit each", text: "a\xff\xfeb\n\xc3", lines: 2,
			both: []both{{1, 0, 1}, {2, 0, 2}, {3, 0, 3}, {4, 0, 4}, {5, 1, 0}, {6, 1, 1}}},
		{name: "truncated UTF-8 sequence", text: "\xe4\xb8x", lines: 1,
			// "\xe4\xb8" is an incomplete 3-byte sequence: two invalid bytes
			both: []both{{0, 0, 0}, {1, 0, 1}, {2, 0, 2}, {3, 0, 3}}},
		{name: "NEL LS PS are not LSP line breaks", text: "a\u0085b\u2028c\u2029d", lines: 1,
			both: []both{{1, 0, 1}, {3, 0, 2}, {4, 0, 3}, {7, 0, 4}, {11, 0, 6}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := NewMapper([]byte(c.text))
			if got := m.LineCount(); got != c.lines {
				t.Errorf("LineCount = %d, want %d", got, c.lines)
			}
			for _, b := range c.both {
				if got := m.Position(b.off); got != (Pos{b.line, b.char}) {
					t.Errorf("Position(%d) = %v, want %d:%d", b.off, got, b.line, b.char)
				}
				if got := m.Offset(Pos{b.line, b.char}); got != b.off {
					t.Errorf("Offset(%d:%d) = %d, want %d", b.line, b.char, got, b.off)
				}
			}
			for _, o := range c.toOff {
				if got := m.Offset(Pos{o.line, o.char}); got != o.off {
					t.Errorf("Offset(%d:%d) = %d, want %d", o.line, o.char, got, o.off)
				}
			}
			for _, p := range c.toPos {
				if got := m.Position(p.off); got != (Pos{p.line, p.char}) {
					t.Errorf("Position(%d) = %v, want %d:%d", p.off, got, p.line, p.char)
				}
			}
		})
	}
}

func TestMapperLineBounds(t *testing.T) {
	m := NewMapper([]byte(bom + "ab\r\ncd\re\n"))
	want := []struct{ start, end int }{{3, 5}, {7, 9}, {10, 11}, {12, 12}}
	if m.LineCount() != len(want) {
		t.Fatalf("LineCount = %d", m.LineCount())
	}
	for i, w := range want {
		if s, e := m.LineStart(i), m.LineEnd(i); s != w.start || e != w.end {
			t.Errorf("line %d = [%d,%d), want [%d,%d)", i, s, e, w.start, w.end)
		}
	}
	if s, e := m.LineStart(9), m.LineEnd(9); s != 12 || e != 12 {
		t.Errorf("line past the end = [%d,%d), want [12,12)", s, e)
	}
	if got := m.Range(PosRange{Start: Pos{1, 1}, End: Pos{0, 1}}); got != (Range{4, 8}) {
		t.Errorf("reversed Range = %v, want {4 8}", got)
	}
	if got := m.PosRange(Range{4, 11}); got != (PosRange{Pos{0, 1}, Pos{2, 1}}) {
		t.Errorf("PosRange = %v", got)
	}
}

// refPositions computes, independently of Mapper, the position of every
// rune boundary of a valid UTF-8 text by walking UTF-16 units.
func refPositions(text string) map[int]Pos {
	out := map[int]Pos{}
	line, col := 0, 0
	i := 0
	if len(text) >= 3 && text[:3] == bom {
		out[0] = Pos{0, 0}
		i = 3
	}
	for i <= len(text) {
		out[i] = Pos{line, col}
		if i == len(text) {
			break
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\r' && i+1 < len(text) && text[i+1] == '\n':
			out[i+1] = Pos{line, col} // inside CRLF: end of the line
			line, col = line+1, 0
			i += 2
			continue
		case r == '\n' || r == '\r':
			line, col = line+1, 0
		default:
			col += len(utf16.Encode([]rune{r}))
		}
		i += size
	}
	return out
}

// TestMapperRoundTripRandom compares Mapper with the reference on random
// texts and checks that Offset(Position(off)) == off at rune boundaries.
func TestMapperRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []string{"a", "é", "中", "😀", "\n", "\r\n", "\r", "\t", " ", "𝄞"}
	for iter := 0; iter < 500; iter++ {
		text := randomText(rng, alphabet, rng.Intn(40))
		if iter%7 == 0 {
			text = bom + text
		}
		m := NewMapper([]byte(text))
		for off, want := range refPositions(text) {
			if got := m.Position(off); got != want {
				t.Fatalf("%q: Position(%d) = %v, want %v", text, off, got, want)
			}
			if off > 0 && off < len(text) && text[off-1] == '\r' && text[off] == '\n' {
				continue // inside CRLF: maps to the line end, one byte earlier
			}
			if off == 0 && len(text) >= 3 && text[:3] == bom {
				continue // before the BOM: maps after it
			}
			if got := m.Offset(want); got != off {
				t.Fatalf("%q: Offset(%v) = %d, want %d", text, want, got, off)
			}
		}
	}
}

func randomText(rng *rand.Rand, alphabet []string, n int) string {
	b := make([]byte, 0, n*2)
	for i := 0; i < n; i++ {
		b = append(b, alphabet[rng.Intn(len(alphabet))]...)
	}
	return string(b)
}

// TestMapperLongLine: on a line long enough to have its columns indexed
// (a minified document), Position and Offset give what decoding the line
// from its start gives, for every offset and column: ASCII, 2-, 3- and
// 4-byte characters (surrogate pairs), invalid UTF-8, and lines around it.
func TestMapperLongLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: 1\r\n")
	pieces := []string{"{\"k\":\"", "é", "日本", "🙂", "\xff", "x", "\\\"", "\u2028"}
	for i := 0; b.Len() < 3*longLine; i++ {
		b.WriteString(pieces[(i*7)%len(pieces)])
	}
	b.WriteString("\nlast ü line")
	text := []byte(b.String())
	m := NewMapper(text)
	line := 1
	start, end := m.LineStart(line), m.LineEnd(line)
	if end-start < longLine {
		t.Fatal("the line is not long")
	}
	// What Position and Offset compute without the index.
	col := 0
	for i := start; i <= end; {
		want := Pos{Line: line, Character: col}
		if got := m.Position(i); got != want {
			t.Fatalf("Position(%d) = %v, want %v", i, got, want)
		}
		if got := m.Offset(want); got != i {
			t.Fatalf("Offset(%v) = %d, want %d", want, got, i)
		}
		if i == end {
			break
		}
		r, size := utf8.DecodeRune(text[i:])
		for j := 1; j < size; j++ { // inside a character: its start
			if got := m.Position(i + j); got != want {
				t.Fatalf("Position(%d) inside a character = %v, want %v", i+j, got, want)
			}
		}
		if utf16Len(r) == 2 { // inside a surrogate pair: rounds down
			if got := m.Offset(Pos{Line: line, Character: col + 1}); got != i {
				t.Fatalf("Offset inside a surrogate pair = %d, want %d", got, i)
			}
		}
		col += utf16Len(r)
		i += size
	}
	if got := m.Offset(Pos{Line: line, Character: col + 10}); got != end {
		t.Fatalf("Offset past the line's end = %d, want %d", got, end)
	}
}

// TestMapperLongLineUpdates: the column index of a long line carried over
// by UpdateMapper (edits inside the line: typing, deleting, pasting,
// multi-byte characters) converts as a mapper built afresh does.
func TestMapperLongLineUpdates(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	var b strings.Builder
	b.WriteString("x\n")
	for b.Len() < 4*longLine {
		b.WriteString([]string{`{"k":"v`, "é", "日", "🙂", `",`, "abc"}[rng.Intn(6)])
	}
	b.WriteString("\ny\n")
	text := []byte(b.String())
	m := NewMapper(text)
	m.Position(len(text) / 2) // builds the index
	inserts := []string{"a", "é", "🙂", strings.Repeat("日", 400), ""}
	for step := 0; step < 300; step++ {
		start, end := m.LineStart(1), m.LineEnd(1)
		// an edit at a character boundary inside the line
		s := start + rng.Intn(end-start)
		for !utf8.RuneStart(text[s]) {
			s--
		}
		e := s
		if rng.Intn(3) == 0 {
			_, size := utf8.DecodeRune(text[s:])
			e = min(end, s+size)
		}
		ed := Edit{Start: s, End: e, Text: inserts[rng.Intn(len(inserts))]}
		next := ed.Apply(text)
		m = UpdateMapper(m, ed, next)
		fresh := NewMapper(next)
		if m.cols.Load() == nil {
			t.Fatalf("step %d: the index was not carried over", step)
		}
		for k := 0; k < 20; k++ {
			off := rng.Intn(len(next) + 1)
			if got, want := m.Position(off), fresh.Position(off); got != want {
				t.Fatalf("step %d: Position(%d) = %v, want %v", step, off, got, want)
			}
			p := Pos{Line: 1, Character: rng.Intn(3 * longLine)}
			if got, want := m.Offset(p), fresh.Offset(p); got != want {
				t.Fatalf("step %d: Offset(%v) = %d, want %d", step, p, got, want)
			}
		}
		text = next
	}
}

// TestMapperLongLineUpdateAllocs: a keystroke's mapper update on a long
// line (a minified document is one line of megabytes) allocates the same
// number of objects whatever the line's length: the carried column index
// is sized once, not grown by appends (which allocated several times its
// size on every keystroke of a 5 MB line).
func TestMapperLongLineUpdateAllocs(t *testing.T) {
	allocs := func(n int) float64 {
		var b strings.Builder
		b.WriteString("{\r\n")
		for i := 0; b.Len() < n; i++ {
			b.WriteString([]string{`"k":"v`, "é", "日本", "🙂", `",`}[i%5])
		}
		b.WriteString("\r\n}")
		text := []byte(b.String())
		m := NewMapper(text)
		off := m.LineStart(1) + (m.LineEnd(1)-m.LineStart(1))/2
		for !utf8.RuneStart(text[off]) {
			off--
		}
		m.Position(off) // builds the index
		e := Edit{Start: off, End: off, Text: "🙂"}
		next := e.Apply(text)
		got := testing.AllocsPerRun(20, func() {
			if UpdateMapper(m, e, next).cols.Load() == nil {
				t.Fatal("the index was not carried over")
			}
		})
		// and it converts as a fresh mapper does around the edit
		um, fresh := UpdateMapper(m, e, next), NewMapper(next)
		for _, o := range []int{off - 1, off, off + 2, off + 4, off + colStep, len(next) - 2} {
			if a, b := um.Position(o), fresh.Position(o); a != b {
				t.Fatalf("line of %d bytes: Position(%d) = %v, want %v", n, o, a, b)
			}
			p := fresh.Position(o)
			if a, b := um.Offset(p), fresh.Offset(p); a != b {
				t.Fatalf("line of %d bytes: Offset(%v) = %d, want %d", n, p, a, b)
			}
		}
		return got
	}
	short, long := allocs(8*longLine), allocs(4<<20)
	if long != short {
		t.Fatalf("allocations of a mapper update: %v on a line of 4 MB, %v on one of 32 KB", long, short)
	}
}
