package analysis

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// minifiedJSON converts a YAML or JSON document to one-line JSON; ok is
// false for a document that is not an object of string keys.
func minifiedJSON(doc []byte) ([]byte, bool) {
	var v any
	if yaml.Unmarshal(doc, &v) != nil {
		return nil, false
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, false
	}
	out, err := json.Marshal(v)
	return out, err == nil
}

// compactTestDocs are one-line JSON documents: generated ones (AsyncAPI
// 3.0 and 2.6 shapes with security), the incremental tests' documents and
// the corpus's, minified.
func compactTestDocs(t *testing.T) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	add := func(name string, doc []byte) {
		if out, ok := minifiedJSON(doc); ok {
			docs[name] = out
		}
	}
	add("gen3", docgen.Generate(docgen.Options{Units: 3, Seed: 7}))
	add("v3", []byte(incV3))
	add("v2", []byte(incV2))
	if _, err := os.Stat(corpusDir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing in CI: %v", err)
		}
		return docs
	}
	for _, f := range corpusFiles(t, "") {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		add("corpus/"+filepath.Base(f), text)
	}
	return docs
}

// TestIncrementalCompactJSON types random edits into one-line JSON
// documents and checks every Update against Analyze (model, diagnostics,
// links); edits from a valid text to a valid one must take the region
// path (member-level re-parse, syntax/jsoncompact.go) nearly always, and
// every fallback must be on the allowed list.
func TestIncrementalCompactJSON(t *testing.T) {
	t.Parallel()
	docs := compactTestDocs(t)
	var total, valid, validRegion, reused int
	for _, name := range sortedKeys(docs) {
		doc := docs[name]
		t.Run(name, func(t *testing.T) {
			steps := testenv.Count(80, 400)
			if strings.HasPrefix(name, "corpus/") {
				steps = testenv.Count(12, 60)
			}
			rng := rand.New(rand.NewPCG(uint64(len(doc)), 11))
			start := Analyze(doc)
			prev := start
			for i := 0; i < steps; i++ {
				e := edittest.JSONEdit(rng, prev.Text)
				next := e.Apply(prev.Text)
				wasValid := !prev.SyntaxBroken() && len(prev.Tree.Diagnostics) == 0
				d := checkUpdate(t, prev, []syntax.Edit{e}, next)
				checkFallback(t, d)
				total++
				if wasValid && json.Valid(next) {
					valid++
					if d.inc.path == pathRegion {
						validRegion++
						if d.inc.modelReused {
							reused++
						}
					}
				}
				prev = d
				if i%4 == 3 { // back to the start, through the incremental path
					back := edittest.TrimEdit(prev.Text, start.Text)
					prev = checkUpdate(t, prev, []syntax.Edit{back}, start.Text)
					checkFallback(t, prev)
				}
			}
		})
	}
	t.Logf("%d edits; %d from a valid text to a valid one, %d of them member-level (%d with the model rebuilt by unit)", total, valid, validRegion, reused)
	if valid == 0 || float64(validRegion) < 0.8*float64(valid) {
		t.Errorf("only %d of %d edits from valid to valid JSON took the region path (want 80%%)", validRegion, valid)
	}
	if reused == 0 {
		t.Error("no member-level update rebuilt the model by unit")
	}
}

// TestIncrementalCompactJSONTyping types a new member into a one-line
// JSON document, keystroke by keystroke, without and with the quotes an
// editor closes by itself: `"x-new": "value",` before the info title, and
// a member like lspbench's m2 (`"x-description": "Typed ... é日🙂",`) into
// a property schema, before its `"type":"string"`. Every version equals Analyze. The member is
// not valid JSON until its ',' is typed; its error is confined to it
// (syntax/jsoncompactbroken.go), so every keystroke is member-level: the
// ones that break the text, keep it broken and make it valid again.
func TestIncrementalCompactJSONTyping(t *testing.T) {
	doc, ok := minifiedJSON(docgen.Generate(docgen.Options{Units: 2, Seed: 8}))
	if !ok {
		t.Fatal("not a JSON object")
	}
	prop := bytes.Index(doc, []byte(`"type":"string"`)) // (keys are sorted: it is a schema's last)
	if prop < 0 {
		t.Fatal("no string schema")
	}
	for _, c := range []struct {
		at     int
		member string
	}{
		{bytes.Index(doc, []byte(`"title"`)), `"x-new": "value",`},
		{prop, `"x-description": "Typed in lspbench é日🙂",`},
	} {
		for _, auto := range []bool{false, true} {
			prev := Analyze(doc)
			var keys []syntax.Edit
			p, inStr := c.at, false
			for _, r := range c.member {
				switch {
				case auto && r == '"' && inStr: // over the quote the editor inserted
					p++
					inStr = false
				case auto && r == '"':
					keys = append(keys, syntax.Edit{Start: p, End: p, Text: `""`})
					p++
					inStr = true
				default:
					keys = append(keys, syntax.Edit{Start: p, End: p, Text: string(r)})
					p += len(string(r))
				}
			}
			v := c.at + strings.LastIndex(c.member, `"`)                  // before the closing quote
			keys = append(keys, syntax.Edit{Start: v, End: v, Text: "s"}) // and one more, into the new value
			broken := 0
			for i, e := range keys {
				d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				checkFallback(t, d)
				if d.SyntaxBroken() {
					broken++
				}
				if d.inc.path != pathRegion {
					t.Errorf("%s, auto-closing %v: keystroke %d was parsed whole: %s", c.member, auto, i+1, d.inc.reason)
				}
				prev = d
			}
			if broken == 0 || prev.SyntaxBroken() {
				t.Errorf("%s, auto-closing %v: %d keystrokes left the text broken, broken at the end %v", c.member, auto, broken, prev.SyntaxBroken())
			}
			t.Logf("%s, auto-closing %v: %d keystrokes, %d of them leave the text broken", c.member, auto, len(keys), broken)
		}
	}
}

