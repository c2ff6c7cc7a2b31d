package syntax_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// compactJSON converts a YAML (or JSON) document to minified JSON.
func compactJSON(t testing.TB, doc []byte) []byte {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// spacedJSON puts blanks between the tokens of a minified document: after
// each ':' and ',' outside strings, and around the brackets.
func spacedJSON(text []byte) []byte {
	var out []byte
	in := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		out = append(out, c)
		switch {
		case in && c == '\\':
			i++
			out = append(out, text[i])
		case c == '"':
			in = !in
		case !in && (c == ':' || c == ','):
			out = append(out, ' ')
		case !in && (c == '[' || c == '{') && i > 0:
			out = append(out, ' ', '\t')
		}
	}
	return out
}

// compactDocs are valid JSON documents whose root object is compact:
// generated and corpus documents minified, and the edge cases (escapes,
// numbers, nested arrays of objects, blanks between tokens, members over
// CRLF lines).
func compactDocs(t testing.TB) map[string][]byte {
	t.Helper()
	gen := compactJSON(t, docgen.Generate(docgen.Options{Units: 3, Seed: 8}))
	docs := map[string][]byte{
		"gen":     gen,
		"spaced":  spacedJSON(compactJSON(t, docgen.Generate(docgen.Options{Units: 1, Seed: 9}))),
		"escapes": []byte(`{"a\/b":"\ud83d\ude00 \/ x \u00e9\n\"q\"","c":{"d\u0041":[1,-2.5e3,0,{"e":"\\"}],"f":{}},"g":null,"h":[true,false,[],[[{"i":"\/"}]]]}`),
		"numbers": []byte(`{"a":0,"b":-0,"c":1.5E+10,"d":-12.75e-3,"e":[1,2,3],"f":123456789012345678901234567890}`),
		"arrays":  []byte(`{"a":[{"b":[{"c":1},{"d":[2,{"e":"x"}]}]},{"f":[]}],"g":[[[["h"]]]]}`),
		"crlf":    []byte("{\"a\": 1,\r\n \"b\": {\"c\": [1,\r\n  2], \"d\": \"x\"},\r\n \"e\": [\r\n {\"f\": null}\r\n ]\r\n}\r\n"),
		"utf8":    []byte(`{"title":"café 日本 😀","k😀":{"v":"é"},"z":"\u2028 is escaped"}`),
		// Duplicate keys leave the text valid JSON: it is still updated
		// member by member, and its duplicates found again.
		"dups": []byte(`{"a":1,"b":{"c":2,"c":[3,{"d":4,"d":5}]},"a":{"e":"f"},"g":"h"}`),
	}
	if _, err := os.Stat("../../../shared/corpus"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing in CI: %v", err)
		}
		return docs
	}
	var files []string
	for _, pat := range []string{"*.json", "*.yaml", "*.yml"} {
		m, _ := filepath.Glob("../../../shared/corpus/" + pat)
		files = append(files, m...)
	}
	slices.Sort(files)
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if yaml.Unmarshal(text, &v) != nil {
			continue // a broken corpus file (the corpus has some on purpose)
		}
		if _, ok := v.(map[string]any); !ok {
			continue
		}
		out, err := json.Marshal(v)
		if err != nil {
			continue // keys that are not strings
		}
		docs["corpus/"+filepath.Base(f)] = out
	}
	return docs
}

