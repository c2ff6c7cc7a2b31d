package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestRelinkReadsThroughRefs: an operation whose security $ref leads to a
// node outside components.securitySchemes depends on that node's content
// (it becomes an inline scheme once it looks like one), so typing there
// must not merely relink the operation; typing into a message it
// references (which its model never reads) rebuilds none of its users:
// only the $refs that lead there are resolved again (kept).
func TestRelinkReadsThroughRefs(t *testing.T) {
	const doc = `asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  c:
    address: c
    messages:
      m:
        $ref: '#/components/messages/m'
operations:
  op:
    action: send
    channel:
      $ref: '#/channels/c'
    security:
      - $ref: '#/components/schemas/maybeScheme'
components:
  messages:
    m:
      description: a message
  schemas:
    maybeScheme:
      type: object
`
	cases := []struct {
		name, old, new string
		relinked       bool // the update may relink a dependent
		kept           bool // the dependents are not rebuilt: their objects are the previous version's
	}{
		{"the $ref's target becomes a scheme", "type: object", "type: httpApiKey", false, false},
		{"a message the channel references", "description: a message", "description: a message!", false, true},
	}
	const doc2 = `asyncapi: 2.6.0
info: {title: T, version: '1'}
channels:
  c:
    publish:
      $ref: '#/x-ops/pub'
x-ops:
  pub:
    operationId: sendIt
`
	cases = append(cases, []struct {
		name, old, new string
		relinked       bool
		kept           bool
	}{
		{"2.x: the operation a channel's $ref leads to", "operationId: sendIt", "operationId: sendItNow", false, false},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := doc
			if strings.HasPrefix(c.name, "2.x") {
				doc = doc2
			}
			prev := Analyze([]byte(doc))
			at := strings.Index(doc, c.old)
			e := syntax.Edit{Start: at, End: at + len(c.old), Text: c.new}
			d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if d.inc.path != pathRegion {
				t.Fatalf("full path: %s", d.inc.reason)
			}
			if got := d.inc.relinked > 0; got != c.relinked {
				t.Errorf("relinked %d units (model: %q)", d.inc.relinked, d.inc.modelWhy)
			}
			if got := d.inc.modelReused && d.inc.units == 0 && d.Channels[0] == prev.Channels[0] && d.Operations[0] == prev.Operations[0]; got != c.kept {
				t.Errorf("dependents kept: %v, want %v (%d units rebuilt, model: %q)", got, c.kept, d.inc.units, d.inc.modelWhy)
			}
		})
	}
}

// TestRelinkOperationWithTraits: a description typed into a server
// changes nothing its users' checks read, so the channel on it and the
// operation on that channel are relinked (copied with their pointers
// swapped), also when the operation applies traits of
// components.operationTraits; an operation with a trait written inline is
// built again (the copy does not reproduce an object that is in no list).
// The previous version is left as it was.
func TestRelinkOperationWithTraits(t *testing.T) {
	const doc = `asyncapi: 3.0.0
info: {title: T, version: '1'}
servers:
  s:
    host: h
    protocol: https
    description: a server
channels:
  c:
    address: c
    servers:
      - $ref: '#/servers/s'
operations:
  op:
    action: send
    channel:
      $ref: '#/channels/c'
    traits:
      - TRAIT
components:
  operationTraits:
    t:
      description: a trait
`
	for _, c := range []struct {
		name, trait string
		relinked    int // the channel, and the operation when it can be
	}{
		{"a trait of components", "$ref: '#/components/operationTraits/t'", 2},
		{"an inline trait", "description: inline", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := strings.Replace(doc, "TRAIT", c.trait, 1)
			prev := Analyze([]byte(text))
			at := strings.Index(text, "a server") + len("a server")
			e := syntax.Edit{Start: at, End: at, Text: "!"}
			d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if !d.inc.modelReused || d.inc.units != 3 || d.inc.relinked != c.relinked {
				t.Fatalf("model reused %v (%q), %d units rebuilt, %d relinked; want 3, %d relinked", d.inc.modelReused, d.inc.modelWhy, d.inc.units, d.inc.relinked, c.relinked)
			}
			if d.Operations[0].Channel != d.Channels[0] {
				t.Error("the operation does not point to the new channel")
			}
			// The previous version is still read (a request that started
			// on it, LastGood): the copies share nothing it holds.
			if s := diffDocs(Analyze(prev.Text), prev); s != "" {
				t.Errorf("the previous version changed: %s", s)
			}
		})
	}
}
