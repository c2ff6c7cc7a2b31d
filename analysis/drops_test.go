package analysis

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// dropsV3 has a section of each kind dropSections may drop: root
// operations that nothing $refs (they $ref channels, messages under a
// channel, schemes, a trait; one holds an inline scheme; one names a
// scheme no other unit uses, k2), component operations, and, referred
// to, the channels (by the operations) and the traits (by o0). Findings
// in and between units: an undefined server, a channel and a scheme that
// do not resolve, and after the operations a security $ref to a message
// (its related place the message, further on).
const dropsV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s0: {host: a.example.com, protocol: https, security: [{$ref: '#/components/securitySchemes/k0'}]}
channels:
  c0:
    address: c0
    servers: [{$ref: '#/servers/s0'}]
    messages:
      m: {$ref: '#/components/messages/m'}
  c1: {address: c1, servers: [{$ref: '#/servers/gone'}]}
operations:
  o0:
    action: send
    channel: {$ref: '#/channels/c0'}
    security: [{$ref: '#/components/securitySchemes/k2'}]
    traits: [{$ref: '#/components/operationTraits/t0'}]
  o1:
    action: receive
    channel: {$ref: '#/channels/missing'}
    security: [{type: http, scheme: basic}]
    messages: [{$ref: '#/channels/c0/messages/m'}]
  o2: {action: send, channel: {$ref: '#/channels/c1'}, security: [{$ref: '#/components/securitySchemes/nope'}]}
components:
  securitySchemes:
    k0: {type: httpApiKey, name: k, in: query}
    k1: {type: http, scheme: bearer}
    k2: {type: http, scheme: basic}
  operationTraits:
    t0: {security: [{$ref: '#/components/securitySchemes/k1'}]}
  operations:
    co: {action: send, channel: {$ref: '#/channels/c1'}, security: [{$ref: '#/components/securitySchemes/k1'}, {$ref: '#/components/messages/m'}]}
  messages:
    m: {payload: {type: string}}
`

// dropsV2 is a 2.6 document whose channels hold their operations (they
// name schemes, one of them k1 only there, and a server that is not
// defined) and whose component channels nothing $refs.
const dropsV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  s0: {url: 'mqtt://a.example.com', protocol: mqtt, security: [{k0: []}]}
channels:
  c0:
    servers: [s0, gone]
    publish:
      operationId: p0
      security: [{k1: []}]
      message: {$ref: '#/components/messages/m'}
  c1:
    subscribe: {operationId: s1, security: [{nope: []}]}
components:
  securitySchemes:
    k0: {type: userPassword}
    k1: {type: userPassword}
  channels:
    cc: {subscribe: {operationId: ccop, security: [{k0: []}]}}
  messages:
    m: {payload: {type: string}}
`

