package features

import (
	"fmt"
	"sort"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Hover is the Markdown shown for a range of the document.
type Hover struct {
	Markdown string
	Range    syntax.Range
}

// HoverAt returns what to show at off: the most specific of a scope, a
// security requirement entry, a scheme declaration, a server, or an
// operation (anywhere in its block), or nil.
func HoverAt(d *analysis.Document, off int) *Hover {
	if d == nil || !d.IsAsyncAPI {
		return nil
	}
	if d.Root == nil {
		return hoverOperation(d, off)
	}
	if h := hoverNode(d, off); h != nil && !spansSyntaxError(d, h.Range) {
		return h
	}
	return hoverOperation(d, off)
}

// hoverNode is the hover of a scope, an entry, a scheme or a server at off.
func hoverNode(d *analysis.Document, off int) *Hover {
	if h := hoverScope(d, off); h != nil {
		return h
	}
	if h := hoverEntry(d, off); h != nil {
		return h
	}
	for _, s := range d.Schemes {
		if d.R(s.Key).Contains(off) {
			return &Hover{Markdown: schemeMarkdown(d, s, true), Range: d.R(s.Key)}
		}
	}
	for _, s := range d.Servers {
		if d.R(s.Key).Contains(off) {
			return &Hover{Markdown: serverMarkdown(d, s), Range: d.R(s.Key)}
		}
	}
	return nil
}

// allSchemes returns component and inline schemes.
func allSchemes(d *analysis.Document) []*analysis.Scheme {
	return append(append([]*analysis.Scheme{}, d.Schemes...), d.Inline...)
}

func hoverScope(d *analysis.Document, off int) *Hover {
	for _, sec := range d.SecurityListsAt(off) {
		for _, alt := range sec.Alternatives {
			for _, e := range alt.Entries {
				e = d.Entry(e)
				for _, sc := range e.Scopes {
					if sc.Node != nil && d.R(sc.Node).Contains(off) && e.Scheme != nil {
						return &Hover{Markdown: scopeMarkdown(d, e.Scheme, sc.Name), Range: d.R(sc.Node)}
					}
				}
			}
		}
	}
	// A scheme's scopes are inside its node unless an alias brings them
	// from elsewhere: one range test per scheme instead of one per scope.
	anchored := d.Tree == nil || d.Tree.Anchored()
	for _, list := range [][]*analysis.Scheme{d.Schemes, d.Inline} {
		for _, s := range list {
			if !anchored && s.Node != nil && !d.R(s.Node).Contains(off) {
				continue
			}
			for _, sc := range s.Scopes {
				if sc.Node != nil && d.R(sc.Node).Contains(off) {
					return &Hover{Markdown: scopeMarkdown(d, s, sc.Name), Range: d.R(sc.Node)}
				}
			}
			for _, f := range s.Flows {
				for _, sc := range f.Scopes {
					if d.R(sc.Key).Contains(off) {
						return &Hover{Markdown: scopeMarkdown(d, s, sc.Name), Range: d.R(sc.Key)}
					}
				}
			}
		}
	}
	return nil
}

func hoverEntry(d *analysis.Document, off int) *Hover {
	for _, sec := range d.SecurityListsAt(off) {
		for _, alt := range sec.Alternatives {
			for _, e := range alt.Entries {
				e = d.Entry(e)
				r := d.R(e.Node)
				if e.Ref != nil {
					r = d.R(e.Ref.Value)
				} else if e.Scheme != nil && e.Scheme.Inline {
					if e.Scheme.TypeNode == nil || !d.R(e.Scheme.TypeNode).Contains(off) {
						continue // inside an inline scheme: only its type line
					}
					r = d.R(e.Scheme.TypeNode)
				}
				if !r.Contains(off) {
					continue
				}
				if e.Scheme == nil {
					msg := fmt.Sprintf("**`%s`** is not defined", e.Name)
					switch {
					case e.External:
						msg = fmt.Sprintf("**`%s`** is in another document and was not followed: %s", e.Name, e.Ref.Err)
					case e.Ref != nil && e.Ref.Resolved != nil:
						msg = fmt.Sprintf("**`$ref: '%s'`** resolves, but not to a Security Scheme (no known `type`)", e.Ref.Target)
					}
					return &Hover{Markdown: msg, Range: r}
				}
				return &Hover{Markdown: schemeMarkdown(d, e.Scheme, true), Range: r}
			}
		}
	}
	return nil
}

// schemeDetails renders what a client must present for a scheme.
func schemeDetails(d *analysis.Document, s *analysis.Scheme, b *strings.Builder, indent string) {
	if s.Type == "" {
		fmt.Fprintf(b, "%s- type: _missing_\n", indent)
		return
	}
	f := s.Fields
	switch s.Type {
	case "httpApiKey":
		fmt.Fprintf(b, "%s- API key in %s `%s`\n", indent, orMissing(f["in"]), orMissing(f["name"]))
	case "apiKey":
		fmt.Fprintf(b, "%s- API key in the %s\n", indent, orMissing(f["in"]))
	case "http":
		fmt.Fprintf(b, "%s- HTTP `%s` authentication", indent, orMissing(f["scheme"]))
		if f["bearerFormat"] != "" {
			fmt.Fprintf(b, " (bearer format %s)", f["bearerFormat"])
		}
		b.WriteString("\n")
	case "openIdConnect":
		fmt.Fprintf(b, "%s- OpenID Connect discovery: %s\n", indent, orMissing(f["openIdConnectUrl"]))
	case "oauth2":
		for _, fl := range s.Flows {
			fmt.Fprintf(b, "%s- flow `%s`", indent, fl.Name)
			for _, u := range []string{"authorizationUrl", "tokenUrl", "refreshUrl"} {
				if v := fl.Node.Key(u).Str(); v != "" {
					fmt.Fprintf(b, ", %s %s", u, v)
				}
			}
			b.WriteString("\n")
		}
		if len(s.Flows) == 0 {
			fmt.Fprintf(b, "%s- flows: _missing_\n", indent)
		}
	}
	if f["description"] != "" {
		fmt.Fprintf(b, "%s- %s\n", indent, oneLine(f["description"]))
	}
}

func orMissing(s string) string {
	if s == "" {
		return "_(missing)_"
	}
	return s
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}

// needLine renders one required scheme with its scopes and descriptions.
func needLine(d *analysis.Document, n analysis.Need) string {
	if n.External {
		return fmt.Sprintf("`%s` — in another document, not followed: %s", n.Scheme, n.NotFollowed)
	}
	if n.Invalid {
		return fmt.Sprintf("`%s` — **not a Security Scheme**", n.Scheme)
	}
	if n.Ref == nil {
		return fmt.Sprintf("`%s` — **not defined**", n.Scheme)
	}
	s := fmt.Sprintf("`%s` (%s)", n.Scheme, orMissing(n.Type))
	if len(n.Scopes) > 0 {
		var parts []string
		for _, sc := range n.Scopes {
			desc := ""
			for _, decl := range n.Ref.DeclaredScopes() {
				if decl.Name == sc && decl.Description != "" {
					desc = " — " + oneLine(decl.Description)
				}
			}
			parts = append(parts, fmt.Sprintf("`%s`%s", sc, desc))
		}
		s += ", scopes: " + strings.Join(parts, "; ")
	}
	return s
}

func alternativesMarkdown(d *analysis.Document, b *strings.Builder, needs [][]analysis.Need) {
	for _, alt := range needs {
		if len(alt) == 0 {
			b.WriteString("- anonymous access (`{}`)\n")
			continue
		}
		lines := make([]string, len(alt))
		for i, n := range alt {
			lines[i] = needLine(d, n)
		}
		fmt.Fprintf(b, "- %s\n", strings.Join(lines, " **and** "))
		for _, n := range alt {
			if n.Ref != nil {
				schemeDetails(d, n.Ref, b, "  ")
			}
		}
	}
}

// EffectiveMarkdown explains the effective security of an operation.
func EffectiveMarkdown(d *analysis.Document, op *analysis.Operation) string {
	e := d.EffectiveSecurity(op)
	var b strings.Builder
	fmt.Fprintf(&b, "**Operation `%s`**", op.Name)
	var facts []string
	if op.Action != "" {
		facts = append(facts, op.Action)
	}
	if op.Channel != nil {
		facts = append(facts, "channel `"+op.Channel.Name+"`")
	}
	if len(facts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(facts, ", "))
	}
	b.WriteString("\n\n### Effective security\n\n")
	if op.Problem != "" {
		fmt.Fprintf(&b, "Unknown: %s, so its channel, servers and security cannot be read.\n", problemText(op.Problem, "the operation"))
		return b.String()
	}
	layer := d.Needs(e.Layer)
	serversSecured, serversUnknown := false, e.ServersInvalid || e.ChannelProblem != ""
	for _, s := range e.Servers {
		if len(d.Needs(s.Security)) > 0 {
			serversSecured = true
		}
		if s.Problem != "" {
			serversUnknown = true
		}
	}
	if !serversSecured && !serversUnknown && len(e.Unmatched) == 0 && len(layer) == 0 {
		b.WriteString("Nothing protects this operation: ")
		if len(e.Servers) == 0 {
			b.WriteString("the document declares no servers, and the operation declares no security.\n")
		} else {
			b.WriteString("none of its servers declares security, and neither does the operation.\n")
		}
		return b.String()
	}
	switch {
	case e.ChannelProblem == analysis.ProblemUnresolved:
		b.WriteString("The operation's channel $ref does not resolve, so the servers it runs on, and their security, are unknown.\n\n")
	case e.ChannelProblem == analysis.ProblemExternal:
		b.WriteString("The operation's channel is in another document (not followed), so the servers it runs on, and their security, are unknown.\n\n")
	case e.ServersInvalid:
		b.WriteString("The channel's `servers` is not a list, so the servers this operation runs on, and their security, are unknown.\n\n")
	case len(e.Servers) == 0 && len(e.Unmatched) > 0:
		fmt.Fprintf(&b, "No server applies: the channel names no defined root server (%s).\n\n", codeList(e.Unmatched))
	case len(e.Servers) == 0:
		b.WriteString("No server applies (the document declares no servers): only the operation layer exists.\n\n")
	}
	for _, s := range e.Servers {
		fmt.Fprintf(&b, "**Server `%s`**", s.Name)
		if s.Protocol != "" {
			fmt.Fprintf(&b, " (%s)", s.Protocol)
		}
		if s.Problem != "" {
			fmt.Fprintf(&b, ": server security unknown — %s\n\n", problemText(s.Problem, "the server"))
			continue
		}
		needs := d.Needs(s.Security)
		if len(needs) == 0 {
			b.WriteString(": no server security\n\n")
			continue
		}
		b.WriteString(" — one of:\n\n")
		alternativesMarkdown(d, &b, needs)
		b.WriteString("\n")
	}
	ignored := op.Security != nil
	for _, t := range op.Traits {
		ignored = ignored || t.Security != nil
	}
	switch {
	case !d.Version.V3() && !d.Version.AtLeast(2, 4) && ignored:
		fmt.Fprintf(&b, "**Operation**: its `security` is ignored (operation and trait security exist only from AsyncAPI 2.4.0; this document is %s)\n\n", d.Version.Raw)
	case len(layer) == 0:
		b.WriteString("**Operation**: no operation security declared\n\n")
	default:
		b.WriteString("**Operation**")
		switch {
		case e.LayerTrait != nil && op.Security != nil:
			fmt.Fprintf(&b, " (from trait `%s`, which replaces the operation's own security: %s traits are JSON Merge Patches)", e.LayerTrait.Name, d.Version.Raw)
		case e.LayerTrait != nil:
			fmt.Fprintf(&b, " (from trait `%s`)", e.LayerTrait.Name)
		}
		b.WriteString(" — one of:\n\n")
		alternativesMarkdown(d, &b, layer)
		b.WriteString("\n")
	}
	if d.Version.AtLeast(2, 4) {
		fmt.Fprintf(&b, "_Server and operation security both apply (AsyncAPI %s): the operation's security adds to the server's, it never replaces it._\n", d.Version.Raw)
	} else {
		fmt.Fprintf(&b, "_AsyncAPI %s has server security only._\n", d.Version.Raw)
	}
	if e.AllServers && len(e.Servers) > 1 {
		b.WriteString("_The channel names no servers, so it is available on all of them._\n")
	}
	if len(e.Servers) > 0 && len(e.Unmatched) > 0 {
		fmt.Fprintf(&b, "_The channel also names %s, which is not a defined root server: it does not apply._\n", codeList(e.Unmatched))
	}
	return b.String()
}

