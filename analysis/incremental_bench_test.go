package analysis

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// Reproduce with:
//
//	go test -run='^$' -bench='Keystroke|ColdAnalyze' -benchtime=20x ./analysis
//
// Each size runs the incremental path and the full analysis of the same
// new text side by side, so their ratio is measured in one run.

var benchSizes = []struct {
	name  string
	bytes int
}{{"100KB", 100_000}, {"1MB", 1_000_000}, {"5MB", 5_000_000}}

// BenchmarkKeystroke: one character typed inside the description of the
// middle operation of a generated AsyncAPI 3.0 document.
func BenchmarkKeystroke(b *testing.B) {
	for _, sz := range benchSizes {
		doc := docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		off := docgen.MiddleOperationDescriptionOffset(doc)
		prev := Analyze(doc)
		e := syntax.Edit{Start: off, End: off, Text: "x"}
		text := e.Apply(doc)
		b.Run(sz.name+"/update", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if d := Update(prev, []syntax.Edit{e}, text); d.inc.path != pathRegion {
					b.Fatalf("full path: %s", d.inc.reason)
				}
			}
		})
		b.Run(sz.name+"/analyze", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Analyze(text)
			}
		})
	}
}

// BenchmarkColdAnalyze: Analyze of a whole document against bare yaml.v3
// decoding of the same text into a yaml.Node.
func BenchmarkColdAnalyze(b *testing.B) {
	for _, sz := range benchSizes {
		doc := docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		b.Run(sz.name+"/analyze", func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				Analyze(doc)
			}
		})
		b.Run(sz.name+"/yaml.v3", func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				var n yaml.Node
				if err := yaml.Unmarshal(doc, &n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompaction: the keystroke that fills the shift log, which
// compacts the tree (a copy with absolute ranges and a full model build)
// instead of re-parsing it.
//
//	go test -run='^$' -bench=Compaction -benchtime=10x ./analysis
func BenchmarkCompaction(b *testing.B) {
	for _, sz := range benchSizes {
		doc := docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		off := docgen.MiddleOperationDescriptionOffset(doc)
		prev := Analyze(doc)
		for i := 0; i < syntax.MaxShifts-1; i++ {
			e := syntax.Edit{Start: off + i, End: off + i, Text: "x"}
			if prev = Update(prev, []syntax.Edit{e}, e.Apply(prev.Text)); prev.inc.path != pathRegion || prev.inc.compacted {
				b.Fatalf("keystroke %d: path %d compacted %v: %s", i, prev.inc.path, prev.inc.compacted, prev.inc.reason)
			}
		}
		at := off + syntax.MaxShifts - 1
		e := syntax.Edit{Start: at, End: at, Text: "x"}
		text := e.Apply(prev.Text)
		b.Run(sz.name+"/compact", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if d := Update(prev, []syntax.Edit{e}, text); !d.inc.compacted {
					b.Fatalf("no compaction: %s", d.inc.reason)
				}
			}
		})
		b.Run(sz.name+"/analyze", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Analyze(text)
			}
		})
	}
}

// BenchmarkKeystrokeFileRefs: the keystroke of BenchmarkKeystroke in
// documents whose $refs lead into other files: "fileref" has one $ref into
// another file, "shared-schemes" keeps every security scheme in a shared
// file (components.securitySchemes entries are $refs to it, which the
// servers' and operations' local $refs lead through). Each runs the unit
// rebuild and, as "-wholemodel", the full model build such documents took
// before (rebuildLeavingUnits off), side by side with "local", the same
// document without file $refs.
//
//	go test -run='^$' -bench=KeystrokeFileRefs -benchtime=10x ./analysis
func BenchmarkKeystrokeFileRefs(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "shared.yaml"), []byte("x:\n  type: X509\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	opts := Options{Path: filepath.Join(dir, "api.yaml"), Loader: workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", dir), 0)}
	for _, sz := range benchSizes[1:] {
		plain := docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		withRef := bytes.Replace(plain, []byte("\ninfo:"), []byte("\nx-shared:\n  $ref: './shared.yaml#/x'\ninfo:"), 1)
		sharedSchemes, schemesFile := schemesInFile(b, plain, "schemes-"+sz.name+".yaml")
		if err := os.WriteFile(filepath.Join(dir, "schemes-"+sz.name+".yaml"), schemesFile, 0o644); err != nil {
			b.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			doc   []byte
			whole bool
		}{{"local", plain, false}, {"fileref", withRef, false}, {"fileref-wholemodel", withRef, true},
			{"shared-schemes", sharedSchemes, false}, {"shared-schemes-wholemodel", sharedSchemes, true}} {
			off := docgen.MiddleOperationDescriptionOffset(c.doc)
			prev := AnalyzeWith(c.doc, opts)
			e := syntax.Edit{Start: off, End: off, Text: "x"}
			text := e.Apply(c.doc)
			if d := Update(prev, []syntax.Edit{e}, text); c.name == "shared-schemes" && (len(d.Files()) != 1 || !d.inc.modelReused) {
				b.Fatalf("%s: files %v, partial model %v (%s)", c.name, d.Files(), d.inc.modelReused, d.inc.modelWhy)
			}
			runtime.GC() // the setup's garbage is not the keystroke's
			b.Run(sz.name+"/"+c.name, func(b *testing.B) {
				rebuildLeavingUnits = !c.whole
				defer func() { rebuildLeavingUnits = true }()
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					d := Update(prev, []syntax.Edit{e}, text)
					if d.inc.path != pathRegion {
						b.Fatalf("full path: %s", d.inc.reason)
					}
					if d.inc.modelReused == c.whole {
						b.Fatalf("partial model %v: %s", d.inc.modelReused, d.inc.modelWhy)
					}
				}
			})
		}
	}
}

