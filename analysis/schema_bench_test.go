package analysis

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/schema"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkSchema measures what schema validation adds, side by side in
// one run (compare the ns/op of each pair):
//
//		go test -run='^$' -bench=Schema -benchtime=10x ./analysis
//
//	  - validate: a cold validation of the analyzed tree alone, against
//	    analyze (a cold Analyze, validation included) and
//	    analyze-noschema (the same without validation);
//	  - keystroke / keystroke-noschema: Update after one character typed in
//	    the middle operation's description, with and without validation.
func BenchmarkSchema(b *testing.B) {
	for _, sz := range benchSizes[1:] {
		doc := docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		d := Analyze(doc)
		if len(d.Diagnostics) != 0 {
			b.Fatalf("generated document has diagnostics: %v", d.Diagnostics[0])
		}
		v, err := schema.For("3.0.0")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(sz.name+"/validate", func(b *testing.B) {
			for b.Loop() {
				if r := v.ValidateValue(nodeValue{n: d.Root}); len(r.Problems()) != 0 {
					b.Fatal(r.Problems()[0].Message)
				}
			}
		})
		for _, on := range []bool{true, false} {
			suffix := ""
			if !on {
				suffix = "-noschema"
			}
			b.Run(sz.name+"/analyze"+suffix, func(b *testing.B) {
				defer func(old bool) { schemaValidation = old }(schemaValidation)
				schemaValidation = on
				for b.Loop() {
					Analyze(doc)
				}
			})
			b.Run(sz.name+"/keystroke"+suffix, func(b *testing.B) {
				defer func(old bool) { schemaValidation = old }(schemaValidation)
				schemaValidation = on
				prev := Analyze(doc)
				off := docgen.MiddleOperationDescriptionOffset(doc)
				e := syntax.Edit{Start: off, End: off, Text: "x"}
				text := e.Apply(doc)
				for b.Loop() {
					if u := Update(prev, []syntax.Edit{e}, text); u.inc.path != pathRegion {
						b.Fatalf("full path: %s", u.inc.reason)
					}
				}
			})
		}
	}
}
