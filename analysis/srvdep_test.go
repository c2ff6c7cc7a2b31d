package analysis

import (
	"bytes"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// serverUsersV3 is a 3.0 document whose channels use the root servers in
// every way a channel may: a $ref to each, one listed twice, one to a
// component server (outside the root), one undefined, a bare name, none
// (its operation runs on every server), and a list that is no list.
// (A root channel that is a $ref to a component channel on a root server
// is left out: the component channel's findings are outside the units,
// and giving the servers back is built whole, as before: "a diagnostic
// outside the units".)
// s0 is cleartext (ws): the operations on it that ask for credentials are
// reported (insecure-transport), and no longer once the servers go; so is
// an operation on s1, which is secured, that empties its own security
// (empty-override).
const serverUsersV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s0: {host: a.example.com, protocol: ws}
  s1: {host: b.example.com, protocol: wss, security: [{$ref: '#/components/securitySchemes/k0'}]}
channels:
  c0:
    servers: [{$ref: '#/servers/s0'}]
  c1:
    servers: [{$ref: '#/servers/s1'}, {$ref: '#/servers/s1'}]
  c2:
    servers: [{$ref: '#/components/servers/cs'}]
  c3:
    servers: [{$ref: '#/servers/s9'}]
  c4:
    servers: [s0]
  c5:
    address: c5
  c6:
    servers: 5
operations:
  o0: {action: send, channel: {$ref: '#/channels/c0'}, security: [{$ref: '#/components/securitySchemes/k0'}]}
  o1: {action: send, channel: {$ref: '#/channels/c1'}, security: [{$ref: '#/components/securitySchemes/k1'}]}
  o2: {action: send, channel: {$ref: '#/channels/c2'}}
  o3: {action: send, channel: {$ref: '#/channels/c3'}}
  o4: {action: send, channel: {$ref: '#/channels/c4'}}
  o5: {action: send, channel: {$ref: '#/channels/c5'}, security: [{$ref: '#/components/securitySchemes/k0'}]}
  o6: {action: send, channel: {$ref: '#/channels/c6'}}
  o8: {action: send, channel: {$ref: '#/channels/c1'}, security: []}
components:
  servers:
    cs: {host: c.example.com, protocol: ws}
  securitySchemes:
    k0: {type: httpApiKey, name: k, in: query}
    k1: {type: http, scheme: basic}
`

// serverUsersV2 is serverUsersV3 in 2.6.0: channels name their servers (one
// twice, one undefined, none, a list that is no list), the operations
// are the channels' own, and a root channel is a $ref to a component
// channel; more component channels name the servers.
const serverUsersV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  s0: {url: ws://a.example.com, protocol: ws}
  s1: {url: wss://b.example.com, protocol: wss, security: [{k0: []}]}
channels:
  c0:
    servers: [s0]
    publish: {operationId: o0, security: [{k0: []}]}
  c1:
    servers: [s1, s1]
    publish: {operationId: o1, security: [{k1: []}]}
  c3:
    servers: [s9]
    publish: {operationId: o3}
  c5:
    publish: {operationId: o5, security: [{k0: []}]}
  c6:
    servers: 5
    publish: {operationId: o6}
  c7:
    $ref: '#/components/channels/cc'
components:
  channels:
    cc:
      servers: [s0]
      publish: {operationId: o7, security: [{k1: []}]}
    cd: {servers: [s1]}
    ce: {servers: [s1]}
    cf: {servers: [s0, s0]}
    cg: {servers: [s9]}
  securitySchemes:
    k0: {type: httpApiKey, name: k, in: query}
    k1: {type: userPassword}
`

// TestServersDependentsCopied: the root servers dropped, given back,
// replaced, renamed, added to and taken from, 2.x and 3.x, YAML and JSON;
// each edit and its undo equal to a cold analysis, with the channels that
// use the servers and the operations on them copied and checked again
// (srvdep.go), not built again, where the block or the server moved.
func TestServersDependentsCopied(t *testing.T) {
	t.Parallel()
	type edit struct {
		what    string
		at      string // the edit is at the end of the first occurrence
		lineEnd bool   // at the end of its line instead
		del     int    // bytes deleted before that place
		ins     string
		copies  bool // some dependents are copied (both ways)
		// oneWay: the undo is parsed whole (a whole entry deleted is not
		// inside one entry): only the edit is asserted partial
		oneWay bool
	}
	yamlEdits := []edit{
		{"colon deleted", "\nservers:", false, 1, "", true, false},
		{"text after the colon", "\nservers:", false, 0, "x", true, false},
		{"quote after the colon", "\nservers:", false, 0, " '", true, false},
		{"key renamed", "\nservers", false, 0, "x", true, false},
		{"comment after the key", "\nservers:", false, 0, " # note", true, false},
		{"a server's colon deleted", "\n  s1:", false, 1, "", true, false},
		{"a server renamed", "\n  s0", false, 0, "x", true, false},
		{"a server added", "\n  s1:", true, 0, "\n  s2: {host: d.example.com, protocol: ws}", true, true},
		{"a server's host edited", "a.example.com", false, 0, "x", false, false},
	}
	jsonEdits := []edit{
		{"colon deleted", "\n  \"servers\":", false, 1, "", true, false},
		{"key renamed", "\n  \"servers", false, 0, "x", true, false},
		{"a member typed first", "\n  \"servers\": {", false, 0, "\n    \"x\": ", true, false},
		{"a server's colon deleted", "\n    \"s1\":", false, 1, "", true, false},
		{"a server renamed", "\n    \"s0", false, 0, "x", true, false},
	}
	// the edits that drop the block of servers and give it back
	blockEdits := map[string]bool{"colon deleted": true, "text after the colon": true, "quote after the colon": true, "key renamed": true}
	for _, doc := range []struct {
		name string
		text string
		// wholeBack: the edit whose undo is not this path's (the
		// servers' colon typed back after components, an entry that
		// holds sections: built whole, "the region holds a model
		// section", or given back with components replaced)
		wholeBack string
		// When the block of servers goes or comes back, every unit that
		// depends on it is copied but notCopied (built again: a root
		// channel that is a $ref, checked with its target), and all that
		// are copied run the server checks only but fullChecks (copied and
		// checked whole: a component channel whose operation a root
		// channel's $ref reaches).
		notCopied, fullChecks int
	}{
		{"3.0", serverUsersV3, "", 0, 0}, {"2.6", serverUsersV2, "", 1, 1}, {"2.1", strings.Replace(serverUsersV2, "2.6.0", "2.1.0", 1), "", 1, 1},
		// the servers last (their units come first in build order), and
		// the components first (2.x component channels, built after the
		// root ones, come first in the text)
		{"3.0 servers last", rootsAfter(t, serverUsersV3, "servers", "channels"), "colon deleted", 0, 0}, {"2.6 servers last", rootsAfter(t, serverUsersV2, "servers", "channels"), "colon deleted", 1, 1},
		{"2.6 components first", rootsAfter(t, serverUsersV2, "channels", "components"), "", 1, 1},
		// a root channel that is a $ref to a component channel whose
		// servers are a root one and a component one (outside the root
		// for a channel written there, not for one that $refs it): its
		// findings are outside the units, so the servers given back are
		// built whole ("a diagnostic outside the units")
		{"3.0 channel $ref", channelRefV3(t), "*", 1, 1},
		// no channel that is a $ref: the dependents are shared, not
		// copied (srvlook.go), in 2.x too; before 2.2 every operation
		// runs on every server
		{"2.6 no $ref", v2NoRef(t), "", 0, 0}, {"2.1 no $ref", strings.Replace(v2NoRef(t), "2.6.0", "2.1.0", 1), "", 0, 0},
		{"2.6 no $ref components first", rootsAfter(t, v2NoRef(t), "channels", "components"), "", 0, 0},
	} {
		for _, json := range []bool{false, true} {
			text := []byte(doc.text)
			edits := yamlEdits
			if json {
				var err error
				if text, err = docgen.ToJSON(text); err != nil {
					t.Fatal(err)
				}
				edits = jsonEdits
			}
			prev := Analyze(text)
			if len(prev.Diagnostics) < 3 {
				t.Fatalf("%s: %d findings, want some", doc.name, len(prev.Diagnostics))
			}
			for _, e := range edits {
				name := doc.name + " " + map[bool]string{false: "yaml", true: "json"}[json] + ": " + e.what
				at := bytes.Index(text, []byte(e.at))
				if at < 0 {
					t.Fatalf("%s: no %q", name, e.at)
				}
				end := at + len(e.at)
				if e.lineEnd {
					end += bytes.IndexByte(text[end:], '\n')
				}
				ed := syntax.Edit{Start: end - e.del, End: end, Text: e.ins}
				got := checkUpdate(t, prev, []syntax.Edit{ed}, ed.Apply(text))
				back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, text)}, text)
				t.Logf("%s: %d units rebuilt, %d copied, %d shared, %d of them server checks only (%q); back %d, %d, %d, %d (%q)", name, got.inc.units, got.inc.copied, got.inc.srvShared, got.inc.srvChecked, got.inc.modelWhy,
					back.inc.units, back.inc.copied, back.inc.srvShared, back.inc.srvChecked, back.inc.modelWhy)
				if e.what == doc.wholeBack || doc.wholeBack == "*" {
					t.Logf("%s: given back by another path (partial %v: %q)", name, back.inc.modelReused, back.inc.modelWhy)
					back = got // (equal to a cold analysis, above)
				}
				if e.oneWay {
					back = got // (equal to a cold analysis, above)
				}
				if !got.inc.modelReused || !back.inc.modelReused {
					t.Errorf("%s: partial model %v (%q), back %v (%q); want both", name, got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy)
					continue
				}
				// (copied, or shared: srvlook.go)
				gotC, backC := got.inc.copied+got.inc.srvShared, back.inc.copied+back.inc.srvShared
				if e.copies && (gotC == 0 || backC == 0) {
					t.Errorf("%s: %d and back %d dependents copied or shared; want some both ways", name, gotC, backC)
				}
				if !e.copies && (gotC != 0 || backC != 0) {
					t.Errorf("%s: %d and back %d dependents copied or shared; want none (the servers did not move)", name, gotC, backC)
				}
				if !blockEdits[e.what] {
					continue
				}
				steps := []*Document{got, back}
				if back == got {
					steps = steps[:1]
				}
				for _, x := range steps {
					// (the two servers dropped or given back are built)
					want := x.inc.units - 2 - doc.notCopied
					if x.inc.copied+x.inc.srvShared != want || x.inc.srvChecked != want-doc.fullChecks {
						t.Errorf("%s: %d of %d units copied or shared, %d of them with the server checks only; want %d and %d", name, x.inc.copied+x.inc.srvShared, x.inc.units, x.inc.srvChecked, want, want-doc.fullChecks)
					}
					// Where no channel's or operation's unit is a $ref,
					// the dependents are all shared, none copied
					// (srvlook.go); elsewhere all copied, as before.
					if shared := map[bool]int{true: want, false: 0}[doc.notCopied == 0]; x.inc.srvShared != shared {
						t.Errorf("%s: %d of %d units shared; want %d", name, x.inc.srvShared, x.inc.units, shared)
					}
				}
			}
		}
	}
}

