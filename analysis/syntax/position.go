package syntax

import (
	"sort"
	"strings"
	"sync/atomic"
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
//
// A mapper is immutable, but the mapper of the next version of a text
// (UpdateMapper) shares most of its line index with this one: the index is
// cut in blocks of lines, and a block after an edit is reused as it is with
// a shift of its offsets, so that a keystroke in a 5 MB text costs a few
// kilobytes instead of a new index of the whole text.
type Mapper struct {
	text   []byte
	blocks []lineBlock // in text order; together the start of every line
	lines  int         // number of lines
	// cols: the UTF-16 columns of the last long line converted (a
	// minified document is one line of megabytes), built on first use.
	cols atomic.Pointer[colIndex]
}

// colIndex holds checkpoints of a long line: the UTF-16 column at a
// character start every colStep bytes or so, so that a conversion decodes
// at most that many bytes rather than the line up to the column.
type colIndex struct {
	line int
	offs []int32 // byte offsets from the line start, increasing
	cols []int32 // the UTF-16 column at each
}

// longLine is the length from which a line's columns are indexed; colStep
// is the distance between checkpoints.
const (
	longLine = 4 << 10
	colStep  = 512
)

// after returns the index of the same line in out, the mapper of m's text
// after edit e, or nil: the checkpoints before the edit are kept, those
// from the edit to the first one after it are computed again, and the
// rest move by the edit's bytes and UTF-16 units. Only an edit inside
// the line, with no line break in what it removes or inserts, keeps it.
func (c *colIndex) after(m *Mapper, e Edit, out *Mapper) *colIndex {
	start, end := m.LineStart(c.line), m.LineEnd(c.line)
	if e.Start < start || e.End > end || strings.ContainsAny(e.Text, "\r\n") ||
		bytesContainAny(m.text[e.Start:e.End], '\r', '\n') {
		return nil
	}
	delta := len(e.Text) - (e.End - e.Start)
	// the last checkpoint at or before the edit, and the first after it
	k := sort.Search(len(c.offs), func(k int) bool { return start+int(c.offs[k]) > e.Start }) - 1
	j := sort.Search(len(c.offs), func(j int) bool { return start+int(c.offs[j]) >= e.End })
	target := out.LineEnd(c.line) // (no checkpoint after the edit: to the line's end)
	if j < len(c.offs) {
		target = start + int(c.offs[j]) + delta
	}
	// Sized once for every checkpoint: the index of a 5 MB line has some
	// 10,000, and growing it by appends allocated several times its size
	// on each keystroke.
	n := k + 1 + (target-(start+int(c.offs[k])))/colStep + 1 + len(c.offs) - j
	nc := &colIndex{line: c.line, offs: make([]int32, k+1, n), cols: make([]int32, k+1, n)}
	copy(nc.offs, c.offs[:k+1])
	copy(nc.cols, c.cols[:k+1])
	col, i := int(c.cols[k]), start+int(c.offs[k])
	col, i = walkCols(out.text, nc, start, i, target, col, i+colStep)
	if i != target {
		return nil // the edit split a character
	}
	if j < len(c.offs) {
		dcol := col - int(c.cols[j])
		for ; j < len(c.offs); j++ {
			nc.offs = append(nc.offs, c.offs[j]+int32(delta))
			nc.cols = append(nc.cols, c.cols[j]+int32(dcol))
		}
	}
	return nc
}

func bytesContainAny(b []byte, c1, c2 byte) bool {
	for _, c := range b {
		if c == c1 || c == c2 {
			return true
		}
	}
	return false
}

// walkCols goes from byte i, at UTF-16 column col, to target in the line
// that starts at start, adding to c a checkpoint at the first character
// from next on and every colStep bytes after it; it returns the column and
// the byte it reached (past target when target splits a character).
func walkCols(text []byte, c *colIndex, start, i, target, col, next int) (int, int) {
	for i < target {
		if i >= next {
			c.offs = append(c.offs, int32(i-start))
			c.cols = append(c.cols, int32(col))
			next = i + colStep
		}
		if b := text[i]; b < utf8.RuneSelf {
			col++
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		col += utf16Len(r)
		i += size
	}
	return col, i
}

// colsOf returns the column index of line [start, end).
func (m *Mapper) colsOf(line, start, end int) *colIndex {
	if c := m.cols.Load(); c != nil && c.line == line {
		return c
	}
	c := &colIndex{line: line}
	walkCols(m.text, c, start, start, end, 0, start)
	m.cols.Store(c)
	return c
}

// lineBlock is a run of consecutive line starts. Its starts array is
// immutable and shared by the mappers of several versions of a text, each
// with its own first and shift.
type lineBlock struct {
	first  int      // index of the block's first line
	shift  int      // added to every element of starts
	starts []uint32 // byte offsets of the first byte of each line (texts < 4 GB)
}

func (b *lineBlock) at(i int) int { return int(b.starts[i]) + b.shift }
func (b *lineBlock) last() int    { return b.at(len(b.starts) - 1) }

// Block sizes, in lines: NewMapper cuts its index in blocks of
// lineBlockSize; UpdateMapper rebuilds the blocks an edit touches and cuts
// the result again when it grows past maxLineBlock.
const (
	lineBlockSize = 1024
	maxLineBlock  = 2 * lineBlockSize
)

const bom = "\xef\xbb\xbf"

// NewMapper indexes the line starts of text. It keeps a reference to text,
// which must not be modified afterwards.
func NewMapper(text []byte) *Mapper {
	starts := make([]uint32, 1, 1+len(text)/32)
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			starts = append(starts, uint32(i+1))
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			starts = append(starts, uint32(i+1))
		}
	}
	m := &Mapper{text: text, lines: len(starts)}
	m.blocks = appendBlocks(make([]lineBlock, 0, (len(starts)+lineBlockSize-1)/lineBlockSize), starts, 0, lineBlockSize)
	return m
}

