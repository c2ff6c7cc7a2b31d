package syntax

import (
	"sort"
	"unicode/utf8"
)

// Range is a half-open byte range [Start, End) into a document's text.
type Range struct {
	Start, End int
}

// Contains reports whether off lies in r; the end is included so that a
// cursor just after a token still counts as "on" it.
func (r Range) Contains(off int) bool { return r.Start <= off && off <= r.End }

// Len returns the number of bytes covered by r.
func (r Range) Len() int { return r.End - r.Start }

// Pos is an editor position: a 0-based line and a 0-based column counted in
// UTF-16 code units, which is what LSP speaks by default.
type Pos struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// PosRange is a range of editor positions.
type PosRange struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

// Mapper converts between byte offsets and editor positions for one version
// of a text. Line breaks are "\n", "\r\n" and a lone "\r", as in LSP. A UTF-8
// byte order mark at the start is not counted as a column (editors hide it).
// Invalid UTF-8 bytes count as one UTF-16 unit each (they display as U+FFFD).
type Mapper struct {
	text       []byte
	lineStarts []uint32 // byte offset of the first byte of each line (texts < 4 GB)
}

const bom = "\xef\xbb\xbf"

// NewMapper indexes the line starts of text. It keeps a reference to text,
// which must not be modified afterwards.
func NewMapper(text []byte) *Mapper {
	m := &Mapper{text: text, lineStarts: make([]uint32, 1, 1+len(text)/32)}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			m.lineStarts = append(m.lineStarts, uint32(i+1))
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			m.lineStarts = append(m.lineStarts, uint32(i+1))
		}
	}
	return m
}

// Text returns the text the mapper indexes.
func (m *Mapper) Text() []byte { return m.text }

// LineCount returns the number of lines; a final line break starts an
// (empty) last line.
func (m *Mapper) LineCount() int { return len(m.lineStarts) }

// LineStart returns the byte offset where line starts, after a BOM on the
// first line. Lines out of range are clamped.
func (m *Mapper) LineStart(line int) int {
	if line < 0 {
		line = 0
	}
	if line >= len(m.lineStarts) {
		return len(m.text)
	}
	s := int(m.lineStarts[line])
	if line == 0 && len(m.text) >= 3 && string(m.text[:3]) == bom {
		s = 3
	}
	return s
}

// LineEnd returns the byte offset of the end of line's content, before its
// line break.
func (m *Mapper) LineEnd(line int) int {
	if line < 0 {
		line = 0
	}
	if line >= len(m.lineStarts)-1 {
		return len(m.text)
	}
	e := int(m.lineStarts[line+1])
	if e > 0 && m.text[e-1] == '\n' {
		e--
	}
	if e > int(m.lineStarts[line]) && m.text[e-1] == '\r' {
		e--
	}
	return e
}

// Line returns the 0-based line that contains off (clamped to the text).
func (m *Mapper) Line(off int) int {
	if off < 0 {
		off = 0
	}
	if off > len(m.text) {
		off = len(m.text)
	}
	return sort.Search(len(m.lineStarts), func(i int) bool { return int(m.lineStarts[i]) > off }) - 1
}

// Position converts a byte offset to an editor position. An offset inside a
// line break maps to the end of that line; one inside a multi-byte character
// maps to the start of that character.
func (m *Mapper) Position(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(m.text) {
		off = len(m.text)
	}
	line := m.Line(off)
	start, end := m.LineStart(line), m.LineEnd(line)
	if off > end {
		off = end
	}
	col := 0
	for i := start; i < off; {
		r, size := utf8.DecodeRune(m.text[i:])
		if i+size > off {
			break // off points inside this character: stay at its start
		}
		col += utf16Len(r)
		i += size
	}
	return Pos{Line: line, Character: col}
}

// Offset converts an editor position to a byte offset. It never fails: a
// line past the end gives the end of the text, a character past the end of
// its line gives the end of the line (never a split CRLF), and a character
// inside a surrogate pair rounds down to the start of that character.
func (m *Mapper) Offset(p Pos) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(m.lineStarts) {
		return len(m.text)
	}
	return advanceUTF16(m.text, m.LineStart(p.Line), m.LineEnd(p.Line), p.Character)
}

// advanceUTF16 moves from byte i by char UTF-16 units, stopping at end and
// never inside a character (a column inside a surrogate pair rounds down).
func advanceUTF16(text []byte, i, end, char int) int {
	col := 0
	for i < end && col < char {
		r, size := utf8.DecodeRune(text[i:])
		n := utf16Len(r)
		if col+n > char {
			break
		}
		col += n
		i += size
	}
	return i
}

// PosRange converts a byte range to editor positions.
func (m *Mapper) PosRange(r Range) PosRange {
	return PosRange{Start: m.Position(r.Start), End: m.Position(r.End)}
}

// Range converts editor positions to a byte range; reversed input is put in
// order.
func (m *Mapper) Range(r PosRange) Range {
	s, e := m.Offset(r.Start), m.Offset(r.End)
	if e < s {
		s, e = e, s
	}
	return Range{Start: s, End: e}
}

func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
