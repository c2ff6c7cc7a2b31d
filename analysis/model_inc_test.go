package analysis

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// spot returns the offset just after the occurrence of pat that is
// nearest the middle of the part of doc between the lines from and to
// (to "" means the end), or -1.
func spot(doc []byte, from, to, pat string) int {
	lo, hi := 0, len(doc)
	if from != "" {
		if i := bytes.Index(doc, []byte(from)); i >= 0 {
			lo = i + len(from)
		} else {
			return -1
		}
	}
	if to != "" {
		if i := bytes.Index(doc[lo:], []byte(to)); i >= 0 {
			hi = lo + i
		}
	}
	mid, best := (lo+hi)/2, -1
	for p := lo; ; {
		i := bytes.Index(doc[p:hi], []byte(pat))
		if i < 0 {
			break
		}
		at := p + i + len(pat)
		if best < 0 || abs(at-mid) < abs(best-mid) {
			best = at
		}
		p = at
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// place is where a user types in a document, and whether each keystroke
// there must rebuild only part of the model.
type place struct {
	name        string
	doc         func(testing.TB) []byte
	from, to    string // the section to look in
	pat         string
	incremental bool // every keystroke rebuilds only some units
}

func genV3Doc(size int) func(testing.TB) []byte {
	return func(testing.TB) []byte { return docgen.Generate(docgen.Options{TargetBytes: size, Seed: 1}) }
}

func genV26Doc(size int) func(testing.TB) []byte {
	return func(testing.TB) []byte {
		return docgen.Generate(docgen.Options{TargetBytes: size, Seed: 1, Shape: docgen.ShapeV26})
	}
}

func genJSONDoc(size int) func(testing.TB) []byte {
	return func(testing.TB) []byte { return docgen.GenerateJSON(docgen.Options{TargetBytes: size, Seed: 1}) }
}

func genV26JSONDoc(size int) func(testing.TB) []byte {
	return func(testing.TB) []byte {
		return docgen.GenerateJSON(docgen.Options{TargetBytes: size, Seed: 1, Shape: docgen.ShapeV26})
	}
}

func genWideDoc(size int) func(testing.TB) []byte {
	return func(testing.TB) []byte {
		return docgen.Generate(docgen.Options{TargetBytes: size, Seed: 1, Shape: docgen.ShapeWide})
	}
}

// places lists one typing place of each kind in documents of about size
// bytes.
func places(size int) []place {
	v3, v2, js, v2js, wide := genV3Doc(size), genV26Doc(size), genJSONDoc(size), genV26JSONDoc(size), genWideDoc(size)
	return []place{
		{"operation", v3, "\noperations:\n", "\ncomponents:\n", "    description: ", true},
		{"channel", v3, "\nchannels:\n", "\noperations:\n", "    summary: '", true},
		{"component-schema", v3, "\n  messages:\n", "", "description: Identifier of the", true},
		{"securityScheme", v3, "\n  securitySchemes:\n", "\n  messages:\n", "      description: Device credentials", true},
		{"server", v3, "\nservers:\n", "\nchannels:\n", "    description: WebSocket stream", true},
		{"info", v3, "", "\nservers:\n", "  title: Generated", true},
		{"v2-channel", v2, "\nchannels:\n", "\ncomponents:\n", "    servers:\n      - ", true},
		{"v2-operation", v2, "\nchannels:\n", "\ncomponents:\n", "      description: Consumes", true},
		{"v2-scheme", v2, "\n  securitySchemes:\n", "\n  messages:\n", "      description: Device credentials", true},
		{"json", js, `"operations": {`, `"components": {`, `"description": "`, true},
		{"v2-json-operation", v2js, `"channels": {`, `"components": {`, `"description": "Consumes the`, true},
		{"wide-channel", wide, "\nchannels:\n", "\noperations:\n", "    summary: '", true},
		{"wide-schema", wide, "\n  schemas:\n", "\n  messages:\n", "description: Identifier of the", true},
		{"wide-scheme", wide, "\n  securitySchemes:\n", "\n  schemas:\n", "      description: Device credentials", true},
	}
}

// TestUnitRebuildPlaces types into every kind of place and compares each
// update with a cold analysis; where the place is marked incremental, each
// keystroke must also rebuild only some units of the model.
func TestUnitRebuildPlaces(t *testing.T) {
	t.Parallel()
	for _, p := range places(80_000) {
		t.Run(p.name, func(t *testing.T) {
			doc := p.doc(t)
			at := spot(doc, p.from, p.to, p.pat)
			if at < 0 {
				t.Fatalf("no %q in the document", p.pat)
			}
			prev := Analyze(doc)
			units, checked, relinked := 0, 0, 0
			for _, r := range "ab é😀 x" {
				s := string(r)
				e := syntax.Edit{Start: at, End: at, Text: s}
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				if p.incremental && !prev.inc.modelReused {
					t.Fatalf("typing %q took a full model build (syntax: %q, model: %q)", s, prev.inc.reason, prev.inc.modelWhy)
				}
				units += prev.inc.units
				checked += prev.inc.checked
				relinked += prev.inc.relinked
				at += len(s)
			}
			t.Logf("7 keystrokes: %d units rebuilt, %d of them checked again, %d relinked; last: path %d, model reused %v %s", units, checked, relinked, prev.inc.path, prev.inc.modelReused, prev.inc.modelWhy)
			if p.incremental && units > 7*(checked+1) && relinked < units-checked-7 {
				// Dependents of a description typed into a scheme or a
				// server: their objects are copied, not built again.
				t.Errorf("%d units rebuilt, %d checked, but only %d relinked", units, checked, relinked)
			}
		})
	}
}

// editScript is a sequence of edits, each found in the text it applies to.
type editStep struct {
	find    string // the text to edit (its first occurrence after the previous step's)
	off     int    // offset into find where the edit starts
	del     int    // bytes to delete there
	ins     string // text to insert, typed one character at a time
	perChar bool
}

func runScript(t *testing.T, doc string, steps []editStep) (edits, reused int) {
	t.Helper()
	prev := Analyze([]byte(doc))
	count := func(d *Document) {
		edits++
		if d.inc.modelReused {
			reused++
		}
	}
	for _, st := range steps {
		i := strings.Index(string(prev.Text), st.find)
		if i < 0 {
			t.Fatalf("no %q in\n%s", st.find, prev.Text)
		}
		at := i + st.off
		if st.del > 0 {
			e := syntax.Edit{Start: at, End: at + st.del}
			prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			count(prev)
		}
		chunks := []string{st.ins}
		if st.perChar {
			chunks = strings.Split(st.ins, "")
		}
		for _, c := range chunks {
			if c == "" {
				continue
			}
			e := syntax.Edit{Start: at, End: at, Text: c}
			prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			count(prev)
			at += len(c)
		}
	}
	return edits, reused
}

// TestUnitRebuildEdits: renames (to a sibling's name too), edits at region
// boundaries, root keys typed after the last entry of a section, and edits
// that change what other units point to, each compared with a cold
// analysis.
func TestUnitRebuildEdits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		doc   string
		steps []editStep
	}{
		{"rename-scheme-to-sibling", incV3, []editStep{{find: "    key:\n      type: httpApiKey", off: 4, del: 3, ins: "oauth", perChar: true}}},
		{"rename-scheme-away-and-back", incV3, []editStep{{find: "    oauth:\n      type: oauth2", off: 9, ins: "2", perChar: true}, {find: "    oauth2:\n", off: 9, del: 1}}},
		{"rename-server", incV3, []editStep{{find: "  prod:\n", off: 6, ins: "uction", perChar: true}}},
		{"rename-server-to-sibling", incV3, []editStep{{find: "  dev: {", off: 2, del: 3, ins: "prod", perChar: true}}},
		{"rename-channel", incV3, []editStep{{find: "  users:\n", off: 7, ins: "X", perChar: true}}},
		{"rename-channel-to-sibling", incV3, []editStep{{find: "  users:\n", off: 2, del: 5, ins: "orders", perChar: true}}},
		{"channel-server-ref", incV3, []editStep{{find: "'#/servers/prod'", off: 14, ins: "x", perChar: true}}},
		{"scheme-flows", incV3, []editStep{{find: "          availableScopes: {}", off: 28, ins: " 'orders:write': w ", perChar: true}}},
		{"scheme-type", incV3, []editStep{{find: "      type: httpApiKey", off: 22, del: 0, ins: "x"}, {find: "httpApiKeyx", off: 10, del: 1}}},
		{"message-payload", incV3, []editStep{{find: "          id: {type: string}", off: 23, ins: "ish", perChar: true}}},
		{"region-boundary-line-start", incV3, []editStep{{find: "  recvUser:", off: 0, ins: "  # c\n"}, {find: "  # c\n", off: 0, del: 6}}},
		{"region-boundary-newline", incV3, []editStep{{find: "    summary: >-", off: 0, ins: "    x: 1\n", perChar: true}}},
		{"root-key-after-last-channel", incV3, []editStep{{find: "\noperations:", off: 1, ins: "tags: []\n", perChar: true}}},
		{"root-key-after-last-scheme", incV2, []editStep{{find: "  messages:\n", off: 0, ins: "externalDocs: {url: x}\n", perChar: true}}},
		{"v2-rename-scheme", incV2, []editStep{{find: "    user:\n", off: 8, ins: "s", perChar: true}}},
		{"v2-rename-scheme-to-sibling", incV2, []editStep{{find: "    user:\n", off: 4, del: 4, ins: "oauth", perChar: true}}},
		{"v2-scheme-scopes", incV2, []editStep{{find: "            read: Read", off: 22, ins: "\n            write: Write", perChar: true}}},
		{"v2-server-name", incV2, []editStep{{find: "  prod:\n", off: 6, ins: "x", perChar: true}}},
		{"v2-channel-servers", incV2, []editStep{{find: "[prod, missing]", off: 14, ins: "2", perChar: true}}},
		{"v2-operation", incV2, []editStep{{find: "        - oauth: [read, write]", off: 29, ins: ", admin", perChar: true}}},
		{"v2-message", incV2, []editStep{{find: "        type: number", off: 20, ins: "s", perChar: true}}},
		{"add-operation", incV3, []editStep{{find: "  recvUser:", off: 0, ins: "  newOp:\n    action: send\n    security:\n      - $ref: '#/components/securitySchemes/key'\n", perChar: true}}},
		{"add-channel-after-last", incV3, []editStep{{find: "\noperations:", off: 0, ins: "\n  extra:\n    address: x\n    servers: [{$ref: '#/servers/dev'}]", perChar: true}}},
		// root servers typed character by character (each state a server
		// dropped, broken or added: renamed from or to no name), with a
		// name that channels look for
		{"add-server", incV3, []editStep{{find: "  dev: {", off: 0, ins: "  edge:\n    host: h\n    protocol: wss\n", perChar: true}}},
		{"add-named-server-v2", findingsV2, []editStep{{find: "channels:\n", off: 0, ins: "  nope:\n    url: x\n    protocol: ws\n", perChar: true}}},
		// a unit's colon deleted, an edit elsewhere while it is out of
		// its section (the runs after it moved), the colon typed back
		{"drop-channel-edit-restore", incV3, []editStep{
			{find: "  users:\n", off: 7, del: 1},
			{find: "      folded text", off: 17, ins: "!", perChar: true},
			{find: "  users\n", off: 7, ins: ":"}}},
		{"drop-server-edit-restore", findingsV3, []editStep{
			{find: "  edge:\n", off: 6, del: 1},
			{find: "    action: receive", off: 19, ins: "x"},
			{find: "  edge\n", off: 6, ins: ":"}}},
		{"drop-two-operations-restore", findingsV3 + "  extra:\n    action: send\n", []editStep{
			{find: "  recvUser:\n", off: 10, del: 1},
			{find: "  extra:\n", off: 7, del: 1},
			{find: "  recvUser\n", off: 10, ins: ":"},
			{find: "  extra\n", off: 7, ins: ":"}}},
		{"add-v2-channel", incV2, []editStep{{find: "components:\n", off: 0, ins: "  more:\n    servers: [prod]\n    publish:\n      security:\n        - user: []\n", perChar: true}}},
		// The related range of a kept diagnostic (the $ref points here)
		// holds the region: the full build remakes it.
		{"related-holds-region", strings.Replace(findingsV3, "      type: object\n", "      type: object\n      type: object\n", 1),
			[]editStep{{find: "      type: object\n  messages:", off: 10, ins: "x"}}},
		{"ref-into-info", incV3 + "x-meta:\n  $ref: '#/info/title'\n", []editStep{{find: "  title: Demo", off: 13, ins: "!", perChar: true}}},
		{"ref-chain", strings.Replace(incV3, "      created:\n        $ref: '#/components/messages/created'", "      created:\n        $ref: '#/components/messages/created'\n      alias:\n        $ref: '#/channels/orders/messages/created'", 1), []editStep{{find: "        properties:", off: 8, del: 10, ins: "props", perChar: true}}},
		{"ref-to-section", incV3 + "x-all:\n  $ref: '#/channels'\n", []editStep{{find: "    address: orders", off: 19, ins: "z", perChar: true}}},
		// units added, then edits in the units after them (whose runs moved)
		{"add-operations-then-edit-after", incV3, []editStep{
			{find: "  recvUser:", off: 0, ins: "  a:\n    action: send\n    security:\n      - $ref: '#/components/securitySchemes/key'\n  b:\n    action: send\n"},
			{find: "      folded text", off: 17, ins: "!", perChar: true},
			{find: "          tokenUrl: https://auth.example.com/token", off: 49, ins: "2", perChar: true},
			{find: "      name: X-Key", off: 17, ins: "2", perChar: true}}},
		{"add-channels-then-edit-after", incV3, []editStep{
			{find: "  users:\n", off: 0, ins: "  x:\n    address: x\n    servers: [{$ref: '#/servers/prod'}]\n  y:\n    address: y\n"},
			{find: "    address: \"users", off: 14, ins: "u", perChar: true},
			{find: "    description: Sends", off: 17, ins: "s", perChar: true},
			{find: "      folded text", off: 17, ins: "!", perChar: true}}},
		// a channel renamed in a section large enough to be looked up
		// through an index of its keys: a $ref to the old name misses
		{"rename-in-a-large-section", manyChannels(20), []editStep{{find: "  c7:\n", off: 4, ins: "x", perChar: true}, {find: "  c7x:\n", off: 2, del: 3, ins: "c8", perChar: true}}},
		// a $ref typed as a key of the region's mapping, and an edit beside a
		// $ref (the mapping that holds it is path-copied)
		{"ref-typed-as-a-key", incV3, []editStep{{find: "    created:\n      payload:", off: 13, ins: "      $ref: '#/components/schemas/x'\n"}}},
		{"ref-beside-edited-key", incV3 + "x-meta:\n  $ref: '#/info/title'\n  note: abc\n", []editStep{{find: "  note: abc", off: 11, ins: "d", perChar: true}}},
		{"ref-beside-edited-key-in-unit", strings.Replace(incV3, "  users:\n", "  users:\n    $ref: '#/channels/orders'\n", 1), []editStep{{find: "    address: \"users", off: 14, ins: "x", perChar: true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			edits, reused := runScript(t, c.doc, c.steps)
			t.Logf("%d edits, %d with a partial model", edits, reused)
		})
	}
}

// findingsV3 and findingsV2 have a finding of every kind in several units
// (undefined schemes and scopes, unused schemes, channel servers that do
// not resolve, $refs that do not resolve or point to the wrong thing, 2.x
// syntax in 3.x), and units that point to each other.
const findingsV3 = `asyncapi: 3.0.0
info:
  title: findings
  version: '1'
servers:
  prod:
    host: a.example.com
    protocol: https
    security:
      - $ref: '#/components/securitySchemes/oauth'
      - $ref: '#/components/securitySchemes/missing'
  edge:
    host: b.example.com
    protocol: wss
    security:
      - oauth: []
channels:
  orders:
    address: orders
    servers:
      - $ref: '#/servers/prod'
      - $ref: '#/servers/nope'
      - prod
    messages:
      created:
        $ref: '#/components/messages/created'
  users:
    servers: [{$ref: '#/servers/edge'}]
    messages:
      gone:
        $ref: '#/components/messages/gone'
operations:
  sendOrder:
    action: send
    channel:
      $ref: '#/channels/orders'
    messages:
      - $ref: '#/channels/orders/messages/created'
    traits:
      - $ref: '#/components/operationTraits/audited'
    security:
      - $ref: '#/components/schemas/notAScheme'
      - type: oauth2
        flows:
          implicit:
            authorizationUrl: https://a.example.com/auth
            availableScopes:
              read: Read
        scopes: [read, write]
  recvUser:
    action: receive
    channel:
      $ref: '#/channels/users'
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://a.example.com/token
          availableScopes:
            read: Read
      scopes: [read, admin]
    unused:
      type: httpApiKey
      name: k
      in: query
    typo:
      type: oauth
  operationTraits:
    audited:
      security:
        - $ref: '#/components/securitySchemes/oauth'
  schemas:
    notAScheme:
      type: object
  messages:
    created:
      payload:
        $ref: '#/components/schemas/notAScheme'
`

const findingsV2 = `asyncapi: 2.6.0
info:
  title: findings
  version: '1'
servers:
  prod:
    url: mqtt://a.example.com
    protocol: mqtt
    security:
      - user: []
      - oauth: [read, write]
      - missing: []
  edge:
    url: ws://b.example.com
    protocol: ws
channels:
  'a/b':
    servers: [prod, nope, edge]
    subscribe:
      operationId: onAB
      security:
        - oauth: [admin]
        - {}
      message:
        $ref: '#/components/messages/m'
    publish:
      traits:
        - $ref: '#/components/operationTraits/t'
      message:
        $ref: '#/components/messages/missing'
  c:
    publish:
      security:
        - $ref: '#/components/securitySchemes/user'
components:
  securitySchemes:
    user:
      type: userPassword
    oauth:
      type: oauth2
      flows:
        implicit:
          authorizationUrl: https://a.example.com/auth
          scopes:
            read: Read
    apiKey:
      type: apiKey
      in: header
  operationTraits:
    t:
      security:
        - user: []
  messages:
    m:
      payload: {type: string}
`

// TestUnitRebuildDifferential makes random edits, mostly inside units, of
// documents full of findings and compares every update with a cold
// analysis.
func TestUnitRebuildDifferential(t *testing.T) {
	t.Parallel()
	steps := testenv.Count(150, 800)
	for name, doc := range map[string]string{"v3": findingsV3, "v2": findingsV2} {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(doc)), 11))
			start := Analyze([]byte(doc))
			if len(start.Diagnostics) < 8 {
				t.Fatalf("the document has only %d findings", len(start.Diagnostics))
			}
			prev := start
			var st pathStats
			checkedAgain, relinked := 0, 0
			for i := 0; i < steps; i++ {
				var e syntax.Edit
				if se, ok := structuredEdit(rng, prev); ok && rng.IntN(3) == 0 {
					e = se
				} else {
					e = edittest.RandomEdit(rng, prev.Text)
				}
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				st.add(prev)
				checkedAgain += prev.inc.checked
				relinked += prev.inc.units - prev.inc.checked
				if broken(prev) || rng.IntN(6) == 0 {
					back := edittest.TrimEdit(prev.Text, start.Text)
					prev = checkUpdate(t, prev, []syntax.Edit{back}, start.Text)
				}
			}
			t.Logf("%d edits: %d incremental, %d with a partial model (%d units checked again, %d relinked); full parses %v",
				st.edits, st.region, st.modelReused, checkedAgain, relinked, st.reasons)
			if st.modelReused < st.edits/4 {
				t.Errorf("only %d of %d edits rebuilt part of the model", st.modelReused, st.edits)
			}
		})
	}
}

