package analysis

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// edited returns the edit that deletes del bytes before the end of the
// first occurrence of at in text and types ins there.
func edited(t *testing.T, text []byte, at string, del int, ins string) syntax.Edit {
	t.Helper()
	i := bytes.Index(text, []byte(at))
	if i < 0 {
		t.Fatalf("no %q in\n%s", at, text)
	}
	end := i + len(at)
	return syntax.Edit{Start: end - del, End: end, Text: ins}
}

// TestServersSharedThenEdited: after the root servers dropped as a block,
// with the channels and operations that read them shared (srvlook.go:
// their servers looked up in the new document, kept beside it), edits
// of those units, of the servers and of the block, in a row, each
// against a cold analysis: a shared channel built again, relinked or
// copied later reads its servers as the document finds them, and the
// servers given back and dropped again swap the findings again. 2.x and
// 3.x, YAML and JSON.
func TestServersSharedThenEdited(t *testing.T) {
	t.Parallel()
	type step struct {
		what    string
		at, jat string // the place in YAML, in JSON
		del     int
		ins     string
		shared  bool // the dependents are shared
		partial bool // the update keeps a partial model
	}
	v3 := []step{
		{"servers' colon deleted", "\nservers:", "\n  \"servers\":", 1, "", true, true},
		{"a shared channel's server $ref edited", "servers: [{$ref: '#/servers/s0", "\"$ref\": \"#/servers/s0", 0, "x", false, true},
		{"the edit undone", "#/servers/s0x", "#/servers/s0x", 1, "", false, true},
		{"a shared operation's security edited", "securitySchemes/k1", "securitySchemes/k1", 0, "x", false, true},
		{"a shared channel's address typed", "address: c5", "\"address\": \"c5", 0, "x", false, true},
		{"the servers' colon typed back", "\nservers", "\n  \"servers\"", 0, ":", true, true},
		{"a server's host edited", "a.example.com", "a.example.com", 0, "x", false, true},
		{"its host back", "a.example.comx", "a.example.comx", 1, "", false, true},
		{"a server renamed", "\n  s0", "\n    \"s0", 0, "y", false, true},
		{"its name back", "\n  s0y", "\n    \"s0y", 1, "", false, true},
		{"the servers' key renamed", "\nservers", "\n  \"servers", 0, "x", true, true},
		{"its name back", "\nserversx", "\n  \"serversx", 1, "", true, true},
		{"the security edit undone", "securitySchemes/k1x", "securitySchemes/k1x", 1, "", false, true},
		{"the address back", "c5x", "c5x", 1, "", false, true},
	}
	v2 := []step{
		{"servers' colon deleted", "\nservers:", "\n  \"servers\":", 1, "", true, true},
		{"a shared channel's server name edited", "servers: [s0", "\"servers\": [\n        \"s0", 0, "x", false, true},
		{"the edit undone", "servers: [s0x", "\"servers\": [\n        \"s0x", 1, "", false, true},
		{"a shared operation's security edited", "operationId: o1, security: [{k1", "\"k1", 0, "x", false, true},
		{"the servers' colon typed back", "\nservers", "\n  \"servers\"", 0, ":", true, true},
		{"a server's url edited", "ws://a.example.com", "ws://a.example.com", 0, "x", false, true},
		{"its url back", "ws://a.example.comx", "ws://a.example.comx", 1, "", false, true},
		{"a server renamed", "\n  s1", "\n    \"s1", 0, "y", false, true},
		{"its name back", "\n  s1y", "\n    \"s1y", 1, "", false, true},
		{"the servers' key renamed", "\nservers", "\n  \"servers", 0, "x", true, true},
		{"its name back", "\nserversx", "\n  \"serversx", 1, "", true, true},
		{"the security edit undone", "k1x", "k1x", 1, "", false, true},
	}
	for _, doc := range []struct {
		name  string
		text  string
		steps []step
	}{{"3.0", serverUsersV3, v3}, {"2.6", v2NoRef(t), v2}} {
		for _, json := range []bool{false, true} {
			name := doc.name + map[bool]string{false: " yaml", true: " json"}[json]
			text := []byte(doc.text)
			if json {
				var err error
				if text, err = docgen.ToJSON(text); err != nil {
					t.Fatal(err)
				}
			}
			d := Analyze(text)
			for _, s := range doc.steps {
				at := s.at
				if json {
					at = s.jat
				}
				ed := edited(t, d.Text, at, s.del, s.ins)
				d = checkUpdate(t, d, []syntax.Edit{ed}, ed.Apply(d.Text))
				if d.inc.modelReused != s.partial || (d.inc.srvShared > 0) != s.shared {
					t.Errorf("%s: %s: partial %v (%q), %d shared; want partial %v, shared %v", name, s.what, d.inc.modelReused, d.inc.modelWhy, d.inc.srvShared, s.partial, s.shared)
				}
			}
			if !bytes.Equal(d.Text, text) {
				t.Errorf("%s: the steps do not lead back to the document:\n%s", name, d.Text)
			}
		}
	}
}