// TestIncrementalCompactJSONTypingBesideBroken types `"z":[1,{"w":2}],`
// (without auto-close: every bracket stays open until it is typed) into
// the middle of a security scheme's key of a one-line JSON document while
// a string is left open in the scheme before it. The text after the typed
// '{' (the key's rest, its ':' and value) closes the schemes' object as
// the '{' own, so a reader that trusts the brackets swallows the scheme
// before it, the string left open included. Every keystroke is
// member-level (no whole parse), equals Analyze, and the errors stay in
// the typed member and the one left open: every other scheme, channel and
// operation keeps its model.
func TestIncrementalCompactJSONTypingBesideBroken(t *testing.T) {
	doc, ok := minifiedJSON(docgen.Generate(docgen.Options{Units: 2, Seed: 8}))
	if !ok {
		t.Fatal("not a JSON object")
	}
	schemes := bytes.Index(doc, []byte(`"securitySchemes":{`)) + len(`"securitySchemes":{`)
	first := schemes + bytes.IndexByte(doc[schemes+1:], '"') + 1 // the first scheme's closing quote
	second := first + bytes.Index(doc[first:], []byte(`},"`)) + len(`},"`)
	left := second - len(`},"`) - 1 // in the first scheme's last string value
	at := second + 4                // in the second scheme's key
	base := syntax.Edit{Start: left, End: left, Text: `,"r":"unclosed`}.Apply(doc)
	at += len(`,"r":"unclosed`)
	prev := Analyze(base)
	if !prev.SyntaxBroken() || len(prev.Diagnostics) == 0 {
		t.Fatal("the member left open does not break the text")
	}
	units := len(prev.Servers) + len(prev.Channels) + len(prev.Operations)
	for i, r := range `"z":[1,{"w":2}],` {
		e := syntax.Edit{Start: at + i, End: at + i, Text: string(r)}
		d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		checkFallback(t, d)
		if d.inc.path != pathRegion {
			t.Errorf("keystroke %d (%q) was parsed whole: %s", i+1, r, d.inc.reason)
		}
		for _, dg := range d.Diagnostics {
			if dg.Code == "yaml-syntax" && (dg.Range.Start < bytes.LastIndexByte(doc[:left], '"') || dg.Range.Start > at+i+1) {
				t.Errorf("keystroke %d (%q): a syntax error outside the two broken members: %v", i+1, r, dg)
			}
		}
		if got := len(d.Servers) + len(d.Channels) + len(d.Operations); got != units {
			t.Errorf("keystroke %d (%q): %d servers, channels and operations, want %d", i+1, r, got, units)
		}
		prev = d
	}
}

// TestEditBetween: the single edit between two texts, across the block
// boundaries of its comparison and with repeated bytes at the edit.
func TestEditBetween(t *testing.T) {
	big := strings.Repeat("abcdefgh", 1500) // 12000 bytes: blocks and a tail
	for _, c := range []struct{ a, b string }{
		{"", ""}, {"", "x"}, {"x", ""}, {"same", "same"}, {"aaa", "aaaa"}, {"aaaa", "aaa"},
		{big, big[:4096] + "X" + big[4096:]}, {big, big[:4095] + big[4097:]}, {big, "Y" + big}, {big, big + "Z"},
		{big, big[:8000] + "QQ" + big[8002:]},
	} {
		e := editBetween([]byte(c.a), []byte(c.b))
		if got := string(e.Apply([]byte(c.a))); got != c.b {
			t.Fatalf("editBetween(%.20q, %.20q) = %+v does not make b", c.a, c.b, e)
		}
		if want := edittest.TrimEdit([]byte(c.a), []byte(c.b)); e != want {
			t.Fatalf("editBetween = %+v, want the smallest %+v", e, want)
		}
	}
}
