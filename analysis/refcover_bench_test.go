package analysis

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// refUnitDoc adds to a generated document a component scheme and a root
// server that are $refs to other units of it (a scheme no operation names,
// the first component server), as a scheme or server shared under two
// names is written.
func refUnitDoc(tb testing.TB, doc []byte) []byte {
	const schemes = "\n  securitySchemes:\n"
	if !bytes.Contains(doc, []byte(schemes)) || !bytes.Contains(doc, []byte("\nservers:\n")) {
		tb.Fatal("no securitySchemes or servers")
	}
	doc = bytes.Replace(doc, []byte(schemes), []byte(schemes+
		"    refTarget:\n      type: httpApiKey\n      name: k\n      in: header\n"+
		"    refAlias:\n      $ref: '#/components/securitySchemes/refTarget'\n"), 1)
	return bytes.Replace(doc, []byte("\nservers:\n"), []byte("\nservers:\n  refAlias:\n    $ref: '#/servers/refTarget'\n  refTarget:\n    host: h\n    protocol: kafka\n"), 1)
}

// BenchmarkKeystrokeRefUnit: at 1 MB (and 5 MB), a unit that is a $ref
// to another unit of the document has its $ref key typed into (it becomes
// an inline object) and given back, its value retargeted: each update
// beside a full Analyze. (A full model build is what each took before
// refCover; the model rebuilt whole is logged.)
func BenchmarkKeystrokeRefUnit(b *testing.B) {
	for _, sz := range benchSizes[1:] {
		doc := refUnitDoc(b, docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1}))
		prev := Analyze(doc)
		for _, unit := range []string{"scheme", "server"} {
			at := "    refAlias:\n      $ref"
			target := "'#/components/securitySchemes/refTarget'"
			if unit == "server" {
				at, target = "  refAlias:\n    $ref", "'#/servers/refTarget'"
			}
			key := strings.Index(string(doc), at) + len(at)
			val := strings.Index(string(doc[key:]), target) + key
			brk := syntax.Edit{Start: key, End: key, Text: "x"}
			broken := Update(prev, []syntax.Edit{brk}, brk.Apply(doc))
			for _, c := range []struct {
				name string
				from *Document
				e    syntax.Edit
			}{
				{"key-break", prev, brk},
				{"key-fix", broken, syntax.Edit{Start: key, End: key + 1}},
				{"retarget-miss", prev, syntax.Edit{Start: val + len(target) - 2, End: val + len(target) - 1, Text: "x"}},
			} {
				text := c.e.Apply(c.from.Text)
				runtime.GC()
				b.Run(sz.name+"/"+unit+"/"+c.name, func(b *testing.B) {
					b.SetBytes(int64(len(text)))
					var d *Document
					for b.Loop() {
						d = Update(c.from, []syntax.Edit{c.e}, text)
					}
					if d.inc.path != pathRegion {
						b.Fatalf("full path: %s", d.inc.reason)
					}
					if !d.inc.modelReused {
						b.Logf("model rebuilt whole: %s", d.inc.modelWhy)
					}
				})
			}
		}
		b.Run(sz.name+"/analyze", func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				Analyze(doc)
			}
		})
	}
}
