package analysis

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// diffDocs compares an incrementally updated document with a full analysis
// of the same text and describes the first difference ("" when identical).
func diffDocs(want, got *Document) string {
	if string(want.Text) != string(got.Text) {
		return "Text differs"
	}
	if w, g := lineStarts(want.Mapper), lineStarts(got.Mapper); !reflect.DeepEqual(w, g) {
		return fmt.Sprintf("Mapper line starts: want %v, got %v", w, g)
	}
	if s := edittest.DiffTrees(want.Tree, want.R, got.Tree, got.R); s != "" {
		return s
	}
	if want.IsAsyncAPI != got.IsAsyncAPI || want.Version != got.Version {
		return fmt.Sprintf("IsAsyncAPI/Version: want %v %+v, got %v %+v", want.IsAsyncAPI, want.Version, got.IsAsyncAPI, got.Version)
	}
	if s := edittest.DiffDiags("Document.Diagnostics", want.Diagnostics, got.Diagnostics); s != "" {
		return s
	}
	if s := diffModel(want, got); s != "" {
		return s
	}
	if s := diffLinks(want, got); s != "" {
		return s
	}
	// The next unit rebuild finds each unit's objects by its runs.
	if want.modelOK && got.modelOK {
		for sec := range numSections {
			if w, g := want.runs[sec], got.runs[sec]; !slices.Equal(w, g) {
				return fmt.Sprintf("runs of section %d: want %v, got %v", sec, w, g)
			}
			if want.merges[sec] != got.merges[sec] {
				return fmt.Sprintf("section %d merges entries in: want %v, got %v", sec, want.merges[sec], got.merges[sec])
			}
		}
	}
	return ""
}

// diffLinks compares what the model's objects point to: every pointer to
// a server, channel, scheme or trait (and every lookup by node) must name
// the object at the same index of the same list of the same Document as
// in a cold analysis. A rebuild that left a pointer to an object of an
// earlier version (equal in every field, but not the Document's own)
// differs here.
func diffLinks(w, g *Document) string {
	sum := func(d *Document) []string {
		idx := map[any]string{}
		for i, s := range d.Servers {
			idx[s] = fmt.Sprint("server#", i)
		}
		for i, c := range d.Channels {
			idx[c] = fmt.Sprint("channel#", i)
		}
		for i, c := range d.ComponentChannels {
			idx[c] = fmt.Sprint("compchannel#", i)
		}
		for i, s := range d.Schemes {
			idx[s] = fmt.Sprint("scheme#", i)
		}
		for i, s := range d.Inline {
			idx[s] = fmt.Sprint("inline#", i)
		}
		for i, t := range d.Traits {
			idx[t] = fmt.Sprint("trait#", i)
		}
		for i, r := range d.Refs {
			idx[r] = fmt.Sprint("ref#", i)
		}
		name := func(x any, label func() string) string {
			if s, ok := idx[x]; ok {
				return s
			}
			if x == nil || fmt.Sprint(x) == "<nil>" {
				return "nil"
			}
			return "own " + label() // not in a list (an inline trait, a component channel modelled on the fly)
		}
		var out []string
		security := func(owner string, sec *Security) {
			if sec == nil {
				return
			}
			for i, alt := range sec.Alternatives {
				for j, e := range alt.Entries {
					e = d.Entry(e) // as the readers see it
					out = append(out, fmt.Sprintf("%s security %d/%d %s -> %s scopes %d %s %s", owner, i, j, e.Name,
						name(e.Scheme, func() string { return e.Scheme.Pointer + rangeOf(d, e.Scheme.Node) }), len(e.Scopes), rangeOf(d, e.ScopesNode),
						name(e.Ref, func() string { return "ref " + e.Ref.Target })))
				}
			}
		}
		for i, s := range d.Servers {
			security(fmt.Sprint("server#", i), s.Security)
			out = append(out, fmt.Sprintf("serverAt(server#%d) = %s", i, name(d.serverAt(s.Node), func() string { return "?" })))
		}
		for i, c := range append(slices.Clone(d.Channels), d.ComponentChannels...) {
			for j, r := range d.ServersOf(c) {
				out = append(out, fmt.Sprintf("channel %d server %d %s -> %s %s", i, j, r.Name, name(r.Server, func() string { return r.Server.Pointer }),
					name(r.Ref, func() string { return "ref " + r.Ref.Target })))
			}
			if i < len(d.Channels) {
				out = append(out, fmt.Sprintf("channelAt(channel#%d) = %s", i, name(d.channelAt(c.Node), func() string { return "?" })))
			}
		}
		for i, s := range d.Schemes {
			out = append(out, fmt.Sprintf("schemeAt(scheme#%d) = %s", i, name(d.schemeAt(s.Node), func() string { return "?" })))
		}
		for i, t := range d.Traits {
			security(fmt.Sprint("trait#", i), t.Security)
		}
		for i, op := range d.Operations {
			o := fmt.Sprint("op#", i)
			out = append(out, fmt.Sprintf("%s channel -> %s", o, name(op.Channel, func() string { return op.Channel.Pointer + rangeOf(d, op.Channel.Node) })))
			security(o, op.Security)
			for j, t := range op.Traits {
				out = append(out, fmt.Sprintf("%s trait %d -> %s", o, j, name(t, func() string { return t.Pointer })))
				if _, listed := idx[t]; !listed {
					security(fmt.Sprintf("%s trait %d", o, j), t.Security)
				}
			}
		}
		for i, site := range d.securities {
			out = append(out, fmt.Sprintf("site %d %s %s %d", i, site.owner, rangeOf(d, site.sec.Node), len(site.sec.Alternatives)))
		}
		return out
	}
	ws, gs := sum(w), sum(g)
	for i := 0; i < max(len(ws), len(gs)); i++ {
		var a, b string
		if i < len(ws) {
			a = ws[i]
		}
		if i < len(gs) {
			b = gs[i]
		}
		if a != b {
			return fmt.Sprintf("links[%d]: want %q, got %q", i, a, b)
		}
	}
	return ""
}

