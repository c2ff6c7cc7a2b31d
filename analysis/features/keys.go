package features

import (
	"fmt"
	"slices"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
)

// Key completion: the keys of the security-related objects that the
// mapping at the cursor does not have yet, per AsyncAPI version and scheme
// type. Which object the mapping is comes from the key path of the text;
// which keys it has comes from the text too (the line being typed does not
// parse).

// valueShape says what a key's value is, which decides what is inserted
// after the key.
type valueShape uint8

const (
	scalarValue valueShape = iota
	mapValue
	listValue
)

// keySpec is one key an object may have.
type keySpec struct {
	key    string
	shape  valueShape
	types  []string // scheme (or flow) types it applies to; nil: all
	v2, v3 bool     // in which major versions it exists
	minor  int      // 2.x: the first minor version that has it
	doc    string
}

var schemeKeySpecs = []keySpec{
	{key: "type", v2: true, v3: true, doc: "The type of the security scheme (required)."},
	{key: "description", v2: true, v3: true, doc: "A short description of the security scheme."},
	{key: "name", types: []string{"httpApiKey"}, v2: true, v3: true, doc: "The name of the header, query or cookie parameter (required for `httpApiKey`)."},
	{key: "in", types: []string{"apiKey", "httpApiKey"}, v2: true, v3: true, doc: "Where the key goes: `user`/`password` (`apiKey`), `query`/`header`/`cookie` (`httpApiKey`)."},
	{key: "scheme", types: []string{"http"}, v2: true, v3: true, doc: "The HTTP Authorization scheme, e.g. `basic` or `bearer` (required for `http`)."},
	{key: "bearerFormat", types: []string{"http"}, v2: true, v3: true, doc: "A hint to how the bearer token is formatted, e.g. `JWT` (`http` with `scheme: bearer`)."},
	{key: "flows", shape: mapValue, types: []string{"oauth2"}, v2: true, v3: true, doc: "The OAuth flows the scheme supports (required for `oauth2`)."},
	{key: "openIdConnectUrl", types: []string{"openIdConnect"}, v2: true, v3: true, doc: "The OpenID Connect discovery URL (required for `openIdConnect`)."},
	{key: "scopes", shape: listValue, types: []string{"oauth2", "openIdConnect"}, v3: true, doc: "The scopes a user of this scheme needs (3.x; an empty list: none)."},
}

var flowKeySpecs = []keySpec{
	{key: "authorizationUrl", types: []string{"implicit", "authorizationCode"}, v2: true, v3: true, doc: "The authorization URL of this flow (required)."},
	{key: "tokenUrl", types: []string{"password", "clientCredentials", "authorizationCode"}, v2: true, v3: true, doc: "The token URL of this flow (required)."},
	{key: "refreshUrl", v2: true, v3: true, doc: "The URL to obtain refresh tokens."},
	{key: "scopes", shape: mapValue, v2: true, doc: "The scopes this flow grants: scope name to description (required)."},
	{key: "availableScopes", shape: mapValue, v3: true, doc: "The scopes this flow grants: scope name to description (required)."},
}

var (
	serverKeySpecs    = []keySpec{{key: "security", shape: listValue, v2: true, v3: true, doc: "The security requirements of this server: one of them must be satisfied."}}
	channelKeySpecs   = []keySpec{{key: "servers", shape: listValue, v2: true, minor: 2, v3: true, doc: "The servers this channel is available on (none: all of them)."}}
	operationKeySpecs = []keySpec{
		{key: "security", shape: listValue, v2: true, minor: 4, v3: true, doc: "The operation's own security requirements: they add to the servers' security, never replace it."},
		{key: "traits", shape: listValue, v2: true, v3: true, doc: "Operation traits (a trait's `security` applies when the operation has none)."},
	}
	traitKeySpecs      = []keySpec{{key: "security", shape: listValue, v2: true, minor: 4, v3: true, doc: "Security requirements the trait gives to operations."}}
	componentsKeySpecs = []keySpec{{key: "securitySchemes", shape: mapValue, v2: true, v3: true, doc: "The security schemes that security requirements refer to."}}
)

