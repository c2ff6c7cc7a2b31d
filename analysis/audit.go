package analysis

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Security audit rules: documents that are valid but expose credentials or
// leave an operation open where the author probably did not mean to. All
// are warnings by default, each with its own code so that a project can
// turn one off or make it an error.

// tlsVariants maps the cleartext protocols of the AsyncAPI protocol list to
// their TLS variants.
var tlsVariants = map[string]string{
	"mqtt":  "secure-mqtt",
	"mqtt5": "secure-mqtt",
	"amqp":  "amqps",
	"kafka": "kafka-secure",
	"ws":    "wss",
	"http":  "https",
	"stomp": "stomps",
}

// URL schemes that say the connection uses TLS, or that it does not.
var (
	tlsURLSchemes       = []string{"https", "wss", "mqtts", "secure-mqtt", "amqps", "stomps", "ssl", "tls", "kafka-secure", "kafka+ssl", "rediss"}
	cleartextURLSchemes = []string{"http", "ws", "mqtt", "amqp", "stomp", "tcp", "kafka"}
)

// cleartextTransport says why a server's connections are not encrypted
// ("protocol mqtt", "URL scheme ws://"), or "" when they are (or nothing
// says). A TLS URL scheme wins over a cleartext protocol name.
func cleartextTransport(s *Server) string {
	scheme := ""
	if i := strings.Index(s.Host, "://"); i > 0 {
		scheme = strings.ToLower(s.Host[:i])
	}
	proto := strings.ToLower(s.Protocol)
	switch {
	case slices.Contains(tlsURLSchemes, scheme):
		return ""
	case tlsVariants[proto] != "":
		return "protocol " + s.Protocol
	case (proto == "" || tlsVariants[proto] == "" && !isTLSProtocol(proto)) && slices.Contains(cleartextURLSchemes, scheme):
		return "URL scheme " + scheme + "://"
	}
	return ""
}

func isTLSProtocol(p string) bool {
	for _, v := range tlsVariants {
		if v == p {
			return true
		}
	}
	return slices.Contains(tlsURLSchemes, p)
}

// tlsAdvice says what to write instead of the cleartext transport.
func tlsAdvice(s *Server) string {
	if v := tlsVariants[strings.ToLower(s.Protocol)]; v != "" {
		return "use `protocol: " + v + "`"
	}
	return "use a TLS URL scheme"
}

// credentialKind describes what a scheme sends that an eavesdropper on a
// cleartext connection could reuse, or "" for schemes that send nothing
// reusable (X509, encryption types) or whose token handling is out of scope.
func credentialKind(s *Scheme) string {
	switch s.Type {
	case "userPassword":
		return "a user name and password"
	case "plain":
		return "a SASL PLAIN password"
	case "scramSha256", "scramSha512":
		return "a SASL SCRAM login (the session, and every message after it, is unencrypted)"
	case "apiKey", "httpApiKey":
		return "an API key"
	case "http":
		switch strings.ToLower(s.Fields["scheme"]) {
		case "basic":
			return "HTTP basic credentials"
		case "bearer":
			return "a bearer token"
		}
	}
	return ""
}

// entryAnchor is where a finding about one entry of a security list goes.
func (d *Document) entryAnchor(e *Entry) syntax.Range {
	switch {
	case e.Ref != nil:
		return d.R(e.Ref.Value)
	case e.Scheme != nil && e.Scheme.Inline && e.Scheme.TypeNode != nil:
		return d.R(e.Scheme.TypeNode)
	}
	return d.R(e.Node)
}

// auditServer reports credentials a server's own security sends over a
// cleartext transport.
func (d *Document) auditServer(s *Server) {
	if s.Security == nil || s.Problem != "" {
		return
	}
	why := cleartextTransport(s)
	if why == "" {
		return
	}
	from := len(d.Diagnostics)
	for _, alt := range s.Security.Alternatives {
		for _, e := range alt.Entries {
			e = d.Entry(e)
			if e.Scheme == nil {
				continue
			}
			if what := credentialKind(e.Scheme); what != "" {
				d.diag(CodeInsecureTransport, d.entryAnchor(e),
					"server %s: %s (%s) sends %s over a connection without TLS (%s), where anyone on the path can read and replay it; %s",
					s.Name, e.Name, e.Scheme.Type, what, why, tlsAdvice(s))
			}
		}
	}
	d.relocateSince(from, s.Security.via)
}