// rangeOf writes a node's range as fmt.Sprint does ("{12 20}"), without
// fmt: the diffs write one for every object of both Documents at every
// step.
func rangeOf(d *Document, n *syntax.Node) string {
	if n == nil {
		return "nil"
	}
	r := d.R(n)
	return "{" + strconv.Itoa(r.Start) + " " + strconv.Itoa(r.End) + "}"
}

// diffModel compares the semantic model by names, pointers and ranges,
// and by the links between its objects and what hovers show (modelLinks).
func diffModel(w, g *Document) string {
	sum := func(d *Document) []string {
		var out []string
		for _, r := range d.Refs {
			out = append(out, fmt.Sprintf("ref %s %s %s %v %s %q %v", rangeOf(d, r.Holder), rangeOf(d, r.Value), r.Target, r.Local, rangeOf(d, r.Resolved), r.Err, r.claimed))
		}
		for _, s := range d.Servers {
			out = append(out, fmt.Sprintf("server %s %s %s %s", s.Name, s.Pointer, rangeOf(d, s.Key), rangeOf(d, s.Node)))
		}
		for _, c := range d.Channels {
			out = append(out, fmt.Sprintf("channel %s %s %s %d", c.Name, c.Address, rangeOf(d, c.Node), len(c.Servers)))
		}
		for _, o := range d.Operations {
			ch := ""
			if o.Channel != nil {
				ch = o.Channel.Name
			}
			out = append(out, fmt.Sprintf("op %s %s %s %s %d", o.Name, o.Pointer, rangeOf(d, o.Node), ch, len(o.Traits)))
		}
		for _, list := range [][]*Scheme{d.Schemes, d.Inline} {
			for _, s := range list {
				out = append(out, fmt.Sprintf("scheme %s %s %s %s %v", s.Name, s.Pointer, s.Type, rangeOf(d, s.Node), d.Uses(s)))
			}
		}
		for _, t := range d.Traits {
			out = append(out, fmt.Sprintf("trait %s %s", t.Name, rangeOf(d, t.Node)))
		}
		return append(out, modelLinks(d)...)
	}
	ws, gs := sum(w), sum(g)
	for i := 0; i < max(len(ws), len(gs)); i++ {
		var a, b string
		if i < len(ws) {
			a = ws[i]
		}
		if i < len(gs) {
			b = gs[i]
		}
		if a != b {
			return fmt.Sprintf("model[%d]: want %q, got %q", i, a, b)
		}
	}
	return ""
}

