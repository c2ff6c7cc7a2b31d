package server

import (
	"fmt"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// End-to-end latencies through JSON-RPC (in-process pipe): what an editor
// waits for. Compare sizes within one run; absolute figures depend on the
// machine's load.

var benchSizes = []struct {
	name  string
	bytes int
}{{"100KB", 100 << 10}, {"1MB", 1 << 20}, {"5MB", 5 << 20}}

func benchClient(b *testing.B) *testClient {
	c, _ := newPipeClient(&testing.T{}, nil)
	c.t = &testing.T{}
	c.initialize(nil)
	return c
}

func BenchmarkOpenToDiagnostics(b *testing.B) {
	for _, size := range benchSizes[:2] {
		doc := string(docgen.Generate(docgen.Options{TargetBytes: size.bytes, Seed: 1}))
		b.Run(size.name, func(b *testing.B) {
			c := benchClient(b)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				uri := fmt.Sprintf("file:///bench/open-%d.yaml", i)
				c.open(uri, doc)
				c.waitDiagnostics(uri, 1)
				b.StopTimer()
				c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
				b.StartTimer()
			}
		})
	}
}

func BenchmarkKeystrokeToDiagnostics(b *testing.B) {
	for _, size := range benchSizes {
		docBytes := docgen.Generate(docgen.Options{TargetBytes: size.bytes, Seed: 1})
		op, _ := docgen.MiddleOperation(docBytes)
		pos := syntax.NewMapper(docBytes).Position(op.DescriptionEnd)
		b.Run(size.name, func(b *testing.B) {
			c := benchClient(b)
			uri := "file:///bench/typing.yaml"
			c.open(uri, string(docBytes))
			c.waitDiagnostics(uri, 1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				v := int32(i + 2)
				at := map[string]any{"line": pos.Line, "character": pos.Character + i}
				c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": v},
					"contentChanges": []any{map[string]any{"range": map[string]any{"start": at, "end": at}, "text": "x"}}})
				c.waitDiagnostics(uri, v)
			}
		})
	}
}

func BenchmarkHoverAndCompletion(b *testing.B) {
	for _, size := range benchSizes {
		docBytes := docgen.Generate(docgen.Options{TargetBytes: size.bytes, Seed: 1})
		op, _ := docgen.MiddleOperation(docBytes)
		m := syntax.NewMapper(docBytes)
		c := benchClient(b)
		uri := "file:///bench/requests.yaml"
		c.open(uri, string(docBytes))
		c.waitDiagnostics(uri, 1)
		hover := m.Position(op.KeyOffset + 1)
		b.Run("hover/"+size.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var h map[string]any
				c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": hover}, &h)
				if h == nil {
					b.Fatal("no hover")
				}
			}
		})
		if op.SecurityRefOffset < 0 {
			continue
		}
		comp := m.Position(op.SecurityRefOffset)
		b.Run("completion/"+size.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var list struct{ Items []any }
				c.mustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": comp}, &list)
				if len(list.Items) == 0 {
					b.Fatal("no completion items")
				}
			}
		})
	}
}