// TestUnitRebuildKeepsServersCurrent: a server rebuilt because the scheme
// it uses changed is a new object, and so in the next version again; the
// channels on it must reach the current one, or the effective security
// (the hover of an operation) shows the scheme as it was an edit ago.
func TestUnitRebuildKeepsServersCurrent(t *testing.T) {
	prev := Analyze([]byte(incV3))
	at := strings.Index(incV3, "type: httpApiKey") + len("type: httpApiKey")
	for _, e := range []syntax.Edit{{Start: at, End: at, Text: "x"}, {Start: at, End: at + 1}} {
		prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if !prev.inc.modelReused {
			t.Fatalf("the edit took a full model build: %q", prev.inc.modelWhy)
		}
	}
	op := prev.Operations[1]
	e := prev.EffectiveSecurity(op)
	if len(e.Servers) != 1 || e.Servers[0] != prev.Servers[1] {
		t.Fatalf("%s runs on %v, want the current server dev", op.Name, e.Servers)
	}
	if got := FormatAlternatives(prev.Needs(e.Servers[0].Security)); got != "key (httpApiKey)" {
		t.Fatalf("the server security of %s reads %q, want the scheme as it is now", op.Name, got)
	}
}

// TestUnitRebuildReach: which edits rebuild only part of the model, and
// how far a change reaches: the unit that holds the edit, the units whose
// model points to a unit rebuilt (a server to its schemes, a channel to
// its servers, an operation to its channel), and, of those, how many have
// their checks run again (the others are relinked to the new objects and
// keep their diagnostics). Each result also equals a cold analysis.
// TestUnitRebuildKeyFinding: a finding placed on a unit's key (an
// operation secured on one of its servers and open on another) is that
// unit's own, so an edit in the unit still rebuilds it alone, and the
// rebuilt unit reports the finding where a full analysis does.
func TestUnitRebuildKeyFinding(t *testing.T) {
	doc := strings.NewReplacer(
		"  dev: {host: dev.example.com, protocol: https, security: [{$ref: '#/components/securitySchemes/key'}]}", "  dev: {host: dev.example.com, protocol: https}",
		"    servers: [{$ref: '#/servers/dev'}]", "    servers: [{$ref: '#/servers/dev'}, {$ref: '#/servers/prod'}]").Replace(incV3)
	prev := Analyze([]byte(doc))
	onKey := func(d *Document) bool {
		key := bytes.Index(d.Text, []byte("  recvUser:")) + 2
		for _, dg := range d.Diagnostics {
			if dg.Code == CodeInconsistentServers && dg.Range.Start == key {
				return true
			}
		}
		return false
	}
	if !onKey(prev) {
		t.Fatalf("no %s finding on the key of recvUser: %v", CodeInconsistentServers, prev.Diagnostics)
	}
	at := strings.Index(doc, "      folded text") + 6
	e := syntax.Edit{Start: at, End: at, Text: "x"}
	got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	if !got.inc.modelReused || got.inc.units != 1 {
		t.Fatalf("partial model %v (%q), %d units rebuilt; want recvUser alone", got.inc.modelReused, got.inc.modelWhy, got.inc.units)
	}
	if !onKey(got) {
		t.Fatal("the rebuilt recvUser lost its finding")
	}
}