// TestUpdateTreeCompactJSON applies random typing edits to compact JSON
// documents, one after another, and checks every tree UpdateTree returns
// against a cold parse (nodes, ranges through the shift log,
// diagnostics). It asserts that edits of a valid text are taken member by
// member (those that leave it valid JSON, nearly all) and that the
// fallbacks are on the allowed list.
func TestUpdateTreeCompactJSON(t *testing.T) {
	t.Parallel()
	docs := compactDocs(t)
	for _, name := range sortedNames(docs) {
		doc := docs[name]
		t.Run(name, func(t *testing.T) {
			steps := testenv.Count(200, 1000)
			if strings.HasPrefix(name, "corpus/") {
				steps = testenv.Count(40, 200)
			}
			if syntax.ParseTree(doc).ParsedByRegion() {
				t.Fatal("a compact document parsed by region")
			}
			rng := rand.New(rand.NewPCG(uint64(len(doc)), 5))
			start := syntax.ParseTree(doc)
			tree, shifts, text := start, (*syntax.ShiftLog)(nil), doc
			fromValid, validTaken, taken := 0, 0, 0
			reasons := map[string]int{}
			for i := 0; i < steps; i++ {
				e := edittest.JSONEdit(rng, text)
				next := e.Apply(text)
				want := syntax.ParseTree(next)
				u, reason := syntax.UpdateTree(text, tree, shifts, e, next)
				wasValid := json.Valid(text) && !slices.ContainsFunc(tree.Diagnostics, func(d syntax.Diagnostic) bool { return !syntax.IsDuplicateKey(d) })
				if wasValid && json.Valid(next) {
					fromValid++
				}
				if u == nil {
					if !edittest.AllowedFallback(reason) {
						t.Fatalf("UpdateTree declined for a reason not allowed: %q\nedit %+v on\n%s", reason, e, text)
					}
					reasons[reason]++
					tree, shifts = want, nil
				} else {
					taken++
					if wasValid && json.Valid(next) {
						validTaken++
					}
					abs := func(n *syntax.Node) syntax.Range { return n.Range() }
					if s := edittest.DiffTrees(want, abs, u.Tree, u.Shifts.R); s != "" {
						t.Fatalf("UpdateTree differs from a cold parse after edit %+v: %s\nprevious text:\n%s\nnew text:\n%s", e, s, text, next)
					}
					if u.Tree.WholeParseReason() != want.WholeParseReason() {
						t.Fatalf("whole-parse reason %q, want %q", u.Tree.WholeParseReason(), want.WholeParseReason())
					}
					tree, shifts = u.Tree, u.Shifts
				}
				text = next
				if i%4 == 3 {
					text, tree, shifts = doc, start, nil
				}
			}
			t.Logf("%s: %d edits, %d member-level; of the %d that keep a valid text valid, %d; declined %v",
				name, steps, taken, fromValid, validTaken, reasons)
			// An edit of a valid text that leaves it valid JSON is declined
			// only before the root's first key, between root members, or
			// for what yaml reads specially.
			if fromValid == 0 || float64(validTaken) < 0.8*float64(fromValid) {
				t.Errorf("only %d of %d edits from valid to valid JSON were member-level (want 80%%)", validTaken, fromValid)
			}
		})
	}
}

