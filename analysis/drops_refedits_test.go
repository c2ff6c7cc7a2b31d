package analysis

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestSectionDroppedAloneRecordsNoRefEdit: a section dropped alone whose
// region holds no $ref, before or after, leaves the $ref list as it was,
// and records no edit of it (refEdits, which every later lookup of a
// $ref's place by the index walks, grows only with $refs removed or
// added); one whose region held $refs records that edit (session 17,
// branch mutsec).
func TestSectionDroppedAloneRecordsNoRefEdit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, doc, at string
		edits         int // refEdits recorded by the drop
	}{
		{"component channels, no $ref", dropsV2, "\n  channels:", 0},
		{"channels, a message $ref", dropsV2, "\nchannels:", 1},
	} {
		prev := Analyze([]byte(c.doc))
		e := edited(t, prev.Text, c.at, 0, "x")
		got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if got.inc.dropped == 0 || len(got.refEdits) != len(prev.refEdits)+c.edits {
			t.Errorf("%s: %d units dropped alone (%q), %d $ref edits recorded; want a drop alone recording %d", c.name, got.inc.dropped, got.inc.modelWhy, len(got.refEdits)-len(prev.refEdits), c.edits)
		}
	}
}
