package analysis

import (
	stdjson "encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
	"gopkg.in/yaml.v3"
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
	paste    bool // the benchmark inserts ins as one edit (a paste, a completion)
}

// schemePlaces: the edits of security schemes and servers a user makes
// most (oauthCorp is the scheme most operations use).
func schemePlaces(size int) []schemePlace {
	v3, v2, js := genV3Doc(size), genV26Doc(size), genJSONDoc(size)
	const schemes = "\n  securitySchemes:\n"
	return []schemePlace{
		{"scheme-description", v3, schemes, "\n    oauthPartner:", "      description: Corporate identity", 0, "xy", false},
		{"scope-description", v3, schemes, "\n    oauthPartner:", "'events:read': Read any", 0, "xy", false},
		{"scope-added", v3, schemes, "\n    oauthPartner:", "'admin:audit': Read the audit trail", 0, "\n            'new:scope': New", true},
		{"unused-scope-renamed", v3, schemes, "\n    oauthPartner:", "'admin:au", 0, "xy", false},
		{"used-scope-renamed", v3, schemes, "\n    oauthPartner:", "'events:wr", 0, "xy", false},
		{"scope-removed", v3, schemes, "\n    oauthPartner:", "'events:write': Publish events\n", len("            'admin:audit': Read the audit trail\n"), "", false},
		{"v2-scheme-description", v2, schemes, "\n    oauthPartner:", "      description: Corporate identity", 0, "xy", false},
		{"v2-scope-description", v2, schemes, "\n    oauthPartner:", "'events:read': Read any", 0, "xy", false},
		{"v2-scope-added", v2, schemes, "\n    oauthPartner:", "'admin:audit': Read the audit trail", 0, "\n            'new:scope': New", true},
		{"v2-unused-scope-renamed", v2, schemes, "\n    oauthPartner:", "'admin:au", 0, "xy", false},
		{"v2-used-scope-renamed", v2, schemes, "\n    oauthPartner:", "'events:wr", 0, "xy", false},
		{"json-scope-added", js, `"securitySchemes": {`, `"oauthPartner"`, `"admin:audit": "Read the audit trail"`, 0, ",\n              \"new:scope\": \"New\"", true},
		{"server-description", v3, "\nservers:\n", "\nchannels:\n", "description: 'Public gateway", 0, "xy", false},
		{"server-security", v3, "\nservers:\n", "\nchannels:\n", "'#/components/securitySchemes/bearerJwt", 0, "xy", false},
		{"v2-server-description", v2, "\nservers:\n", "\nchannels:\n", "description: 'Public gateway", 0, "xy", false},
		{"v2-server-security", v2, "\nservers:\n", "\nchannels:\n", "      - bearerJwt", 0, "xy", false},
		{"v2-server-scope", v2, "\nservers:\n", "\nchannels:\n", "          - 'events:rea", 0, "xy", false},
	}
}

// at returns the offset of the place in doc, or -1.
func (p schemePlace) at(doc []byte) int { return spot(doc, p.from, p.to, p.pat) }