// checkUpdate runs Update and a full Analyze of the result and fails on
// the first difference.
func checkUpdate(t testing.TB, prev *Document, edits []syntax.Edit, text []byte) *Document {
	t.Helper()
	got := Update(prev, edits, text)
	want := coldAnalysis(t, text)
	// Analyze turns a panic into a diagnostic, so that a panic on both
	// paths would compare equal: neither may have one.
	for _, dg := range want.Diagnostics {
		if strings.Contains(dg.Message, "internal error") {
			t.Fatalf("Analyze failed on the text after edits %+v: %s\nnew text:\n%s", edits, dg.Message, text)
		}
	}
	// (and, for the next edit, how the text was parsed)
	if s := cmp.Or(diffDocs(want, got), edittest.DiffParseMode(want.Tree, got.Tree)); s != "" {
		t.Fatalf("Update differs from Analyze after edits %+v (path %d, depth %d): %s\nprevious text:\n%s\nnew text:\n%s",
			edits, got.inc.path, got.inc.depth, s, prev.Text, text)
	}
	return got
}

// coldAnalyses keeps each running test's last few cold analyses
// (coldAnalysis), by test: a Document is read by the goroutine of its
// test only.
var coldAnalyses = struct {
	sync.Mutex
	byTest map[testing.TB][]*Document
}{byTest: map[testing.TB][]*Document{}}

// coldKept is how many cold analyses a test keeps: a break and its fix
// alternate between two texts.
const coldKept = 2

// coldAnalysis is Analyze(text), or the cold analysis of the same text
// that the test made last or the time before: the tests that break a
// document and fix it again compare every fix with a cold analysis of
// the same original text. (A Document is not changed by reading it, nor
// by an Update from another Document.)
func coldAnalysis(t testing.TB, text []byte) *Document {
	coldAnalyses.Lock()
	kept, seen := coldAnalyses.byTest[t]
	coldAnalyses.Unlock()
	for _, d := range kept {
		if string(d.Text) == string(text) {
			return d
		}
	}
	d := Analyze(text)
	kept = append([]*Document{d}, kept[:min(len(kept), coldKept-1)]...)
	coldAnalyses.Lock()
	coldAnalyses.byTest[t] = kept
	coldAnalyses.Unlock()
	if !seen {
		t.Cleanup(func() {
			coldAnalyses.Lock()
			delete(coldAnalyses.byTest, t)
			coldAnalyses.Unlock()
		})
	}
	return d
}

const incV3 = `asyncapi: 3.0.0
info:
  title: Demo — café 日本 🚀
  version: 1.0.0
  description: |
    Multi-line
      literal with "quotes"

    and a blank line.
# a comment between regions
servers:
  prod:
    host: api.example.com
    protocol: https
    security:
      - $ref: '#/components/securitySchemes/oauth'
  dev: {host: dev.example.com, protocol: https, security: [{$ref: '#/components/securitySchemes/key'}]}
channels:
  orders:
    address: orders.{id}
    servers:
      - $ref: '#/servers/prod'
    messages:
      created:
        $ref: '#/components/messages/created'
  users:
    address: "users — 😀"
    servers: [{$ref: '#/servers/dev'}]

operations:
  sendOrder:
    action: send
    channel:
      $ref: '#/channels/orders'
    description: Sends an order 🚀 to the 日本 region
    security:
      - $ref: '#/components/securitySchemes/oauth'
      - type: oauth2
        flows:
          clientCredentials:
            tokenUrl: https://auth.example.com/token
            availableScopes:
              'orders:write': write
        scopes: ['orders:write']
  recvUser:
    action: receive
    channel:
      $ref: '#/channels/users'
    summary: >-
      folded text
      on two lines
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          availableScopes: {}
    key:
      type: httpApiKey
      name: X-Key
      in: header
  messages:
    created:
      payload:
        type: object
        properties:
          id: {type: string}
          tags:
            - a
            - b
`

