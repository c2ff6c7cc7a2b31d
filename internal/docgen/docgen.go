// Package docgen owns the deterministic generator of valid AsyncAPI
// documents of any size that the benchmarks, the differential tests and the
// end-to-end latency tool (tools/lspbench) use as input, plus the helpers
// that locate edit/hover/completion positions (and the typing places of
// tools/lspbench) inside them. Anything may depend on it; it depends on
// yaml.v3 only (to convert a generated document to JSON and to locate
// places in YAML and JSON alike).
//
// Three shapes exist (Options.Shape): ShapeV3 (the default, described
// below), ShapeWide (the same AsyncAPI 3.0.0 vocabulary with many channels
// and components and few operations) and ShapeV26 (AsyncAPI 2.6.0:
// publish/subscribe operations inside channels, 2.x security requirement
// maps on servers and operations). GenerateJSON gives the same document as
// JSON.
//
// A generated document has info, several servers with security ($refs to
// component schemes), channels (address, servers $refs, messages $refs),
// operations (send/receive, channel $ref, messages $refs into the channel,
// security lists mixing $refs and inline oauth2 schemes, an occasional
// reply), components.securitySchemes of every common type and
// components.messages with payload schemas. Every security scheme is used and
// every scope that is used is declared, so the document is free of security
// findings. Text includes non-ASCII (é, 日本, emoji), quoted strings and block
// scalars so that position and UTF-16 handling are exercised.
//
// The size grows by adding units: one unit is one channel, one operation and
// one component message. The info description is padded at the end so that
// the output is within a few hundred bytes of Options.TargetBytes.
package docgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Options controls Generate.
type Options struct {
	// TargetBytes is the wanted size of the document in bytes. The output is
	// within max(1%, 300 bytes) of it once it is larger than the fixed part
	// (about 4 KB); smaller targets give the smallest document (one unit).
	TargetBytes int
	// Seed makes the output deterministic: the same Options give the same bytes.
	Seed int64
	// Units, when > 0, generates exactly that many units (channel +
	// operation + message) and ignores TargetBytes (no padding).
	Units int
	// ReplyEvery gives every n-th operation a reply (default 4; < 0: never).
	// It applies to the 3.x shapes only.
	ReplyEvery int
	// Shape selects the document family (default ShapeV3).
	Shape Shape
	// FlowBindings gives every 8th operation (the first one included) a
	// one-line flow-mapping `bindings: {amqp: {ack: true}}`, the anchor of
	// the lspbench typing place C. Off by default so that ShapeV3 output
	// stays what the engine's tests were written against.
	FlowBindings bool
}

// Shape is a family of generated documents.
type Shape string

const (
	// ShapeV3 is AsyncAPI 3.0.0 with one channel, one operation and one
	// component message per unit.
	ShapeV3 Shape = "v3"
	// ShapeWide is AsyncAPI 3.0.0 with many channels and components and few
	// operations: every unit adds a channel, a component message and a
	// component schema (components.schemas, used as the message payload);
	// only every 10th unit adds an operation.
	ShapeWide Shape = "wide"
	// ShapeV26 is AsyncAPI 2.6.0: every unit is a channel with one publish
	// or subscribe operation (operationId, security requirement maps) and a
	// component message; servers carry 2.x requirement maps.
	ShapeV26 Shape = "v26"
)

var shapes = []Shape{ShapeV3, ShapeV26, ShapeWide}

// Shapes lists the shapes in a stable order (a copy).
func Shapes() []Shape { return slices.Clone(shapes) }

// wideOperationEvery is how many units of ShapeWide share one operation.
const wideOperationEvery = 10

// FlowBindingsLine is the flow-mapping line Options.FlowBindings adds to
// operations (indented by the operation's member indentation).
const FlowBindingsLine = "bindings: {amqp: {ack: true}}"

// Scheme names declared in components.securitySchemes, all of them used.
var schemeNames = []string{
	"oauthCorp", "oauthPartner", "apiKeyHeader", "bearerJwt",
	"brokerUser", "kafkaScram", "oidcCorp",
}

// serverNames are the keys of the servers section.
var serverNames = []string{"production", "realtime", "events", "telemetry"}

