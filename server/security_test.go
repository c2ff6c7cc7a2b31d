package server

import (
	"strings"
	"testing"
)

type securityRange struct {
	Start struct{ Line, Character int }
	End   struct{ Line, Character int }
}

// text returns what r covers in an ASCII document (UTF-16 columns are
// bytes there).
func (r securityRange) text(doc string) string {
	lines := strings.Split(doc, "\n")
	if r.Start.Line != r.End.Line {
		return "(multi-line range)"
	}
	l := lines[r.Start.Line]
	return l[r.Start.Character:min(r.End.Character, len(l))]
}

type securityAnswer struct {
	Markdown   string
	Operations []struct {
		Name, Action, Channel string
		Range                 securityRange
		Servers               []struct {
			Name, Protocol string
			Range          securityRange
			SecurityRange  *securityRange
			Requirements   []securityAlternative
		}
		Operation      []securityAlternative
		OperationFrom  string
		OperationRange *securityRange
	}
}

type securityAlternative struct {
	Range     securityRange
	Anonymous bool
	Schemes   []struct {
		Scheme, Type        string
		Range               securityRange
		Definition          *securityRange
		External, Undefined bool
		Scopes              []struct {
			Name  string
			Range securityRange
		}
	}
}

func effectiveSecurity(t *testing.T, doc string) securityAnswer {
	t.Helper()
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	uri := "file:///dir/demo.yaml"
	c.open(uri, doc)
	var res securityAnswer
	c.mustCall("workspace/executeCommand", map[string]any{"command": EffectiveSecurityCommand, "arguments": []any{uri}}, &res)
	return res
}

func TestEffectiveSecurityCommandGivesTheSourceRangeOfEveryPart(t *testing.T) {
	res := effectiveSecurity(t, demoV3)
	if len(res.Operations) != 1 {
		t.Fatalf("%d operations, want 1", len(res.Operations))
	}
	op := res.Operations[0]
	check := func(what string, r *securityRange, want string) {
		t.Helper()
		if r == nil {
			t.Errorf("%s: no range", what)
			return
		}
		if got := r.text(demoV3); got != want {
			t.Errorf("%s covers %q, want %q", what, got, want)
		}
	}
	if op.Name != "sendOrder" || op.Action != "send" || op.Channel != "orders" {
		t.Errorf("operation = %s %s %s", op.Name, op.Action, op.Channel)
	}
	check("operation", &op.Range, "sendOrder")
	check("operation security", op.OperationRange, "security")
	if len(op.Servers) != 1 || len(op.Servers[0].Requirements) != 1 || len(op.Servers[0].Requirements[0].Schemes) != 1 {
		t.Fatalf("servers = %+v", op.Servers)
	}
	srv := op.Servers[0]
	if srv.Name != "production" || srv.Protocol != "kafka-secure" {
		t.Errorf("server = %s (%s)", srv.Name, srv.Protocol)
	}
	check("server", &srv.Range, "production")
	check("server security", srv.SecurityRange, "security")
	sasl := srv.Requirements[0].Schemes[0]
	check("server requirement", &sasl.Range, "$ref: '#/components/securitySchemes/saslScram'")
	check("saslScram definition", sasl.Definition, "saslScram")
	if sasl.Type != "scramSha256" || sasl.Undefined {
		t.Errorf("saslScram = %+v", sasl)
	}

	if len(op.Operation) != 2 {
		t.Fatalf("operation alternatives = %+v", op.Operation)
	}
	oauth := op.Operation[0].Schemes[0]
	check("oauth requirement", &oauth.Range, "$ref: '#/components/securitySchemes/oauth'")
	check("oauth definition", oauth.Definition, "oauth")
	if len(oauth.Scopes) != 1 || oauth.Scopes[0].Name != "orders:write" {
		t.Fatalf("oauth scopes = %+v", oauth.Scopes)
	}
	check("oauth scope", &oauth.Scopes[0].Range, "orders:write")
	missing := op.Operation[1].Schemes[0]
	check("undefined requirement", &missing.Range, "$ref: '#/components/securitySchemes/missingScheme'")
	if !missing.Undefined || missing.Definition != nil {
		t.Errorf("an undefined scheme must be marked so, without a definition: %+v", missing)
	}
}

func TestEffectiveSecurityCommandV2AnonymousAndRequirementScopes(t *testing.T) {
	doc := `asyncapi: 2.6.0
info:
  title: T
  version: 1.0.0
servers:
  dev:
    url: localhost
    protocol: mqtt
    security:
      - {}
      - oauth:
          - orders:read
channels:
  orders:
    publish:
      operationId: placeOrder
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes:
            orders:read: Read orders
`
	res := effectiveSecurity(t, doc)
	if len(res.Operations) != 1 || len(res.Operations[0].Servers) != 1 {
		t.Fatalf("operations = %+v", res.Operations)
	}
	op := res.Operations[0]
	if op.Name != "placeOrder" || len(op.Operation) != 0 || op.OperationRange != nil {
		t.Errorf("operation %s without security of its own: %+v, range %v", op.Name, op.Operation, op.OperationRange)
	}
	alts := op.Servers[0].Requirements
	if len(alts) != 2 {
		t.Fatalf("server alternatives = %+v", alts)
	}
	if !alts[0].Anonymous || len(alts[0].Schemes) != 0 || alts[0].Range.text(doc) != "{}" {
		t.Errorf("first alternative should be the anonymous {}: %+v (covers %q)", alts[0], alts[0].Range.text(doc))
	}
	if alts[1].Anonymous || len(alts[1].Schemes) != 1 {
		t.Fatalf("second alternative = %+v", alts[1])
	}
	oauth := alts[1].Schemes[0]
	if got := oauth.Range.text(doc); got != "oauth" {
		t.Errorf("the 2.x requirement covers %q, want the scheme name", got)
	}
	if len(oauth.Scopes) != 1 || oauth.Scopes[0].Range.text(doc) != "orders:read" {
		t.Errorf("scopes = %+v", oauth.Scopes)
	}
	if oauth.Definition == nil || oauth.Definition.text(doc) != "oauth" || oauth.Definition.Start.Line != 18 {
		t.Errorf("definition = %+v", oauth.Definition)
	}
}

func TestEffectiveSecurityMarkdownIsAListPerOperation(t *testing.T) {
	doc := strings.Replace(demoV3, "operations:\n", "operations:\n  receiveOrder:\n    action: receive\n    channel:\n      $ref: '#/channels/orders'\n", 1)
	md := effectiveSecurity(t, doc).Markdown
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "|") {
			t.Errorf("a table row, which a narrow panel cuts off: %q", line)
		}
	}
	for _, want := range []string{
		"# Effective security: `demo.yaml`",
		"## `receiveOrder`\n\nreceive, channel `orders`\n\n" +
			"- **Server** production (kafka-secure): saslScram (scramSha256)\n" +
			"- **Operation**: none declared\n",
		"## `sendOrder`\n\nsend, channel `orders`\n\n" +
			"- **Server** production (kafka-secure): saslScram (scramSha256)\n" +
			"- **Operation**: oauth (oauth2: orders:write) | \\#/components/securitySchemes/missingScheme (undefined)\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks\n%s\ngot:\n%s", want, md)
		}
	}
}