// TestServersNotShared: the root servers dropped and given back where the
// units that read them are not shared (srvlook.go: serversLookedUp), each
// step against a cold analysis and nothing shared: a root server that is
// a $ref (its channels' server $refs land, through it, on what it names:
// the dependents built, srvdep.go), an alias in a channel (read through
// no $ref: copied as before), a section of channels that merges entries
// in (its units are not its pairs in order), a root channel that is a
// $ref, an operation on a component channel modelled on the fly, an
// inline trait, a security $ref to an inline scheme (copied or rebuilt
// by session 14's path: not a full build), a security $ref through a
// root server's list; partial where session 14's path is.
func TestServersNotShared(t *testing.T) {
	t.Parallel()
	v2ref := strings.Replace(v2NoRef(t), "  s0: {url: ws://a.example.com, protocol: ws}\n", "  s0: {$ref: '#/components/servers/cs'}\n", 1)
	v2ref = strings.Replace(v2ref, "components:\n", "components:\n  servers:\n    cs: {url: ws://c.example.com, protocol: ws}\n", 1)
	for _, doc := range []struct {
		name, text string
		// partial: the drop, the return keeps a partial model
		partial, partialBack bool
		// parseDecides: whether the drop keeps one is the parser's
		// (an alias: the text may be parsed whole), not this path's
		parseDecides bool
	}{
		{"3.0 $ref server", strings.Replace(serverUsersV3, "  s0: {host: a.example.com, protocol: ws}\n", "  s0: {$ref: '#/components/servers/cs'}\n", 1), true, true, false},
		{"2.6 $ref server", v2ref, true, true, false},
		{"3.0 alias", strings.Replace(strings.Replace(serverUsersV3, "  c5:\n    address: c5\n", "  c5:\n    address: &a c5\n", 1), "  c6:\n    servers: 5\n", "  c6:\n    servers: 5\n    title: *a\n", 1), true, true, true},
		{"3.0 merge", strings.Replace(serverUsersV3, "  c6:\n    servers: 5\n", "  <<: {c7: {servers: [{$ref: '#/servers/s1'}]}}\n  c6:\n    servers: 5\n", 1), true, true, false},
		{"3.0 channel $ref", channelRefV3(t), true, true, false},
		// what a copy cannot reproduce is not shared either: an operation
		// that models a component channel on the fly, an inline trait
		{"3.0 operation on a component channel", strings.Replace(strings.Replace(serverUsersV3, "  o8:", "  o9: {action: send, channel: {$ref: '#/components/channels/cc'}}\n  o8:", 1),
			"components:\n", "components:\n  channels:\n    cc:\n      servers: [{$ref: '#/servers/s0'}]\n", 1), true, true, false},
		{"3.0 inline trait", strings.Replace(serverUsersV3, "  o4: {action: send,", "  o4: {traits: [{summary: s}], action: send,", 1), true, true, false},
		// a security $ref to an inline scheme (the operation's own)
		{"3.0 security $ref to an inline scheme", strings.Replace(serverUsersV3, "  o4: {action: send, channel: {$ref: '#/channels/c4'}}",
			"  o4: {action: send, channel: {$ref: '#/channels/c4'}, security: [{type: http, scheme: basic}, {$ref: '#/operations/o4/security/0'}]}", 1), true, true, false},
		// an operation's security $ref through a root server's security
		// list (resolved again once the servers go, to nothing: neither
		// shared nor copied, a full build)
		{"3.0 security $ref into a server", strings.Replace(serverUsersV3, "  o4: {action: send, channel: {$ref: '#/channels/c4'}}",
			"  o4: {action: send, channel: {$ref: '#/channels/c4'}, security: [{$ref: '#/servers/s1/security/0'}]}", 1), false, false, false},
	} {
		if !strings.Contains(doc.text, "$ref: '#/components/servers/cs'}\n") && !strings.Contains(doc.text, "*a") && !strings.Contains(doc.text, "<<") && !strings.Contains(doc.text, "components/channels/cc") && !strings.Contains(doc.text, "traits") && !strings.Contains(doc.text, "o4/security/0") && !strings.Contains(doc.text, "s1/security/0") {
			t.Fatalf("%s: a replacement missed", doc.name)
		}
		prev := Analyze([]byte(doc.text))
		brk := edited(t, prev.Text, "\nservers:", 1, "")
		got := checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(prev.Text))
		fix := edited(t, got.Text, "\nservers", 0, ":")
		back := checkUpdate(t, got, []syntax.Edit{fix}, fix.Apply(got.Text))
		if got.inc.srvShared != 0 || back.inc.srvShared != 0 {
			t.Errorf("%s: %d and back %d units shared; want none", doc.name, got.inc.srvShared, back.inc.srvShared)
		}
		t.Logf("%s: partial %v (%q), back %v (%q)", doc.name, got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy)
		if got.inc.modelReused != doc.partial && !doc.parseDecides || back.inc.modelReused != doc.partialBack {
			t.Errorf("%s: partial %v (%q), back %v (%q); want %v and %v", doc.name, got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy, doc.partial, doc.partialBack)
		}
	}
}

