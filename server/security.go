package server

import (
	"fmt"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
)

// securityMarkdown renders the effective-security report for an editor
// panel: a section per operation with one line per server, instead of the
// CLI's six-column table, whose last column (the operation's own
// security) a narrow panel cuts off.
func securityMarkdown(file string, ops []analysis.OperationReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Effective security: `%s`\n\n", file)
	if len(ops) == 0 {
		b.WriteString("No operations.\n")
		return b.String()
	}
	b.WriteString("For each server an operation is available on, one of the server's alternatives AND one of the " +
		"operation's must hold: operation security adds to server security, it never replaces it. " +
		"`a + b`: both; `a | b`: either.\n")
	for _, o := range ops {
		fmt.Fprintf(&b, "\n## %s\n\n", mdCode(o.Name))
		what := []string{}
		if o.Action != "" {
			what = append(what, mdText(o.Action))
		}
		if o.Channel != "" {
			what = append(what, "channel "+mdCode(o.Channel))
		}
		if len(what) > 0 {
			fmt.Fprintf(&b, "%s\n\n", strings.Join(what, ", "))
		}
		if len(o.Servers) == 0 {
			b.WriteString("- **No servers**\n")
		}
		for _, s := range o.Servers {
			name := "**Server** " + mdCode(s.Name)
			if s.Protocol != "" {
				name += " (" + mdText(s.Protocol) + ")"
			}
			fmt.Fprintf(&b, "- %s: %s\n", name, alternativesText(s.Requirements))
		}
		opSec := alternativesText(o.Operation)
		if o.OperationFrom != "" {
			opSec += " (from trait " + mdCode(o.OperationFrom) + ")"
		}
		fmt.Fprintf(&b, "- **Operation**: %s\n", opSec)
	}
	return b.String()
}

func alternativesText(alts [][]analysis.Need) string {
	if len(alts) == 0 {
		return "none declared"
	}
	return mdText(analysis.FormatAlternatives(alts))
}

// mdText escapes the characters that Markdown would read as markup.
func mdText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", "#", `\#`, "\n", " ").Replace(s)
}

// mdCode is s as inline code; names may hold backticks.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
