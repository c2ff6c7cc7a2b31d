package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestUpdateEntry: what Update does before any region re-parse. Every
// case's result equals a cold analysis of the new text; the path says
// whether Update could use prev.
func TestUpdateEntry(t *testing.T) {
	prev := Analyze([]byte(incV3))
	at := strings.Index(incV3, "Sends an order")
	typed := syntax.Edit{Start: at, End: at, Text: "x"}
	cases := []struct {
		name   string
		prev   *Document
		edits  []syntax.Edit
		text   []byte
		path   updatePath
		reason string // why it analyzed the text afresh ("" for none)
		same   bool   // the result is prev itself
	}{
		{"no previous version", nil, []syntax.Edit{typed}, typed.Apply(prev.Text), pathAnalyze, "", false},
		{"a previous version with no tree", &Document{}, []syntax.Edit{{Text: "x"}}, []byte("x"), pathAnalyze, "", false},
		{"a keystroke", prev, []syntax.Edit{typed}, typed.Apply(prev.Text), pathRegion, "", false},
		{"no edits, same text", prev, nil, prev.Text, pathAnalyze, "", true},
		{"no edits, other text", prev, nil, typed.Apply(prev.Text), pathAnalyze, "edits do not match the texts", false},
		{"edits that do not make the text", prev, []syntax.Edit{typed}, typed.Apply(typed.Apply(prev.Text)), pathAnalyze, "edits do not match the texts", false},
		{"edits, but the same text", prev, []syntax.Edit{typed}, prev.Text, pathAnalyze, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Update(c.prev, c.edits, c.text)
			if s := diffDocs(Analyze(c.text), got); s != "" {
				t.Fatalf("Update differs from Analyze: %s", s)
			}
			if (got == c.prev) != c.same {
				t.Fatalf("the result is prev itself: %v, want %v", got == c.prev, c.same)
			}
			if got.inc.path != c.path || got.inc.reason != c.reason {
				t.Fatalf("path %d (%q), want %d (%q)", got.inc.path, got.inc.reason, c.path, c.reason)
			}
		})
	}
}

// TestUpdateFromLastGood: when a broken version cannot be updated by
// region (here the editor sends the fixed text as one edit over the whole
// document), Update updates the last good version instead, by the one
// edit between the two texts. A bug on that second path is reported like
// one on the first: a correct Document from a full analysis whose
// InternalError says what happened.
func TestUpdateFromLastGood(t *testing.T) {
	good := Analyze([]byte(lastGoodDoc))
	broken := typeAt(t, good, "'#/components/securitySchemes/k'\n", "      - scopes: [a, \n")
	if broken.LastGood() != good {
		t.Fatal("the broken version does not remember the good one")
	}
	fixed := []byte(strings.Replace(lastGoodDoc, "type: X509", "type: X509\n      description: d", 1))
	whole := []syntax.Edit{{Start: 0, End: len(broken.Text), Text: string(fixed)}}
	if d, reason, _ := safeRegionUpdate(broken, whole, fixed, applied{}); d != nil || reason == "" {
		t.Fatalf("the broken version was updated by region (%q): the case tests nothing", reason)
	}

	got := checkUpdate(t, broken, whole, fixed)
	if got.inc.path != pathRegion || !got.inc.modelReused {
		t.Fatalf("path %d, model reused %v (%q, %q): want a region update of the last good version", got.inc.path, got.inc.modelReused, got.inc.reason, got.inc.modelWhy)
	}

	regionUpdates := 0
	testHookRegionUpdate = func() {
		if regionUpdates++; regionUpdates == 2 { // the one from the last good version
			panic("injected")
		}
	}
	defer func() { testHookRegionUpdate = nil }()
	recoverUpdatePanics = true
	got = Update(broken, whole, fixed)
	recoverUpdatePanics = false
	if regionUpdates != 2 {
		t.Fatalf("%d region updates, want the broken version's and the last good one's", regionUpdates)
	}
	if s := diffDocs(Analyze(fixed), got); s != "" {
		t.Fatalf("the recovered Document differs from a full analysis: %s", s)
	}
	if ie := got.InternalError(); !strings.HasPrefix(ie, "internal error: injected") || got.inc.reason != "internal error: injected" {
		t.Fatalf("InternalError = %q, reason %q: want the panic of the update from the last good version", ie, got.inc.reason)
	}
}
