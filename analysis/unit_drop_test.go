package analysis

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// A unit's key that loses its colon (`  users` for `  users:`) takes the
// unit out of its section: the tolerant parse keeps its text, broken,
// inside the entry before it, and the section has one entry fewer. The
// model drops the unit (model_inc.go: keylessDropsUnit, grow -1) and
// rebuilds what depended on it (the operations whose channel $ref now
// misses); typed back, the colon splits the entry before it into two
// again (grow 1). Both must equal a cold analysis (checkUpdate) and
// rebuild only those units.

// dropCase is a unit key line whose colon is deleted and typed back.
type dropCase struct {
	name string
	doc  func(testing.TB) []byte
	// find is the key as written with its colon (the one nearest the
	// middle of the document when it occurs more than once: generated
	// documents); the colon is its last byte.
	find string
	// partial: both edits rebuild only some units; units and chkd are
	// what the colon's deletion rebuilds and checks again (-1: not
	// asserted, generated documents)
	partial     bool
	units, chkd int
}

func fixed(s string) func(testing.TB) []byte { return func(testing.TB) []byte { return []byte(s) } }

// genSmall returns a small generated document of the shape in YAML or
// JSON (pretty-printed).
func genSmall(shape docgen.Shape, json bool) func(testing.TB) []byte {
	return func(testing.TB) []byte {
		opts := docgen.Options{TargetBytes: 40_000, Seed: 3, Shape: shape}
		if json {
			return docgen.GenerateJSON(opts)
		}
		return docgen.Generate(opts)
	}
}

// keyInSection returns the unit key line (with its colon) of the section
// at path nearest the middle of that section in doc (a generated document,
// indented by two): the first entry of a section is not chosen (its text,
// keyless, has no entry before it to join).
func keyInSection(t testing.TB, doc []byte, json bool, path ...string) string {
	t.Helper()
	at := 0
	for depth, name := range path {
		head := "\n" + strings.Repeat("  ", depth) + name + ":\n"
		if json {
			head = "\n" + strings.Repeat("  ", depth+1) + `"` + name + `": {` + "\n"
		}
		i := bytes.Index(doc[at:], []byte(head))
		if i < 0 {
			t.Fatalf("no section %q", path)
		}
		at += i + len(head) - 1 // from its newline: the next header starts with one
	}
	indent := 2 * len(path)
	if json {
		indent += 2
	}
	var keys []string
	for _, line := range strings.Split(string(doc[at:]), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" {
			continue
		}
		in := len(line) - len(trimmed)
		if in < indent {
			break
		}
		if in == indent && (json && strings.HasSuffix(trimmed, "{") || !json && strings.HasSuffix(trimmed, ":")) {
			keys = append(keys, line[:strings.LastIndex(line, ":")+1])
		}
	}
	if len(keys) < 3 {
		t.Fatalf("section %q has %d entries", path, len(keys))
	}
	return "\n" + keys[len(keys)/2]
}

func TestUnitDropAndRestore(t *testing.T) {
	t.Parallel()
	cases := []dropCase{
		// recvUser alone
		{"operation", fixed(incV3), "\n  recvUser:", true, 1, 1},
		// users, and recvUser whose channel $ref now misses
		{"channel", fixed(incV3), "\n  users:", true, 2, 2},
		// findings: users, recvUser on it
		{"channel, findings", fixed(findingsV3), "\n  users:", true, 2, 2},
		{"operation, findings", fixed(findingsV3), "\n  recvUser:", true, 1, 1},
		// 2.x: the channel c (its operation's scheme user is now unused)
		{"v2 channel, findings", fixed(findingsV2), "\n  c:", true, 1, 1},
		// components.messages and a channel's messages are no units:
		// the edit is outside the model sections (nothing rebuilt), or
		// below a unit (orders, and sendOrder on it, relinked)
		{"component message", fixed(findingsV3 + "    other:\n      payload: {type: string}\n"), "\n    other:", true, 0, 0},
		{"channel message", fixed(strings.Replace(incV3, "      created:\n        $ref: '#/components/messages/created'\n",
			"      created:\n        $ref: '#/components/messages/created'\n      more:\n        payload: {type: string}\n", 1)), "\n      more:", true, 2, 1},
		// a root server is dropped as if renamed to no name: edge, users
		// ($ref), orders (names servers by name: its error lists the
		// names) and their operations; in incV3 dev, users on dev and
		// recvUser on users
		{"root server, findings", fixed(findingsV3), "\n  edge:", true, 5, 5},
		{"root server", fixed(incV3), "\n  dev:", true, 3, 3},
		// 2.x: edge, a/b that names it
		{"v2 root server, findings", fixed(findingsV2), "\n  edge:", true, -1, -1},
		// a component scheme that goes: unused, it is dropped alone (the
		// unused-scheme counts pair schemes by object: rebuiltUseCounts)
		{"scheme", fixed(findingsV3), "\n    unused:", true, -1, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runDropCase(t, c, false) })
	}
	// Generated documents, each section with several units, YAML and
	// JSON (pretty-printed): channels, operations, root servers, schemes
	// (built whole: see above) and component messages (no units).
	for _, shape := range []docgen.Shape{docgen.ShapeV3, docgen.ShapeV26} {
		for _, json := range []bool{false, true} {
			sections := [][]string{{"channels"}, {"operations"}, {"servers"}, {"components", "securitySchemes"}, {"components", "messages"}}
			if shape == docgen.ShapeV26 {
				sections = slices.DeleteFunc(sections, func(p []string) bool { return p[0] == "operations" })
			}
			for _, sec := range sections {
				name := string(shape) + "-" + strings.Join(sec, ".")
				if json {
					name += "-json"
				}
				c := dropCase{name: name, doc: genSmall(shape, json), partial: true, units: -1, chkd: -1}
				t.Run(name, func(t *testing.T) {
					c.find = keyInSection(t, c.doc(t), json, sec...)
					runDropCase(t, c, json)
				})
			}
		}
	}
}