// domain is a business entity; event is what happens to one.
type domain struct{ name, plural, Title string }
type event struct{ key, Title, verb string }

var domains = []domain{
	{"order", "orders", "Order"},
	{"user", "users", "User"},
	{"payment", "payments", "Payment"},
	{"invoice", "invoices", "Invoice"},
	{"shipment", "shipments", "Shipment"},
	{"sensor", "sensors", "Sensor"},
	{"cart", "carts", "Cart"},
	{"session", "sessions", "Session"},
	{"alert", "alerts", "Alert"},
	{"product", "products", "Product"},
}

var events = []event{
	{"Created", "created", "creation"},
	{"Updated", "updated", "update"},
	{"Deleted", "deleted", "deletion"},
	{"Archived", "archived", "archival"},
	{"Approved", "approved", "approval"},
	{"Rejected", "rejected", "rejection"},
	{"Synced", "synced", "synchronisation"},
}

// Non-ASCII snippets used in descriptions; each is valid in a plain scalar.
var flavours = []string{
	"café crème", "日本 region", "🚀 fast path", "naïve façade", "Zürich öffice",
	"emoji 😀 and 🎉", "ελληνικά", "São Paulo", "Привет мир", "señal ñ",
}

var fieldNames = []string{
	"id", "createdAt", "updatedAt", "tenantId", "amount", "currency", "note",
	"tags", "status", "priority", "region", "customer", "quantity", "sku",
	"latitude", "longitude", "active", "attempts", "reason", "source",
}

// Generate returns a valid AsyncAPI YAML document of opts.Shape (see the
// package documentation). It is deterministic for given Options. It panics
// on an unknown Shape (a programming error).
func Generate(opts Options) []byte {
	g := &gen{rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15)), opts: opts}
	if g.opts.ReplyEvery == 0 {
		g.opts.ReplyEvery = 4
	}
	switch g.opts.Shape {
	case "", ShapeV3, ShapeWide, ShapeV26:
	default:
		panic(fmt.Sprintf("docgen: unknown shape %q", g.opts.Shape))
	}
	return g.run()
}

type gen struct {
	rng  *rand.Rand
	opts Options

	channels, operations, schemas, messages bytes.Buffer
	prevChannel, prevMsgKey                 string
	opCount                                 int // operations written so far
}

func (g *gen) v26() bool  { return g.opts.Shape == ShapeV26 }
func (g *gen) wide() bool { return g.opts.Shape == ShapeWide }

func (g *gen) version() string {
	if g.v26() {
		return "2.6.0"
	}
	return "3.0.0"
}

func (g *gen) bodyLen() int {
	return g.channels.Len() + g.operations.Len() + g.schemas.Len() + g.messages.Len()
}

// flowBindings reports whether the operation about to be written gets the
// flow-mapping bindings line, and counts it.
func (g *gen) flowBindings() bool {
	k := g.opCount
	g.opCount++
	return g.opts.FlowBindings && k%8 == 0
}

