package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestSectionBackAfterSectionCorpusRefs: the fixes of
// TestSectionBackAfterSectionOnCorpus that README "Session 12 (branch
// secblock)" lists as built whole, each a section's colon deleted and
// typed back after it was moved behind another section: every step equal
// to a cold analysis, and the fix per unit (the first since session 13's
// merges, the two others since session 14).
func TestSectionBackAfterSectionCorpusRefs(t *testing.T) {
	const conv = "converter__from-2.6.0-with-servers-and-channels-components.yml"
	for _, c := range []struct {
		name, file string
		indent     int
		key, after string
		wasWhy     string // why it was built whole
	}{
		// a root server that is a $ref (refs4, secidx)
		{"a root server that is a $ref", "cli__dummy.yml", 0, "servers", "channels", "a section given back changed its entries"},
		// the component channel's server $refs name the root servers:
		// its findings are made by the root channel that is a $ref to it
		// (coverAt covers the channel)
		{"servers after operations, a component channel names them", conv, 0, "servers", "operations", "a diagnostic outside the units"},
		// the root server that is a $ref to a component server reports
		// in it, and the component servers are the section replaced
		// before the schemes (a covered unit of the block)
		{"schemes after the component servers, a root server that $refs one", conv, 2, "securitySchemes", "servers", "a diagnostic outside its unit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(corpusDir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			doc := []byte(moveBlock(t, string(src), c.indent, c.key, c.after))
			prev := Analyze(doc)
			head := []byte("\n" + string(bytes.Repeat([]byte(" "), c.indent)) + c.key + ":")
			at := bytes.Index(doc, head)
			if at < 0 || bytes.Count(doc, head) != 1 {
				t.Fatalf("%q occurs %d times", head, bytes.Count(doc, head))
			}
			colon := at + len(head) - 1
			e := syntax.Edit{Start: colon, End: colon + 1}
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(doc))
			back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
			if back.inc.path != pathRegion || !back.inc.modelReused {
				t.Fatalf("fix: path %d, partial model %v (%q): want a unit rebuild (was built whole: %q)", back.inc.path, back.inc.modelReused, back.inc.modelWhy, c.wasWhy)
			}
		})
	}
}
