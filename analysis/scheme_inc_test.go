package analysis

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// schemePlace is an edit in a security scheme or a server of a generated
// document: ins typed at the spot (after pat, between the lines from and
// to), one character at a time in the tests and as one keystroke (its
// last character, the text before it already typed) in the benchmark.
type schemePlace struct {
	name     string
	doc      func(testing.TB) []byte
	from, to string
	pat      string
	del      int // bytes deleted at the spot before typing
	ins      string
}

// schemePlaces: the edits of security schemes and servers a user makes
// most (oauthCorp is the scheme most operations use).
func schemePlaces(size int) []schemePlace {
	v3, v2, js := genV3Doc(size), genV26Doc(size), genJSONDoc(size)
	const schemes = "\n  securitySchemes:\n"
	return []schemePlace{
		{"scheme-description", v3, schemes, "\n    oauthPartner:", "      description: Corporate identity", 0, "xy"},
		{"scope-description", v3, schemes, "\n    oauthPartner:", "'events:read': Read any", 0, "xy"},
		{"scope-added", v3, schemes, "\n    oauthPartner:", "'admin:audit': Read the audit trail", 0, "\n            'new:scope': New"},
		{"unused-scope-renamed", v3, schemes, "\n    oauthPartner:", "'admin:au", 0, "xy"},
		{"used-scope-renamed", v3, schemes, "\n    oauthPartner:", "'events:wr", 0, "xy"},
		{"scope-removed", v3, schemes, "\n    oauthPartner:", "'events:write': Publish events\n", len("            'admin:audit': Read the audit trail\n"), ""},
		{"v2-scheme-description", v2, schemes, "\n    oauthPartner:", "      description: Corporate identity", 0, "xy"},
		{"v2-scope-description", v2, schemes, "\n    oauthPartner:", "'events:read': Read any", 0, "xy"},
		{"v2-scope-added", v2, schemes, "\n    oauthPartner:", "'admin:audit': Read the audit trail", 0, "\n            'new:scope': New"},
		{"v2-unused-scope-renamed", v2, schemes, "\n    oauthPartner:", "'admin:au", 0, "xy"},
		{"v2-used-scope-renamed", v2, schemes, "\n    oauthPartner:", "'events:wr", 0, "xy"},
		{"json-scope-added", js, `"securitySchemes": {`, `"oauthPartner"`, `"admin:audit": "Read the audit trail"`, 0, `, "new:scope": "New"`},
		{"server-description", v3, "\nservers:\n", "\nchannels:\n", "description: 'Public gateway", 0, "xy"},
		{"server-security", v3, "\nservers:\n", "\nchannels:\n", "'#/components/securitySchemes/bearerJwt", 0, "xy"},
		{"v2-server-description", v2, "\nservers:\n", "\nchannels:\n", "description: 'Public gateway", 0, "xy"},
		{"v2-server-security", v2, "\nservers:\n", "\nchannels:\n", "      - bearerJwt", 0, "xy"},
		{"v2-server-scope", v2, "\nservers:\n", "\nchannels:\n", "          - 'events:rea", 0, "xy"},
	}
}

// at returns the offset of the place in doc, or -1.
func (p schemePlace) at(doc []byte) int { return spot(doc, p.from, p.to, p.pat) }

// TestUnitRebuildSchemePlaces types each scheme and server edit one
// character at a time into a generated document and compares every update
// with a cold analysis.
func TestUnitRebuildSchemePlaces(t *testing.T) {
	for _, p := range schemePlaces(60_000) {
		t.Run(p.name, func(t *testing.T) {
			doc := p.doc(t)
			at := p.at(doc)
			if at < 0 {
				t.Fatalf("no %q in the document", p.pat)
			}
			prev := Analyze(doc)
			edits, reused, units, checked := 0, 0, 0, 0
			step := func(e syntax.Edit) {
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				edits++
				if prev.inc.modelReused {
					reused++
					units += prev.inc.units
					checked += prev.inc.checked
					if prev.inc.checked > 2 {
						t.Logf("%q: %d units checked again", e.Text, prev.inc.checked)
					}
				} else {
					t.Logf("%q: full model build: %s", e.Text, prev.inc.modelWhy)
				}
			}
			if p.del > 0 {
				step(syntax.Edit{Start: at, End: at + p.del})
			}
			for _, r := range p.ins {
				s := string(r)
				step(syntax.Edit{Start: at, End: at, Text: s})
				at += len(s)
			}
			t.Logf("%d edits, %d with a partial model (%d units rebuilt, %d checked again)", edits, reused, units, checked)
		})
	}
}

// BenchmarkKeystrokeSchemes: the last keystroke of each scheme and server
// edit (schemePlaces) in a 5 MB document. Each sub-benchmark reports
// whether the model was rebuilt for some units only (partial) and how many
// units were checked again.
//
//	go test -run='^$' -bench='KeystrokeSchemes' -benchtime=20x ./analysis
func BenchmarkKeystrokeSchemes(b *testing.B) {
	docs := map[string]*Document{}
	for _, p := range schemePlaces(5_000_000) {
		b.Run("5MB/"+p.name, func(b *testing.B) {
			doc := p.doc(b)
			at := p.at(doc)
			if at < 0 {
				b.Fatalf("%s: no %q", p.name, p.pat)
			}
			// Everything but the last keystroke is typed already.
			e := syntax.Edit{Start: at, End: at + p.del, Text: p.ins}
			if p.ins != "" {
				before := syntax.Edit{Start: at, End: at + p.del, Text: p.ins[:len(p.ins)-1]}
				doc = before.Apply(doc)
				at += len(before.Text)
				e = syntax.Edit{Start: at, End: at, Text: p.ins[len(p.ins)-1:]}
			}
			prev, ok := docs[string(doc)]
			if !ok {
				prev = Analyze(doc)
				docs[string(doc)] = prev
			}
			text := e.Apply(doc)
			d := Update(prev, []syntax.Edit{e}, text) // (what a first keystroke builds once)
			if d.inc.path != pathRegion {
				b.Fatalf("%s: full path: %s", p.name, d.inc.reason)
			}
			b.ResetTimer()
			for b.Loop() {
				d = Update(prev, []syntax.Edit{e}, text)
			}
			partial := 0.0
			if d.inc.modelReused {
				partial = 1
			}
			b.ReportMetric(partial, "partial")
			b.ReportMetric(float64(d.inc.checked), "checked")
			if !d.inc.modelReused {
				b.Logf("full model build: %s", d.inc.modelWhy)
			}
		})
	}
}
