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

// BenchmarkRootBlock times the blocks of the root sections at 1 MB (the
// generated YAML documents of every shape): the `servers:`, `channels:`,
// `operations:` and `components:` key line's colon deleted (the section,
// or every section under components, dropped as a block) and typed back
// (given back), with maxBlock and maxRecheck lifted
// so that the block is built however many units it reaches, beside a full
// build of the same text (maxBlock forced to nothing), alternately,
// process CPU time, medians of 7 (block-ms, full-ms, block/full); the fix
// from the broken document as the block left it. Built into test
// binaries of two versions and run alternately, it compares what a block
// costs.
//
//	ASYNCAPI_LS_ROOTBLOCK=1MB go test -run='^$' -bench=RootBlock -benchtime=1x ./analysis
func BenchmarkRootBlock(b *testing.B) {
	rr := maxRecheck
	defer saveBlockBounds()()
	defer func() { maxRecheck = rr }()
	for _, size := range envSizes("ASYNCAPI_LS_ROOTBLOCK", "1MB") {
		bytesN := benchDocBytes(b, "ASYNCAPI_LS_ROOTBLOCK", size)
		for _, shape := range docgen.Shapes() {
			b.Run(fmt.Sprintf("%s-%s", size, shape), func(b *testing.B) {
				doc := docgen.Generate(docgen.Options{TargetBytes: bytesN, Seed: 1, Shape: shape})
				prev := Analyze(doc)
				for _, head := range []string{"servers", "channels", "operations", "components"} {
					at := bytes.Index(doc, []byte("\n"+head+":"))
					if at < 0 {
						continue
					}
					colon := at + len(head) + 1
					brk := syntax.Edit{Start: colon, End: colon + 1}
					broken := brk.Apply(doc)
					// the broken document as an editor has it: updated
					maxRecheck = func(int) int { return math.MaxInt }
					setBlockBound(func(int) int { return math.MaxInt })
					mid := Update(prev, []syntax.Edit{brk}, broken)
					fix := syntax.Edit{Start: colon, End: colon, Text: ":"}
					for _, step := range []struct {
						name string
						from *Document
						edit syntax.Edit
						text []byte
					}{{"break", prev, brk, broken}, {"fix", mid, fix, doc}} {
						b.Run(head+"/"+step.name, func(b *testing.B) {
							// block and full build alternately, CPU time,
							// medians of 7
							var blocks, fulls []time.Duration
							var d *Document
							for range 7 {
								setBlockBound(func(int) int { return math.MaxInt })
								t := cpuTime()
								d = Update(step.from, []syntax.Edit{step.edit}, step.text)
								blocks = append(blocks, cpuTime()-t)
								setBlockBound(func(int) int { return -1 })
								t = cpuTime()
								Update(step.from, []syntax.Edit{step.edit}, step.text)
								fulls = append(fulls, cpuTime()-t)
							}
							setBlockBound(func(int) int { return math.MaxInt })
							if !d.inc.modelReused {
								b.Logf("built whole: %s", d.inc.modelWhy)
							}
							slices.Sort(blocks)
							slices.Sort(fulls)
							for b.Loop() {
							}
							// (after the loop: its start clears reported metrics)
							b.ReportMetric(ms(blocks[3]), "block-ms")
							b.ReportMetric(ms(fulls[3]), "full-ms")
							b.ReportMetric(float64(blocks[3])/float64(fulls[3]), "block/full")
						})
					}
				}
			})
		}
	}
}
