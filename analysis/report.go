package analysis

import (
	"fmt"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// OperationReport is the effective security of one operation in the shape
// the CLI prints as JSON: each list is alternatives (one must hold) of
// schemes (all must hold).
type OperationReport struct {
	Name      string          `json:"name"`
	Action    string          `json:"action"`
	Channel   string          `json:"channel"`
	Range     syntax.PosRange `json:"range"`
	Servers   []ServerReport  `json:"servers"`
	Operation [][]Need        `json:"operation"`
	// OperationFrom names the trait that supplied the operation layer.
	OperationFrom string `json:"operationFrom,omitempty"`
	// Unresolved, External and Invalid say that the operation itself could
	// not be read (a $ref that does not resolve, into another document, or
	// a value that is not a mapping): its security is unknown, not absent.
	Unresolved bool `json:"unresolved,omitempty"`
	External   bool `json:"external,omitempty"`
	Invalid    bool `json:"invalid,omitempty"`
	// ChannelServersInvalid: the channel's `servers` is not a list, so the
	// servers are unknown (Servers is empty, and not "all servers").
	ChannelServersInvalid bool `json:"channelServersInvalid,omitempty"`
	// ChannelUnresolved and ChannelExternal: the operation's channel $ref
	// does not resolve, or points into another document; the servers are
	// unknown (Servers is empty).
	ChannelUnresolved bool `json:"channelUnresolved,omitempty"`
	ChannelExternal   bool `json:"channelExternal,omitempty"`
	// UndefinedServers are channel servers entries that name no usable
	// server; they do not apply.
	UndefinedServers []string `json:"undefinedServers,omitempty"`
}

// ServerReport is one applicable server and its alternatives.
type ServerReport struct {
	Name         string   `json:"name"`
	Protocol     string   `json:"protocol,omitempty"`
	Requirements [][]Need `json:"requirements"`
	// Unresolved, External and Invalid: the server's $ref does not
	// resolve, points into another document, or the server is not a
	// mapping. Its security is unknown, not absent.
	Unresolved bool `json:"unresolved,omitempty"`
	External   bool `json:"external,omitempty"`
	Invalid    bool `json:"invalid,omitempty"`
}

// SecurityReport returns the effective security of every operation.
func (d *Document) SecurityReport() []OperationReport {
	out := []OperationReport{}
	for _, op := range d.Operations {
		e := d.EffectiveSecurity(op)
		r := OperationReport{Name: op.Name, Action: op.Action, Range: d.Mapper.PosRange(d.R(op.Key)),
			Servers: []ServerReport{}, Operation: d.Needs(e.Layer)}
		if op.Channel != nil {
			r.Channel = op.Channel.Name
		}
		if e.LayerTrait != nil {
			r.OperationFrom = e.LayerTrait.Name
		}
		r.Unresolved, r.External, r.Invalid = problemFlags(op.Problem)
		r.ChannelServersInvalid, r.UndefinedServers = e.ServersInvalid, e.Unmatched
		r.ChannelUnresolved, r.ChannelExternal, _ = problemFlags(e.ChannelProblem)
		for _, s := range e.Servers {
			sr := ServerReport{Name: s.Name, Protocol: s.Protocol, Requirements: d.Needs(s.Security)}
			sr.Unresolved, sr.External, sr.Invalid = problemFlags(s.Problem)
			r.Servers = append(r.Servers, sr)
		}
		out = append(out, r)
	}
	return out
}

func problemFlags(p string) (unresolved, external, invalid bool) {
	return p == ProblemUnresolved, p == ProblemExternal, p == ProblemInvalid
}

// unknownText says why security is unknown, for a report cell or "".
func unknownText(unresolved, external, invalid bool, what string) string {
	switch {
	case unresolved:
		return "unknown: unresolved (its $ref does not resolve)"
	case external:
		return "unknown: external (" + what + " is in another document)"
	case invalid:
		return "unknown: invalid (" + what + " is not a mapping)"
	}
	return ""
}

// FormatAlternatives renders alternatives compactly: "a + b | c".
func FormatAlternatives(alts [][]Need) string {
	if len(alts) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(alts))
	for _, alt := range alts {
		if len(alt) == 0 {
			parts = append(parts, "anonymous")
			continue
		}
		ands := make([]string, 0, len(alt))
		for _, n := range alt {
			s := n.Scheme
			switch {
			case n.External:
				s += " (in another document, not followed)"
			case n.Invalid:
				s += " (not a Security Scheme)"
			case n.Ref == nil:
				s += " (undefined)"
			case len(n.Scopes) > 0:
				s += fmt.Sprintf(" (%s: %s)", n.Type, strings.Join(n.Scopes, ", "))
			case n.Type != "":
				s += " (" + n.Type + ")"
			}
			ands = append(ands, s)
		}
		parts = append(parts, strings.Join(ands, " + "))
	}
	return strings.Join(parts, " | ")
}

type reportRow struct{ op, action, channel, server, serverSec, opSec string }

