package docgen

import (
	"bytes"
	"fmt"
	"strings"
)

// AsyncAPI 2.6.0 shape (ShapeV26): the same schemes, servers and messages
// as the 3.0.0 shape, in 2.x vocabulary. Servers have a url; security is a
// list of requirement maps (`- oauthCorp: ['events:read']`) naming
// component schemes; oauth2 flows declare `scopes` (2.x's name for
// availableScopes); channels list server names and hold one publish or
// subscribe operation with an operationId and its own security.

func writeServers26(b *bytes.Buffer) {
	b.WriteString(`servers:
  production:
    url: https://api.example.com
    protocol: https
    description: 'Public gateway: TLS only, OAuth2 or bearer tokens.'
    security:
      - oauthCorp:
          - 'events:read'
      - bearerJwt: []
  realtime:
    url: wss://ws.example.com/stream
    protocol: wss
    description: WebSocket stream for browsers — API key or OpenID Connect.
    security:
      - apiKeyHeader: []
      - oidcCorp: []
  events:
    url: kafka.example.com:9093
    protocol: kafka-secure
    protocolVersion: '3.6'
    description: Kafka cluster with SASL/SCRAM over TLS.
    security:
      - kafkaScram: []
  telemetry:
    url: mqtt.example.com:8883
    protocol: secure-mqtt
    description: "MQTT broker for devices (日本 and EU regions)."
    security:
      - brokerUser: []
`)
}

func writeSchemes26(b *bytes.Buffer) {
	b.WriteString(`    oauthCorp:
      type: oauth2
      description: Corporate identity provider (client credentials).
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/oauth2/token
          refreshUrl: https://auth.example.com/oauth2/refresh
          scopes:
            'events:read': Read any event
            'events:write': Publish events
            'admin:audit': Read the audit trail
    oauthPartner:
      type: oauth2
      description: "Partner applications — authorization code flow."
      flows:
        authorizationCode:
          authorizationUrl: https://partners.example.com/oauth2/authorize
          tokenUrl: https://partners.example.com/oauth2/token
          scopes:
            'partner:read': Read partner data
            'partner:write': Write partner data
    apiKeyHeader:
      type: httpApiKey
      name: X-API-Key
      in: header
      description: Static API key for server-to-server calls.
    bearerJwt:
      type: http
      scheme: bearer
      bearerFormat: JWT
    brokerUser:
      type: userPassword
      description: Device credentials provisioned at the factory.
    kafkaScram:
      type: scramSha256
      description: SASL/SCRAM-SHA-256 over TLS.
    oidcCorp:
      type: openIdConnect
      openIdConnectUrl: https://auth.example.com/.well-known/openid-configuration
      description: OpenID Connect discovery for browser clients.
`)
}

// Requirement26 renders a one-line 2.x security requirement for a
// component scheme: oauth2 schemes request a declared scope, the others an
// empty list.
func Requirement26(scheme string, write bool) string {
	switch scheme {
	case "oauthCorp":
		if write {
			return "oauthCorp: ['events:write']"
		}
		return "oauthCorp: ['events:read']"
	case "oauthPartner":
		return "oauthPartner: ['partner:read']"
	}
	return scheme + ": []"
}

func (g *gen) unit26(i int) {
	d := domains[g.rng.IntN(len(domains))]
	ev := events[g.rng.IntN(len(events))]
	id := fmt.Sprintf("%05d", i)
	msgKey := d.name + ev.key
	message := msgKey + id
	// 2.x verbs are from the application's point of view, like 3.x actions:
	// publish = the application sends, subscribe = it receives.
	verb, action, opVerb := "publish", "send", "Publishes"
	if g.rng.IntN(2) == 1 {
		verb, action, opVerb = "subscribe", "receive", "Consumes"
	}

	c := &g.channels
	fmt.Fprintf(c, "  %s.%s.%s:\n", d.plural, strings.ToLower(ev.key), id)
	c.WriteString("    servers:\n")
	first := g.rng.IntN(len(serverNames))
	fmt.Fprintf(c, "      - %s\n", serverNames[first])
	if g.rng.IntN(2) == 0 {
		fmt.Fprintf(c, "      - %s\n", serverNames[(first+1)%len(serverNames)])
	}
	fmt.Fprintf(c, "    %s:\n", verb)
	fmt.Fprintf(c, "      operationId: %s%s%s%s\n", action, d.Title, ev.key, id)
	fmt.Fprintf(c, "      summary: \"%s the %s %s event\"\n", opVerb, d.name, ev.verb)
	fmt.Fprintf(c, "      description: %s the %s %s event number %d for downstream consumers (%s) with at-least-once delivery\n",
		opVerb, d.name, ev.verb, i, g.pick(flavours))
	if g.flowBindings() {
		fmt.Fprintf(c, "      %s\n", FlowBindingsLine)
	}
	c.WriteString("      security:\n")
	ref := refSchemes[g.rng.IntN(len(refSchemes))]
	if i == 0 {
		ref = "oauthPartner" // only used by operations: make sure it is used
	}
	fmt.Fprintf(c, "        - %s\n", Requirement26(ref, action == "send"))
	if g.rng.IntN(3) == 0 {
		// Two schemes in one requirement map: both are needed (AND).
		fmt.Fprintf(c, "        - apiKeyHeader: []\n          %s\n", Requirement26("oauthCorp", action == "send"))
	}
	fmt.Fprintf(c, "      message:\n        $ref: '#/components/messages/%s'\n", message)

	g.message(i, d, ev, message, msgKey)
}
