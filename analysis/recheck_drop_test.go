package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestRecheckBoundSparesDroppedUnits: the bound on the units a rebuild
// checks again (maxRecheck) counts those that make something; the units a
// block drops make nothing and cost nothing to check, so a section of
// four operations dropped as a block (its key line broken; the drop that
// keeps the readers, maxDrop, switched off) stays partial under a bound
// of none, while one operation edited under it builds the model whole.
// (session 17, branch mutmodel)
func TestRecheckBoundSparesDroppedUnits(t *testing.T) {
	defer saveBlockBounds()()
	rr := maxRecheck
	defer func() { maxRecheck = rr }()
	maxDrop = func(int) int { return -1 }
	maxRecheck = func(int) int { return 0 }
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c0: {address: a}\noperations:\n")
	for _, n := range []string{"o0", "o1", "o2", "o3"} {
		b.WriteString("  " + n + ":\n    action: send\n    channel: {$ref: '#/channels/c0'}\n")
	}
	prev := Analyze([]byte(b.String()))
	brk := edited(t, prev.Text, "\noperations", 0, "x")
	got := checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(prev.Text))
	if !got.inc.modelReused || got.inc.units != 4 || got.inc.checked != 4 {
		t.Errorf("operations dropped, a bound of 0: partial %v (%q), %d units, %d checked; want the 4 dropped, partial", got.inc.modelReused, got.inc.modelWhy, got.inc.units, got.inc.checked)
	}
	one := edited(t, prev.Text, "action: send", 0, "x")
	if got := checkUpdate(t, prev, []syntax.Edit{one}, one.Apply(prev.Text)); got.inc.modelReused || got.inc.modelWhy != "too many units to check again" {
		t.Errorf("an operation edited, a bound of 0: partial %v (%q); want built whole", got.inc.modelReused, got.inc.modelWhy)
	}
}
