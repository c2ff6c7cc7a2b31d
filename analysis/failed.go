package analysis

// Failed is the document to show when analysing text failed unexpectedly:
// one diagnostic at the start that says so, instead of silence.
func Failed(text []byte, reason string) *Document {
	d := &Document{Text: text, Mapper: NewMapper(text), IsAsyncAPI: true}
	d.Diagnostics = []Diagnostic{newDiag(CodeYAMLSyntax, Range{0, 0},
		"internal error while analysing this document ("+reason+"); the server keeps running, please report it")}
	return d
}
