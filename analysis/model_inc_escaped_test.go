package analysis

import (
	"testing"
)

// escapedV3 names its servers, channels and schemes with keys that a JSON
// pointer must escape ('/' as ~1, '~' as ~0, a space as %20); one $ref
// names the whole document ('#', the empty pointer).
const escapedV3 = `asyncapi: 3.0.0
info:
  title: escaped
  version: '1'
servers:
  'prod/eu':
    host: a.example.com
    protocol: https
    security:
      - $ref: '#/components/securitySchemes/my%20key'
  'dev~1':
    host: b.example.com
    protocol: https
channels:
  'a/b':
    address: a
    servers:
      - $ref: '#/servers/prod~1eu'
  c:
    address: c
    servers:
      - $ref: '#/servers/dev~01'
operations:
  op:
    action: send
    channel:
      $ref: '#/channels/a~1b'
    security:
      - $ref: '#/components/securitySchemes/til~0de'
  other:
    action: receive
    channel:
      $ref: '#/channels/c'
components:
  securitySchemes:
    'my key':
      type: http
      scheme: bearer
    'til~de':
      type: httpApiKey
      name: k
      in: header
x-whole:
  $ref: '#'
`

// TestUnitRebuildEscapedKeys: a $ref names a key through an escaped JSON
// pointer; an edit of the entry it names rebuilds the unit that holds the
// $ref (its model points to the entry's new object), and each keystroke
// still rebuilds only part of the model.
func TestUnitRebuildEscapedKeys(t *testing.T) {
	cases := []struct {
		name string
		step editStep
	}{
		{"scheme named with %20", editStep{find: "      scheme: bearer", off: 20, ins: "x", perChar: true}},
		{"scheme named with ~0", editStep{find: "      name: k\n", off: 13, ins: "ey", perChar: true}},
		{"server named with ~1", editStep{find: "    host: a.example.com", off: 23, ins: ".eu", perChar: true}},
		{"server named with ~01", editStep{find: "    host: b.example.com", off: 23, ins: ".eu", perChar: true}},
		{"channel named with ~1", editStep{find: "    address: a\n", off: 14, ins: "/x", perChar: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			edits, reused := runScript(t, escapedV3, []editStep{c.step})
			if reused != edits {
				t.Fatalf("%d of %d keystrokes rebuilt part of the model, want all", reused, edits)
			}
		})
	}
}
