package analysis

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// Root servers and component schemes given back after a section: a
// section key that follows another model section in the text (servers
// after channels or operations, securitySchemes after operationTraits)
// loses its colon, so its text joins that section's last entry, and gets
// it back (or the text between them is broken and fixed). The section
// before is replaced and the servers or schemes are given back, as
// blocks, in one edit (colonBackAfterSection), with the units that name
// or $ref them checked again. Every step equals a cold analysis
// (checkUpdate), and the fix keeps a partial model.

// serversNamedV2: component channels name the root servers (one of them
// undefined), and the servers come after the root channels.
const serversNamedV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
components:
  channels:
    shared:
      servers: [prod, nope]
      subscribe:
        security: [{user: []}]
    near:
      servers: [prd]
  securitySchemes:
    user: {type: userPassword}
channels:
  a:
    servers: [prod]
    publish: {}
  b:
    publish: {}
servers:
  prod: {url: a.example.com, protocol: mqtt, security: [{user: []}]}
  edge: {url: b.example.com, protocol: mqtt}
`

// serversRefV3: a component channel and a root channel $ref the root
// servers, an operation runs on every server, and the servers come after
// the operations.
const serversRefV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
components:
  channels:
    shared:
      servers: [{$ref: '#/servers/prod'}]
  securitySchemes:
    user: {type: userPassword}
channels:
  a:
    servers: [{$ref: '#/servers/prod'}, {$ref: '#/servers/gone'}]
  b: {}
operations:
  o: {action: send, channel: {$ref: '#/channels/b'}}
  p: {action: send, channel: {$ref: '#/channels/a'}}
servers:
  prod: {host: a.example.com, protocol: mqtt, security: [{$ref: '#/components/securitySchemes/user'}]}
  edge: {host: b.example.com, protocol: mqtt}
`

// serverRefV2: a root server that is a $ref to a component server (in 2.x
// no unit: its target is outside the units), named by a channel; the
// servers come after the root channels. Given back, the server is built
// through its $ref, its target covered (rebuildUnits, addRestored).
const serverRefV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
components:
  servers:
    base: {url: 'mqtt://a.example.com', protocol: mqtt, security: [{user: []}]}
  securitySchemes:
    user: {type: userPassword}
channels:
  a:
    servers: [prod, edge]
    publish: {}
  b:
    publish: {}
servers:
  prod:
    $ref: '#/components/servers/base'
  edge: {url: b.example.com, protocol: mqtt}
`

// serverRefV3: a root server that is a $ref to a component server (a unit
// of components.servers in 3.x), the servers after the operations.
const serverRefV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
components:
  servers:
    base: {host: a.example.com, protocol: mqtt, security: [{$ref: '#/components/securitySchemes/user'}]}
  securitySchemes:
    user: {type: userPassword}
channels:
  a:
    servers: [{$ref: '#/servers/prod'}, {$ref: '#/servers/edge'}]
  b: {}
operations:
  o: {action: send, channel: {$ref: '#/channels/b'}}
  p: {action: send, channel: {$ref: '#/channels/a'}}
servers:
  prod:
    $ref: '#/components/servers/base'
  edge: {host: b.example.com, protocol: mqtt}
`

