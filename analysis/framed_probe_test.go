package analysis

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

func TestFramedProbe(t *testing.T) {
	for _, frame := range []string{"markers", "bom", "anchors"} {
		doc := framedDoc(frame, 200_000)
		off := docgen.MiddleOperationDescriptionOffset(doc)
		prev := Analyze(doc)
		e := syntax.Edit{Start: off, End: off, Text: "x"}
		d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(doc))
		t.Logf("%s: whole=%q path=%d reason=%q modelReused=%v why=%q", frame, prev.Tree.WholeParseReason(), d.inc.path, d.inc.reason, d.inc.modelReused, d.inc.modelWhy)
	}
}
