package analysis

// Tests that pin the scope of an incremental update (how many units are
// rebuilt, checked again, relinked, which targets are covered) where a
// guard of the per-unit path keeps it small, each named by what it
// specifies (session 16, branch mutcost: each kills a mutant of
// refholder.go or model_inc.go that lived before).

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestServersSharedChannelEditedOpsRelinked: after the root servers'
// colon is deleted (their channels and operations shared, srvlook.go), a
// channel's address typed into rebuilds that channel and relinks the
// operation on it: the servers the channel is on, as the document finds
// them now (ServersOf: none defined), are what they were in the version
// that shared it, so the operation's audits read nothing new.
func TestServersSharedChannelEditedOpsRelinked(t *testing.T) {
	t.Parallel()
	doc := strings.Replace(serverUsersV3, "  c0:\n    servers: [{$ref: '#/servers/s0'}]\n", "  c0:\n    servers: [{$ref: '#/servers/s0'}]\n    address: a0\n", 1)
	prev := Analyze([]byte(doc))
	brk := edited(t, prev.Text, "\nservers:", 1, "")
	shared := checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(prev.Text))
	typed := edited(t, shared.Text, "address: a0", 0, "x")
	got := checkUpdate(t, shared, []syntax.Edit{typed}, typed.Apply(shared.Text))
	if shared.inc.srvShared == 0 {
		t.Fatalf("no unit shared when the servers went (%q)", shared.inc.modelWhy)
	}
	if !got.inc.modelReused || got.inc.units != 2 || got.inc.checked != 1 || got.inc.relinked != 1 {
		t.Errorf("partial %v (%q), %d units rebuilt, %d checked, %d relinked; want 2 units: the channel checked, its operation relinked",
			got.inc.modelReused, got.inc.modelWhy, got.inc.units, got.inc.checked, got.inc.relinked)
	}
}

// TestOperationEditedCoversOnlyClaimingChannels: an operation edited whose
// channel $ref lands on a channel that needs no cover — a root channel
// (modelled as such, not on the fly), a component channel that claims no
// $ref (no server $refs) — rebuilds the operation alone: no target is covered (refCover.newChannel
// covers only a channel the operation models on the fly and whose $refs
// it claims), no other unit is rebuilt.
func TestOperationEditedCoversOnlyClaimingChannels(t *testing.T) {
	t.Parallel()
	rootChannel := `asyncapi: 3.0.0
servers:
  prod: {host: prod.example.com, protocol: ws}
channels:
  orders:
    servers:
      - $ref: '#/servers/prod'
operations:
  send:
    action: send
    channel:
      $ref: '#/channels/orders'
  recv:
    action: receive
    channel:
      $ref: '#/channels/orders'
`
	for _, c := range []struct {
		name, doc string
		units     int
	}{
		{"a root channel", rootChannel, 1},
		{"a component channel with no server $refs", refOnTheFlyNoServers, 1},
	} {
		prev := Analyze([]byte(c.doc))
		e := edited(t, prev.Text, "    channel:", 0, " ")
		got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
		for _, d := range []*Document{got, back} {
			if !d.inc.modelReused || d.inc.units != c.units || d.inc.covered != 0 {
				t.Errorf("%s: partial %v (%q), %d units rebuilt, %d targets covered; want %d, none covered", c.name, d.inc.modelReused, d.inc.modelWhy, d.inc.units, d.inc.covered, c.units)
			}
		}
	}
}

// TestInPlaceInlineSchemeReaderNotChecked: an operation whose security
// scheme is written in place (its own inline scheme, not a $ref target)
// is edited; another operation $refs that scheme. The edited operation is
// rebuilt and checked, the other rebuilt (its $ref resolved again) but not
// checked again: a scheme written in place is its unit's own
// (appendInPlaceInline), not an inline scheme of a $ref target that its
// sharers make anew (appendInlineSharers skips it).
func TestInPlaceInlineSchemeReaderNotChecked(t *testing.T) {
	t.Parallel()
	const doc = `asyncapi: 3.0.0
info: {title: t, version: '1'}
operations:
  o4:
    action: send
    security:
      - type: http
        scheme: basic
  o5:
    action: send
    security:
      - $ref: '#/operations/o4/security/0'
  o6:
    action: send
`
	prev := Analyze([]byte(doc))
	e := edited(t, prev.Text, "action: send", 0, "x")
	got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
	for _, d := range []*Document{got, back} {
		if !d.inc.modelReused || d.inc.units != 2 || d.inc.checked != 1 {
			t.Errorf("partial %v (%q), %d units rebuilt, %d checked; want 2 rebuilt (o4, o5), 1 checked (o4)", d.inc.modelReused, d.inc.modelWhy, d.inc.units, d.inc.checked)
		}
	}
}