// TestUnitRebuildRefToInlineScheme: a $ref may land on a Security Scheme
// written inline in an operation's security; a full build gives its
// holder the operation's object. An edit anywhere in that operation makes
// its objects anew, so the unit that holds the $ref is rebuilt with it
// (before, it kept pointing to the previous version's scheme: found by
// mutation testing of ownInline).
func TestUnitRebuildRefToInlineScheme(t *testing.T) {
	inOp := strings.Replace(incV3, "      $ref: '#/channels/users'\n",
		"      $ref: '#/channels/users'\n    security: [{$ref: '#/operations/sendOrder/security/1'}]\n", 1)
	inServer := strings.Replace(incV3, "      - $ref: '#/components/securitySchemes/oauth'\n  dev:",
		"      - $ref: '#/operations/sendOrder/security/1'\n  dev:", 1)
	cases := []struct {
		name   string
		doc    string
		edit   syntax.Edit
		reused bool
		units  int
	}{
		// sendOrder, and recvUser, whose $ref lands on its inline scheme
		{"the operation's description", inOp, typeAfter(inOp, "Sends an"), true, 2},
		{"the inline scheme's scopes", inOp, typeAfter(inOp, "scopes: ['orders"), true, 2},
		{"the operation that holds the $ref", inOp, typeAfter(inOp, "folded"), true, 1},
		// a server is built before the operations: the full build makes
		// an inline scheme of its own for the $ref, which the rebuilt
		// server does not (it would find the operation's): built whole
		{"the operation's description, $ref in a server", inServer, typeAfter(inServer, "Sends an"), false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prev := Analyze([]byte(c.doc))
			got := checkUpdate(t, prev, []syntax.Edit{c.edit}, c.edit.Apply(prev.Text))
			if got.inc.modelReused != c.reused || got.inc.units != c.units {
				t.Fatalf("partial model %v (%q), %d units rebuilt; want %v and %d", got.inc.modelReused, got.inc.modelWhy, got.inc.units, c.reused, c.units)
			}
		})
	}
}

