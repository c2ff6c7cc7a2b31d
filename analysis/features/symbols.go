package features

import (
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// SymbolKind says what an outline entry is; the server maps it to the
// nearest LSP SymbolKind.
type SymbolKind uint8

const (
	SymbolSection   SymbolKind = iota + 1 // a root section: servers, channels, components...
	SymbolInfo                            // the info object
	SymbolServer                          // a server
	SymbolChannel                         // a channel
	SymbolOperation                       // an operation (3.x, or 2.x publish/subscribe)
	SymbolKindGroup                       // a kind of component: schemas, messages...
	SymbolScheme                          // a security scheme
	SymbolMessage                         // a message
	SymbolSchema                          // a schema
	SymbolComponent                       // any other component (parameters, traits, replies...)
)

// Symbol is one entry of a document's outline.
type Symbol struct {
	Name      string
	Detail    string
	Kind      SymbolKind
	Range     syntax.Range // the whole entry, key and value
	Selection syntax.Range // the key
	Children  []Symbol
}

// Outline returns the document's outline: info (title and version),
// servers (protocol and host), channels (address; 2.x operations under
// them), operations (action and channel), components by kind. It reads the
// tree, so whatever part of a broken document parsed is still outlined.
func Outline(d *analysis.Document) []Symbol {
	if d == nil || !d.IsAsyncAPI || d.Root == nil || d.Root.Kind != syntax.MappingNode {
		return nil
	}
	v2 := d.Version.Major == 2
	var out []Symbol
	d.Root.Pairs(func(k, v *syntax.Node) {
		switch k.Value {
		case "info":
			out = append(out, entry(d, k, v, "Info", detailJoin(str(v, "title"), str(v, "version")), SymbolInfo))
		case "servers":
			out = append(out, section(d, k, v, serverSymbols(d, v)))
		case "channels":
			out = append(out, section(d, k, v, channelSymbols(d, v, v2)))
		case "operations":
			out = append(out, section(d, k, v, operationSymbols(d, v)))
		case "components":
			out = append(out, section(d, k, v, componentSymbols(d, v, v2)))
		}
	})
	return out
}

func section(d *analysis.Document, k, v *syntax.Node, children []Symbol) Symbol {
	s := entry(d, k, v, k.Value, "", SymbolSection)
	s.Children = children
	return s
}

// entry is the symbol of one key/value pair.
func entry(d *analysis.Document, k, v *syntax.Node, name, detail string, kind SymbolKind) Symbol {
	sel := d.R(k)
	r := sel
	if v != nil {
		if vr := d.R(v); vr.End > r.End {
			r.End = vr.End
		}
	}
	return Symbol{Name: name, Detail: detail, Kind: kind, Range: r, Selection: sel}
}

func serverSymbols(d *analysis.Document, m *syntax.Node) []Symbol {
	var out []Symbol
	pairs(m, func(k, v *syntax.Node) {
		host := str(v, "host")
		if host == "" {
			host = str(v, "url")
		}
		detail := detailJoin(str(v, "protocol"), host)
		if ref := str(v, "$ref"); ref != "" {
			detail = "→ " + ref
		}
		out = append(out, entry(d, k, v, k.Value, detail, SymbolServer))
	})
	return out
}

func channelSymbols(d *analysis.Document, m *syntax.Node, v2 bool) []Symbol {
	var out []Symbol
	pairs(m, func(k, v *syntax.Node) {
		detail := str(v, "address")
		if ref := str(v, "$ref"); ref != "" {
			detail = "→ " + ref
		}
		s := entry(d, k, v, k.Value, detail, SymbolChannel)
		if v2 {
			pairs(v, func(ok, ov *syntax.Node) {
				if ok.Value == "publish" || ok.Value == "subscribe" {
					name := ok.Value
					if id := str(ov, "operationId"); id != "" {
						name = id
					}
					s.Children = append(s.Children, entry(d, ok, ov, name, ok.Value, SymbolOperation))
				}
			})
		}
		out = append(out, s)
	})
	return out
}

func operationSymbols(d *analysis.Document, m *syntax.Node) []Symbol {
	var out []Symbol
	pairs(m, func(k, v *syntax.Node) {
		channel := ""
		if v != nil && v.Kind == syntax.MappingNode {
			if c := v.Key("channel"); c != nil {
				channel = lastSegment(str(c, "$ref"))
			}
		}
		detail := str(v, "action")
		if channel != "" {
			detail = detailJoin(detail, "→ "+channel)
		}
		if ref := str(v, "$ref"); ref != "" {
			detail = "→ " + ref
		}
		out = append(out, entry(d, k, v, k.Value, detail, SymbolOperation))
	})
	return out
}

// componentSymbolKinds gives the symbol of each kind of component.
var componentSymbolKinds = map[string]SymbolKind{
	"securitySchemes": SymbolScheme,
	"messages":        SymbolMessage,
	"schemas":         SymbolSchema,
	"servers":         SymbolServer,
	"channels":        SymbolChannel,
	"operations":      SymbolOperation,
}

func componentSymbols(d *analysis.Document, m *syntax.Node, v2 bool) []Symbol {
	var out []Symbol
	pairs(m, func(k, v *syntax.Node) {
		kind, ok := componentSymbolKinds[k.Value]
		if !ok {
			kind = SymbolComponent
		}
		group := entry(d, k, v, k.Value, "", SymbolKindGroup)
		var children []Symbol
		switch k.Value {
		case "servers":
			children = serverSymbols(d, v)
		case "channels":
			children = channelSymbols(d, v, v2)
		case "operations":
			children = operationSymbols(d, v)
		default:
			pairs(v, func(ck, cv *syntax.Node) {
				detail := ""
				if k.Value == "securitySchemes" {
					detail = str(cv, "type")
				}
				if ref := str(cv, "$ref"); ref != "" {
					detail = "→ " + ref
				}
				children = append(children, entry(d, ck, cv, ck.Value, detail, kind))
			})
		}
		group.Children = children
		out = append(out, group)
	})
	return out
}

// pairs calls f for each pair of a mapping node (nothing for other nodes).
func pairs(m *syntax.Node, f func(k, v *syntax.Node)) {
	if m == nil || m.Kind != syntax.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == syntax.ScalarNode {
			f(m.Content[i], m.Content[i+1])
		}
	}
}

