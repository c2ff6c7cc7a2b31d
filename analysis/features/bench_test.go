package features

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"gopkg.in/yaml.v3"
)

// BenchmarkCompleteAndHover measures completion and the operation hover
// on generated documents, on a valid text and on the same text with a
// line being typed that breaks it (an open quote in YAML; a member without
// comma or closing quote in JSON), where the context comes from the text
// and the facts from the last good model. Compare the broken/valid pairs:
//
//	go test -run='^$' -bench=CompleteAndHover ./analysis/features
func BenchmarkCompleteAndHover(b *testing.B) {
	for _, size := range []struct {
		name  string
		bytes int
	}{{"100KB", 100 << 10}, {"1MB", 1 << 20}, {"5MB", 5 << 20}} {
		doc := docgen.Generate(docgen.Options{TargetBytes: size.bytes, Seed: 1})
		op, ok := docgen.MiddleOperation(doc)
		if !ok || op.SecurityRefOffset < 0 {
			b.Fatal("no operation with security in the generated document")
		}
		good := analysis.Analyze(doc)
		// YAML: a new item with an open quote after the first security item
		lineEnd := op.SecurityRefOffset + bytes.IndexByte(doc[op.SecurityRefOffset:], '\n') + 1
		typed := "      - $ref: '#/comp\n"
		broken := edit(good, lineEnd, typed)
		keys := edit(good, lineEnd, "    \n") // an empty line of the operation
		benchPair(b, "yaml/"+size.name, good, broken, keys, op.SecurityRefOffset, lineEnd+len(typed)-1, lineEnd+4, op.KeyOffset+1)

		if size.bytes > 1<<20 {
			continue
		}
		jdoc, jop := jsonOf(b, doc, op.Name)
		jgood := analysis.Analyze(jdoc)
		at := jop + bytes.Index(jdoc[jop:], []byte(`"security": [`)) + len(`"security": [`)
		ref := at + bytes.Index(jdoc[at:], []byte(`"#/components/securitySchemes/`)) + len(`"#/components/securitySchemes/`)
		jtyped := "\n{\"$ref\": \"#/comp"
		jbroken := edit(jgood, at, jtyped)
		jkeys := edit(jgood, jop+bytes.IndexByte(jdoc[jop:], '{')+1, "\n")
		benchPair(b, "json/"+size.name, jgood, jbroken, jkeys, ref, at+len(jtyped), jop+bytes.IndexByte(jdoc[jop:], '{')+2, jop+1)
	}
}

func edit(prev *analysis.Document, at int, s string) *analysis.Document {
	text := append(append(append([]byte{}, prev.Text[:at]...), s...), prev.Text[at:]...)
	return analysis.Update(prev, []syntax.Edit{{Start: at, End: at, Text: s}}, text)
}

func benchPair(b *testing.B, name string, good, broken, keys *analysis.Document, refAt, brokenAt, keysAt, opAt int) {
	run := func(what string, d *analysis.Document, f func(*analysis.Document) bool) {
		b.Run(name+"/"+what, func(b *testing.B) {
			if !f(d) {
				b.Fatalf("%s: nothing", what)
			}
			for i := 0; i < b.N; i++ {
				f(d)
			}
		})
	}
	complete := func(off int) func(*analysis.Document) bool {
		return func(d *analysis.Document) bool { return len(Complete(d, off)) > 0 }
	}
	hover := func(d *analysis.Document) bool {
		h := HoverAt(d, opAt)
		return h != nil && strings.Contains(h.Markdown, "Effective security")
	}
	if !broken.SyntaxBroken() || broken.LastGood() != good {
		b.Fatalf("%s: the broken text is not broken after the good one", name)
	}
	run("complete-ref/valid", good, complete(refAt))
	run("complete-ref/broken", broken, complete(brokenAt))
	run("complete-keys/valid", keys, complete(keysAt))
	run("hover-op/valid", good, hover)
	run("hover-op/broken", broken, hover)
}