// TestUnitRebuildSchemePlaces types each scheme and server edit one
// character at a time into a generated document and compares every update
// with a cold analysis.
func TestUnitRebuildSchemePlaces(t *testing.T) {
	t.Parallel()
	for _, p := range schemePlaces(60_000) {
		t.Run(p.name, func(t *testing.T) {
			doc := p.doc(t)
			at := p.at(doc)
			if at < 0 {
				t.Fatalf("no %q in the document", p.pat)
			}
			prev := Analyze(doc)
			var tally rebuildTally
			step := func(e syntax.Edit) {
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				tally.add(prev)
				if prev.inc.modelReused && prev.inc.checked > 2 {
					t.Logf("%q: %d units checked again", e.Text, prev.inc.checked)
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
			t.Log(tally)
		})
	}
}

// rebuildTally counts what the model updates of a sequence of edits did.
type rebuildTally struct {
	edits, partial, units, checked int
	fullParse                      int            // not re-parsed by region (the syntax layer's choice)
	why                            map[string]int // why the model was built whole
}

func (c *rebuildTally) add(d *Document) {
	c.edits++
	if d.inc.modelReused {
		c.partial++
		c.units += d.inc.units
		c.checked += d.inc.checked
	} else {
		if c.why == nil {
			c.why = map[string]int{}
		}
		c.why[fmt.Sprintf("path %d: %s", d.inc.path, d.inc.modelWhy)]++
	}
	if d.inc.path != pathRegion {
		c.fullParse++
	}
}

func (c rebuildTally) String() string {
	return fmt.Sprintf("%d edits, %d with a partial model (%d units rebuilt, %d checked again); the others: %v", c.edits, c.partial, c.units, c.checked, c.why)
}

// BenchmarkKeystrokeSchemes: the last keystroke of each scheme and server
// edit (schemePlaces) in a 5 MB document, after the one before it (or a
// paste into the document as analysed). Each sub-benchmark reports
// whether the model was rebuilt for some units only (partial) and how many
// units were checked again.
//
//	go test -run='^$' -bench='KeystrokeSchemes' -benchtime=20x ./analysis
func BenchmarkKeystrokeSchemes(b *testing.B) {
	docs := map[string]*Document{}
	cold := func(doc []byte) *Document {
		d, ok := docs[string(doc)]
		if !ok {
			d = Analyze(doc)
			docs[string(doc)] = d
		}
		return d
	}
	for _, p := range schemePlaces(5_000_000) {
		b.Run("5MB/"+p.name, func(b *testing.B) {
			doc := p.doc(b)
			at := p.at(doc)
			if at < 0 {
				b.Fatalf("%s: no %q", p.name, p.pat)
			}
			// Everything but the last keystroke is typed already; the one
			// before it made prev (a typing user's steady state: a document
			// a unit rebuild made), unless the text is pasted.
			var prev *Document
			var e syntax.Edit
			switch {
			case p.paste || len(p.ins) < 2:
				e = syntax.Edit{Start: at, End: at + p.del, Text: p.ins}
				prev = cold(doc)
			default:
				before := syntax.Edit{Start: at, End: at + p.del, Text: p.ins[:len(p.ins)-2]}
				doc = before.Apply(doc)
				at += len(before.Text)
				penult := syntax.Edit{Start: at, End: at, Text: p.ins[len(p.ins)-2 : len(p.ins)-1]}
				prev = Update(cold(doc), []syntax.Edit{penult}, penult.Apply(doc))
				at++
				e = syntax.Edit{Start: at, End: at, Text: p.ins[len(p.ins)-1:]}
			}
			text := e.Apply(prev.Text)
			d := Update(prev, []syntax.Edit{e}, text) // (what a first keystroke builds once)
			if d.inc.path != pathRegion {
				b.Fatalf("%s: full path: %s", p.name, d.inc.reason)
			}
			b.ResetTimer()
			// (CPU time too: on a shared machine wall time includes waiting
			// for a core)
			loopCPU(b, func() { d = Update(prev, []syntax.Edit{e}, text) })
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

// Scope declarations (a flow's scopes or availableScopes: `name: Text`,
// `"name": "Text"` in JSON) and scope lists (`[read, write]`, `["a"]`).
var (
	scopeDeclYAML = regexp.MustCompile(`(?m)^( {10,14})('?[a-z][a-z:]*'?): ([A-Z][^\n]*)\n`)
	scopeDeclJSON = regexp.MustCompile(`"([a-z]+:[a-z]+)": "[A-Z][^"]*"`)
	scopeList     = regexp.MustCompile(`\[[a-z:'", ]*\]`)
)

var scopeNames = []string{"read", "write", "admin", "events:read", "events:write", "admin:audit", "new:scope"}

// scopeEdit returns a random edit of the scopes of text: a declared scope
// added, removed or renamed (used or not, to a sibling's name too), or a
// requirement's scope list changed (to undeclared scopes too).
func scopeEdit(rng *rand.Rand, text []byte, json bool) (syntax.Edit, bool) {
	name := scopeNames[rng.IntN(len(scopeNames))]
	if json {
		decls := scopeDeclJSON.FindAllSubmatchIndex(text, -1)
		lists := scopeList.FindAllIndex(text, -1)
		switch {
		case rng.IntN(3) == 0 && len(lists) > 0:
			l := lists[rng.IntN(len(lists))]
			return syntax.Edit{Start: l[0] + 1, End: l[1] - 1, Text: strconv.Quote(name)}, true
		case len(decls) == 0:
			return syntax.Edit{}, false
		}
		d := decls[rng.IntN(len(decls))]
		if rng.IntN(2) == 0 { // renamed
			return syntax.Edit{Start: d[2], End: d[3], Text: name}, true
		}
		return syntax.Edit{Start: d[1], End: d[1], Text: fmt.Sprintf(", %q: \"New\"", name)}, true // added
	}
	decls := scopeDeclYAML.FindAllSubmatchIndex(text, -1)
	lists := scopeList.FindAllIndex(text, -1)
	if rng.IntN(3) == 0 && len(lists) > 0 {
		l := lists[rng.IntN(len(lists))]
		switch rng.IntN(3) {
		case 0:
			return syntax.Edit{Start: l[0] + 1, End: l[1] - 1, Text: "'" + name + "'"}, true
		case 1:
			return syntax.Edit{Start: l[1] - 1, End: l[1] - 1, Text: ", '" + name + "'"}, true
		}
		return syntax.Edit{Start: l[0] + 1, End: l[1] - 1}, true
	}
	if len(decls) == 0 {
		return syntax.Edit{}, false
	}
	d := decls[rng.IntN(len(decls))]
	switch rng.IntN(4) {
	case 0: // removed
		return syntax.Edit{Start: d[0], End: d[1]}, true
	case 1: // added after it
		return syntax.Edit{Start: d[1], End: d[1], Text: string(text[d[2]:d[3]]) + "'" + name + "': New\n"}, true
	case 2: // a character typed at the end of its name
		return syntax.Edit{Start: d[5], End: d[5], Text: string("sx:"[rng.IntN(3)])}, true
	}
	return syntax.Edit{Start: d[4], End: d[5], Text: "'" + name + "'"}, true // renamed
}

// TestUnitRebuildScopeEdits makes random scope edits (model_inc.go's
// scopesReread and appendSchemeSig decide which users are checked again)
// in documents full of findings, 2.x and 3.x, YAML and JSON, and compares
// every update with a cold analysis.
func TestUnitRebuildScopeEdits(t *testing.T) {
	t.Parallel()
	steps := testenv.Count(30, 400)
	for _, c := range []struct {
		name string
		doc  []byte
		json bool
	}{
		{"v3-findings", []byte(findingsV3), false},
		{"v2-findings", []byte(findingsV2), false},
		{"v2-inc", []byte(incV2), false},
		{"v3-generated", genV3Doc(30_000)(t), false},
		{"v2-generated", genV26Doc(30_000)(t), false},
		{"json-generated", genJSONDoc(30_000)(t), true},
		{"v2-json-generated", genV26JSONDoc(30_000)(t), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(c.doc)), 8))
			start := Analyze(c.doc)
			prev := start
			var tally rebuildTally
			for i := 0; i < steps; i++ {
				e, ok := scopeEdit(rng, prev.Text, c.json)
				if !ok { // no scopes left: start again
					prev = checkUpdate(t, prev, []syntax.Edit{edittest.TrimEdit(prev.Text, start.Text)}, start.Text)
					continue
				}
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				tally.add(prev)
				if rng.IntN(8) == 0 {
					back := edittest.TrimEdit(prev.Text, start.Text)
					prev = checkUpdate(t, prev, []syntax.Edit{back}, start.Text)
				}
			}
			t.Log(tally)
			if byRegion := tally.edits - tally.fullParse; tally.partial < byRegion/2 {
				t.Errorf("only %d of %d scope edits re-parsed by region rebuilt part of the model", tally.partial, byRegion)
			}
		})
	}
}

// TestRefCandidates: the $refs the index of $refs by target
// (reftargets.go) finds for a path are a superset of those a walk over
// every $ref finds (readsPath), after random edits that rebuild units
// (and so add to targetsSince), for paths that $refs read and their
// ancestors and descendants.
func TestRefCandidates(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, doc := range map[string][]byte{"v3": []byte(findingsV3), "v2": []byte(findingsV2), "generated": genV3Doc(30_000)(t)} {
		t.Run(name, func(t *testing.T) {
			start := Analyze(doc)
			prev := start
			checked, rebuilt := 0, 0
			for i := 0; i < testenv.Count(40, 200); i++ {
				e, ok := scopeEdit(rng, prev.Text, false)
				if !ok || rng.IntN(4) == 0 {
					e = edittest.RandomEdit(rng, prev.Text)
				}
				prev = Update(prev, []syntax.Edit{e}, e.Apply(prev.Text))
				if !prev.inc.modelReused {
					prev = start
					continue
				}
				rebuilt++
				var paths []string
				for _, r := range prev.Refs {
					if raw, ok := rawPointer(r.Target); ok && r.Local {
						paths = append(paths, raw)
					}
				}
				if len(paths) == 0 {
					continue
				}
				p := paths[rng.IntN(len(paths))]
				variants := []string{p, p + "/x", p[:strings.LastIndexByte(p, '/')+1], "/components/securitySchemes/" + scopeNames[rng.IntN(len(scopeNames))]}
				for _, v := range variants {
					for _, exact := range []bool{true, false} {
						found := map[int]bool{}
						for _, i := range prev.refCandidates([]string{v}, exact) {
							found[i] = true
						}
						var set map[string]bool
						if exact {
							set = map[string]bool{v: true}
						}
						for j, r := range prev.Refs {
							if r.Local && readsPath(r, []string{v}, set) && !found[j] {
								t.Fatalf("after %d edits: the index misses $ref %s (%d) for %q (exact %v)", i+1, r.Target, j, v, exact)
							}
						}
						checked++
					}
				}
			}
			if rebuilt == 0 {
				t.Fatal("no edit rebuilt units")
			}
			t.Logf("%d lookups in %d documents that unit rebuilds made", checked, rebuilt)
		})
	}
}

// BenchmarkRefTargetsBuild: building the index of $refs by target of a
// 5 MB document, which the first unit rebuild after a full analysis does.
//
//	go test -run='^$' -bench='RefTargetsBuild' -benchtime=20x ./analysis
func BenchmarkRefTargetsBuild(b *testing.B) {
	d := Analyze(genV3Doc(5_000_000)(b))
	b.ResetTimer()
	loopCPU(b, func() {
		t := &refTargets{refs: d.Refs}
		t.build()
	})
	b.ReportMetric(float64(len(d.Refs)), "refs")
}

// forwardDoc is a 3.x document (YAML, or JSON) whose scheme oauth is
// $ref'd by the server prod, the trait audited and n operations on the
// channel orders (on prod), and whose scheme key by one operation.
func forwardDoc(n int, json bool) string {
	var b strings.Builder
	b.WriteString(`asyncapi: 3.0.0
info:
  title: t
  version: '1'
servers:
  prod:
    host: h
    protocol: mqtt
    security:
      - $ref: '#/components/securitySchemes/oauth'
channels:
  orders:
    servers:
      - $ref: '#/servers/prod'
operations:
  keyed:
    action: send
    channel:
      $ref: '#/channels/orders'
    security:
      - $ref: '#/components/securitySchemes/key'
`)
	for i := range n {
		fmt.Fprintf(&b, "  op%d:\n    action: send\n    channel:\n      $ref: '#/channels/orders'\n    security:\n      - $ref: '#/components/securitySchemes/oauth'\n", i)
		if i%10 == 0 {
			b.WriteString("    traits:\n      - $ref: '#/components/operationTraits/audited'\n")
		}
	}
	b.WriteString(`components:
  securitySchemes:
    oauth:
      type: oauth2
      description: Corporate identity
      flows:
        clientCredentials:
          tokenUrl: https://a.example.com/token
          availableScopes:
            'events:read': Read events
            'events:write': Write events
      scopes:
        - 'events:read'
    key:
      type: httpApiKey
      name: k
      in: header
  operationTraits:
    audited:
      security:
        - $ref: '#/components/securitySchemes/oauth'
`)
	if !json {
		return b.String()
	}
	var v any
	if err := yaml.Unmarshal([]byte(b.String()), &v); err != nil {
		panic(err)
	}
	out, err := stdjson.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return string(out)
}

// TestSchemeForwarding: an edit inside a scheme that changes nothing its
// users' checks read (appendSchemeSig) rebuilds the scheme alone; its
// users are kept, and read the new scheme through Document.Entry and
// Needs (each update equals a cold analysis, modelLinks included: no
// entry names a stale scheme). One that changes what they read (its type,
// its scheme field) relinks or checks them as before. An older snapshot
// keeps the scheme it had.
func TestSchemeForwarding(t *testing.T) {
	const n = 200
	cases := []struct {
		name      string
		json      bool
		find      string // the edit is at the end of the first find
		del       int
		ins       string
		units     int // rebuilt
		forwarded int // $refs to the scheme resolved again in kept units
	}{
		// prod, audited and the 200 operations keep their units
		{"description", false, "description: Corporate", 0, " and more", 1, n + 2},
		{"scope added", false, "'events:write': Write events\n", 0, "            'events:admin': Admin\n", 1, n + 2},
		{"scope renamed", false, "'events:wr", 0, "x", 1, n + 2},
		{"scope removed", false, "'events:read': Read events\n", len("            'events:write': Write events\n"), "", 1, n + 2},
		{"scope description", false, "'events:read': Read", 0, " all", 1, n + 2},
		{"scheme scopes changed", false, "      scopes:\n        - 'events:read'", 0, "\n        - 'events:write'", 1, n + 2},
		{"half-typed scope line", false, "'events:write': Write events\n", 0, "            'ev", 1, n + 2},
		{"field added", false, "      type: oauth2\n", 0, "      x-note: n\n", 1, n + 2},
		// what the audits read (credentialKind): every user would be
		// checked again, which costs what a full build does
		{"type changed", false, "      type: oauth", 0, "x", 0, 0},
		{"JSON description", true, `"description": "Corporate`, 0, " and more", 1, n + 2},
		{"JSON scope added", true, `"events:write": "Write events"`, 0, ",\n              \"events:admin\": \"Admin\"", 1, n + 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := forwardDoc(n, c.json)
			prev := Analyze([]byte(text))
			at := strings.Index(text, c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			at += len(c.find)
			e := syntax.Edit{Start: at, End: at + c.del, Text: c.ins}
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.modelReused != (c.units > 0) || got.inc.units != c.units || got.inc.forwarded != c.forwarded {
				t.Fatalf("path %d (%q), partial model %v (%q), %d units rebuilt (%d checked, %d relinked), %d $refs forwarded; want %d units, %d forwarded",
					got.inc.path, got.inc.reason, got.inc.modelReused, got.inc.modelWhy, got.inc.units, got.inc.checked, got.inc.relinked, got.inc.forwarded, c.units, c.forwarded)
			}
			if c.forwarded == 0 {
				return
			}
			// The kept operations are the previous version's objects; their
			// entries read the new scheme in the new document, the old one in
			// the old document.
			op := got.Operations[len(got.Operations)-1]
			if op != prev.Operations[len(prev.Operations)-1] {
				t.Fatalf("operation %s was rebuilt", op.Name)
			}
			entry := op.Security.Alternatives[0].Entries[0]
			oldS, newS := prev.SchemeByName("oauth"), got.SchemeByName("oauth")
			if oldS == newS {
				t.Fatal("the scheme was not rebuilt")
			}
			if s := got.Entry(entry).Scheme; s != newS {
				t.Errorf("the new document's entry names %p, want the new scheme %p", s, newS)
			}
			if s := prev.Entry(entry).Scheme; s != oldS {
				t.Errorf("the old document's entry names %p, want its own scheme %p", s, oldS)
			}
			if need := got.Needs(op.Security)[0][0]; need.Ref != newS {
				t.Errorf("Needs names %p, want the new scheme", need.Ref)
			}
			if eff := got.EffectiveSecurity(op); len(eff.Servers) != 1 || got.Needs(eff.Servers[0].Security)[0][0].Ref != newS {
				t.Errorf("the server's security does not name the new scheme")
			}
			cold := Analyze(got.Text)
			if u, want := len(got.Uses(newS)), len(cold.Uses(cold.SchemeByName("oauth"))); u != want || u == 0 {
				t.Errorf("%d uses of the new scheme, want %d", u, want)
			}
		})
	}
}

// TestSchemeForwardingChain: keystrokes in a forwarded scheme, then edits
// of its kept users (rebuilt from entries that name an earlier version),
// of another scheme, and a change its users read (relinked from
// forwarded entries): every step equals a cold analysis.
func TestSchemeForwardingChain(t *testing.T) {
	text := forwardDoc(30, false)
	prev := Analyze([]byte(text))
	steps := []struct{ find, ins string }{
		{"description: Corporate", " i"},
		{"description: Corporate i", "d"},
		{"'events:write': Write events\n", "            'a:b': AB\n"},
		{"  op3:\n    action: send\n", "    description: typed\n"}, // a kept user, rebuilt
		{"description: Corporate id", "!"},
		{"      name: k\n", "      description: k\n"}, // the other scheme
		{"      type: oauth", "x"},                    // users read it: relinked or checked
		{"description: Corporate id!", "?"},
		{"      type: oauthx", ""},
		{"      name: k\n      description: k", "k"}, // key forwarded again
		// keyed, its one user, now $refs keyx: key is unused (its use
		// count moved with the forwarded $ref)
		{"securitySchemes/key", "x"},
	}
	for i, st := range steps {
		at := strings.Index(string(prev.Text), st.find)
		if at < 0 {
			t.Fatalf("step %d: no %q", i, st.find)
		}
		at += len(st.find)
		e := syntax.Edit{Start: at, End: at, Text: st.ins}
		if st.ins == "" {
			e = syntax.Edit{Start: at - 1, End: at}
		}
		prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if !prev.inc.modelReused {
			t.Fatalf("step %d took a full model build: %q", i, prev.inc.modelWhy)
		}
		if i == len(steps)-1 && !slices.ContainsFunc(prev.Diagnostics, func(dg syntax.Diagnostic) bool { return dg.Code == CodeUnusedScheme }) {
			t.Fatal("key is not reported unused")
		}
		t.Logf("step %d: %d units, %d checked, %d relinked, %d forwarded", i, prev.inc.units, prev.inc.checked, prev.inc.relinked, prev.inc.forwarded)
	}
}

// forwardDocV2 is a 2.6 document whose scheme oauth is named by the
// server prod (granted scopes) and by the operations of n channels, of
// which every tenth asks for a scope no flow declares.
func forwardDocV2(n int) string {
	var b strings.Builder
	b.WriteString(`asyncapi: 2.6.0
info:
  title: t
  version: '1'
servers:
  prod:
    url: mqtts://h
    protocol: secure-mqtt
    security:
      - oauth: ['events:read']
channels:
`)
	for i := range n {
		scope := "events:read"
		if i%10 == 0 {
			scope = "events:nope"
		}
		fmt.Fprintf(&b, "  c%d:\n    publish:\n      operationId: op%d\n      security:\n        - oauth: ['%s']\n", i, i, scope)
	}
	b.WriteString(`components:
  securitySchemes:
    oauth:
      type: oauth2
      description: Corporate identity
      flows:
        clientCredentials:
          tokenUrl: https://a.example.com/token
          scopes:
            'events:read': Read events
            'events:write': Write events
`)
	return b.String()
}

// TestSchemeForwardingV2: in 2.x the requirements that name a scheme are
// kept when their checks read nothing that changed; those that ask for a
// scope no flow grants before or after (their finding lists the declared
// scopes and points to the flows) are rebuilt and checked again.
func TestSchemeForwardingV2(t *testing.T) {
	const n = 100 // 10 of them ask for 'events:nope'
	for _, c := range []struct {
		name                    string
		find, ins               string
		units, checked, forward int
	}{
		{"description", "description: Corporate", " and more", 11, 11, 91},
		{"scope added", "'events:write': Write events\n", "            'events:admin': Admin\n", 11, 11, 91},
		{"unused scope renamed", "'events:wr", "x", 11, 11, 91},
		// 'events:nope' now granted: those ten say nothing any more
		{"scope that grants the missing one", "'events:write': Write events\n", "            'events:nope': Nope\n", 11, 11, 91},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := forwardDocV2(n)
			prev := Analyze([]byte(text))
			at := strings.Index(text, c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			at += len(c.find)
			e := syntax.Edit{Start: at, End: at, Text: c.ins}
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if !got.inc.modelReused || got.inc.units != c.units || got.inc.checked != c.checked || got.inc.forwarded != c.forward {
				t.Fatalf("partial model %v (%q), %d units rebuilt (%d checked, %d relinked), %d forwarded; want %d, %d checked, %d forwarded",
					got.inc.modelReused, got.inc.modelWhy, got.inc.units, got.inc.checked, got.inc.relinked, got.inc.forwarded, c.units, c.checked, c.forward)
			}
			op := got.Operations[1] // c1: granted, kept
			if op != prev.Operations[1] {
				t.Fatal("a user whose scopes are granted was rebuilt")
			}
			if s := got.Entry(op.Security.Alternatives[0].Entries[0]).Scheme; s != got.SchemeByName("oauth") {
				t.Error("the kept requirement does not name the new scheme")
			}
		})
	}
}

// TestRefIndexAfter: where a $ref of the full build's list is after the
// unit rebuilds since, each of which replaced the $refs of its region
// (from index at, removed of them) by added new ones.
func TestRefIndexAfter(t *testing.T) {
	cases := []struct {
		name  string
		i     int
		edits []refEdit
		want  int
		kept  bool
	}{
		{"no rebuild since", 7, nil, 7, true},
		{"before the region", 2, []refEdit{{at: 3, removed: 2, added: 5}}, 2, true},
		{"first of the region", 3, []refEdit{{at: 3, removed: 2, added: 5}}, 0, false},
		{"last of the region", 4, []refEdit{{at: 3, removed: 2, added: 5}}, 0, false},
		{"just after a region that grew", 5, []refEdit{{at: 3, removed: 2, added: 5}}, 8, true},
		{"after a region that shrank", 9, []refEdit{{at: 3, removed: 4, added: 1}}, 6, true},
		{"at a region that only added", 3, []refEdit{{at: 3, added: 2}}, 5, true},
		{"after a region emptied", 6, []refEdit{{at: 0, removed: 6}}, 0, true},
		// each edit is in the list as the ones before left it
		{"two rebuilds", 10, []refEdit{{at: 3, removed: 2, added: 5}, {at: 12, removed: 1}}, 12, true},
		{"moved into a later region", 10, []refEdit{{at: 3, removed: 2, added: 5}, {at: 13, removed: 1}}, 0, false},
		{"moved before a later region", 10, []refEdit{{at: 3, removed: 4}, {at: 7, removed: 1}}, 6, true},
	}
	for _, c := range cases {
		got, kept := refIndexAfter(c.i, c.edits)
		if got != c.want || kept != c.kept {
			t.Errorf("%s: $ref %d after %v is at %d (kept %v), want %d (kept %v)", c.name, c.i, c.edits, got, kept, c.want, c.kept)
		}
	}
}

// TestRefEditsAfterRebuild: after a unit rebuild, the edits of the $ref
// list it records (refEdits, which the index of $refs by target reads
// through refIndexAfter) put every $ref of the full build that the
// region did not hold where the rebuilt document has it, also after an
// edit that only removed a $ref, or only added one.
func TestRefEditsAfterRebuild(t *testing.T) {
	line := "      - $ref: '#/components/securitySchemes/oauth'\n      - type: oauth2"
	at := strings.Index(incV3, line)
	removed := strings.Replace(incV3, line, "      - type: oauth2", 1)
	for _, c := range []struct {
		name     string
		from, to string
		edit     syntax.Edit
	}{
		{"a $ref removed", incV3, removed, syntax.Edit{Start: at, End: at + len(line) - len("      - type: oauth2")}},
		{"a $ref added", removed, incV3, syntax.Edit{Start: at, End: at, Text: line[:len(line)-len("      - type: oauth2")]}},
	} {
		t.Run(c.name, func(t *testing.T) {
			full := Analyze([]byte(c.from))
			got := checkUpdate(t, full, []syntax.Edit{c.edit}, []byte(c.to))
			if !got.inc.modelReused || len(got.Refs) == len(full.Refs) {
				t.Fatalf("partial model %v (%q), %d $refs before and %d after; want a unit rebuild that changes the count",
					got.inc.modelReused, got.inc.modelWhy, len(full.Refs), len(got.Refs))
			}
			outside := 0 // the full build's $refs the region did not hold
			for i, r := range full.Refs {
				j, kept := refIndexAfter(i, got.refEdits)
				if !kept {
					continue // in the region
				}
				outside++
				if j >= len(got.Refs) || got.Refs[j].Holder != r.Holder {
					t.Errorf("$ref %d (%s) of the full build: refEdits put it at %d, which holds another", i, r.Target, j)
				}
			}
			if want := min(len(full.Refs), len(got.Refs)); outside != want {
				t.Errorf("refEdits keep %d of the full build's %d $refs, want %d (all but a removed one)", outside, len(full.Refs), want)
			}
		})
	}
}
