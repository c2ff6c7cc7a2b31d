package markertest

import (
	"fmt"
	"sort"
	"strings"
)

// Got is a diagnostic as a runner observed it, in byte offsets of Case.Doc.
type Got struct {
	Code       string
	Start, End int
	Line       int // 0-based line of Start
	Message    string
}

// MatchDiagnostics pairs @diag markers with observed diagnostics one to
// one and returns a description of every marker without a diagnostic and
// every diagnostic without a marker. Markers with a text go first: they
// pin an exact range.
func (c *Case) MatchDiagnostics(got []Got) []string {
	used := make([]bool, len(got))
	var problems []string
	markers := c.Diags()
	sort.SliceStable(markers, func(i, j int) bool { return markers[i].HasText && !markers[j].HasText })
	for _, m := range markers {
		found := false
		for i, g := range got {
			if used[i] || g.Code != m.Code {
				continue
			}
			if m.HasText && (g.Start != m.Start || g.End != m.End) {
				continue
			}
			if !m.HasText && g.Line != m.Line {
				continue
			}
			if m.Message != nil && !m.Message.MatchString(g.Message) {
				continue
			}
			used[i], found = true, true
			break
		}
		if !found {
			var near []string
			for _, g := range got {
				if g.Code == m.Code || g.Line == m.Line {
					near = append(near, fmt.Sprintf("%s on line %d %q: %s", g.Code, g.Line+1, c.text(g.Start, g.End), g.Message))
				}
			}
			msg := fmt.Sprintf("%s: no diagnostic matches @diag(%s, %q, %v)", m.Where, m.Code, m.Text, m.Message)
			if len(near) > 0 {
				msg += "\n\tcandidates: " + strings.Join(near, "\n\t")
			}
			problems = append(problems, msg)
		}
	}
	for i, g := range got {
		if !used[i] {
			problems = append(problems, fmt.Sprintf("%s:%d: unexpected diagnostic %s on %q: %s", c.Path, g.Line+1, g.Code, c.text(g.Start, g.End), g.Message))
		}
	}
	return problems
}

func (c *Case) text(start, end int) string {
	if start < 0 || end > len(c.Doc) || start > end {
		return "?"
	}
	return string(c.Doc[start:end])
}

// Hovers and Completions return the markers of those kinds.
func (c *Case) Hovers() []Marker      { return c.filter(Hover) }
func (c *Case) NoHovers() []Marker    { return c.filter(NoHover) }
func (c *Case) Completions() []Marker { return c.filter(Complete) }
