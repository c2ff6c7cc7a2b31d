package analysis

import (
	"strings"
	"testing"
	"time"

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

// BenchmarkFirstErrorAnchored: an error typed into the valid document of
// BenchmarkBrokenKeystrokeAnchored (its anchor and alias at the end, the
// line after the middle operation's description valid): the line's
// closing bracket or its key's colon deleted. "first" is the first error
// of a session (on the document just analyzed: its region-wise pass has
// not run), "again" the same error typed after it was fixed (broken,
// fixed, broken: the second broken keystroke), "valid" a keystroke that
// keeps the line valid (a letter typed into its key). "whole" is the
// share of updates that parsed whole, "model-whole" the share that built
// the whole model.
//
//	go test -run='^$' -bench='FirstErrorAnchored' -benchtime=10x ./analysis
func BenchmarkFirstErrorAnchored(b *testing.B) {
	const tail = "x-after: text\nx-base: &base {note: shared}\nx-use: *base\n"
	for _, c := range []struct{ name, line, cut string }{
		{"after-flow-mapping", "\n    bindings: {ws: {}}", "}"},
		{"unclosed-bracket", "\n    x-tags: [a, b]", "]"},
		{"key-without-colon", "\n    x-note: abc", ":"},
	} {
		doc, at := brokenBenchDoc(b, brokenBenchSizes[0].bytes, c.line)
		doc = append(doc, tail...)
		ls := at - len(c.line) + 1 // the line's start
		cut := ls + strings.LastIndex(c.line[1:], c.cut)
		breakIt := syntax.Edit{Start: cut, End: cut + 1}
		fixIt := syntax.Edit{Start: cut, End: cut, Text: c.cut}
		keep := syntax.Edit{Start: ls + 4, End: ls + 4, Text: "x"}
		valid := Analyze(doc)
		if len(valid.Diagnostics) != 0 || valid.Tree.ParsedByRegion() {
			b.Fatalf("%s: want a valid document parsed whole, got %v", c.name, valid.Diagnostics)
		}
		count := func(b *testing.B, d *Document, whole, model *int) {
			if d.inc.path != pathRegion {
				*whole++
			}
			if !d.inc.modelReused {
				*model++
			}
		}
		report := func(b *testing.B, cpu time.Duration, whole, model int) {
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(whole)/float64(b.N), "whole")
			b.ReportMetric(float64(model)/float64(b.N), "model-whole")
		}
		b.Run(c.name+"/first", func(b *testing.B) {
			var cpu time.Duration
			whole, model := 0, 0
			for range b.N {
				b.StopTimer()
				prev := Analyze(doc)
				b.StartTimer()
				start := cpuTime()
				d := Update(prev, []syntax.Edit{breakIt}, breakIt.Apply(doc))
				cpu += cpuTime() - start
				count(b, d, &whole, &model)
			}
			report(b, cpu, whole, model)
		})
		b.Run(c.name+"/again", func(b *testing.B) {
			broken := Update(valid, []syntax.Edit{breakIt}, breakIt.Apply(doc))
			fixed := Update(broken, []syntax.Edit{fixIt}, doc)
			if len(broken.Diagnostics) == 0 || len(fixed.Diagnostics) != 0 {
				b.Fatalf("want the edit to break the document and the next to fix it, got %v and %v", broken.Diagnostics, fixed.Diagnostics)
			}
			text := breakIt.Apply(doc)
			whole, model := 0, 0
			start := cpuTime()
			for b.Loop() {
				count(b, Update(fixed, []syntax.Edit{breakIt}, text), &whole, &model)
			}
			report(b, cpuTime()-start, whole, model)
		})
		b.Run(c.name+"/valid", func(b *testing.B) {
			text := keep.Apply(doc)
			whole, model := 0, 0
			start := cpuTime()
			for b.Loop() {
				count(b, Update(valid, []syntax.Edit{keep}, text), &whole, &model)
			}
			report(b, cpuTime()-start, whole, model)
		})
	}
}
