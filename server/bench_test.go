package server

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
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
		b.Run(size.name, func(b *testing.B) { benchTyping(b, "file:///bench/typing.yaml", docBytes, pos) })
	}
}

// benchTyping opens doc and types one "x" per iteration at pos (moving
// on), each timed until its diagnostics are published.
func benchTyping(b *testing.B, uri string, doc []byte, pos syntax.Pos) {
	c := benchClient(b)
	c.open(uri, string(doc))
	c.waitDiagnostics(uri, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := int32(i + 2)
		at := map[string]any{"line": pos.Line, "character": pos.Character + i}
		c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": v},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": at, "end": at}, "text": "x"}}})
		c.waitDiagnostics(uri, v)
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

// BenchmarkTypingPlaces: one keystroke → its diagnostics through JSON-RPC,
// at every lspbench typing place (docgen.Places) of the wide and v3 shapes
// at 5 MB (generated as lspbench generates them; minified JSON for the m places). Each op is the next
// keystroke of the place, so the text grows as it does while typing; run
// with -benchmem and -cpuprofile/-memprofile to see where a keystroke's
// CPU and bytes go on the server's whole path (decode, apply, analysis,
// conversion, encoding of publishDiagnostics).
//
//	go test -run='^$' -bench=TypingPlaces -benchtime=40x -benchmem ./server
func BenchmarkTypingPlaces(b *testing.B) {
	for _, shape := range []docgen.Shape{docgen.ShapeWide, docgen.ShapeV3} {
		gen := docgen.Options{TargetBytes: 5 << 20, Seed: 1, Shape: shape, FlowBindings: true}
		texts := map[string][]byte{"yaml": docgen.Generate(gen), "json": docgen.GenerateJSON(gen), "minjson": docgen.GenerateMinJSON(gen)}
		for _, format := range []string{"yaml", "json", "minjson"} {
			text := texts[format]
			places, err := docgen.Places(text)
			if err != nil {
				b.Fatal(err)
			}
			for _, id := range docgen.PlaceIDs() {
				p, ok := places[id]
				if !ok || docgen.PlaceFormat(id) != format {
					continue
				}
				b.Run(fmt.Sprintf("%s/5MB/%s", shape, id), func(b *testing.B) {
					c := benchClient(b)
					defer c.conn.Close() // the server ends and its documents die with the connection
					uri := "file:///bench/typing." + strings.TrimPrefix(format, "min")
					c.open(uri, string(text))
					c.waitDiagnostics(uri, 1)
					at := syntax.NewMapper(text).Position(p.Offset)
					keys := p.Keystrokes(b.N, "typing é日🙂 ")
					defer profileKeystrokes(b, fmt.Sprintf("%s-%s", shape, id))()
					var before runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&before)
					cpu0 := processCPU()
					b.ResetTimer()
					typeKeystrokes(c, uri, at, keys)
					b.StopTimer()
					b.ReportMetric(float64(processCPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
					var after runtime.MemStats
					runtime.ReadMemStats(&after)
					b.ReportMetric(float64(after.NumGC-before.NumGC)/float64(b.N), "GCs/op")
					// The live heap of the process (the server's and the
					// benchmark's: the generated texts, the client) after
					// opening and after typing, in MB.
					runtime.GC()
					runtime.ReadMemStats(&after)
					b.ReportMetric(float64(before.HeapAlloc)/1e6, "MB-live-open")
					b.ReportMetric(float64(after.HeapAlloc)/1e6, "MB-live-typed")
				})
			}
		}
	}
}

// profileKeystrokes writes, when $ASYNCAPI_LS_PROFILE_DIR is set, a CPU
// profile of the keystrokes alone (name.cpu) and heap profiles before and
// after them (name.heap0, name.heap1: `go tool pprof -sample_index=alloc_space
// -base name.heap0 name.heap1` shows the bytes the keystrokes allocated),
// so that the open of the document is not in the figures. It returns the
// function that ends the profiles.
func profileKeystrokes(b *testing.B, name string) func() {
	dir := os.Getenv("ASYNCAPI_LS_PROFILE_DIR")
	if dir == "" {
		return func() {}
	}
	writeHeap := func(suffix string) {
		f, err := os.Create(filepath.Join(dir, name+suffix))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	writeHeap(".heap0")
	f, err := os.Create(filepath.Join(dir, name+".cpu"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		writeHeap(".heap1")
	}
}

// processCPU is the CPU time of the process (every thread, user and
// system) in nanoseconds: the server's work and the collector's on the
// other core, which the wall time of a keystroke does not show.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// typeKeystrokes types keys at at, one didChange each (versions from 2 on,
// as after an open at version 1), and waits for each version's
// diagnostics: the typing benchmarks' timed loop.
func typeKeystrokes(c *testClient, uri string, at syntax.Pos, keys []string) {
	for i, key := range keys {
		v := int32(i + 2)
		pos := map[string]any{"line": at.Line, "character": at.Character}
		c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": v},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": key}}})
		c.waitDiagnostics(uri, v)
		at = edittest.AfterInsert(at, key)
	}
}
