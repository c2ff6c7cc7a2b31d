// Package mutants defines small, realistic mistakes made in real AsyncAPI
// documents of the shared corpus (a deleted required key, a misspelled key,
// a wrong enum value, a wrong type, a scalar where a list belongs, ...),
// each with the one diagnostic a quiet checker should give for it: its
// code and the node it belongs on (a JSON pointer and which part of the
// node: key, value or the parent key).
//
// The mutants test of package analysis asserts exactly that one
// diagnostic per mutant; tools/mutants writes the mutated documents to a
// directory so that other checkers (Spectral, @asyncapi/parser) can be run
// on the same mistakes (tools/peernoise).
//
// It depends on the standard library only; anyone may use it.
package mutants

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// Mutant is one mistake made in one corpus document.
type Mutant struct {
	Name   string // short, unique, usable as a file name
	Source string // the corpus file it mutates
	Find   string // text that occurs exactly once in Source
	Repl   string // what replaces it
	// The one diagnostic expected.
	Code    string
	Pointer string // RFC 6901 pointer of the node
	Where   string // "key", "value" or "parent-key"
}

// Apply returns the mutated text of src.
func (m Mutant) Apply(src []byte) ([]byte, error) {
	if n := bytes.Count(src, []byte(m.Find)); n != 1 {
		return nil, fmt.Errorf("mutant %s: %q occurs %d times in %s, want once", m.Name, m.Find, n, m.Source)
	}
	return bytes.Replace(src, []byte(m.Find), []byte(m.Repl), 1), nil
}

// Load reads the mutant's source from the corpus directory and applies it.
func (m Mutant) Load(corpusDir string) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(corpusDir, m.Source))
	if err != nil {
		return nil, err
	}
	return m.Apply(src)
}

// FileName is the name tools/mutants writes the mutant under (the source's
// extension is kept so that tools detect YAML or JSON).
func (m Mutant) FileName() string {
	return m.Name + filepath.Ext(m.Source)
}

const (
	s3  = "spec-v3.0.0__streetlights-kafka-asyncapi.yml"
	s2  = "spec-v2.6.0__streetlights-kafka.yml"
	c31 = "cli__specification-v3.yml"
	sw  = "springwolf__streetlights-kafka-asyncapi.json"
	g20 = "spec-v2.0.0__gitter-streaming.yml"
	dg  = "deepgram__asyncapi.yml"
	sl3 = "spec-v3.0.0__slack-rtm-asyncapi.yml"
)

