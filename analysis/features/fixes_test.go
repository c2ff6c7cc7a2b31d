package features

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
)

// fixFor returns the fix titled title offered for the first diagnostic
// with code, failing with the titles offered when there is none.
func fixFor(t *testing.T, d *analysis.Document, code, title string) CodeAction {
	t.Helper()
	var titles []string
	for _, g := range d.Diagnostics {
		if g.Code != code {
			continue
		}
		for _, a := range QuickFixes(d, d.Diagnostics, g.Range) {
			if a.Diagnostic.Code != code {
				continue
			}
			if a.Title == title {
				return a
			}
			titles = append(titles, a.Title)
		}
	}
	t.Fatalf("no fix %q for %s; offered: %q", title, code, titles)
	return CodeAction{}
}

func TestQuickFixes(t *testing.T) {
	cases := []struct {
		name, doc, code, title, want string
	}{
		{"2.x requirement in 3.x becomes a $ref (double quotes kept)",
			"asyncapi: 3.0.0\nservers:\n  s:\n    host: h\n    protocol: ws\n    security:\n      - key: []\n      - $ref: \"#/components/securitySchemes/key\"\ncomponents:\n  securitySchemes:\n    key: {type: X509}\n",
			analysis.CodeRequirementShape, "Replace with $ref to scheme key",
			"asyncapi: 3.0.0\nservers:\n  s:\n    host: h\n    protocol: ws\n    security:\n      - $ref: \"#/components/securitySchemes/key\"\n      - $ref: \"#/components/securitySchemes/key\"\ncomponents:\n  securitySchemes:\n    key: {type: X509}\n"},
		{"3.x $ref in 2.x becomes a requirement (flow item)",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: h\n    protocol: ws\n    security: [{$ref: '#/components/securitySchemes/key'}]\ncomponents:\n  securitySchemes:\n    key: {type: X509}\n",
			analysis.CodeRequirementShape, "Replace with requirement `key: []`",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: h\n    protocol: ws\n    security: [{key: []}]\ncomponents:\n  securitySchemes:\n    key: {type: X509}\n"},
		{"misspelt scope: did you mean",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: h\n    protocol: ws\n    security:\n      - o: ['orders:raed']\ncomponents:\n  securitySchemes:\n    o:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://a.example.com/t\n          scopes:\n            orders:read: r\n",
			analysis.CodeUndefinedScope, `Change to "orders:read"`,
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: h\n    protocol: ws\n    security:\n      - o: ['orders:read']\ncomponents:\n  securitySchemes:\n    o:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://a.example.com/t\n          scopes:\n            orders:read: r\n"},
		{"undeclared scope: declare it in the flow (block, 4-space indent)",
			"asyncapi: 2.6.0\nservers:\n    s:\n        url: h\n        protocol: ws\n        security:\n            - o: [admin]\ncomponents:\n    securitySchemes:\n        o:\n            type: oauth2\n            flows:\n                clientCredentials:\n                    tokenUrl: https://a.example.com/t\n                    scopes:\n                        read: r\n",
			analysis.CodeUndefinedScope, `Declare scope "admin" in flow clientCredentials of scheme o`,
			"asyncapi: 2.6.0\nservers:\n    s:\n        url: h\n        protocol: ws\n        security:\n            - o: [admin]\ncomponents:\n    securitySchemes:\n        o:\n            type: oauth2\n            flows:\n                clientCredentials:\n                    tokenUrl: https://a.example.com/t\n                    scopes:\n                        read: r\n                        admin: ''\n"},
		{"undefined 3.x scheme: nearest name in the $ref",
			"asyncapi: 3.0.0\nservers:\n  s:\n    host: h\n    protocol: wss\n    security:\n      - $ref: '#/components/securitySchemes/sasll'\ncomponents:\n  securitySchemes:\n    sasl: {type: plain}\n",
			analysis.CodeUndefinedScheme, `Change to "sasl"`,
			"asyncapi: 3.0.0\nservers:\n  s:\n    host: h\n    protocol: wss\n    security:\n      - $ref: '#/components/securitySchemes/sasl'\ncomponents:\n  securitySchemes:\n    sasl: {type: plain}\n"},
		{"undefined 2.x scheme with scopes: create an oauth2 skeleton granting them",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: h\n    protocol: ws\n    security:\n      - auth: [read]\ncomponents:\n  securitySchemes:\n    other: {type: X509}\n",
			analysis.CodeUndefinedScheme, "Create security scheme auth of type oauth2",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: h\n    protocol: ws\n    security:\n      - auth: [read]\ncomponents:\n  securitySchemes:\n    other: {type: X509}\n    auth:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://auth.example.com/token\n          scopes:\n            read: ''\n"},
		{"undefined scheme without components: create them",
			"asyncapi: 3.0.0\nservers:\n  s:\n    host: h\n    protocol: wss\n    security:\n      - $ref: '#/components/securitySchemes/key'\n",
			analysis.CodeUndefinedScheme, "Create security scheme key of type httpApiKey",
			"asyncapi: 3.0.0\nservers:\n  s:\n    host: h\n    protocol: wss\n    security:\n      - $ref: '#/components/securitySchemes/key'\ncomponents:\n  securitySchemes:\n    key:\n      type: httpApiKey\n      name: X-API-Key\n      in: header\n"},
		{"scopes on a type that takes none",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: h\n    protocol: ws\n    security:\n      - key:\n          - read\n          - write\ncomponents:\n  securitySchemes:\n    key: {type: X509}\n",
			analysis.CodeScopesNotAllowed, "Remove the scopes (this scheme type takes none)",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: h\n    protocol: ws\n    security:\n      - key: []\ncomponents:\n  securitySchemes:\n    key: {type: X509}\n"},
		{"root security moves to the servers that have none",
			"asyncapi: 2.6.0\nservers:\n  a:\n    url: a\n    protocol: ws\n  b:\n    url: b\n    protocol: ws\n    security:\n      - key: []\n  c: {url: c, protocol: ws}\nsecurity:\n  - key: []\ncomponents:\n  securitySchemes:\n    key: {type: X509}\n",
			analysis.CodeSecurityRootLevel, "Move the root security to the servers",
			"asyncapi: 2.6.0\nservers:\n  a:\n    url: a\n    protocol: ws\n    security:\n      - key: []\n  b:\n    url: b\n    protocol: ws\n    security:\n      - key: []\n  c: {url: c, protocol: ws, security: [{key: []}]}\ncomponents:\n  securitySchemes:\n    key: {type: X509}\n"},
		{"unused scheme removed (CRLF)",
			"asyncapi: 2.6.0\r\nservers:\r\n  s:\r\n    url: h\r\n    protocol: ws\r\n    security:\r\n      - key: []\r\ncomponents:\r\n  securitySchemes:\r\n    key: {type: X509}\r\n    spare:\r\n      type: X509\r\n",
			analysis.CodeUnusedScheme, "Remove unused security scheme spare",
			"asyncapi: 2.6.0\r\nservers:\r\n  s:\r\n    url: h\r\n    protocol: ws\r\n    security:\r\n      - key: []\r\ncomponents:\r\n  securitySchemes:\r\n    key: {type: X509}\r\n"},
		{"last unused scheme leaves an empty mapping",
			"asyncapi: 3.0.0\ncomponents:\n  securitySchemes:\n    spare:\n      type: X509\n  schemas: {}\n",
			analysis.CodeUnusedScheme, "Remove unused security scheme spare",
			"asyncapi: 3.0.0\ncomponents:\n  securitySchemes: {}\n  schemas: {}\n"},
		{"2.x channel server typo",
			"asyncapi: 2.6.0\nservers:\n  production: {url: p, protocol: ws}\nchannels:\n  c:\n    servers: [prodution]\n",
			analysis.CodeChannelServerUndefined, `Change to "production"`,
			"asyncapi: 2.6.0\nservers:\n  production: {url: p, protocol: ws}\nchannels:\n  c:\n    servers: [production]\n"},
		{"3.x channel server name becomes a $ref",
			"asyncapi: 3.0.0\nservers:\n  production: {host: p, protocol: ws}\nchannels:\n  c:\n    servers:\n      - production\n",
			analysis.CodeChannelServerUndefined, "Replace with $ref to server production",
			"asyncapi: 3.0.0\nservers:\n  production: {host: p, protocol: ws}\nchannels:\n  c:\n    servers:\n      - $ref: '#/servers/production'\n"},
		{"unescaped / in a $ref",
			"asyncapi: 3.0.0\nchannels:\n  user/signup: {address: a}\noperations:\n  o:\n    action: send\n    channel: {$ref: '#/channels/user/signup'}\n",
			analysis.CodeRefUnresolved, "Change to #/channels/user~1signup",
			"asyncapi: 3.0.0\nchannels:\n  user/signup: {address: a}\noperations:\n  o:\n    action: send\n    channel: {$ref: '#/channels/user~1signup'}\n"},
		{"misspelt $ref token",
			"asyncapi: 3.0.0\nchannels:\n  orders: {address: a}\noperations:\n  o:\n    action: send\n    channel:\n      $ref: \"#/channels/ordres\"\n",
			analysis.CodeRefUnresolved, "Change to #/channels/orders",
			"asyncapi: 3.0.0\nchannels:\n  orders: {address: a}\noperations:\n  o:\n    action: send\n    channel:\n      $ref: \"#/channels/orders\"\n"},
		{"cleartext server: use the TLS protocol",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: broker.example.com\n    protocol: mqtt\n    security:\n      - pw: []\ncomponents:\n  securitySchemes:\n    pw: {type: userPassword}\n",
			analysis.CodeInsecureTransport, "Use protocol secure-mqtt (TLS) on server s",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: broker.example.com\n    protocol: secure-mqtt\n    security:\n      - pw: []\ncomponents:\n  securitySchemes:\n    pw: {type: userPassword}\n"},
		{"empty requirement removed (block)",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: b\n    protocol: wss\n    security:\n      - pw: []\n      - {}\ncomponents:\n  securitySchemes:\n    pw: {type: userPassword}\n",
			analysis.CodeEmptyRequirement, "Remove the empty requirement (anonymous access)",
			"asyncapi: 2.6.0\nservers:\n  s:\n    url: b\n    protocol: wss\n    security:\n      - pw: []\ncomponents:\n  securitySchemes:\n    pw: {type: userPassword}\n"},
		{"empty requirement removed (flow)",
			"asyncapi: 2.6.0\nservers:\n  s: {url: b, protocol: wss, security: [{}, {pw: []}]}\ncomponents:\n  securitySchemes:\n    pw: {type: userPassword}\n",
			analysis.CodeEmptyRequirement, "Remove the empty requirement (anonymous access)",
			"asyncapi: 2.6.0\nservers:\n  s: {url: b, protocol: wss, security: [{pw: []}]}\ncomponents:\n  securitySchemes:\n    pw: {type: userPassword}\n"},
		{"JSON: undefined scheme created in JSON",
			"{\n  \"asyncapi\": \"3.0.0\",\n  \"servers\": {\"s\": {\"host\": \"h\", \"protocol\": \"ws\", \"security\": [{\"$ref\": \"#/components/securitySchemes/key\"}]}},\n  \"components\": {\n    \"securitySchemes\": {\n      \"other\": {\"type\": \"X509\"}\n    }\n  }\n}\n",
			analysis.CodeUndefinedScheme, "Create security scheme key of type X509",
			"{\n  \"asyncapi\": \"3.0.0\",\n  \"servers\": {\"s\": {\"host\": \"h\", \"protocol\": \"ws\", \"security\": [{\"$ref\": \"#/components/securitySchemes/key\"}]}},\n  \"components\": {\n    \"securitySchemes\": {\n      \"other\": {\"type\": \"X509\"},\n      \"key\": {\"type\": \"X509\"}\n    }\n  }\n}\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := analysis.Analyze([]byte(tc.doc))
			a := fixFor(t, d, tc.code, tc.title)
			got := string(ApplyEdits(d.Text, a.Edits))
			if got != tc.want {
				t.Errorf("after %q:\n%s\nwant:\n%s", tc.title, got, tc.want)
			}
			before, after := countCodes(d.Diagnostics), countCodes(analysis.Analyze([]byte(got)).Diagnostics)
			if after[tc.code] >= before[tc.code] {
				t.Errorf("%s still reported: %v", tc.code, after)
			}
		})
	}
}

// Near misses: no fix where it would lose information or add a problem.
func TestQuickFixesNotOffered(t *testing.T) {
	cases := []struct{ name, doc, code string }{
		{"2.x requirement with scopes in 3.x (the scopes would be lost)",
			"asyncapi: 3.0.0\nservers:\n  s:\n    host: h\n    protocol: ws\n    security:\n      - key: [read]\ncomponents:\n  securitySchemes:\n    key: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a.example.com/t', availableScopes: {read: r}}}}\n",
			analysis.CodeRequirementShape},
		{"root security naming an undefined scheme",
			"asyncapi: 2.6.0\nservers:\n  a: {url: a, protocol: ws}\nsecurity:\n  - nope: []\n", analysis.CodeSecurityRootLevel},
		{"unused scheme that a $ref points into",
			"asyncapi: 3.0.0\ncomponents:\n  securitySchemes:\n    o: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a.example.com/t', availableScopes: {}}}}\n  schemas:\n    s: {$ref: '#/components/securitySchemes/o/flows'}\n",
			analysis.CodeUnusedScheme},
		{"syntax error elsewhere (a duplicate key)", "asyncapi: 2.6.0\nservers:\n  a: {url: a, protocol: ws}\nsecurity:\n  - key: []\ncomponents:\n  securitySchemes:\n    key: {type: X509}\ninfo: a\ninfo: b\n", analysis.CodeSecurityRootLevel},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := analysis.Analyze([]byte(tc.doc))
			found := false
			for _, g := range d.Diagnostics {
				if g.Code != tc.code {
					continue
				}
				found = true
				if fixes := QuickFixes(d, d.Diagnostics, g.Range); len(fixes) != 0 {
					t.Errorf("fixes offered: %+v", fixes)
				}
			}
			if !found {
				t.Fatalf("no %s diagnostic: %v", tc.code, d.Diagnostics)
			}
		})
	}
}

// A scheme type that would be reported as insecure on its cleartext server
// is not offered for creation; the others are.
func TestQuickFixCreateSchemeSkipsInsecureTypes(t *testing.T) {
	d := analysis.Analyze([]byte("asyncapi: 3.0.0\nservers:\n  s:\n    host: h\n    protocol: ws\n    security:\n      - $ref: '#/components/securitySchemes/pw'\n"))
	var titles []string
	for _, g := range d.Diagnostics {
		for _, a := range QuickFixes(d, d.Diagnostics, g.Range) {
			titles = append(titles, a.Title)
		}
	}
	all := strings.Join(titles, "\n")
	if strings.Contains(all, "type userPassword") || strings.Contains(all, "type apiKey") {
		t.Errorf("insecure types offered on a ws server:\n%s", all)
	}
	if !strings.Contains(all, "Create security scheme pw of type X509") {
		t.Errorf("X509 not offered:\n%s", all)
	}
}
