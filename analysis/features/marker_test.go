package features

import (
	"flag"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/markertest"
)

var update = flag.Bool("update", false, "rewrite the golden sections of marker cases")

// markerDirs hold the marker cases this package runs.
var markerDirs = []string{"../../testdata/markers", "../../testdata/docs-page"}

func markerCases(t *testing.T) []*markertest.Case {
	t.Helper()
	var cases []*markertest.Case
	for _, dir := range markerDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			c, err := markertest.Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			cases = append(cases, c)
		}
	}
	if len(cases) == 0 {
		t.Fatalf("no marker cases found in %v", markerDirs)
	}
	return cases
}

// nearMissRe reads the prose line that declares a case a negative test:
// "near-miss: code-a, code-b". The 1:1 matching then proves that none of
// those codes is reported.
var nearMissRe = regexp.MustCompile(`(?m)^near-miss:\s*(.+)$`)

func nearMisses(c *markertest.Case) []string {
	var out []string
	for _, m := range nearMissRe.FindAllStringSubmatch(c.Comment, -1) {
		for _, code := range strings.Split(m[1], ",") {
			out = append(out, strings.TrimSpace(code))
		}
	}
	return out
}

// TestMarkers runs Analyze on every marker case and matches diagnostics
// and @diag markers one to one. A case with a -- @security -- section also
// compares the effective-security report (go test -run TestMarkers -update
// rewrites it).
func TestMarkers(t *testing.T) {
	for _, c := range markerCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			d := analyzeCase(c)
			for _, problem := range matchDiagnostics(d, c) {
				t.Error(problem)
			}
			checkFeatureMarkers(t, d, c)
			for _, code := range nearMisses(c) {
				if _, ok := analysis.DefaultSeverity(code); !ok {
					t.Errorf("near-miss: unknown code %q", code)
				}
				for _, m := range c.Diags() {
					if m.Code == code {
						t.Errorf("%s: case declares near-miss %s but expects it", m.Where, code)
					}
				}
			}
			if want, ok := c.Goldens["security"]; ok {
				got := analysis.ReportText("doc", d.SecurityReport())
				if *update {
					if err := markertest.UpdateGoldens(c.Path, map[string]string{"security": got}); err != nil {
						t.Fatal(err)
					}
				} else if got != want {
					t.Errorf("security report\n--- got\n%s--- want\n%s", got, want)
				}
			}
		})
	}
}

// matchDiagnostics pairs markers with diagnostics one to one (the same
// matcher the server-level runner uses).
func matchDiagnostics(d *analysis.Document, c *markertest.Case) []string {
	got := make([]markertest.Got, 0, len(d.Diagnostics))
	for _, g := range d.Diagnostics {
		got = append(got, markertest.Got{Code: g.Code, Start: g.Range.Start, End: g.Range.End, Line: d.Mapper.Line(g.Range.Start), Message: g.Message})
	}
	return c.MatchDiagnostics(got)
}

// TestMarkerCoverage: every diagnostic code has at least one positive case
// (a marker) and one negative case (a near-miss document).
func TestMarkerCoverage(t *testing.T) {
	pos, neg := map[string]int{}, map[string]int{}
	for _, c := range markerCases(t) {
		for _, m := range c.Diags() {
			pos[m.Code]++
		}
		for _, code := range nearMisses(c) {
			neg[code]++
		}
	}
	// The documents of the multi-file fixture (run with a loader by
	// TestMultiFileMarkers in package analysis and through the server).
	docs, err := filepath.Glob("../../testdata/multifile/ws/api/*.yaml")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no multi-file documents: %v", err)
	}
	for _, p := range docs {
		c, err := markertest.ParseDocument(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.Diags() {
			pos[m.Code]++
		}
	}
	for _, code := range analysis.Codes() {
		if pos[code] == 0 {
			t.Errorf("no positive marker case for %s", code)
		}
		if neg[code] == 0 {
			t.Errorf("no near-miss case for %s", code)
		}
		t.Logf("%-34s %3d markers, %2d near-miss cases", code, pos[code], neg[code])
	}
}

// analyzeCase analyzes the case's document, as an edit of its -- before --
// text when it has one (so that the last good model is the before text's).
func analyzeCase(c *markertest.Case) *analysis.Document {
	if c.Before == nil {
		return analysis.Analyze(c.Doc)
	}
	return analysis.Update(analysis.Analyze(c.Before), []syntax.Edit{edittest.TrimEdit(c.Before, c.Doc)}, c.Doc)
}

// checkFeatureMarkers runs the @hover, @nohover and @complete markers
// against the features directly (the server runner does it over JSON-RPC
// and rewrites goldens with -update).
func checkFeatureMarkers(t *testing.T, d *analysis.Document, c *markertest.Case) {
	t.Helper()
	for _, mk := range c.Hovers() {
		got := ""
		if h := HoverAt(d, mk.Offset()); h != nil {
			got = h.Markdown
		}
		if want, ok := c.Goldens[mk.Golden]; ok && strings.TrimSpace(got) != strings.TrimSpace(want) {
			t.Errorf("%s: hover on %q\n--- got\n%s\n--- want\n%s", mk.Where, mk.Text, got, want)
		}
	}
	for _, mk := range c.NoHovers() {
		if h := HoverAt(d, mk.Offset()); h != nil {
			t.Errorf("%s: want no hover on %q, got %q", mk.Where, mk.Text, h.Markdown)
		}
	}
	for _, mk := range c.Completions() {
		var labels []string
		for _, it := range Complete(d, mk.Offset()) {
			labels = append(labels, it.Label)
			if it.Edit.Start > mk.End || it.Edit.End < mk.End {
				t.Errorf("%s: item %q edits %v, which does not hold the cursor", mk.Where, it.Label, it.Edit)
			}
		}
		want := append([]string(nil), mk.Labels...)
		sort.Strings(labels)
		sort.Strings(want)
		if strings.Join(labels, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: completion after %q\n got: %q\nwant: %q", mk.Where, mk.Text, labels, want)
		}
	}
}