// str is the scalar value of key in mapping m, or "".
func str(m *syntax.Node, key string) string {
	if m == nil || m.Kind != syntax.MappingNode {
		return ""
	}
	if v := m.Key(key); v != nil && v.Kind == syntax.ScalarNode {
		return v.Value
	}
	return ""
}

func lastSegment(ref string) string {
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return strings.ReplaceAll(strings.ReplaceAll(ref[i+1:], "~1", "/"), "~0", "~")
	}
	return ref
}

func detailJoin(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

// WorkspaceSymbol is a symbol found by a workspace-wide search, flattened
// out of an outline.
type WorkspaceSymbol struct {
	Symbol
	Container string // the names of its ancestors, joined by "/"
}

// SearchSymbols returns the symbols of an outline whose name matches query
// (case-insensitive, the query's characters in order: "sndord" finds
// "sendOrder"); an empty query matches everything. Sections and component
// groups are containers, not results.
func SearchSymbols(outline []Symbol, query string) []WorkspaceSymbol {
	var out []WorkspaceSymbol
	var walk func([]Symbol, string)
	walk = func(syms []Symbol, container string) {
		for _, s := range syms {
			if s.Kind != SymbolSection && s.Kind != SymbolKindGroup && fuzzyMatch(s.Name, query) {
				leaf := s
				leaf.Children = nil
				out = append(out, WorkspaceSymbol{Symbol: leaf, Container: container})
			}
			c := s.Name
			if container != "" {
				c = container + "/" + s.Name
			}
			walk(s.Children, c)
		}
	}
	walk(outline, "")
	return out
}

func fuzzyMatch(name, query string) bool {
	n, q := strings.ToLower(name), strings.ToLower(query)
	for _, c := range q {
		i := strings.IndexRune(n, c)
		if i < 0 {
			return false
		}
		n = n[i+len(string(c)):]
	}
	return true
}
