package syntax

import (
	"math/rand"
	"testing"
	"unicode/utf16"
)

func pr(l1, c1, l2, c2 int) *PosRange {
	return &PosRange{Start: Pos{l1, c1}, End: Pos{l2, c2}}
}

func TestApplyChangesTable(t *testing.T) {
	cases := []struct {
		name    string
		text    string
		changes []Change
		want    string
		edits   []Edit
	}{
		{"insert", "ab", []Change{{pr(0, 1, 0, 1), "X"}}, "aXb", []Edit{{1, 1, "X"}}},
		{"replace after emoji", "😀ab", []Change{{pr(0, 2, 0, 3), "Z"}}, "😀Zb", []Edit{{4, 5, "Z"}}},
		{"delete across lines", "ab\ncd\nef", []Change{{pr(0, 1, 2, 1), ""}}, "af", []Edit{{1, 7, ""}}},
		{"delete across CRLF", "ab\r\ncd", []Change{{pr(0, 2, 1, 0), ""}}, "abcd", []Edit{{2, 4, ""}}},
		{"char past line end never splits CRLF", "ab\r\ncd", []Change{{pr(0, 9, 0, 9), "!"}}, "ab!\r\ncd", []Edit{{2, 2, "!"}}},
		{"line past end means end of text", "ab\ncd", []Change{{pr(7, 0, 9, 3), "!"}}, "ab\ncd!", []Edit{{5, 5, "!"}}},
		{"reversed range", "abcd", []Change{{pr(0, 3, 0, 1), ""}}, "ad", []Edit{{1, 3, ""}}},
		{"full replacement", "old", []Change{{nil, "new\n"}}, "new\n", []Edit{{0, 3, "new\n"}}},
		{"sequence sees intermediate text", "abc", []Change{
			{pr(0, 0, 0, 0), "中"}, // 中abc
			{pr(0, 1, 0, 2), ""},  // 中bc
			{nil, "x\ny"},         // x\ny
			{pr(1, 1, 1, 1), "😀"}, // x\ny😀
			{pr(1, 2, 1, 2), "!"}, // inside the surrogate pair: rounds down
		}, "x\ny!😀", []Edit{{0, 0, "中"}, {3, 4, ""}, {0, 5, "x\ny"}, {3, 3, "😀"}, {3, 3, "!"}}},
		{"insert after BOM", bom + "a", []Change{{pr(0, 0, 0, 0), "b"}}, bom + "ba", []Edit{{3, 3, "b"}}},
		{"empty text", "", []Change{{pr(3, 3, 4, 4), "a"}}, "a", []Edit{{0, 0, "a"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			orig := []byte(c.text)
			got, edits := ApplyChanges(orig, c.changes)
			if string(got) != c.want {
				t.Errorf("text = %q, want %q", got, c.want)
			}
			if string(orig) != c.text {
				t.Errorf("input modified: %q", orig)
			}
			if len(edits) != len(c.edits) {
				t.Fatalf("edits = %v, want %v", edits, c.edits)
			}
			for i := range edits {
				if edits[i] != c.edits[i] {
					t.Errorf("edit %d = %v, want %v", i, edits[i], c.edits[i])
				}
			}
			// With the caller's mapper: the same text and edits, and the
			// mapper of the new text unless a change replaced it whole.
			mgot, m, medits := ApplyChangesMapped(orig, NewMapper(orig), c.changes)
			if string(mgot) != c.want || len(medits) != len(c.edits) {
				t.Fatalf("mapped: text = %q, edits = %v", mgot, medits)
			}
			for i := range medits {
				if medits[i] != c.edits[i] {
					t.Errorf("mapped: edit %d = %v, want %v", i, medits[i], c.edits[i])
				}
			}
			full := false
			for _, ch := range c.changes {
				full = full || ch.Range == nil
			}
			if full != (m == nil) {
				t.Fatalf("mapped: mapper %v after a whole replacement %v", m != nil, full)
			}
			if m != nil {
				checkMapperOf(t, m, mgot)
			}
		})
	}
}

// checkMapperOf fails unless m indexes text exactly as NewMapper does.
func checkMapperOf(t *testing.T, m *Mapper, text []byte) {
	t.Helper()
	want := NewMapper(text)
	if string(m.Text()) != string(text) || m.LineCount() != want.LineCount() {
		t.Fatalf("mapper of %q has %d lines, want %d", m.Text(), m.LineCount(), want.LineCount())
	}
	for l := 0; l < want.LineCount(); l++ {
		if m.LineStart(l) != want.LineStart(l) || m.LineEnd(l) != want.LineEnd(l) {
			t.Fatalf("line %d of %q: [%d,%d), want [%d,%d)", l, text, m.LineStart(l), m.LineEnd(l), want.LineStart(l), want.LineEnd(l))
		}
	}
}

// TestApplyChangesMappedChain: a mapper kept across many keystrokes (the
// server's didChange) resolves every position as a fresh mapper would.
func TestApplyChangesMappedChain(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	alphabet := []string{"a", "é", "中", "😀", "\n", "\r\n", "\r", " "}
	for seq := 0; seq < 100; seq++ {
		text := []byte(randomText(rng, alphabet, rng.Intn(40)))
		m := NewMapper(text)
		for step := 0; step < 20; step++ {
			lines := m.LineCount()
			p1 := Pos{rng.Intn(lines + 1), rng.Intn(6)}
			p2 := p1
			if rng.Intn(3) == 0 {
				p2 = Pos{rng.Intn(lines + 1), rng.Intn(6)}
			}
			batch := []Change{{Range: &PosRange{Start: p1, End: p2}, Text: randomText(rng, alphabet, rng.Intn(3))}}
			want, wantEdits := ApplyChanges(text, batch)
			var edits []Edit
			text, m, edits = ApplyChangesMapped(text, m, batch)
			if string(text) != string(want) || edits[0] != wantEdits[0] {
				t.Fatalf("seq %d step %d: %q %v, want %q %v", seq, step, text, edits, want, wantEdits)
			}
			checkMapperOf(t, m, text)
		}
	}
}

// u16Text is an independent model of an editor buffer: the text as UTF-16
// code units, with LSP's rules for resolving positions.
type u16Text []uint16

func (u u16Text) lines() (starts, ends []int) {
	starts = []int{0}
	for i := 0; i < len(u); i++ {
		switch u[i] {
		case '\n':
			ends = append(ends, i)
			starts = append(starts, i+1)
		case '\r':
			ends = append(ends, i)
			if i+1 < len(u) && u[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return starts, append(ends, len(u))
}

// index resolves a position: a line past the last gives the end of the
// text, a character past a line's end gives the end of that line (before
// its break), and a character inside a surrogate pair rounds down.
func (u u16Text) index(p Pos) int {
	starts, ends := u.lines()
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(starts) {
		return len(u)
	}
	i := starts[p.Line] + max(p.Character, 0)
	if i > ends[p.Line] {
		return ends[p.Line]
	}
	if i > starts[p.Line] && utf16.IsSurrogate(rune(u[i-1])) && u[i-1] < 0xDC00 {
		i-- // between a high and a low surrogate
	}
	return i
}

func (u u16Text) apply(c Change) u16Text {
	repl := utf16.Encode([]rune(c.Text))
	if c.Range == nil {
		return repl
	}
	s, e := u.index(c.Range.Start), u.index(c.Range.End)
	if e < s {
		s, e = e, s
	}
	out := make(u16Text, 0, len(u)+len(repl))
	out = append(out, u[:s]...)
	out = append(out, repl...)
	return append(out, u[e:]...)
}

func (u u16Text) String() string { return string(utf16.Decode(u)) }

// TestApplyChangesRandom applies thousands of random edits (emoji, CJK,
// CRLF, lone CR, deletions across lines, full replacements, out-of-range
// positions) and compares with the UTF-16 model after every batch.
func TestApplyChangesRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	alphabet := []string{"a", "b", "é", "中", "😀", "\n", "\r\n", "\r", "\t", " ", "𝄞"}
	total := 0
	for seq := 0; seq < 300; seq++ {
		text := []byte(randomText(rng, alphabet, rng.Intn(30)))
		model := u16Text(utf16.Encode([]rune(string(text))))
		for step := 0; step < 8; step++ {
			starts, ends := model.lines()
			var batch []Change
			for k := rng.Intn(3) + 1; k > 0; k-- {
				randPos := func() Pos {
					l := rng.Intn(len(starts) + 2) // sometimes past the last line
					c := rng.Intn(6)
					if l < len(starts) {
						c = rng.Intn(ends[l] - starts[l] + 3) // sometimes past the end
					}
					return Pos{l, c}
				}
				c := Change{Text: randomText(rng, alphabet, rng.Intn(5))}
				if rng.Intn(25) != 0 {
					r := PosRange{Start: randPos(), End: randPos()}
					c.Range = &r
				}
				batch = append(batch, c)
			}
			prev := text
			var edits []Edit
			text, edits = ApplyChanges(text, batch)
			// Replaying the returned byte edits gives the same text.
			replay := prev
			for _, e := range edits {
				if e.Start < 0 || e.Start > e.End || e.End > len(replay) {
					t.Fatalf("bad edit %v for text of %d bytes", e, len(replay))
				}
				replay = e.Apply(replay)
			}
			for _, c := range batch {
				model = model.apply(c)
				total++
			}
			if string(text) != model.String() || string(replay) != string(text) {
				t.Fatalf("seq %d step %d: from %q with %+v\n got %q\nwant %q\nreplay %q", seq, step, prev, batch, text, model.String(), replay)
			}
		}
	}
	if total < 2000 {
		t.Fatalf("only %d edits", total)
	}
}

// TestOffsetAt: the line-scanning offsetAt agrees with a full Mapper.
func TestOffsetAt(t *testing.T) {
	texts := []string{"", "a", "\xef\xbb\xbfab\ncd", "\xef\xbb\xbf", "a\r\nb\rc\n\nd", "é😀x\r\n日本\n", "\r", "\n\r\n\r\r\n", "asyncapi: 3.0.0\ninfo:\n  title: Demo\n  version: 1.0.0\nchannels:\n  user:\n    address: user/{id}\n"}
	for _, s := range texts {
		text := []byte(s)
		m := NewMapper(text)
		for line := -1; line <= m.LineCount()+1; line++ {
			for ch := -1; ch <= 12; ch++ {
				p := Pos{line, ch}
				if got, want := offsetAt(text, p), m.Offset(p); got != want {
					t.Fatalf("%q %v: got %d, want %d", s, p, got, want)
				}
			}
		}
	}
}
