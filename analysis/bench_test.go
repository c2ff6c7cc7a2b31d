package analysis

import (
	"sync"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"gopkg.in/yaml.v3"
)

var (
	benchDocOnce sync.Once
	benchDoc     []byte
)

// bigDoc is a valid AsyncAPI 3.0.0 YAML document of about 1 MB.
func bigDoc(b *testing.B) []byte {
	benchDocOnce.Do(func() { benchDoc = docgen.Generate(docgen.Options{TargetBytes: 1 << 20, Seed: 1}) })
	return benchDoc
}

// BenchmarkColdParse compares a cold Analyze (parse, tree with exact
// ranges, model, checks) with bare yaml.v3 decoding into a yaml.Node on the
// same ~1 MB text. Compare the two ns/op figures:
//
//	go test -run '^$' -bench ColdParse -benchmem ./analysis
func BenchmarkColdParse(b *testing.B) {
	text := bigDoc(b)
	b.Run("yaml.v3-Unmarshal-Node", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			var n yaml.Node
			if err := yaml.Unmarshal(text, &n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Analyze", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			d := Analyze(text)
			if !d.IsAsyncAPI || len(d.Diagnostics) != 0 {
				b.Fatalf("unexpected result: %d diagnostics", len(d.Diagnostics))
			}
		}
	})
}