// schemesInFile moves the components.securitySchemes of a generated
// document into a file of its own: each entry becomes a $ref to it.
func schemesInFile(b *testing.B, doc []byte, file string) (main, schemes []byte) {
	text := string(doc)
	start := strings.Index(text, "\n  securitySchemes:\n")
	if start < 0 {
		b.Fatal("no securitySchemes")
	}
	start += len("\n  securitySchemes:\n")
	end := start
	var out, shared strings.Builder
	for end < len(text) {
		eol := strings.IndexByte(text[end:], '\n')
		if eol < 0 {
			eol = len(text) - end - 1
		}
		line := text[end : end+eol+1]
		if !strings.HasPrefix(line, "    ") {
			break
		}
		if !strings.HasPrefix(line, "     ") { // a scheme's key
			name := strings.TrimSuffix(strings.TrimSpace(line), ":")
			fmt.Fprintf(&out, "    %s:\n      $ref: './%s#/%s'\n", name, file, name)
		}
		shared.WriteString(line[4:])
		end += eol + 1
	}
	return []byte(text[:start] + out.String() + text[end:]), []byte(shared.String())
}

// BenchmarkKeystrokePlaces: one character typed in each kind of place
// (places in model_inc_test.go: an operation, a channel, a component
// schema, a security scheme, a server, info, a 2.x channel and operation, a
// 2.x scheme, a 3.x and a 2.x JSON document, a channel, a component schema
// and a scheme of the wide shape) at 1 MB and 5 MB, beside a full Analyze
// of each document kind. Each update must take the region path, and at a
// place marked incremental rebuild only some units of the model.
//
//	go test -run='^$' -bench='KeystrokePlaces' -benchtime=5x ./analysis
func BenchmarkKeystrokePlaces(b *testing.B) {
	for _, sz := range benchSizes[1:] {
		type prepared struct {
			doc  []byte
			prev *Document
		}
		docs := map[string]prepared{}
		for _, p := range places(sz.bytes) {
			doc := p.doc(b)
			key := string(doc) // (generated documents of one size may share their length and start)
			pd, ok := docs[key]
			if !ok {
				pd = prepared{doc, Analyze(doc)}
				docs[key] = pd
				b.Run(fmt.Sprintf("%s/%s/analyze", sz.name, p.name), func(b *testing.B) {
					b.SetBytes(int64(len(doc)))
					for b.Loop() {
						Analyze(doc)
					}
				})
			}
			at := spot(doc, p.from, p.to, p.pat)
			if at < 0 {
				b.Fatalf("%s: no %q", p.name, p.pat)
			}
			e := syntax.Edit{Start: at, End: at, Text: "x"}
			text := e.Apply(doc)
			b.Run(fmt.Sprintf("%s/%s/update", sz.name, p.name), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					d := Update(pd.prev, []syntax.Edit{e}, text)
					if d.inc.path != pathRegion {
						b.Fatalf("full path: %s", d.inc.reason)
					}
					if p.incremental && !d.inc.modelReused {
						b.Fatalf("full model build: %s", d.inc.modelWhy)
					}
				}
			})
		}
	}
}
