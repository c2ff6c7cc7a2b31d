package analysis

import (
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Failed is the document to show when analyzing text failed unexpectedly:
// one diagnostic at the start that says so, instead of silence.
func Failed(text []byte, reason string) *Document {
	d := &Document{Text: text, Mapper: syntax.NewMapper(text), IsAsyncAPI: true}
	d.Diagnostics = []syntax.Diagnostic{newDiag(syntax.CodeYAMLSyntax, syntax.Range{Start: 0, End: 0},
		"internal error while analyzing this document ("+reason+"); the server keeps running, please report it")}
	return d
}
