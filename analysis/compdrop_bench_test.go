package analysis

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkSchemesBack measures the component schemes dropped and given
// back with their readers kept (compdrop.go) against a full build, on
// generated documents of each shape (1 MB unless ASYNCAPI_LS_SCHEMESBACK
// says otherwise): the components and the securitySchemes key lines
// broken (text typed after the colon) and fixed again after a keystroke
// elsewhere (the title: the fix is then no undo to the last version that
// parsed, which Update would take whole). Each step alternately with
// maxDrop lifted and forced to a full build, 7 times, CPU time, medians.
//
//	ASYNCAPI_LS_SCHEMESBACK=1MB go test -run='^$' -bench=SchemesBack -benchtime=1x ./analysis
func BenchmarkSchemesBack(b *testing.B) {
	defer saveBlockBounds()()
	for _, size := range envSizes("ASYNCAPI_LS_SCHEMESBACK", "1MB") {
		n := benchDocBytes(b, "ASYNCAPI_LS_SCHEMESBACK", size)
		for _, shape := range docgen.Shapes() {
			b.Run(fmt.Sprintf("%s-%s", size, shape), func(b *testing.B) {
				doc := docgen.Generate(docgen.Options{TargetBytes: n, Seed: 1, Shape: shape})
				prev := Analyze(doc)
				for _, head := range []string{"\ncomponents:", "\n  securitySchemes:"} {
					at := bytes.Index(doc, []byte(head)) + len(head)
					brk := syntax.Edit{Start: at, End: at, Text: "x"}
					setBlockBound(func(int) int { return math.MaxInt })
					mid := Update(prev, []syntax.Edit{brk}, brk.Apply(doc))
					title := bytes.Index(mid.Text, []byte("title:")) + len("title:")
					key := syntax.Edit{Start: title, End: title, Text: " "}
					mid = Update(mid, []syntax.Edit{key}, key.Apply(mid.Text))
					fix := syntax.Edit{Start: at + 1, End: at + 2}
					back := fix.Apply(mid.Text)
					for _, step := range []struct {
						name string
						from *Document
						edit syntax.Edit
						text []byte
					}{{"drop", prev, brk, brk.Apply(doc)}, {"back", mid, fix, back}} {
						b.Run(fmt.Sprintf("%s/%s", head[1:len(head)-1], step.name), func(b *testing.B) {
							var alone, fulls []time.Duration
							var d *Document
							for range 7 {
								setBlockBound(func(int) int { return math.MaxInt })
								t := cpuTime()
								d = Update(step.from, []syntax.Edit{step.edit}, step.text)
								alone = append(alone, cpuTime()-t)
								setBlockBound(func(int) int { return -1 })
								t = cpuTime()
								Update(step.from, []syntax.Edit{step.edit}, step.text)
								fulls = append(fulls, cpuTime()-t)
							}
							if d.inc.dropped+d.inc.givenBack == 0 {
								b.Logf("not alone: partial %v (%s)", d.inc.modelReused, d.inc.modelWhy)
							}
							slices.Sort(alone)
							slices.Sort(fulls)
							for b.Loop() {
							}
							b.ReportMetric(ms(alone[3]), "alone-ms")
							b.ReportMetric(ms(fulls[3]), "full-ms")
							b.ReportMetric(float64(alone[3])/float64(fulls[3]), "alone/full")
						})
					}
				}
			})
		}
	}
}