func runDropCase(t *testing.T, c dropCase, json bool) {
	t.Helper()
	doc := c.doc(t)
	at := bytes.LastIndex(doc, []byte(c.find))
	if first := bytes.Index(doc, []byte(c.find)); first != at {
		t.Fatalf("%q occurs more than once", c.find)
	}
	if at < 0 {
		t.Fatalf("no %q", c.find)
	}
	colon := at + len(c.find) - 1
	if doc[colon] != ':' {
		t.Fatalf("%q does not end with its colon", c.find)
	}
	prev := Analyze(doc)
	del := syntax.Edit{Start: colon, End: colon + 1}
	got := checkUpdate(t, prev, []syntax.Edit{del}, del.Apply(prev.Text))
	if got.inc.path != pathRegion {
		t.Fatalf("the deletion was not a region re-parse: %q", got.inc.reason)
	}
	if !hasSyntaxError(got) {
		t.Fatalf("the key without its colon made no syntax error")
	}
	if got.inc.modelReused != c.partial {
		t.Fatalf("deleted: partial model %v (%q), want %v", got.inc.modelReused, got.inc.modelWhy, c.partial)
	}
	if c.units >= 0 && (got.inc.units != c.units || got.inc.checked != c.chkd) {
		t.Fatalf("deleted: %d units rebuilt, %d checked again; want %d and %d", got.inc.units, got.inc.checked, c.units, c.chkd)
	}
	back := syntax.Edit{Start: colon, End: colon, Text: ":"}
	restored := checkUpdate(t, got, []syntax.Edit{back}, back.Apply(got.Text))
	if restored.inc.path != pathRegion {
		t.Fatalf("the colon typed back was not a region re-parse: %q", restored.inc.reason)
	}
	if c.partial && !restored.inc.modelReused {
		t.Fatalf("restored: the model was built whole (%q)", restored.inc.modelWhy)
	}
	if !bytes.Equal(restored.Text, doc) || hasSyntaxError(restored) {
		t.Fatalf("the colon typed back does not restore the document")
	}
	t.Logf("deleted: %d units, %d checked; restored: %d units, %d checked (json %v)",
		got.inc.units, got.inc.checked, restored.inc.units, restored.inc.checked, json)
}

func hasSyntaxError(d *Document) bool {
	for _, dg := range d.Diagnostics {
		if dg.Code == syntax.CodeYAMLSyntax {
			return true
		}
	}
	return false
}

// TestUnitDropOnCorpus deletes the colon of unit keys in the real
// documents of the corpus (the middle units of each model section, the
// first excepted: see keyInSection) and types it back, each step compared
// with a cold analysis. (Of 140 keys, 131 drop their unit, component
// schemes included since session 8; of the others, 8 are units that are a
// $ref, 1 has diagnostics outside the units.)
func TestUnitDropOnCorpus(t *testing.T) {
	t.Parallel()
	edits, partial := 0, 0
	whys := map[string]int{}
	forCorpusModels(t, func(t *testing.T, doc *Document) {
		text := doc.Text
		for sec := range numSections {
			m := doc.sectionMap(sec).Resolve()
			if !sec.inVersion(doc.Version) || m == nil || m.Kind != syntax.MappingNode {
				continue
			}
			n := len(m.Content) / 2
			for _, i := range []int{n / 2, n - 1} {
				if i < 1 {
					continue
				}
				colon := doc.R(m.Content[2*i]).End
				for colon < len(text) && text[colon] == ' ' {
					colon++
				}
				if colon >= len(text) || text[colon] != ':' {
					continue
				}
				del := syntax.Edit{Start: colon, End: colon + 1}
				got := checkUpdate(t, doc, []syntax.Edit{del}, del.Apply(doc.Text))
				back := syntax.Edit{Start: colon, End: colon, Text: ":"}
				checkUpdate(t, got, []syntax.Edit{back}, back.Apply(got.Text))
				edits++
				if got.inc.modelReused {
					partial++
				} else {
					whys[got.inc.modelWhy]++
				}
				if n/2 == n-1 {
					break
				}
			}
		}
	})
	t.Logf("%d unit keys without their colon: %d with a partial model; built whole: %v", edits, partial, whys)
	if edits < 20 || partial < edits/2 {
		t.Errorf("%d unit keys without their colon, %d with a partial model: want at least 20, half of them partial", edits, partial)
	}
}

