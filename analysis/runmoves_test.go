package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// TestDependentRunsMove: a dependent checked again that makes more or
// fewer security sites or operations than before (a unit that is a $ref
// reads them through its target) moves the runs of the units after it
// (inlineMoves), and so does the changed unit when it comes after it in
// build order, whose runs are where the rebuild made them (placedRuns).
// Each update equal to a cold analysis, and per unit (session 14; "a
// dependent unit changed the length of its runs" built whole before).
func TestDependentRunsMove(t *testing.T) {
	for _, c := range []struct {
		name, doc, find, ins string
		backWhy              string // the edit back builds whole for it ("": per unit)
	}{
		// alias reads shared's security through its $ref
		{"3.x component servers' key renamed: a root server that $refs one has no site", refCoverV3,
			"\n  servers:\n    shared:", "\n  servers~:\n    shared:",
			// given back, the section's server is the target of alias,
			// rebuilt with it (refUnitNow: a target in the document)
			"a rebuilt unit is a $ref"},
		{"3.x component server's security renamed: a root server that $refs it has no site", refCoverV3,
			"      security:\n        - $ref: '#/components/securitySchemes/oauth'", "      securityx:\n        - $ref: '#/components/securitySchemes/oauth'", ""},
		// the operation send (a $ref to the component operation, built
		// before it) has its site no longer either
		{"3.x component operation's security renamed: an operation that $refs it, built before it", refCoverV3,
			"      security:\n        - $ref: '#/components/securitySchemes/again'\n  securitySchemes", "      securityx:\n        - $ref: '#/components/securitySchemes/again'\n  securitySchemes", ""},
		{"2.x component channel's publish renamed: a root channel that $refs it has no operation", refCoverV2,
			"      publish:", "      Zublish:", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := Analyze([]byte(c.doc))
			at := strings.Index(c.doc, c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			e := editBetween(prev.Text, []byte(c.doc[:at]+c.ins+c.doc[at+len(c.find):]))
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.path != pathRegion || !got.inc.modelReused {
				t.Fatalf("path %d, partial model %v (%q): want a unit rebuild", got.inc.path, got.inc.modelReused, got.inc.modelWhy)
			}
			moved := false
			for sec := range numSections {
				for i := range min(len(prev.runs[sec]), len(got.runs[sec])) {
					for _, sl := range []int{slSites, slOperations} {
						o, n := prev.runs[sec][i][sl], got.runs[sec][i][sl]
						moved = moved || o[1]-o[0] != n[1]-n[0]
					}
				}
			}
			if !moved {
				t.Fatal("no unit made more or fewer sites or operations: the case tests nothing")
			}
			back := checkUpdate(t, got, []syntax.Edit{edittest.TrimEdit(got.Text, prev.Text)}, prev.Text)
			if c.backWhy != "" {
				if back.inc.modelReused || back.inc.modelWhy != c.backWhy {
					t.Fatalf("back: partial model %v (%q), want a full build (%q)", back.inc.modelReused, back.inc.modelWhy, c.backWhy)
				}
				return
			}
			if back.inc.path != pathRegion || !back.inc.modelReused {
				t.Fatalf("back: path %d, partial model %v (%q): want a unit rebuild", back.inc.path, back.inc.modelReused, back.inc.modelWhy)
			}
		})
	}
}
