package analysis

import (
	"bytes"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// compDropV3 names its component schemes from servers (s0 sends an API
// key over a cleartext transport: an insecure-transport finding, gone
// with the scheme), operations ($refs; o0 with an inline scheme beside,
// o2 with a security $ref to a message: a ref-target finding) and a trait
// (t0, which o1 $refs); a server names a scheme that is not defined. The
// channel's message and o0's message $ref into components.messages. o3's
// `security: []` on servers secured (s0, s1) and open (s2): findings that
// read the lists' shape and the servers, not the schemes.
const compDropV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s0: {host: a.example.com, protocol: mqtt, security: [{$ref: '#/components/securitySchemes/k0'}]}
  s1: {host: b.example.com, protocol: mqtts, security: [{$ref: '#/components/securitySchemes/nope'}]}
  s2: {host: c.example.com, protocol: mqtts}
channels:
  c0:
    address: c0
    messages:
      m: {$ref: '#/components/messages/m'}
operations:
  o0:
    action: send
    channel: {$ref: '#/channels/c0'}
    security: [{$ref: '#/components/securitySchemes/k1'}, {type: http, scheme: basic}]
    messages: [{$ref: '#/channels/c0/messages/m'}]
  o1:
    action: receive
    channel: {$ref: '#/channels/c0'}
    security: [{$ref: '#/components/securitySchemes/k2'}]
    traits: [{$ref: '#/components/operationTraits/t0'}]
  o2: {action: send, channel: {$ref: '#/channels/c0'}, security: [{$ref: '#/components/securitySchemes/k2'}, {$ref: '#/components/messages/m'}]}
  o3: {action: send, channel: {$ref: '#/channels/c0'}, security: []}
components:
  securitySchemes:
    k0: {type: httpApiKey, name: k, in: query}
    k1: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a.example.com/t', availableScopes: {r: read}}}, scopes: [r, w]}
    k2: {type: http, scheme: basic}
    unused: {type: http, scheme: bearer}
  operationTraits:
    t0: {security: [{$ref: '#/components/securitySchemes/k0'}]}
  messages:
    m: {payload: {type: string}}
`

// compDropV2 names its schemes in requirements of a server, of
// operations (one asks k1 for a scope no flow declares, one asks k2,
// which takes none, for one, one names a scheme not defined, beside the
// empty requirement) and of a trait.
const compDropV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  s0: {url: 'mqtt://a.example.com', protocol: mqtt, security: [{k0: []}]}
channels:
  c0:
    servers: [s0]
    publish:
      operationId: p0
      security: [{k1: [r, w]}]
      message: {$ref: '#/components/messages/m'}
      traits: [{$ref: '#/components/operationTraits/t0'}]
  c1:
    subscribe: {operationId: s1, security: [{nope: []}, {k2: [x]}, {}]}
components:
  securitySchemes:
    k0: {type: userPassword}
    k1: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a.example.com/t', scopes: {r: read}}}}
    k2: {type: http, scheme: basic}
  operationTraits:
    t0: {security: [{k0: []}]}
  messages:
    m: {payload: {type: string}}
`

// withoutTraits removes the operations' $refs to traits and the traits:
// the components entry then holds no section another unit reads but the
// schemes.
func withoutTraits(doc string) string {
	doc = strings.Replace(doc, "\n    traits: [{$ref: '#/components/operationTraits/t0'}]", "", 1)
	doc = strings.Replace(doc, "\n      traits: [{$ref: '#/components/operationTraits/t0'}]", "", 1)
	at := strings.Index(doc, "\n  operationTraits:")
	end := strings.Index(doc, "\n  messages:")
	return doc[:at] + doc[end:]
}

// TestComponentSchemesDropped: components.securitySchemes, or the
// components entry, dropped as a block (its key line broken in each way
// a user breaks it, YAML and JSON, 2.x and 3.x) removes the component
// schemes alone when their readers only name them (security entries,
// servers', operations' and traits'; 2.x by name, 3.x by $ref) or $ref
// what no model object reads (messages): none of the readers is built
// again. Each drop, a keystroke in an operation after it, a rename after
// it, and the key given back, equal to a cold analysis. Near misses take
// the general path: the components entry with the traits the operations
// $ref, a unit that is a $ref into components, an entry that named an
// inline scheme there.
func TestComponentSchemesDropped(t *testing.T) {
	t.Parallel()
	type edit struct {
		what     string
		off, del int // from the key's colon
		ins      string
	}
	yamlEdits := []edit{{"colon-del", 0, 1, ""}, {"end-x", 1, 0, "x"}, {"quote", 1, 0, " '"}, {"bracket", 1, 0, " ["}, {"key-x", -1, 0, "x"}}
	jsonEdits := []edit{{"colon-del", 0, 1, ""}, {"quote", 1, 0, ` "`}, {"key-x", -1, 0, "x"}, {"member-colon", 3, 0, "\n      \"x\": "}}
	// a channel that is a $ref to a component channel (2.x)
	unitRef := strings.Replace(strings.Replace(withoutTraits(compDropV2), "  c1:\n", "  c2: {$ref: '#/components/channels/cc'}\n  c1:\n", 1),
		"\n  messages:", "\n  channels:\n    cc: {subscribe: {operationId: ccop}}\n  messages:", 1)
	// an entry that $refs a message that looks like a scheme: an inline
	// scheme, made by the operation
	inlineRef := strings.Replace(compDropV3, "m: {payload: {type: string}}", "m: {payload: {type: string}}\n    ks: {type: http, scheme: basic}", 1)
	inlineRef = strings.Replace(inlineRef, "{$ref: '#/components/messages/m'}]}", "{$ref: '#/components/messages/ks'}]}", 1)
	cases := []struct {
		name, doc, head string
		json            bool
		alone           int // units dropped alone (0: the general path)
	}{
		{"v3 schemes", compDropV3, "\n  securitySchemes:", false, 4},
		{"v3 schemes json", compDropV3, "\n    \"securitySchemes\":", true, 4},
		{"v3 components", withoutTraits(compDropV3), "\ncomponents:", false, 4},
		{"v3 components json", withoutTraits(compDropV3), "\n  \"components\":", true, 4},
		{"v2 schemes", compDropV2, "\n  securitySchemes:", false, 3},
		{"v2 schemes json", compDropV2, "\n    \"securitySchemes\":", true, 3},
		{"v2 components", withoutTraits(compDropV2), "\ncomponents:", false, 3},
		{"v2 components json", withoutTraits(compDropV2), "\n  \"components\":", true, 3},
		{"v2.1 schemes", strings.Replace(compDropV2, "2.6.0", "2.1.0", 1), "\n  securitySchemes:", false, 3},
		// o1 $refs the trait, dropped with components: built again
		{"v3 components, a trait read", compDropV3, "\ncomponents:", false, 0},
		{"v2 components, a trait read", compDropV2, "\ncomponents:", false, 0},
		{"v2 components, a unit that is a $ref", unitRef, "\ncomponents:", false, 0},
		{"v3 schemes, an inline scheme in components", inlineRef, "\n  securitySchemes:", false, 4},
		// a $ref outside the units (an extension of info) into a scheme:
		// only its own finding changes; one to the scheme itself uses it
		// (the general path)
		{"v3 schemes, a $ref outside the units", strings.Replace(compDropV3, "info: {title: t, version: '1'}", "info: {title: t, version: '1', x-auth: {$ref: '#/components/securitySchemes/k0/type'}}", 1), "\n  securitySchemes:", false, 4},
		{"v3 schemes, a $ref outside the units to a scheme", strings.Replace(compDropV3, "info: {title: t, version: '1'}", "info: {title: t, version: '1', x-auth: {$ref: '#/components/securitySchemes/k0'}}", 1), "\n  securitySchemes:", false, 0},
		// a scheme that is a $ref to a message, outside the section
		{"v3 schemes, a scheme that is a $ref", strings.Replace(compDropV3, "unused: {type: http, scheme: bearer}", "unused: {$ref: '#/components/messages/m'}", 1), "\n  securitySchemes:", false, 0},
		{"v3 components, an inline scheme in components", withoutTraits(inlineRef), "\ncomponents:", false, 0},
		{"gen v3 components", string(genSmall(docgen.ShapeV3, false)(t)), "\ncomponents:", false, -1},
		{"gen v3 schemes json", string(genSmall(docgen.ShapeV3, true)(t)), "\n    \"securitySchemes\":", true, -1},
		{"gen v26 components json", string(genSmall(docgen.ShapeV26, true)(t)), "\n  \"components\":", true, -1},
		{"gen wide components", string(genSmall(docgen.ShapeWide, false)(t)), "\ncomponents:", false, -1},
	}
	for _, c := range cases {
		doc := []byte(c.doc)
		edits := yamlEdits
		if c.json {
			edits = jsonEdits
			if !strings.HasPrefix(c.doc, "{") {
				var err error
				if doc, err = docgen.ToJSON(doc); err != nil {
					t.Fatal(err)
				}
			}
		}
		prev := Analyze(doc)
		for _, e := range edits {
			t.Run(c.name+"/"+e.what, func(t *testing.T) {
				at := bytes.Index(doc, []byte(c.head))
				if at < 0 {
					t.Fatalf("no %q", c.head)
				}
				colon := at + len(c.head) - 1
				ed := syntax.Edit{Start: colon + e.off, End: colon + e.off + e.del, Text: e.ins}
				got := checkUpdate(t, prev, []syntax.Edit{ed}, ed.Apply(doc))
				alone := c.alone
				if e.what == "member-colon" {
					// the section keeps its entries after "x" (replaced,
					// not dropped), or components is parsed again whole:
					// not asserted
					alone = -2
				}
				switch {
				case alone == -2:
				case !got.inc.modelReused:
					t.Errorf("built whole: %q", got.inc.modelWhy)
				case alone == -1 && got.inc.dropped == 0:
					t.Errorf("nothing dropped alone; %d units rebuilt (%s)", got.inc.units, got.inc.modelWhy)
				case alone >= 0 && got.inc.dropped != alone:
					t.Errorf("%d units dropped alone, want %d (%d rebuilt, %d checked)", got.inc.dropped, alone, got.inc.units, got.inc.checked)
				case got.inc.dropped > 0 && got.inc.units != got.inc.dropped:
					t.Errorf("dropped alone: %d units rebuilt; want only the %d dropped", got.inc.units, got.inc.dropped)
				}
				// A keystroke in each operation's security or its key
				// after the drop: units rebuilt over forwarded schemes.
				// (the channel or a server edited: the units that read it
				// relinked, their entries copied: relink.go)
				for _, word := range []string{"o0:", "p0", "o2: {action: send", "securitySchemes/k2", "address: c0", "host: a", "s0: {"} {
					if i := bytes.Index(got.Text, []byte(word)); i >= 0 {
						k := syntax.Edit{Start: i + 1, End: i + 1, Text: "z"}
						next := checkUpdate(t, got, []syntax.Edit{k}, k.Apply(got.Text))
						checkUpdate(t, next, []syntax.Edit{editBetween(next.Text, got.Text)}, got.Text)
						if k.Start >= ed.Start || word == "securitySchemes/k2" {
							continue
						}
						// The key given back after that unit was built
						// without the schemes: it names none of them now,
						// so it is built again (the general path).
						want := k.Apply(doc)
						back := checkUpdate(t, next, []syntax.Edit{editBetween(next.Text, want)}, want)
						if back.inc.givenBack != 0 {
							t.Errorf("given back after %q typed into: %d schemes given back alone, want the general path", word, back.inc.givenBack)
						}
					}
				}
				back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
				// Given back (the key line fixed) after a drop alone:
				// the schemes built alone, the readers kept. (Its colon
				// typed back splits an entry: the general path.)
				if got.inc.dropped > 0 && alone != -2 && e.what != "colon-del" && (back.inc.givenBack != got.inc.dropped || back.inc.units != back.inc.givenBack) {
					t.Errorf("given back: %d schemes alone, %d units rebuilt (%s); want the %d dropped alone", back.inc.givenBack, back.inc.units, back.inc.modelWhy, got.inc.dropped)
				}
				t.Logf("%s: dropped %d alone (%d units, %s); back: partial %v, %d units, %d schemes given back alone (%s%s)", t.Name(), got.inc.dropped, got.inc.units, got.inc.modelWhy, back.inc.modelReused, back.inc.units, back.inc.givenBack, back.inc.modelWhy, back.inc.reason)
			})
		}
	}
}

// TestComponentSchemesDroppedFindings: after the drop the readers' own
// findings are those of schemes that are not defined (every entry that
// named one, with no defined scheme to suggest), the scope findings and
// the insecure transport that read the schemes are gone, the security
// $ref to a message that is gone does not resolve, the message $refs
// dangle; the findings that do not read the schemes stay.
func TestComponentSchemesDroppedFindings(t *testing.T) {
	t.Parallel()
	count := func(d *Document) map[string]int {
		out := map[string]int{}
		for _, dg := range d.madeDiagnostics() {
			out[dg.Code]++
		}
		return out
	}
	for _, c := range []struct {
		name, doc, head string
		before, after   map[string]int
	}{
		// s1's nope, o2's message (a ref-target); the credentials over
		// s0's cleartext transport: s0's key, and those of the three
		// operations on every server (o0's inline scheme, which stays);
		// unused: unused. After: s0, s1, o0, o1, o2 and t0 name no scheme.
		{"v3 schemes", compDropV3, "\n  securitySchemes:",
			map[string]int{CodeUndefinedScheme: 1, CodeRefTarget: 1, CodeInsecureTransport: 4, CodeUnusedScheme: 1, CodeEmptyOverride: 1, CodeInconsistentServers: 1},
			map[string]int{CodeUndefinedScheme: 6, CodeRefTarget: 1, CodeInsecureTransport: 1, CodeUnusedScheme: 0, CodeRefUnresolved: 0, CodeEmptyOverride: 1, CodeInconsistentServers: 1}},
		// and the message $refs: the channel's, and o0's that goes through it;
		// o2's security $ref to the message undefined now
		{"v3 components", withoutTraits(compDropV3), "\ncomponents:",
			map[string]int{CodeUndefinedScheme: 1, CodeRefTarget: 1, CodeInsecureTransport: 4, CodeRefUnresolved: 0},
			map[string]int{CodeUndefinedScheme: 6, CodeRefTarget: 0, CodeInsecureTransport: 1, CodeRefUnresolved: 2}},
		// nope; k1's w, k2's x; the password over s0 (its own, p0's)
		{"v2 schemes", compDropV2, "\n  securitySchemes:",
			map[string]int{CodeUndefinedScheme: 1, CodeUndefinedScope: 1, CodeScopesNotAllowed: 1, CodeInsecureTransport: 3},
			map[string]int{CodeUndefinedScheme: 5, CodeUndefinedScope: 0, CodeScopesNotAllowed: 0, CodeInsecureTransport: 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := []byte(c.doc)
			prev := Analyze(doc)
			at := bytes.Index(doc, []byte(c.head)) + len(c.head)
			ed := syntax.Edit{Start: at, End: at, Text: "x"}
			got := checkUpdate(t, prev, []syntax.Edit{ed}, ed.Apply(doc))
			if got.inc.dropped == 0 || got.inc.units != got.inc.dropped {
				t.Fatalf("%d dropped alone, %d rebuilt (%s); want the schemes alone", got.inc.dropped, got.inc.units, got.inc.modelWhy)
			}
			for _, x := range []struct {
				d    *Document
				want map[string]int
			}{{prev, c.before}, {got, c.after}} {
				n := count(x.d)
				for code, want := range x.want {
					if n[code] != want {
						t.Errorf("%s: %d %s findings, want %d", x.d.Text[at-len(c.head):at+1], n[code], code, want)
					}
				}
			}
			for _, dg := range got.madeDiagnostics() {
				if dg.Code == CodeUndefinedScheme && strings.Contains(dg.Message, "defined schemes") {
					t.Errorf("%q: suggests a scheme, none is defined", dg.Message)
				}
			}
		})
	}
}

// TestComponentSchemesDroppedFiles: a document whose $refs lead into
// other files takes the general path (dropSections refuses them): a
// component scheme that $refs another file's, a message of components
// that $refs another file which $refs a scheme back, a scheme of the
// other file that an operation names; each drop and its undo equal to a
// cold analysis.
func TestComponentSchemesDroppedFiles(t *testing.T) {
	t.Parallel()
	opts := writeWorkspace(t, map[string]string{
		"other.yaml": "k9: {type: http, scheme: basic}\nm:\n  payload: {type: string}\nback:\n  $ref: 'api.yaml#/components/securitySchemes/k2'\n",
	})
	for _, c := range []struct{ what, doc string }{
		{"a scheme that $refs another file's", strings.Replace(withoutTraits(compDropV3), "    unused: {type: http, scheme: bearer}", "    unused: {$ref: 'other.yaml#/k9'}", 1)},
		{"a message that $refs a scheme back", strings.Replace(withoutTraits(compDropV3), "m: {payload: {type: string}}", "m: {$ref: 'other.yaml#/m'}\n    n: {$ref: 'other.yaml#/back'}", 1)},
		{"an operation names another file's scheme", strings.Replace(withoutTraits(compDropV3), "security: [{$ref: '#/components/securitySchemes/k2'}]", "security: [{$ref: 'other.yaml#/k9'}]", 1)},
	} {
		if c.doc == withoutTraits(compDropV3) {
			t.Fatalf("%s: the replacement missed", c.what)
		}
		doc := []byte(c.doc)
		prev := AnalyzeWith(doc, opts)
		for _, head := range []string{"\ncomponents:", "\n  securitySchemes:"} {
			at := bytes.Index(doc, []byte(head)) + len(head) - 1
			for _, brk := range []syntax.Edit{{Start: at, End: at + 1}, {Start: at + 1, End: at + 1, Text: "x"}} {
				got := checkUpdateWith(t, prev, []syntax.Edit{brk}, brk.Apply(doc))
				if got.inc.dropped != 0 {
					t.Errorf("%s, %s: %d units dropped alone, want none (other files)", c.what, strings.TrimSpace(head), got.inc.dropped)
				}
				checkUpdateWith(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
			}
		}
	}
}