// TestSectionDropAsBlock: a section's own key line edited so that it has
// no entries (text after its colon, a quote or bracket opened, a list item
// below it, the colon deleted) drops its units as a block (blockDrop) and
// checks again the units that $ref into them (when those are more than
// maxBlock, the model is built whole, before any work). The edit undone
// builds the section anew: a full model build (not asserted either way),
// compared with a cold analysis like every step.
func TestSectionDropAsBlock(t *testing.T) {
	t.Parallel()
	type sectionEdit struct {
		what     string
		off, del int // from the section key's colon
		ins      string
	}
	// comment and tag: the key line is edited but the section keeps its
	// entries, all re-parsed: its units are replaced as a block
	// (sectionReplaced).
	yamlEdits := []sectionEdit{{"end-x", 1, 0, "x"}, {"quote", 1, 0, " '"}, {"bracket", 1, 0, " ["}, {"item-line", 1, 0, "\n- "}, {"colon-del", 0, 1, ""}, {"comment", 1, 0, " # note"}, {"tag", 1, 0, " !!map"}, {"key-x", -1, 0, "x"}, {"empty-map", 1, 0, " {}"}}
	// key-x: the section's key renamed (`"channelsx"`: sectionKeyRenamed),
	// and typed back (sectionKeyBack)
	// member-colon: a member typed right after the section's '{' (the
	// section's value breaks: blockDrop; or keeps its entries: sectionReplaced), and
	// taken out
	jsonEdits := []sectionEdit{{"quote", 1, 0, ` "`}, {"colon-del", 0, 1, ""}, {"bracket", 1, 0, " ["}, {"key-x", -1, 0, "x"}, {"member-colon", 3, 0, "\n    \"x\": "}}
	cases := []struct {
		name    string
		doc     func(testing.TB) []byte
		head    string // the section key line up to its colon (the first occurrence)
		json    bool
		partial bool
		units   int // rebuilt (the block and its dependents); -1: not asserted
		// afterSection: the entry before the section is (or holds) a model
		// section, which its colon deleted joins, or the section is the
		// first of components, whose own entry holds it then; typed back,
		// the entry before is replaced and the section given back
		// (colonBackAfterSection), but components (built whole)
		afterSection bool
	}{
		// users, orders and the operations on them
		{"channels", fixed(incV3), "\nchannels:", false, true, 4, true},
		{"operations", fixed(incV3), "\noperations:", false, true, 2, true},
		{"v2 channels, findings", fixed(findingsV2), "\nchannels:", false, true, 2, false},
		{"channels, findings", fixed(findingsV3), "\nchannels:", false, true, 4, true},
		// (a list item at column 0 below it breaks components: a near miss)
		{"traits, findings", fixed(findingsV3), "\n  operationTraits:", false, true, 2, true},
		// generated: nothing $refs an operation, nor a 2.x channel
		{"gen v3 operations", genSmall(docgen.ShapeV3, false), "\noperations:", false, true, -1, true},
		{"gen v3 operations json", genSmall(docgen.ShapeV3, true), "\n  \"operations\":", true, true, -1, true},
		{"gen v26 channels", genSmall(docgen.ShapeV26, false), "\nchannels:", false, true, -1, true},
		{"gen v26 channels json", genSmall(docgen.ShapeV26, true), "\n  \"channels\":", true, true, -1, true},
		{"gen wide operations", genSmall(docgen.ShapeWide, false), "\noperations:", false, true, -1, true},
		// root servers: the block of names gone; the channels that name
		// or $ref one, or whose findings list them, and the operations
		// that run on every server (their channel names none) are checked
		// again
		{"servers, findings", fixed(findingsV3), "\nservers:", false, true, 6, false},
		{"v2 servers, findings", fixed(findingsV2), "\nservers:", false, true, 4, false},
		{"v2 servers", fixed(strings.Replace(findingsV2, "asyncapi: 2.6.0", "asyncapi: 2.1.0", 1)), "\nservers:", false, true, -1, false},
		{"gen v3 servers", genSmall(docgen.ShapeV3, false), "\nservers:", false, true, -1, false},
		{"gen v3 servers json", genSmall(docgen.ShapeV3, true), "\n  \"servers\":", true, true, -1, false},
		{"gen v26 servers", genSmall(docgen.ShapeV26, false), "\nservers:", false, true, -1, false},
		{"gen v26 servers json", genSmall(docgen.ShapeV26, true), "\n  \"servers\":", true, true, -1, false},
		{"gen wide servers", genSmall(docgen.ShapeWide, false), "\nservers:", false, true, -1, false},
		// component sections: 2.x component channels, 3.x component
		// servers (edge, spare, the channel c that $refs edge and send on
		// c) and component operations (nothing $refs them)
		{"v2 component channels", fixed(compSectionsV2), "\n  channels:", false, true, 2, true},
		{"component servers", fixed(compSectionsV3), "\n  servers:", false, true, 4, true},
		{"component operations", fixed(compSectionsV3), "\n  operations:", false, true, 2, false},
		// prod, dev, orders and users (which $ref them), sendOrder and
		// recvUser (on them)
		{"servers", fixed(incV3), "\nservers:", false, true, 6, false},
		// near misses: every operation $refs its channel, so the channels
		// and the operations are the document's units but a few, more than
		// a block drop may reach (maxBlock: it would cost more than a full
		// build); schemes
		// the second of two channels keys (build models the first)
		{"duplicate section key", fixed("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  a: {address: a}\n  b: {address: b}\nchannels:\n  c: {address: c}\n"),
			"  b: {address: b}\nchannels:", false, false, 0, false},
		// component schemes: the units that $ref them or, in 2.x, name
		// them (and whose undefined-scheme errors list the names) are
		// checked again (reach: TestSchemeAddDrop)
		{"schemes", fixed(incV3), "\n  securitySchemes:", false, true, -1, true},
		{"schemes, findings", fixed(findingsV3), "\n  securitySchemes:", false, true, -1, true},
		{"v2 schemes, findings", fixed(findingsV2), "\n  securitySchemes:", false, true, -1, true},
		{"gen v3 schemes", genSmall(docgen.ShapeV3, false), "\n  securitySchemes:", false, true, -1, true},
		{"gen v26 schemes json", genSmall(docgen.ShapeV26, true), "\n    \"securitySchemes\":", true, true, -1, true},
		// components: every model section under it at once (schemes,
		// traits, component servers, 2.x channels, 3.x operations), and
		// the units that $ref into components (componentsDrop)
		{"components", fixed(incV3), "\ncomponents:", false, true, -1, false},
		{"components, findings", fixed(findingsV3), "\ncomponents:", false, true, -1, false},
		{"v2 components, findings", fixed(findingsV2), "\ncomponents:", false, true, -1, false},
		{"gen v3 components", genSmall(docgen.ShapeV3, false), "\ncomponents:", false, true, -1, false},
		{"gen v3 components json", genSmall(docgen.ShapeV3, true), "\n  \"components\":", true, true, -1, true},
		{"gen v26 components", genSmall(docgen.ShapeV26, false), "\ncomponents:", false, true, -1, false},
		{"gen v26 components json", genSmall(docgen.ShapeV26, true), "\n  \"components\":", true, true, -1, true},
		{"gen wide components", genSmall(docgen.ShapeWide, false), "\ncomponents:", false, true, -1, false},
		// every operation $refs its channel: the channels dropped alone,
		// the operations swapped (chandrop.go), past maxBlock's floor of
		// 64 units; the section re-parsed whole (a comment, a tag after
		// its key: sectionReplaced) still reaches them all and is built
		// whole (the bound)
		{"gen v3 channels", func(testing.TB) []byte {
			return docgen.Generate(docgen.Options{TargetBytes: 200_000, Seed: 3})
		}, "\nchannels:", false, true, -1, true},
	}
	for ci, c := range cases {
		edits := yamlEdits
		if c.json {
			edits = jsonEdits
		}
		for ei, e := range edits {
			if !testenv.Long() && (ci+ei)%2 == 1 {
				// The default run (the README's quick command) makes every
				// other edit, alternating from case to case; CI all.
				continue
			}
			if e.what == "item-line" && strings.Contains(c.name, "component ") {
				// a list item at column 0 below a section of components
				// breaks components: the whole text is parsed again (see
				// "traits, findings": a near miss)
				continue
			}
			// (a list item at column 0 below a section under components
			// breaks components: it is replaced, componentsReplaced)
			partial := c.partial
			if c.name == "gen v3 channels" && (e.what == "comment" || e.what == "tag") {
				partial = false
			}
			// components given back: every section under it as a block
			// (componentsBack); components re-parsed with its sections (a
			// comment, a tag, a member typed after its '{' that leaves it
			// a mapping): each dropped and given back (componentsReplaced)
			const givenBack = true
			t.Run(c.name+"/"+e.what, func(t *testing.T) {
				doc := c.doc(t)
				at := bytes.Index(doc, []byte(c.head))
				if at < 0 {
					t.Fatalf("no %q", c.head)
				}
				colon := at + len(c.head) - 1
				edit := syntax.Edit{Start: colon + e.off, End: colon + e.off + e.del, Text: e.ins}
				prev := Analyze(doc)
				got := checkUpdate(t, prev, []syntax.Edit{edit}, edit.Apply(prev.Text))
				if got.inc.path != pathRegion {
					t.Fatalf("not a region re-parse: %q", got.inc.reason)
				}
				if got.inc.modelReused != partial {
					t.Fatalf("partial model %v (%q), want %v", got.inc.modelReused, got.inc.modelWhy, partial)
				}
				if c.name == "gen v3 channels" && partial && got.inc.chanSwapped == 0 {
					t.Fatalf("%d units rebuilt, none swapped; want the operations swapped", got.inc.units)
				}
				t.Logf("%d units rebuilt, %d checked again (%s)", got.inc.units, got.inc.checked, got.inc.modelWhy)
				if partial && c.units >= 0 && e.what != "item-line" && got.inc.units != c.units {
					t.Fatalf("%d units rebuilt, want %d", got.inc.units, c.units)
				}
				undo := editBetween(got.Text, doc)
				back := checkUpdate(t, got, []syntax.Edit{undo}, doc)
				if hasSyntaxError(back) != hasSyntaxError(prev) {
					t.Fatalf("undoing the edit did not restore the document")
				}
				t.Logf("undone: %d units rebuilt, %d checked again (%s%s)", back.inc.units, back.inc.checked, back.inc.modelWhy, back.inc.reason)
				// The section gets its units back as a block (blockRestore),
				// also after an entry that is a section (replaced), and
				// components too (componentsBack, colonBackAfterSection).
				// The first section of components had joined the
				// components entry: components is given back, or replaced
				// when a section under it kept units (componentsReplaced).
				before := bytes.TrimRight(doc[:at], " ")
				firstInComponents := bytes.HasSuffix(before, []byte("components:")) || bytes.HasSuffix(before, []byte(`"components": {`))
				undoPartial := partial && givenBack
				// An undo that the region parse of the broken text cannot
				// take is made from the last good version, the document
				// itself (components' colon typed back: its model is kept
				// whole, nothing rebuilt).
				fromGood := Update(Analyze(got.Text), []syntax.Edit{undo}, doc).inc.path != pathRegion
				if fromGood && !givenBack {
					undoPartial = true
				}
				if c.name == "gen v26 schemes json" && e.what == "member-colon" {
					// The broken text's region for the undo no longer
					// starts with a key (the '{' of the scheme that "x"
					// swallowed is never closed): the text is parsed whole.
					if back.inc.path != pathAnalyze {
						t.Fatalf("undone: path %d, want a whole parse (a syntax-side case)", back.inc.path)
					}
					undoPartial = false
				}
				if back.inc.modelReused != undoPartial {
					t.Fatalf("undone: partial model %v (%q), want %v", back.inc.modelReused, back.inc.modelWhy, undoPartial)
				}
				// The units given back, and those that $ref into them or
				// name them: the units the drop rebuilt. (An undo that the
				// region parse of the broken text cannot take is made from
				// the last good version, the document itself: nothing to
				// rebuild.)
				// (A member typed after the section's '{' that the section
				// kept is one of its units now: one more to replace.)
				extra := max(0, got.unitCount()-prev.unitCount())
				if e.what == "colon-del" && c.afterSection && !firstInComponents && undoPartial {
					// The colon typed back after a section: that section's
					// units are replaced too, with their dependents
					// (colonBackAfterSection). In the fixed documents: the
					// servers (prod, dev) with the channels given back and
					// the operations on them; the channels with the
					// operations; the schemes, every unit that $refs one,
					// and the traits. Elsewhere: at least what the drop
					// rebuilt (the same, when every unit of the section
					// replaced depends on the one given back).
					want := map[string]int{"channels": 6, "channels, findings": 6, "operations": 4, "traits, findings": 10}[c.name]
					if back.inc.units < got.inc.units || want > 0 && back.inc.units != want {
						t.Fatalf("undone after a section: %d units rebuilt, want %d (the drop rebuilt %d)", back.inc.units, want, got.inc.units)
					}
				} else if (e.what == "item-line" || e.what == "colon-del" && firstInComponents) && strings.HasPrefix(c.head, "\n  ") {
					// components re-parsed (componentsReplaced) on one side
					// or both: every section under it replaced, not only
					// this one (not asserted)
				} else if got.inc.dropped > 0 {
					// The schemes dropped alone, their readers kept
					// (compdrop.go): given back, the readers are checked
					// again with them (at least as many units).
					if undoPartial && !fromGood && back.inc.units < got.inc.units {
						t.Fatalf("undone: %d units rebuilt; the drop dropped %d alone", back.inc.units, got.inc.dropped)
					}
				} else if undoPartial && got.inc.modelReused && !fromGood && (back.inc.units != got.inc.units+extra || back.inc.checked != got.inc.checked+extra) {
					t.Fatalf("undone: %d units rebuilt, %d checked again; the drop rebuilt %d, checked %d", back.inc.units, back.inc.checked, got.inc.units, got.inc.checked)
				}
			})
		}
	}
}
func TestFirstUnitDrop(t *testing.T) {
	t.Parallel()
	for _, shape := range []docgen.Shape{docgen.ShapeV3, docgen.ShapeV26} {
		for _, json := range []bool{false, true} {
			doc := genSmall(shape, json)(t)
			first := regexp.MustCompile(`(?m)^(channels|operations|servers|  securitySchemes|  messages):\n +\S+?:`)
			if json {
				first = regexp.MustCompile(`(?m)^ +"(channels|operations|servers|securitySchemes|messages)": \{\n +"[^"]+":`)
			}
			prev := Analyze(doc)
			found := 0
			for _, m := range first.FindAllSubmatchIndex(doc, -1) {
				found++
				colon := m[1] - 1
				section := string(doc[m[2]:m[3]])
				del := syntax.Edit{Start: colon, End: colon + 1}
				got := checkUpdate(t, prev, []syntax.Edit{del}, del.Apply(doc))
				if !hasSyntaxError(got) {
					t.Fatalf("%s: the first unit's key without its colon made no syntax error", section)
				}
				if !got.inc.modelReused {
					t.Errorf("%s %s json %v: the model was built whole (%q)", shape, section, json, got.inc.modelWhy)
				}
				back := syntax.Edit{Start: colon, End: colon, Text: ":"}
				if r := checkUpdate(t, got, []syntax.Edit{back}, back.Apply(got.Text)); !bytes.Equal(r.Text, doc) {
					t.Fatalf("%s: the colon typed back does not restore the document", section)
				}
			}
			if found < 4 {
				t.Fatalf("%s json %v: found %d sections' first units, want at least 4", shape, json, found)
			}
			n := 0
			for i := 0; i+1 < len(doc); i++ {
				if doc[i] != ':' || doc[i+1] != '\n' {
					continue
				}
				if n++; n%13 != 0 {
					continue
				}
				del := syntax.Edit{Start: i, End: i + 1}
				got := checkUpdate(t, prev, []syntax.Edit{del}, del.Apply(doc))
				back := syntax.Edit{Start: i, End: i, Text: ":"}
				checkUpdate(t, got, []syntax.Edit{back}, back.Apply(got.Text))
			}
		}
	}
}

