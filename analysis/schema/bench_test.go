package schema

import (
	"fmt"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkValidateCold validates a generated AsyncAPI 3.0.0 document from
// scratch (the values are decoded once, outside the loop).
func BenchmarkValidateCold(b *testing.B) {
	for _, size := range []int{1 << 20, 5 << 20} {
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			doc := decode(b, string(docgen.Generate(docgen.Options{TargetBytes: size, Seed: 1})))
			v, err := For("3.0.0")
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r := v.Validate(doc)
				if len(r.Problems()) != 0 {
					b.Fatalf("generated document has problems: %v", r.Problems()[0])
				}
			}
		})
	}
}

// BenchmarkRevalidateEntry re-validates after one operation changed (what a
// keystroke in that operation costs the schema check).
func BenchmarkRevalidateEntry(b *testing.B) {
	for _, size := range []int{1 << 20, 5 << 20} {
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			doc := decode(b, string(docgen.Generate(docgen.Options{TargetBytes: size, Seed: 1}))).(map[string]any)
			v, _ := For("3.0.0")
			prev := v.Validate(doc)
			ops := doc["operations"].(map[string]any)
			name := sortedKeys(ops)[len(ops)/2]
			changed := [][]string{{"operations", name}}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				next := clone(doc)
				o := clone(next["operations"].(map[string]any))
				op := clone(o[name].(map[string]any))
				op["summary"] = fmt.Sprint("edit ", i)
				o[name] = op
				next["operations"] = o
				r := v.Revalidate(prev, next, changed)
				if len(r.Problems()) != 0 {
					b.Fatal(r.Problems()[0])
				}
			}
		})
	}
}