// TestServersSharedGenerated: the root `servers:` line's colon deleted and
// typed back in the generated documents (every shape, YAML and JSON),
// under the shipped bounds: each update equal to a cold analysis and
// partial, every unit that reads the servers shared (none copied), so
// that the units rebuilt are the servers alone.
func TestServersSharedGenerated(t *testing.T) {
	t.Parallel()
	for _, shape := range docgen.Shapes() {
		for _, json := range []bool{false, true} {
			opts := docgen.Options{TargetBytes: 40 << 10, Seed: 3, Shape: shape}
			text := docgen.Generate(opts)
			key := "\nservers:"
			if json {
				text, key = docgen.GenerateJSON(opts), "\n  \"servers\":"
			}
			d := Analyze(text)
			servers := len(d.Servers)
			brk := edited(t, text, key, 1, "")
			fix := syntax.Edit{Start: brk.Start, End: brk.Start, Text: ":"}
			for i, ed := range []syntax.Edit{brk, fix, brk, fix} {
				d = checkUpdate(t, d, []syntax.Edit{ed}, ed.Apply(d.Text))
				own := d.inc.units - d.inc.srvShared // the servers' (given back: counted as units)
				if !d.inc.modelReused || d.inc.copied != 0 || d.inc.srvShared == 0 || own != servers {
					t.Errorf("%s json %v, step %d: partial %v (%q), %d units, %d copied, %d shared; want partial, none copied, all but the %d servers shared",
						shape, json, i, d.inc.modelReused, d.inc.modelWhy, d.inc.units, d.inc.copied, d.inc.srvShared, servers)
				}
				// Every channel and operation reads the servers (each
				// channel lists one; the operations are on channels), and
				// every unit counts as checked: the servers' rebuilt,
				// the shared ones with their server checks.
				readers := 0
				for _, sec := range []section{secChannels, secCompChannels, secOperations, secCompOperations} {
					readers += len(d.runs[sec])
				}
				if d.inc.srvShared != readers || d.inc.checked != d.inc.units || d.inc.srvChecked != d.inc.srvShared {
					t.Errorf("%s json %v, step %d: %d shared of %d channels and operations, %d of %d units checked, %d with the server checks only; want all of them, all, and the shared",
						shape, json, i, d.inc.srvShared, readers, d.inc.checked, d.inc.units, d.inc.srvChecked)
				}
			}
		}
	}
}

// TestChannelServersOutsideRootNotDuplicate: an entry of a root channel's
// servers list that reaches a root server through the components (a
// $ref to a component server that is a $ref to it) does not apply
// (OutsideRoot, reported as such), so a later entry naming that server
// from the root is its first: not a duplicate. In a short list and in a
// long one (namedServers hashes the entries once the list is long); a
// second root entry is the duplicate.
func TestChannelServersOutsideRootNotDuplicate(t *testing.T) {
	t.Parallel()
	for _, others := range []int{0, 7, 9} {
		var servers, list strings.Builder
		list.WriteString("{$ref: '#/components/servers/cs'}")
		for i := range others {
			fmt.Fprintf(&servers, "  s%d: {host: h%d.example.com, protocol: ws}\n", i, i)
			fmt.Fprintf(&list, ", {$ref: '#/servers/s%d'}", i)
		}
		list.WriteString(", {$ref: '#/servers/p'}, {$ref: '#/servers/p'}")
		d := Analyze([]byte("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers:\n  p: {host: p.example.com, protocol: ws}\n" + servers.String() +
			"channels:\n  c:\n    address: c\n    servers: [" + list.String() + "]\n" +
			"components:\n  servers:\n    cs: {$ref: '#/servers/p'}\n"))
		refs := d.ServersOf(d.Channels[0])
		var got []string
		for _, r := range refs {
			got = append(got, fmt.Sprintf("%s outside %v duplicate %v", r.Name, r.OutsideRoot, r.Duplicate))
		}
		want := []string{"p outside true duplicate false"}
		for i := range others {
			want = append(want, fmt.Sprintf("s%d outside false duplicate false", i))
		}
		want = append(want, "p outside false duplicate false", "p outside false duplicate true")
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%d other servers: entries\n%s\nwant\n%s", others, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		var dups, outside int
		for _, dg := range d.Diagnostics {
			switch dg.Code {
			case CodeChannelServerDuplicate:
				dups++
			case CodeChannelServerUndefined:
				outside++
			}
		}
		if dups != 1 || outside != 1 {
			t.Errorf("%d other servers: %d duplicate and %d outside-root findings, want 1 and 1: %v", others, dups, outside, d.Diagnostics)
		}
	}
}