func TestSectionBackAfterSection(t *testing.T) {
	t.Parallel()
	gen := func(shape docgen.Shape) string { return string(genSmall(shape, false)(t)) }
	type doc struct {
		name, src string
		schemes   bool // the moved section is securitySchemes (else root servers)
	}
	docs := []doc{
		{"v3 findings, servers after operations", moveBlock(t, findingsV3, 0, "servers", "operations"), false},
		{"v3 findings, servers after channels", moveBlock(t, findingsV3, 0, "servers", "channels"), false},
		{"v3 findings, schemes after traits", moveBlock(t, findingsV3, 2, "securitySchemes", "operationTraits"), true},
		{"v2 findings, servers after channels", moveBlock(t, findingsV2, 0, "servers", "channels"), false},
		{"v2.1 findings, servers after channels", moveBlock(t, strings.Replace(findingsV2, "2.6.0", "2.1.0", 1), 0, "servers", "channels"), false},
		{"v2 findings, schemes after traits", moveBlock(t, findingsV2, 2, "securitySchemes", "operationTraits"), true},
		{"v3 inc, servers after operations", moveBlock(t, incV3, 0, "servers", "operations"), false},
		{"v3 sections, schemes after operations", compSectionsV3, true},
		{"v3 sections, servers after channels", moveBlock(t, compSectionsV3, 0, "servers", "channels"), false},
		{"v2 sections, schemes after channels", compSectionsV2, true},
		{"v2 servers named", serversNamedV2, false},
		{"v2 one server named", strings.Replace(serversNamedV2, "  edge: {url: b.example.com, protocol: mqtt}\n", "", 1), false},
		// before 2.2 a channel that names an undefined server has no
		// finding: only the names find the component channels
		{"v2.1 servers named", strings.Replace(serversNamedV2, "2.6.0", "2.1.0", 1), false},
		{"v3 servers $ref", serversRefV3, false},
		{"v2 a server that is a $ref", serverRefV2, false},
		{"v3 a server that is a $ref", serverRefV3, false},
		// a server that is a $ref to another server given back with it:
		// its target is in no covered place (addRestored: refUnitNow)
		{"v2 a server that is a $ref to a server", strings.Replace(serverRefV2, "#/components/servers/base", "#/servers/edge", 1), false},
		{"v3 a server that is a $ref to a server", strings.Replace(serverRefV3, "#/components/servers/base", "#/servers/edge", 1), false},
		{"gen v3, servers after channels", moveBlock(t, gen(docgen.ShapeV3), 0, "servers", "channels"), false},
		{"gen v3, servers after operations", moveBlock(t, gen(docgen.ShapeV3), 0, "servers", "operations"), false},
		{"gen v26, servers after channels", moveBlock(t, gen(docgen.ShapeV26), 0, "servers", "channels"), false},
		{"gen wide, servers after operations", moveBlock(t, gen(docgen.ShapeWide), 0, "servers", "operations"), false},
	}
	type edit struct {
		what     string
		off, del int // from the key's colon
		ins      string
	}
	for _, dc := range docs {
		for _, json := range []bool{false, true} {
			text := []byte(dc.src)
			head, edits := "\nservers:", []edit{{"colon deleted", 0, 1, ""}, {"x after", 1, 0, " x"}, {"key x", -1, 0, "x"}, {"comment", 1, 0, " # c"}}
			if dc.schemes {
				head = "\n  securitySchemes:"
			}
			// the text between the sections broken: a keyless line at the
			// parent's indent before the key
			edits = append(edits, edit{"keyless line", -len(head) + 1, 0, "\nfoo"})
			name := dc.name
			if json {
				js, err := docgen.ToJSON(text)
				if err != nil {
					t.Fatal(err)
				}
				text, name = js, name+" json"
				head = "\n  \"servers\":"
				if dc.schemes {
					head = "\n    \"securitySchemes\":"
				}
				edits = []edit{{"colon deleted", 0, 1, ""}, {"quote", 1, 0, ` "`}, {"key x", -1, 0, "x"}, {"member", 3, 0, "\n    \"x\": "}}
			}
			for _, e := range edits {
				t.Run(name+"/"+e.what, func(t *testing.T) {
					at := bytes.Index(text, []byte(head))
					if at < 0 || bytes.LastIndex(text, []byte(head)) != at {
						t.Fatalf("%q occurs %d times", head, bytes.Count(text, []byte(head)))
					}
					colon := at + len(head) - 1
					ed := syntax.Edit{Start: colon + e.off, End: colon + e.off + e.del, Text: e.ins}
					prev := Analyze(text)
					if len(prev.Diagnostics) == 0 && strings.Contains(dc.name, "findings") {
						t.Fatal("no findings")
					}
					got := checkUpdate(t, prev, []syntax.Edit{ed}, ed.Apply(text))
					back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, text)}, text)
					t.Logf("break: path %d partial %v (%s) %d units; fix: path %d partial %v (%s) %d units, %d checked",
						got.inc.path, got.inc.modelReused, got.inc.modelWhy, got.inc.units, back.inc.path, back.inc.modelReused, back.inc.modelWhy, back.inc.units, back.inc.checked)
					if got.inc.path == pathRegion && !got.inc.modelReused {
						t.Errorf("break: the model was built whole (%s)", got.inc.modelWhy)
					}
					if json && dc.name == "v3 sections, schemes after operations" && e.what == "member" {
						// The broken text's region for the undo no longer
						// starts with a key (the scheme's '{' that "x"
						// swallowed is never closed): the text is parsed
						// whole (a syntax-side case).
						if back.inc.path != pathAnalyze {
							t.Fatalf("fix: path %d, want a whole parse", back.inc.path)
						}
						return
					}
					if strings.HasSuffix(dc.name, "to a server") && e.what != "comment" && e.what != "keyless line" && e.what != "member" {
						// Given back, the server's target is in the
						// region (the servers given back with it):
						// refCover refuses it. (A comment or a keyless
						// line replaces the section instead.)
						if why := "a rebuilt unit is a $ref into the region"; back.inc.modelWhy != why {
							t.Fatalf("fix: partial model %v (%q), want a full build (%q)", back.inc.modelReused, back.inc.modelWhy, why)
						}
						return
					}
					// (A server that is a $ref, its key renamed: the
					// renamed entry, outside the units, held the server's
					// $ref, which lands on the target the server given
					// back is built through. No $ref reaches that entry:
					// no unit reads it (coverReaders, session 14; a full
					// build before).)
					if back.inc.path != pathRegion || !back.inc.modelReused {
						t.Fatalf("fix: path %d, partial model %v (%s)", back.inc.path, back.inc.modelReused, back.inc.modelWhy)
					}
				})
			}
		}
	}
}