func sortedNames(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestUpdateTreeCompactJSONCases: edits at the places the member search
// and the splice must get exactly right, each compared with a cold parse;
// taken says whether it is member-level.
func TestUpdateTreeCompactJSONCases(t *testing.T) {
	doc := `{"a":{"b":1,"c":[{"d":"x\/y"},2]},"e":"\ud83d\ude00","f":[1,[2,3]],"g":{}}`
	at := func(s string) int {
		i := strings.Index(doc, s)
		if i < 0 {
			t.Fatalf("%q not in the document", s)
		}
		return i
	}
	for _, c := range []struct {
		name  string
		edit  syntax.Edit
		taken bool
	}{
		{"inside a string value", syntax.Edit{Start: at(`x\/y`) + 1, End: at(`x\/y`) + 1, Text: "z"}, true},
		{"an escape typed into a string", syntax.Edit{Start: at(`x\/y`), End: at(`x\/y`), Text: `\ud83d\ude01\/`}, true},
		{"inside a key", syntax.Edit{Start: at(`"b"`) + 1, End: at(`"b"`) + 2, Text: "bb"}, true},
		{"a key renamed to a sibling's (duplicate)", syntax.Edit{Start: at(`"b"`) + 1, End: at(`"b"`) + 2, Text: "c"}, true},
		{"a number", syntax.Edit{Start: at(`1,`), End: at(`1,`) + 1, Text: "-1.5e-7"}, true},
		{"an item of a nested array", syntax.Edit{Start: at(`3]`), End: at(`3]`) + 1, Text: `{"z":[]}`}, true},
		{"a member typed after a comma", syntax.Edit{Start: at(`"c"`), End: at(`"c"`), Text: `"x-new":"value",`}, true},
		{"a member typed before the closing brace", syntax.Edit{Start: at(`1,"c"`) + 1, End: at(`1,"c"`) + 1, Text: `,"x":true`}, true},
		{"the boundary quote removed", syntax.Edit{Start: at(`"e"`), End: at(`"e"`) + 1}, false},
		// A broken text is confined to the member (jsoncompactbroken.go).
		{"a comma removed", syntax.Edit{Start: at(`,"e"`), End: at(`,"e"`) + 1}, true},
		{"a member removed with its comma", syntax.Edit{Start: at(`,"e"`), End: at(`,"f"`)}, true},
		{"one member closed and another opened", syntax.Edit{Start: at(`1,"c"`) + 1, End: at(`1,"c"`) + 1, Text: `},"n":{"m":2`}, true},
		{"blanks between tokens", syntax.Edit{Start: at(`:[1,[`) + 1, End: at(`:[1,[`) + 1, Text: " \r\n\t"}, true},
		{"a line break before the first key", syntax.Edit{Start: 1, End: 1, Text: "\n"}, false},
		{"inside an empty object", syntax.Edit{Start: at(`{}`) + 1, End: at(`{}`) + 1, Text: `"h":1`}, true},
		{"between two root members", syntax.Edit{Start: at(`,"f"`), End: at(`,"f"`) + 1, Text: ` , `}, true},
		{"an unclosed string", syntax.Edit{Start: at(`"e"`) + 4, End: at(`"e"`) + 4, Text: `"`}, true},
		// (both scans fail at the word: the region is the nested array
		// and the word, with the ',' before them)
		{"a word typed after a nested array's ']'", syntax.Edit{Start: at(`3]]`) + 2, End: at(`3]]`) + 2, Text: "z"}, true},
		{"a NEL in a string", syntax.Edit{Start: at(`x\/y`), End: at(`x\/y`), Text: "\u0085"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := []byte(doc)
			next := c.edit.Apply(text)
			u, reason := syntax.UpdateTree(text, syntax.ParseTree(text), nil, c.edit, next)
			if (u != nil) != c.taken {
				t.Fatalf("member-level %v (%q), want %v; new text %s", u != nil, reason, c.taken, next)
			}
			if u == nil {
				if !edittest.AllowedFallback(reason) {
					t.Fatalf("declined for a reason not allowed: %q", reason)
				}
				return
			}
			abs := func(n *syntax.Node) syntax.Range { return n.Range() }
			if s := edittest.DiffTrees(syntax.ParseTree(next), abs, u.Tree, u.Shifts.R); s != "" {
				t.Fatalf("differs from a cold parse: %s\nnew text: %s", s, next)
			}
			// The levels are mapping entries of the previous tree that
			// hold the re-parsed run, from the root down.
			for i, l := range u.Levels {
				if l.Map.Kind != syntax.MappingNode || l.Index < 0 || 2*l.Index+1 >= len(l.Map.Content) ||
					l.Start > c.edit.Start || l.End < c.edit.End || u.Path[i] != l.Map.Content[2*l.Index].Value {
					t.Fatalf("level %d %+v does not hold the edit %+v", i, l, c.edit)
				}
			}
			if n := len(u.Levels); n > 0 {
				lv := u.Levels[n-1]
				if len(u.OldPairs) != 2 || u.OldPairs[0] != lv.Map.Content[2*lv.Index] || len(u.Pairs) < 2 || len(u.Pairs)%2 != 0 {
					t.Fatalf("pairs %d, old pairs %d", len(u.Pairs), len(u.OldPairs))
				}
			}
		})
	}
}

// TestUpdateTreeCompactTyping types a new member `"x-new": "value",` in
// the middle of the root object's first member's object, keystroke by
// keystroke, without and with the quotes and brackets an editor closes by
// itself, and counts the keystrokes that fall back to a whole parse: a
// member being typed is not valid JSON until it is complete, so those
// fall back, and the keystroke after each one that leaves the text valid
// is member-level again.
func TestUpdateTreeCompactTyping(t *testing.T) {
	doc := compactJSON(t, docgen.Generate(docgen.Options{Units: 2, Seed: 8}))
	at := bytes.Index(doc, []byte(`"title"`))
	if at < 0 {
		t.Fatal("no title")
	}
	member := `"x-new": "value",`
	for _, auto := range []bool{false, true} {
		text := doc
		tree, shifts := syntax.ParseTree(text), (*syntax.ShiftLog)(nil)
		fallbacks, validAfterValid, takenAfterValid := 0, 0, 0
		for _, e := range typingMember(member, at, auto) {
			next := e.Apply(text)
			wasValid := len(tree.Diagnostics) == 0
			u, reason := syntax.UpdateTree(text, tree, shifts, e, next)
			want := syntax.ParseTree(next)
			if wasValid && json.Valid(next) {
				validAfterValid++
			}
			if u == nil {
				if !edittest.AllowedFallback(reason) {
					t.Fatalf("declined for a reason not allowed: %q", reason)
				}
				fallbacks++
				tree, shifts = want, nil
			} else {
				if wasValid && json.Valid(next) {
					takenAfterValid++
				}
				abs := func(n *syntax.Node) syntax.Range { return n.Range() }
				if s := edittest.DiffTrees(want, abs, u.Tree, u.Shifts.R); s != "" {
					t.Fatalf("differs from a cold parse: %s", s)
				}
				tree, shifts = u.Tree, u.Shifts
			}
			text = next
		}
		if !json.Valid(text) || !bytes.Contains(text, []byte(member+`"title"`)) {
			t.Fatalf("typing went wrong: %s", text)
		}
		t.Logf("auto-closing %v: %d keystrokes, %d fell back to a whole parse", auto, len(typingMember(member, at, auto)), fallbacks)
		// The text is valid again: the next keystroke (into the new
		// value) is member-level.
		v := bytes.Index(text, []byte(`"value"`)) + 1
		e := syntax.Edit{Start: v, End: v, Text: "s"}
		next := e.Apply(text)
		u, reason := syntax.UpdateTree(text, tree, shifts, e, next)
		if u == nil {
			t.Fatalf("auto-closing %v: the keystroke after the member is complete fell back: %s", auto, reason)
		}
		if s := edittest.DiffTrees(syntax.ParseTree(next), func(n *syntax.Node) syntax.Range { return n.Range() }, u.Tree, u.Shifts.R); s != "" {
			t.Fatalf("differs from a cold parse: %s", s)
		}
		if takenAfterValid != validAfterValid {
			t.Errorf("auto-closing %v: %d of %d keystrokes from a valid text to a valid one were member-level", auto, takenAfterValid, validAfterValid)
		}
	}
}

// typingMember returns the keystrokes that type member at at; with auto,
// a typed quote inserts two (and a typed closing quote steps over the
// one the editor inserted: no edit).
func typingMember(member string, at int, auto bool) []syntax.Edit {
	var out []syntax.Edit
	p := at
	inStr := false
	for _, r := range member {
		s := string(r)
		if auto && r == '"' {
			if inStr {
				p++ // over the auto-inserted quote
				inStr = false
				continue
			}
			out = append(out, syntax.Edit{Start: p, End: p, Text: `""`})
			p++
			inStr = true
			continue
		}
		out = append(out, syntax.Edit{Start: p, End: p, Text: s})
		p += len(s)
	}
	return out
}

// TestUpdateTreeCompactJSONDeclines: texts parsed whole that are not a
// valid compact root object are left to the whole parse, with the reason.
func TestUpdateTreeCompactJSONDeclines(t *testing.T) {
	for _, c := range []struct{ name, doc, at, ins, want string }{
		{"a root array", `[{"a":1},{"b":2}]`, "1", "2", "JSON document parsed whole: not one JSON object"},
		{"an empty root object", `{}  `, " ", " ", "JSON document parsed whole: not a compact root object"},
		{"a pretty-printed root laid out otherwise", "{\n  \"a\": 1, \"b\": {\"c\": 2}\n}\n", "2", "3", "JSON document parsed whole: not a compact root object"},
		{"a line break before the first key", "{\n\"a\": 1, \"b\": 2}", "2", "3", "JSON document parsed whole: not a compact root object"},
		{"a syntax error elsewhere, a member made invalid", `{"a":,"b:2,3],c":{"d":"e"}}`, ":2", `"`, "compact JSON: an edit away from the broken region that its run does not take (compact JSON: the run is not valid JSON); compact JSON: the errors of the new text are not confined"},
		{"a syntax error elsewhere, parsed whole", `{"a":1,"b":[2,{]`, "1", "3", "compact JSON: diagnostics in the previous text"},
		{"before the first key", `{ "a":1}`, ` "a"`, " ", "compact JSON: the edit is not inside a member of the root object"},
		{"after the last value", `{"a":1 }`, "}", " ", "compact JSON: the edit is not inside a member of the root object"},
		{"a key and its ':' on two lines", `{"a":{"b":1}}`, `:1`, "\n", "compact JSON: the run does not parse as YAML"},
		{"invalid UTF-8 typed", `{"a":"x"}`, `x`, "\xff", "invalid UTF-8 at the edit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			old := []byte(c.doc)
			i := strings.Index(c.doc, c.at)
			e := syntax.Edit{Start: i, End: i, Text: c.ins}
			if c.ins == "" { // delete at
				e.End = i + len(c.at)
			}
			text := e.Apply(old)
			u, reason := syntax.UpdateTree(old, syntax.ParseTree(old), nil, e, text)
			if u != nil || reason != c.want {
				t.Fatalf("got %v %q, want declined: %q", u != nil, reason, c.want)
			}
			if !edittest.AllowedFallback(reason) {
				t.Fatalf("not an allowed fallback: %q", reason)
			}
		})
	}
}

