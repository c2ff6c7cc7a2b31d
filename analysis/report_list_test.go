package analysis

import (
	"strings"
	"testing"
)

func TestMarkdownEscapes(t *testing.T) {
	for _, tc := range []struct{ in, code, text string }{
		{"plain", "`plain`", "plain"},
		{"a`b", "``a`b``", "a\\`b"},
		{"`edge", "`` `edge ``", "\\`edge"},
		{"*x* _y_ [l](u) <b>", "`*x* _y_ [l](u) <b>`", "\\*x\\* \\_y\\_ \\[l\\](u) &lt;b>"},
	} {
		if got := mdCode(tc.in); got != tc.code {
			t.Errorf("mdCode(%q) = %q, want %q", tc.in, got, tc.code)
		}
		if got := mdText(tc.in); got != tc.text {
			t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.text)
		}
	}
}

// TestReportMarkdownListSaysWhyServersAreUnknown: the list form keeps what
// the table says when servers are unknown or none applies.
func TestReportMarkdownListSaysWhyServersAreUnknown(t *testing.T) {
	md := ReportMarkdownList("x.yaml", []OperationReport{
		{Name: "a", Action: "send", Channel: "c", ChannelUnresolved: true},
		{Name: "b", Action: "send", UndefinedServers: []string{"nope"}},
		{Name: "c", Action: "send", Servers: []ServerReport{{Name: "s", Unresolved: true}}},
	})
	for _, want := range []string{
		"## `a`\n\nsend, channel `c`\n\n- **Servers**: unknown: the channel $ref does not resolve\n- **Operation**: none declared\n",
		"- **Servers**: none: the channel names no defined root server: nope\n",
		"- **Server** s: unknown: unresolved (its $ref does not resolve)\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in\n%s", want, md)
		}
	}
}
