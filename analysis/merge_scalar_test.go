package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestMergeFromScalarUnitEdited: a model section that merges in what is
// no inline mapping (`<<: foo`) has no index of its units by key
// (newMergeIndex: sectionUnits fails), so an edit in one of its units
// builds the model whole ("the region is in a section that merges entries
// in"), equal to a cold analysis; an edit in another section stays per
// unit; an edit that a unit of such a section reads through a $ref (a
// component message) builds whole too ("a unit to rebuild is in a
// section that merges entries in"). Found in session 17 (branch mutsec):
// the unit was looked up in the missing index (mergedChanged), and the
// reader's pair in the section's units (unitPair), which it has none of:
// a nil dereference or an index out of range, which left an
// internal-error diagnostic and no model.
func TestMergeFromScalarUnitEdited(t *testing.T) {
	t.Parallel()
	const v3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  <<: foo
  a:
    address: a
    messages:
      m: {$ref: '#/components/messages/mm'}
  b:
    address: b
operations:
  o:
    action: send
    channel:
      $ref: '#/channels/b'
components:
  securitySchemes:
    <<: bar
    k: {type: http, scheme: basic}
  messages:
    mm: {payload: {type: string}}
`
	const v2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  <<: foo
  a:
    publish: {operationId: p}
  b:
    subscribe: {operationId: s}
`
	const inMerge = "the region is in a section that merges entries in"
	for _, c := range []struct {
		name, doc, at string
		why           string // why the model is built whole ("": per unit)
	}{
		{"v3 channel a", v3, "address: a", inMerge},
		{"v3 channel b", v3, "address: b", inMerge},
		{"v3 scheme", v3, "scheme: basic", inMerge},
		{"v3 operation", v3, "action: send", ""},
		{"v3 a message a channel $refs", v3, "payload: {type", "a unit to rebuild is in a section that merges entries in"},
		{"v2 channel", v2, "operationId: s", inMerge},
	} {
		prev := Analyze([]byte(c.doc))
		if !prev.merges[secChannels] || prev.mergeIdx[secChannels] != nil {
			t.Fatalf("%s: channels merge %v, index %v; want a merge without an index", c.name, prev.merges[secChannels], prev.mergeIdx[secChannels])
		}
		e := edited(t, prev.Text, c.at, 0, "x")
		got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
		for _, d := range []*Document{got, back} {
			if d.inc.path != pathRegion || d.inc.modelReused != (c.why == "") || d.inc.modelWhy != c.why {
				t.Errorf("%s: path %d, partial %v (%q); want built whole for %q", c.name, d.inc.path, d.inc.modelReused, d.inc.modelWhy, c.why)
			}
		}
	}
}

// TestMergeFromScalarSectionBlocks: a section that merges in what is no
// inline mapping, as a block: replaced (a comment after its key, its
// merge made inline) it is no section replaced as a block (its previous
// units are in no order the region tells: "the region holds a model
// section"), dropped (its colon deleted) its units are not listed ("a
// model section merges entries in from elsewhere"); both built whole,
// equal to a cold analysis, and so is each undo.
func TestMergeFromScalarSectionBlocks(t *testing.T) {
	t.Parallel()
	const doc = `asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  <<: foo
  a:
    address: a
  b:
    address: b
`
	prev := Analyze([]byte(doc))
	for _, c := range []struct{ name, text, why string }{
		{"replaced", strings.Replace(doc, "channels:\n  <<: foo", "channels: # c\n  <<: {x: {address: x}}", 1), "the region holds a model section"},
		{"dropped", strings.Replace(doc, "channels:\n", "channels\n", 1), "a model section merges entries in from elsewhere"},
	} {
		got := checkUpdate(t, prev, []syntax.Edit{editBetween(prev.Text, []byte(c.text))}, []byte(c.text))
		if got.inc.path != pathRegion || got.inc.modelReused || got.inc.modelWhy != c.why {
			t.Errorf("%s: path %d, partial %v (%q); want built whole for %q", c.name, got.inc.path, got.inc.modelReused, got.inc.modelWhy, c.why)
		}
		checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
	}
}

// TestMergeSectionDependentByKey: a root server edited whose dependent is
// a written channel of a section that merges entries in before it
// (`<<:` first: the channel's pair index is not its unit index, the
// entries merged in come after the written ones) rebuilds that channel,
// found by its key (unitAt: mergedUnitAt), not the unit at its pair's
// index; equal to a cold analysis, each way (session 17, branch mutsec).
func TestMergeSectionDependentByKey(t *testing.T) {
	t.Parallel()
	const doc = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s: {host: a.example.com, protocol: ws}
channels:
  <<: {x: {address: x}}
  a:
    address: a
    servers: [{$ref: '#/servers/s'}]
operations:
  o: {action: send, channel: {$ref: '#/channels/a'}}
`
	// and with the channel merged in naming the server too: both
	// channels rebuilt, the written one first (build order), out of text
	// order (their $refs found from each one's place, not from the
	// previous unit's)
	both := strings.Replace(doc, "{x: {address: x}}", "{x: {address: x, servers: [{$ref: '#/servers/s'}]}}", 1)
	for _, c := range []struct {
		doc   string
		units int
	}{{doc, 3}, {both, 4}} {
		prev := Analyze([]byte(c.doc))
		e := edited(t, prev.Text, "protocol: ws", 0, "s")
		got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
		for _, d := range []*Document{got, back} {
			if !d.inc.modelReused || d.inc.units != c.units {
				t.Errorf("partial %v (%q), %d units rebuilt; want %d (the server, the channels on it, the operation)", d.inc.modelReused, d.inc.modelWhy, d.inc.units, c.units)
			}
		}
	}
}