// rootsAfter moves the root entries of a YAML document from the key
// first up to the key then to its end: with "servers" and "channels" the
// servers go last; with "channels" and "components" (the last) the
// components come before the channels.
func rootsAfter(t *testing.T, doc, first, then string) string {
	t.Helper()
	from := strings.Index(doc, "\n"+first+":\n")
	to := strings.Index(doc, "\n"+then+":\n")
	if from < 0 || to < from {
		t.Fatalf("no %s before %s", first, then)
	}
	return doc[:from+1] + doc[to+1:] + doc[from+1:to+1]
}

// v2NoRef is serverUsersV2 without its root channel that is a $ref.
func v2NoRef(t *testing.T) string {
	t.Helper()
	doc := strings.Replace(serverUsersV2, "  c7:\n    $ref: '#/components/channels/cc'\n", "", 1)
	if doc == serverUsersV2 {
		t.Fatal("v2NoRef: the replacement missed")
	}
	return doc
}

// channelRefV3 is serverUsersV3 with a root channel that is a $ref to a
// component channel on a root server and a component server.
func channelRefV3(t *testing.T) string {
	t.Helper()
	doc := strings.Replace(serverUsersV3, "  c6:\n    servers: 5\n", "  c6:\n    servers: 5\n  c7:\n    $ref: '#/components/channels/cc'\n", 1)
	doc = strings.Replace(doc, "  o8:", "  o7: {action: send, channel: {$ref: '#/channels/c7'}, security: [{$ref: '#/components/securitySchemes/k1'}]}\n  o8:", 1)
	doc = strings.Replace(doc, "components:\n  servers:\n    cs: {host: c.example.com, protocol: ws}\n",
		"components:\n  servers:\n    cs: {host: c.example.com, protocol: ws}\n  channels:\n    cc:\n      servers: [{$ref: '#/servers/s0'}, {$ref: '#/components/servers/cs'}]\n", 1)
	if !strings.Contains(doc, "$ref: '#/components/channels/cc'") || !strings.Contains(doc, "    cc:\n") || !strings.Contains(doc, "  o7:") {
		t.Fatal("channelRefV3: a replacement missed")
	}
	return doc
}