const incV2 = `asyncapi: '2.6.0'
info:
  title: V2 demo
  version: '1.0'
servers:
  prod:
    url: mqtts://broker.example.com
    protocol: secure-mqtt
    security:
      - user: []
      - oauth: [read]
channels:
  'sensors/{id}':
    servers: [prod, missing]
    subscribe:
      operationId: onSensor
      security:
        - oauth: [read, write]
      message:
        payload: {type: object}
    publish:
      message:
        $ref: '#/components/messages/reading'
components:
  securitySchemes:
    user:
      type: userPassword
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://example.com/token
          scopes:
            read: Read
  messages:
    reading:
      payload:
        type: number
`

const incAnchors = `asyncapi: 3.0.0
info:
  title: anchors
  version: '1'
components:
  schemas:
    base: &base
      type: object
    other:
      <<: *base
      description: x
`

// incAnchorsSecurity has anchors, aliases and merge keys where the model
// reads them: a server and an operation merge their fields (security
// included), a scheme and a security list are aliases.
const incAnchorsSecurity = `asyncapi: 3.0.0
info:
  title: anchored security
  version: '1'
x-base: &base
  action: send
  channel: {$ref: '#/channels/c'}
  security:
    - $ref: '#/components/securitySchemes/cert'
    - $ref: '#/components/securitySchemes/missing'
servers:
  prod: &prod
    host: prod.example.com
    protocol: mqtts
    security: &sec
      - $ref: '#/components/securitySchemes/key'
  staging:
    <<: *prod
    host: staging.example.com
channels:
  c:
    address: c
    servers:
      - $ref: '#/servers/prod'
  d:
    address: d
operations:
  direct:
    <<: *base
  plain:
    action: receive
    channel: {$ref: '#/channels/d'}
    security: *sec
  other:
    action: send
    channel: {$ref: '#/channels/d'}
    description: far from the anchors
components:
  securitySchemes:
    cert: {type: X509}
    key: &key {type: httpApiKey, name: X-Key, in: header}
    key2: *key
`

const incJSON = `{"asyncapi": "3.0.0", "info": {"title": "j", "version": "1"},
 "channels": {"a": {"address": "a\/b"}}}
`

func testDocs() map[string]string {
	docs := map[string]string{
		"v3":      incV3,
		"v2":      incV2,
		"v3crlf":  strings.ReplaceAll(incV3, "\n", "\r\n"),
		"anchors": incAnchors,
		"json":    incJSON,
		"dups":    "asyncapi: 3.0.0\ninfo:\n  title: a\n  title: b\nchannels:\n  x: {}\n  y:\n    address: a\n    address: b\n",
		"plain":   "a: 1\nb:\n  c: 2\n  d:\n    e: 3\n",
	}
	docs["gen3"] = string(docgen.Generate(docgen.Options{Units: 3, Seed: 7}))
	// The frame of a document (a directive, ---, ..., a BOM) is parsed
	// apart from its body, whose regions are re-parsed alone.
	docs["markers"] = "%YAML 1.1\n# orders\n---\n" + incV3 + "...\n# end\n"
	docs["bom"] = "\ufeff" + incV2
	docs["anchors-sec"] = incAnchorsSecurity
	return docs
}

type pathStats struct {
	region, full, edits, modelReused int
	reasons                          map[string]int
}

func (s *pathStats) add(d *Document) {
	s.edits++
	if d.inc.modelReused {
		s.modelReused++
	}
	if d.inc.path == pathRegion {
		s.region++
	} else {
		s.full++
		if s.reasons == nil {
			s.reasons = map[string]int{}
		}
		r := d.inc.reason
		if i := strings.Index(r, ": yaml"); i > 0 {
			r = r[:i]
		}
		s.reasons[r]++
	}
}

// broken reports a text that Update re-parses in full whatever the edit.
func broken(d *Document) bool {
	if len(d.Tree.Docs) != 1 || d.Tree.Anchored() || d.Tree.IsJSON {
		return true
	}
	for _, dg := range d.Tree.Diagnostics {
		if !strings.HasPrefix(dg.Message, "duplicate key ") {
			return true
		}
	}
	return false
}

// minRandomShare is the minimum share of random edits that must take the
// incremental path, per document (measured, with a margin; random edits
// break the text far more often than typing does).
var minRandomShare = map[string]float64{"v3": 0.25, "v3crlf": 0.25, "v2": 0.22, "gen3": 0.22, "dups": 0.2, "plain": 0.1,
	"markers": 0.25, "bom": 0.25, "anchors": 0.1, "anchors-sec": 0.1}