func (g *gen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *gen) run() []byte {
	var servers, schemes bytes.Buffer
	if g.v26() {
		writeServers26(&servers)
		writeSchemes26(&schemes)
	} else {
		writeServers(&servers)
		writeSchemes(&schemes)
	}
	// Fixed part: header lines and section keys added below.
	sectionKeys := "channels:\noperations:\ncomponents:\n  securitySchemes:\n  messages:\n"
	if g.v26() {
		sectionKeys = "channels:\ncomponents:\n  securitySchemes:\n  messages:\n"
	} else if g.wide() {
		sectionKeys += "  schemas:\n"
	}
	info := g.info(0)
	fixed := len(info) + servers.Len() + schemes.Len() + len(sectionKeys)

	if g.opts.Units > 0 {
		for i := 0; i < g.opts.Units; i++ {
			g.unit(i)
		}
	} else {
		for i := 0; ; i++ {
			cs, os, ss, ms := g.channels.Len(), g.operations.Len(), g.schemas.Len(), g.messages.Len()
			pc, pm, oc := g.prevChannel, g.prevMsgKey, g.opCount
			g.unit(i)
			total := fixed + g.bodyLen()
			if total > g.opts.TargetBytes && i > 0 {
				// Undo the last unit; padding fills the rest.
				g.channels.Truncate(cs)
				g.operations.Truncate(os)
				g.schemas.Truncate(ss)
				g.messages.Truncate(ms)
				g.prevChannel, g.prevMsgKey, g.opCount = pc, pm, oc
				break
			}
			if total > g.opts.TargetBytes {
				break
			}
		}
		body := g.bodyLen()
		if pad := g.opts.TargetBytes - fixed - body; pad > 0 {
			info = g.info(pad)
		}
	}

	var out bytes.Buffer
	out.Grow(len(info) + servers.Len() + schemes.Len() + g.bodyLen() + 128)
	out.WriteString(info)
	out.Write(servers.Bytes())
	out.WriteString("channels:\n")
	out.Write(g.channels.Bytes())
	if !g.v26() {
		out.WriteString("operations:\n")
		out.Write(g.operations.Bytes())
	}
	out.WriteString("components:\n  securitySchemes:\n")
	out.Write(schemes.Bytes())
	if g.wide() {
		out.WriteString("  schemas:\n")
		out.Write(g.schemas.Bytes())
	}
	out.WriteString("  messages:\n")
	out.Write(g.messages.Bytes())
	return out.Bytes()
}

// info renders the header; pad > 0 adds lines to the description block
// scalar so that the header grows by about pad bytes.
func (g *gen) info(pad int) string {
	var b strings.Builder
	b.WriteString("asyncapi: " + g.version() + "\n")
	b.WriteString("info:\n")
	b.WriteString("  title: Generated Event Platform — café 日本 🚀\n")
	b.WriteString("  version: 1.0.0\n")
	b.WriteString("  description: |\n")
	b.WriteString("    Synthetic AsyncAPI " + g.version() + " document produced by docgen for benchmarks.\n")
	b.WriteString("    It mixes \"quoted\" text, block scalars and non-ASCII: é, 日本, 😀.\n")
	const line = "    Padding line %06d keeps the document at its target size; naïve text.\n"
	n := len(fmt.Sprintf(line, 0))
	for i := 0; pad >= n; i++ {
		fmt.Fprintf(&b, line, i)
		pad -= n
	}
	if pad > 6 { // a shorter last line: "    " + text + "\n"
		b.WriteString("    ")
		b.WriteString(strings.Repeat("x", pad-5))
		b.WriteString("\n")
	}
	b.WriteString("  license:\n    name: Apache-2.0\n")
	b.WriteString("  contact:\n    name: 'Platform team «events»'\n    email: events@example.com\n")
	return b.String()
}

func writeServers(b *bytes.Buffer) {
	b.WriteString(`servers:
  production:
    host: api.example.com
    protocol: https
    title: Production HTTPS gateway
    description: 'Public gateway: TLS only, OAuth2 or bearer tokens.'
    security:
      - $ref: '#/components/securitySchemes/oauthCorp'
      - $ref: '#/components/securitySchemes/bearerJwt'
  realtime:
    host: ws.example.com
    pathname: /stream
    protocol: wss
    description: WebSocket stream for browsers — API key or OpenID Connect.
    security:
      - $ref: '#/components/securitySchemes/apiKeyHeader'
      - $ref: '#/components/securitySchemes/oidcCorp'
  events:
    host: kafka.example.com:9093
    protocol: kafka-secure
    protocolVersion: '3.6'
    description: Kafka cluster with SASL/SCRAM over TLS.
    security:
      - $ref: '#/components/securitySchemes/kafkaScram'
  telemetry:
    host: mqtt.example.com:8883
    protocol: secure-mqtt
    description: "MQTT broker for devices (日本 and EU regions)."
    security:
      - $ref: '#/components/securitySchemes/brokerUser'
`)
}