// TestUpdateTreeCompactJSONDepth: a run that nests near yaml.v3's depth
// limit is left to the whole parse; brackets inside strings do not nest.
func TestUpdateTreeCompactJSONDepth(t *testing.T) {
	deep := strings.Repeat("[", 9500) + strings.Repeat("]", 9500)
	for _, c := range []struct {
		doc   string
		taken bool
	}{
		{`{"a":1,"b":` + deep + `}`, false},
		{`{"a":1,"b":"` + deep + `\"` + deep + `"}`, true},
		{`{"a":1,"b":[[{"c":"\\"}],"` + deep + `"]}`, true},
	} {
		old := []byte(c.doc)
		i := strings.Index(c.doc, `"b"`) + 1
		e := syntax.Edit{Start: i, End: i, Text: "x"}
		text := e.Apply(old)
		u, reason := syntax.UpdateTree(old, syntax.ParseTree(old), nil, e, text)
		if (u != nil) != c.taken || (u == nil && reason != "compact JSON: the run nests too deep") {
			t.Fatalf("%.40s…: taken %v (%q), want %v", c.doc, u != nil, reason, c.taken)
		}
		if u != nil {
			abs := func(n *syntax.Node) syntax.Range { return n.Range() }
			if s := edittest.DiffTrees(syntax.ParseTree(text), abs, u.Tree, u.Shifts.R); s != "" {
				t.Fatalf("differs from a cold parse: %s", s)
			}
		}
	}
}

