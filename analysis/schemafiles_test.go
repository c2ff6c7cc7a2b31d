package analysis

import (
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestSyntaxErrorForgetsSchemaFiles: the schema validation of filesWalks
// meets the $ref of schemes.yaml#/oauth's flows (the model does not follow
// it: "unknown OAuth flow"), and so reads flows.yaml. A syntax error stops
// the validation; a cold analysis of the broken text reads no flows.yaml,
// and neither does a unit rebuild of it (extState.metByValidation: what
// only the validation met is forgotten). Fixing the error validates the
// whole document again, which meets flows.yaml again. (Session 14 pinned
// this gap: the unit rebuild kept flows.yaml in Files().)
func TestSyntaxErrorForgetsSchemaFiles(t *testing.T) {
	opts := writeWorkspace(t, filesWalksShared)
	prev := checkUpdateWith(t, Seed(opts), nil, []byte(filesWalks))
	flows := func(d *Document) bool {
		return slices.ContainsFunc(d.Files(), func(f string) bool { return strings.HasSuffix(f, "flows.yaml") })
	}
	if !flows(prev) {
		t.Fatalf("the valid document's Files() %v: want flows.yaml (the validation met it)", prev.Files())
	}
	at := strings.Index(filesWalks, "#/key'\n") + len("#/key")
	e := syntax.Edit{Start: at, End: at + 1} // the closing quote deleted
	broken := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	if !broken.inc.modelReused {
		t.Fatalf("partial model %v (%q): want a unit rebuild", broken.inc.modelReused, broken.inc.modelWhy)
	}
	if flows(broken) {
		t.Fatalf("the broken document's Files() %v: want no flows.yaml (no validation ran)", broken.Files())
	}
	// A second broken version, then the quote typed back.
	e2 := syntax.Edit{Start: at - 1, End: at - 1, Text: "y"}
	broken = checkUpdateWith(t, broken, []syntax.Edit{e2}, e2.Apply(broken.Text))
	back := syntax.Edit{Start: at + 1, End: at + 1, Text: "'"}
	fixed := checkUpdateWith(t, broken, []syntax.Edit{back}, back.Apply(broken.Text))
	if !flows(fixed) {
		t.Fatalf("the fixed document's Files() %v: want flows.yaml again", fixed.Files())
	}
}

// TestForeignRefMetByModelStays: another file's $ref that the validation
// met first and the model meets later (a unit rebuilt after the validation
// of the previous version) is the model's too, and a version without
// validation keeps it.
func TestForeignRefMetByModelStays(t *testing.T) {
	opts := writeWorkspace(t, filesWalksShared)
	d := AnalyzeWith([]byte(filesWalks), opts)
	if len(d.ext.metByValidation) == 0 {
		t.Fatal("no other file's $ref met by the validation only: the document no longer shows the case")
	}
	for n := range d.ext.metByValidation {
		if d.foreignRef(n) != d.ext.refs[n] {
			t.Fatal("foreignRef made the resolution again")
		}
	}
	if len(d.ext.metByValidation) != 0 {
		t.Fatalf("%d $refs still marked the validation's after the model met them", len(d.ext.metByValidation))
	}
	files := d.Files()
	d.forgetValidationRefs()
	if got := d.Files(); !slices.Equal(got, files) {
		t.Fatalf("Files() after forgetting: %v, want %v (the model met every $ref)", got, files)
	}
}
