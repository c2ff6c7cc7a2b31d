package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// farRefFiles writes the two files of the far $ref benchmarks (a server
// whose security is a $ref to a scheme of a third file) and returns the
// options of a document beside them and the $ref's value to its server.
func farRefFiles(b *testing.B) (Options, string) {
	dir := b.TempDir()
	for name, text := range map[string]string{
		"far-servers.yaml": "prod:\n  host: prod.example.com\n  protocol: mqtt\n  security:\n    - $ref: 'far-schemes.yaml#/oauth'\n",
		"far-schemes.yaml": "oauth:\n  type: oauth2\n  flows:\n    clientCredentials:\n      tokenUrl: https://auth.example.com/token\n      availableScopes:\n        write: write\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	opts := Options{Path: filepath.Join(dir, "api.yaml"), Loader: workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", dir), 0)}
	const value = "'./far-servers.yaml#/prod'"
	return opts, value
}

// BenchmarkFarRefEdit: a character typed at the end of the value of a
// server's $ref into another file, whose target there holds a $ref to a
// scheme of a third file (the server's security), in a generated AsyncAPI
// 3.0 document: "unit" rebuilds the server alone (farRefsUnder) and
// validates it again, "whole" builds the whole model and validates the
// whole document, as before, in the same run.
func BenchmarkFarRefEdit(b *testing.B) {
	opts, value := farRefFiles(b)
	for _, sz := range benchSizes[1:] {
		plain := docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		doc := bytes.Replace(plain, []byte("\nservers:\n"), []byte("\nservers:\n  farServer:\n    $ref: "+value+"\n"), 1)
		if bytes.Equal(doc, plain) {
			b.Fatal("no servers section")
		}
		off := bytes.Index(doc, []byte(value)) + len(value) - 1
		e := syntax.Edit{Start: off, End: off, Text: "x"}
		text := e.Apply(doc)
		prev := AnalyzeWith(doc, opts)
		if d := Update(prev, []syntax.Edit{e}, text); !d.inc.modelReused || len(d.Files()) != 1 {
			b.Fatalf("files %v, partial model %v (%s)", d.Files(), d.inc.modelReused, d.inc.modelWhy)
		}
		runtime.GC()
		for _, whole := range []bool{false, true} {
			name := sz.name + "/unit"
			if whole {
				name = sz.name + "/whole"
			}
			b.Run(name, func(b *testing.B) {
				forgetFarRefs = !whole
				defer func() { forgetFarRefs = true }()
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					d := Update(prev, []syntax.Edit{e}, text)
					if d.inc.path != pathRegion || d.inc.modelReused == whole {
						b.Fatalf("path %d, partial model %v: %s", d.inc.path, d.inc.modelReused, d.inc.modelWhy)
					}
				}
			})
		}
	}
}

// BenchmarkSharedFarRefEdit: a character typed in a server's $ref whose
// target in another file holds a $ref to a third file, which a channel's
// server $ref also reaches (coverFar: the channel is rebuilt and checked,
// its $ref's target validated again; before session 13 the whole model
// and schema validation). Main's and this branch's test binaries run it
// side by side; the log line says how the model was built.
func BenchmarkSharedFarRefEdit(b *testing.B) {
	opts, value := farRefFiles(b)
	for _, sz := range benchSizes[1:] {
		plain := docgen.Generate(docgen.Options{TargetBytes: sz.bytes, Seed: 1})
		doc := bytes.Replace(plain, []byte("\nservers:\n"), []byte("\nservers:\n  farServer:\n    $ref: "+value+"\n"), 1)
		doc = bytes.Replace(doc, []byte("\nchannels:\n"), []byte("\nchannels:\n  farChannel:\n    address: far\n    servers:\n      - $ref: "+value+"\n"), 1)
		if !bytes.Contains(doc, []byte("farServer")) || !bytes.Contains(doc, []byte("farChannel")) {
			b.Fatal("no servers or channels section")
		}
		off := bytes.Index(doc, []byte(value)) + len(value) - 1
		e := syntax.Edit{Start: off, End: off, Text: "x"}
		text := e.Apply(doc)
		prev := AnalyzeWith(doc, opts)
		d := Update(prev, []syntax.Edit{e}, text)
		b.Logf("%s: partial model %v (%s), %d units rebuilt", sz.name, d.inc.modelReused, d.inc.modelWhy, d.inc.units)
		runtime.GC()
		b.Run(sz.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if d := Update(prev, []syntax.Edit{e}, text); d.inc.path != pathRegion {
					b.Fatalf("path %d", d.inc.path)
				}
			}
		})
	}
}