// jsonOf converts a generated YAML document to indented JSON and returns
// it with the offset of the operation's key.
func jsonOf(b *testing.B, doc []byte, op string) ([]byte, int) {
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		b.Fatal(err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	ops := bytes.Index(out, []byte(`"operations": {`))
	i := bytes.Index(out[ops:], []byte(fmt.Sprintf("%q: {", op)))
	if ops < 0 || i < 0 {
		b.Fatal("operation not found in the JSON")
	}
	return out, ops + i
}

// BenchmarkCompleteAndHoverMinJSON is BenchmarkCompleteAndHover on
// minified (one-line) JSON, each case read from a window around the
// cursor (window: jsonWindow) beside the whole line (line: what it cost
// before), in one run:
//
//	go test -run='^$' -bench=CompleteAndHoverMinJSON ./analysis/features
func BenchmarkCompleteAndHoverMinJSON(b *testing.B) {
	for _, size := range []struct {
		name  string
		bytes int
	}{{"1MB", 1 << 20}, {"5MB", 5 << 20}} {
		doc := docgen.Generate(docgen.Options{TargetBytes: size.bytes, Seed: 1})
		op, ok := docgen.MiddleOperation(doc)
		if !ok || op.SecurityRefOffset < 0 {
			b.Fatal("no operation with security in the generated document")
		}
		pretty, _ := jsonOf(b, doc, op.Name)
		var buf bytes.Buffer
		if err := json.Compact(&buf, pretty); err != nil {
			b.Fatal(err)
		}
		jdoc := buf.Bytes()
		jop := bytes.Index(jdoc, []byte(`"operations":{`))
		jop += bytes.Index(jdoc[jop:], []byte(fmt.Sprintf("%q:{", op.Name)))
		good := analysis.Analyze(jdoc)
		at := jop + bytes.Index(jdoc[jop:], []byte(`"security":[`)) + len(`"security":[`)
		ref := at + bytes.Index(jdoc[at:], []byte(`"#/components/securitySchemes/`)) + len(`"#/components/securitySchemes/`)
		typed := `{"$ref":"#/comp`
		broken := edit(good, at, typed)
		keys := edit(good, jop+bytes.IndexByte(jdoc[jop:], '{')+1, ` `)
		for _, mode := range []string{"window", "line"} {
			keep := jsonWindowLine
			if mode == "line" {
				jsonWindowLine = math.MaxInt
			}
			benchPair(b, size.name+"/"+mode, good, broken, keys, ref, at+len(typed), jop+bytes.IndexByte(jdoc[jop:], '{')+1, jop+1)
			jsonWindowLine = keep
		}
	}
}

// BenchmarkHoverAfterTypingMinJSON: the hovers tools/lspbench sends after
// typing at its minified JSON places (m1: inside a string; m2: a member
// typed mid-object, which leaves the text broken), on the document the
// keystrokes' updates made. At m2 the operation is found from the text
// (textPath), which tokenized a 4 KB window to read a key's two tokens:
//
//	go test -run='^$' -bench=HoverAfterTypingMinJSON ./analysis/features
func BenchmarkHoverAfterTypingMinJSON(b *testing.B) {
	text := docgen.GenerateMinJSON(docgen.Options{TargetBytes: 1 << 20, Seed: 1, Shape: docgen.ShapeV3, FlowBindings: true})
	places, err := docgen.Places(text)
	if err != nil {
		b.Fatal(err)
	}
	for _, id := range []string{docgen.PlaceMinJSONString, docgen.PlaceMinJSONMember} {
		p := places[id]
		d := analysis.Analyze(text)
		at, typed := p.Offset, 0
		for _, k := range p.Keystrokes(16, "typing é日🙂 ") {
			e := syntax.Edit{Start: at, End: at, Text: k}
			d = analysis.Update(d, []syntax.Edit{e}, e.Apply(d.Text))
			at, typed = at+len(k), typed+len(k)
		}
		b.Run(id, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				HoverAt(d, p.AfterTyping(p.Hover[i%len(p.Hover)], typed))
			}
		})
	}
}