// TestSectionBackAfterSectionOnCorpus moves, in every YAML document of the
// corpus, the root servers after the last root model section and the
// component schemes after another model section under components, then
// deletes the moved key's colon (or types a keyless line before it) and
// undoes it: each step equals a cold analysis, and the fixes that keep a
// partial model are counted (the others are logged with their reasons:
// mostly blocks over maxBlock, where every channel names the servers).
// (Every other document by default: corpusSample.)
func TestSectionBackAfterSectionOnCorpus(t *testing.T) {
	t.Parallel()
	var tally breakFixTally
	tally.whys = map[string]int{}
	for _, f := range corpusSample(corpusFiles(t, "")) {
		if strings.HasSuffix(f, ".json") {
			continue
		}
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(text)
		type move struct {
			indent      int
			name, after string
		}
		var moves []move
		last := ""
		for _, k := range []string{"channels", "operations"} {
			if i := strings.Index(src, "\n"+k+":"); i >= 0 && (last == "" || i > strings.Index(src, "\n"+last+":")) {
				last = k
			}
		}
		if last != "" && strings.Count(src, "\nservers:") == 1 {
			moves = append(moves, move{0, "servers", last})
		}
		if strings.Count(src, "\n  securitySchemes:") == 1 {
			for _, k := range []string{"operationTraits", "servers", "channels", "operations"} {
				if strings.Count(src, "\n  "+k+":") == 1 && strings.Index(src, "\ncomponents:") < strings.Index(src, "\n  "+k+":") {
					moves = append(moves, move{2, "securitySchemes", k})
					break
				}
			}
		}
		for _, m := range moves {
			doc := []byte(moveBlock(t, src, m.indent, m.name, m.after))
			prev := Analyze(doc)
			if !prev.modelOK || hasSyntaxError(prev) || len(prev.runs[secServers])+len(prev.runs[secSchemes]) == 0 {
				continue // (a comment at column 0 inside a block, a flow section: not moved whole)
			}
			head := "\n" + strings.Repeat(" ", m.indent) + m.name + ":"
			at := bytes.Index(doc, []byte(head))
			colon := at + len(head) - 1
			for _, e := range []syntax.Edit{{Start: colon, End: colon + 1}, {Start: at, End: at, Text: "\n" + strings.Repeat(" ", max(0, m.indent-2)) + "foo"}} {
				step := fmt.Sprintf("%s: %s after %s, %q", filepath.Base(f), m.name, m.after, e.Text)
				t.Run(step, func(t *testing.T) {
					got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(doc))
					back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
					tally.breaks++
					if got.inc.modelReused {
						tally.dropped++
					}
					tally.fixes++
					if back.inc.modelReused && back.inc.path == pathRegion {
						tally.restored++
					} else {
						tally.whys[back.inc.modelWhy+back.inc.reason]++
						t.Logf("fix built whole: %s%s", back.inc.modelWhy, back.inc.reason)
					}
				})
			}
		}
	}
	tally.report(t, 10)
}

