package features

import (
	"os"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

func TestSecurityHints(t *testing.T) {
	orders, err := os.ReadFile("../../testdata/examples/orders-v3.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		doc  string
		want []string // "operation@text before the hint|line"
	}{
		{"servers AND operation, inline scheme, abbreviations", string(orders), []string{
			"placeOrder@  placeOrder:|security: saslScram AND oauth2 (inline)[orders:write]",
			"readAudit@  readAudit:|security: (production: saslScram; mtls: clientCert) AND bearer",
		}},
		{"2.x: servers differ, scopes abbreviated after two, anonymous", `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  a: {url: a, protocol: ws, security: [{o: [r1, r2, r3, r4]}, {}]}
  b: {url: b, protocol: ws, security: [{k: [], o: [r1]}]}
channels:
  c:
    publish:
      operationId: pub
    subscribe: {operationId: sub, security: [{k: []}]}
components:
  securitySchemes:
    k: {type: X509}
    o: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://x.example.com/t', scopes: {r1: a, r2: b, r3: c, r4: d}}}}
`, []string{
			"pub@    publish:|security: a: o[r1,r2,+2] | anonymous; b: k + o[r1]",
			"sub@    subscribe:|security: (a: o[r1,r2,+2] | anonymous; b: k + o[r1]) AND k",
		}},
		{"unknown servers: unresolved channel, undefined channel server", `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  prod: {host: p, protocol: wss}
channels:
  c: {address: c, servers: [{$ref: '#/servers/prod'}, {$ref: '#/servers/nope'}]}
operations:
  lost: {action: send, channel: {$ref: '#/channels/missing'}}
  half: {action: send, channel: {$ref: '#/channels/c'}}
`, []string{
			"lost@  lost:|security: servers unknown",
			"half@  half:|security: prod: none; #/servers/nope: unknown",
		}},
		{"nothing declared", "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels: {c: {address: c}}\noperations:\n  o: {action: send, channel: {$ref: '#/channels/c'}}\n",
			[]string{"o@  o:|security: none"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := analysis.Analyze([]byte(tc.doc))
			var got []string
			for _, h := range SecurityHints(d) {
				ls := lineStartOf(d.Text, h.At)
				got = append(got, h.Operation+"@"+string(d.Text[ls:h.At])+"|"+h.Line)
				if !strings.Contains(h.Tooltip, "Effective security") {
					t.Errorf("tooltip of %s: %q", h.Operation, h.Tooltip)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("hints:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestSecurityHintsIn: only the operations whose hint lies in the range
// are returned (an editor asks for the lines it shows), ends included.
func TestSecurityHintsIn(t *testing.T) {
	doc := "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels: {c: {address: c}}\noperations:\n" +
		"  a: {action: send, channel: {$ref: '#/channels/c'}}\n  b: {action: send, channel: {$ref: '#/channels/c'}}\n  c: {action: send, channel: {$ref: '#/channels/c'}}\n"
	d := analysis.Analyze([]byte(doc))
	atB := strings.Index(doc, "  b:") + len("  b:")
	names := func(hs []SecurityHint) string {
		var n []string
		for _, h := range hs {
			n = append(n, h.Operation)
		}
		return strings.Join(n, ",")
	}
	for _, c := range []struct {
		r    syntax.Range
		want string
	}{
		{syntax.Range{Start: 0, End: len(doc)}, "a,b,c"},
		{syntax.Range{Start: atB, End: atB}, "b"},
		{syntax.Range{Start: atB + 1, End: len(doc)}, "c"},
		{syntax.Range{Start: 0, End: atB - 1}, "a"},
		{syntax.Range{Start: 0, End: 10}, ""},
	} {
		if got := names(SecurityHintsIn(d, c.r)); got != c.want {
			t.Errorf("SecurityHintsIn(%v) = %q, want %q", c.r, got, c.want)
		}
	}
	if names(SecurityHints(d)) != "a,b,c" {
		t.Errorf("SecurityHints = %q", names(SecurityHints(d)))
	}
}
