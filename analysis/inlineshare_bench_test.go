package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkSharedInlineEdit: a character typed in the description of an
// operation whose security $refs a scheme of another file that is no
// component, which a second operation names too (the first made its
// inline scheme, the second shares it), in a generated AsyncAPI 3.0
// document. Session 12 rebuilds and checks both operations
// (appendInlineSharers); before, the whole model was built. It reports
// the share of updates made per unit ("partial"), so that the test
// binaries of two commits can be run side by side.
func BenchmarkSharedInlineEdit(b *testing.B) {
	dir := b.TempDir()
	scheme := "cert:\n  type: X509\n  description: named by two operations\n"
	if err := os.WriteFile(filepath.Join(dir, "far-more.yaml"), []byte(scheme), 0o644); err != nil {
		b.Fatal(err)
	}
	opts := Options{Path: filepath.Join(dir, "api.yaml"), Loader: workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", dir), 0)}
	const ops = "\noperations:\n" +
		"  certA:\n    action: send\n    description: the first to name cert\n    security:\n      - $ref: 'far-more.yaml#/cert'\n" +
		"  certB:\n    action: send\n    security:\n      - $ref: 'far-more.yaml#/cert'\n"
	for _, sz := range benchSizes[1:] {
		plain := docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		doc := bytes.Replace(plain, []byte("\noperations:\n"), []byte(ops), 1)
		if bytes.Equal(doc, plain) {
			b.Fatal("no operations section")
		}
		off := bytes.Index(doc, []byte("to name cert")) + len("to name cert")
		e := syntax.Edit{Start: off, End: off, Text: "x"}
		text := e.Apply(doc)
		prev := AnalyzeWith(doc, opts)
		runtime.GC()
		b.Run(sz.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			partial := 0
			for b.Loop() {
				d := Update(prev, []syntax.Edit{e}, text)
				if d.inc.path != pathRegion {
					b.Fatalf("path %d: %s", d.inc.path, d.inc.reason)
				}
				if d.inc.modelReused {
					partial++
				}
			}
			b.ReportMetric(float64(partial)/float64(b.N), "partial")
		})
	}
}
