package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// typingSecurityDoc has security lists whose second item is an inline
// scheme: a `- $ref: '…` typed before it leaves a quote open that takes
// the inline scheme's lines while the line is half-typed (lspbench's
// place b).
const typingSecurityDoc = `asyncapi: 3.0.0
info:
  title: t
  version: '1'
servers:
  prod:
    host: prod.example.com
    protocol: kafka-secure
    security:
      - $ref: '#/components/securitySchemes/bearerJwt'
      - type: oauth2
        flows:
          clientCredentials:
            tokenUrl: https://auth.example.com/servers/token
            availableScopes:
              'servers:read': Read
        scopes:
          - 'servers:read'
  backup:
    host: backup.example.com
    protocol: kafka-secure
channels:
  users:
    address: users
operations:
  sendUser:
    action: send
    channel:
      $ref: '#/channels/users'
    security:
      - $ref: '#/components/securitySchemes/bearerJwt'
      - type: oauth2
        description: Inline client credentials for users
        flows:
          clientCredentials:
            tokenUrl: https://auth.example.com/users/token
            availableScopes:
              'users:read': Read users
        scopes:
          - 'users:read'
  receiveUser:
    action: receive
    channel:
      $ref: '#/channels/users'
    security:
      - $ref: '#/components/securitySchemes/apiKeyHeader'
      - type: oauth2
        flows:
          clientCredentials:
            tokenUrl: https://auth.example.com/users/token
            availableScopes:
              'users:write': Write users
        scopes:
          - 'users:write'
components:
  securitySchemes:
    bearerJwt:
      type: http
      scheme: bearer
    apiKeyHeader:
      type: httpApiKey
      name: X-Key
      in: header
`

// TestTypingSecurityItemBeforeInlineScheme: a security item typed
// character by character before an inline scheme, in the security list of
// an operation (the last one, and one followed by another) and of a root
// server. Every keystroke equals a cold analysis (runs included), and
// every one rebuilds only some units of the model, although the quote
// left open takes the inline scheme away and gives it back: the unit then
// makes fewer security schemes, and the runs of the units after it move.
func TestTypingSecurityItemBeforeInlineScheme(t *testing.T) {
	line := "- $ref: '#/components/securitySchemes/apiKeyHeader'"
	for _, c := range []struct {
		name, after string // Enter is pressed after after
	}{
		{"an operation followed by another", "$ref: '#/channels/users'\n    security:\n      - $ref: '#/components/securitySchemes/bearerJwt'"},
		{"the last operation", "$ref: '#/channels/users'\n    security:\n      - $ref: '#/components/securitySchemes/apiKeyHeader'"},
		{"a root server", "protocol: kafka-secure\n    security:\n      - $ref: '#/components/securitySchemes/bearerJwt'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := []byte(typingSecurityDoc)
			i := strings.Index(typingSecurityDoc, c.after)
			if i < 0 || strings.Count(typingSecurityDoc, c.after) != 1 {
				t.Fatalf("%q is not once in the document", c.after)
			}
			at := i + len(c.after)
			d := Analyze(text)
			inline := len(d.Inline)
			keys := []string{"\n      "}
			for _, r := range line {
				keys = append(keys, string(r))
			}
			swallowed := false
			for k, key := range keys {
				e := syntax.Edit{Start: at, End: at, Text: key}
				d = checkUpdate(t, d, []syntax.Edit{e}, e.Apply(d.Text))
				at += len(key)
				if !d.inc.modelReused {
					t.Fatalf("keystroke %d (%q): the whole model was built: %s", k+1, key, d.inc.modelWhy)
				}
				if len(d.Inline) != inline {
					swallowed = true
				}
			}
			if !swallowed {
				t.Fatal("no keystroke took the inline scheme away: the case does not test what it says")
			}
			if len(d.Inline) != inline {
				t.Fatalf("the line typed: %d inline schemes, want %d", len(d.Inline), inline)
			}
		})
	}
}