// keyObject names the security-related object whose mapping the cursor
// types a key into, with the key specs that apply; "" when none.
func keyObject(d *analysis.Document, c *cursor) (string, []keySpec) {
	p := c.path
	v3 := version(d).V3()
	is := func(parts ...string) bool { return len(p) == len(parts) && pathEnds(p, parts...) }
	switch {
	case inSchemeContext(d, p) && !(v3 && pathEnds(p, "security", "-") && (c.item || c.hasSibling("$ref"))):
		return "security scheme", schemeKeySpecs
	case len(p) >= 2 && p[len(p)-2] == "flows" && slices.Contains(analysis.FlowNames(), p[len(p)-1]) && inSchemeContext(d, p[:len(p)-2]):
		return "OAuth flow", flowKeySpecs
	case is("servers", "*") || (v3 && is("components", "servers", "*")):
		return "server", serverKeySpecs
	case is("channels", "*") || (v3 && is("components", "channels", "*")):
		return "channel", channelKeySpecs
	case v3 && (is("operations", "*") || is("components", "operations", "*")),
		!v3 && (is("channels", "*", "publish") || is("channels", "*", "subscribe")):
		return "operation", operationKeySpecs
	case is("components", "operationTraits", "*"), v3 && pathEnds(p, "operations", "*", "traits", "-") && !c.item && !c.hasSibling("$ref"):
		return "operation trait", traitKeySpecs
	case is("components"):
		return "components", componentsKeySpecs
	}
	return "", nil
}

// completeKeys proposes the keys the mapping at the cursor may still get.
func completeKeys(d *analysis.Document, c *cursor) []CompletionItem {
	object, specs := keyObject(d, c)
	if specs == nil {
		return nil
	}
	typ := ""
	switch object {
	case "security scheme":
		if t := c.siblings["type"]; slices.Contains(analysis.SchemeTypes(version(d)), t) {
			typ = t
		}
	case "OAuth flow":
		typ = c.path[len(c.path)-1]
	}
	var items []CompletionItem
	for i, s := range specs {
		if c.hasSibling(s.key) || !keyApplies(d, s, typ) {
			continue
		}
		insert, plain, snippet := c.keyInsert(s)
		items = append(items, CompletionItem{
			Label: s.key, Detail: object + " key", Documentation: s.doc, Kind: KindProperty,
			Insert: insert, PlainInsert: plain, Snippet: snippet, Edit: c.edit(),
			FilterText: c.keyFilter(s.key), SortText: fmt.Sprintf("5%03d", i),
		})
	}
	return items
}

func keyApplies(d *analysis.Document, s keySpec, typ string) bool {
	if version(d).V3() && !s.v3 || !version(d).V3() && (!s.v2 || version(d).Known && version(d).Minor < s.minor) {
		return false
	}
	return typ == "" || s.types == nil || slices.Contains(s.types, typ)
}

// keyInsert is what accepting a key inserts: the key and the start of its
// value, so that the next completion (a type, a list item) follows.
func (c *cursor) keyInsert(s keySpec) (insert, plain string, snippet bool) {
	if c.json {
		var body string
		switch s.shape {
		case mapValue:
			body = `{$0}`
			plain = `{}`
		case listValue:
			body = `[$0]`
			plain = `[]`
		default:
			body = `"$0"`
			plain = `""`
		}
		k := jsonQuote(s.key)
		return k + ": " + body, k + ": " + plain, true
	}
	if c.flowMap { // the value stays on the line, in flow style
		switch s.shape {
		case mapValue:
			return s.key + ": {$0}", s.key + ": {}", true
		case listValue:
			return s.key + ": [$0]", s.key + ": []", true
		}
		return s.key + ": ", s.key + ": ", false
	}
	ind := strings.Repeat(" ", c.indent+2)
	switch s.shape {
	case mapValue:
		insert = s.key + ":\n" + ind
	case listValue:
		insert = s.key + ":\n" + ind + "- "
	default:
		insert = s.key + ": "
	}
	return insert, insert, false
}

// keyFilter is the filter text of a key proposal: what the user types in
// the edit range (a JSON key starts with its quote).
func (c *cursor) keyFilter(key string) string {
	if c.json && (c.prefix == "" || c.prefix[0] == '"') {
		return jsonQuote(key)
	}
	return key
}

// jsonQuote writes s as a JSON string.
func jsonQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