// TestSectionDroppedAlone: a model section's key line broken (its colon
// deleted, text or a quote or bracket after it, a list item below it, its
// key renamed; in JSON a member typed after its '{') drops its units; when
// nothing outside the section reads it, dropSections removes them (none
// built or checked), else the general path (applyRebuild) checks its
// dependents again. Each drop and its undo equal to a cold analysis, 2.x
// and 3.x, YAML and JSON.
func TestSectionDroppedAlone(t *testing.T) {
	t.Parallel()
	type edit struct {
		what     string
		off, del int // from the section key's colon
		ins      string
	}
	yamlEdits := []edit{{"colon-del", 0, 1, ""}, {"end-x", 1, 0, "x"}, {"quote", 1, 0, " '"}, {"bracket", 1, 0, " ["}, {"item-line", 1, 0, "\n- "}, {"key-x", -1, 0, "x"}}
	jsonEdits := []edit{{"colon-del", 0, 1, ""}, {"quote", 1, 0, ` "`}, {"key-x", -1, 0, "x"}, {"member-colon", 3, 0, "\n    \"x\": "}}
	unitRef := strings.Replace(dropsV2, "  c1:\n", "  c2: {$ref: '#/components/channels/cc'}\n  c1:\n", 1)
	cases := []struct {
		name string
		doc  string
		head string // the section key line up to its colon
		json bool
		// alone: the units dropped by dropSections (0: by the general
		// path; -1: some)
		alone int
	}{
		{"v3 operations", dropsV3, "\noperations:", false, 3},
		{"v3 operations json", dropsV3, "\n  \"operations\":", true, 3},
		{"v3 component operations", dropsV3, "\n  operations:", false, 1},
		// o2's channel in components, modelled on the fly: it claims and
		// reports on cx's server $ref, outside the section
		{"v3 operations, a channel in components", strings.Replace(strings.Replace(dropsV3, "o2: {action: send, channel: {$ref: '#/channels/c1'}", "o2: {action: send, channel: {$ref: '#/components/channels/cx'}", 1),
			"\n  messages:\n    m: {payload", "\n  channels:\n    cx: {address: cx, servers: [{$ref: '#/servers/nowhere'}]}\n  messages:\n    m: {payload", 1), "\noperations:", false, 0},
		// the operations $ref the channels and o0 the trait: checked again
		{"v3 channels", dropsV3, "\nchannels:", false, 0},
		{"v3 channels json", dropsV3, "\n  \"channels\":", true, 0},
		{"v3 traits", dropsV3, "\n  operationTraits:", false, 0},
		// a second operations key: build reads it once the first key is
		// gone (its colon deleted, renamed: the general path builds the
		// model whole); with text after it, the first is read, empty
		{"v3 operations, a second key", strings.Replace(dropsV3, "components:\n", "operations:\n  o9: {action: send, channel: {$ref: '#/channels/c1'}}\ncomponents:\n", 1), "\noperations:", false, 3},
		{"v2 channels", dropsV2, "\nchannels:", false, 2},
		{"v2 channels json", dropsV2, "\n  \"channels\":", true, 2},
		{"v2 component channels", dropsV2, "\n  channels:", false, 1},
		// c2 is a $ref to cc: dropped with the root channels, it was
		// read through cc (general path); cc dropped, c2 is checked again
		{"v2 channels, a unit that is a $ref", unitRef, "\nchannels:", false, 0},
		{"v2 component channels $ref'd", unitRef, "\n  channels:", false, 0},
		// (a root security list: reported again, not kept)
		{"v2 channels, root security", strings.Replace(dropsV2, "servers:\n", "security: [{k0: []}]\nservers:\n", 1), "\nchannels:", false, 2},
		{"v2 channels 2.1", strings.Replace(dropsV2, "2.6.0", "2.1.0", 1), "\nchannels:", false, 2},
		{"gen v3 operations", string(genSmall(docgen.ShapeV3, false)(t)), "\noperations:", false, -1},
		{"gen v26 channels json", string(genSmall(docgen.ShapeV26, true)(t)), "\n  \"channels\":", true, -1},
	}
	for _, c := range cases {
		edits := yamlEdits
		doc := []byte(c.doc)
		if c.json && !strings.HasPrefix(c.doc, "{") {
			var err error
			if doc, err = docgen.ToJSON(doc); err != nil {
				t.Fatal(err)
			}
		}
		if c.json {
			edits = jsonEdits
		}
		for _, e := range edits {
			if e.what == "item-line" && strings.HasPrefix(c.head, "\n  ") {
				// (a list item at column 0 below a section of components
				// breaks components: every section under it goes)
				continue
			}
			alone := c.alone
			if e.what == "member-colon" {
				// the section keeps its entries after "x" (sectionReplaced),
				// or drops them: not asserted
				alone = -2
			}
			t.Run(c.name+"/"+e.what, func(t *testing.T) {
				at := bytes.Index(doc, []byte(c.head))
				if at < 0 {
					t.Fatalf("no %q", c.head)
				}
				colon := at + len(c.head) - 1
				ed := syntax.Edit{Start: colon + e.off, End: colon + e.off + e.del, Text: e.ins}
				prev := Analyze(doc)
				got := checkUpdate(t, prev, []syntax.Edit{ed}, ed.Apply(doc))
				if strings.HasSuffix(c.name, "a second key") && (e.what == "colon-del" || e.what == "key-x") {
					if got.inc.modelReused || got.inc.modelWhy != "a section changed its entries" {
						t.Errorf("partial model %v (%q), %d dropped alone; want it built whole: the second key is read", got.inc.modelReused, got.inc.modelWhy, got.inc.dropped)
					}
					return
				}
				if !got.inc.modelReused {
					t.Fatalf("built whole: %q", got.inc.modelWhy)
				}
				switch {
				case alone == -1 && got.inc.dropped == 0:
					t.Errorf("no unit dropped alone; %d rebuilt, %d checked", got.inc.units, got.inc.checked)
				case alone >= 0 && got.inc.dropped != alone:
					t.Errorf("%d units dropped alone, want %d (%d rebuilt, %d checked)", got.inc.dropped, alone, got.inc.units, got.inc.checked)
				}
				if got.inc.dropped > 0 && (got.inc.units != got.inc.dropped || got.inc.relinked+got.inc.copied != 0) {
					t.Errorf("dropped alone: %d units rebuilt, %d relinked, %d copied; want only the %d dropped", got.inc.units, got.inc.relinked, got.inc.copied, got.inc.dropped)
				}
				// A channel renamed after the drop: the $refs into it are
				// found by the index of $refs by target, which must know
				// the $refs the drop took (refEdits).
				if c1 := bytes.Index(got.Text, []byte("c1")); c1 >= 0 && got.inc.dropped > 0 {
					ren := syntax.Edit{Start: c1 + 2, End: c1 + 2, Text: "x"}
					checkUpdate(t, got, []syntax.Edit{ren}, ren.Apply(got.Text))
				}
				back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
				t.Logf("dropped %d alone (%d units); back: partial %v, %d units (%s)", got.inc.dropped, got.inc.units, back.inc.modelReused, back.inc.units, back.inc.modelWhy)
			})
		}
	}
}

