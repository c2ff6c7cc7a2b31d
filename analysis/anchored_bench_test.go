package analysis

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// BenchmarkBrokenKeystrokeAnchored: a keystroke in a document that holds
// an anchor and an alias (appended as root extensions) and a broken line
// after the middle operation's description, typed into that line and
// into a root extension at the end (below it), beside the same
// document with the line valid. Texts with anchors are parsed whole more
// often than others, and one also broken more so since session 11
// (syntax: wholeCause, brokenAround): "whole" reports the share of
// keystrokes that took a whole parse.
//
//	go test -run='^$' -bench='BrokenKeystrokeAnchored' -benchtime=10x ./analysis
func BenchmarkBrokenKeystrokeAnchored(b *testing.B) {
	const tail = "x-after: text\nx-base: &base {note: shared}\nx-use: *base\n"
	for _, sz := range brokenBenchSizes[:1] {
		for _, c := range brokenBenchCases {
			for _, v := range []struct{ name, line string }{{"valid", c.valid}, {"broken", c.broken}} {
				doc, at := brokenBenchDoc(b, sz.bytes, v.line)
				if v.name == "valid" {
					at-- // inside the closing quote or bracket
				}
				below := len(doc) + len("x-after: text")
				doc = append(doc, tail...)
				prev := Analyze(doc)
				for _, p := range []struct {
					name string
					at   int
				}{{"line", at}, {"below", below}} {
					e := syntax.Edit{Start: p.at, End: p.at, Text: "x"}
					text := e.Apply(prev.Text)
					b.Run(sz.name+"/"+c.name+"/"+v.name+"/"+p.name, func(b *testing.B) {
						b.SetBytes(int64(len(text)))
						whole := 0
						loopCPU(b, func() {
							if d := Update(prev, []syntax.Edit{e}, text); d.inc.path != pathRegion {
								whole++
							}
						})
						b.ReportMetric(float64(whole)/float64(b.N), "whole")
					})
				}
			}
		}
	}
}
