package analysis

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Sections that merge entries in (`<<: {…}`, inline: no anchor, no
// alias). build makes the keys a section writes units first, then those
// its merge keys bring in (pairsMerged), so its units are not its pairs
// in order: the section goes, comes back and is replaced as a block
// (sectionUnits): its key line broken and fixed, a comment after it, its
// colon typed back after a section; a unit of it is rebuilt alone (found
// by its key: merge_unit_test.go), but for one a flow merge's entry
// holds. Every step equals a cold analysis (checkUpdate, which compares
// the sections that merge entries in too).

// mergeBaseV3 and mergeBaseV2 write one entry a line; withMerge moves the
// first entry of a section into a merge key.
const mergeBaseV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  edge: {host: b.example.com, protocol: wss, security: [{$ref: '#/components/securitySchemes/key'}]}
  prod: {host: a.example.com, protocol: mqtt}
channels:
  x: {address: x, servers: [{$ref: '#/servers/edge'}]}
  a: {address: a, servers: [{$ref: '#/servers/prod'}, {$ref: '#/servers/nope'}]}
operations:
  o: {action: send, channel: {$ref: '#/channels/x'}, description: sends}
  p: {action: send, channel: {$ref: '#/channels/a'}, security: [{$ref: '#/components/securitySchemes/merged'}]}
  q: {action: send}
components:
  securitySchemes:
    merged: {type: httpApiKey, name: m, in: header}
    key: {type: httpApiKey, name: k, in: header}
    unused: {type: oauth}
  operationTraits:
    t: {security: [{$ref: '#/components/securitySchemes/key'}]}
    u: {}
  servers:
    spare: {host: c.example.com, protocol: wss}
    more: {host: d.example.com, protocol: wss}
`

const mergeBaseV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  edge: {url: ws://b.example.com, protocol: ws}
  prod: {url: mqtt://a.example.com, protocol: mqtt, security: [{user: []}, {merged: []}]}
channels:
  x: {servers: [edge, nope], publish: {security: [{merged: []}]}}
  a: {servers: [prod], subscribe: {operationId: onA, security: [{user: []}, {missing: []}]}}
components:
  securitySchemes:
    merged: {type: userPassword}
    user: {type: userPassword}
  operationTraits:
    t: {security: [{merged: []}]}
    u: {}
`

// mergeMode says how withMerge writes a section's first entries.
type mergeMode int

const (
	mergeFirst  mergeMode = iota // `<<: {first}`: as many pairs as units
	mergeShadow                  // `<<: [{first}, {second: {}}]`: the second written too, so not a unit
	mergeTwo                     // `<<: {first, second}`: one pair fewer than units
)

func (m mergeMode) String() string { return [...]string{"first", "shadow", "two"}[m] }

// withMerge returns doc with the first entries of the section whose key
// line is head written in a merge key (mode).
func withMerge(t testing.TB, doc, head string, mode mergeMode) string {
	t.Helper()
	at := strings.Index(doc, head+"\n")
	if at < 0 {
		t.Fatalf("no %q", head)
	}
	start := at + len(head) + 1
	end := start + strings.Index(doc[start:], "\n")
	line := doc[start:end]
	trimmed := strings.TrimLeft(line, " ")
	pad := line[:len(line)-len(trimmed)]
	next := doc[end+1:]
	nextLine := next[:strings.Index(next, "\n")]
	switch mode {
	case mergeShadow:
		second := strings.TrimLeft(nextLine[:strings.Index(nextLine, ":")], " ")
		return doc[:start] + pad + "<<: [{" + trimmed + "}, {" + second + ": {}}]" + doc[end:]
	case mergeTwo:
		return doc[:start] + pad + "<<: {" + trimmed + ", " + strings.TrimLeft(nextLine, " ") + "}" + doc[end+1+len(nextLine):]
	}
	return doc[:start] + pad + "<<: {" + trimmed + "}" + doc[end:]
}

func TestSectionMergeBlocks(t *testing.T) {
	t.Parallel()
	type keyEdit struct {
		what     string
		off, del int // from the key's colon
		ins      string
	}
	keyEdits := []keyEdit{{"colon deleted", 0, 1, ""}, {"x after", 1, 0, " x"}, {"comment", 1, 0, " # c"}, {"key x", 0, 0, "x"}, {"tag", 1, 0, " !!map"}}
	heads := map[string][]string{
		mergeBaseV3: {"\nservers:", "\nchannels:", "\noperations:", "\n  securitySchemes:", "\n  operationTraits:", "\n  servers:"},
		mergeBaseV2: {"\nservers:", "\nchannels:", "\n  securitySchemes:", "\n  operationTraits:"},
		// before 2.2 a channel that names an undefined server has no
		// finding: the merged names find the channels
		strings.Replace(mergeBaseV2, "2.6.0", "2.1.0", 1): {"\nservers:"},
	}
	for base, hs := range heads {
		version := base[len("asyncapi: ") : len("asyncapi: ")+5]
		for _, head := range hs {
			for _, mode := range []mergeMode{mergeFirst, mergeShadow, mergeTwo} {
				doc := []byte(withMerge(t, base, head, mode))
				edits := []string{head}
				if strings.HasPrefix(head, "\n  ") {
					// components' key line too: every section under it
					// dropped and given back (componentsDrop, componentsBack)
					edits = append(edits, "\ncomponents:")
				}
				for _, e := range keyEdits {
					for _, line := range edits {
						t.Run(fmt.Sprintf("%s%s/%v/%s%s", version, head, mode, line[1:], e.what), func(t *testing.T) {
							at := bytes.Index(doc, []byte(line+"\n"))
							head := line
							colon := at + len(head) - 1
							ed := syntax.Edit{Start: colon + e.off, End: colon + e.off + e.del, Text: e.ins}
							prev := Analyze(doc)
							if !prev.modelOK || !slices.Contains(prev.merges[:], true) {
								t.Fatal("no section merges entries in")
							}
							got := checkUpdate(t, prev, []syntax.Edit{ed}, ed.Apply(doc))
							back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
							t.Logf("break: partial %v (%s) %d units; fix: partial %v (%s) %d units", got.inc.modelReused, got.inc.modelWhy, got.inc.units, back.inc.modelReused, back.inc.modelWhy, back.inc.units)
							if got.inc.path != pathRegion || back.inc.path != pathRegion {
								t.Fatalf("paths %d, %d: want region re-parses", got.inc.path, back.inc.path)
							}
							if line == "\ncomponents:" && e.what == "colon deleted" && got.inc.modelReused && !back.inc.modelReused {
								// The fix is made from the last good version
								// (lastgood.go), whose region is inside the
								// section that merges entries in, or holds its
								// merge key: built whole.
								return
							}
							if !got.inc.modelReused || !back.inc.modelReused {
								t.Fatalf("break: partial %v (%s); fix: partial %v (%s)", got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy)
							}
						})
					}
				}
			}
		}
	}
	// An edit in a unit of a section that merges entries in, written, or
	// in a unit one of them $refs, is rebuilt per unit (merge_unit_test.go);
	// one in a flow merge's entry (`<<: {…}` or a list: one entry), and one
	// that adds or renames an entry there, build the model whole.
	chans := withMerge(t, mergeBaseV3, "\nchannels:", mergeShadow)
	chansTwo := withMerge(t, mergeBaseV3, "\nchannels:", mergeTwo)
	schemes := withMerge(t, mergeBaseV2, "\n  securitySchemes:", mergeFirst)
	// a merged channel that reads a component message through its $ref
	withMessages := strings.Replace(strings.Replace(mergeBaseV3, "x: {address: x,", "x: {address: x, messages: {m: {$ref: '#/components/messages/m'}},", 1),
		"\ncomponents:\n", "\ncomponents:\n  messages:\n    m: {payload: {type: string}}\n", 1)
	msgs := withMerge(t, withMessages, "\nchannels:", mergeFirst)
	// a merge that only shadows a written scheme: more pairs than units
	onlyShadow := strings.Replace(mergeBaseV3, "    unused: {type: oauth}\n", "    unused: {type: oauth}\n    <<: {key: {type: oauth2, flows: {}}}\n", 1)
	for _, c := range []struct {
		name, src, find, ins string
		partial              bool
	}{
		{"written unit", chans, "{address: a, ", "z", true},
		{"merged unit", chans, "{address: x, ", "z", false},
		{"shadowed merged entry", chans, "{a: {", "address: s", false},
		{"a server a merged channel $refs", chans, "edge: {host: b", "z", true},
		{"an operation on a merged channel", chans, "description: sends", "z", true},
		{"an operation on no channel", chans, "q: {action: send", ", description: d", true},
		{"an operation on no channel, two merged", chansTwo, "q: {action: send", ", description: d", true},
		{"a message a merged channel reads", msgs, "m: {payload: {type: string", "z", true},
		{"inside a merge that only shadows", onlyShadow, "key: {type: oauth2, flows: {", "x: 1", false},
		{"v2 scheme written beside a merge", schemes, "user: {type: userPassword", ", description: d", true},
		{"v2 trait that names a merged scheme", schemes, "t: {security: [{merged: []}]", ", description: d", true},
	} {
		t.Run("edit/"+c.name, func(t *testing.T) {
			doc := []byte(c.src)
			at := bytes.Index(doc, []byte(c.find)) + len(c.find)
			ed := syntax.Edit{Start: at, End: at, Text: c.ins}
			got := checkUpdate(t, Analyze(doc), []syntax.Edit{ed}, ed.Apply(doc))
			if got.inc.path != pathRegion || got.inc.modelReused != c.partial {
				t.Fatalf("path %d, partial %v (%s), want %v", got.inc.path, got.inc.modelReused, got.inc.modelWhy, c.partial)
			}
		})
	}
	// Root servers that merge entries in, given back after a section
	// (colonBackAfterSection): their merged names are looked up too.
	for _, base := range []string{mergeBaseV2, mergeBaseV3} {
		doc := []byte(moveBlock(t, withMerge(t, base, "\nservers:", mergeTwo), 0, "servers", "channels"))
		colon := bytes.Index(doc, []byte("\nservers:")) + len("\nservers")
		del := syntax.Edit{Start: colon, End: colon + 1}
		got := checkUpdate(t, Analyze(doc), []syntax.Edit{del}, del.Apply(doc))
		back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
		if !back.inc.modelReused || !back.merges[secServers] {
			t.Fatalf("servers given back after channels: partial %v (%s)", back.inc.modelReused, back.inc.modelWhy)
		}
	}
}
