package server

import (
	"bytes"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
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

// BenchmarkRequestsAfterTypingMinJSON: hover and completion through
// JSON-RPC on the 5 MB minified document as lspbench's m places leave it
// (16 keystrokes typed: m1 inside a description string, m2 a member being
// typed, broken), at the positions lspbench asks (docgen.Place.Hover and
// Complete, moved past the typed text); each op is one request, the
// positions taken in turn. With -cpuprofile it shows where a request's
// time goes on a one-line document of megabytes (position conversion,
// the cursor's window, the result's conversion).
//
//	go test -run='^$' -bench=RequestsAfterTypingMinJSON -benchtime=200x ./server
func BenchmarkRequestsAfterTypingMinJSON(b *testing.B) {
	gen := docgen.Options{TargetBytes: 5 << 20, Seed: 1, Shape: docgen.ShapeV3, FlowBindings: true}
	text := docgen.GenerateMinJSON(gen)
	places, err := docgen.Places(text)
	if err != nil {
		b.Fatal(err)
	}
	for _, id := range []string{docgen.PlaceMinJSONString, docgen.PlaceMinJSONMember} {
		p, ok := places[id]
		if !ok {
			b.Fatalf("no place %s", id)
		}
		c := benchClient(b)
		uri := "file:///bench/requests.json"
		c.open(uri, string(text))
		c.waitDiagnostics(uri, 1)
		m := syntax.NewMapper(text)
		at := m.Position(p.Offset)
		var typed strings.Builder
		for i, key := range p.Keystrokes(16, "typing é日🙂 ") {
			v := int32(i + 2)
			pos := map[string]any{"line": at.Line, "character": at.Character}
			c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": v},
				"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": key}}})
			c.waitDiagnostics(uri, v)
			at = edittest.AfterInsert(at, key)
			typed.WriteString(key)
		}
		final := syntax.NewMapper(syntax.Edit{Start: p.Offset, End: p.Offset, Text: typed.String()}.Apply(text))
		positions := func(offs []int) []syntax.Pos {
			var out []syntax.Pos
			for _, off := range offs {
				out = append(out, final.Position(p.AfterTyping(off, typed.Len())))
			}
			return out
		}
		for _, req := range []struct {
			method string
			at     []syntax.Pos
		}{{"textDocument/hover", positions(p.Hover)}, {"textDocument/completion", positions(p.Complete)}} {
			b.Run(id+"/"+strings.TrimPrefix(req.method, "textDocument/"), func(b *testing.B) {
				cpu0 := processCPU()
				for i := 0; b.Loop(); i++ {
					var res any
					pos := req.at[i%len(req.at)]
					c.mustCall(req.method, map[string]any{"textDocument": map[string]any{"uri": uri},
						"position": map[string]any{"line": pos.Line, "character": pos.Character}}, &res)
				}
				// The CPU of the process (client, server, collector) per
				// request, beside the wall time that the load stretches.
				b.ReportMetric(float64(processCPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			})
		}
		c.conn.Close()
	}
}
