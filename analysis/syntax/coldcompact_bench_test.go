package syntax_test

import (
	"bytes"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// BenchmarkCompactColdOpen: the cold parse of a 5 MB minified JSON
// document, valid and broken (`"d` typed after a `"type":"string",` in its
// middle: one broken member), each the way ParseTree parses it now (runs:
// the text, or the broken text with its region blanked, parsed run by run)
// and the way it did before (whole: yaml.v3 over the whole text). Besides
// ns/op, peak-x is how far the process's resident memory rose during one
// parse after the timed ones, in multiples of the document's size (the
// open's memory peak).
//
//	go test -run='^$' -bench='CompactColdOpen' -benchtime=5x ./analysis/syntax
func BenchmarkCompactColdOpen(b *testing.B) {
	valid := docgen.GenerateMinJSON(docgen.Options{TargetBytes: 5 << 20, Seed: 1})
	key := []byte(`"type":"string",`)
	at := len(valid)/2 + bytes.Index(valid[len(valid)/2:], key) + len(key)
	if at < len(valid)/2 {
		b.Fatal("no string schema in the second half")
	}
	broken := syntax.Edit{Start: at, End: at, Text: `"d`}.Apply(valid)
	if syntax.CompactRegions(broken) == nil {
		b.Fatal("the broken text's error is not confined")
	}
	for _, c := range []struct {
		name  string
		parse func() *syntax.Tree
	}{
		{"valid/runs", func() *syntax.Tree { return syntax.ParseCompactCold(valid) }},
		{"valid/whole", func() *syntax.Tree { return syntax.ParseTreeWhole(valid) }},
		{"broken/runs", func() *syntax.Tree { return syntax.ParseCompactBrokenInRuns(broken, true) }},
		{"broken/whole", func() *syntax.Tree { return syntax.ParseCompactBrokenInRuns(broken, false) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(valid)))
			parse := func() {
				if t := c.parse(); t == nil || t.Root() == nil {
					b.Fatal("not parsed that way")
				}
			}
			for b.Loop() {
				parse()
			}
			if peak, ok := edittest.PeakRSS(parse); ok { // (after the timed loop)
				b.ReportMetric(float64(peak)/float64(len(valid)), "peak-x")
			}
		})
	}
}