func reportRows(ops []OperationReport) []reportRow {
	var rows []reportRow
	for _, o := range ops {
		opSec := FormatAlternatives(o.Operation)
		if len(o.Operation) == 0 {
			opSec = "none declared"
		}
		if o.OperationFrom != "" {
			opSec += " (from trait " + o.OperationFrom + ")"
		}
		if u := unknownText(o.Unresolved, o.External, o.Invalid, "the operation"); u != "" {
			rows = append(rows, reportRow{o.Name, o.Action, o.Channel, "(unknown)", "-", u})
			continue
		}
		switch {
		case o.ChannelUnresolved:
			rows = append(rows, reportRow{o.Name, o.Action, o.Channel, "(unknown: the channel $ref does not resolve)", "-", opSec})
		case o.ChannelExternal:
			rows = append(rows, reportRow{o.Name, o.Action, o.Channel, "(unknown: the channel is in another document)", "-", opSec})
		case o.ChannelServersInvalid:
			rows = append(rows, reportRow{o.Name, o.Action, o.Channel, "(unknown: the channel's servers is not a list)", "-", opSec})
		case len(o.Servers) == 0 && len(o.UndefinedServers) > 0:
			rows = append(rows, reportRow{o.Name, o.Action, o.Channel, "(none: the channel names no defined root server: " + strings.Join(o.UndefinedServers, ", ") + ")", "-", opSec})
		case len(o.Servers) == 0:
			rows = append(rows, reportRow{o.Name, o.Action, o.Channel, "(no servers)", "-", opSec})
		}
		for _, s := range o.Servers {
			srvSec := FormatAlternatives(s.Requirements)
			if len(s.Requirements) == 0 {
				srvSec = "none declared"
			}
			if u := unknownText(s.Unresolved, s.External, s.Invalid, "the server"); u != "" {
				srvSec = u
			}
			name := s.Name
			if s.Protocol != "" {
				name += " (" + s.Protocol + ")"
			}
			rows = append(rows, reportRow{o.Name, o.Action, o.Channel, name, srvSec, opSec})
		}
	}
	return rows
}

const reportNote = "On each row, one server alternative AND one operation alternative must hold: operation security adds to server security, it never replaces it."

// ReportText renders a security report as an aligned table.
func ReportText(file string, ops []OperationReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Effective security: %s\n\n", file)
	if len(ops) == 0 {
		b.WriteString("No operations.\n")
		return b.String()
	}
	head := reportRow{"OPERATION", "ACTION", "CHANNEL", "SERVER", "SERVER SECURITY (one of)", "OPERATION SECURITY (one of)"}
	rows := append([]reportRow{head}, reportRows(ops)...)
	w := make([]int, 5)
	for _, r := range rows {
		for i, c := range []string{r.op, r.action, r.channel, r.server, r.serverSec} {
			w[i] = max(w[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		cells := []string{r.op, r.action, r.channel, r.server, r.serverSec}
		for i, c := range cells {
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", w[i]-len([]rune(c))+2))
		}
		b.WriteString(r.opSec)
		b.WriteString("\n")
	}
	b.WriteString("\n" + reportNote + "\n")
	return b.String()
}

// ReportMarkdown renders a security report as a Markdown table.
func ReportMarkdown(file string, ops []OperationReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Effective security: `%s`\n\n", file)
	if len(ops) == 0 {
		b.WriteString("No operations.\n")
		return b.String()
	}
	b.WriteString("| Operation | Action | Channel | Server | Server security (one of) | Operation security (one of) |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, r := range reportRows(ops) {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdCell(r.op), mdCell(r.action), mdCell(r.channel), mdCell(r.server), mdCell(r.serverSec), mdCell(r.opSec))
	}
	b.WriteString("\n" + reportNote + "\n")
	return b.String()
}

func mdCell(s string) string {
	if s == "" {
		return " "
	}
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// ReportMarkdownList renders a security report as Markdown with a section
// per operation and a line per server: an editor's side panel cuts off the
// last columns of ReportMarkdown's table, and the last one is the
// operation's own security.
func ReportMarkdownList(file string, ops []OperationReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Effective security: %s\n\n", mdCode(file))
	if len(ops) == 0 {
		b.WriteString("No operations.\n")
		return b.String()
	}
	b.WriteString("For each server an operation is available on, one of the server's alternatives AND one of the " +
		"operation's must hold: operation security adds to server security, it never replaces it. " +
		"`a + b`: both; `a | b`: either.\n")
	for _, o := range ops {
		rows := reportRows([]OperationReport{o})
		fmt.Fprintf(&b, "\n## %s\n\n", mdCode(o.Name))
		var what []string
		if o.Action != "" {
			what = append(what, mdText(o.Action))
		}
		if o.Channel != "" {
			what = append(what, "channel "+mdCode(o.Channel))
		}
		if len(what) > 0 {
			fmt.Fprintf(&b, "%s\n\n", strings.Join(what, ", "))
		}
		for _, r := range rows {
			if r.serverSec == "-" { // no server line: why the servers are unknown or absent
				fmt.Fprintf(&b, "- **Servers**: %s\n", mdText(strings.TrimSuffix(strings.TrimPrefix(r.server, "("), ")")))
				continue
			}
			fmt.Fprintf(&b, "- **Server** %s: %s\n", mdText(r.server), mdText(r.serverSec))
		}
		if len(rows) > 0 {
			fmt.Fprintf(&b, "- **Operation**: %s\n", mdText(rows[0].opSec))
		}
	}
	return b.String()
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