// TestSectionKeyRenamed: a model section's key edited into another key
// (sectionKeyRenamed) and back (sectionKeyBack), whole words at a time:
// a key that names no model section drops the section's units as a block
// and gives them back; one that names another section (or another
// document's entry) is a near miss, built whole. Each step equals a cold
// analysis.
func TestSectionKeyRenamed(t *testing.T) {
	noOps := strings.Split(incV3, "\noperations:")[0] + "\n"
	cases := []struct {
		name, doc, from, to string
		partial, back       bool // the rename, and the rename undone, without a full build
	}{
		{"channels to a new key", findingsV3, "\nchannels:", "\nchannelz:", true, true},
		{"servers to a new key, v2", findingsV2, "\nservers:", "\nhosts:", true, true},
		{"traits to a new key", findingsV3, "\n  operationTraits:", "\n  traits:", true, true},
		// info becomes the root servers (its entries are servers now,
		// broken); back, servers go and info comes back (not a section)
		{"info to servers", strings.Replace(findingsV3, "\nservers:", "\nhosts:", 1), "\ninfo:", "\nservers:", true, true},
		// near misses: the new key is another model section (a second
		// root servers key; a section the document lacks), or leads to
		// one (components)
		{"operations to servers", incV3, "\noperations:", "\nservers:", false, false},
		{"channels to operations", noOps, "\nchannels:", "\noperations:", false, false},
		{"channels to components", findingsV3, "\nchannels:", "\ncomponents:", false, false},
		// a section that merges entries in (`<<`, an inline mapping: an
		// alias makes the whole text parse again): build reads its units
		// through the merge; back, they are given back as a block in
		// build order (sectionUnits)
		{"merged channels", "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  <<: {a: {address: a}}\n  c: {address: c}\n",
			"\nchannels:", "\nchannelz:", true, true},
		// a section with no entries: nothing to drop or give back
		{"empty servers", strings.Replace(findingsV3, "\nservers:", "\nservers: {}\nhosts:", 1), "\nservers:", "\nserverz:", false, false},
		// a scheme section: dropped and given back as a block, its
		// users checked again (names, $refs, unused-scheme counts)
		{"schemes", findingsV3, "\n  securitySchemes:", "\n  schemes:", true, true},
		{"schemes, v2", findingsV2, "\n  securitySchemes:", "\n  schemes:", true, true},
		// components: every model section under it dropped (componentsDrop)
		// and given back (componentsBack), each as a block
		{"components to a new key", findingsV3, "\ncomponents:", "\nparts:", true, true},
		{"components to a new key, v2", findingsV2, "\ncomponents:", "\nparts:", true, true},
		{"components to a new key, no units", incV3, "\ncomponents:", "\nparts:", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := []byte(c.doc)
			at := bytes.Index(doc, []byte(c.from))
			if at < 0 || bytes.Count(doc, []byte(c.from)) != 1 {
				t.Fatalf("%q is not in the document once", c.from)
			}
			// the key's word alone (a key typed over, not a line)
			from, to := strings.Trim(c.from, "\n :"), strings.Trim(c.to, "\n :")
			at += strings.Index(c.from, from)
			e := syntax.Edit{Start: at, End: at + len(from), Text: to}
			prev := Analyze(doc)
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(doc))
			if got.inc.path != pathRegion || got.inc.modelReused != c.partial {
				t.Fatalf("renamed: path %d, partial model %v (%q), want %v", got.inc.path, got.inc.modelReused, got.inc.modelWhy, c.partial)
			}
			undo := editBetween(got.Text, doc)
			back := checkUpdate(t, got, []syntax.Edit{undo}, doc)
			if back.inc.path != pathRegion || back.inc.modelReused != c.back {
				t.Fatalf("back: path %d, partial model %v (%q), want %v", back.inc.path, back.inc.modelReused, back.inc.modelWhy, c.back)
			}
		})
	}
}