func TestIncrementalDifferential(t *testing.T) {
	t.Parallel()
	steps := testenv.Count(80, 400)
	var total pathStats
	for name, doc := range testDocs() {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(doc)), 42))
			var st pathStats
			for round := 0; round < 4; round++ {
				prev := Analyze([]byte(doc))
				good, bad := prev, 0
				for i := 0; i < steps/4; i++ {
					text := prev.Text
					var edits []syntax.Edit
					for n := 1 + rng.IntN(3)/2; n > 0; n-- { // sometimes two edits in a batch
						e := edittest.RandomEdit(rng, text)
						edits = append(edits, e)
						text = e.Apply(text)
					}
					prev = checkUpdate(t, prev, edits, text)
					checkFallback(t, prev)
					st.add(prev)
					if !broken(prev) {
						good, bad = prev, 0
					} else if bad++; bad > rng.IntN(3) {
						// Back to the last text the incremental path can
						// take, so that most edits exercise it.
						undo := edittest.TrimEdit(prev.Text, good.Text)
						prev = checkUpdate(t, prev, []syntax.Edit{undo}, good.Text)
						bad = 0
					}
				}
			}
			t.Logf("%s: %d edits, %d incremental (%d partial models), %d full %v", name, st.edits, st.region, st.modelReused, st.full, st.reasons)
			if min, ok := minRandomShare[name]; ok && float64(st.region) < min*float64(st.edits) {
				t.Errorf("only %d of %d random edits were incremental (want at least %.0f%%): %v", st.region, st.edits, 100*min, st.reasons)
			}
			total.edits += st.edits
			total.region += st.region
			total.full += st.full
		})
	}
	t.Logf("total: %d edits checked, %d incremental, %d full", total.edits, total.region, total.full)
}

// TestIncrementalTyping types text character by character into places that
// must take the incremental path, and a new key that must come out right
// whatever path it takes.
func TestIncrementalTyping(t *testing.T) {
	t.Parallel()
	doc := docgen.Generate(docgen.Options{TargetBytes: 60_000, Seed: 3})
	off := docgen.MiddleOperationDescriptionOffset(doc)
	if off <= 0 {
		t.Fatal("no operation description in the generated document")
	}
	type typing struct {
		name        string
		doc         []byte
		at          int
		text        string
		incremental bool
	}
	v3 := []byte(incV3)
	cases := []typing{
		{"description", doc, off, "hello wörld 😀 — typed (yes)", true},
		{"description-crlf", []byte(strings.ReplaceAll(string(doc), "\n", "\r\n")), -1, "more text", true},
		{"info-title", v3, strings.Index(incV3, "Demo"), "Nice ", true},
		{"scheme-name", v3, strings.Index(incV3, "X-Key"), "My-", true},
		{"new-operation-key", v3, strings.Index(incV3, "  recvUser:"), "  newOp:\n    action: send\n", false},
		{"new-top-level-key", v3, strings.Index(incV3, "components:"), "tags: []\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.at < 0 {
				c.at = docgen.MiddleOperationDescriptionOffset(c.doc)
			}
			prev := Analyze(c.doc)
			at := c.at
			var st pathStats
			for _, r := range c.text {
				s := string(r)
				text := syntax.Edit{Start: at, End: at, Text: s}.Apply(prev.Text)
				prev = checkUpdate(t, prev, []syntax.Edit{{Start: at, End: at, Text: s}}, text)
				st.add(prev)
				if c.incremental && prev.inc.path != pathRegion {
					t.Fatalf("typing %q at %d took the full path: %s", s, at, prev.inc.reason)
				}
				at += len(s)
			}
			t.Logf("%d keystrokes, %d incremental, %d one-operation models", st.edits, st.region, st.modelReused)
		})
	}
}

// lineStarts lists the start of every line of m.
func lineStarts(m *syntax.Mapper) []int {
	out := make([]int, m.LineCount())
	for i := range out {
		out[i] = m.LineStart(i)
	}
	return out
}