// TestUpdateTreeCompactBrokenDepth: an edit that breaks an item nested deep
// (a missing ',') re-parses the run holding it, its broken region blanked,
// at the depth the run has in the text, up to the nesting bound: 8998
// arrays deep it is under it, 8999 deep over it, and the update declines
// (a cold parse reads it, within yaml's limit).
func TestUpdateTreeCompactBrokenDepth(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		nest  int
		taken bool
	}{{8998, true}, {8999, false}} {
		doc := `{"a":1,"b":` + strings.Repeat("[", c.nest) + "1" + strings.Repeat("]", c.nest) + `}`
		old := []byte(doc)
		i := strings.Index(doc, "1]")
		e := syntax.Edit{Start: i, End: i + 1, Text: "1 2"}
		text := e.Apply(old)
		u, reason := syntax.UpdateTree(old, syntax.ParseTree(old), nil, e, text)
		if (u != nil) != c.taken || (u == nil && !strings.Contains(reason, "no run of members holds the broken region")) {
			t.Fatalf("nest %d: taken %v (%q), want %v", c.nest, u != nil, reason, c.taken)
		}
		if u != nil {
			abs := func(n *syntax.Node) syntax.Range { return n.Range() }
			if s := edittest.DiffTrees(syntax.ParseTree(text), abs, u.Tree, u.Shifts.R); s != "" {
				t.Fatalf("nest %d: differs from a cold parse: %s", c.nest, s)
			}
		}
	}
}