// compSectionsV2 and compSectionsV3 have the component sections that add
// units: component channels (2.x), servers and operations (3.x).
const compSectionsV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  prod: {url: a.example.com, protocol: mqtt, security: [{user: []}]}
channels:
  a:
    subscribe: {}
  b:
    publish:
      security: [{user: []}]
components:
  channels:
    shared:
      subscribe:
        security: [{user: [], nope: []}]
    other:
      publish: {}
  securitySchemes:
    user: {type: userPassword}
`

const compSectionsV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  prod: {host: a.example.com, protocol: https}
channels:
  c:
    servers:
      - $ref: '#/components/servers/edge'
components:
  servers:
    edge:
      host: b.example.com
      protocol: wss
      security: [{$ref: '#/components/securitySchemes/key'}]
    spare: {host: c.example.com, protocol: wss}
  operations:
    send:
      action: send
      channel: {$ref: '#/channels/c'}
    recv:
      action: receive
      channel: {$ref: '#/channels/nope'}
  securitySchemes:
    key: {type: httpApiKey, name: k, in: header}
`

// TestSectionBreakFixOnCorpus breaks the key line of every model section
// of the real documents of the corpus (text after its colon, its colon
// deleted, its key renamed, a comment after it) and fixes it, each step
// compared with a cold analysis, and counts the breaks that drop the
// section as a block (or replace its units: sectionReplaced) and the
// fixes that give its units back without a full build; the reasons of
// the others are logged, by step. (Every other document by default:
// corpusSample.)
func TestSectionBreakFixOnCorpus(t *testing.T) {
	t.Parallel()
	var tally breakFixTally
	for _, f := range corpusSample(corpusFiles(t, "")) {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			tally.sections(t, text, strings.HasSuffix(f, ".json"))
		})
	}
	tally.report(t, 20)
}

