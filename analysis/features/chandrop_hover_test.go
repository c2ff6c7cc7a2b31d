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

// TestHoverAfterChannelsBlock: the root `channels` key line broken (its
// colon deleted; its key renamed, which leaves a text that parses) and
// fixed, twice, in the generated 3.0 and wide documents, YAML and JSON,
// where the operations on the channels are swapped, not rebuilt
// (analysis: chandrop.go): every operation's effective security
// (EffectiveMarkdown: its channel gone, which servers apply is what the
// cold model says) and the security hints are those of a cold analysis,
// and so, once the text parses, are the hovers of every operation, its
// channel $ref, every channel and its server entries. (While it does not,
// a hover reads the last good version, which a cold analysis has not.)
func TestHoverAfterChannelsBlock(t *testing.T) {
	t.Parallel()
	for _, shape := range []docgen.Shape{docgen.ShapeV3, docgen.ShapeWide} {
		for _, json := range []bool{false, true} {
			size := 40 << 10
			if shape == docgen.ShapeWide {
				size = 160 << 10 // (an operation every tenth unit)
			}
			opts := docgen.Options{TargetBytes: size, Seed: 3, Shape: shape}
			text := docgen.Generate(opts)
			key := []byte("\nchannels:")
			if json {
				text, key = docgen.GenerateJSON(opts), []byte("\n  \"channels\":")
			}
			at := bytes.Index(text, key)
			if at < 0 {
				t.Fatalf("%s: no channels", shape)
			}
			colon := at + len(key) - 1
			keyEnd := colon // where the key's name ends (JSON: its closing quote)
			if json {
				keyEnd--
			}
			for what, e := range map[string]struct{ brk, fix syntax.Edit }{
				"colon-del": {syntax.Edit{Start: colon, End: colon + 1}, syntax.Edit{Start: colon, End: colon, Text: ":"}},
				"key-x":     {syntax.Edit{Start: keyEnd, End: keyEnd, Text: "x"}, syntax.Edit{Start: keyEnd, End: keyEnd + 1}},
			} {
				label := fmt.Sprintf("%s json %v %s", shape, json, what)
				d := analysis.Analyze(text)
				for _, step := range []struct {
					what string
					edit syntax.Edit
				}{{"broken", e.brk}, {"fixed", e.fix}, {"broken again", e.brk}, {"fixed again", e.fix}} {
					next := step.edit.Apply(d.Text)
					d = analysis.Update(d, []syntax.Edit{step.edit}, next)
					cold := analysis.Analyze(next)
					if step.what == "fixed" && !bytes.Equal(next, text) {
						t.Fatalf("%s: the fix did not give the document back", label)
					}
					if len(d.Operations) != len(cold.Operations) || len(d.Channels) != len(cold.Channels) {
						t.Fatalf("%s: %s: %d operations, %d channels, want %d, %d", label, step.what, len(d.Operations), len(d.Channels), len(cold.Operations), len(cold.Channels))
					}
					for i, op := range cold.Operations {
						if w, g := EffectiveMarkdown(cold, op), EffectiveMarkdown(d, d.Operations[i]); w != g {
							t.Fatalf("%s: %s: effective security of %s differs:\nwant %s\ngot  %s", label, step.what, op.Name, w, g)
						}
					}
					if w, g := SecurityHints(cold), SecurityHints(d); !reflect.DeepEqual(w, g) {
						t.Fatalf("%s: %s: security hints differ:\nwant %v\ngot  %v", label, step.what, w, g)
					}
					if d.SyntaxBroken() {
						if what == "key-x" {
							t.Fatalf("%s: %s: the text does not parse", label, step.what)
						}
						continue
					}
					var places []int
					for _, op := range cold.Operations {
						if op.Key != nil {
							places = append(places, cold.R(op.Key).Start, cold.R(op.Node).Start)
						}
						if ch := op.Node.Key("channel"); ch != nil {
							places = append(places, cold.R(ch).Start+len(`{$ref: '`), cold.R(ch).End-2)
						}
					}
					for _, c := range cold.Channels {
						places = append(places, cold.R(c.Key).Start)
						for _, r := range cold.ServersOf(c) {
							if r.Node != nil {
								places = append(places, cold.R(r.Node).Start)
							}
						}
					}
					if len(cold.Operations) < 3 || len(places) < 2*len(cold.Operations) {
						t.Fatalf("%s: %s: %d places to hover, want more", label, step.what, len(places))
					}
					for _, p := range places {
						if w, g := HoverAt(cold, p), HoverAt(d, p); !reflect.DeepEqual(w, g) {
							t.Fatalf("%s: %s: hover at %d differs:\nwant %+v\ngot  %+v", label, step.what, p, w, g)
						}
					}
				}
			}
		}
	}
}