// TestUpdateTreeCompactSeveralDepth: in a text with several errors the run
// re-parsed is bounded as in a valid one: a member of the root nested
// 8998 deep is one level under the bound (9000: the root, the member's
// object and its nesting), one nested 8999 deep is over it (the whole
// parse then reads it, within yaml's limit).
func TestUpdateTreeCompactSeveralDepth(t *testing.T) {
	for _, c := range []struct {
		nest  int
		taken bool
	}{{8998, true}, {8999, false}} {
		deep := strings.Repeat("[", c.nest) + strings.Repeat("]", c.nest)
		doc := `{"a":"x,"c":1,"d":2 "e":3,"b":` + deep + `}`
		old := []byte(doc)
		tree := syntax.ParseTree(old)
		if len(tree.Diagnostics) != 2 {
			t.Fatalf("nest %d: %d diagnostics, want 2", c.nest, len(tree.Diagnostics))
		}
		i := strings.Index(doc, `"b"`) + 1
		e := syntax.Edit{Start: i, End: i, Text: "x"}
		text := e.Apply(old)
		u, reason := syntax.UpdateTree(old, tree, nil, e, text)
		if (u != nil) != c.taken || (u == nil && reason != "compact JSON: no run of members holds the changed regions") {
			t.Fatalf("nest %d: taken %v (%q), want %v", c.nest, u != nil, reason, c.taken)
		}
		if u != nil {
			abs := func(n *syntax.Node) syntax.Range { return n.Range() }
			if s := edittest.DiffTrees(syntax.ParseTree(text), abs, u.Tree, u.Shifts.R); s != "" {
				t.Fatalf("nest %d: differs from a cold parse: %s", c.nest, s)
			}
		}
	}
}

// TestUpdateTreeCompactMemberInPrettyJSON: a compact object on one line of
// a pretty-printed document is one region of the line-based update
// (jsonregion.go): edits inside it, valid or not, are re-parsed as that
// line, and every tree equals a cold parse; those that keep the text valid
// JSON are all taken by region.
func TestUpdateTreeCompactMemberInPrettyJSON(t *testing.T) {
	doc := []byte("{\n  \"a\": 1,\n  \"b\": {\"c\": [1, {\"d\": \"x\\/y \\ud83d\\ude00\"}], \"e\": {\"f\": null}},\n  \"g\": \"h\"\n}\n")
	line := bytes.Index(doc, []byte(`"b"`))
	end := line + bytes.IndexByte(doc[line:], '\n') - 1 // before the ','
	start := syntax.ParseTree(doc)
	if !start.ParsedByRegion() {
		t.Fatal("not parsed by region")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	valid, validTaken := 0, 0
	for i := 0; i < testenv.Count(300, 1500); i++ {
		p := line + 5 + rng.IntN(end-line-5)
		for p > 0 && doc[p]&0xC0 == 0x80 {
			p--
		}
		e := syntax.Edit{Start: p, End: p, Text: jsonSnippetsForTest[rng.IntN(len(jsonSnippetsForTest))]}
		if rng.IntN(3) == 0 {
			e = syntax.Edit{Start: p, End: min(p+1+rng.IntN(3), end)}
			for e.End < len(doc) && doc[e.End]&0xC0 == 0x80 {
				e.End++
			}
		}
		next := e.Apply(doc)
		u, reason := syntax.UpdateTree(doc, start, nil, e, next)
		if json.Valid(next) {
			valid++
			if u != nil {
				validTaken++
			}
		}
		if u == nil {
			if !edittest.AllowedFallback(reason) {
				t.Fatalf("declined for a reason not allowed: %q", reason)
			}
			continue
		}
		abs := func(n *syntax.Node) syntax.Range { return n.Range() }
		if s := edittest.DiffTrees(syntax.ParseTree(next), abs, u.Tree, u.Shifts.R); s != "" {
			t.Fatalf("differs from a cold parse after %+v: %s\n%s", e, s, next)
		}
	}
	t.Logf("%d edits keep the text valid, %d of them taken by region", valid, validTaken)
	if valid == 0 || validTaken != valid {
		t.Errorf("%d of %d valid edits taken by region", validTaken, valid)
	}
}

// jsonSnippetsForTest are texts typed inside one line of JSON.
var jsonSnippetsForTest = []string{"a", "7", " ", "\"", ",", ":", "{", "}", "[", "]", "{}", "[]", `\/`, `\u00e9`, "é", "😀",
	`,"k":1`, `,{"z":[]}`, `"q"`, "null"}
