package features

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// TestHoverAfterServersBlock: the root `servers:` line's colon deleted and
// typed back in the generated documents (every shape, YAML and JSON),
// where the channels and operations that read the servers stay shared
// with the previous version (analysis: srvlook.go): every operation's
// effective security (EffectiveMarkdown) and the security hints are those
// of a cold analysis, and so, once the text parses again, are the hovers
// of every operation, channel server entry and server. (While it does
// not, a hover reads the last good version, which a cold analysis has
// not: lastgood.go.)
func TestHoverAfterServersBlock(t *testing.T) {
	t.Parallel()
	for _, shape := range docgen.Shapes() {
		for _, json := range []bool{false, true} {
			opts := docgen.Options{TargetBytes: 40 << 10, Seed: 3, Shape: shape}
			text := docgen.Generate(opts)
			key := []byte("\nservers:")
			if json {
				text, key = docgen.GenerateJSON(opts), []byte("\n  \"servers\":")
			}
			name := fmt.Sprintf("%s json %v", shape, json)
			at := bytes.Index(text, key)
			if at < 0 {
				t.Fatalf("%s: no servers", name)
			}
			colon := at + len(key) - 1
			brk := syntax.Edit{Start: colon, End: colon + 1}
			fix := syntax.Edit{Start: colon, End: colon, Text: ":"}
			d := analysis.Analyze(text)
			for _, step := range []struct {
				what string
				edit syntax.Edit
			}{{"colon deleted", brk}, {"colon typed back", fix}, {"deleted again", brk}, {"typed back again", fix}} {
				next := step.edit.Apply(d.Text)
				d = analysis.Update(d, []syntax.Edit{step.edit}, next)
				cold := analysis.Analyze(next)
				var places []int
				for _, op := range cold.Operations {
					if op.Key != nil {
						places = append(places, cold.R(op.Key).Start)
					}
				}
				for _, c := range append(cold.Channels, cold.ComponentChannels...) {
					for _, r := range cold.ServersOf(c) {
						if r.Node != nil {
							places = append(places, cold.R(r.Node).Start)
						}
					}
				}
				for _, s := range cold.Servers {
					if s.Key != nil {
						places = append(places, cold.R(s.Key).Start)
					}
				}
				if len(places) < 10 {
					t.Fatalf("%s: %s: %d places to hover, want more", name, step.what, len(places))
				}
				if len(d.Operations) != len(cold.Operations) {
					t.Fatalf("%s: %s: %d operations, want %d", name, step.what, len(d.Operations), len(cold.Operations))
				}
				for i, op := range cold.Operations {
					if w, g := EffectiveMarkdown(cold, op), EffectiveMarkdown(d, d.Operations[i]); w != g {
						t.Fatalf("%s: %s: effective security of %s differs:\nwant %s\ngot  %s", name, step.what, op.Name, w, g)
					}
				}
				if w, g := SecurityHints(cold), SecurityHints(d); !reflect.DeepEqual(w, g) {
					t.Fatalf("%s: %s: security hints differ:\nwant %v\ngot  %v", name, step.what, w, g)
				}
				if d.SyntaxBroken() != (step.edit == brk) {
					t.Fatalf("%s: %s: broken %v", name, step.what, d.SyntaxBroken())
				}
				if d.SyntaxBroken() {
					continue
				}
				for _, p := range places {
					if w, g := HoverAt(cold, p), HoverAt(d, p); !reflect.DeepEqual(w, g) {
						t.Fatalf("%s: %s: hover at %d differs:\nwant %+v\ngot  %+v", name, step.what, p, w, g)
					}
				}
			}
		}
	}
}