// TestSectionDroppedAloneFindings: what the dropped units made goes with
// them, and only that: their findings (a scheme, a channel that does not
// resolve), the uses of a scheme they alone used (k2: none left; not
// reported unused while the broken text names it), while the findings
// between the other units stay. Their key renamed, the entries stay as
// plain mappings whose $refs still use what they land on.
func TestSectionDroppedAloneFindings(t *testing.T) {
	t.Parallel()
	doc := []byte(dropsV3)
	prev := Analyze(doc)
	at := bytes.Index(doc, []byte("\noperations:")) + len("\noperations")
	codes := func(d *Document) string {
		var out []string
		for _, dg := range d.madeDiagnostics() {
			out = append(out, fmt.Sprintf("%s@%s", dg.Code, d.Text[dg.Range.Start:dg.Range.End]))
		}
		return strings.Join(out, " ")
	}
	uses := func(d *Document, name string) int {
		for s, n := range d.useCount {
			if s.Name == name {
				return n
			}
		}
		t.Fatalf("no scheme %s counted", name)
		return 0
	}
	for _, c := range []struct {
		what   string
		edit   syntax.Edit
		k2     int // its uses after the edit (1 before)
		gone   []string
		stayed []string
	}{
		{"colon deleted", syntax.Edit{Start: at, End: at + 1}, 0,
			[]string{"ref-unresolved@'#/channels/missing'", "security-undefined-scheme@'#/components/securitySchemes/nope'"},
			[]string{"channel-server-undefined@'#/servers/gone'", "security-apikey-in-query@query"}},
		{"key renamed", syntax.Edit{Start: at, End: at, Text: "x"}, 1,
			// (the $ref that missed is reported by ref-unresolved now: no
			// operation's check claims it)
			[]string{"security-undefined-scheme@'#/components/securitySchemes/nope'"},
			[]string{"ref-unresolved@'#/channels/missing'", "channel-server-undefined@'#/servers/gone'"}},
	} {
		got := checkUpdate(t, prev, []syntax.Edit{c.edit}, c.edit.Apply(doc))
		if got.inc.dropped != 3 {
			t.Fatalf("%s: %d units dropped alone, want the 3 operations (%q)", c.what, got.inc.dropped, got.inc.modelWhy)
		}
		if uses(prev, "k2") != 1 || uses(got, "k2") != c.k2 {
			t.Errorf("%s: k2 used %d times, then %d; want 1 and %d", c.what, uses(prev, "k2"), uses(got, "k2"), c.k2)
		}
		before, after := codes(prev), codes(got)
		for _, f := range c.gone {
			if !strings.Contains(before, f) || strings.Contains(after, f) {
				t.Errorf("%s: %s, want it before and gone after\nbefore: %s\nafter: %s", c.what, f, before, after)
			}
		}
		for _, f := range c.stayed {
			if !strings.Contains(before, f) || !strings.Contains(after, f) {
				t.Errorf("%s: %s, want it before and after\nbefore: %s\nafter: %s", c.what, f, before, after)
			}
		}
	}
}

