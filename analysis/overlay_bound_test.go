package analysis

// Tests of the bound on what a chain of unit rebuilds accumulates over
// the full build it started from (maxOverlay, rebuildUnits): the chain
// goes on up to the bound and starts afresh past it (session 17, branch
// mutmodel).

import (
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// overlayChainDoc is a 3.0 document whose channel c0 holds k message
// $refs, each through a second $ref (two pointers read each), with a
// root server, a component scheme and a second channel to edit.
func overlayChainDoc(k int) []byte {
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers:\n  s0: {host: h, protocol: ws, description: d}\n" +
		"channels:\n  c0:\n    address: a\n    messages:\n")
	for i := range k {
		fmt.Fprintf(&b, "      m%d: {$ref: '#/components/messages/a'}\n", i)
	}
	b.WriteString("  c1:\n    address: b\ncomponents:\n  messages:\n    a: {$ref: '#/components/messages/b'}\n" +
		"    b: {payload: {type: string}}\n  securitySchemes:\n    k: {type: userPassword, description: d}\n")
	return []byte(b.String())
}

// overlaySum is what maxOverlay bounds in a document a unit rebuild made.
func overlaySum(d *Document) int {
	return len(d.refOver) + len(d.schemeOver) + len(d.serverOver) + len(d.channelOver)
}

// chainEdit types ins after the first at in d's text, by Update.
func chainEdit(t *testing.T, d *Document, at, ins string) *Document {
	t.Helper()
	e := edited(t, d.Text, at, 0, ins)
	got := Update(d, []syntax.Edit{e}, e.Apply(d.Text))
	if !got.inc.modelReused {
		t.Fatalf("typing %q after %q: the model was built whole (%q)", ins, at, got.inc.modelWhy)
	}
	return got
}

// TestChainOverlaysBound: a chain of unit rebuilds goes on while the
// overlays it accumulated over the full build's model — the $refs made or
// copied since, the schemes, servers and channels rebuilt since — hold at
// most maxOverlay entries in all, each kind counted; past it the next
// edit builds the model whole (and a chain starts afresh from it).
func TestChainOverlaysBound(t *testing.T) {
	t.Parallel()
	// One edit per kind, then c0's address: every $ref of c0 copied
	// (k), the server rebuilt (2: its node and the one before it), the
	// scheme (1) and two channels (2): k + 5.
	const extra = 5
	for _, c := range []struct {
		sum   int
		whole bool
	}{{maxOverlay, false}, {maxOverlay + 1, true}} {
		d := Analyze(overlayChainDoc(c.sum - extra))
		d = chainEdit(t, d, "ws, description: d", "x")
		d = chainEdit(t, d, "userPassword, description: d", "x")
		d = chainEdit(t, d, "address: b", "x")
		d = chainEdit(t, d, "address: a", "x")
		if got := overlaySum(d); got != c.sum || len(d.schemeOver) == 0 || len(d.serverOver) == 0 || len(d.channelOver) == 0 {
			t.Fatalf("the chain's overlays hold %d (%d $refs, %d schemes, %d servers, %d channels); want %d, each kind",
				got, len(d.refOver), len(d.schemeOver), len(d.serverOver), len(d.channelOver), c.sum)
		}
		e := edited(t, d.Text, "address: bx", 0, "y")
		got := checkUpdate(t, d, []syntax.Edit{e}, e.Apply(d.Text))
		if got.inc.modelReused == c.whole || c.whole && got.inc.modelWhy != "the version or the previous model differs" {
			t.Errorf("overlays of %d (bound %d): partial %v (%q); want whole %v", c.sum, maxOverlay, got.inc.modelReused, got.inc.modelWhy, c.whole)
		}
		if c.whole {
			if overlaySum(got) != 0 {
				t.Errorf("the full build past the bound kept %d overlays", overlaySum(got))
			}
			chainEdit(t, got, "address: bxy", "z") // a chain again
		}
	}
}

// TestChainTargetsSinceBound: a chain of unit rebuilds goes on while the
// pointers read by the $refs made since the full build (targetsSince,
// which the index of $refs by target does not hold) are at most
// maxOverlay; past it the next edit builds the model whole.
func TestChainTargetsSinceBound(t *testing.T) {
	t.Parallel()
	// A comment after c0's `messages:` makes its k $refs again, each
	// reading two pointers.
	for _, c := range []struct {
		k     int
		whole bool
	}{{maxOverlay / 2, false}, {maxOverlay/2 + 1, true}} {
		d := Analyze(overlayChainDoc(c.k))
		d = chainEdit(t, d, "    messages:", " # c")
		if len(d.targetsSince) != 2*c.k || overlaySum(d) > maxOverlay {
			t.Fatalf("%d pointers read since the full build, overlays %d; want %d, at most %d", len(d.targetsSince), overlaySum(d), 2*c.k, maxOverlay)
		}
		e := edited(t, d.Text, "address: b", 0, "x")
		got := checkUpdate(t, d, []syntax.Edit{e}, e.Apply(d.Text))
		if got.inc.modelReused == c.whole || c.whole && got.inc.modelWhy != "too many $refs changed since the full build" {
			t.Errorf("%d pointers since the full build (bound %d): partial %v (%q); want whole %v", len(d.targetsSince), maxOverlay, got.inc.modelReused, got.inc.modelWhy, c.whole)
		}
	}
}