// TestServersSharedNameDefinedLater: a channel shared across the servers
// block finds its servers as each version's document does (ServersOf),
// not as the version that built it did: an entry that named no server
// when the channel was built (its server came with the block given back,
// renamed in the broken text) names it now, so when that server is
// renamed the channel is checked again (and its entry is undefined
// again); beside a channel whose entry reaches that server through the
// components (not shared: a full build). Each step against a cold
// analysis.
func TestServersSharedNameDefinedLater(t *testing.T) {
	t.Parallel()
	const doc = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s9: {host: a.example.com, protocol: ws}
  s1: {host: b.example.com, protocol: ws}
channels:
  c0:
    address: c0
    servers: [{$ref: '#/servers/s0'}, {$ref: '#/servers/s1'}]
  c1:
    address: c1
    servers: [{$ref: '#/components/servers/cs'}]
  c2:
    address: c1
    servers: [{$ref: '#/servers/s1'}]
operations:
  o0: {action: send, channel: {$ref: '#/channels/c0'}}
  o1: {action: send, channel: {$ref: '#/channels/c1'}}
  o2: {action: send, channel: {$ref: '#/channels/c2'}}
components:
  servers:
    cs: {$ref: '#/servers/s0'}
`
	d := Analyze([]byte(doc))
	for _, s := range []struct {
		what, at string
		del      int
		ins      string
	}{
		{"the servers' colon deleted", "\nservers:", 1, ""},
		{"s9 renamed s0 in the broken text", "\n  s9", 1, "0"},
		{"the servers' colon typed back", "\nservers", 0, ":"},
		{"s0 renamed s05", "\n  s0", 0, "5"},
		{"and back", "\n  s05", 1, ""},
	} {
		e := edited(t, d.Text, s.at, s.del, s.ins)
		d = checkUpdate(t, d, []syntax.Edit{e}, e.Apply(d.Text))
		t.Logf("%s: partial %v (%q), %d shared", s.what, d.inc.modelReused, d.inc.modelWhy, d.inc.srvShared)
	}
}

// TestUnitAtHint: unitAtHint finds the unit unitAt finds for every offset
// of a document, asked in text order (one hint for all: the next unit's
// offsets, then a later one's, then none's), backwards and at random:
// generated documents of every shape, YAML and JSON, and one whose
// channels merge entries in (`<<`: no hint there).
func TestUnitAtHint(t *testing.T) {
	t.Parallel()
	docs := map[string][]byte{
		"merged": []byte("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers:\n  a: {host: h, protocol: ws}\n" +
			"x-base: &base\n  c1: {address: a, servers: [{$ref: '#/servers/a'}]}\nchannels:\n  <<: *base\n  c2: {address: b}\n" +
			"operations:\n  o1: {action: send, channel: {$ref: '#/channels/c2'}}\n  o2: {action: send, channel: {$ref: '#/channels/c1'}}\n"),
	}
	for _, shape := range docgen.Shapes() {
		for _, json := range []bool{false, true} {
			opts := docgen.Options{TargetBytes: 8 << 10, Seed: 3, Shape: shape}
			if json {
				docs[fmt.Sprintf("%s json", shape)] = docgen.GenerateJSON(opts)
			} else {
				docs[string(shape)] = docgen.Generate(opts)
			}
		}
	}
	for name, text := range docs {
		d := Analyze(text)
		var secMaps [numSections]*syntax.Node
		for sec := range numSections {
			if sec.inVersion(d.Version) {
				secMaps[sec] = d.sectionMap(sec)
			}
		}
		orders := map[string][]int{"forward": {}, "backward": {}, "random": {}}
		for p := range len(text) + 1 {
			orders["forward"] = append(orders["forward"], p)
			orders["backward"] = append(orders["backward"], len(text)-p)
		}
		orders["random"] = slices.Clone(orders["forward"])
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(text)+1, func(i, j int) {
			orders["random"][i], orders["random"][j] = orders["random"][j], orders["random"][i]
		})
		for order, ps := range orders {
			var h unitHint
			found := 0
			for _, p := range ps {
				want, wok := d.unitAt(secMaps, p)
				got, ok := d.unitAtHint(secMaps, p, &h)
				if got != want || ok != wok {
					t.Fatalf("%s, %s: offset %d: unitAtHint %v %v, unitAt %v %v", name, order, p, got, ok, want, wok)
				}
				if ok {
					found++
				}
			}
			if found == 0 {
				t.Errorf("%s, %s: no offset in a unit", name, order)
			}
		}
	}
}