func TestResolveRefsIndexed(t *testing.T) {
	docs := testDocs()
	docs["big"] = string(docgen.Generate(docgen.Options{Units: 60, Seed: 1}))
	docs["bad"] = "a:\n  $ref: '#/b/x'\nb:\n" + strings.Repeat("  k: 1\n", 1) + func() string {
		var sb strings.Builder
		for i := 0; i < 40; i++ {
			fmt.Fprintf(&sb, "  k%d:\n    $ref: '#/b/k%d'\n", i, (i+1)%40)
		}
		return sb.String()
	}()
	for name, doc := range docs {
		root := syntax.ParseTree([]byte(doc)).Root()
		a, b := collectRefs(root), collectRefs(root)
		resolveRefs(root, a)
		resolveRefsIndexed(root, b, keyIndex{})
		for i := range a {
			if a[i].Resolved != b[i].Resolved || a[i].Err != b[i].Err {
				t.Fatalf("%s: ref %s: want %v %q, got %v %q", name, a[i].Target, a[i].Resolved, a[i].Err, b[i].Resolved, b[i].Err)
			}
		}
	}
}

// FuzzIncremental: an edit (and its undoing) gives what a full analysis
// gives. del's low 3 bits are how many bytes the edit deletes; its high
// bits pick an invalid edit (edittest.InvalidEdit: a deleted ':' or ',',
// an unclosed quote or bracket, text after a '}', a tab, a '{' typed into
// a list) made first, near the fuzzed position, so that the fuzzed edit
// lands on a broken text; an error that a bracket leaves open must be on
// the innermost one (edittest.CheckUnclosedPlacement).
func FuzzIncremental(f *testing.F) {
	for _, doc := range testDocs() {
		for i, s := range []string{"x", "\n", ": ", "  ", "- a", "#", "'"} {
			f.Add(doc, uint(len(doc)*i/7), uint8(i%3), s)
		}
		for k := 0; k < edittest.InvalidEditKinds; k++ {
			for i, s := range []string{"x", "'", "]", ",", ":"} {
				f.Add(doc, uint(len(doc)*(k+i)/13), uint8((k+1)<<3|i%3), s)
			}
		}
	}
	pretty := string(prettyJSON(f, docgen.Generate(docgen.Options{Units: 1, Seed: 2})))
	for k := 0; k < edittest.InvalidEditKinds; k++ {
		for i, s := range []string{"x", `"`, "]", ",", ":", "}"} {
			f.Add(pretty, uint(len(pretty)*(k+i)/13), uint8((k+1)<<3|i%3), s)
		}
	}
	// One-line JSON (member-level updates, syntax/jsoncompact.go).
	if compact, ok := minifiedJSON(docgen.Generate(docgen.Options{Units: 1, Seed: 2})); ok {
		for i, s := range []string{"x", `"`, `\/`, `\ud83d\ude00`, ",", `,"k":[1,{"v":2}]`, "}", " \r\n"} {
			f.Add(string(compact), uint(len(compact)*(i+1)/9), uint8(i%3), s)
			f.Add(string(compact), uint(len(compact)*(i+1)/9), uint8((i%edittest.InvalidEditKinds+1)<<3), s)
		}
	}
	f.Fuzz(func(t *testing.T, doc string, pos uint, del uint8, ins string) {
		t.Parallel() // the seed corpus on every core (no effect when fuzzing)
		if len(doc) > 1<<16 || len(ins) > 256 {
			return
		}
		text := []byte(doc)
		p := int(pos % uint(len(text)+1))
		prev := Analyze(text)
		if k := int(del >> 3); k > 0 {
			if inv, ok := edittest.InvalidEdit(text, k-1, p); ok {
				text = inv.Apply(text)
				prev = checkUpdate(t, prev, []syntax.Edit{inv}, text)
				p = min(p, len(text))
			}
		}
		q := min(len(text), p+int(del%8))
		e := syntax.Edit{Start: p, End: q, Text: ins}
		next := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(text))
		// Both ways agreeing is not enough: a misplaced error both make.
		if s := edittest.CheckUnclosedPlacement(next.Tree); s != "" {
			t.Errorf("%s\n%s", s, next.Text)
		}
		// A second edit from the incremental result, at the same place.
		if q2 := min(len(next.Text), p+len(ins)); p <= q2 {
			e2 := syntax.Edit{Start: p, End: q2, Text: ""}
			checkUpdate(t, next, []syntax.Edit{e2}, e2.Apply(next.Text))
		}
	})
}

