package features

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
)

func TestDocumentLinks(t *testing.T) {
	doc := `asyncapi: 3.0.0
info:
  title: t
  version: '1'
  description: See https://example.com/docs. Also {not a link}.
  externalDocs: {url: 'https://example.com/ext'}
servers:
  s:
    host: broker.example.com
    protocol: https
    url: "http://example.com/a\u0020b"
operations:
  o:
    security:
      - $ref: 'other.yaml#/components/securitySchemes/k'
      - $ref: '#/components/securitySchemes/local'
      - type: oauth2
        flows:
          clientCredentials:
            tokenUrl: https://auth.example.com/{tenant}/token
            availableScopes: {}
      - type: openIdConnect
        openIdConnectUrl: https://id.example.com/.well-known/openid-configuration
`
	d := analysis.Analyze([]byte(doc))
	var got []string
	for _, l := range DocumentLinks(d) {
		got = append(got, string(d.Text[l.Range.Start:l.Range.End])+" -> "+l.Target)
	}
	want := []string{
		"https://example.com/docs -> https://example.com/docs",
		"https://example.com/ext -> https://example.com/ext",
		"'other.yaml#/components/securitySchemes/k' -> other.yaml",
		"https://id.example.com/.well-known/openid-configuration -> https://id.example.com/.well-known/openid-configuration",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