// problemText explains a Server or Operation Problem.
func problemText(problem, what string) string {
	switch problem {
	case analysis.ProblemUnresolved:
		return what + " is unresolved (its $ref does not resolve)"
	case analysis.ProblemExternal:
		return what + " is external (its $ref points into another document, which is not followed)"
	default:
		return what + " is invalid (not a mapping)"
	}
}

func codeList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "`" + n + "`"
	}
	return strings.Join(out, ", ")
}

func schemeMarkdown(d *analysis.Document, s *analysis.Scheme, withUses bool) string {
	var b strings.Builder
	name := s.Name
	fmt.Fprintf(&b, "**Security scheme `%s`** — type `%s`\n", name, orMissing(s.Type))
	var details strings.Builder
	schemeDetails(d, s, &details, "")
	if details.Len() > 0 {
		b.WriteString("\n" + details.String())
	}
	if decl := s.DeclaredScopes(); len(decl) > 0 {
		b.WriteString("\nScopes:\n")
		for _, sc := range decl {
			fmt.Fprintf(&b, "- `%s` — %s (flows: %s)\n", sc.Name, oneLine(sc.Description), strings.Join(s.FlowsGranting(sc.Name), ", "))
		}
	}
	if len(s.Scopes) > 0 {
		var names []string
		for _, sc := range s.Scopes {
			names = append(names, "`"+sc.Name+"`")
		}
		fmt.Fprintf(&b, "\nRequires scopes: %s\n", strings.Join(names, ", "))
	}
	if withUses {
		b.WriteString("\n" + usesMarkdown(d, s))
	}
	return b.String()
}

