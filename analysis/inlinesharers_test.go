package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestUnitRebuildInlineSharerNotChecked: certA (no channel: `channelx`)
// made the inline scheme of more.yaml#/cert that certB shares; the
// component schemes' key renamed rebuilds it without checking it for
// sure, and it is then built again, not relinked. It is checked with
// certB (appendInlineSharers for a unit not checked for sure), so that
// certA makes the scheme anew and certB finds it, as a full build does:
// per unit and equal to a cold analysis (session 14; "a rebuilt unit
// made an inline scheme other units share" built whole before), and so
// is the edit back.
func TestUnitRebuildInlineSharerNotChecked(t *testing.T) {
	opts := filesWorkspace(t)
	text := strings.Replace(filesMain, "    channel:\n      $ref: '#/channels/audit'\n    description: the first", "    channelx:\n      $ref: '#/channels/audit'\n    description: the first", 1)
	prev := checkUpdateWith(t, Seed(opts), nil, []byte(text))
	at := strings.Index(text, "  securitySchemes:\n")
	e := syntax.Edit{Start: at + 2, End: at + 2, Text: "securityx"}
	got := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	if got.inc.path != pathRegion || !got.inc.modelReused {
		t.Fatalf("path %d, partial model %v (%q): want a unit rebuild", got.inc.path, got.inc.modelReused, got.inc.modelWhy)
	}
	var certA, certB *Operation
	for _, op := range got.Operations {
		switch op.Name {
		case "certA":
			certA = op
		case "certB":
			certB = op
		}
	}
	if certA == nil || certB == nil || certA.Security == nil || certB.Security == nil {
		t.Fatalf("certA %v, certB %v: want both with security", certA, certB)
	}
	a, b := certA.Security.Alternatives[0].Entries[0].Scheme, certB.Security.Alternatives[0].Entries[0].Scheme
	if a == nil || a != b || !a.Inline {
		t.Fatalf("certA's scheme %v, certB's %v: want one inline scheme", a, b)
	}
	back := syntax.Edit{Start: at + 2, End: at + 2 + len("securityx"), Text: ""}
	if got := checkUpdateWith(t, got, []syntax.Edit{back}, back.Apply(got.Text)); !got.inc.modelReused {
		t.Fatalf("back: partial model %v (%q): want a unit rebuild", got.inc.modelReused, got.inc.modelWhy)
	}
}
