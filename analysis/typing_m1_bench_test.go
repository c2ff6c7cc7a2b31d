package analysis

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// BenchmarkTypingPlace5MB: the keystrokes of an lspbench place of the v3
// 5 MB document, one per op, typed as the server types them: the LSP
// change applied with the kept mapper (syntax.ApplyChangesMapped), then
// analysis.UpdateApplied with that text and mapper, each version the
// next one's previous (so the text grows as while typing). No JSON-RPC,
// no publish: the engine's share of a keystroke and the bytes it
// allocates, beside BenchmarkTypingPlaces (server). doc-B/op is the bytes
// allocated per keystroke over the document's size; GCs/op the
// collections per keystroke. The opened document is analyzed once for
// every -count (typingStart), and every run types from it. With
// $ASYNCAPI_LS_PROFILE_DIR set, each place writes a CPU profile of its
// keystrokes alone there (typing-<place>.cpu: the last run's).
//
//	go test -run='^$' -bench='TypingPlace5MB' -benchtime=16x -count=6 -benchmem ./analysis
func BenchmarkTypingPlace5MB(b *testing.B) {
	for _, id := range []string{docgen.PlaceMinJSONString, "o", "c"} {
		b.Run(id, func(b *testing.B) {
			st := typingStart(b, id)
			keys := st.place.Keystrokes(b.N, "typing é日🙂 ")
			d, m := st.doc, st.doc.Mapper
			at := m.Position(st.place.Offset)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			defer profileTyping(b, "typing-"+id+".cpu")()
			b.ResetTimer()
			for _, key := range keys {
				text, m2, edits := syntax.ApplyChangesMapped(d.Text, m, []syntax.Change{{Range: &syntax.PosRange{Start: at, End: at}, Text: key}})
				d = UpdateApplied(d, edits, text, m2)
				if d.inc.path != pathRegion {
					b.Fatalf("keystroke %q: full path: %s", key, d.inc.reason)
				}
				m = m2
				at = edittest.AfterInsert(at, key)
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(st.doc.Text)), "doc-B/op")
			b.ReportMetric(float64(after.NumGC-before.NumGC)/float64(b.N), "GCs/op")
		})
	}
}

type typingBenchStart struct {
	doc   *Document
	place docgen.Place
}

var typingStarts = map[string]*typingBenchStart{}

// typingStart returns the analyzed 5 MB document of place id (minified
// JSON for the m places), made once.
func typingStart(b *testing.B, id string) *typingBenchStart {
	if st := typingStarts[id]; st != nil {
		return st
	}
	gen := docgen.Options{TargetBytes: 5 << 20, Seed: 1, Shape: docgen.ShapeV3, FlowBindings: true}
	var doc []byte
	switch docgen.PlaceFormat(id) {
	case "minjson":
		doc = docgen.GenerateMinJSON(gen)
	case "json":
		doc = docgen.GenerateJSON(gen)
	default:
		doc = docgen.Generate(gen)
	}
	places, err := docgen.Places(doc)
	if err != nil {
		b.Fatal(err)
	}
	p, ok := places[id]
	if !ok {
		b.Fatalf("no place %s", id)
	}
	st := &typingBenchStart{doc: Analyze(doc), place: p}
	typingStarts[id] = st
	return st
}

// profileTyping starts a CPU profile into $ASYNCAPI_LS_PROFILE_DIR/name
// when that is set, and returns the function that ends it.
func profileTyping(b *testing.B, name string) func() {
	dir := os.Getenv("ASYNCAPI_LS_PROFILE_DIR")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
