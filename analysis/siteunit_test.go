package analysis

import (
	"os"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/internal/wstest"
)

// TestUnitRebuildRequirementInAnotherFile: a 2.x root server that $refs a
// server of another file names a component scheme in its security there
// (servers-v2.yaml's production names oauth). An edit of that scheme, or
// of its name, rebuilds the unit that made the requirement (siteUnit: the
// root server, whose runs hold it), not the whole model; each update
// equal to a cold analysis.
func TestUnitRebuildRequirementInAnotherFile(t *testing.T) {
	w := wstest.Setup(t, "../testdata/multifile/ws")
	text, err := os.ReadFile(w.Path("api/payments-v2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Path: w.Path("api/payments-v2.yaml"), Loader: workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", w.Root), 0)}
	for _, c := range []struct{ name, find, ins string }{
		// a character typed in the scheme's $ref (a 2.x requirement names
		// it: the root server production is rebuilt)
		{"the scheme's $ref typed", "security-v2.yaml#/oauth'", "x"},
		// the scheme renamed: every requirement that names it is checked
		{"the scheme renamed", "    oauth:\n      $ref", "x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := checkUpdateWith(t, Seed(opts), nil, text)
			at := strings.Index(string(text), c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			at += strings.IndexAny(c.find, ":'")
			e := syntax.Edit{Start: at, End: at, Text: c.ins}
			got := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.path != pathRegion || !got.inc.modelReused {
				t.Fatalf("path %d, partial model %v (%q): want a unit rebuild", got.inc.path, got.inc.modelReused, got.inc.modelWhy)
			}
			var secMaps [numSections]*syntax.Node
			for sec := range numSections {
				secMaps[sec] = prev.sectionMap(sec)
			}
			far := 0
			for x, site := range prev.securities {
				if syntax.FileOf(site.sec.Key) == 0 {
					continue
				}
				far++
				if id, ok := prev.siteUnit(secMaps, x); !ok || id != (unitID{secServers, 0}) {
					t.Fatalf("the unit of the requirement in servers-v2.yaml: %v %v, want the root server production", id, ok)
				}
			}
			if far != 1 {
				t.Fatalf("%d security sites in another file, want 1", far)
			}
		})
	}
}
