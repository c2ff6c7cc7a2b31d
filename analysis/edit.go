package analysis

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
	edits := make([]Edit, 0, len(changes))
	for _, c := range changes {
		if c.Range == nil {
			edits = append(edits, Edit{Start: 0, End: len(text), Text: c.Text})
			text = []byte(c.Text)
			continue
		}
		r := NewMapper(text).Range(*c.Range)
		e := Edit{Start: r.Start, End: r.End, Text: c.Text}
		text = e.Apply(text)
		edits = append(edits, e)
	}
	return text, edits
}

// Apply returns a new text with the edit applied; text is not modified.
func (e Edit) Apply(text []byte) []byte {
	out := make([]byte, 0, len(text)-(e.End-e.Start)+len(e.Text))
	out = append(out, text[:e.Start]...)
	out = append(out, e.Text...)
	return append(out, text[e.End:]...)
}