func TestUnitRebuildReach(t *testing.T) {
	cases := []struct {
		name        string
		doc         string
		find        string
		off, del    int
		ins         string
		partial     bool
		units, chkd int
	}{
		{"operation description", incV3, "Sends an order", 0, 0, "x", true, 1, 1},
		{"field added to an operation", incV3, "    action: send\n", 0, 0, "    title: T\n", true, 1, 1},
		{"field removed from an operation", incV3, "    action: send\n", 0, 17, "", true, 1, 1},
		{"operation renamed", incV3, "  recvUser:", 2, 4, "send", true, 1, 1},
		// the operation typed before recvUser is one unit with it
		{"operation added", incV3, "  recvUser:", 0, 0, "  newOp:\n    action: send\n", true, 1, 1},
		{"two operations added", incV3, "  recvUser:", 0, 0, "  a:\n    action: send\n  b:\n    action: send\n", true, 1, 1},
		// users (which the new channel is typed before) and recvUser on it
		{"channel added", incV3, "  users:\n", 0, 0, "  more:\n    address: m\n", true, 2, 2},
		{"channel renamed", incV3, "  users:", 2, 5, "people", true, 2, 2},
		// key alone: what the server dev that $refs it reads of it did not
		// change, so dev (and users on dev, recvUser on users) are kept,
		// and dev's entry reads the new key (forwarded: Entry)
		{"field added to a scheme", incV3, "      type: httpApiKey\n", 0, 0, "      description: d\n", true, 1, 1},
		// the same units; dev and users name it and are checked again
		{"scheme renamed", incV3, "    key:", 4, 3, "apikey", true, 4, 3},
		// and the channel more, whose $ref to key no longer lands on a
		// scheme: it is checked again, and the unit relinked above stays
		// so, though that $ref is the next one after its own
		{"scheme renamed, the next channel $refs it", strings.Replace(incV3, "\noperations:\n",
			"  more:\n    address: m\n    x-s: {$ref: '#/components/securitySchemes/key'}\n\noperations:\n", 1), "    key:", 4, 3, "apikey", true, 5, 4},
		// key; dev, which $refs it, users on dev (relinked) and recvUser
		// on users; the same when dev's $ref is percent-encoded from its
		// first '/' (it resolves decoded)
		{"scheme type changed", incV3, "      type: httpApiKey", 22, 0, "x", true, 4, 3},
		{"scheme type changed, $ref percent-encoded", strings.Replace(incV3, "[{$ref: '#/components/securitySchemes/key'}]",
			"[{$ref: '#%2Fcomponents%2FsecuritySchemes%2Fkey'}]", 1), "      type: httpApiKey", 22, 0, "x", true, 4, 3},
		// prod, orders on prod, sendOrder on orders
		{"field added to a server", incV3, "    protocol: https\n", 0, 0, "    description: d\n", true, 3, 1},
		{"server renamed", incV3, "  dev: {", 2, 3, "test", true, 3, 3},
		{"v2 operation field added", incV2, "      operationId: onSensor\n", 0, 0, "      summary: s\n", true, 1, 1},
		{"v2 channel field added", incV2, "    subscribe:", 0, 0, "    description: d\n", true, 1, 1},
		// user, prod (which names it), the channel (its operations run on prod)
		{"v2 scheme renamed", incV2, "    user:", 4, 4, "usr", true, 3, 3},
		{"v2 server renamed", incV2, "  prod:\n", 2, 4, "live", true, 2, 2},
		// user alone: prod, whose security names it, and the channel on
		// prod read nothing that changed (forwarded: kept)
		{"v2 scheme field added", incV2, "      type: userPassword\n", 0, 0, "      description: d\n", true, 1, 1},
		{"v2 server field added", incV2, "    protocol: secure-mqtt\n", 0, 0, "    description: d\n", true, 2, 1},
		// user, prod and the trait t that name it, the channel a/b on prod
		// (its operation has trait t), the channel c whose operation $refs
		// user; what the operations read of the trait (appendTraitSig) did
		// not change: only user is checked again
		{"v2 scheme field added, findings", findingsV2, "      type: userPassword\n", 0, 0, "      description: d\n", true, 5, 1},
		// prod, a/b that names it, and c, which names no servers and so
		// runs on every server: relinked, since what its audits read of
		// the servers (appendServerSig) did not change; checked again when it did
		{"v2 server field added, findings", findingsV2, "    protocol: mqtt\n", 0, 0, "    description: d\n", true, 3, 1},
		{"v2 server protocol changed, findings", findingsV2, "    protocol: mqtt\n", 14, 0, "s", true, 3, 3},
		// oauth alone: prod and the trait audited that $ref it are kept
		// (forwarded), and so are orders on prod and sendOrder
		{"scheme field added, findings", findingsV3, "      type: oauth2\n", 0, 0, "      description: d\n", true, 1, 1},
		// edge, users on edge, recvUser on users
		{"server field added, findings", findingsV3, "    protocol: wss\n", 0, 0, "    description: d\n", true, 3, 1},
		// oauth; prod, audited ($refs) and edge (2.x syntax: by name) that
		// use it; orders and users on those servers (relinked); sendOrder
		// and recvUser on those
		{"scheme renamed, findings", findingsV3, "    oauth:\n      type: oauth2", 9, 0, "2", true, 8, 6},
		// edge; users ($ref) and orders (a server by name: an error that
		// lists the names) and their operations
		{"server renamed, findings", findingsV3, "  edge:\n", 6, 0, "2", true, 5, 5},
		// oauth; prod and a/b that name it; c, on every server
		{"v2 scheme renamed, findings", findingsV2, "    oauth:\n      type: oauth2", 9, 0, "2", true, 4, 4},
		{"v2 server renamed, findings", findingsV2, "  edge:\n", 6, 0, "2", true, 3, 3},
		// audited, and sendOrder that has it (its audits read its traits)
		{"trait field added, findings", findingsV3, "    audited:\n      security:", 13, 0, "      description: d\n", true, 2, 1},
		// the trait's security now names a scheme of another type: the
		// audits of sendOrder read it
		{"trait security changed, findings", findingsV3, "    audited:\n      security:\n        - $ref: '#/components/securitySchemes/oauth'", 75, 5, "unused", true, 2, 2},
		// an operation that runs on every root server (its channel names
		// none, or none are read) is rebuilt when one changes, and checked
		// again when what its audits read of it changed (appendServerSig: name,
		// protocol, host, whether it is open)
		{"2.1: server field added", strings.Replace(incV2, "'2.6.0'", "'2.1.0'", 1), "    protocol: secure-mqtt\n", 0, 0, "    description: d\n", true, 2, 1},
		{"2.1: server protocol changed", strings.Replace(incV2, "'2.6.0'", "'2.1.0'", 1), "    protocol: secure-mqtt\n", 14, 0, "x", true, 2, 2},
		{"operation without a channel", strings.Replace(incV3, "    action: receive\n    channel:\n      $ref: '#/channels/users'\n", "    action: receive\n", 1),
			"    protocol: https\n", 0, 0, "    description: d\n", true, 4, 1},
		// an operation with no value yet (typed as a bare key) has no channel
		{"operation without a value", strings.Replace(incV3, "  recvUser:\n", "  draft:\n  recvUser:\n", 1),
			"    protocol: https\n", 0, 0, "    description: d\n", true, 4, 1},
		// the scheme recvUser's first $ref makes of a target outside
		// components is its own (no other $ref lands there): made anew
		{"operation whose $ref lands outside components", strings.NewReplacer(
			"  recvUser:\n    action: receive\n", "  recvUser:\n    action: receive\n    security: [{$ref: '#/x-schemes/apiKey'}]\n",
			"components:\n", "x-schemes:\n  apiKey: {type: httpApiKey, name: k, in: header}\ncomponents:\n").Replace(incV3),
			"      folded text\n", 6, 0, "x", true, 1, 1},
		// a $ref's value edited where its holder has a key before the
		// $ref: the $ref is replaced in its place, recvUser rebuilt alone
		{"value of a $ref after another key", strings.Replace(incV3, "    channel:\n      $ref: '#/channels/users'\n",
			"    channel:\n      description: d\n      $ref: '#/channels/users'\n", 1),
			"'#/channels/users'", 16, 0, "x", true, 1, 1},
		{"channel whose servers are not a list", strings.Replace(incV3, "    servers: [{$ref: '#/servers/dev'}]\n", "    servers: 5\n", 1),
			"    protocol: https\n", 0, 0, "    description: d\n", true, 4, 1},
		// a server's security: its own checks read the schemes it names,
		// its operations' audits only whether it is open
		{"server security entry changed", incV3, "securitySchemes/oauth'\n", 21, 0, "x", true, 3, 1},
		{"server security emptied (now open)", incV3, "security: [{$ref: '#/components/securitySchemes/key'}]", 11, 42, "", true, 3, 2},
		{"v2 server requirement scope", incV2, "      - oauth: [read]", 19, 0, "x", true, 2, 1},
		// scopes: in 3.x no check of a scheme's users reads them (a
		// requirement is a $ref; the scheme's own scopes are checked with
		// it): oauth is checked, its users are kept (forwarded)
		{"scope added, findings", findingsV3, "          availableScopes:\n            read: Read\n", 27, 0, "            write: Write\n", true, 1, 1},
		{"scope renamed, findings", findingsV3, "          availableScopes:\n            read: Read\n", 43, 0, "x", true, 1, 1},
		{"scope description, findings", findingsV3, "          availableScopes:\n            read: Read\n", 49, 0, "x", true, 1, 1},
		// a scope line half typed (a quote opened): the tolerant parse
		// leaves the flow's scopes out, which no check of a user reads
		// (appendSchemeSig): in 3.x only oauth is rebuilt; in 2.x
		// the requirements whose scopes are not granted before or after
		// (prod's [read, write], a/b's [admin]), not c
		{"scope line half typed, findings", findingsV3, "          availableScopes:\n            read: Read\n", 55, 0, "            '", true, 1, 1},
		{"v2 scope line half typed, findings", findingsV2, "            read: Read\n", 0, 0, "            'ad\n", true, 4, 3},
		// 2.x: a requirement whose scopes are all granted before and after
		// says nothing either way (prod's [read]: kept, forwarded); one
		// with a scope not granted before or after is checked again (its
		// message lists the declared scopes, and points to the flows): the
		// channel's [read, write], even when only a description changed
		{"v2 scope added", incV2, "            read: Read\n", 0, 0, "            admin: Admin\n", true, 2, 2},
		{"v2 scope that grants write added", incV2, "            read: Read\n", 0, 0, "            write: Write\n", true, 2, 2},
		{"v2 scope renamed", incV2, "            read: Read\n", 16, 0, "s", true, 3, 3},
		{"v2 scope description", incV2, "            read: Read\n", 22, 0, "s", true, 2, 2},
		// findingsV2: prod asks oauth for [read, write], a/b for [admin]:
		// both checked again; c, on every server, is relinked
		{"v2 scope added, findings", findingsV2, "            read: Read\n", 0, 0, "            admin: Admin\n", true, 4, 3},
		// a new root server is one renamed from no name: prod, which the
		// new entry is typed after (one region with it), orders on prod
		// and sendOrder on orders are checked again (as are the units
		// that name "more": none)
		{"server added", incV3, "  dev: {", 0, 0, "  more:\n    host: h\n    protocol: p\n", true, 3, 3},
		// a new scheme is one renamed from no name: oauth, which the new
		// entry is typed after (one region with it, made again), and its
		// users prod and sendOrder are checked again; orders on prod is
		// rebuilt, its checks read nothing that changed (TestSchemeAddDrop)
		{"scheme added", incV3, "    key:\n", 0, 0, "    more:\n      type: X509\n", true, 4, 3},
		// a new trait typed at the level of its section, at its end: the
		// region is the components entry, re-parsed whole, so every
		// section under it is replaced as a block, with the units that
		// $ref into components (componentsReplaced)
		{"trait added", findingsV3, "  schemas:\n", 0, 0, "    t2:\n      description: d\n", true, 15, 13},
		// a unit's key line that loses its key (its colon deleted) drops
		// the unit from its section (its text joins the entry before it):
		// the unit is rebuilt as nothing, with what depends on it; one
		// with a value typed onto its colon keeps its key, and is rebuilt
		// alone
		{"operation's colon deleted", incV3, "  recvUser:\n", 10, 1, "", true, 1, 1},
		{"value typed onto an operation's colon", incV3, "  recvUser:\n", 11, 0, "x", true, 1, 1},
		// a key inside a unit that loses its colon: the unit is rebuilt
		// without that entry (an operation's field, a scheme's field, which
		// its users read)
		{"operation field's colon deleted", incV3, "    summary: >-", 11, 1, "", true, 1, 1},
		{"scheme field's colon deleted", incV3, "      type: httpApiKey\n", 10, 1, "", true, 4, 3},
		{"info field's colon deleted", incV3, "  version: 1.0.0", 9, 1, "", true, 0, 0},
		// a section's colon deleted: its units are dropped as a block (the
		// two channels), and the operations on them checked again
		{"section's colon deleted", incV3, "\nchannels:\n", 9, 1, "", true, 4, 4},
		// an operation whose inline scheme is half typed makes one inline
		// scheme fewer: it is rebuilt alone, and the runs after it move
		{"inline scheme broken in an operation", incV3, "      - type: oauth2\n", 14, 0, "'", true, 1, 1},
		{"inline scheme typed in an operation", incV3, "  recvUser:\n    action: receive\n", 32, 0, "    security:\n      - type: X509\n", true, 1, 1},
		// a 2.x operation whose value breaks: its channel makes no
		// operation
		{"v2 operation broken", incV2, "    subscribe:", 14, 0, "x", true, 1, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prev := Analyze([]byte(c.doc))
			at := strings.Index(c.doc, c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			e := syntax.Edit{Start: at + c.off, End: at + c.off + c.del, Text: c.ins}
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.path != pathRegion {
				t.Fatalf("the edit was not a region re-parse: %q", got.inc.reason)
			}
			if got.inc.modelReused != c.partial {
				t.Fatalf("partial model %v (%q), want %v", got.inc.modelReused, got.inc.modelWhy, c.partial)
			}
			if got.inc.units != c.units || got.inc.checked != c.chkd {
				t.Fatalf("%d units rebuilt, %d checked again; want %d and %d", got.inc.units, got.inc.checked, c.units, c.chkd)
			}
		})
	}
}

