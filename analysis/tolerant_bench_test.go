package analysis

import (
	"bytes"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"gopkg.in/yaml.v3"
)

// Broken documents against valid ones. Reproduce with:
//
//	go test -run='^$' -bench='Broken' -benchtime=10x ./analysis
//
// Each case runs the broken text and the valid text side by side, so that
// their ratio is measured in one run (the targets: a keystroke in a broken
// document costs at most 2x one in a valid document, a cold open at most
// 1.2x). Besides ns/op (wall clock), cpu-ns/op is the process's CPU time
// per operation (garbage collection included), which other programs
// running on the machine disturb less.

var brokenBenchSizes = []struct {
	name  string
	bytes int
}{{"1MB", 1_000_000}, {"5MB", 5_000_000}}

// brokenBenchCases put a line after the description of the middle
// operation: valid is the text typed into when the document is valid,
// broken the same line left broken; the keystroke types at the end of
// the line.
var brokenBenchCases = []struct{ name, valid, broken string }{
	{"unclosed-quote", "\n    x-note: 'abc'", "\n    x-note: 'abc"},
	{"after-flow-mapping", "\n    bindings: {ws: {}}", "\n    bindings: {ws: {}} x"},
	{"unclosed-bracket", "\n    tags: [a, b]", "\n    tags: [a, b"},
	{"key-without-colon", "\n    x-note: abc", "\n    x-note"},
}

func brokenBenchDoc(b *testing.B, size int, line string) ([]byte, int) {
	doc := docgen.Generate(docgen.Options{TargetBytes: size, Seed: 1})
	op, ok := docgen.MiddleOperation(doc)
	if !ok || op.DescriptionEnd < 0 {
		b.Fatal("no operation description")
	}
	e := syntax.Edit{Start: op.DescriptionEnd, End: op.DescriptionEnd, Text: line}
	return e.Apply(doc), op.DescriptionEnd + len(line)
}

// BenchmarkBrokenKeystroke: one character typed at the end of the line,
// in the broken document (which stays broken) and in the valid one.
func BenchmarkBrokenKeystroke(b *testing.B) {
	for _, sz := range brokenBenchSizes {
		for _, c := range brokenBenchCases {
			for _, v := range []struct{ name, line string }{{"valid", c.valid}, {"broken", c.broken}} {
				doc, at := brokenBenchDoc(b, sz.bytes, v.line)
				if v.name == "valid" {
					at-- // inside the closing quote or bracket
				}
				prev := Analyze(doc)
				if v.name == "broken" && len(prev.Diagnostics) != 1 {
					b.Fatalf("%s: %d diagnostics", c.name, len(prev.Diagnostics))
				}
				benchKeystroke(b, sz.name+"/"+c.name+"/"+v.name, prev, at)
			}
		}
	}
}

// BenchmarkBrokenCold: Analyze of the broken document and of the valid one.
func BenchmarkBrokenCold(b *testing.B) {
	for _, sz := range brokenBenchSizes {
		for _, c := range brokenBenchCases {
			for _, v := range []struct{ name, line string }{{"valid", c.valid}, {"broken", c.broken}} {
				doc, _ := brokenBenchDoc(b, sz.bytes, v.line)
				benchCold(b, sz.name+"/"+c.name+"/"+v.name, doc)
			}
		}
	}
}

