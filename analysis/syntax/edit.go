package syntax

import (
	"bytes"
)

// Change is one edit as an editor sends it: a range in editor positions that
// is replaced by Text, or, when Range is nil, a replacement of the whole text.
type Change struct {
	Range *PosRange
	Text  string
}

// Edit is a resolved change in byte offsets of the text it applies to.
type Edit struct {
	Start, End int
	Text       string
}

// ApplyChanges applies changes in order, each against the result of the
// previous one, as LSP requires. Positions are resolved with the mapper of
// the intermediate text, so out-of-range positions are clamped and CRLF
// pairs are never split. It returns the new text and, for each change, the
// byte edit it became (useful for incremental re-parsing).
func ApplyChanges(text []byte, changes []Change) ([]byte, []Edit) {
	text, _, edits := ApplyChangesInto(text, nil, changes, nil)
	return text, edits
}

// ApplyChangesMapped is ApplyChanges for a text whose mapper m the caller
// keeps (m maps text; nil: none): positions are resolved with the mapper
// instead of a scan of the text up to their line, which on a keystroke in
// the middle of a large document cost more than the copy of the text. It
// returns the mapper of the new text, made from m by UpdateMapper (sharing
// its line index), or nil when m is nil or a change replaced the whole
// text.
func ApplyChangesMapped(text []byte, m *Mapper, changes []Change) ([]byte, *Mapper, []Edit) {
	return ApplyChangesInto(text, m, changes, nil)
}

// ApplyChangesInto is ApplyChangesMapped writing each new text into
// memory from buffer, which returns a slice of length n that nothing else
// uses (nil buffer: a new allocation). A server that recycles the texts
// nobody reads anymore passes its pool: a fresh allocation per keystroke of
// a whole large text is what made the collector run every keystroke or two
// (and each new allocation's pages fault in). The texts of the changes
// before the last are garbage once the call returns; the edits' offsets
// still describe them.
func ApplyChangesInto(text []byte, m *Mapper, changes []Change, buffer func(n int) []byte) ([]byte, *Mapper, []Edit) {
	if buffer == nil {
		buffer = func(n int) []byte { return make([]byte, n) }
	}
	edits := make([]Edit, 0, len(changes))
	for _, c := range changes {
		if c.Range == nil {
			edits = append(edits, Edit{Start: 0, End: len(text), Text: c.Text})
			text, m = buffer(len(c.Text)), nil
			copy(text, c.Text)
			continue
		}
		var r Range
		if m != nil {
			r = m.Range(*c.Range)
		} else {
			r = rangeAt(text, *c.Range)
		}
		e := Edit{Start: r.Start, End: r.End, Text: c.Text}
		text = e.applyInto(buffer(len(text)-(e.End-e.Start)+len(e.Text)), text)
		if m != nil {
			m = m.update(e, text)
		}
		edits = append(edits, e)
	}
	return text, m, edits
}

// Apply returns a new text with the edit applied; text is not modified.
// bytes.Join allocates the result without zeroing it first (every byte is
// then copied): the new text of a keystroke in a 5 MB document was zeroed
// and then overwritten, on the read loop (about 0.75x the time in one run).
func (e Edit) Apply(text []byte) []byte {
	return bytes.Join([][]byte{text[:e.Start], []byte(e.Text), text[e.End:]}, nil)
}

// applyInto writes text with the edit applied into dst, whose length is
// the new text's and which must not overlap text.
func (e Edit) applyInto(dst, text []byte) []byte {
	n := copy(dst, text[:e.Start])
	n += copy(dst[n:], e.Text)
	copy(dst[n:], text[e.End:])
	return dst
}

// rangeAt is NewMapper(text).Range(r) without indexing every line of the
// text: ApplyChanges runs on each keystroke, before any analysis.
func rangeAt(text []byte, r PosRange) Range {
	s, e := offsetAt(text, r.Start), offsetAt(text, r.End)
	if e < s {
		s, e = e, s
	}
	return Range{Start: s, End: e}
}

// offsetAt is NewMapper(text).Offset(p): it scans only up to p's line.
func offsetAt(text []byte, p Pos) int {
	if p.Line < 0 {
		return 0
	}
	i := 0
	for line := 0; line < p.Line; line++ {
		j := bytes.IndexAny(text[i:], "\r\n")
		if j < 0 {
			return len(text) // past the last line
		}
		i += j
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		i++
	}
	end := len(text)
	if j := bytes.IndexAny(text[i:], "\r\n"); j >= 0 {
		end = i + j
	}
	if p.Line == 0 && len(text) >= 3 && string(text[:3]) == bom {
		i = 3
	}
	return advanceUTF16(text, i, end, p.Character)
}
