package server

import (
	"bytes"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkKeystrokeToDiagnosticsMinJSON is BenchmarkKeystrokeToDiagnostics
// on a minified (one-line) JSON document: one character typed inside a
// description string near the middle (the engine re-parses the member
// alone; the positions are all on one line of megabytes).
func BenchmarkKeystrokeToDiagnosticsMinJSON(b *testing.B) {
	for _, size := range benchSizes[1:] {
		docBytes := docgen.GenerateMinJSON(docgen.Options{TargetBytes: size.bytes, Seed: 1})
		key := []byte(`"description":"`)
		off := len(docBytes)/2 + bytes.Index(docBytes[len(docBytes)/2:], key) + len(key)
		pos := syntax.NewMapper(docBytes).Position(off)
		b.Run(size.name, func(b *testing.B) { benchTyping(b, "file:///bench/typing.json", docBytes, pos) })
	}
}
