package main

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

// layout sizes the generated workspace.
type layout struct {
	docs, shared int // AsyncAPI documents; shared files (one common file, security, servers, messages)
	seed         int64
}

// The shared files split: 1 common security file, then a tenth each of
// security and server files, the rest message files.
func (l layout) split() (security, servers, messages int) {
	security = max(1, l.shared/10)
	servers = max(1, l.shared/10)
	messages = max(1, l.shared-1-security-servers)
	return
}

// commonPath is the widely shared file: every document references it.
const commonPath = "shared/common/security.yaml"

// commonSecurity is the text of the common file; scopes is how many scopes
// the oauth scheme declares (the change benchmark removes one).
func commonSecurity(scopes int) string {
	var b strings.Builder
	b.WriteString("components:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://auth.example.com/token\n          availableScopes:\n")
	for i := range scopes {
		fmt.Fprintf(&b, "            scope%d: Scope number %d\n", i, i)
	}
	b.WriteString("    scram:\n      type: scramSha512\n      description: SASL/SCRAM for the brokers\n")
	b.WriteString("    apiKey:\n      type: httpApiKey\n      name: X-Api-Key\n      in: header\n")
	return b.String()
}

// generate writes the workspace under dir and returns the document paths
// and the total size of all files.
func generate(dir string, l layout) (docs []string, total int64, err error) {
	r := rand.New(rand.NewSource(l.seed))
	nsec, nsrv, nmsg := l.split()
	write := func(rel, text string) {
		if err != nil {
			return
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err = os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return
		}
		err = os.WriteFile(p, []byte(text), 0o644)
		total += int64(len(text))
	}
	write(commonPath, commonSecurity(20))
	for i := range nsec {
		var b strings.Builder
		b.WriteString("components:\n  securitySchemes:\n")
		fmt.Fprintf(&b, "    team%dWrite:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://auth.example.com/team%d\n          availableScopes:\n", i, i)
		for s := range 5 {
			fmt.Fprintf(&b, "            team%d:scope%d: Team scope %d\n", i, s, s)
		}
		fmt.Fprintf(&b, "      scopes:\n        - team%d:scope%d\n", i, r.Intn(5))
		b.WriteString("    brokers:\n      $ref: '../common/security.yaml#/components/securitySchemes/scram'\n")
		fmt.Fprintf(&b, "    cert%d:\n      type: X509\n      description: Client certificate of team %d\n", i, i)
		write(fmt.Sprintf("shared/security/sec-%03d.yaml", i), b.String())
	}
	for i := range nsrv {
		sec := r.Intn(nsec)
		var b strings.Builder
		for _, env := range []string{"production", "staging"} {
			fmt.Fprintf(&b, "%s:\n  host: %s-%d.kafka.example.com:9093\n  protocol: kafka-secure\n  description: Brokers %d (%s)\n  security:\n", env, env, i, i, env)
			fmt.Fprintf(&b, "    - $ref: '../security/sec-%03d.yaml#/components/securitySchemes/brokers'\n", sec)
			fmt.Fprintf(&b, "    - $ref: '../security/sec-%03d.yaml#/components/securitySchemes/cert%d'\n", sec, sec)
		}
		write(fmt.Sprintf("shared/servers/servers-%03d.yaml", i), b.String())
	}
	for i := range nmsg {
		var b strings.Builder
		fmt.Fprintf(&b, "Message%d:\n  name: message%d\n  title: Message %d\n  summary: An event of kind %d.\n  contentType: application/json\n  payload:\n    type: object\n    properties:\n", i, i, i, i)
		for f := range 8 + r.Intn(8) {
			fmt.Fprintf(&b, "      field%d:\n        type: string\n        description: Field %d of message %d, with enough words to look like a real description.\n", f, f, i)
		}
		if i > 0 && r.Intn(3) == 0 {
			fmt.Fprintf(&b, "      parent:\n        $ref: './msg-%03d.yaml#/Message%d/payload'\n", i-1, i-1)
		}
		write(fmt.Sprintf("shared/messages/msg-%03d.yaml", i), b.String())
	}
	for i := range l.docs {
		rel := fmt.Sprintf("apis/svc-%03d/asyncapi.yaml", i)
		write(rel, document(r, i, nsec, nsrv, nmsg))
		docs = append(docs, filepath.Join(dir, filepath.FromSlash(rel)))
	}
	return docs, total, err
}

// document is one AsyncAPI 3.0 document of the workspace: servers, messages
// and security schemes by $ref into the shared files.
func document(r *rand.Rand, i, nsec, nsrv, nmsg int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "asyncapi: 3.0.0\ninfo:\n  title: Service %d\n  version: 1.0.0\n  description: Generated service %d of the workspace benchmark.\nservers:\n", i, i)
	srv := r.Intn(nsrv)
	for _, env := range []string{"production", "staging"} {
		fmt.Fprintf(&b, "  %s:\n    $ref: '../../shared/servers/servers-%03d.yaml#/%s'\n", env, srv, env)
	}
	const channels = 10
	b.WriteString("channels:\n")
	for c := range channels {
		m := r.Intn(nmsg)
		fmt.Fprintf(&b, "  events%d:\n    address: svc%d.events.%d\n    messages:\n      message%d:\n        $ref: '../../shared/messages/msg-%03d.yaml#/Message%d'\n", c, i, c, m, m, m)
	}
	b.WriteString("operations:\n")
	sec := r.Intn(nsec)
	for c := range channels {
		action := []string{"send", "receive"}[c%2]
		fmt.Fprintf(&b, "  op%d:\n    action: %s\n    description: Operation %d of service %d.\n    channel:\n      $ref: '#/channels/events%d'\n    security:\n", c, action, c, i, c)
		fmt.Fprintf(&b, "      - $ref: '../../shared/common/security.yaml#/components/securitySchemes/oauth'\n")
		fmt.Fprintf(&b, "      - $ref: '../../shared/security/sec-%03d.yaml#/components/securitySchemes/team%dWrite'\n", sec, sec)
	}
	fmt.Fprintf(&b, "components:\n  securitySchemes:\n    oauthScoped:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://auth.example.com/token\n          availableScopes:\n            scope%d: Used here\n      scopes:\n        - scope%d\n", i%20, i%20)
	return b.String()
}
