package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestServersBackAfterSectionSkipsSchemeFindings: root servers given back
// after the operations section (the servers' colon typed back after it)
// rebuild and check the operations replaced, the servers and the channels
// that name them (6 units), not a trait outside them whose finding names
// an undefined scheme: the names given back are servers', so only the
// findings of undefined servers are looked up outside the units (session
// 17, branch mutsec).
func TestServersBackAfterSectionSkipsSchemeFindings(t *testing.T) {
	t.Parallel()
	doc := strings.Replace(findingsV3, "      security:\n        - $ref: '#/components/securitySchemes/oauth'\n  schemas:",
		"      security:\n        - $ref: '#/components/securitySchemes/missing'\n  schemas:", 1)
	prev := Analyze([]byte(moveBlock(t, doc, 0, "servers", "operations")))
	e := edited(t, prev.Text, "\nservers:", 1, "")
	got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
	if !back.inc.modelReused || back.inc.units != 6 || back.inc.checked != 6 {
		t.Errorf("servers given back: partial %v (%q), %d units rebuilt, %d checked; want 6 and 6", back.inc.modelReused, back.inc.modelWhy, back.inc.units, back.inc.checked)
	}
}
