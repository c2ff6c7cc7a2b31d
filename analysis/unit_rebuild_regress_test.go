package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestUnitRebuildRegressions: edits on which the long randomized runs
// (TestIncrementalOnMarkerDocuments) found the unit rebuild differing from
// a cold Analyze.
func TestUnitRebuildRegressions(t *testing.T) {
	mergedOps := strings.Replace(incAnchorsSecurity, "operations:\n",
		"operations:\n  <<: {merged: {action: send, channel: {$ref: '#/channels/d'}}}\n", 1)
	cases := []struct {
		name string
		text string
		edit syntax.Edit
		// reused: the model is rebuilt per unit (else the edit is one the
		// unit rebuild must leave to a full build).
		reused bool
	}{
		{"a server renamed: the audit of an operation on every root server names it", `asyncapi: 2.0.0
info: {title: t, version: '1'}
servers:
  a: {url: a.example.com, protocol: wss, security: [{k: []}]}
  b: {url: b.example.com, protocol: wss}
channels:
  c:
    servers: [nowhere]
    subscribe: {operationId: recv}    #@diag(security-inconsitent-servers, "subscribe", re"secured on a but open on b")
components:
  securitySchem:
    k: {type: httpApiKey, nameb: X-Key, in: header}
`, syntax.Edit{Start: 59, End: 59, Text: "k"}, true},
		{"a key of a 2.x component channel dedented out of it", `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  prod: {url: prod.example.com, protocol: mqtts}
channels: {}
components:
  servers:
    backup:
      url: backup.example.com
      protocol: mqtts
      security:
        - cert: []
        - certt: []    #@diag(security-undefined-scheme, "certt", re"did you mean \"cert\"")
  channels:
    shared:
      servers:
        - prod
        - staging    #@diag(channel-server-undefined, "staging")
      publish:
        operationId: sharedSend
        security:
          - oauth: [orders:write]
          - nope: []    #@diag(security-undefined-scheme, "nope")
        traits:
          - security:
              - keyOnly: []
  securitySchemes:
    cert: {type: X509}
    keyOnly: {type: apiKey, in: user}
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes: {'orders:write': Write orders}
`, syntax.Edit{Start: 457, End: 458, Text: ""}, true},
		{"a channel that was a $ref to a component channel is one no more", `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  prod: {host: prod.example.com, protocol: ws}
  eu/west: {host: eu.example.com, protocol: ws}
channels:
  a:
    servers:
      - $ref:a '#/servers/prod'
      - $ref: '#/servers/eu~1west'
  b:
    $ref: '#/components/channels/shared'
components:
  servers:
    backup: {host: backup.example.com, protocol: ws}
  channels:
    shared:
      servers:
        - $ref: '#/components/servers/backup'
`, syntax.Edit{Start: 260, End: 263, Text: ""}, true}, // (refCover: b with the component channel's readers)
		// found by diffLinks: the channel kept the server object of the
		// previous version
		{"a root server edited: a 2.x component channel that names it links the new one", `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  prod: {url: prod.example.com, protocol: mqtts}
channels: {}
components:
  servers:
    backup:
      url: backup.example.com
      protocol: mqtts
      security:
        - cert: []
        - certt: []    #@diag(security-undefined-scheme, "certt", re"did you mean \"cert\"")
  channels:
    shared:
      servers:
        - prod
        - staging    #@diag(channelrver-undefined, "staging")
      publish:
        security:
          - oauth: [orders:write]
          - nope: []    #@diag(security-undefined-scheme, "nope")
        traits:
          - security:
              - keyOnly: []
  securitySchemes:
    cert: {type: X509}
    keyOnly: {type: apiKey, in: user}
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          scopes: {'orders:write': Write orders}
`, syntax.Edit{Start: 91, End: 91, Text: "i"}, true},
		{"a 3.x component server edited: a channel that $refs the component channel holding its $ref links the new one", `asyncapi: 3.0.0
info: {title: t, version: '1'}
serv:
  prod: {host: prod.example.com, protocol: ws}
  eu/west: {host: eu.example.com, protocol: ws}
channels:
  a:
    servers:
      - $ref: '#/servers/prod'
      - $ref: '#/servers/eu~1west'
  b:
    $ref: '#/components/channels/shared'
components:
  servers:
    backup: {host: backup.example.com, protocol: ws}
  channels:
    shared:
      servers:
        - $ref: '#/components/servers/backup'
`, syntax.Edit{Start: 352, End: 352, Text: "null"}, true}, // (refCover)
		{"an edit far from the anchors and aliases of a document: the units that hold them are rebuilt with it",
			incAnchorsSecurity, typeAfter(incAnchorsSecurity, "description: far"), true},
		{"an edit in a document whose operations section merges entries in",
			mergedOps, typeAfter(mergedOps, "description: far"), false},
		{"an edit in a channel that the first of two $ref keys names (a full build keeps the last)", `asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  orders:
    address: orders
    messages:
      created: {payload: {type: object}}
operations:
  sendOrder:
    action: send
    channel:
      $ref: '#/channels/orders'
      $ref: '#/chunnels/orders'
`, syntax.Edit{Start: 91, End: 91, Text: "p"}, true},
		// and the last of two: only it is resolved again; the first, the
		// document's first $ref, lands where it did
		{"an edit in a channel that the last of two $ref keys names", `asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  orders:
    address: orders
    messages:
      created: {payload: {type: object}}
operations:
  sendOrder:
    action: send
    channel:
      $ref: '#/chunnels/orders'
      $ref: '#/channels/orders'
`, syntax.Edit{Start: 91, End: 91, Text: "p"}, true},
		// The operation of a 2.x component channel that a root channel
		// $refs is audited by the root channel's unit (on every root
		// server): a server edit must rebuild that unit too (found by the
		// compact JSON differential test on the corpus's cli dummy).
		{"a server edited: the audit of a component channel's operation that a root channel $refs", `asyncapi: 2.3.0
info: {title: t, version: '1'}
servers:
  a: {url: a.example.com, protocol: amqp, security: [{k: []}]}
  b: {url: 'localhost:{port}', protocol: kafka, variables: {port: {default: '9092'}}}
channels:
  root:
    $ref: '#/components/channels/shared'
components:
  channels:
    shared:
      subscribe: {operationId: recv}
  securitySchemes:
    k: {type: userPassword}
`, syntax.Edit{Start: 141, End: 141, Text: ".5"}, true}, // (refCover: the root channel, rebuilt for its operation on every root server, with the component channel's unit)
	}
	// An operation that is a $ref to a component operation reads its whole
	// model through it: when the component's channel $ref breaks, the
	// operation is not a unit that only a message's $ref changed in (it is
	// rebuilt and checked with the component: refCover).
	opRef := `asyncapi: 3.0.0
info: {title: t, version: '1'}
operations:
  root:
    $ref: '#/components/operations/shared'
components:
  channels:
    used:
      address: used/address
  operations:
    shared:
      action: send
      channel:
        $ref: '#/components/channels/used'
`
	cases = append(cases, struct {
		name   string
		text   string
		edit   syntax.Edit
		reused bool
	}{"a component operation's channel $ref broken, with an operation that is a $ref to it", opRef, typeAfter(opRef, "channels/used'"), true}) // (refCover)
	// found by TestRefCoverDifferential at larger counts: the 2.x
	// operation runs on every root server, given back with the servers
	// key's colon: checked again, not relinked
	serversBack := `asyncapi: 2.6.0
servers:
  pro
    protocol: ws
channels:
  orders:
    subscribe:
      security:
        - key: []
components:
  securitySchemes:
    key: {type: httpApiKey, name: k, in: query}
`
	cases = append(cases, struct {
		name   string
		text   string
		edit   syntax.Edit
		reused bool
	}{"2.x root servers given back: an operation on every root server checked again", serversBack, typeAfterText(serversBack, "  pro", "d:"), true})
	// A unit whose security is an alias of a list outside the units
	// reports on that list's text: a diagnostic outside its unit (and
	// outside every target refCover covers), left to a full build.
	aliased := `asyncapi: 3.0.0
info: {title: t, version: '1'}
x-shared: &sec
  - type: httpApiKey
    name: k
    in: query
servers:
  prod:
    host: prod.example.com
    protocol: wss
    security: *sec
  other:
    host: other.example.com
    protocol: wss
`
	cases = append(cases, struct {
		name   string
		text   string
		edit   syntax.Edit
		reused bool
	}{"a unit that reports on an alias's text outside the units", aliased, typeAfterText(aliased, "host: prod", "x"), false})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prev := Analyze([]byte(c.text))
			got := checkUpdate(t, prev, []syntax.Edit{c.edit}, c.edit.Apply(prev.Text))
			if got.inc.modelReused != c.reused {
				t.Errorf("model rebuilt per unit: %v, want %v (%s)", got.inc.modelReused, c.reused, got.inc.modelWhy)
			}
		})
	}
}

// typeAfter is the edit that types "x" just after the first occurrence of
// at in text.
func typeAfter(text, at string) syntax.Edit {
	i := strings.Index(text, at) + len(at)
	return syntax.Edit{Start: i, End: i, Text: "x"}
}

// typeAfterText is the edit that types ins just after the first
// occurrence of at in text.
func typeAfterText(text, at, ins string) syntax.Edit {
	i := strings.Index(text, at) + len(at)
	return syntax.Edit{Start: i, End: i, Text: ins}
}
