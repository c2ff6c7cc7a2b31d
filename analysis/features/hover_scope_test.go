package features

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
)

// TestHoverScopeDeclarations: the hover of a scope declared in a flow
// names its scheme, whether the flow is written in the scheme or brought
// there by an alias from elsewhere in the document (then the declaration
// lies outside the scheme's node, and hoverScope may not skip the scheme
// by its range).
func TestHoverScopeDeclarations(t *testing.T) {
	for _, c := range []struct{ name, doc string }{
		{"in the scheme", `asyncapi: 3.0.0
info: {title: t, version: '1'}
components:
  securitySchemes:
    key:
      type: httpApiKey
      name: X-Key
      in: header
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          availableScopes:
            'orders:write': Place orders
`},
		{"through an alias", `asyncapi: 3.0.0
info: {title: t, version: '1'}
x-flows:
  cc: &cc
    tokenUrl: https://auth.example.com/token
    availableScopes:
      'orders:write': Place orders
components:
  securitySchemes:
    key:
      type: httpApiKey
      name: X-Key
      in: header
    oauth:
      type: oauth2
      flows:
        clientCredentials: *cc
`},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := analysis.Analyze([]byte(c.doc))
			off := strings.Index(c.doc, "'orders:write'") + 2
			h := HoverAt(d, off)
			if h == nil || !strings.Contains(h.Markdown, "orders:write") || !strings.Contains(h.Markdown, "oauth") {
				t.Fatalf("hover on the scope declaration: %+v", h)
			}
			if got := string(d.Text[h.Range.Start:h.Range.End]); got != "'orders:write'" {
				t.Fatalf("hover range %q, want the scope's key", got)
			}
		})
	}
}
