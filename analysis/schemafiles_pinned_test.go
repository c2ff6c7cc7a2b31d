package analysis

import (
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestSyntaxErrorKeepsSchemaFilesPinned pins a gap found in session 14
// (on main too): the schema validation of filesWalks meets the $ref of
// schemes.yaml#/oauth's flows (the model does not follow it: "unknown
// OAuth flow"), and so reads flows.yaml. A syntax error stops the
// validation; a cold analysis of the broken text reads no flows.yaml,
// while a unit rebuild keeps what the previous version knew of other
// files, flows.yaml included. The model and the diagnostics are equal;
// only Files() (and the $refs of other files met) differ, until the
// error is fixed and the whole document is validated again. Which other
// files' $refs only the validation met is not recorded; when it is, they
// can be forgotten here, and this test must then want Files() equal.
func TestSyntaxErrorKeepsSchemaFilesPinned(t *testing.T) {
	opts := writeWorkspace(t, filesWalksShared)
	prev := checkUpdateWith(t, Seed(opts), nil, []byte(filesWalks))
	at := strings.Index(filesWalks, "#/key'\n") + len("#/key")
	e := syntax.Edit{Start: at, End: at + 1} // the closing quote deleted
	text := e.Apply(prev.Text)
	got := Update(prev, []syntax.Edit{e}, text)
	want := AnalyzeWith(text, prev.Options())
	if !got.inc.modelReused {
		t.Fatalf("partial model %v (%q): want a unit rebuild", got.inc.modelReused, got.inc.modelWhy)
	}
	if d := diffDocs(want, got); d != "" {
		t.Fatalf("the model differs from a cold analysis: %s", d)
	}
	flows := func(d *Document) bool {
		return slices.ContainsFunc(d.Files(), func(f string) bool { return strings.HasSuffix(f, "flows.yaml") })
	}
	if !flows(prev) || flows(want) || !flows(got) {
		t.Fatalf("flows.yaml read: before %v, cold %v, updated %v; want true, false, true (the gap pinned)", flows(prev), flows(want), flows(got))
	}
}