// TestSectionDroppedAloneFiles: a document whose $refs lead into other
// files keeps what it found there through the general path: a section
// dropped there is not dropSections' (equal to a cold analysis with the
// files, and back), whether the section reads the other file or only a
// unit outside it does.
func TestSectionDroppedAloneFiles(t *testing.T) {
	t.Parallel()
	opts := writeWorkspace(t, map[string]string{
		"other.yaml": "m:\n  payload: {type: string}\nback:\n  $ref: 'api.yaml#/operations/o0'\n",
	})
	for _, c := range []struct{ what, doc string }{
		// the operations read, through components, a message of the
		// other file, and it $refs one of them back
		{"a $ref back", strings.Replace(dropsV3, "m: {payload: {type: string}}", "m: {$ref: 'other.yaml#/m'}\n    n: {$ref: 'other.yaml#/back'}", 1)},
		// only a channel, outside the section, reads the other file
		{"a channel's message", strings.Replace(dropsV3, "  c1: {address: c1, servers: [{$ref: '#/servers/gone'}]}", "  c1: {address: c1, servers: [{$ref: '#/servers/gone'}], messages: {x: {$ref: 'other.yaml#/m'}}}", 1)},
	} {
		if c.doc == dropsV3 {
			t.Fatalf("%s: the replacement missed", c.what)
		}
		doc := []byte(c.doc)
		prev := AnalyzeWith(doc, opts)
		at := bytes.Index(doc, []byte("\noperations:")) + len("\noperations")
		brk := syntax.Edit{Start: at, End: at + 1}
		got := checkUpdateWith(t, prev, []syntax.Edit{brk}, brk.Apply(doc))
		if got.inc.dropped != 0 {
			t.Errorf("%s: %d units dropped alone, want none (other files)", c.what, got.inc.dropped)
		}
		checkUpdateWith(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
	}
}

// TestWordsAmong: the unused schemes' names found in broken text in one
// pass (wordsAmong) are those namedInBroken finds through the set of the
// region's words: words outside comments (a '#' at a line's start or after
// a blank), whole, in a region that starts mid-line.
func TestWordsAmong(t *testing.T) {
	t.Parallel()
	texts := []string{"a k2 b", "k2#x", "x #k2", "#k2", "a\t#k2 ok", "k2x k2y", "k2-1 z", "-k2", "ok\n# k2\nk3", "a:k2", "k2.x", "  k3 # k2 k3\n k2", "é k2é k2"}
	names := []string{"k2", "k3", "k2-1", "x", "ok", "k2é"}
	for _, text := range texts {
		d := &Document{Tree: syntax.ParseTree([]byte(text))}
		for _, r := range []syntax.Range{{Start: 0, End: len(text)}, {Start: 1, End: len(text)}, {Start: 0, End: len(text) - 1}} {
			want := map[string]bool{}
			for _, n := range names {
				want[n] = true
			}
			found := d.wordsAmong([]syntax.Range{r}, want)
			for _, n := range names {
				if found[n] != d.namedInBroken(n, []syntax.Range{r}) {
					t.Errorf("%q %v: %s found %v, namedInBroken %v", text, r, n, found[n], !found[n])
				}
			}
		}
	}
	if got := (&Document{}).wordsAmong([]syntax.Range{{Start: 0, End: 0}}, nil); got != nil {
		t.Errorf("no names asked: %v, want none", got)
	}
}

// TestUsesEncodedSchemePointer: a $ref written with escapes names the
// component scheme it decodes to (samePointer), also when the escape is
// in the components part of the pointer: a component that is a $ref to
// another scheme is used by it (not reported unused), declared before
// that scheme or after it.
func TestUsesEncodedSchemePointer(t *testing.T) {
	t.Parallel()
	const k, alias = "    k: {type: http, scheme: basic}\n", "    alias: {$ref: '#/components/securitySchemes/k'}\n"
	for _, schemes := range []string{k + alias, alias + k} {
		for _, target := range []string{"#/components/securitySchemes/alias", "#/components/securitySchemes/ali%61s", "#/components/security%53chemes/alias", "#/%63omponents/securitySchemes/alias"} {
			d := Analyze([]byte(`asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  c: {address: c}
operations:
  o: {action: send, channel: {$ref: '#/channels/c'}, security: [{$ref: '` + target + `'}]}
components:
  securitySchemes:
` + schemes))
			for _, dg := range d.Diagnostics {
				if dg.Code == CodeUnusedScheme {
					t.Errorf("%s, %s first: %s", target, strings.TrimSuffix(strings.Fields(schemes)[0], ":"), dg.Message)
				}
			}
		}
	}
}

// TestSectionDroppedAloneUseCounts: the uses of each component scheme
// after a section dropped alone are a cold analysis's, also for a $ref
// that names a component that is a $ref to another scheme through an
// escaped pointer (its `components` part or its name): the dropped $ref
// took its use of that component with it.
func TestSectionDroppedAloneUseCounts(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"#/components/securitySchemes/alias", "#/components/securitySchemes/ali%61s", "#/components/security%53chemes/alias", "#/%63omponents/securitySchemes/alias"} {
		doc := []byte(`asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  c: {address: c}
operations:
  o: {action: send, channel: {$ref: '#/channels/c'}, security: [{$ref: '` + target + `'}]}
components:
  securitySchemes:
    alias: {$ref: '#/components/securitySchemes/k'}
    k: {type: http, scheme: basic}
`)
		prev := Analyze(doc)
		at := bytes.Index(doc, []byte("\noperations:")) + len("\noperations")
		brk := syntax.Edit{Start: at, End: at + 1}
		got := checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(doc))
		if got.inc.dropped != 1 {
			t.Fatalf("%s: %d units dropped alone, want the operation (%q)", target, got.inc.dropped, got.inc.modelWhy)
		}
		counts := func(d *Document) string {
			var out []string
			for _, s := range d.Schemes {
				out = append(out, fmt.Sprintf("%s %d", s.Name, d.useCount[s]))
			}
			return strings.Join(out, ", ")
		}
		if c, want := counts(got), counts(Analyze(got.Text)); c != want {
			t.Errorf("%s: uses after the drop %s, want %s", target, c, want)
		}
	}
}