// TestUnitRebuildTooMany: a change after which most units of the model
// must be checked again rebuilds it whole (a unit rebuild would cost as
// much); one that most units depend on but few must be checked again for
// (the others are relinked) rebuilds those units, as does one that
// reaches a few; one that changes nothing its users read of a scheme
// rebuilds the scheme alone (forwarded).
func TestUnitRebuildTooMany(t *testing.T) {
	doc := opsSharingScheme
	for _, c := range []struct {
		name       string
		ops, users int
		at, ins    string // the edit inserts ins after at
		partial    bool
		units      int
	}{
		{"scheme used by every operation", 300, 300, "type: X509", "x", false, 0},
		{"scheme used by every operation, small", 20, 20, "type: X509", "x", true, 21},
		// the scheme alone: its users are kept (forwarded)
		{"scheme description of every operation", 300, 300, "type: X509\n", "      description: d\n", true, 1},
		{"scheme used by a few operations", 20, 3, "type: X509", "x", true, 4},
		{"server every operation runs on", 300, 0, "protocol: p", "x", false, 0},
		{"server description of every operation", 300, 0, "host: h\n", "    description: d\n", true, 301},
		{"server a few operations run on", 3, 0, "protocol: p", "x", true, 4},
		// 101 of 302 units checked again: a third of the model, which
		// costs less than a full build (maxRecheck)
		{"scheme type of many operations", 300, 100, "type: X509", "x", true, 101},
		{"scheme description of many operations", 300, 100, "type: X509\n", "      description: d\n", true, 1},
		// 151 of 302 units (half), then 152
		{"scheme type of half the operations", 300, 150, "type: X509", "x", true, 151},
		{"scheme type of most operations", 300, 151, "type: X509", "x", false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := doc(c.ops, c.users)
			prev := Analyze([]byte(text))
			at := strings.Index(text, c.at) + len(c.at)
			e := syntax.Edit{Start: at, End: at, Text: c.ins}
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.path != pathRegion || got.inc.modelReused != c.partial || got.inc.units != c.units {
				t.Fatalf("path %d, partial model %v (%q), %d units; want a region re-parse, %v, %d units",
					got.inc.path, got.inc.modelReused, got.inc.modelWhy, got.inc.units, c.partial, c.units)
			}
			t.Logf("partial model %v (%s), %d units", got.inc.modelReused, got.inc.modelWhy, got.inc.units)
		})
	}
}