// TestNonUnitEntriesBackAfterSection: an entry that holds no units (info,
// components.schemas, components.messages) whose colon is typed back after
// a model section: the section is replaced and the entry given back (its
// $refs resolved again) without a full build (colonBackAfterSection).
func TestNonUnitEntriesBackAfterSection(t *testing.T) {
	t.Parallel()
	schemesLast := moveBlock(t, findingsV3, 2, "securitySchemes", "operationTraits")
	for _, c := range []struct {
		name, src, key string
		partial        bool
	}{
		{"schemas after schemes", schemesLast, "\n  schemas:", true},
		// (a diagnostic kept explains a unit rebuilt: built whole)
		{"messages after schemas", schemesLast, "\n  messages:", false},
		{"info after operations", moveBlock(t, findingsV3, 0, "info", "operations"), "\ninfo:", true},
		{"v2 info after channels", moveBlock(t, findingsV2, 0, "info", "channels"), "\ninfo:", true},
		{"v2 components after channels", findingsV2, "\ncomponents:", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := []byte(c.src)
			colon := bytes.Index(doc, []byte(c.key)) + len(c.key) - 1
			e := syntax.Edit{Start: colon, End: colon + 1}
			got := checkUpdate(t, Analyze(doc), []syntax.Edit{e}, e.Apply(doc))
			back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
			if back.inc.path != pathRegion || back.inc.modelReused != c.partial {
				t.Fatalf("colon typed back: path %d, partial %v (%s), want %v", back.inc.path, back.inc.modelReused, back.inc.modelWhy, c.partial)
			}
		})
	}
}

// TestComponentsBackAfterServers: components typed back after the root
// servers (its colon deleted, its text had joined the last server): the
// servers are replaced and every section under components given back; a
// requirement that names no scheme (`usr`) is checked again, its hint
// names the schemes given back. Near misses, built whole or not, equal to
// a cold analysis: a second components key (prev read it: the first is
// not given back), and the sections after operations whose last entry's
// '}' was deleted and typed back.
func TestComponentsBackAfterServers(t *testing.T) {
	t.Parallel()
	const v2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  a:
    publish:
      security: [{usr: []}, {user: []}]
servers:
  prod: {url: a.example.com, protocol: mqtt, security: [{user: []}]}
components:
  securitySchemes:
    user: {type: userPassword}
  operationTraits:
    t: {security: [{usr: []}]}
`
	second := strings.Replace(v2, "\ncomponents:\n", "\ncomponents:\n  securitySchemes:\n    other: {type: userPassword}\ncomponents:\n", 1)
	const v3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
operations:
  o: {action: send, channel: {$ref: '#/channels/c'}}
  p: {action: send, channel: {$ref: '#/channels/c'}}
channels:
  c: {address: c, servers: [{$ref: '#/servers/prod'}]}
servers:
  prod: {host: a.example.com, protocol: mqtt}
`
	for _, c := range []struct {
		name, src, find string
		del             int // bytes deleted after find (its last byte first)
		partial         bool
	}{
		{"v2 components after servers", v2, "\ncomponents:", 1, true},
		{"v2 second components key", second, "\ncomponents:", 1, false},
		{"v3 channels and servers after operations", v3, "channel: {$ref: '#/channels/c'}}\nchannels", 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := []byte(c.src)
			at := bytes.Index(doc, []byte(c.find)) + len(c.find) - c.del
			if c.find == "\ncomponents:" {
				at = bytes.Index(doc, []byte(c.find)) + len(c.find) - 1
			} else {
				at = bytes.Index(doc, []byte(c.find)) + len("channel: {$ref: '#/channels/c'}")
			}
			e := syntax.Edit{Start: at, End: at + c.del}
			prev := Analyze(doc)
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(doc))
			back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
			t.Logf("break: partial %v (%s); fix: path %d partial %v (%s) %d units", got.inc.modelReused, got.inc.modelWhy, back.inc.path, back.inc.modelReused, back.inc.modelWhy, back.inc.units)
			if c.partial && (back.inc.path != pathRegion || !back.inc.modelReused) {
				t.Fatalf("fix: path %d, partial %v (%s)", back.inc.path, back.inc.modelReused, back.inc.modelWhy)
			}
		})
	}
}
