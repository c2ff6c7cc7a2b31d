package features

import (
	"fmt"
	"slices"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Quick fixes: edits that resolve one diagnostic each. Every fix keeps the
// text valid YAML/JSON in the document's style (editor, edit.go) and
// removes its diagnostic without adding another; a property test applies
// every fix offered on the corpus and on broken documents and re-analyzes.
//
// Fixes are found from the diagnostic's code and range in the analyzed
// document (never from a client's copy of the diagnostic).

// CodeAction is one quick fix for one diagnostic.
type CodeAction struct {
	Title      string
	Diagnostic syntax.Diagnostic
	Edits      []TextEdit
	// Preferred marks the fix an editor may apply on its own ("fix all",
	// auto-fix): the single obvious one.
	Preferred bool
}

// QuickFixes returns the fixes for the diagnostics (of d, after the user's
// settings) that overlap r.
func QuickFixes(d *analysis.Document, diags []syntax.Diagnostic, r syntax.Range) []CodeAction {
	if d == nil || d.Root == nil || !d.IsAsyncAPI {
		return nil
	}
	for _, g := range d.Diagnostics {
		if g.Code == syntax.CodeYAMLSyntax {
			// The tree is partial: edits placed from it may land in the
			// wrong block. Fix the syntax first.
			return nil
		}
	}
	e := newEditor(d)
	var out []CodeAction
	for _, g := range diags {
		if g.Range.Start > r.End || r.Start > g.Range.End {
			continue
		}
		for _, a := range e.fixes(g) {
			a.Diagnostic = g
			a.Edits = sortEdits(a.Edits)
			if revealsProblems(d, a.Edits, g.Code) {
				continue
			}
			out = append(out, a)
		}
	}
	return out
}

func (e *editor) fixes(g syntax.Diagnostic) []CodeAction {
	switch g.Code {
	case analysis.CodeRequirementShape:
		return e.fixShape(g)
	case analysis.CodeUndefinedScope:
		return e.fixScope(g)
	case analysis.CodeUndefinedScheme:
		return e.fixScheme(g)
	case analysis.CodeScopesNotAllowed:
		return e.fixScopesNotAllowed(g)
	case analysis.CodeSecurityRootLevel:
		return e.fixRootSecurity(g)
	case analysis.CodeUnusedScheme:
		return e.fixUnused(g)
	case analysis.CodeChannelServerUndefined:
		return e.fixChannelServer(g)
	case analysis.CodeRefUnresolved:
		return e.fixRef(g)
	case analysis.CodeInsecureTransport:
		return e.fixTransport(g)
	case analysis.CodeEmptyRequirement:
		return e.fixEmptyRequirement(g)
	}
	return nil
}

// requirements calls f for every alternative of every security list.
func (e *editor) requirements(f func(sec *analysis.Security, req *analysis.Requirement)) {
	for _, sec := range e.d.SecurityLists() {
		for _, req := range sec.Alternatives {
			if req.Node != nil {
				f(sec, req)
			}
		}
	}
}

const schemesPrefix = "#/components/securitySchemes/"

// fixShape converts a 2.x requirement map written in a 3.x document to a
// $ref, and a 3.x $ref written in a 2.x document to a requirement map.
func (e *editor) fixShape(g syntax.Diagnostic) []CodeAction {
	d := e.d
	var out []CodeAction
	e.requirements(func(sec *analysis.Security, req *analysis.Requirement) {
		item := req.Node
		if item.Kind != syntax.MappingNode || len(item.Content) != 2 {
			return
		}
		k, v := item.Content[0], item.Content[1]
		flow := item.Style == syntax.FlowStyle
		switch {
		case d.Version.V3() && len(req.Entries) == 0 && d.R(item) == g.Range:
			s := d.SchemeByName(k.Value)
			if s == nil || v.Resolve() == nil || v.Resolve().Kind != syntax.SequenceNode {
				return
			}
			for _, sc := range v.Resolve().Content {
				if !slices.ContainsFunc(s.Scopes, func(x analysis.Scope) bool { return x.Name == sc.Value }) {
					return // the scopes would be lost: the message explains where they go
				}
			}
			out = append(out, CodeAction{
				Title:     fmt.Sprintf("Replace with $ref to scheme %s", s.Name),
				Edits:     []TextEdit{{Range: d.R(item), NewText: e.refPair(schemesPrefix+encodeToken(s.Name, false), flow)}},
				Preferred: true,
			})
		case !d.Version.V3() && k.Value == "$ref" && d.R(k) == g.Range:
			var r *analysis.Ref
			for _, x := range d.Refs {
				if x.Holder == item {
					r = x
				}
			}
			if r == nil || !r.Local || r.Resolved == nil {
				return
			}
			toks, _ := pointerTokens(d, r)
			if len(toks) != 3 || toks[0] != "components" || toks[1] != "securitySchemes" || d.SchemeByName(toks[2]) == nil {
				return
			}
			for _, other := range sec.Alternatives {
				if other != req && len(other.Entries) == 1 && other.Entries[0].Name == toks[2] && len(other.Entries[0].Scopes) == 0 {
					return // the same requirement is already there
				}
			}
			text := e.key(toks[2], flow) + ": []"
			if flow || e.json {
				text = "{" + text + "}"
			}
			out = append(out, CodeAction{
				Title:     fmt.Sprintf("Replace with requirement `%s: []`", toks[2]),
				Edits:     []TextEdit{{Range: d.R(item), NewText: text}},
				Preferred: true,
			})
		}
	})
	return out
}

// scopeSite is a scope as written in a requirement (2.x) or in a 3.x
// scheme's scopes, with its scheme and list.
type scopeSite struct {
	scope  analysis.Scope
	scheme *analysis.Scheme
	list   []analysis.Scope
}

func (e *editor) scopeAt(r syntax.Range) *scopeSite {
	d := e.d
	var found *scopeSite
	e.requirements(func(_ *analysis.Security, req *analysis.Requirement) {
		for _, en := range req.Entries {
			en = d.Entry(en)
			for _, sc := range en.Scopes {
				if found == nil && sc.Node != nil && en.Scheme != nil && d.R(sc.Node) == r {
					found = &scopeSite{sc, en.Scheme, en.Scopes}
				}
			}
		}
	})
	if found != nil {
		return found
	}
	for _, s := range allSchemes(d) {
		for _, sc := range s.Scopes {
			if sc.Node != nil && d.R(sc.Node) == r {
				return &scopeSite{sc, s, s.Scopes}
			}
		}
	}
	return nil
}

// fixScope offers the declared scopes the name is likely a typo of, and
// declaring it in each flow of the scheme.
func (e *editor) fixScope(g syntax.Diagnostic) []CodeAction {
	d := e.d
	site := e.scopeAt(g.Range)
	if site == nil {
		return nil
	}
	var names []string
	for _, sc := range site.scheme.DeclaredScopes() {
		names = append(names, sc.Name)
	}
	var out []CodeAction
	for _, n := range analysis.NearestNames(site.scope.Name, names, 3) {
		if slices.ContainsFunc(site.list, func(x analysis.Scope) bool { return x.Name == n }) {
			continue
		}
		out = append(out, CodeAction{
			Title: fmt.Sprintf("Change to %q", n),
			Edits: []TextEdit{{Range: d.R(site.scope.Node), NewText: quoteScalar(site.scope.Node, n, e.json)}},
		})
	}
	if len(out) == 1 {
		out[0].Preferred = true
	}
	for _, f := range site.scheme.Flows {
		m := f.ScopesNode.Resolve()
		if m == nil || m.Kind != syntax.MappingNode || (m.Style != syntax.FlowStyle && len(m.Content) == 0) {
			continue
		}
		if ed, ok := e.insertPair(m, site.scope.Name, ystr("")); ok {
			out = append(out, CodeAction{Title: fmt.Sprintf("Declare scope %q in flow %s of scheme %s", site.scope.Name, f.Name, site.scheme.Name), Edits: []TextEdit{ed}})
		}
	}
	return out
}

// schemeUse is an undefined scheme named at a range: a 2.x requirement key
// or a 3.x $ref to components.securitySchemes.
type schemeUse struct {
	name   string
	req    *analysis.Requirement
	entry  *analysis.Entry
	scopes []string
	// malformed is set when a 2.x use of the name has scopes that are not
	// a list: defining the scheme would reveal that problem.
	malformed bool
}

func (e *editor) undefinedSchemeAt(r syntax.Range) *schemeUse {
	d := e.d
	var found *schemeUse
	e.requirements(func(_ *analysis.Security, req *analysis.Requirement) {
		for _, en := range req.Entries {
			en = d.Entry(en)
			if found != nil || en.Scheme != nil {
				continue
			}
			u := &schemeUse{name: en.Name, req: req, entry: en}
			for _, sc := range en.Scopes {
				u.scopes = append(u.scopes, sc.Name)
			}
			switch {
			case en.Ref == nil && en.Node != nil && en.Node.Kind == syntax.ScalarNode && d.R(en.Node) == r:
				found = u
			case en.Ref != nil && en.Ref.Local && d.R(en.Ref.Value) == r:
				toks, _ := pointerTokens(d, en.Ref)
				if len(toks) == 3 && toks[0] == "components" && toks[1] == "securitySchemes" {
					u.name = toks[2]
					found = u
				}
			}
		}
	})
	if found != nil {
		// Creating the scheme serves every use of the name: grant the
		// scopes all of them ask for.
		found.scopes = nil
		e.requirements(func(_ *analysis.Security, req *analysis.Requirement) {
			for _, en := range req.Entries {
				en = d.Entry(en)
				if en.Scheme == nil && en.Ref == nil && en.Name == found.name {
					if v := en.ScopesNode.Resolve(); v == nil || v.Kind != syntax.SequenceNode {
						// once defined, this use's malformed scopes would
						// be reported: fix that first
						found.malformed = true
					}
					for _, sc := range en.Scopes {
						if !slices.Contains(found.scopes, sc.Name) {
							found.scopes = append(found.scopes, sc.Name)
						}
					}
				}
			}
		})
	}
	return found
}

// fixScheme offers the defined schemes the name is likely a typo of, and
// creating the scheme with a skeleton of each type.
func (e *editor) fixScheme(g syntax.Diagnostic) []CodeAction {
	d := e.d
	u := e.undefinedSchemeAt(g.Range)
	if u == nil || u.malformed {
		return nil
	}
	var names []string
	for _, s := range d.Schemes {
		if slices.ContainsFunc(u.req.Entries, func(x *analysis.Entry) bool { return x.Name == s.Name }) {
			continue // would repeat a key of the requirement
		}
		if !grants(s, u.scopes) {
			continue // the scopes asked for would be undefined there
		}
		names = append(names, s.Name)
	}
	var out []CodeAction
	for _, n := range analysis.NearestNames(u.name, names, 3) {
		ed := TextEdit{Range: g.Range, NewText: quoteScalar(u.entry.Node, n, e.json)}
		if u.entry.Ref != nil {
			ed = renameInRef(d, u.entry.Ref, 2, n, e.json)
		}
		out = append(out, CodeAction{Title: fmt.Sprintf("Change to %q", n), Edits: []TextEdit{ed}})
	}
	if len(out) == 1 {
		out[0].Preferred = true
	}
	if k, _ := d.Root.Key("components").Key("securitySchemes").Pair(u.name); k != nil {
		return out // declared, but not as a scheme (a broken $ref chain): nothing to create
	}
	for _, t := range analysis.SchemeTypes(d.Version) {
		sk := e.skeleton(t, u.scopes)
		if sk == nil {
			continue
		}
		if ed, ok := e.addScheme(u.name, sk); ok {
			out = append(out, CodeAction{Title: fmt.Sprintf("Create security scheme %s of type %s", u.name, t), Edits: []TextEdit{ed}})
		}
	}
	return out
}

// skeleton is a minimal valid scheme of type t that grants scopes; nil
// when t takes no scopes and some are asked for.
func (e *editor) skeleton(t string, scopes []string) ymap {
	m := ymap{{"type", ystr(t)}}
	if len(scopes) > 0 && t != "oauth2" && t != "openIdConnect" {
		return nil
	}
	switch t {
	case "apiKey":
		m = append(m, ykv{"in", ystr("user")})
	case "httpApiKey":
		m = append(m, ykv{"name", ystr("X-API-Key")}, ykv{"in", ystr("header")})
	case "http":
		m = append(m, ykv{"scheme", ystr("bearer")})
	case "openIdConnect":
		m = append(m, ykv{"openIdConnectUrl", ystr("https://auth.example.com/.well-known/openid-configuration")})
	case "oauth2":
		declared := ymap{}
		for _, s := range scopes {
			if !slices.ContainsFunc(declared, func(kv ykv) bool { return kv.key == s }) {
				declared = append(declared, ykv{s, ystr("")})
			}
		}
		key := "scopes"
		if e.d.Version.V3() {
			key = "availableScopes"
		}
		m = append(m, ykv{"flows", ymap{{"clientCredentials", ymap{{"tokenUrl", ystr("https://auth.example.com/token")}, {key, declared}}}}})
	}
	return m
}

// addScheme declares a scheme in components.securitySchemes, creating
// the mappings on the way when they are missing.
func (e *editor) addScheme(name string, v yval) (TextEdit, bool) {
	root := e.d.Root
	comps := root.Key("components").Resolve()
	if comps == nil {
		if root.Key("components") != nil {
			return TextEdit{}, false // components: null or a $ref
		}
		return e.insertPair(root, "components", ymap{{"securitySchemes", ymap{{name, v}}}})
	}
	ss := comps.Key("securitySchemes").Resolve()
	if ss == nil {
		if comps.Key("securitySchemes") != nil || comps.Kind != syntax.MappingNode {
			return TextEdit{}, false
		}
		return e.insertPair(comps, "securitySchemes", ymap{{name, v}})
	}
	return e.insertPair(ss, name, v)
}

// fixScopesNotAllowed empties a scope list on a scheme type that takes
// none.
func (e *editor) fixScopesNotAllowed(g syntax.Diagnostic) []CodeAction {
	d := e.d
	var key *syntax.Node
	e.requirements(func(_ *analysis.Security, req *analysis.Requirement) {
		for _, en := range req.Entries {
			if key == nil && !d.Version.V3() && en.Ref == nil && en.ScopesNode != nil && d.R(en.ScopesNode) == g.Range {
				key = en.Node
			}
		}
	})
	for _, s := range allSchemes(d) {
		if k, v := s.Node.Pair("scopes"); key == nil && k != nil && d.R(v) == g.Range {
			key = k
		}
	}
	if key == nil {
		return nil
	}
	return []CodeAction{{
		Title:     "Remove the scopes (this scheme type takes none)",
		Edits:     []TextEdit{{Range: syntax.Range{Start: d.R(key).End, End: g.Range.End}, NewText: ": []"}},
		Preferred: true,
	}}
}

// fixRootSecurity moves root security to every root server that has none.
func (e *editor) fixRootSecurity(g syntax.Diagnostic) []CodeAction {
	d := e.d
	root := d.Root
	k, v := root.Pair("security")
	if k == nil || d.R(k) != g.Range {
		return nil
	}
	servers := root.Key("servers").Resolve()
	if servers == nil || servers.Kind != syntax.MappingNode || len(servers.Content) == 0 {
		return nil
	}
	if !allDefined(d, v) {
		return nil // moving it would bring its undefined schemes to light
	}
	vr := d.R(v)
	raw := yraw{text: string(d.Text[vr.Start:vr.End]), keyCol: column(d, d.R(k).Start), inline: d.Mapper.Line(vr.Start) == d.Mapper.Line(d.R(k).Start)}
	if !raw.inline {
		raw.text = strings.Repeat(" ", column(d, vr.Start)) + raw.text
	}
	edits := []TextEdit{e.removePair(root, pairIndex(root, k))}
	moved, ok := 0, false
	for i := 0; i+1 < len(servers.Content); i += 2 {
		sv := servers.Content[i+1].Resolve()
		if sv == nil || sv.Kind != syntax.MappingNode || sv.Key("$ref") != nil {
			return nil // a server written as a $ref: cannot add fields next to it
		}
		if sv.Key("security") != nil {
			continue
		}
		val := yval(raw)
		if sv.Style == syntax.FlowStyle || e.json || raw.inline {
			if val, ok = valueOf(v); !ok {
				return nil
			}
		}
		var ed TextEdit
		if ed, ok = e.insertPair(sv, "security", val); !ok {
			return nil
		}
		edits = append(edits, ed)
		moved++
	}
	title := "Move the root security to the servers"
	if moved == 0 {
		title = "Remove the root security (every server declares its own)"
	}
	return []CodeAction{{Title: title, Edits: edits, Preferred: true}}
}

// fixUnused removes an unused scheme.
func (e *editor) fixUnused(g syntax.Diagnostic) []CodeAction {
	d := e.d
	ss := d.Root.Key("components").Key("securitySchemes").Resolve()
	for _, s := range d.Schemes {
		if s.Key == nil || d.R(s.Key) != g.Range || ss == nil {
			continue
		}
		if _, v := ss.Pair(s.Name); v.Key("$ref") != nil {
			return nil // an alias of another scheme, which would become unused
		}
		sym := declared(d, []string{"components", "securitySchemes", s.Name}, syntax.Range{})
		for _, u := range uses(d, sym) {
			if u.occ.Kind == Reference {
				return nil // a $ref elsewhere points into it and would break
			}
		}
		i := pairIndex(ss, s.Key)
		if i < 0 {
			return nil
		}
		ed := e.removePair(ss, i)
		if len(ss.Content) == 2 {
			// the last one: leave an empty mapping, not a null
			ssKey, _ := d.Root.Key("components").Resolve().Pair("securitySchemes")
			ed = TextEdit{Range: syntax.Range{Start: d.R(ssKey).End, End: d.R(ss).End}, NewText: ": {}"}
		}
		return []CodeAction{{Title: fmt.Sprintf("Remove unused security scheme %s", s.Name), Edits: []TextEdit{ed}, Preferred: true}}
	}
	return nil
}

// fixChannelServer offers the servers an undefined channel server name is
// likely a typo of; in 3.x it turns a bare server name into a $ref.
func (e *editor) fixChannelServer(g syntax.Diagnostic) []CodeAction {
	d := e.d
	var names []string
	for _, s := range d.RootServers() {
		names = append(names, s.Name)
	}
	for _, c := range allChannels(d) {
		list := c.Node.Key("servers").Resolve()
		for _, sr := range d.ServersOf(c) {
			if sr.Server != nil || sr.Node == nil || d.R(sr.Node) != g.Range {
				continue
			}
			listed := func(n string) bool {
				return slices.ContainsFunc(d.ServersOf(c), func(x *analysis.ServerRef) bool { return x.Name == n })
			}
			var out []CodeAction
			switch {
			case !d.Version.V3() && sr.Node.Kind == syntax.ScalarNode:
				for _, n := range analysis.NearestNames(sr.Node.Value, names, 3) {
					if !listed(n) {
						out = append(out, CodeAction{Title: fmt.Sprintf("Change to %q", n), Edits: []TextEdit{{Range: g.Range, NewText: quoteScalar(sr.Node, n, e.json)}}})
					}
				}
			case d.Version.V3() && sr.Ref == nil && sr.Node.Kind == syntax.ScalarNode && d.ServerByName(sr.Node.Value) != nil:
				flow := list != nil && list.Style == syntax.FlowStyle
				out = append(out, CodeAction{Title: fmt.Sprintf("Replace with $ref to server %s", sr.Node.Value),
					Edits: []TextEdit{{Range: g.Range, NewText: e.refPair("#/servers/"+encodeToken(sr.Node.Value, false), flow)}}})
			case d.Version.V3() && sr.Ref != nil && sr.Ref.Local && sr.Ref.Resolved == nil:
				toks, _ := pointerTokens(d, sr.Ref)
				if len(toks) != 2 || toks[0] != "servers" {
					break
				}
				for _, n := range analysis.NearestNames(toks[1], names, 3) {
					out = append(out, CodeAction{Title: fmt.Sprintf("Change to server %q", n), Edits: []TextEdit{renameInRef(d, sr.Ref, 1, n, e.json)}})
				}
			}
			if len(out) == 1 {
				out[0].Preferred = true
			}
			return out
		}
	}
	return nil
}

// grants reports whether scheme s can be asked for scopes without a new
// diagnostic.
func grants(s *analysis.Scheme, scopes []string) bool {
	if len(scopes) == 0 || s.Type == "openIdConnect" {
		return true
	}
	if s.Type != "oauth2" {
		return false
	}
	for _, sc := range scopes {
		if len(s.FlowsGranting(sc)) == 0 {
			return false
		}
	}
	return true
}

// allDefined reports whether every scheme a security list names exists
// (2.x requirement keys, 3.x local $refs).
func allDefined(d *analysis.Document, list *syntax.Node) bool {
	for _, item := range list.Items() {
		item = item.Resolve()
		if item == nil || item.Kind != syntax.MappingNode {
			return false
		}
		if d.Version.V3() {
			if ref := item.Key("$ref"); ref != nil {
				p, err := analysis.ResolvePointer(d.Root, ref.Value)
				if err != nil || p == nil || p.Key("type") == nil {
					return false
				}
			}
			continue
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			if d.SchemeByName(item.Content[i].Value) == nil {
				return false
			}
		}
	}
	return true
}

// revealsProblems reports whether applying edits makes the checks find
// a new problem. The edits themselves are right, but what they make
// visible is not: root security is checked by nothing until it sits on
// the servers, and a scheme created or referenced for a cleartext server
// is reported as insecure there. Such a fix is not offered (it would trade
// one diagnostic for another). A new syntax error is not such a problem
// but a bug of the edit, left for the property test to see.
func revealsProblems(d *analysis.Document, edits []TextEdit, fixed string) bool {
	// Update takes edits in sequence: from the last one back, each applies
	// to a text whose earlier offsets are unchanged.
	seq := make([]syntax.Edit, 0, len(edits))
	text := d.Text
	for i := len(edits) - 1; i >= 0; i-- {
		ed := edits[i]
		seq = append(seq, syntax.Edit{Start: ed.Range.Start, End: ed.Range.End, Text: ed.NewText})
		text = ApplyEdits(text, []TextEdit{ed})
	}
	after := analysis.Update(d, seq, text)
	count := func(diags []syntax.Diagnostic) map[string]int {
		m := map[string]int{}
		for _, g := range diags {
			m[g.Code]++
		}
		return m
	}
	before, now := count(d.Diagnostics), count(after.Diagnostics)
	for code, n := range now {
		if code != fixed && code != syntax.CodeYAMLSyntax && n > before[code] {
			return true
		}
	}
	return false
}

// fixRef repairs an unresolved local $ref: a key containing '/' written
// unescaped, or a token that is a likely typo of an existing key. Every
// candidate is checked to resolve.
func (e *editor) fixRef(g syntax.Diagnostic) []CodeAction {
	d := e.d
	for _, r := range d.Refs {
		if !r.Local || r.Resolved != nil || d.R(r.Value) != g.Range {
			continue
		}
		toks, _ := pointerTokens(d, r)
		var out []CodeAction
		seen := map[string]bool{}
		for _, cand := range pointerRepairs(d.Root, toks) {
			ptr := "#"
			for _, t := range cand {
				ptr += "/" + encodeToken(t, false)
			}
			if seen[ptr] || ptr == r.Target {
				continue
			}
			if n, err := analysis.ResolvePointer(d.Root, ptr); err != nil || n == nil {
				continue
			}
			seen[ptr] = true
			out = append(out, CodeAction{Title: "Change to " + ptr, Edits: []TextEdit{{Range: g.Range, NewText: quoteScalar(r.Value, ptr, e.json)}}})
		}
		if len(out) == 1 {
			out[0].Preferred = true
		}
		return out
	}
	return nil
}

// pointerRepairs returns token lists close to toks that may resolve: at
// the first token that does not, either several tokens joined by '/' (a
// key containing '/') or the nearest keys.
func pointerRepairs(root *syntax.Node, toks []string) [][]string {
	n := root
	for i, tok := range toks {
		next := step(n, tok)
		if next != nil {
			n = next
			continue
		}
		m := n.Resolve()
		if m == nil || m.Kind != syntax.MappingNode {
			return nil
		}
		var out [][]string
		for j := i + 2; j <= len(toks); j++ {
			joined := strings.Join(toks[i:j], "/")
			if k, _ := m.Pair(joined); k != nil {
				out = append(out, append(append(slices.Clone(toks[:i]), joined), toks[j:]...))
			}
		}
		var keys []string
		m.Pairs(func(k, _ *syntax.Node) { keys = append(keys, k.Value) })
		for _, k := range analysis.NearestNames(tok, keys, 3) {
			cand := slices.Clone(toks)
			cand[i] = k
			out = append(out, cand)
		}
		return out
	}
	return nil
}

// fixTransport switches a server to the TLS variant of its protocol when
// its own security sends credentials in cleartext.
func (e *editor) fixTransport(g syntax.Diagnostic) []CodeAction {
	d := e.d
	for _, s := range d.Servers {
		if s.Security == nil || s.Node == nil {
			continue
		}
		hit := false
		for _, alt := range s.Security.Alternatives {
			for _, en := range alt.Entries {
				en = d.Entry(en)
				if en.Node != nil && d.R(en.Node) == g.Range {
					hit = true
				}
				if en.Ref != nil && d.R(en.Ref.Value) == g.Range {
					hit = true
				}
				if en.Scheme != nil && en.Scheme.Inline && en.Scheme.TypeNode != nil && d.R(en.Scheme.TypeNode) == g.Range {
					hit = true
				}
			}
		}
		v := analysis.TLSVariant(s.Protocol)
		if !hit || v == "" {
			continue
		}
		_, pv := s.Node.Pair("protocol")
		if pv == nil || pv.Kind != syntax.ScalarNode {
			return nil
		}
		return []CodeAction{{Title: fmt.Sprintf("Use protocol %s (TLS) on server %s", v, s.Name),
			Edits: []TextEdit{{Range: d.R(pv), NewText: quoteScalar(pv, v, e.json)}}}}
	}
	return nil
}

// fixEmptyRequirement removes an empty 2.x requirement ({}), which makes
// the whole security list optional.
func (e *editor) fixEmptyRequirement(g syntax.Diagnostic) []CodeAction {
	d := e.d
	for _, sec := range d.SecurityLists() {
		list := sec.Node.Resolve()
		if list == nil || list.Kind != syntax.SequenceNode {
			continue
		}
		for i, it := range list.Content {
			if d.R(it) != g.Range {
				continue
			}
			var ed TextEdit
			if len(list.Content) == 1 {
				ed = TextEdit{Range: syntax.Range{Start: d.R(sec.Key).End, End: d.R(list).End}, NewText: ": []"}
			} else {
				ed = e.removeItem(list, i)
			}
			return []CodeAction{{Title: "Remove the empty requirement (anonymous access)", Edits: []TextEdit{ed}}}
		}
	}
	return nil
}