// TestSectionBreakFixOnCorpusJSON is its JSON twin: every YAML document
// of the corpus as indented JSON (docgen.ToJSON, the key order kept), and
// a member typed right after each section's '{' besides (the section's
// value breaks, or keeps its entries: blockDrop, sectionReplaced), each
// taken out again.
func TestSectionBreakFixOnCorpusJSON(t *testing.T) {
	t.Parallel()
	var tally breakFixTally
	for _, f := range corpusSample(corpusFiles(t, "")) {
		if strings.HasSuffix(f, ".json") {
			continue // (TestSectionBreakFixOnCorpus)
		}
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		js, err := docgen.ToJSON(text)
		if err != nil {
			continue // anchors, several documents: not one JSON text
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			tally.sections(t, js, true)
		})
	}
	tally.report(t, 20)
}

// corpusSample is every other corpus file in the default run (the
// README's test command stays quick), every file in CI (testenv.Long).
func corpusSample(files []string) []string {
	if testenv.Long() {
		return files
	}
	var out []string
	for i, f := range files {
		if i%2 == 0 {
			out = append(out, f)
		}
	}
	return out
}

// breakFixTally counts the section key lines broken and fixed on corpus
// documents, and why the model was built whole when it was.
type breakFixTally struct {
	breaks, dropped, fixes, restored int
	whys                             map[string]int
}