// All lists every mutant.
var All = []Mutant{
	// AsyncAPI 3.0.0, streetlights
	{"s3-delete-required-action", s3, "  turnOn:\n    action: send\n", "  turnOn:\n",
		"schema-required", "/operations/turnOn", "parent-key"},
	{"s3-misspell-action", s3, "  turnOff:\n    action: send\n", "  turnOff:\n    acton: send\n",
		"schema-unknown-property", "/operations/turnOff/acton", "key"},
	{"s3-enum-action", s3, "  dimLight:\n    action: send\n", "  dimLight:\n    action: sends\n",
		"schema-enum", "/operations/dimLight/action", "value"},
	{"s3-type-host", s3, "    host: 'test.mykafkacluster.org:18092'", "    host: 18092",
		"schema-type", "/servers/scram-connections/host", "value"},
	{"s3-scalar-for-list-messages", s3, "    messages:\n      - $ref: '#/channels/lightTurnOn/messages/turnOn'", "    messages: '#/channels/lightTurnOn/messages/turnOn'",
		"schema-type", "/operations/turnOn/messages", "value"},
	{"s3-payload-type-typo", s3, "          type: integer\n          minimum: 0\n          description: Light intensity", "          type: integr\n          minimum: 0\n          description: Light intensity",
		"schema-enum", "/components/schemas/lightMeasuredPayload/properties/lumens/type", "value"},
	{"s3-misspell-message-title", s3, "      title: Dim light", "      titel: Dim light",
		"schema-unknown-property", "/components/messages/dimLight/titel", "key"},
	{"s3-misspell-scheme-description", s3, "      description: Download the certificate files from service provider", "      descriptio: Download the certificate files from service provider",
		"schema-unknown-property", "/components/securitySchemes/certs/descriptio", "key"},
	{"s3-type-address", s3, "    address: 'smartylighting.streetlights.1.0.action.{streetlightId}.dim'", "    address: 42",
		"schema-type", "/channels/lightsDim/address", "value"},
	{"s3-misspell-parameter-description", s3, "      description: The ID of the streetlight.", "      descripton: The ID of the streetlight.",
		"schema-unknown-property", "/components/parameters/streetlightId/descripton", "key"},
	{"s3-delete-license-name", s3, "  license:\n    name: Apache 2.0\n", "  license:\n",
		"schema-required", "/info/license", "parent-key"},
	{"s3-type-maximum", s3, "          minimum: 0\n          maximum: 100\n        sentAt:", "          minimum: 0\n          maximum: hundred\n        sentAt:",
		"schema-type", "/components/schemas/dimLightPayload/properties/percentage/maximum", "value"},
	{"s3-scheme-type-typo", s3, "      type: scramSha256", "      type: scramsha256",
		"security-scheme-type", "/components/securitySchemes/saslScram/type", "value"},

	// AsyncAPI 2.6.0, streetlights
	{"s2-misspell-operationId", s2, "      operationId: turnOn\n", "      operationID: turnOn\n",
		"schema-unknown-property", "/channels/smartylighting.streetlights.1.0.action.{streetlightId}.turn.on/subscribe/operationID", "key"},
	{"s2-delete-required-protocol", s2, "    url: test.mykafkacluster.org:28092\n    protocol: kafka-secure\n", "    url: test.mykafkacluster.org:28092\n",
		"schema-required", "/servers/mtls-connections", "parent-key"},
	{"s2-type-version", s2, "  version: '1.0.0'", "  version: 1.0",
		"schema-type", "/info/version", "value"},
	{"s2-type-minimum", s2, "          description: Percentage to which the light should be dimmed to.\n          minimum: 0", "          description: Percentage to which the light should be dimmed to.\n          minimum: zero",
		"schema-type", "/components/schemas/dimLightPayload/properties/percentage/minimum", "value"},
	{"s2-misspell-message-title", s2, "      title: Turn on/off", "      tittle: Turn on/off",
		"schema-unknown-property", "/components/messages/turnOnOff/tittle", "key"},
	{"s2-scalar-for-list-traits", s2, "      operationId: dimLight\n      traits:\n        - $ref: '#/components/operationTraits/kafka'", "      operationId: dimLight\n      traits: kafka",
		"schema-type", "/channels/smartylighting.streetlights.1.0.action.{streetlightId}.dim/subscribe/traits", "value"},
	{"s2-requirement-not-a-list", s2, "      - certs: []", "      - certs: read",
		"security-requirement-shape", "/servers/mtls-connections/security/0/certs", "value"},

	// AsyncAPI 3.1.0, asyncapi/cli fixture
	{"c31-format-terms", c31, "  termsOfService: 'https://asyncapi.com/terms/'", "  termsOfService: 'asyncapi terms'",
		"schema-format", "/info/termsOfService", "value"},
	{"c31-format-email", c31, "    email: support@asyncapi.org", "    email: support-at-asyncapi.org",
		"schema-format", "/info/contact/email", "value"},
	{"c31-unknown-in-inline-scheme", c31, "        openIdConnectUrl: https://example.com/api\n", "        openIdConnectUrl: https://example.com/api\n        descripton: OIDC\n",
		"schema-unknown-property", "/servers/default/security/2/descripton", "key"},
	{"c31-delete-externalDocs-url", c31, "    description: Find more info here\n    url: 'https://www.asyncapi.com'\n", "    description: Find more info here\n",
		"schema-required", "/info/externalDocs", "parent-key"},
	{"c31-scalar-for-tag", c31, "  tags:\n    - name: e-commerce\n", "  tags:\n    - e-commerce\n",
		"schema-type", "/info/tags/0", "value"},

	// AsyncAPI 3.0.0 in JSON, springwolf
	{"sw-enum-action", sw, `"action": "receive"`, `"action": "recieve"`,
		"schema-enum", "/operations/receiveLightMeasurement/action", "value"},
	{"sw-misspell-channel", sw, "    \"turnOn\": {\n      \"action\": \"send\",\n      \"channel\": {", "    \"turnOn\": {\n      \"action\": \"send\",\n      \"chanel\": {",
		"schema-unknown-property", "/operations/turnOn/chanel", "key"},
	{"sw-type-title", sw, `"title": "Streetlights Kafka API"`, `"title": ["Streetlights Kafka API"]`,
		"schema-type", "/info/title", "value"},

	// AsyncAPI 2.0.0, gitter
	{"g20-type-protocolVersion", g20, "    protocolVersion: '1.1'", "    protocolVersion: 1.1",
		"schema-type", "/servers/production/protocolVersion", "value"},
	{"g20-parameter-schema-type-typo", g20, "          type: string\n          enum:\n            - chatMessages", "          type: strng\n          enum:\n            - chatMessages",
		"schema-enum", "/channels/~1rooms~1{roomId}~1{resource}/parameters/resource/schema/type", "value"},
	{"g20-misspell-parameter-description", g20, "        description: Id of the Gitter room.", "        desciption: Id of the Gitter room.",
		"schema-unknown-property", "/channels/~1rooms~1{roomId}~1{resource}/parameters/roomId/desciption", "key"},

	// AsyncAPI 2.6.0, deepgram (keys with '/')
	{"dg-misspell-message-name", dg, "      name: AgentV1ThinkUpdated\n", "      nmae: AgentV1ThinkUpdated\n",
		"schema-unknown-property", "/components/messages/subpackage_agent~1v1.agent.v1-server-1-AgentV1ThinkUpdated/nmae", "key"},
	{"dg-type-operation-summary", dg, "      operationId: agent-v-1-subscribe\n      summary: Client messages\n", "      operationId: agent-v-1-subscribe\n      summary: [Client messages]\n",
		"schema-type", "/channels/~1v1~1agent~1converse/subscribe/summary", "value"},

	// AsyncAPI 3.0.0, slack
	{"sl3-delete-required-channel", sl3, "  receiveOutgoingMessage:\n    action: receive\n    channel:\n      $ref: '#/channels/root'\n", "  receiveOutgoingMessage:\n    action: receive\n",
		"schema-required", "/operations/receiveOutgoingMessage", "parent-key"},
	{"sl3-type-pathname", sl3, "    pathname: /api/rtm.connect", "    pathname: 3",
		"schema-type", "/servers/production/pathname", "value"},
}