func writeSchemes(b *bytes.Buffer) {
	b.WriteString(`    oauthCorp:
      type: oauth2
      description: Corporate identity provider (client credentials).
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/oauth2/token
          refreshUrl: https://auth.example.com/oauth2/refresh
          availableScopes:
            'events:read': Read any event
            'events:write': Publish events
            'admin:audit': Read the audit trail
      scopes:
        - 'events:read'
        - 'events:write'
    oauthPartner:
      type: oauth2
      description: "Partner applications — authorization code flow."
      flows:
        authorizationCode:
          authorizationUrl: https://partners.example.com/oauth2/authorize
          tokenUrl: https://partners.example.com/oauth2/token
          availableScopes:
            'partner:read': Read partner data
            'partner:write': Write partner data
      scopes:
        - 'partner:read'
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

// refSchemes are the component schemes that operations may reference.
var refSchemes = []string{"oauthCorp", "oauthPartner", "bearerJwt", "apiKeyHeader", "oidcCorp"}

func (g *gen) unit(i int) {
	if g.v26() {
		g.unit26(i)
		return
	}
	d := domains[g.rng.IntN(len(domains))]
	ev := events[g.rng.IntN(len(events))]
	id := fmt.Sprintf("%05d", i)
	msgKey := d.name + ev.key
	channel := msgKey + id
	message := msgKey + id
	action, opVerb := "send", "Publishes"
	if g.rng.IntN(2) == 1 {
		action, opVerb = "receive", "Consumes"
	}
	opName := action + d.Title + ev.key + id

	// Channel.
	c := &g.channels
	fmt.Fprintf(c, "  %s:\n", channel)
	fmt.Fprintf(c, "    address: %s.%s.%s\n", d.plural, strings.ToLower(ev.key), id)
	fmt.Fprintf(c, "    title: %s %s %d\n", d.Title, ev.Title, i)
	fmt.Fprintf(c, "    summary: '%s %s events, partition %d'\n", d.Title, ev.Title, i%16)
	c.WriteString("    servers:\n")
	first := g.rng.IntN(len(serverNames))
	fmt.Fprintf(c, "      - $ref: '#/servers/%s'\n", serverNames[first])
	if g.rng.IntN(2) == 0 {
		fmt.Fprintf(c, "      - $ref: '#/servers/%s'\n", serverNames[(first+1)%len(serverNames)])
	}
	c.WriteString("    messages:\n")
	fmt.Fprintf(c, "      %s:\n        $ref: '#/components/messages/%s'\n", msgKey, message)

	if !g.wide() || i%wideOperationEvery == 0 {
		g.operation(i, d, ev, action, opVerb, opName, channel, msgKey)
	}
	g.message(i, d, ev, message, msgKey)
	g.prevChannel, g.prevMsgKey = channel, msgKey
}

// operation writes one AsyncAPI 3 operation.
func (g *gen) operation(i int, d domain, ev event, action, opVerb, opName, channel, msgKey string) {
	o := &g.operations
	fmt.Fprintf(o, "  %s:\n", opName)
	fmt.Fprintf(o, "    action: %s\n", action)
	fmt.Fprintf(o, "    channel:\n      $ref: '#/channels/%s'\n", channel)
	fmt.Fprintf(o, "    title: %s %s %s\n", action, d.name, ev.Title)
	fmt.Fprintf(o, "    summary: \"%s the %s %s event\"\n", opVerb, d.name, ev.verb)
	fmt.Fprintf(o, "    description: %s the %s %s event number %d for downstream consumers (%s) with at-least-once delivery\n",
		opVerb, d.name, ev.verb, i, g.pick(flavours))
	if g.flowBindings() {
		fmt.Fprintf(o, "    %s\n", FlowBindingsLine)
	}
	fmt.Fprintf(o, "    messages:\n      - $ref: '#/channels/%s/messages/%s'\n", channel, msgKey)
	o.WriteString("    security:\n")
	ref := refSchemes[g.rng.IntN(len(refSchemes))]
	if i == 0 {
		ref = "oauthPartner" // only used by operations: make sure it is used
	}
	fmt.Fprintf(o, "      - $ref: '#/components/securitySchemes/%s'\n", ref)
	if g.rng.IntN(3) != 0 {
		read, write := d.plural+":read", d.plural+":write"
		scope := read
		if action == "send" {
			scope = write
		}
		o.WriteString("      - type: oauth2\n")
		fmt.Fprintf(o, "        description: Inline client credentials for %s\n", d.plural)
		o.WriteString("        flows:\n          clientCredentials:\n")
		fmt.Fprintf(o, "            tokenUrl: https://auth.example.com/%s/token\n", d.plural)
		o.WriteString("            availableScopes:\n")
		fmt.Fprintf(o, "              '%s': Read %s\n", read, d.plural)
		fmt.Fprintf(o, "              '%s': Write %s\n", write, d.plural)
		fmt.Fprintf(o, "        scopes:\n          - '%s'\n", scope)
	}
	if g.opts.ReplyEvery > 0 && i > 0 && i%g.opts.ReplyEvery == 0 && g.prevChannel != "" {
		o.WriteString("    reply:\n")
		o.WriteString("      address:\n        location: '$message.header#/replyTo'\n")
		fmt.Fprintf(o, "      channel:\n        $ref: '#/channels/%s'\n", g.prevChannel)
		fmt.Fprintf(o, "      messages:\n        - $ref: '#/channels/%s/messages/%s'\n", g.prevChannel, g.prevMsgKey)
	}
}

// message writes one component message; in ShapeWide its payload is a
// $ref to a component schema written to g.schemas.
func (g *gen) message(i int, d domain, ev event, message, msgKey string) {
	m := &g.messages
	fmt.Fprintf(m, "    %s:\n", message)
	fmt.Fprintf(m, "      name: %s\n", msgKey)
	fmt.Fprintf(m, "      title: %s %s\n", d.Title, ev.Title)
	fmt.Fprintf(m, "      summary: Emitted after the %s of a %s (%s).\n", ev.verb, d.name, g.pick(flavours))
	m.WriteString("      contentType: application/json\n")
	if i%3 == 0 {
		m.WriteString("      description: |\n")
		fmt.Fprintf(m, "        The **%s** event carries the full %s state.\n", msgKey, d.name)
		fmt.Fprintf(m, "        Consumers must be idempotent — %s.\n", g.pick(flavours))
	} else {
		fmt.Fprintf(m, "      description: \"The %s event, sent as \\\"%s\\\" (%s).\"\n", msgKey, ev.Title, g.pick(flavours))
	}
	m.WriteString("      payload:\n")
	ind := "        "
	if g.wide() {
		fmt.Fprintf(m, "        $ref: '#/components/schemas/%s'\n", message)
		m = &g.schemas
		fmt.Fprintf(m, "    %s:\n", message)
		ind = "      "
	}
	g.payload(m, ind, i, d.name)
}

// payload writes the members of a message payload schema, each line
// indented by ind.
func (g *gen) payload(m *bytes.Buffer, ind string, i int, name string) {
	w := func(lines string) {
		for _, l := range strings.SplitAfter(lines, "\n") {
			if l != "" {
				m.WriteString(ind)
				m.WriteString(l)
			}
		}
	}
	w("type: object\nrequired:\n  - id\n  - createdAt\n")
	w("properties:\n")
	w("  id:\n    type: string\n    format: uuid\n")
	w(fmt.Sprintf("    description: Identifier of the %s «%d»\n", name, i))
	w("  createdAt:\n    type: string\n    format: date-time\n")
	extra := 3 + g.rng.IntN(4)
	start := 2 + g.rng.IntN(len(fieldNames)-2)
	for k := 0; k < extra; k++ {
		field := fieldNames[2+(start+k)%(len(fieldNames)-2)]
		w(fmt.Sprintf("  %s:\n", field))
		switch g.rng.IntN(5) {
		case 0:
			w("    type: number\n    minimum: 0\n")
		case 1:
			w("    type: array\n    items:\n      type: string\n")
		case 2:
			w("    type: boolean\n    default: false\n")
		case 3:
			w("    type: string\n    enum:\n      - low\n      - medium\n      - high\n")
		default:
			w("    type: string\n    maxLength: 256\n")
		}
		if g.rng.IntN(2) == 0 {
			w(fmt.Sprintf("    description: \"%s of the %s, e.g. \\\"%s\\\"\"\n", field, name, g.pick(flavours)))
		}
	}
}