// appendBlocks cuts starts (absolute offsets, lines from first on) in
// blocks of size lines and appends them to blocks.
func appendBlocks(blocks []lineBlock, starts []uint32, first, size int) []lineBlock {
	for len(starts) > 0 {
		n := min(size, len(starts))
		blocks = append(blocks, lineBlock{first: first, starts: starts[:n:n]})
		starts, first = starts[n:], first+n
	}
	return blocks
}

// update returns the mapper of text, which edit e made of m's text: the
// blocks before the edit are shared as they are, those after it with a
// shift, and only the lines of the blocks the edit touches are indexed
// again (from the old index and a scan of the edited span).
func (m *Mapper) update(e Edit, text []byte) *Mapper {
	delta := len(e.Text) - (e.End - e.Start)
	newEnd := e.Start + len(e.Text)
	// Line starts below e.Start stay; those from e.End+2 on move by delta
	// (a start in between may appear or vanish: "\r" + "\n" joins lines).
	bi := sort.Search(len(m.blocks), func(k int) bool { return m.blocks[k].last() >= e.Start })
	bj := sort.Search(len(m.blocks), func(k int) bool { return m.blocks[k].at(0) >= e.End+2 })
	var mid []uint32
	if bi < bj {
		n := 0
		for k := bi; k < bj; k++ {
			n += len(m.blocks[k].starts)
		}
		mid = make([]uint32, 0, n+strings.Count(e.Text, "\n")+2)
	}
	for k := bi; k < bj; k++ {
		b := &m.blocks[k]
		for i := range b.starts {
			if p := b.at(i); p < e.Start {
				mid = append(mid, uint32(p))
			}
		}
	}
	if e.Start == 0 {
		mid = append(mid, 0)
	}
	for p := max(e.Start, 1); p <= min(newEnd+1, len(text)); p++ {
		if lineStartAt(text, p) {
			mid = append(mid, uint32(p))
		}
	}
	for k := bi; k < bj; k++ {
		b := &m.blocks[k]
		for i := range b.starts {
			if p := b.at(i); p >= e.End+2 {
				mid = append(mid, uint32(p+delta))
			}
		}
	}
	out := &Mapper{text: text, blocks: make([]lineBlock, 0, len(m.blocks)+len(mid)/lineBlockSize+1)}
	out.blocks = append(out.blocks, m.blocks[:bi]...)
	first := 0
	if bi > 0 {
		b := &m.blocks[bi-1]
		first = b.first + len(b.starts)
	}
	size := maxLineBlock
	if len(mid) > maxLineBlock {
		size = lineBlockSize
	}
	out.blocks = appendBlocks(out.blocks, mid, first, size)
	first += len(mid)
	for _, b := range m.blocks[bj:] {
		b.first, b.shift = first, b.shift+delta
		out.blocks = append(out.blocks, b)
		first += len(b.starts)
	}
	out.lines = first
	if c := m.cols.Load(); c != nil {
		if nc := c.after(m, e, out); nc != nil {
			out.cols.Store(nc)
		}
	}
	return out
}

// lineStart is the byte offset of the first byte of line (0 <= line <
// m.lines), a BOM included.
func (m *Mapper) lineStart(line int) int {
	k := sort.Search(len(m.blocks), func(k int) bool { return m.blocks[k].first > line }) - 1
	b := &m.blocks[k]
	return b.at(line - b.first)
}

// Text returns the text the mapper indexes.
func (m *Mapper) Text() []byte { return m.text }

// LineCount returns the number of lines; a final line break starts an
// (empty) last line.
func (m *Mapper) LineCount() int { return m.lines }

// LineStart returns the byte offset where line starts, after a BOM on the
// first line. Lines out of range are clamped.
func (m *Mapper) LineStart(line int) int {
	if line < 0 {
		line = 0
	}
	if line >= m.lines {
		return len(m.text)
	}
	s := m.lineStart(line)
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
	if line >= m.lines-1 {
		return len(m.text)
	}
	e := m.lineStart(line + 1)
	if e > 0 && m.text[e-1] == '\n' {
		e--
	}
	if e > m.lineStart(line) && m.text[e-1] == '\r' {
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
	k := sort.Search(len(m.blocks), func(k int) bool { return m.blocks[k].at(0) > off }) - 1
	b := &m.blocks[k]
	return b.first + sort.Search(len(b.starts), func(i int) bool { return b.at(i) > off }) - 1
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
	col, i := 0, start
	if end-start >= longLine {
		c := m.colsOf(line, start, end)
		k := sort.Search(len(c.offs), func(k int) bool { return int(c.offs[k]) > off-start }) - 1
		col, i = int(c.cols[k]), start+int(c.offs[k])
	}
	for i < off {
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
	if p.Line >= m.lines {
		return len(m.text)
	}
	start, end := m.LineStart(p.Line), m.LineEnd(p.Line)
	if end-start >= longLine && p.Character > 0 {
		c := m.colsOf(p.Line, start, end)
		k := sort.Search(len(c.cols), func(k int) bool { return int(c.cols[k]) > p.Character }) - 1
		return advanceUTF16(m.text, start+int(c.offs[k]), end, p.Character-int(c.cols[k]))
	}
	return advanceUTF16(m.text, start, end, p.Character)
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
