package analysis

import (
	"bytes"
	"math"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkChannelsBlock times one step of the root `channels` block of a
// 1 MB generated document (3.0, 2.6 and wide): the `channels:` colon
// deleted (break) or typed back (fix), the bounds lifted, as a loop (for
// a profile: -cpuprofile, -bench 'ChannelsBlock/v3/break').
func BenchmarkChannelsBlock(b *testing.B) {
	rr := maxRecheck
	defer saveBlockBounds()()
	defer func() { maxRecheck = rr }()
	maxRecheck = func(int) int { return math.MaxInt }
	setBlockBound(func(int) int { return math.MaxInt })
	bytesN := benchDocBytes(b, "ASYNCAPI_LS_ROOTBLOCK", "1MB")
	for _, shape := range docgen.Shapes() {
		doc := docgen.Generate(docgen.Options{TargetBytes: bytesN, Seed: 1, Shape: shape})
		at := bytes.Index(doc, []byte("\nchannels:"))
		colon := at + len("\nchannels")
		brk := syntax.Edit{Start: colon, End: colon + 1}
		fix := syntax.Edit{Start: colon, End: colon, Text: ":"}
		prev := Analyze(doc)
		mid := Update(prev, []syntax.Edit{brk}, brk.Apply(doc))
		for _, step := range []struct {
			name string
			from *Document
			edit syntax.Edit
			text []byte
		}{{"break", prev, brk, brk.Apply(doc)}, {"fix", mid, fix, doc}} {
			b.Run(string(shape)+"/"+step.name, func(b *testing.B) {
				var d *Document
				for b.Loop() {
					d = Update(step.from, []syntax.Edit{step.edit}, step.text)
				}
				if !d.inc.modelReused {
					b.Logf("built whole: %s", d.inc.modelWhy)
				}
			})
		}
	}
}