// sections breaks and fixes the key line of every model section of text.
func (c *breakFixTally) sections(t *testing.T, text []byte, json bool) {
	doc := Analyze(text)
	if !doc.modelOK {
		return
	}
	if c.whys == nil {
		c.whys = map[string]int{}
	}
	// the model sections with units, and components when one under it has
	// units (componentsDrop, componentsBack)
	var paths [][]string
	comp := false
	for sec := range numSections {
		if !sec.inVersion(doc.Version) || len(doc.runs[sec]) == 0 {
			continue
		}
		paths = append(paths, sectionPaths[sec])
		comp = comp || sectionPaths[sec][0] == "components"
	}
	if comp {
		paths = append(paths, []string{"components"})
	}
	for _, path := range paths {
		parent := doc.Root
		for _, k := range path[:len(path)-1] {
			parent = parent.Key(k)
		}
		key, val := parent.Pair(path[len(path)-1])
		if key == nil || key.Kind != syntax.ScalarNode {
			continue
		}
		r := doc.R(key)
		colon := r.End
		for colon < len(text) && (text[colon] == ' ' || text[colon] == '"' || text[colon] == '\'') {
			colon++
		}
		if colon >= len(text) || text[colon] != ':' {
			continue
		}
		after := " x"
		if json {
			after = ` "`
		}
		nameEnd := r.End
		if json || text[r.End-1] == '"' || text[r.End-1] == '\'' {
			nameEnd-- // inside the quotes
		}
		edits := []syntax.Edit{
			{Start: colon + 1, End: colon + 1, Text: after},
			{Start: colon, End: colon + 1},
			{Start: nameEnd, End: nameEnd, Text: "x"},
		}
		if open := doc.R(val).Start; json && val.Kind == syntax.MappingNode && text[open] == '{' {
			edits = append(edits, syntax.Edit{Start: open + 1, End: open + 1, Text: "\n    \"x\": "})
		} else if !json && val.Kind == syntax.MappingNode && doc.R(val).Start > colon && bytes.IndexByte(text[colon:doc.R(val).Start], '\n') >= 0 {
			edits = append(edits, syntax.Edit{Start: colon + 1, End: colon + 1, Text: " # note"})
		}
		for _, brk := range edits {
			step := fmt.Sprintf("%s %q", path, brk.Text)
			if brk.Text == "" {
				step = fmt.Sprintf("%s colon deleted", path)
			}
			// tally counts an update and, when it kept no partial model,
			// why (by step)
			tally := func(d *Document, what string, all, partial *int) {
				*all++
				if d.inc.modelReused && d.inc.path == pathRegion {
					*partial++
					return
				}
				c.whys[what+": "+d.inc.modelWhy+d.inc.reason]++
				t.Logf("%s: %s built whole: %s%s", step, what, d.inc.modelWhy, d.inc.reason)
			}
			got := checkUpdate(t, doc, []syntax.Edit{brk}, brk.Apply(doc.Text))
			tally(got, "break", &c.breaks, &c.dropped)
			back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc.Text)}, doc.Text)
			tally(back, "fix", &c.fixes, &c.restored)
		}
	}
}

// report logs the counts and fails unless there were at least min breaks
// and half of the breaks and half of the fixes kept a partial model.
func (c *breakFixTally) report(t *testing.T, min int) {
	t.Logf("%d section key lines broken, %d with a partial model; %d fixed, %d with a partial model; built whole: %v", c.breaks, c.dropped, c.fixes, c.restored, c.whys)
	if c.breaks < min || c.dropped < c.breaks/2 || c.restored < c.fixes/2 {
		t.Errorf("%d breaks (%d partial), %d fixes (%d partial): want at least %d, half of each partial", c.breaks, c.dropped, c.fixes, c.restored, min)
	}
}

// TestSectionRestoreBound: a section given back with the units that $ref
// into it is built as a block while they are at most maxBlock (64 in a
// small document; a quarter of the units, those given back included, in a
// larger one), and whole beyond: k channels given back, m operations that
// each $ref one of them, and free operations on no channel.
func TestSectionRestoreBound(t *testing.T) {
	// (the channels given back alone, the operations swapped, are not
	// bound by maxBlock: chandrop.go)
	channelsSwapped = false
	defer func() { channelsSwapped = true }()
	doc := func(k, m, free int) []byte {
		var b strings.Builder
		b.WriteString("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n")
		for i := range k {
			fmt.Fprintf(&b, "  c%d: {address: c%d}\n", i, i)
		}
		b.WriteString("operations:\n")
		for i := range m {
			fmt.Fprintf(&b, "  o%d: {action: send, channel: {$ref: '#/channels/c%d'}}\n", i, i%k)
		}
		for i := range free {
			fmt.Fprintf(&b, "  f%d: {action: send}\n", i)
		}
		return []byte(b.String())
	}
	for _, c := range []struct {
		k, m, free int
		partial    bool
	}{{40, 24, 0, true}, {40, 25, 0, false}, {64, 0, 0, true}, {65, 0, 0, false},
		// 570 units with the 140 given back: the bound is 142
		{140, 0, 430, true}, {144, 0, 430, false}} {
		text := doc(c.k, c.m, c.free)
		at := bytes.Index(text, []byte("\nchannels:")) + len("\nchannels:")
		brk := syntax.Edit{Start: at, End: at, Text: " x"}
		broken := Analyze(brk.Apply(text))
		fix := syntax.Edit{Start: at, End: at + 2}
		got := checkUpdate(t, broken, []syntax.Edit{fix}, text)
		if got.inc.path != pathRegion || got.inc.modelReused != c.partial {
			t.Errorf("%d channels given back, %d operations on them: path %d, partial model %v (%q), want %v",
				c.k, c.m, got.inc.path, got.inc.modelReused, got.inc.modelWhy, c.partial)
		}
	}
}