// auditOperation runs the rules about one operation's effective security.
// Every finding lies inside the operation (its key, its own security, its
// traits list), so that rebuilding one operation remakes all of them.
func (d *Document) auditOperation(op *Operation) {
	if op.Problem != "" || op.Key == nil {
		return
	}
	e := d.EffectiveSecurity(op) // before 2.4.0 it has no operation layer
	d.auditOperationTransport(op, e)
	d.auditInconsistentServers(op, e)
	if d.Version.V3() || d.Version.AtLeast(2, 4) {
		d.auditEmptyOverride(op, e) // earlier, operation security is reported as such
	}
}

func (d *Document) auditOperationTransport(op *Operation, e *Effective) {
	if e.Layer == nil {
		return
	}
	var insecure []string
	for _, s := range e.Servers {
		if s.Problem == "" {
			if why := cleartextTransport(s); why != "" {
				insecure = append(insecure, fmt.Sprintf("%s (%s)", s.Name, why))
			}
		}
	}
	if len(insecure) == 0 {
		return
	}
	from := len(d.Diagnostics)
	for _, alt := range e.Layer.Alternatives {
		for _, en := range alt.Entries {
			en = d.Entry(en)
			if en.Scheme == nil {
				continue
			}
			what := credentialKind(en.Scheme)
			if what == "" {
				continue
			}
			if e.LayerTrait != nil {
				d.diag(CodeInsecureTransport, d.R(op.Key),
					"operation %s: its security (from trait %s) asks for %s (%s), sent over servers without TLS: %s; use the TLS variant of their protocol",
					op.Name, e.LayerTrait.Name, what, en.Name, strings.Join(insecure, ", "))
				continue
			}
			d.diag(CodeInsecureTransport, d.entryAnchor(en),
				"operation %s: %s (%s) sends %s over servers without TLS: %s; anyone on the path can read and replay it; use the TLS variant of their protocol",
				op.Name, en.Name, en.Scheme.Type, what, strings.Join(insecure, ", "))
		}
	}
	if e.LayerTrait == nil {
		d.relocateSince(from, e.Layer.via)
	}
}

// open reports whether a server lets a client in without credentials: no
// security, or an anonymous `{}` alternative.
func serverOpen(s *Server) bool {
	needs := s.Security.needs(nil) // (its shape only)
	if len(needs) == 0 {
		return true
	}
	for _, alt := range needs {
		if len(alt) == 0 {
			return true
		}
	}
	return false
}

func (d *Document) auditInconsistentServers(op *Operation, e *Effective) {
	if len(d.Needs(e.Layer)) > 0 {
		return // the operation layer protects it on every server
	}
	var secured, open []string
	for _, s := range e.Servers {
		switch {
		case s.Problem != "":
			return // unknown: no claim
		case serverOpen(s):
			open = append(open, s.Name)
		default:
			secured = append(secured, s.Name)
		}
	}
	if len(secured) == 0 || len(open) == 0 {
		return
	}
	where := "its channel is available on all servers"
	if !e.AllServers {
		where = "its channel lists them"
	}
	d.diag(CodeInconsistentServers, d.R(op.Key),
		"operation %s is secured on %s but open on %s (%s, and the operation declares no security of its own); secure %s, give the operation its own security, or restrict the channel's servers",
		op.Name, strings.Join(secured, ", "), strings.Join(open, ", "), where, strings.Join(open, ", "))
}

// emptyList reports whether sec is written as an explicit empty list.
func emptyList(sec *Security) bool {
	if sec == nil {
		return false
	}
	v := sec.Node.Resolve()
	return v != nil && v.Kind == syntax.SequenceNode && len(v.Content) == 0
}

func (d *Document) securedServers(e *Effective) []string {
	var out []string
	for _, s := range e.Servers {
		if s.Problem == "" && !serverOpen(s) {
			out = append(out, s.Name)
		}
	}
	return out
}

