package analysis

import "testing"

// A percent-encoded $ref to a scheme component that is itself a $ref uses
// that component (the pointer is compared decoded, as it resolves).
func TestPercentEncodedRefToAliasSchemeIsAUse(t *testing.T) {
	d := Analyze([]byte(`asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s:
    host: h
    protocol: kafka-secure
    security:
      - $ref: '#/components/securitySchemes/my%20alias'
components:
  securitySchemes:
    my alias: {$ref: '#/components/securitySchemes/sasl'}
    sasl: {type: scramSha512}
`))
	for _, g := range d.Diagnostics {
		t.Errorf("unexpected diagnostic %s: %s", g.Code, g.Message)
	}
}