// cpuTime returns the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loopCPU runs f b.N times and reports its CPU time per operation.
func loopCPU(b *testing.B, f func()) {
	start := cpuTime()
	for b.Loop() {
		f()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// jsonBenchCases put a member before the middle operation's "action" in
// the pretty-printed JSON form of a generated document; the keystroke
// types at the end of the value.
var jsonBenchCases = []struct{ name, valid, broken string }{
	{"unclosed-string", `      "x-note": "abc",` + "\n", `      "x-note": "abc` + "\n"},
	{"missing-comma", `      "x-note": "abc",` + "\n", `      "x-note": "abc"` + "\n"},
	{"unclosed-array", `      "x-tags": ["a", "b"],` + "\n", `      "x-tags": ["a", "b"` + "\n"},
}

func jsonBenchDoc(b *testing.B, size int, line string) ([]byte, int) {
	var v any
	if err := yaml.Unmarshal(docgen.Generate(docgen.Options{TargetBytes: size, Seed: 1}), &v); err != nil {
		b.Fatal(err)
	}
	doc, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	doc = append(doc, '\n')
	at := middleJSONOperation(b, doc)
	e := syntax.Edit{Start: at, End: at, Text: line}
	return e.Apply(doc), at + len(line) - 1
}

// BenchmarkBrokenKeystrokeJSON: one character typed at the end of the
// member's value, in the broken JSON document and in the valid one.
func BenchmarkBrokenKeystrokeJSON(b *testing.B) {
	for _, sz := range brokenBenchSizes {
		for _, c := range jsonBenchCases {
			for _, v := range []struct{ name, line string }{{"valid", c.valid}, {"broken", c.broken}} {
				doc, at := jsonBenchDoc(b, sz.bytes, v.line)
				if v.name == "valid" {
					at -= 2 // inside the closing quote or bracket, before the ','
				} else if c.name == "missing-comma" {
					at-- // inside the closing quote
				}
				prev := Analyze(doc)
				if want := map[string]int{"valid": 0, "broken": 1}[v.name]; len(prev.Diagnostics) != want || !prev.Tree.ParsedByRegion() {
					b.Fatalf("%s %s: %d diagnostics (want %d), parsed by region %v", c.name, v.name, len(prev.Diagnostics), want, prev.Tree.ParsedByRegion())
				}
				benchKeystroke(b, sz.name+"/"+c.name+"/"+v.name, prev, at)
			}
		}
	}
}

// BenchmarkBrokenColdJSON: Analyze of the broken JSON document and of the
// valid one.
func BenchmarkBrokenColdJSON(b *testing.B) {
	for _, sz := range brokenBenchSizes {
		for _, c := range jsonBenchCases {
			for _, v := range []struct{ name, line string }{{"valid", c.valid}, {"broken", c.broken}} {
				doc, _ := jsonBenchDoc(b, sz.bytes, v.line)
				benchCold(b, sz.name+"/"+c.name+"/"+v.name, doc)
			}
		}
	}
}

// benchKeystroke runs, as sub-benchmark name, the update of prev for an
// "x" typed at offset at, which must take the region path.
func benchKeystroke(b *testing.B, name string, prev *Document, at int) {
	e := syntax.Edit{Start: at, End: at, Text: "x"}
	text := e.Apply(prev.Text)
	b.Run(name, func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		loopCPU(b, func() {
			if d := Update(prev, []syntax.Edit{e}, text); d.inc.path != pathRegion {
				b.Fatalf("full path: %s", d.inc.reason)
			}
		})
	})
}

// benchCold runs, as sub-benchmark name, Analyze of doc.
func benchCold(b *testing.B, name string, doc []byte) {
	b.Run(name, func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		loopCPU(b, func() { Analyze(doc) })
	})
}

// BenchmarkBrokenColdCompactJSON: Analyze of a minified JSON document with
// one broken member (`"d` typed after a `"type":"string",` in its middle)
// and of the valid one, at 1 and 5 MB. peak-x is how far the process's
// resident memory rose during one more Analyze after the timed ones, in
// multiples of the document's size: the open's memory peak (issue 8:
// a broken document opens in at most 1.2x a valid one's time).
//
//	go test -run='^$' -bench='BrokenColdCompactJSON' -benchtime=5x ./analysis
func BenchmarkBrokenColdCompactJSON(b *testing.B) {
	for _, sz := range brokenBenchSizes {
		valid := docgen.GenerateMinJSON(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		key := []byte(`"type":"string",`)
		at := len(valid)/2 + bytes.Index(valid[len(valid)/2:], key) + len(key)
		if at < len(valid)/2 {
			b.Fatal("no string schema in the second half")
		}
		broken := syntax.Edit{Start: at, End: at, Text: `"d`}.Apply(valid)
		for _, v := range []struct {
			name string
			doc  []byte
		}{{"valid", valid}, {"broken", broken}} {
			b.Run(sz.name+"/"+v.name, func(b *testing.B) {
				b.SetBytes(int64(len(v.doc)))
				open := func() {
					if d := Analyze(v.doc); (len(d.Tree.Diagnostics) > 0) != (v.name == "broken") {
						b.Fatalf("%d diagnostics", len(d.Tree.Diagnostics))
					}
				}
				loopCPU(b, open)
				if peak, ok := edittest.PeakRSS(open); ok { // (after the timed loop)
					b.ReportMetric(float64(peak)/float64(len(v.doc)), "peak-x")
				}
			})
		}
	}
}
