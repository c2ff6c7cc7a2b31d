package analysis

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkSectionBreakFix breaks the key line of each model section of a
// generated document (text typed after its colon, or the colon deleted)
// and fixes it again, and times each step two ways, alternately in one
// run: incremental (the section's units dropped as a block, then given
// back as a block: blockDrop, blockRestore; no bound) and with the bound
// forced (maxBlock: a full model build, what both steps did before root
// servers dropped as a block and sections got their units back). It logs
// the medians of the process's CPU time, their ratio, the units each step
// rebuilt (without the bound), and what the step does with maxBlock.
//
//	ASYNCAPI_LS_BLOCK=200KB,1MB go test -run='^$' -bench=SectionBreakFix -benchtime=1x -v ./analysis
//
// Without ASYNCAPI_LS_BLOCK it runs on 200 KB documents.
func BenchmarkSectionBreakFix(b *testing.B) {
	sizes := envSizes("ASYNCAPI_LS_BLOCK", "200KB")
	rule := maxBlock
	defer func() { maxBlock = rule }()
	whole := func(int) int { return -1 }
	never := func(units int) int { return units + 1<<20 }
	for _, size := range sizes {
		bytesN := benchDocBytes(b, "ASYNCAPI_LS_BLOCK", size)
		for _, shape := range docgen.Shapes() {
			for _, format := range []string{"yaml", "json"} {
				b.Run(fmt.Sprintf("%s-%s-%s", size, shape, format), func(b *testing.B) {
					opts := docgen.Options{TargetBytes: bytesN, Seed: 1, Shape: shape}
					doc := docgen.Generate(opts)
					if format == "json" {
						doc = docgen.GenerateJSON(opts)
					}
					orig := Analyze(doc)
					total := orig.unitCount()
					for _, head := range []string{"servers", "channels", "operations"} {
						line := "\n" + head + ":"
						if format == "json" {
							line = "\n  \"" + head + "\":"
						}
						at := bytes.Index(doc, []byte(line))
						if at < 0 {
							continue
						}
						colon := at + len(line) - 1
						for _, what := range []string{"end-x", "colon-del"} {
							brk := syntax.Edit{Start: colon + 1, End: colon + 1, Text: "x"}
							if format == "json" && what == "end-x" {
								brk.Text = ` "` // a string opened: JSON has no text after a colon that keeps the key
							}
							if what == "colon-del" {
								brk = syntax.Edit{Start: colon, End: colon + 1}
							}
							broken := brk.Apply(doc)
							fix := editBetween(broken, doc)
							maxBlock = never
							mid := Update(orig, []syntax.Edit{brk}, broken)
							back := Update(mid, []syntax.Edit{fix}, doc)
							step := func(name string, prev *Document, e syntax.Edit, text []byte, d *Document) {
								var wholes, incs []time.Duration
								for range 5 {
									maxBlock = whole
									t := cpuTime()
									Update(prev, []syntax.Edit{e}, text)
									wholes = append(wholes, cpuTime()-t)
									maxBlock = never
									t = cpuTime()
									Update(prev, []syntax.Edit{e}, text)
									incs = append(incs, cpuTime()-t)
								}
								slices.Sort(wholes)
								slices.Sort(incs)
								w, i := wholes[2], incs[2]
								how := fmt.Sprintf("%d units rebuilt of %d", d.inc.units, total)
								if !d.inc.modelReused {
									how = "built whole: " + d.inc.modelWhy
								}
								maxBlock = rule
								if r := Update(prev, []syntax.Edit{e}, text); r.inc.modelReused {
									how += "; with maxBlock: incremental"
								} else {
									how += "; with maxBlock: whole (" + r.inc.modelWhy + ")"
								}
								b.Logf("%-10s %-9s %-5s whole %7.2f ms  incremental %7.2f ms  ratio %.2f  %s",
									head, what, name, ms(w), ms(i), float64(i)/float64(w), how)
							}
							step("break", orig, brk, broken, mid)
							step("fix", mid, fix, doc, back)
						}
					}
					for b.Loop() {
					}
				})
			}
		}
	}
}