// opsSharingScheme is a 3.x document with ops operations, of which users
// $ref the scheme s; each runs on the one server (no channel names
// servers).
func opsSharingScheme(ops, users int) string {
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\nservers:\n  prod:\n    host: h\n    protocol: p\noperations:\n")
	for i := range ops {
		fmt.Fprintf(&b, "  op%d:\n    action: send\n", i)
		if i < users {
			b.WriteString("    security:\n      - $ref: '#/components/securitySchemes/s'\n")
		}
	}
	b.WriteString("components:\n  securitySchemes:\n    s:\n      type: X509\n")
	return b.String()
}

// manyChannels is a 3.x document with n channels, each with an operation
// that $refs it.
func manyChannels(n int) string {
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\nchannels:\n")
	for i := range n {
		fmt.Fprintf(&b, "  c%d:\n    address: a%d\n", i, i)
	}
	b.WriteString("operations:\n")
	for i := range n {
		fmt.Fprintf(&b, "  op%d:\n    action: send\n    channel:\n      $ref: '#/channels/c%d'\n", i, i)
	}
	return b.String()
}

// TestUnitRebuildTooManyForwarded: a 2.x scheme's description edited:
// the requirements that ask it for a scope it grants are kept whole
// (forwarded), those that ask for one it does not grant are checked
// again (their message lists the scopes). 100 of 300 channels checked
// again is under half the document's units: a partial model.
func TestUnitRebuildTooManyForwarded(t *testing.T) {
	var b strings.Builder
	b.WriteString("asyncapi: 2.6.0\ninfo:\n  title: t\n  version: '1'\nservers:\n  prod:\n    url: mqtt://h\n    protocol: mqtt\nchannels:\n")
	for i := range 300 {
		scope := "read"
		if i >= 200 {
			scope = "admin"
		}
		fmt.Fprintf(&b, "  c%d:\n    publish:\n      operationId: op%d\n      security:\n        - s: [%s]\n", i, i, scope)
	}
	b.WriteString("components:\n  securitySchemes:\n    s:\n      type: oauth2\n      flows:\n        implicit:\n          authorizationUrl: https://a.example.com/auth\n          scopes:\n            read: Read\n")
	text := b.String()
	prev := Analyze([]byte(text))
	at := strings.Index(text, "      type: oauth2\n")
	e := syntax.Edit{Start: at, End: at, Text: "      description: d\n"}
	got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	if got.inc.path != pathRegion || !got.inc.modelReused || got.inc.units != 101 || got.inc.checked != 101 {
		t.Fatalf("path %d, partial model %v (%q), %d units, %d checked again; want a region re-parse, a partial model, 101 and 101",
			got.inc.path, got.inc.modelReused, got.inc.modelWhy, got.inc.units, got.inc.checked)
	}
}

