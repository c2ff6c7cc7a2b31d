package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// typed is one change of a didChange, placed by text: Del bytes from the
// first occurrence of At (plus Skip bytes) in the text the change applies
// to (the previous changes' result) are replaced by Text. Whole replaces
// the whole text.
type typed struct {
	At    string
	Skip  int
	Del   int
	Text  string
	Whole bool
}

// lspChanges turns typed changes into editor changes (UTF-16 positions of
// the intermediate texts, as an editor sends them).
func lspChanges(t *testing.T, text []byte, ts []typed) []syntax.Change {
	t.Helper()
	var out []syntax.Change
	for _, c := range ts {
		if c.Whole {
			out = append(out, syntax.Change{Text: c.Text})
			text = []byte(c.Text)
			continue
		}
		i := strings.Index(string(text), c.At)
		if i < 0 {
			t.Fatalf("%q is not in the text", c.At)
		}
		i += c.Skip
		m := syntax.NewMapper(text)
		r := syntax.PosRange{Start: m.Position(i), End: m.Position(i + c.Del)}
		out = append(out, syntax.Change{Range: &r, Text: c.Text})
		text = syntax.Edit{Start: i, End: i + c.Del, Text: c.Text}.Apply(text)
	}
	return out
}

// TestUpdateApplied: the server's entry point, given the text and the
// mapper that applying a didChange made, gives the Document Update gives
// for the same edits (and a cold analysis), by the same path, and keeps
// the mapper it was given, which indexes the text as a fresh mapper does.
func TestUpdateApplied(t *testing.T) {
	crlf := strings.ReplaceAll(incV3, "\n", "\r\n")
	minJSON := string(docgen.GenerateMinJSON(docgen.Options{Units: 3, Seed: 7}))
	cases := []struct {
		name    string
		doc     string
		changes []typed
		region  bool // Update takes the region path: the case exercises the skipped check
	}{
		{name: "yaml one char", doc: incV3, changes: []typed{{At: "title: Demo", Skip: 11, Text: "x"}}, region: true},
		{name: "yaml multi-byte", doc: incV3, changes: []typed{{At: "café ", Skip: len("café "), Text: "é日🙂"}}, region: true},
		{name: "yaml delete multi-byte", doc: incV3, changes: []typed{{At: "日本", Del: len("日本")}}, region: true},
		{name: "yaml new line", doc: incV3, changes: []typed{{At: "  version: 1.0.0\n", Skip: len("  version: 1.0.0\n"), Text: "  summary: s\n"}}, region: true},
		{name: "crlf one char", doc: crlf, changes: []typed{{At: "version: 1.0.0", Skip: 14, Text: "1"}}, region: true},
		{name: "crlf new line", doc: crlf, changes: []typed{{At: "  version: 1.0.0\r\n", Skip: len("  version: 1.0.0\r\n"), Text: "  summary: é\r\n"}}, region: true},
		{name: "crlf split pair", doc: crlf, changes: []typed{{At: "1.0.0\r\n", Skip: len("1.0.0\r"), Text: "x"}}, region: true},
		{name: "json", doc: incJSON, changes: []typed{{At: `"title": "j`, Skip: len(`"title": "j`), Text: "é"}}, region: true},
		{name: "minified json", doc: minJSON, changes: []typed{{At: `"description":"`, Skip: len(`"description":"`), Text: "日x"}}, region: true},
		{name: "yaml several changes", doc: incV3, changes: []typed{
			{At: "title: Demo", Skip: 11, Text: "a"},
			{At: "version: 1.0.0", Skip: 14, Text: "b"},
			{At: "café", Del: 1, Text: "C"},
		}, region: true},
		{name: "crlf several changes", doc: crlf, changes: []typed{
			{At: "title: Demo", Skip: 11, Text: "🙂"},
			{At: "version: 1.0.0", Skip: 14, Text: "\r\n  summary: s"},
		}, region: true},
		{name: "minified json several changes", doc: minJSON, changes: []typed{
			{At: `"description":"`, Skip: len(`"description":"`), Text: "a"},
			{At: `"description":"`, Skip: len(`"description":"`), Text: "é"},
			{At: `"description":"a`, Skip: len(`"description":"`), Del: 1},
		}, region: true},
		{name: "broken then fixed", doc: incV3, changes: []typed{
			{At: "title: Demo", Skip: 5, Del: 1},
			{At: "title Demo", Skip: 5, Text: ":"},
		}, region: true},
		{name: "whole text then a char", doc: incV3, changes: []typed{
			{Whole: true, Text: incV2},
			{At: "asyncapi: ", Skip: len("asyncapi: "), Text: "x"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prev := Analyze([]byte(c.doc))
			text, m, edits := syntax.ApplyChangesMapped(prev.Text, prev.Mapper, lspChanges(t, prev.Text, c.changes))
			want := Update(prev, edits, text)
			got := UpdateApplied(prev, edits, text, m)
			if s := diffDocs(want, got); s != "" {
				t.Fatalf("UpdateApplied differs from Update: %s", s)
			}
			if s := diffDocs(Analyze(text), got); s != "" {
				t.Fatalf("UpdateApplied differs from Analyze: %s", s)
			}
			if got.inc.path != want.inc.path || got.inc.reason != want.inc.reason {
				t.Fatalf("path %d (%q), Update took %d (%q)", got.inc.path, got.inc.reason, want.inc.path, want.inc.reason)
			}
			if c.region != (got.inc.path == pathRegion) {
				t.Fatalf("region path: %v, want %v (reason %q)", got.inc.path == pathRegion, c.region, got.inc.reason)
			}
			if m != nil && got.Mapper != m {
				t.Fatal("the mapper passed in was not kept: the analysis built another")
			}
			if m == nil && !c.changes[0].Whole {
				t.Fatal("ApplyChangesMapped kept no mapper")
			}
			checkSameMapper(t, got.Mapper, text)
			// Without a mapper, the analysis updates prev's.
			if s := diffDocs(want, UpdateApplied(prev, edits, text, nil)); s != "" {
				t.Fatalf("UpdateApplied without a mapper differs from Update: %s", s)
			}
		})
	}
}

// checkSameMapper fails unless m maps text as a mapper built from text
// does: the same lines, and every offset to the same position and back.
func checkSameMapper(t *testing.T, m *syntax.Mapper, text []byte) {
	t.Helper()
	want := syntax.NewMapper(text)
	if string(m.Text()) != string(text) || m.LineCount() != want.LineCount() {
		t.Fatalf("mapper has %d lines of %d bytes, want %d of %d", m.LineCount(), len(m.Text()), want.LineCount(), len(text))
	}
	for l := range want.LineCount() {
		if m.LineStart(l) != want.LineStart(l) || m.LineEnd(l) != want.LineEnd(l) {
			t.Fatalf("line %d: [%d,%d), want [%d,%d)", l, m.LineStart(l), m.LineEnd(l), want.LineStart(l), want.LineEnd(l))
		}
	}
	step := max(1, len(text)/2000) // every offset of the small texts, 2000 of the larger
	for off := 0; off <= len(text); off += step {
		p, wp := m.Position(off), want.Position(off)
		if p != wp || m.Offset(p) != want.Offset(wp) {
			t.Fatalf("offset %d: %+v -> %d, want %+v -> %d", off, p, m.Offset(p), wp, want.Offset(wp))
		}
	}
}

// TestUpdateAppliedUnchecked: UpdateApplied trusts its caller that the
// text is the edits applied (that is the point), but still rejects edits
// whose lengths do not make the text, as Update does.
func TestUpdateAppliedUnchecked(t *testing.T) {
	prev := Analyze([]byte(incV3))
	text := []byte(strings.Replace(incV3, "Demo", "Demx", 1))
	i := strings.Index(incV3, "Demo") + 3
	wrongLen := []syntax.Edit{{Start: i, End: i + 1, Text: "xy"}}
	for _, d := range []*Document{Update(prev, wrongLen, text), UpdateApplied(prev, wrongLen, text, nil)} {
		if d.inc.path != pathAnalyze || d.inc.reason != "edits do not match the texts" {
			t.Fatalf("edits of the wrong length: path %d (%q), want a full analysis", d.inc.path, d.inc.reason)
		}
		if s := diffDocs(Analyze(text), d); s != "" {
			t.Fatal(s)
		}
	}
}

// BenchmarkUpdateApplied: one character typed at lspbench's place o (YAML)
// and m1 (minified JSON) of a 5 MB document, through Update (which compares
// the texts around the edit and updates the previous mapper) and through
// UpdateApplied with the text and mapper that applying the change made, as
// the server calls it; run both in one run to compare. The documents are
// made and analyzed once for every -count (appliedBench).
//
//	go test -run='^$' -bench='UpdateApplied' -benchtime=20x -count=6 ./analysis
func BenchmarkUpdateApplied(b *testing.B) {
	for _, id := range []string{"o", docgen.PlaceMinJSONString} {
		k := appliedKeystroke(b, id)
		for _, v := range []struct {
			name   string
			update func() *Document
		}{
			{"Update", func() *Document { return Update(k.prev, k.edits, k.text) }},
			{"UpdateApplied", func() *Document { return UpdateApplied(k.prev, k.edits, k.text, k.mapper) }},
		} {
			b.Run("5MB/"+id+"/"+v.name, func(b *testing.B) {
				for b.Loop() {
					if d := v.update(); d.inc.path != pathRegion {
						b.Fatalf("full path: %s", d.inc.reason)
					}
				}
			})
		}
	}
}

type appliedBenchKeystroke struct {
	prev   *Document
	text   []byte
	mapper *syntax.Mapper
	edits  []syntax.Edit
}

var appliedBench = map[string]*appliedBenchKeystroke{}

// appliedKeystroke returns the keystroke of BenchmarkUpdateApplied at the
// place id, made once, and updated once by both entry points (so that what
// the first update of prev computes on demand is in neither's figures).
func appliedKeystroke(b *testing.B, id string) *appliedBenchKeystroke {
	if k := appliedBench[id]; k != nil {
		return k
	}
	gen := docgen.Options{TargetBytes: 5 << 20, Seed: 1, Shape: docgen.ShapeV3, FlowBindings: true}
	doc := docgen.Generate(gen)
	if docgen.PlaceFormat(id) == "minjson" {
		doc = docgen.GenerateMinJSON(gen)
	}
	places, err := docgen.Places(doc)
	if err != nil {
		b.Fatal(err)
	}
	p, ok := places[id]
	if !ok {
		b.Fatalf("no place %s", id)
	}
	k := &appliedBenchKeystroke{prev: Analyze(doc)}
	at := k.prev.Mapper.Position(p.Offset)
	k.text, k.mapper, k.edits = syntax.ApplyChangesMapped(doc, k.prev.Mapper, []syntax.Change{{Range: &syntax.PosRange{Start: at, End: at}, Text: "x"}})
	Update(k.prev, k.edits, k.text)
	UpdateApplied(k.prev, k.edits, k.text, k.mapper)
	appliedBench[id] = k
	return k
}
