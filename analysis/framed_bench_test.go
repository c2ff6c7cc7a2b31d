package analysis

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// framedDoc returns a generated document with a frame around its body
// (frame: "markers", "bom"), or with anchors and aliases near its start
// ("anchors").
func framedDoc(frame string, size int) []byte {
	doc := docgen.Generate(docgen.Options{TargetBytes: size, Seed: 1})
	switch frame {
	case "markers":
		return append(append([]byte("%YAML 1.1\n# generated\n---\n"), doc...), "...\n"...)
	case "bom":
		return append([]byte("\ufeff"), doc...)
	case "markers-broken":
		// A key typed without its value's ']' yet, far from the edit.
		first := bytes.IndexByte(doc, '\n') + 1
		doc = append(append(append([]byte{}, doc[:first]...), "x-tags: [a, b\n"...), doc[first:]...)
		return append(append([]byte("---\n"), doc...), "...\n"...)
	case "anchors":
		first := bytes.IndexByte(doc, '\n') + 1
		defs := "x-defaults: &defaults\n  contact: team\n  <<: {tier: gold}\nx-copy: *defaults\nx-merged:\n  <<: *defaults\n  extra: 1\n"
		return append(append(append([]byte{}, doc[:first]...), defs...), doc[first:]...)
	}
	return doc
}

// BenchmarkKeystrokeFramed: one character typed inside the description of
// the middle operation of a 5 MB document with a leading --- (and a
// %YAML directive and a trailing ...; and with a syntax error far from
// the edit), with a BOM, and with anchors and aliases far from the edit, beside a full Analyze of the new text (what
// a fallback costs). The region metric is 1 when Update took the
// incremental path.
//
//	go test -run='^$' -bench='KeystrokeFramed' -benchtime=10x ./analysis
func BenchmarkKeystrokeFramed(b *testing.B) {
	for _, frame := range []string{"markers", "markers-broken", "bom", "anchors"} {
		doc := framedDoc(frame, 5_000_000)
		off := docgen.MiddleOperationDescriptionOffset(doc)
		prev := Analyze(doc)
		e := syntax.Edit{Start: off, End: off, Text: "x"}
		text := e.Apply(doc)
		benchUpdateAndAnalyze(b, "5MB/"+frame, prev, e, text)
	}
}

// BenchmarkKeystrokeCompactJSON: one character typed into a minified
// (one-line) JSON document, which is parsed whole, inside the string
// value of a description in its middle (value) and inside that
// description's key (key): Update re-parses the member alone
// (syntax/jsoncompact.go); beside Analyze, what each keystroke cost before.
//
//	go test -run='^$' -bench='KeystrokeCompactJSON' -benchtime=5x ./analysis
func BenchmarkKeystrokeCompactJSON(b *testing.B) {
	for _, sz := range benchSizes[1:] {
		var buf bytes.Buffer
		if err := json.Compact(&buf, docgen.GenerateJSON(docgen.Options{TargetBytes: sz.bytes, Seed: 1})); err != nil {
			b.Fatal(err)
		}
		doc := buf.Bytes()
		key := len(doc)/2 + bytes.Index(doc[len(doc)/2:], []byte(`"description":"`))
		prev := Analyze(doc)
		for _, c := range []struct {
			name string
			off  int
		}{{"value", key + len(`"description":"`)}, {"key", key + 4}} {
			e := syntax.Edit{Start: c.off, End: c.off, Text: "x"}
			text := e.Apply(doc)
			benchUpdateAndAnalyze(b, sz.name+"/"+c.name, prev, e, text)
		}
	}
}

// benchUpdateAndAnalyze runs Update of prev by e (name/update; the region
// metric is 1 when it took the incremental path) beside Analyze of the
// new text (name/analyze).
func benchUpdateAndAnalyze(b *testing.B, name string, prev *Document, e syntax.Edit, text []byte) {
	b.Run(name+"/update", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		region := 0.0
		for b.Loop() {
			if d := Update(prev, []syntax.Edit{e}, text); d.inc.path == pathRegion {
				region = 1
			}
		}
		b.ReportMetric(region, "region")
	})
	b.Run(name+"/analyze", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			Analyze(text)
		}
	})
}

// BenchmarkKeystrokeBrokenCompactJSON: a member being typed into a
// minified JSON document right after `"type":"string",` in its middle
// (`"d` typed: the text is broken), and one more character of its key:
// Update confines the error to the member (syntax/jsoncompactbroken.go);
// beside Analyze of the new text, which every such keystroke cost before.
//
//	go test -run='^$' -bench='KeystrokeBrokenCompactJSON' -benchtime=5x ./analysis
func BenchmarkKeystrokeBrokenCompactJSON(b *testing.B) {
	for _, sz := range benchSizes[1:] {
		var buf bytes.Buffer
		if err := json.Compact(&buf, docgen.GenerateJSON(docgen.Options{TargetBytes: sz.bytes, Seed: 1})); err != nil {
			b.Fatal(err)
		}
		doc := buf.Bytes()
		at := len(doc)/2 + bytes.Index(doc[len(doc)/2:], []byte(`"type":"string",`)) + len(`"type":"string",`)
		if at < len(doc)/2 {
			b.Fatal("no string schema in the second half")
		}
		broken := syntax.Edit{Start: at, End: at, Text: `"d`}.Apply(doc)
		prev := Analyze(broken)
		if len(prev.Tree.Diagnostics) == 0 {
			b.Fatal("not broken")
		}
		e := syntax.Edit{Start: at + 2, End: at + 2, Text: "e"}
		benchUpdateAndAnalyze(b, sz.name, prev, e, e.Apply(broken))
	}
}

// BenchmarkKeystrokeSeveralBrokenCompactJSON: a member left broken in the
// first half of a minified JSON document (`"r":"unclosed` after a
// `"type":"string"`) while another is typed a quarter of the text later
// (`"d` typed, then one more character): Update finds the regions again by scans and
// re-parses the member (syntax.updateSeveral); beside Analyze of the new
// text, which every such keystroke cost before (the whole parse).
//
//	go test -run='^$' -bench='KeystrokeSeveralBrokenCompactJSON' -benchtime=5x ./analysis
func BenchmarkKeystrokeSeveralBrokenCompactJSON(b *testing.B) {
	for _, sz := range benchSizes[1:] {
		var buf bytes.Buffer
		if err := json.Compact(&buf, docgen.GenerateJSON(docgen.Options{TargetBytes: sz.bytes, Seed: 1})); err != nil {
			b.Fatal(err)
		}
		doc := buf.Bytes()
		key := []byte(`"type":"string",`)
		q := len(doc) / 4
		left := q + bytes.Index(doc[q:], key) + len(key) - 1
		doc = syntax.Edit{Start: left, End: left, Text: `,"r":"unclosed`}.Apply(doc)
		from := left + len(doc)/4
		at := from + bytes.Index(doc[from:], key) + len(key)
		if at < from {
			b.Fatal("no string schema in the second half")
		}
		broken := syntax.Edit{Start: at, End: at, Text: `"d`}.Apply(doc)
		prev := Analyze(broken)
		if len(prev.Tree.Diagnostics) != 2 {
			b.Fatalf("%d diagnostics, want 2: %v", len(prev.Tree.Diagnostics), prev.Tree.Diagnostics)
		}
		e := syntax.Edit{Start: at + 2, End: at + 2, Text: "e"}
		benchUpdateAndAnalyze(b, sz.name, prev, e, e.Apply(broken))
	}
}
