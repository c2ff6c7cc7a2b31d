package features

import (
	"fmt"
	"sort"
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
}

// Complete returns the proposals at off. It works on half-typed YAML: the
// context comes from indentation, the facts (schemes, scopes, servers)
// from the model.
func Complete(d *analysis.Document, off int) []CompletionItem {
	if d == nil || !d.IsAsyncAPI || d.Tree == nil || d.Tree.IsJSON {
		return []CompletionItem{}
	}
	c := cursorAt(d, off)
	items := complete(d, c)
	if items == nil {
		items = []CompletionItem{}
	}
	return items
}

func complete(d *analysis.Document, c *cursor) []CompletionItem {
	path := c.path
	switch {
	case c.key == "$ref":
		return completeRef(d, c)
	case c.key == "type" && inSchemeContext(d, path):
		return completeEnum(d, c, analysis.SchemeTypes(d.Version), "security scheme type", schemeTypeDocs)
	case c.key == "in" && inSchemeContext(d, path):
		t := siblingValue(d, c, "type")
		var values []string
		if v := analysis.InValues(t); v != nil {
			values = v
		} else {
			values = append(analysis.InValues("httpApiKey"), analysis.InValues("apiKey")...)
		}
		return completeEnum(d, c, values, "where the key goes ("+orMissing(t)+")", nil)
	case pathEnds(path, "flows") && c.inKey && !c.item && inSchemeContext(d, path[:len(path)-1]):
		return completeFlows(d, c)
	case d.Version.V3() && pathEnds(path, "security", "-") && c.inKey:
		return completeSecurityV3(d, c)
	case !d.Version.V3() && pathEnds(path, "security", "-") && (c.inKey || (c.flow && c.key != "")):
		if c.flow || (c.key != "" && !c.inKey) {
			return completeScopesV2(d, c, c.key)
		}
		return completeRequirementV2(d, c)
	case !d.Version.V3() && pathEnds(path, "security", "-", "*", "-"):
		return completeScopesV2(d, c, path[len(path)-2])
	case !d.Version.V3() && pathEnds(path, "security", "-") && c.key != "" && c.flow:
		return completeScopesV2(d, c, c.key)
	case d.Version.V3() && (pathEnds(path, "scopes", "-") || (c.key == "scopes" && c.flow)):
		return completeScopesV3(d, c)
	case pathEnds(path, "channels", "*", "servers", "-") || (pathEnds(path, "channels", "*") && c.key == "servers" && c.flow):
		return completeChannelServers(d, c)
	}
	return nil
}

// inSchemeContext: the path is a components.securitySchemes entry, or an
// item of a security list (inline 3.x scheme).
func inSchemeContext(d *analysis.Document, path []string) bool {
	return pathEnds(path, "securitySchemes", "*") || (d.Version.V3() && pathEnds(path, "security", "-"))
}

// siblingValue reads key in the mapping the cursor is in (from the tree).
func siblingValue(d *analysis.Document, c *cursor, key string) string {
	if c.parentLine < 0 {
		return ""
	}
	for _, s := range allSchemes(d) {
		if s.Node != nil && d.Mapper.Line(d.R(s.Node).Start) <= d.Mapper.Line(c.off) && d.R(s.Node).Contains(c.lineStart) {
			if key == "type" {
				return s.Type
			}
			return s.Fields[key]
		}
	}
	return ""
}

func (c *cursor) edit() syntax.Range { return syntax.Range{Start: c.prefixStart, End: c.replaceEnd} }

