package features

import (
	"sort"
	"strconv"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// SecurityHint is the effective security of one operation in one short
// line, shown after the operation's key (an inlay hint, or a code lens for
// clients without inlay hints), with the full detail as its tooltip.
type SecurityHint struct {
	Operation string
	// At is the offset the hint follows: right after the operation key's
	// colon (or the key itself when the colon is not next to it).
	At int
	// Line is the short form: servers' alternatives AND the operation's,
	// "|" between alternatives, "+" between schemes that must all hold,
	// scopes abbreviated after the first two.
	Line    string
	Tooltip string // Markdown, the hover's detail
}

// SecurityHints returns a hint for every operation of d, in document order.
func SecurityHints(d *analysis.Document) []SecurityHint {
	if d == nil {
		return nil
	}
	return SecurityHintsIn(d, syntax.Range{Start: 0, End: len(d.Text)})
}

// SecurityHintsIn returns the hints placed inside r (an editor asks for
// the lines it shows): only those operations' effective security is
// worked out.
func SecurityHintsIn(d *analysis.Document, r syntax.Range) []SecurityHint {
	if d == nil || d.Root == nil || !d.IsAsyncAPI {
		return nil
	}
	var out []SecurityHint
	for _, op := range d.Operations {
		if op.Key == nil {
			continue
		}
		at := d.R(op.Key).End
		if at < len(d.Text) && d.Text[at] == ':' {
			at++
		}
		if at < r.Start || at > r.End {
			continue
		}
		out = append(out, SecurityHint{Operation: op.Name, At: at, Line: securityLine(d, op), Tooltip: EffectiveMarkdown(d, op)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

// securityLine renders the effective security of op on one line.
func securityLine(d *analysis.Document, op *analysis.Operation) string {
	if op.Problem != "" {
		return "security: unknown (the operation cannot be read)"
	}
	e := d.EffectiveSecurity(op)
	// Servers with the same alternatives are shown once; servers whose
	// content cannot be read, and channel entries naming no usable server,
	// are "unknown".
	var groups []string
	byAlts := map[string][]string{}
	add := func(alts, name string) {
		if _, seen := byAlts[alts]; !seen {
			groups = append(groups, alts)
		}
		byAlts[alts] = append(byAlts[alts], name)
	}
	for _, s := range e.Servers {
		alts := alternativesLine(d.Needs(s.Security))
		if s.Problem != "" {
			alts = "unknown"
		}
		add(alts, s.Name)
	}
	for _, name := range e.Unmatched {
		add("unknown", name)
	}
	var server string
	switch {
	case e.ServersInvalid || e.ChannelProblem != "":
		server = "servers unknown"
		groups = []string{server}
	case len(groups) == 0:
		server = "no server"
	case len(groups) == 1:
		server = groups[0]
	default:
		parts := make([]string, len(groups))
		for i, g := range groups {
			parts[i] = strings.Join(byAlts[g], ", ") + ": " + g
		}
		server = strings.Join(parts, "; ")
	}
	layer := d.Needs(e.Layer)
	switch {
	case len(layer) == 0 && (len(groups) == 0 || (len(groups) == 1 && groups[0] == "none")):
		return "security: none"
	case len(layer) == 0:
		return "security: " + server
	}
	return "security: " + group(server) + " AND " + group(alternativesLine(layer))
}

// group parenthesizes a list of alternatives (or of servers) next to AND.
func group(s string) string {
	if strings.Contains(s, " | ") || strings.Contains(s, "; ") {
		return "(" + s + ")"
	}
	return s
}

// alternativesLine writes alternatives as "a + b[s1,s2,+3] | c", "none"
// for no alternatives and "anonymous" for an empty requirement.
func alternativesLine(alts [][]analysis.Need) string {
	if len(alts) == 0 {
		return "none"
	}
	parts := make([]string, len(alts))
	for i, alt := range alts {
		if len(alt) == 0 {
			parts[i] = "anonymous"
			continue
		}
		needs := make([]string, len(alt))
		for j, n := range alt {
			name := n.Scheme
			switch {
			case n.Ref != nil && n.Ref.Inline:
				name = n.Type + " (inline)"
			case n.External:
				name = name[strings.LastIndex(name, "/")+1:] + " (external)"
			case n.Ref == nil:
				name = strings.TrimPrefix(name, "#/components/securitySchemes/") + " (undefined)"
			}
			if len(n.Scopes) > 0 {
				sc := n.Scopes
				if len(sc) > 2 {
					sc = append(sc[:2:2], "+"+strconv.Itoa(len(n.Scopes)-2))
				}
				name += "[" + strings.Join(sc, ",") + "]"
			}
			needs[j] = name
		}
		parts[i] = strings.Join(needs, " + ")
	}
	return strings.Join(parts, " | ")
}
