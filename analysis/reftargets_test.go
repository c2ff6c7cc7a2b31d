package analysis

import (
	"fmt"
	"slices"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

const refHoldersDoc = `asyncapi: 3.0.0
info: {title: T, version: '1'}
servers:
  prod:
    host: h
    protocol: https
    security:
      - $ref: '#/components/securitySchemes/k'
channels:
  c:
    address: c
    servers:
      - $ref: '#/servers/prod'
operations:
  op:
    action: send
    channel:
      $ref: '#/channels/c'
    security:
      - $ref: '#/components/securitySchemes/k'
components:
  securitySchemes:
    k:
      type: X509
`

// TestRefHoldersFound: where the $refs of a holder are in a later
// version's list. A holder of the full build's list is found where that
// list and the unit rebuilds since (refEdits) put it, through at most
// maxRefEdits rebuilds; one a rebuild's region held, one the full build
// did not have, or one whose place the list does not confirm is searched
// for by position instead (appendHeld answers false). Either way the
// answer (refIndexes) is every index whose $ref the holder holds, and no
// other.
func TestRefHoldersFound(t *testing.T) {
	const k = 2 // the operation's channel $ref: two before it, one after
	cases := []struct {
		name string
		// change makes the later version's list and refEdits from the full
		// build's; it returns the holder looked up
		change func(d *Document) *syntax.Node
		found  bool // where the edits put it
	}{
		{"no rebuild since", func(d *Document) *syntax.Node { return d.Refs[k].Holder }, true},
		{"after a rebuild before it that added $refs", func(d *Document) *syntax.Node {
			h := d.Refs[k].Holder
			// the channel's $ref resolved again, a second $ref beside it
			r0 := d.Refs[1]
			again := []*Ref{{Holder: r0.Holder, Value: r0.Value, Target: r0.Target, Local: true}, {Holder: r0.Holder, Value: r0.Value, Target: r0.Target, Local: true}}
			d.Refs = slices.Concat(d.Refs[:1], again, d.Refs[2:])
			d.refEdits = []refEdit{{at: 1, removed: 1, added: 2}}
			return h
		}, true},
		{"in the region of a rebuild", func(d *Document) *syntax.Node {
			h := d.Refs[k].Holder
			d.refEdits = []refEdit{{at: k, removed: 1, added: 1}}
			return h
		}, false},
		{"a holder the full build did not have", func(d *Document) *syntax.Node {
			return d.Tree.Root().Key("info")
		}, false},
		{"maxRefEdits rebuilds since", func(d *Document) *syntax.Node {
			d.refEdits = make([]refEdit, maxRefEdits) // each after the last $ref, changing none
			for i := range d.refEdits {
				d.refEdits[i].at = len(d.Refs)
			}
			return d.Refs[k].Holder
		}, true},
		{"one rebuild more", func(d *Document) *syntax.Node {
			d.refEdits = make([]refEdit, maxRefEdits+1)
			for i := range d.refEdits {
				d.refEdits[i].at = len(d.Refs)
			}
			return d.Refs[k].Holder
		}, false},
		// The edits below do not say what changed: the list is not where
		// they put the holder, and the lookup must not trust them.
		{"the list ends where the holder would be", func(d *Document) *syntax.Node {
			h := d.Refs[k].Holder
			d.Refs = d.Refs[:k]
			return h
		}, false},
		{"another holder where the holder would be", func(d *Document) *syntax.Node {
			h := d.Refs[k].Holder
			d.Refs = slices.Concat(d.Refs[:k], d.Refs[k+1:])
			return h
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Analyze([]byte(refHoldersDoc))
			if len(d.Refs) != 4 || d.Refs[k].Target != "#/channels/c" {
				t.Fatalf("the document's $refs changed: %d", len(d.Refs))
			}
			d.targets.once.Do(d.targets.build)
			h := c.change(d)
			var want []int
			for i, r := range d.Refs {
				if r.Holder == h {
					want = append(want, i)
				}
			}
			got, found := d.appendHeld(nil, h)
			if found != c.found {
				t.Fatalf("found where the edits put it: %v, want %v (indexes %v)", found, c.found, got)
			}
			if found && !slices.Equal(got, want) {
				t.Errorf("found at %v, want %v", got, want)
			}
			if got := d.refIndexes([]*syntax.Node{h, h}); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("refIndexes: %v, want %v", got, want)
			}
		})
	}
}
