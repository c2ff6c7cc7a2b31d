package features

import (
	"fmt"
	"slices"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// CompletionKind values are LSP's CompletionItemKind numbers.
type CompletionKind int

// Completion kinds used here.
const (
	KindProperty  CompletionKind = 10
	KindValue     CompletionKind = 12
	KindEnum      CompletionKind = 13
	KindSnippet   CompletionKind = 15
	KindReference CompletionKind = 18
)

// CompletionItem is one proposal. Edit is the range it replaces (the typed
// prefix, including an opening quote and an auto-inserted closing one).
type CompletionItem struct {
	Label         string
	Detail        string
	Documentation string // Markdown
	Kind          CompletionKind
	Insert        string // text, or a snippet when Snippet is set
	PlainInsert   string // the snippet without placeholders, for clients without snippets
	Snippet       bool
	Edit          syntax.Range
	FilterText    string
	SortText      string
	// AdditionalEdits are applied with the item, outside Edit (a JSON
	// comma after the previous member).
	AdditionalEdits []syntax.Edit
}

// Complete returns the proposals at off. It works on half-typed text: the
// context (key path, the key whose value is typed, the keys and items
// already there, an open quote or bracket) comes from the text around the
// cursor, YAML by indentation and JSON by a tolerant scan; the facts
// (schemes, scopes, servers) come from the model, or while the text does
// not parse from the last model that did.
//
// Every item of one answer replaces the same range (the token typed so
// far, quotes included), and its filter text is what the client will
// compare with the text typed in that range: the inserted text when the
// typed text is a prefix of it (so that typing `- $ref: '#/comp` keeps the
// list), else the bare name.
func Complete(d *analysis.Document, off int) []CompletionItem {
	if d == nil || !d.IsAsyncAPI || d.Tree == nil {
		return []CompletionItem{}
	}
	var c *cursor
	if d.Tree.IsJSON {
		c = jsonCursorAt(d, off)
	} else {
		c = cursorAt(d, off)
		if !c.flowMap { // a flow mapping's members are on the line (scanFlow)
			yamlSiblings(d, c)
		}
	}
	items := complete(d, factsOf(d), c)
	if c.json {
		punctuate(c, items)
	}
	if items == nil {
		items = []CompletionItem{}
	}
	return items
}

func complete(d *analysis.Document, f facts, c *cursor) []CompletionItem {
	path := c.path
	v3 := version(d).V3()
	value := c.key != "" && !c.inKey // typing the value of c.key
	switch {
	case value && c.key == "$ref":
		return completeRef(d, f, c)
	case value && c.key == "type" && inSchemeContext(d, path):
		return completeEnum(c, analysis.SchemeTypes(version(d)), "security scheme type", schemeTypeDocs)
	case value && c.key == "in" && inSchemeContext(d, path):
		t := c.siblings["type"]
		values := analysis.InValues(t)
		if values == nil {
			values = append(analysis.InValues("httpApiKey"), analysis.InValues("apiKey")...)
		}
		return completeEnum(c, values, "where the key goes ("+orMissing(t)+")", nil)
	case v3 && (pathEnds(path, "scopes", "-") || (value && c.key == "scopes" && c.flow)):
		return completeScopesV3(d, f, c)
	case !v3 && pathEnds(path, "security", "-", "*", "-"):
		return completeScopesV2(f, c, path[len(path)-2])
	case !v3 && pathEnds(path, "security", "-") && value && c.flow:
		return completeScopesV2(f, c, c.key)
	case pathEnds(path, "channels", "*", "servers", "-") || (pathEnds(path, "channels", "*") && value && c.key == "servers" && c.flow):
		return completeChannelServers(d, f, c)
	case value && c.flow && c.key == "security": // "security: [" in flow style
		if v3 {
			return completeSecurityV3(d, f, c)
		}
		return completeRequirementV2(f, c)
	case !c.inKey:
		return nil
	case pathEnds(path, "flows") && !c.item && inSchemeContext(d, path[:len(path)-1]):
		return completeFlows(d, c)
	case v3 && pathEnds(path, "security", "-") && (c.item || len(c.siblings) == 0):
		items := completeSecurityV3(d, f, c)
		if !c.item { // an empty object in a JSON list: a $ref member or the scheme's keys
			items = append(items, completeKeys(d, c)...)
		}
		return items
	case !v3 && pathEnds(path, "security", "-"):
		return completeRequirementV2(f, c)
	}
	return completeKeys(d, c)
}

// inSchemeContext: the path is a components.securitySchemes entry, or an
// item of a security list (inline 3.x scheme).
func inSchemeContext(d *analysis.Document, path []string) bool {
	return pathEnds(path, "securitySchemes", "*") || (version(d).V3() && pathEnds(path, "security", "-"))
}

func (c *cursor) edit() syntax.Range { return syntax.Range{Start: c.prefixStart, End: c.replaceEnd} }

// quoted writes s as a quoted scalar: in JSON a JSON string, in YAML in the
// quote style the user started (single quotes by default).
func (c *cursor) quoted(s string) string {
	if c.json {
		return jsonQuote(s)
	}
	q := c.quote
	if q == 0 {
		q = '\''
	}
	if q == '"' {
		return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// scalar writes a value the way it must be inserted: quoted when the user
// opened a quote, in JSON, or when plain YAML would misread it.
func (c *cursor) scalar(s string) string {
	if c.quote != 0 || c.json || s == "" || strings.ContainsAny(s, "#,[]{}&*!|>'\"%@`") || strings.HasPrefix(s, "- ") || strings.Contains(s, ": ") {
		return c.quoted(s)
	}
	return s
}

// filter is the filter text of an item that inserts insert: insert itself
// when the typed text is a prefix of it, else the bare name (a user typing
// a scheme name where a `$ref:` line goes).
func (c *cursor) filter(insert, bare string) string {
	if strings.HasPrefix(insert, c.prefix) {
		return insert
	}
	return bare
}

// jsonMember writes "key": value as an object member, or as a whole object
// when the cursor is at a new list item.
func (c *cursor) jsonMember(key, value string) string {
	m := jsonQuote(key) + ": " + value
	if c.item {
		return "{" + m + "}"
	}
	return m
}

// refInsert is a {$ref: ptr} list item or member.
func (c *cursor) refInsert(ptr string) string {
	switch {
	case c.json:
		return c.jsonMember("$ref", jsonQuote(ptr))
	case c.flow:
		return "{$ref: '" + ptr + "'}"
	}
	return "$ref: " + c.quoted(ptr)
}

func completeEnum(c *cursor, values []string, detail string, docs map[string]string) []CompletionItem {
	items := make([]CompletionItem, 0, len(values))
	for i, v := range values {
		insert := c.scalar(v)
		items = append(items, CompletionItem{Label: v, Detail: detail, Documentation: docs[v], Kind: KindEnum, Insert: insert, Edit: c.edit(), FilterText: c.filter(insert, v), SortText: fmt.Sprintf("%03d", i)})
	}
	return items
}

var schemeTypeDocs = map[string]string{
	"userPassword":         "User and password.",
	"apiKey":               "An API key in the user or password field (`in: user|password`).",
	"X509":                 "An X.509 client certificate.",
	"symmetricEncryption":  "Symmetric encryption of the payload.",
	"asymmetricEncryption": "Asymmetric encryption of the payload.",
	"httpApiKey":           "An API key in a header, query or cookie parameter (`name`, `in`).",
	"http":                 "HTTP authentication (`scheme`: basic, bearer, ...).",
	"oauth2":               "OAuth 2.0 (`flows`).",
	"openIdConnect":        "OpenID Connect (`openIdConnectUrl`).",
	"plain":                "SASL PLAIN.",
	"scramSha256":          "SASL SCRAM-SHA-256.",
	"scramSha512":          "SASL SCRAM-SHA-512.",
	"gssapi":               "SASL GSSAPI (Kerberos).",
}

// completeFlows proposes the OAuth flows the flows object does not have.
func completeFlows(d *analysis.Document, c *cursor) []CompletionItem {
	scopes := "availableScopes"
	if !version(d).V3() {
		scopes = "scopes"
	}
	ind := strings.Repeat(" ", c.indent+2)
	var items []CompletionItem
	for _, name := range analysis.FlowNames() {
		if c.hasSibling(name) {
			continue
		}
		var lines, plain, jsonParts, jsonPlain []string
		n := 1
		for _, u := range []string{"authorizationUrl", "tokenUrl"} {
			if flowRequiresURL(name, u) {
				example := "https://auth.example.com/" + strings.TrimSuffix(u, "Url")
				lines = append(lines, fmt.Sprintf("%s%s: ${%d:%s}", ind, u, n, example))
				plain = append(plain, fmt.Sprintf("%s%s: %s", ind, u, example))
				jsonParts = append(jsonParts, fmt.Sprintf(`"%s": "${%d:%s}"`, u, n, example))
				jsonPlain = append(jsonPlain, fmt.Sprintf(`"%s": "%s"`, u, example))
				n++
			}
		}
		lines = append(lines, fmt.Sprintf("%s%s:\n%s  ${%d:scope}: ${%d:description}", ind, scopes, ind, n, n+1))
		plain = append(plain, fmt.Sprintf("%s%s: {}", ind, scopes))
		jsonParts = append(jsonParts, fmt.Sprintf(`"%s": {"${%d:scope}": "${%d:description}"}`, scopes, n, n+1))
		jsonPlain = append(jsonPlain, fmt.Sprintf(`"%s": {}`, scopes))
		it := CompletionItem{
			Label: name, Detail: "OAuth flow", Kind: KindProperty, Snippet: true,
			Insert: name + ":\n" + strings.Join(lines, "\n"), PlainInsert: name + ":\n" + strings.Join(plain, "\n"),
			Edit: c.edit(), FilterText: c.keyFilter(name), SortText: fmt.Sprintf("%03d", len(items)),
		}
		if c.json {
			it.Insert = jsonQuote(name) + ": {" + strings.Join(jsonParts, ", ") + "}"
			it.PlainInsert = jsonQuote(name) + ": {" + strings.Join(jsonPlain, ", ") + "}"
		}
		items = append(items, it)
	}
	return items
}

// flowRequiresURL: flow needs the URL field u (the flow key table says).
func flowRequiresURL(flow, u string) bool {
	for _, s := range flowKeySpecs {
		if s.key == u {
			return slices.Contains(s.types, flow)
		}
	}
	return false
}

// completeSecurityV3 proposes a new item of a 3.x security list: a $ref to
// each declared scheme, or an inline scheme.
func completeSecurityV3(d *analysis.Document, f facts, c *cursor) []CompletionItem {
	var items []CompletionItem
	for i, s := range f.schemes() {
		insert := c.refInsert(s.Pointer)
		filter := c.filter(insert, s.Name)
		if c.flow {
			// an item of "security: [" is a whole {$ref: ...} mapping: typing
			// its "{" (which an editor may close) ends this list, and the
			// mapping's own completion follows
			filter = s.Name
		}
		items = append(items, CompletionItem{
			Label: s.Name, Detail: "$ref to security scheme (" + orMissing(s.Type) + ")",
			Documentation: schemeMarkdown(d, s, false), Kind: KindReference,
			Insert: insert, Edit: c.edit(), FilterText: filter, SortText: fmt.Sprintf("0%03d", i),
		})
	}
	if !c.item && c.json || c.flow || c.flowMap {
		return items // inside an object, or on a flow line: no block snippets
	}
	ind := strings.Repeat(" ", c.indent)
	for i, sn := range inlineSnippets() {
		it := CompletionItem{
			Label: sn.label, Detail: "inline security scheme", Kind: KindSnippet, Snippet: true,
			Insert: strings.ReplaceAll(sn.body, "\n", "\n"+ind), PlainInsert: strings.ReplaceAll(sn.plain, "\n", "\n"+ind),
			Edit: c.edit(), SortText: fmt.Sprintf("1%03d", i),
		}
		if c.json {
			it.Insert, it.PlainInsert = sn.json, sn.jsonPlain
		}
		first, _, _ := strings.Cut(it.PlainInsert, "\n")
		it.FilterText = c.filter(first, sn.label)
		items = append(items, it)
	}
	return items
}

type snippet struct{ label, body, plain, json, jsonPlain string }

func inlineSnippets() []snippet {
	return []snippet{
		{"inline oauth2 scheme",
			"type: oauth2\nflows:\n  clientCredentials:\n    tokenUrl: ${1:https://auth.example.com/token}\n    availableScopes:\n      ${2:scope}: ${3:description}\nscopes:\n  - ${2:scope}",
			"type: oauth2\nflows:\n  clientCredentials:\n    tokenUrl: https://auth.example.com/token\n    availableScopes: {}\nscopes: []",
			`{"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "${1:https://auth.example.com/token}", "availableScopes": {"${2:scope}": "${3:description}"}}}, "scopes": ["${2:scope}"]}`,
			`{"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://auth.example.com/token", "availableScopes": {}}}, "scopes": []}`},
		{"inline httpApiKey scheme", "type: httpApiKey\nname: ${1:X-API-Key}\nin: ${2|header,query,cookie|}", "type: httpApiKey\nname: X-API-Key\nin: header",
			`{"type": "httpApiKey", "name": "${1:X-API-Key}", "in": "${2|header,query,cookie|}"}`, `{"type": "httpApiKey", "name": "X-API-Key", "in": "header"}`},
		{"inline http bearer scheme", "type: http\nscheme: bearer\nbearerFormat: ${1:JWT}", "type: http\nscheme: bearer\nbearerFormat: JWT",
			`{"type": "http", "scheme": "bearer", "bearerFormat": "${1:JWT}"}`, `{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}`},
	}
}

// completeRequirementV2 proposes the schemes a 2.x requirement map does
// not name yet (the keys around the cursor are in the text).
func completeRequirementV2(f facts, c *cursor) []CompletionItem {
	var items []CompletionItem
	for i, s := range f.schemes() {
		if c.hasSibling(s.Name) {
			continue
		}
		// the cursor lands between the brackets, where the scopes go
		insert, plain := s.Name+": [$0]", s.Name+": []"
		filter := s.Name
		if c.flow { // an item of "security: [": a mapping of its own
			insert, plain = "{"+insert+"}", "{"+plain+"}"
		}
		if c.json {
			insert, plain = c.jsonMember(s.Name, "[$0]"), c.jsonMember(s.Name, "[]")
			filter = c.filter(plain, c.keyFilter(s.Name))
		}
		items = append(items, CompletionItem{
			Label: s.Name, Detail: "security scheme (" + orMissing(s.Type) + ")", Documentation: schemeMarkdown(f.docs[0], s, false),
			Kind: KindReference, Insert: insert, PlainInsert: plain, Snippet: true, Edit: c.edit(), FilterText: filter, SortText: fmt.Sprintf("%03d", i),
		})
	}
	return items
}

func completeScopesV2(f facts, c *cursor, schemeName string) []CompletionItem {
	s := f.schemeByName(schemeName)
	if s == nil {
		return nil
	}
	return scopeItems(c, s, s.DeclaredScopes())
}

// completeScopesV3 proposes the scopes of the scheme whose `scopes` list
// the cursor is in: the scopes its flows declare. The flows are read from
// the text of that scheme when it is YAML (an inline scheme being written
// is not in any model yet), else from the model.
func completeScopesV3(d *analysis.Document, f facts, c *cursor) []CompletionItem {
	path := c.path
	if pathEnds(path, "scopes", "-") {
		path = path[:len(path)-2]
	}
	var s *analysis.Scheme
	if pathEnds(path, "components", "securitySchemes", "*") {
		s = f.schemeByName(path[len(path)-1])
	} else if len(path) > 0 && path[len(path)-1] == "-" {
		if cands := f.inlineSchemes(analysis.PointerTo(path[:len(path)-1]...) + "/"); len(cands) > 0 {
			s = cands[0]
			for _, cand := range cands {
				if cand.Node != nil && cand.Node.Kind == syntax.MappingNode && f.docs[len(f.docs)-1] == d && d.R(cand.Node).Contains(c.off) {
					s = cand
				}
			}
		}
	}
	decl := []analysis.ScopeDecl{}
	if s != nil {
		decl = s.DeclaredScopes()
	}
	if !c.json {
		if text := yamlDeclaredScopes(d, c); text != nil {
			decl = text
		}
	}
	if s == nil && len(decl) == 0 {
		return nil
	}
	if s == nil {
		s = &analysis.Scheme{Name: "this scheme", Type: "oauth2"}
	}
	return scopeItems(c, s, decl)
}

// scopeItems proposes the declared scopes not listed yet.
func scopeItems(c *cursor, s *analysis.Scheme, decl []analysis.ScopeDecl) []CompletionItem {
	listed := map[string]bool{}
	for _, l := range c.listed {
		listed[l] = true
	}
	var items []CompletionItem
	for i, sc := range decl {
		if listed[sc.Name] {
			continue
		}
		insert := c.scalar(sc.Name)
		flows := strings.Join(s.FlowsGranting(sc.Name), ", ")
		if flows == "" {
			flows = "this scheme"
		}
		items = append(items, CompletionItem{
			Label: sc.Name, Detail: fmt.Sprintf("scope of %s (flows: %s)", s.Name, flows),
			Documentation: sc.Description, Kind: KindValue, Insert: insert, Edit: c.edit(), FilterText: c.filter(insert, sc.Name), SortText: fmt.Sprintf("%03d", i),
		})
	}
	return items
}

func completeChannelServers(d *analysis.Document, f facts, c *cursor) []CompletionItem {
	listed := map[string]bool{}
	for _, l := range c.listed {
		listed[l] = true
		if i := strings.LastIndex(l, "/"); i >= 0 { // a $ref item read from the text
			listed[l[i+1:]] = true
		}
	}
	chName := ""
	for i := len(c.path) - 1; i > 0; i-- {
		if c.path[i-1] == "channels" {
			chName = c.path[i]
			break
		}
	}
	if c.json { // JSON list items are objects the scan does not read: ask the model
		// (the first document's channel of that name, as f.channels)
	docs:
		for _, d := range f.docs {
			for _, ch := range d.Channels {
				if ch.Name == chName {
					for _, r := range d.ServersOf(ch) {
						listed[r.Name] = true
					}
					break docs
				}
			}
		}
	}
	var items []CompletionItem
	for i, s := range f.rootServers() {
		if listed[s.Name] {
			continue
		}
		insert := c.scalar(s.Name)
		if version(d).V3() {
			insert = c.refInsert(s.Pointer)
		}
		items = append(items, CompletionItem{
			Label: s.Name, Detail: "server (" + orMissing(s.Protocol) + ")", Documentation: serverMarkdown(d, s),
			Kind: KindReference, Insert: insert, Edit: c.edit(), FilterText: c.filter(insert, s.Name), SortText: fmt.Sprintf("%03d", i),
		})
	}
	return items
}

// completeRef proposes $ref targets that fit where the $ref is written.
func completeRef(d *analysis.Document, f facts, c *cursor) []CompletionItem {
	type target struct{ ptr, detail string }
	var targets []target
	path := c.path
	add := func(ptr, detail string) { targets = append(targets, target{ptr, detail}) }
	components := func(kind string) {
		for _, n := range f.componentNames(kind) {
			add(analysis.PointerTo("components", kind, n), strings.TrimSuffix(kind, "s"))
		}
	}
	switch {
	case pathEnds(path, "security", "-"):
		for _, s := range f.schemes() {
			add(s.Pointer, "security scheme ("+orMissing(s.Type)+")")
		}
	case pathEnds(path, "servers", "-"):
		for _, s := range f.servers() {
			add(s.Pointer, "server ("+orMissing(s.Protocol)+")")
		}
	case pathEnds(path, "channel") || pathEnds(path, "reply", "channel"):
		for _, ch := range f.channels() {
			add(ch.Pointer, "channel")
		}
		components("channels")
	case pathEnds(path, "traits", "-"):
		if pathEnds(path, "messages", "*", "traits", "-") {
			components("messageTraits")
		} else {
			components("operationTraits")
		}
	default:
		for _, kind := range componentKinds {
			components(kind)
		}
		for _, ch := range f.channels() {
			add(ch.Pointer, "channel")
		}
		for _, s := range f.rootServers() {
			add(s.Pointer, "server")
		}
	}
	items := make([]CompletionItem, 0, len(targets))
	for i, t := range targets {
		v := c.quoted(t.ptr)
		items = append(items, CompletionItem{Label: t.ptr, Detail: t.detail, Kind: KindReference, Insert: v, Edit: c.edit(), FilterText: c.filter(v, t.ptr), SortText: fmt.Sprintf("%04d", i)})
	}
	return items
}

var componentKinds = []string{"schemas", "servers", "channels", "operations", "messages", "securitySchemes", "serverVariables",
	"parameters", "correlationIds", "replies", "replyAddresses", "externalDocs", "tags", "operationTraits", "messageTraits",
	"serverBindings", "channelBindings", "operationBindings", "messageBindings"}

// punctuate gives JSON items the commas the text around them needs: one
// after the insert when a member or item follows without one, and one
// after the previous member or item when the typed one is new and the
// previous one has none.
func punctuate(c *cursor, items []CompletionItem) {
	needAfter := c.nextSig == 's' || c.nextSig == 'w' || c.nextSig == '{' || c.nextSig == '['
	needBefore := c.inKey && (c.prevSig == 's' || c.prevSig == 'w' || c.prevSig == '}' || c.prevSig == ']')
	for i := range items {
		it := &items[i]
		if needAfter {
			it.Insert += ","
			if it.PlainInsert != "" {
				it.PlainInsert += ","
			}
		}
		if needBefore {
			it.AdditionalEdits = append(it.AdditionalEdits, syntax.Edit{Start: c.prevSigEnd, End: c.prevSigEnd, Text: ","})
		}
	}
}

// Definition returns the range a $ref (or a 2.x scheme name, or a channel
// server name) at off points to.
func Definition(d *analysis.Document, off int) (syntax.Range, bool) {
	if d == nil || d.Root == nil {
		return syntax.Range{}, false
	}
	for _, r := range d.Refs {
		if d.R(r.Value).Contains(off) && r.Local {
			if k := keyOf(d, r.Target); k != nil {
				return d.R(k), true
			}
			if r.Resolved != nil {
				return d.R(r.Resolved), true
			}
		}
	}
	for _, sec := range d.SecurityLists() {
		for _, alt := range sec.Alternatives {
			for _, e := range alt.Entries {
				e = d.Entry(e)
				if e.Ref == nil && e.Scheme != nil && e.Scheme.Key != nil && d.R(e.Node).Contains(off) {
					return d.R(e.Scheme.Key), true
				}
			}
		}
	}
	for _, ch := range d.Channels {
		for _, sr := range d.ServersOf(ch) {
			if sr.Ref == nil && sr.Server != nil && d.R(sr.Node).Contains(off) {
				return d.R(sr.Server.Key), true
			}
		}
	}
	return syntax.Range{}, false
}

// Location is a place in the document (Path "") or in another file, whose
// Mapper converts Range.
type Location struct {
	Path   string
	Mapper *syntax.Mapper
	Range  syntax.Range
}

// DefinitionLocation is Definition, and also follows $refs into other
// files: to the key that names the target there (or the target node).
func DefinitionLocation(d *analysis.Document, off int) (Location, bool) {
	if d == nil || d.Root == nil {
		return Location{}, false
	}
	for _, r := range d.Refs {
		if r.File == "" || !d.R(r.Value).Contains(off) {
			continue
		}
		key, path, m := d.TargetKey(r)
		target := r.Resolved
		if key != nil {
			target = key
		}
		return Location{Path: path, Mapper: m, Range: target.Range()}, true
	}
	if r, ok := Definition(d, off); ok {
		return Location{Range: r}, true
	}
	return Location{}, false
}

// keyOf returns the key node of the mapping entry a local pointer names.
func keyOf(d *analysis.Document, ptr string) *syntax.Node {
	i := strings.LastIndex(ptr, "/")
	if i < 1 {
		return nil
	}
	parent, err := analysis.ResolvePointer(d.Root, ptr[:i])
	if err != nil {
		return nil
	}
	tok := strings.ReplaceAll(strings.ReplaceAll(ptr[i+1:], "~1", "/"), "~0", "~")
	k, _ := parent.Pair(tok)
	return k
}