// TestDedupDiagnostics: a unit rebuild of a document that reads other
// files drops the repeats of a diagnostic (same range, code and message)
// from the sorted list, as relocate does in a full build; two that differ
// only in their related places cannot be told apart (which one the full
// build keeps depends on the order of its checks): it gives up.
func TestDedupDiagnostics(t *testing.T) {
	dg := func(s, e int, code, msg string, related ...int) syntax.Diagnostic {
		d := syntax.Diagnostic{Range: syntax.Range{Start: s, End: e}, Code: code, Message: msg}
		for _, r := range related {
			d.Related = append(d.Related, syntax.Related{Range: syntax.Range{Start: r, End: r + 1}})
		}
		return d
	}
	cases := []struct {
		name string
		in   []syntax.Diagnostic
		want []syntax.Diagnostic
		ok   bool
	}{
		{"no repeats", []syntax.Diagnostic{dg(1, 5, "a", "m"), dg(1, 5, "b", "m"), dg(1, 6, "a", "m"), dg(2, 5, "a", "m")},
			[]syntax.Diagnostic{dg(1, 5, "a", "m"), dg(1, 5, "b", "m"), dg(1, 6, "a", "m"), dg(2, 5, "a", "m")}, true},
		{"a repeat", []syntax.Diagnostic{dg(1, 5, "a", "m"), dg(1, 5, "a", "m"), dg(2, 5, "a", "m")},
			[]syntax.Diagnostic{dg(1, 5, "a", "m"), dg(2, 5, "a", "m")}, true},
		{"the first of three repeats kept", []syntax.Diagnostic{dg(0, 5, "a", "m", 9), dg(0, 5, "a", "m", 9), dg(0, 5, "a", "m", 9)},
			[]syntax.Diagnostic{dg(0, 5, "a", "m", 9)}, true},
		// same start, code and message, another end between the repeats
		{"a repeat after one that ends elsewhere", []syntax.Diagnostic{dg(1, 5, "a", "m"), dg(1, 6, "a", "m"), dg(1, 5, "a", "m")},
			[]syntax.Diagnostic{dg(1, 5, "a", "m"), dg(1, 6, "a", "m")}, true},
		// (sorted by start, code and message: sortDiagnostics)
		{"another message is no repeat", []syntax.Diagnostic{dg(1, 5, "a", "m", 7), dg(1, 5, "a", "n", 8)},
			[]syntax.Diagnostic{dg(1, 5, "a", "m", 7), dg(1, 5, "a", "n", 8)}, true},
		{"another code is no repeat", []syntax.Diagnostic{dg(1, 5, "a", "m", 7), dg(1, 5, "b", "m", 8)},
			[]syntax.Diagnostic{dg(1, 5, "a", "m", 7), dg(1, 5, "b", "m", 8)}, true},
		{"another start is no repeat", []syntax.Diagnostic{dg(1, 5, "a", "m", 7), dg(2, 5, "a", "m", 8)},
			[]syntax.Diagnostic{dg(1, 5, "a", "m", 7), dg(2, 5, "a", "m", 8)}, true},
		{"related places differ", []syntax.Diagnostic{dg(1, 5, "a", "m", 7), dg(1, 5, "a", "m", 8)}, nil, false},
	}
	for _, c := range cases {
		got, ok := dedupDiagnostics(slices.Clone(c.in))
		if ok != c.ok || ok && !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v (%v), want %v (%v)", c.name, got, ok, c.want, c.ok)
		}
	}
}
