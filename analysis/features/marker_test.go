package features

import (
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
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
			d := analysis.Analyze(c.Doc)
			for _, problem := range matchDiagnostics(d, c) {
				t.Error(problem)
			}
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