// TestServersThatAreRefs: a root server that is a $ref makes a channel's
// server $ref land, through it, on what that $ref names; here a scheme,
// whose uses count the channel's $ref. Deleting the server's $ref line
// (and typing it back) changes the scheme's uses through a channel that
// no edit touched: the dependents are built, not copied, and each update
// equals a cold analysis (the copy had kept the scheme "used").
func TestServersThatAreRefs(t *testing.T) {
	doc := `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  prod:
    $ref: '#/components/securitySchemes/key'
  local:
    host: local.example.com
    protocol: ws
channels:
  orders:
    address: orders
    servers:
      - $ref: '#/servers/prod'
components:
  securitySchemes:
    key:
      type: userPassword
`
	line := "    $ref: '#/components/securitySchemes/key'\n"
	at := strings.Index(doc, line)
	del := syntax.Edit{Start: at, End: at + len(line)}
	prev := Analyze([]byte(doc))
	gone := checkUpdate(t, prev, []syntax.Edit{del}, del.Apply([]byte(doc)))
	if !withCode(gone.Diagnostics, "security-unused-scheme") {
		t.Errorf("the scheme is no longer used, want its hint: %v", gone.Diagnostics)
	}
	back := syntax.Edit{Start: at, End: at, Text: line}
	again := checkUpdate(t, gone, []syntax.Edit{back}, []byte(doc))
	if withCode(again.Diagnostics, "security-unused-scheme") {
		t.Errorf("the scheme is used again, want no hint: %v", again.Diagnostics)
	}
}

// withCode reports whether one of ds has the code.
func withCode(ds []syntax.Diagnostic, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}