// TestUnitRebuildInlineSchemeMadeLater: two operations name one scheme
// that is not a component; the first to name it makes its inline scheme.
// While the first one's $ref is broken the second makes it; when the
// first one's $ref is whole again, the first makes it in a full build: a
// unit rebuild of the first must not take the second's (the model would
// be the same, but the runs would say the second made it, and a later
// rebuild of either would go wrong). Session 12: the second is rebuilt
// and checked with the first (newInlineNames), which makes it anew.
func TestUnitRebuildInlineSchemeMadeLater(t *testing.T) {
	doc := `asyncapi: 3.0.0
info:
  title: t
  version: '1'
x-schemes:
  cert:
    type: X509
operations:
  opA:
    action: send
    security:
      - $ref: '#/x-schemes/cert'
  opB:
    action: send
    security:
      - $ref: '#/x-schemes/cert'
`
	d := Analyze([]byte(doc))
	at := strings.Index(doc, "cert'\n  opB") + 2 // inside opA's "cert"
	broken := syntax.Edit{Start: at, End: at, Text: "x"}
	d = checkUpdate(t, d, []syntax.Edit{broken}, broken.Apply(d.Text))
	fixed := syntax.Edit{Start: at, End: at + 1}
	d = checkUpdate(t, d, []syntax.Edit{fixed}, fixed.Apply(d.Text))
	if !d.inc.modelReused || d.inc.units != 2 || d.inc.checked != 2 {
		t.Fatalf("partial model %v (%q), %d units rebuilt, %d checked: want both operations rebuilt and checked", d.inc.modelReused, d.inc.modelWhy, d.inc.units, d.inc.checked)
	}
	// and the next edit of the second operation finds the first's scheme
	at = strings.LastIndex(string(d.Text), "cert'") + 2
	e := syntax.Edit{Start: at, End: at, Text: "y"}
	checkUpdate(t, d, []syntax.Edit{e}, e.Apply(d.Text))
}

// gluedDoc: channels and operations whose messages are $refs into
// components.messages, and whose security is what their audits read.
const gluedDoc = `asyncapi: 3.0.0
info:
  title: t
  version: '1'
servers:
  prod:
    host: prod.example.com
    protocol: kafka-secure
    security:
      - $ref: '#/components/securitySchemes/key'
channels:
  users:
    address: users
    servers:
      - $ref: '#/servers/prod'
    messages:
      userCreated:
        $ref: '#/components/messages/userCreated'
  orders:
    address: orders
    messages:
      orderPlaced:
        $ref: '#/components/messages/orderPlaced'
operations:
  sendUser:
    action: send
    channel:
      $ref: '#/channels/users'
    messages:
      - $ref: '#/channels/users/messages/userCreated'
    security:
      - $ref: '#/components/securitySchemes/key'
  sendOrder:
    action: send
    channel:
      $ref: '#/channels/orders'
    messages:
      - $ref: '#/channels/orders/messages/orderPlaced'
      - $ref: '#/components/messages/nowhere'
components:
  messages:
    userCreated:
      payload:
        type: object
    orderPlaced:
      payload:
        $ref: '#/components/schemas/order'
  schemas:
    order:
      type: object
  securitySchemes:
    key:
      type: httpApiKey
      name: X-Key
      in: header
`

// TestGluedSectionKeepsItsUsers: a character typed right after the colon
// of components.messages (or of schemas) makes the section's value a
// broken scalar, and every $ref into it unresolved, which the syntax
// error explains; deleting it brings them back. The channels and
// operations whose message $refs changed are not rebuilt (their objects
// do not point to those $refs, and none of their checks reads a message):
// the $refs alone are resolved again, and every state equals a cold
// analysis.
func TestGluedSectionKeepsItsUsers(t *testing.T) {
	for _, c := range []struct{ name, at string }{
		{"messages", "\n  messages:"},
		{"schemas", "\n  schemas:"}, // a payload's $ref, and the message $refs that lead through it
	} {
		t.Run(c.name, func(t *testing.T) {
			d := Analyze([]byte(gluedDoc))
			at := strings.Index(gluedDoc, c.at+"\n") + len(c.at)
			glue := syntax.Edit{Start: at, End: at, Text: "x"}
			unglue := syntax.Edit{Start: at, End: at + 1}
			for _, e := range []syntax.Edit{glue, unglue} {
				prev := d
				d = checkUpdate(t, d, []syntax.Edit{e}, e.Apply(d.Text))
				if !d.inc.modelReused || d.inc.units != 0 {
					t.Fatalf("edit %+v: model reused %v (%s), %d units rebuilt; want none rebuilt", e, d.inc.modelReused, d.inc.modelWhy, d.inc.units)
				}
				if d.Operations[0] != prev.Operations[0] || d.Channels[0] != prev.Channels[0] {
					t.Fatalf("edit %+v: the operations and channels are not the previous version's", e)
				}
				if e == glue && (len(d.Diagnostics) != 2 || d.Diagnostics[1].Code != syntax.CodeYAMLSyntax) {
					t.Fatalf("glued: diagnostics %v, want the $ref to nowhere and the syntax error alone", d.Diagnostics)
				}
			}
			if len(d.Diagnostics) != 1 || d.Diagnostics[0].Code != CodeRefUnresolved {
				t.Fatalf("after the two edits: diagnostics %v, want the $ref to nowhere alone", d.Diagnostics)
			}
		})
	}
}