// TestComponentsBlocks: the components key renamed drops every model
// section under it as a block (componentsDrop) and typed back gives them
// back (componentsBack), rebuilding the same units, those given back and
// those that $ref into components or name a scheme; a comment after its
// key re-parses it with its sections, which are dropped and given back
// (componentsReplaced): the units of the drop and, besides, the new ones.
// Components that holds no model section (messages only) comes and goes
// too: the units that $ref into it are rebuilt.
func TestComponentsBlocks(t *testing.T) {
	noSchemes := strings.Replace(strings.Replace(incV3, "'#/components/securitySchemes/oauth'", "'#/components/messages/created'", -1), "'#/components/securitySchemes/key'", "'#/components/messages/created'", -1)
	noSchemes = noSchemes[:strings.Index(noSchemes, "\n  securitySchemes:")] + noSchemes[strings.Index(noSchemes, "\n  messages:"):]
	// an empty section under components gives nothing back
	emptyTraits := strings.Replace(compSectionsV3, "\ncomponents:\n", "\ncomponents:\n  operationTraits: {}\n", 1)
	for name, src := range map[string]string{"findings": findingsV3, "findings v2": findingsV2, "sections": compSectionsV3, "sections v2": compSectionsV2, "inc": incV3, "messages only": noSchemes, "empty traits": emptyTraits} {
		t.Run(name, func(t *testing.T) {
			doc := []byte(src)
			at := bytes.Index(doc, []byte("\ncomponents:"))
			if at < 0 {
				t.Fatal("no components")
			}
			prev := Analyze(doc)
			units := 0
			for sec := range numSections {
				if sectionPaths[sec][0] == "components" {
					units += len(prev.runs[sec])
				}
			}
			rename := syntax.Edit{Start: at + 1, End: at + 1 + len("components"), Text: "parts"}
			got := checkUpdate(t, prev, []syntax.Edit{rename}, rename.Apply(doc))
			back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
			if !got.inc.modelReused || !back.inc.modelReused {
				t.Fatalf("renamed: partial %v (%s); back: partial %v (%s)", got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy)
			}
			// (the schemes dropped alone, their readers kept: compdrop.go;
			// given back, they are checked again with them)
			if got.inc.dropped == 0 && (back.inc.units != got.inc.units || back.inc.checked != got.inc.checked) || back.inc.units < got.inc.units {
				t.Fatalf("back: %d units rebuilt, %d checked again; the drop %d, %d (%d dropped alone)", back.inc.units, back.inc.checked, got.inc.units, got.inc.checked, got.inc.dropped)
			}
			comment := syntax.Edit{Start: at + len("\ncomponents:"), End: at + len("\ncomponents:"), Text: " # parts"}
			repl := checkUpdate(t, prev, []syntax.Edit{comment}, comment.Apply(doc))
			// (with no model section under components, nothing is
			// replaced: componentsBack takes the comment, and here gives
			// up on the security $refs that land on a message)
			// (the units of a give-back with its readers, which the drop
			// alone, and the give-back alone, do not rebuild: compdrop.go)
			if units > 0 && back.inc.givenBack == 0 && (!repl.inc.modelReused || repl.inc.units != back.inc.units+units) {
				t.Fatalf("comment: partial %v (%s), %d units rebuilt; want %d (the give-back's %d and %d given back)", repl.inc.modelReused, repl.inc.modelWhy, repl.inc.units, back.inc.units+units, back.inc.units, units)
			}
			t.Logf("%d component units; dropped and given back with their dependents: %d, replaced: %d", units, got.inc.units, repl.inc.units)
		})
	}
}

// TestSectionReplacedRenamed: one edit over a section's key line and its
// first entry's key (a paste) re-parses the section with as many entries
// as before, one under another key: left to a full build (sectionReplaced:
// the dependents would be paired with the new units by position); with
// one entry more, its units are replaced as a block.
func TestSectionReplacedRenamed(t *testing.T) {
	for _, c := range []struct {
		to      string
		partial bool
	}{
		{"channels: # pasted\n  orderz:", false},
		{"channels: # pasted\n  extra: {address: x}\n  orders:", true},
	} {
		doc := []byte(incV3)
		from := "channels:\n  orders:"
		at := bytes.Index(doc, []byte(from))
		e := syntax.Edit{Start: at, End: at + len(from), Text: c.to}
		prev := Analyze(doc)
		got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(doc))
		if got.inc.path != pathRegion || got.inc.modelReused != c.partial {
			t.Errorf("%q: path %d, partial %v (%s), want %v", c.to, got.inc.path, got.inc.modelReused, got.inc.modelWhy, c.partial)
		}
	}
}

// TestColonBackEmptySection: a section with no entries (`operations: {}`)
// whose colon is typed back after a section gives nothing back: no block
// (colonBackAfterSection), and no internal error on the way.
func TestColonBackEmptySection(t *testing.T) {
	for _, src := range []string{
		"asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  a: {address: a}\n  b: {address: b}\noperations: {}\n",
		"{\n  \"asyncapi\": \"3.0.0\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"channels\": {\n    \"a\": {\"address\": \"a\"}\n  },\n  \"operations\": {}\n}\n",
	} {
		doc := []byte(src)
		colon := bytes.Index(doc, []byte("operations")) + len("operations")
		if doc[colon] == '"' {
			colon++
		}
		del := syntax.Edit{Start: colon, End: colon + 1}
		prev := Analyze(doc)
		got := checkUpdate(t, prev, []syntax.Edit{del}, del.Apply(doc))
		back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
		for _, d := range []*Document{got, back} {
			if d.InternalError() != "" {
				t.Fatalf("internal error: %s", d.InternalError())
			}
		}
		t.Logf("colon deleted: partial %v (%s); typed back: partial %v (%s)", got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy)
	}
}

// TestComponentsColonBackAfterInfo: components right after info loses its
// colon (its text joins info's entry) and gets it back: every model
// section under it is given back as a block (componentsBack), after an
// entry that holds none.
func TestComponentsColonBackAfterInfo(t *testing.T) {
	i, j := strings.Index(compSectionsV3, "\n")+1, strings.Index(compSectionsV3, "\ncomponents:")+1
	info := strings.Index(compSectionsV3[i:], "\n") + i + 1 // the end of info's line
	doc := []byte(compSectionsV3[:info] + compSectionsV3[j:] + compSectionsV3[info:j])
	colon := bytes.Index(doc, []byte("\ncomponents:")) + len("\ncomponents")
	del := syntax.Edit{Start: colon, End: colon + 1}
	prev := Analyze(doc)
	got := checkUpdate(t, prev, []syntax.Edit{del}, del.Apply(doc))
	back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
	if !back.inc.modelReused || back.InternalError() != "" {
		t.Fatalf("colon typed back: partial %v (%s)", back.inc.modelReused, back.inc.modelWhy)
	}
	t.Logf("colon deleted: partial %v (%s); typed back: %d units rebuilt", got.inc.modelReused, got.inc.modelWhy, back.inc.units)
}