// quoted writes s as a YAML scalar in the quote style the user started.
func (c *cursor) quoted(s string) string {
	q := c.quote
	if q == 0 {
		q = '\''
	}
	if q == '"' {
		return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func completeEnum(d *analysis.Document, c *cursor, values []string, detail string, docs map[string]string) []CompletionItem {
	items := make([]CompletionItem, 0, len(values))
	for _, v := range values {
		insert := v
		if c.quote != 0 {
			insert = c.quoted(v)
		}
		items = append(items, CompletionItem{Label: v, Detail: detail, Documentation: docs[v], Kind: KindEnum, Insert: insert, Edit: c.edit(), FilterText: insert})
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

func completeFlows(d *analysis.Document, c *cursor) []CompletionItem {
	present := map[string]bool{}
	s := schemeAtLine(d, c)
	if s != nil {
		for _, f := range s.Flows {
			present[f.Name] = true
		}
	}
	scopes := "availableScopes"
	if !d.Version.V3() {
		scopes = "scopes"
	}
	ind := strings.Repeat(" ", c.indent+2)
	var items []CompletionItem
	for _, name := range analysis.FlowNames() {
		if present[name] {
			continue
		}
		var lines []string
		plain := []string{name + ":"}
		n := 1
		for _, u := range []string{"authorizationUrl", "tokenUrl"} {
			if analysis.FlowHasURL(name, u) {
				lines = append(lines, fmt.Sprintf("%s%s: ${%d:https://auth.example.com/%s}", ind, u, n, strings.TrimSuffix(u, "Url")))
				plain = append(plain, fmt.Sprintf("%s%s: https://auth.example.com/%s", ind, u, strings.TrimSuffix(u, "Url")))
				n++
			}
		}
		lines = append(lines, fmt.Sprintf("%s%s:\n%s  ${%d:scope}: ${%d:description}", ind, scopes, ind, n, n+1))
		plain = append(plain, fmt.Sprintf("%s%s: {}", ind, scopes))
		items = append(items, CompletionItem{
			Label: name, Detail: "OAuth flow", Kind: KindProperty, Snippet: true,
			Insert: name + ":\n" + strings.Join(lines, "\n"), PlainInsert: strings.Join(plain, "\n"), Edit: c.edit(),
		})
	}
	return items
}

// schemeAtLine finds the scheme whose mapping the cursor's line belongs to.
func schemeAtLine(d *analysis.Document, c *cursor) *analysis.Scheme {
	var best *analysis.Scheme
	for _, s := range allSchemes(d) {
		if s.Node == nil || s.Node.Kind != syntax.MappingNode || syntax.FileOf(s.Node) != 0 {
			continue // a scheme in another file is never under the cursor
		}
		start := d.R(s.Node).Start
		if c.parentLine >= 0 && d.Mapper.Line(start) <= d.Mapper.Line(c.off) && d.Mapper.Line(start) >= c.parentLine-8 &&
			(d.R(s.Node).Contains(c.lineStart) || d.R(s.Node).End >= d.Mapper.LineStart(c.parentLine)) {
			if best == nil || start > d.R(best.Node).Start {
				best = s
			}
		}
	}
	return best
}

func completeSecurityV3(d *analysis.Document, c *cursor) []CompletionItem {
	var items []CompletionItem
	for i, s := range d.Schemes {
		ptr := s.Pointer
		items = append(items, CompletionItem{
			Label: s.Name, Detail: "$ref to security scheme (" + orMissing(s.Type) + ")",
			Documentation: schemeMarkdown(d, s, false), Kind: KindReference,
			Insert: "$ref: '" + ptr + "'", Edit: c.edit(), FilterText: s.Name, SortText: fmt.Sprintf("0%03d", i),
		})
	}
	ind := strings.Repeat(" ", c.indent)
	for i, sn := range inlineSnippets(d.Version) {
		items = append(items, CompletionItem{
			Label: sn.label, Detail: "inline security scheme", Kind: KindSnippet, Snippet: true,
			Insert: strings.ReplaceAll(sn.body, "\n", "\n"+ind), PlainInsert: strings.ReplaceAll(sn.plain, "\n", "\n"+ind),
			Edit: c.edit(), SortText: fmt.Sprintf("1%03d", i),
		})
	}
	return items
}

type snippet struct{ label, body, plain string }

func inlineSnippets(v analysis.Version) []snippet {
	return []snippet{
		{"inline oauth2 scheme",
			"type: oauth2\nflows:\n  clientCredentials:\n    tokenUrl: ${1:https://auth.example.com/token}\n    availableScopes:\n      ${2:scope}: ${3:description}\nscopes:\n  - ${2:scope}",
			"type: oauth2\nflows:\n  clientCredentials:\n    tokenUrl: https://auth.example.com/token\n    availableScopes: {}\nscopes: []"},
		{"inline httpApiKey scheme", "type: httpApiKey\nname: ${1:X-API-Key}\nin: ${2|header,query,cookie|}", "type: httpApiKey\nname: X-API-Key\nin: header"},
		{"inline http bearer scheme", "type: http\nscheme: bearer\nbearerFormat: ${1:JWT}", "type: http\nscheme: bearer\nbearerFormat: JWT"},
	}
}

func completeRequirementV2(d *analysis.Document, c *cursor) []CompletionItem {
	used := map[string]bool{}
	// names already in this requirement map (the lines of the same item)
	for _, sec := range d.SecurityLists() {
		for _, alt := range sec.Alternatives {
			if alt.Node != nil && (d.R(alt.Node).Contains(c.off) || (d.R(alt.Node).End >= d.Mapper.LineStart(max(c.parentLine, 0)) && d.R(alt.Node).Start <= c.lineStart && !c.item)) {
				for _, e := range alt.Entries {
					used[e.Name] = true
				}
			}
		}
	}
	var items []CompletionItem
	for i, s := range d.Schemes {
		if used[s.Name] {
			continue
		}
		items = append(items, CompletionItem{
			Label: s.Name, Detail: "security scheme (" + orMissing(s.Type) + ")", Documentation: schemeMarkdown(d, s, false),
			Kind: KindReference, Insert: s.Name + ": []", Edit: c.edit(), FilterText: s.Name, SortText: fmt.Sprintf("%03d", i),
		})
	}
	return items
}

func completeScopesV2(d *analysis.Document, c *cursor, schemeName string) []CompletionItem {
	s := d.SchemeByName(schemeName)
	if s == nil {
		return nil
	}
	listed := map[string]bool{}
	for _, l := range c.listed {
		listed[l] = true
	}
	// block style: the scopes already in the tree for this entry
	for _, sec := range d.SecurityLists() {
		for _, alt := range sec.Alternatives {
			for _, e := range alt.Entries {
				if e.Name == schemeName && e.ScopesNode != nil && (d.R(e.ScopesNode).Contains(c.off) || d.R(e.Node).Start < c.off && d.R(e.ScopesNode).End+1 >= c.lineStart) {
					for _, sc := range e.Scopes {
						if sc.Node == nil || !d.R(sc.Node).Contains(c.off) {
							listed[sc.Name] = true
						}
					}
				}
			}
		}
	}
	return scopeItems(d, c, s, listed)
}

func completeScopesV3(d *analysis.Document, c *cursor) []CompletionItem {
	s := schemeAtLine(d, c)
	if s == nil {
		return nil
	}
	listed := map[string]bool{}
	for _, l := range c.listed {
		listed[l] = true
	}
	for _, sc := range s.Scopes {
		if sc.Node == nil || !d.R(sc.Node).Contains(c.off) {
			listed[sc.Name] = true
		}
	}
	return scopeItems(d, c, s, listed)
}

func scopeItems(d *analysis.Document, c *cursor, s *analysis.Scheme, listed map[string]bool) []CompletionItem {
	var items []CompletionItem
	for i, sc := range s.DeclaredScopes() {
		if listed[sc.Name] {
			continue
		}
		insert := sc.Name
		if c.quote != 0 || strings.ContainsAny(sc.Name, "#,[]{}&*!|>'\"%@`") || strings.HasPrefix(sc.Name, "- ") {
			insert = c.quoted(sc.Name)
		}
		items = append(items, CompletionItem{
			Label: sc.Name, Detail: fmt.Sprintf("scope of %s (flows: %s)", s.Name, strings.Join(s.FlowsGranting(sc.Name), ", ")),
			Documentation: sc.Description, Kind: KindValue, Insert: insert, Edit: c.edit(), FilterText: insert, SortText: fmt.Sprintf("%03d", i),
		})
	}
	return items
}

func completeChannelServers(d *analysis.Document, c *cursor) []CompletionItem {
	listed := map[string]bool{}
	for _, l := range c.listed {
		listed[l] = true
	}
	chName := ""
	for i := len(c.path) - 1; i > 0; i-- {
		if c.path[i-1] == "channels" {
			chName = c.path[i]
			break
		}
	}
	for _, ch := range d.Channels {
		if ch.Name == chName {
			for _, r := range ch.Servers {
				if r.Node == nil || !d.R(r.Node).Contains(c.off) {
					listed[r.Name] = true
				}
			}
		}
	}
	var items []CompletionItem
	for i, s := range d.RootServers() {
		if listed[s.Name] {
			continue
		}
		insert := s.Name
		if d.Version.V3() {
			insert = "$ref: '" + s.Pointer + "'"
			if c.flow {
				insert = "{$ref: '" + s.Pointer + "'}"
			}
		} else if c.quote != 0 {
			insert = c.quoted(s.Name)
		}
		items = append(items, CompletionItem{
			Label: s.Name, Detail: "server (" + orMissing(s.Protocol) + ")", Documentation: serverMarkdown(d, s),
			Kind: KindReference, Insert: insert, Edit: c.edit(), FilterText: s.Name, SortText: fmt.Sprintf("%03d", i),
		})
	}
	return items
}

// completeRef proposes $ref targets that fit where the $ref is written.
func completeRef(d *analysis.Document, c *cursor) []CompletionItem {
	type target struct{ ptr, detail string }
	var targets []target
	path := c.path
	add := func(ptr, detail string) { targets = append(targets, target{ptr, detail}) }
	switch {
	case pathEnds(path, "security", "-"):
		for _, s := range d.Schemes {
			add(s.Pointer, "security scheme ("+orMissing(s.Type)+")")
		}
	case pathEnds(path, "servers", "-"):
		for _, s := range d.Servers {
			add(s.Pointer, "server ("+orMissing(s.Protocol)+")")
		}
	case pathEnds(path, "channel") || pathEnds(path, "reply", "channel"):
		for _, ch := range d.Channels {
			add(ch.Pointer, "channel")
		}
		componentPointers(d, "channels", add)
	case pathEnds(path, "traits", "-"):
		if pathEnds(path, "messages", "*", "traits", "-") {
			componentPointers(d, "messageTraits", add)
		} else {
			componentPointers(d, "operationTraits", add)
		}
	default:
		for _, kind := range componentKinds {
			componentPointers(d, kind, add)
		}
		for _, ch := range d.Channels {
			add(ch.Pointer, "channel")
		}
		for _, s := range d.RootServers() {
			add(s.Pointer, "server")
		}
	}
	items := make([]CompletionItem, 0, len(targets))
	for i, t := range targets {
		v := c.quoted(t.ptr)
		label := t.ptr
		items = append(items, CompletionItem{Label: label, Detail: t.detail, Kind: KindReference, Insert: v, Edit: c.edit(), FilterText: v, SortText: fmt.Sprintf("%04d", i)})
	}
	return items
}

var componentKinds = []string{"schemas", "servers", "channels", "operations", "messages", "securitySchemes", "serverVariables",
	"parameters", "correlationIds", "replies", "replyAddresses", "externalDocs", "tags", "operationTraits", "messageTraits",
	"serverBindings", "channelBindings", "operationBindings", "messageBindings"}

func componentPointers(d *analysis.Document, kind string, add func(ptr, detail string)) {
	var names []string
	d.Root.Key("components").Key(kind).Pairs(func(k, _ *syntax.Node) { names = append(names, k.Value) })
	sort.Strings(names)
	for _, n := range names {
		add(analysis.PointerTo("components", kind, n), strings.TrimSuffix(kind, "s"))
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
				if e.Ref == nil && e.Scheme != nil && e.Scheme.Key != nil && d.R(e.Node).Contains(off) {
					return d.R(e.Scheme.Key), true
				}
			}
		}
	}
	for _, ch := range d.Channels {
		for _, sr := range ch.Servers {
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