// TestIncrementalLongChain types into several regions in turn, far more
// keystrokes than the shift log holds, so that shared nodes of many
// generations are translated and the tree is compacted several times
// (never re-parsed for that); the snapshots before each compaction must
// stay intact.
func TestIncrementalLongChain(t *testing.T) {
	t.Parallel()
	doc := docgen.Generate(docgen.Options{Units: 12, Seed: 5})
	prev := Analyze(doc)
	var st pathStats
	var before []*Document // the snapshots that each compaction started from
	compactions := 0
	for i := 0; i < 4*syntax.MaxShifts+syntax.MaxShifts/2; i++ {
		// Descriptions of the operations, in turn: nodes on both sides of
		// each edit come from different generations.
		text := prev.Text
		var spots []int
		for p := 0; ; {
			j := strings.Index(string(text[p:]), "    description: ")
			if j < 0 {
				break
			}
			p += j + len("    description: ")
			if c := text[p]; c >= 'A' && c <= 'Z' { // a plain scalar
				spots = append(spots, p+1)
			}
		}
		if len(spots) == 0 {
			t.Fatal("no description")
		}
		at := spots[(i*7)%len(spots)]
		s := []string{"a", "é", "😀", " ", "b"}[i%5]
		e := syntax.Edit{Start: at, End: at, Text: s}
		if i%9 == 4 && text[at] < 0x80 && text[at] != '\n' { // and some deletions
			e = syntax.Edit{Start: at, End: at + 1, Text: ""}
		}
		old := prev
		prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(text))
		st.add(prev)
		if prev.inc.compacted {
			compactions++
			before = append(before, old)
		}
		if prev.inc.reason == "the shift log is full" {
			t.Fatalf("edit %d: a full parse for a full shift log", i)
		}
	}
	if compactions < 3 {
		t.Fatalf("%d compactions in %d edits", compactions, st.edits)
	}
	for _, d := range before {
		if s := diffDocs(Analyze(d.Text), d); s != "" {
			t.Fatalf("a snapshot changed after a compaction: %s", s)
		}
	}
	if st.region < st.edits/2 {
		t.Fatalf("only %d of %d edits were incremental: %v", st.region, st.edits, st.reasons)
	}
	if st.modelReused < st.edits/4 { // a third of the descriptions are operations'
		t.Fatalf("only %d of %d edits rebuilt one operation", st.modelReused, st.edits)
	}
	t.Logf("%d edits, %d incremental, %d one-operation models, %d compactions, %v", st.edits, st.region, st.modelReused, compactions, st.reasons)
}

// resolveRefs is the straightforward resolver (linear lookups, one walk per
// ref) that the indexed one used by build must agree with.
// detecting cycles.
func resolveRefs(root *syntax.Node, refs []*Ref) {
	byHolder := make(map[*syntax.Node]*Ref, len(refs))
	for _, r := range refs {
		byHolder[r.Holder] = r
	}
	for _, r := range refs {
		if !r.Local {
			continue
		}
		seen := map[*syntax.Node]bool{r.Holder: true}
		cur := r
		for {
			t, err := ResolvePointer(root, cur.Target)
			if err != nil {
				if cur == r {
					r.Err = err.Error()
				} else {
					r.Err = fmt.Sprintf("it leads to %s, and %s", cur.Target, err)
				}
				break
			}
			next, isRef := byHolder[t]
			if !isRef || !next.Local {
				r.Resolved = t
				break
			}
			if seen[t] {
				r.Err = "the chain of $refs is circular (" + r.Target + " leads back to itself)"
				break
			}
			seen[t] = true
			cur = next
		}
	}
}

// TestRangeOfIsSprint: rangeOf writes what fmt.Sprint writes of a node's
// range, for every node of a document, and "nil" for none.
func TestRangeOfIsSprint(t *testing.T) {
	d := Analyze([]byte(incV3))
	var walk func(n *syntax.Node)
	walk = func(n *syntax.Node) {
		if got, want := rangeOf(d, n), fmt.Sprint(d.R(n)); got != want {
			t.Fatalf("rangeOf %q, fmt.Sprint %q", got, want)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(d.Root)
	if got := rangeOf(d, nil); got != "nil" {
		t.Errorf("rangeOf(nil) = %q", got)
	}
}