func (d *Document) auditEmptyOverride(op *Operation, e *Effective) {
	servers := d.securedServers(e)
	serverNote := "no server security applies either, so nothing protects the operation"
	if len(servers) > 0 {
		serverNote = "server security still applies (" + strings.Join(servers, ", ") + ")"
	}
	if d.Version.V3() {
		if !emptyList(op.Security) {
			return
		}
		anchor := d.securityAnchor(op.Security)
		var lost []string
		for _, t := range op.Traits {
			if t.Security != nil && len(d.Needs(t.Security)) > 0 {
				lost = append(lost, t.Name)
			}
		}
		switch {
		case len(lost) > 0:
			d.diag(CodeEmptyOverride, anchor,
				"operation %s: `security: []` removes the security of trait %s (in %s the operation's own security wins over every trait), so the operation layer is empty; %s. Remove `security: []` to keep the trait's requirement",
				op.Name, strings.Join(lost, ", "), d.Version.Raw, serverNote)
		case len(servers) > 0:
			d.emptyListKeepsServers(op, servers)
		}
		return
	}
	// 2.x: traits are JSON Merge Patches applied over the operation, so
	// the last trait that has `security` replaces the operation's own.
	if e.LayerTrait != nil && emptyList(e.LayerTrait.Security) {
		earlier := ""
		if op.Security != nil && len(d.Needs(op.Security)) > 0 {
			earlier = "the operation's own security"
		}
		for _, t := range op.Traits {
			if t == e.LayerTrait {
				break
			}
			if t.Security != nil && len(d.Needs(t.Security)) > 0 {
				earlier = "the security of trait " + t.Name
			}
		}
		if earlier != "" {
			anchor := d.R(op.Key)
			for i, item := range op.Node.Key("traits").Items() {
				if i < len(op.Traits) && op.Traits[i] == e.LayerTrait {
					anchor = d.R(item)
				}
			}
			d.diag(CodeEmptyOverride, anchor,
				"operation %s: trait %s has `security: []`, which replaces %s (AsyncAPI %s traits are JSON Merge Patches applied over the operation), so the operation layer is empty; %s",
				op.Name, e.LayerTrait.Name, earlier, d.Version.Raw, serverNote)
		}
		return
	}
	if e.LayerTrait == nil && emptyList(op.Security) && len(servers) > 0 {
		d.emptyListKeepsServers(op, servers)
	}
}

// securityAnchor is where a finding about a whole security list goes: its
// key, or the alias or merge it came through.
func (d *Document) securityAnchor(sec *Security) syntax.Range {
	if sec.via != nil {
		return d.R(sec.via)
	}
	return d.R(sec.Key)
}

// emptyListKeepsServers reports an operation's `security: []` that removes
// nothing, since its servers' security still applies.
func (d *Document) emptyListKeepsServers(op *Operation, servers []string) {
	d.diag(CodeEmptyOverride, d.securityAnchor(op.Security),
		"operation %s: `security: []` does not make the operation public: operation security never replaces server security, so %s still require theirs; it only declares no operation-level requirement. Remove it, or run the operation on a server without security if it must be open",
		op.Name, strings.Join(servers, ", "))
}

// auditFlows reports the OAuth flows the OAuth 2.0 Security Best Current
// Practice (RFC 9700) deprecates.
func (d *Document) auditFlows(s *Scheme) {
	for _, f := range s.Flows {
		switch f.Name {
		case "implicit":
			d.diag(CodeDeprecatedFlow, d.R(f.Key),
				"security scheme %s: the OAuth implicit flow is deprecated (OAuth 2.0 Security BCP, RFC 9700 §2.1.2): it returns the token in the redirect URL, where it leaks; use authorizationCode (with PKCE)", s.Name)
		case "password":
			d.diag(CodeDeprecatedFlow, d.R(f.Key),
				"security scheme %s: the OAuth resource owner password flow MUST NOT be used (OAuth 2.0 Security BCP, RFC 9700 §2.4): the client sees the user's password; use authorizationCode (with PKCE), or clientCredentials for machine clients", s.Name)
		}
	}
}

// auditURL reports an authorization, token, refresh or OpenID Connect URL
// over plain http (loopback hosts excepted: local development).
func (d *Document) auditURL(s *Scheme, field string, v *syntax.Node) {
	u, err := url.Parse(v.Value)
	if err != nil || !strings.EqualFold(u.Scheme, "http") || u.Host == "" {
		return
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return
	}
	d.diag(CodeInsecureURL, d.R(v),
		"security scheme %s: `%s` uses http://, so tokens, codes and credentials sent to it travel unencrypted; use https://", s.Name, field)
}

// auditAPIKeyInQuery reports an httpApiKey sent in the query string.
func (d *Document) auditAPIKeyInQuery(s *Scheme) {
	if s.Type != "httpApiKey" || s.Fields["in"] != "query" {
		return
	}
	d.diag(CodeAPIKeyInQuery, d.R(s.Node.Key("in")),
		"security scheme %s: an API key in the query string ends up in server, proxy and browser logs and in Referer headers; use `in: header`", s.Name)
}
