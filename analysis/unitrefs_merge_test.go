package analysis

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestUnitRefListSkipsMergingSections: a cover that lists the units that
// are $refs (a block past unitRefsAfter questions: the root servers' key
// line broken, maxBlock and maxRecheck lifted) in a document with a
// section that merges entries in (component schemes merged from a
// scalar, `<<: foo`: no units in pair order to list) answers through the
// index by target instead (listUnitRefs declines), equal to a cold
// analysis (session 17, branch mutsec).
func TestUnitRefListSkipsMergingSections(t *testing.T) {
	rb, rr := maxBlock, maxRecheck
	defer func() { maxBlock, maxRecheck = rb, rr }()
	maxBlock = func(int) int { return math.MaxInt }
	maxRecheck = func(int) int { return math.MaxInt }
	text := []byte(strings.Replace(unitRefsDoc(80), "components:\n", "components:\n  securitySchemes:\n    <<: foo\n    k: {type: http, scheme: basic}\n", 1))
	prev := Analyze(text)
	if !prev.merges[secSchemes] {
		t.Fatal("the schemes merge nothing in")
	}
	at := bytes.Index(text, []byte("\nservers:"))
	e := syntax.Edit{Start: at + len("\nservers"), End: at + len("\nservers:")}
	got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(text))
	if !got.inc.modelReused || got.inc.units < 2*unitRefsAfter || got.inc.unitRefs != 0 {
		t.Errorf("partial %v (%q), %d units rebuilt, %d questions answered from the list; want the index for all", got.inc.modelReused, got.inc.modelWhy, got.inc.units, got.inc.unitRefs)
	}
}
