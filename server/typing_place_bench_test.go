package server

import (
	"runtime"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkTypingPlaceV3: BenchmarkTypingPlaces for a few places of the
// v3 5 MB document only (m1 in the minified JSON, o and c in YAML), the
// document generated once for every -count, so that runs of two builds
// can alternate quickly (the server's whole path: didChange, apply,
// UpdateApplied, publish). Beside ns/op: the process CPU per keystroke,
// the collections per keystroke, and the bytes allocated per keystroke
// over the document's size (doc-B/op). The tests' check of the pending
// edits (checkApplied, one more copy of the text per keystroke) is off,
// as in the real server.
//
//	go test -run='^$' -bench='TypingPlaceV3/m1' -benchtime=32x -count=6 -benchmem ./server
func BenchmarkTypingPlaceV3(b *testing.B) {
	for _, id := range []string{docgen.PlaceMinJSONString, "o", "c"} {
		b.Run(id, func(b *testing.B) {
			text, p := typingPlaceDoc(b, id)
			defer func(was bool) { checkApplied = was }(checkApplied)
			checkApplied = false
			c := benchClient(b)
			defer c.conn.Close() // the server ends and its documents die with the connection
			uri := "file:///bench/typing." + strings.TrimPrefix(docgen.PlaceFormat(id), "min")
			c.open(uri, string(text))
			c.waitDiagnostics(uri, 1)
			at := syntax.NewMapper(text).Position(p.Offset)
			keys := p.Keystrokes(b.N, "typing é日🙂 ")
			defer profileKeystrokes(b, "v3-place-"+id)()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			cpu0 := processCPU()
			b.ResetTimer()
			typeKeystrokes(c, uri, at, keys)
			b.StopTimer()
			b.ReportMetric(float64(processCPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.NumGC-before.NumGC)/float64(b.N), "GCs/op")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(text)), "doc-B/op")
		})
	}
}

var typingPlaceDocs = map[string][]byte{}

// typingPlaceDoc returns the v3 5 MB document of place id (as lspbench
// generates it) and the place.
func typingPlaceDoc(b *testing.B, id string) ([]byte, docgen.Place) {
	format := docgen.PlaceFormat(id)
	text := typingPlaceDocs[format]
	if text == nil {
		gen := docgen.Options{TargetBytes: 5 << 20, Seed: 1, Shape: docgen.ShapeV3, FlowBindings: true}
		switch format {
		case "minjson":
			text = docgen.GenerateMinJSON(gen)
		case "json":
			text = docgen.GenerateJSON(gen)
		default:
			text = docgen.Generate(gen)
		}
		typingPlaceDocs[format] = text
	}
	places, err := docgen.Places(text)
	if err != nil {
		b.Fatal(err)
	}
	p, ok := places[id]
	if !ok {
		b.Fatalf("no place %s", id)
	}
	return text, p
}
