package features

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// cursorFacts is what a JSON cursor says, in a comparable form.
func cursorFacts(c *cursor) string {
	listed := slices.Clone(c.listed)
	slices.Sort(listed)
	// (The sibling keys: the value a scan of the line gives the key
	// before the cursor depends on the order it met the keys in.)
	keys := slices.Sorted(maps.Keys(c.siblings))
	return fmt.Sprintf("path=%q key=%q inKey=%v item=%v prefix=%q [%d,%d) quote=%q prev=%q@%d next=%q container=%d siblings=%q listed=%q",
		c.path, c.key, c.inKey, c.item, c.prefix, c.prefixStart, c.replaceEnd, c.quote, c.prevSig, c.prevSigEnd, c.nextSig, c.containerStart, keys, listed)
}

// TestJSONCursorWindow: in a minified (one-line) document, valid or with a
// member being typed, the cursor read from a window around it (the
// innermost container the tree knows, or the members around the cursor in
// a large one: jsonWindow) says what the cursor read from the whole line
// says, at offsets all over the text.
func TestJSONCursorWindow(t *testing.T) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, docgen.GenerateJSON(docgen.Options{TargetBytes: 150_000, Seed: 3})); err != nil {
		t.Fatal(err)
	}
	doc := buf.Bytes()
	at := len(doc)/2 + bytes.Index(doc[len(doc)/2:], []byte(`"type":"string",`)) + len(`"type":"string",`)
	texts := map[string][]byte{"valid": doc}
	typedText := map[string]string{}
	for _, typed := range []string{`"`, `"des`, `"description"`, `"description": `, `"description": "Typed`, `"description": "Typed",`, `"x":{"a":[1,"b`, `"k" "v",`} {
		texts["typed "+typed] = syntax.Edit{Start: at, End: at, Text: typed}.Apply(doc)
		typedText["typed "+typed] = typed
	}
	valid := analysis.Analyze(doc)
	// The end of the container the member is typed into.
	containerEnd := len(doc)
	for _, m := range memberChain(valid, at) {
		if r := valid.R(m.value); m.value.Kind == syntax.MappingNode && r.Start < at && at < r.End {
			containerEnd = r.End
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	windowed := 0
	for name, text := range texts {
		d := analysis.Analyze(text)
		if d.Root == nil {
			t.Fatalf("%s: no tree", name)
		}
		var offs []int
		for i := 0; i < 120; i++ {
			offs = append(offs, rng.IntN(len(text)+1))
		}
		for i := at - 40; i < at+80 && i <= len(text); i++ {
			offs = append(offs, i) // around the member being typed
		}
		for _, off := range offs {
			got := jsonCursorAt(d, off)
			if typed := typedText[name]; typed != "" && off > at+len(typed) {
				// After a member being typed, a scan of the whole line
				// reads its strings inside out (a quote left open); the
				// window does not: past its container, the cursor is the
				// one of the valid text there.
				if off-len(typed) > containerEnd {
					w := jsonCursorAt(valid, off-len(typed))
					if fmt.Sprint(got.path, got.key, got.inKey, got.prefix) != fmt.Sprint(w.path, w.key, w.inKey, w.prefix) {
						t.Fatalf("%s, offset %d (%q|%q) end %d: window path %q key %q, valid text %q %q", name, off, text[max(0, off-50):off], text[off:min(len(text), off+30)], containerEnd, got.path, got.key, w.path, w.key)
					}
				}
				continue
			}
			if ws, _, _ := jsonWindow(d, off, 0, len(text)); ws > 0 {
				windowed++
			}
			keep := jsonWindowLine
			jsonWindowLine = math.MaxInt
			want := jsonCursorAt(d, off)
			jsonWindowLine = keep
			g, w := cursorFacts(got), cursorFacts(want)
			if typedText[name] != "" {
				// What follows the cursor a scan of the whole line reads
				// through the member being typed, inside out.
				g, w = fmt.Sprint(got.path, got.key, got.inKey, got.prefix, got.prevSig), fmt.Sprint(want.path, want.key, want.inKey, want.prefix, want.prevSig)
			}
			if g != w {
				t.Fatalf("%s, offset %d (%q|%q):\nwindow: %s\nline:   %s", name, off, text[max(0, off-60):off], text[off:min(len(text), off+60)], g, w)
			}
		}
	}
	if windowed == 0 {
		t.Fatal("no cursor was read from a window")
	}
}

// TestTextPathBareWordKey: on a minified line, the operation a hover looks
// for comes from the text's path (textPath); a member being typed whose
// key is a bare word, not yet quoted, is no key of the path (its text
// read as a string would lose its first byte: "are" for bare).
func TestTextPathBareWordKey(t *testing.T) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, docgen.GenerateJSON(docgen.Options{TargetBytes: 150_000, Seed: 3})); err != nil {
		t.Fatal(err)
	}
	doc := buf.Bytes()
	at := len(doc)/2 + bytes.Index(doc[len(doc)/2:], []byte(`"type":"string",`)) + len(`"type":"string",`)
	quoted := analysis.Analyze(syntax.Edit{Start: at, End: at, Text: `"bare":2,`}.Apply(doc))
	bare := analysis.Analyze(syntax.Edit{Start: at, End: at, Text: `bare:2,`}.Apply(doc))
	if !bare.SyntaxBroken() {
		t.Fatal("the bare key does not break the text")
	}
	want := textPath(quoted, at+2)
	if len(want) == 0 || want[len(want)-1] != "bare" {
		t.Fatalf("a quoted key's path %q: want it to end in the key", want)
	}
	if got := textPath(bare, at+2); !slices.Equal(got, want[:len(want)-1]) {
		t.Fatalf("a bare word's path %q, want %q (its container's)", got, want[:len(want)-1])
	}
}