func usesMarkdown(d *analysis.Document, s *analysis.Scheme) string {
	uses := d.Uses(s)
	if len(uses) == 0 {
		return "Not used anywhere.\n"
	}
	var lines []string
	for _, u := range uses {
		line := d.Mapper.Position(u.Range.Start).Line + 1
		if u.Owner != "" {
			lines = append(lines, fmt.Sprintf("- %s (line %d)", u.Owner, line))
		} else {
			lines = append(lines, fmt.Sprintf("- line %d", line))
		}
	}
	return "Used by:\n" + strings.Join(lines, "\n") + "\n"
}

func scopeMarkdown(d *analysis.Document, s *analysis.Scheme, scope string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Scope `%s`** of scheme `%s`\n\n", scope, s.Name)
	flows := s.FlowsGranting(scope)
	switch {
	case s.Type == "openIdConnect":
		b.WriteString("OpenID Connect scopes are discovered at run time; this one cannot be checked here.\n")
	case len(flows) == 0:
		b.WriteString("**Not declared** by any flow of this scheme.\n")
	default:
		for _, decl := range s.DeclaredScopes() {
			if decl.Name == scope && decl.Description != "" {
				b.WriteString(oneLine(decl.Description) + "\n\n")
			}
		}
		fmt.Fprintf(&b, "Granted by flows: %s\n", strings.Join(flows, ", "))
	}
	return b.String()
}

func serverMarkdown(d *analysis.Document, s *analysis.Server) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Server `%s`**", s.Name)
	if s.Protocol != "" {
		fmt.Fprintf(&b, " (%s)", s.Protocol)
	}
	if s.Host != "" {
		fmt.Fprintf(&b, " — %s", s.Host)
	}
	b.WriteString("\n\n")
	needs := d.Needs(s.Security)
	if s.Problem != "" {
		fmt.Fprintf(&b, "Security unknown: %s.\n", problemText(s.Problem, "this server"))
	} else if len(needs) == 0 {
		b.WriteString("No server security declared.\n")
	} else {
		b.WriteString("Security — one of:\n\n")
		alternativesMarkdown(d, &b, needs)
	}
	var ops []string
	for _, op := range d.Operations {
		for _, srv := range d.EffectiveSecurity(op).Servers {
			if srv == s {
				ops = append(ops, "`"+op.Name+"`")
			}
		}
	}
	sort.Strings(ops)
	if len(ops) > 0 {
		fmt.Fprintf(&b, "\nOperations on this server: %s\n", strings.Join(ops, ", "))
	} else {
		b.WriteString("\nNo operations on this server.\n")
	}
	return b.String()
}
