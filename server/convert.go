package server

import (
	"net/url"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/features"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/docs/rules"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"go.lsp.dev/uri"
)

// This file is the only place where analysis types become LSP types and
// back. Positions are UTF-16 based on both sides; byte offsets never leave
// analysis without going through the document's Mapper.

const diagnosticSource = "asyncapi-ls"

// PositionToLSP converts an analysis position.
func PositionToLSP(p syntax.Pos) protocol.Position {
	return protocol.Position{Line: protocol.UInteger(p.Line), Character: protocol.UInteger(p.Character)}
}

// PositionFromLSP converts an LSP position.
func PositionFromLSP(p protocol.Position) syntax.Pos {
	return syntax.Pos{Line: int(p.Line), Character: int(p.Character)}
}

// RangeToLSP converts a byte range with the document's mapper.
func RangeToLSP(m *syntax.Mapper, r syntax.Range) protocol.Range {
	pr := m.PosRange(r)
	return protocol.Range{Start: PositionToLSP(pr.Start), End: PositionToLSP(pr.End)}
}

// RangeFromLSP converts an LSP range to editor positions.
func RangeFromLSP(r protocol.Range) syntax.PosRange {
	return syntax.PosRange{Start: PositionFromLSP(r.Start), End: PositionFromLSP(r.End)}
}

// ChangesFromLSP converts didChange content changes (glsp stores values,
// not pointers, of the two event types).
func ChangesFromLSP(changes []any) []syntax.Change {
	out := make([]syntax.Change, 0, len(changes))
	for _, c := range changes {
		switch c := c.(type) {
		case protocol.TextDocumentContentChangeEvent:
			if c.Range == nil {
				out = append(out, syntax.Change{Text: c.Text})
				continue
			}
			r := RangeFromLSP(*c.Range)
			out = append(out, syntax.Change{Range: &r, Text: c.Text})
		case protocol.TextDocumentContentChangeEventWhole:
			out = append(out, syntax.Change{Text: c.Text})
		}
	}
	return out
}

// DiagnosticsToLSP converts diagnostics for uri; the result is never nil,
// because glsp would send a nil slice as null and clients would keep stale
// diagnostics. Every diagnostic links to its code's documentation page
// (codeDescription.href).
func DiagnosticsToLSP(uri string, m *syntax.Mapper, diags []syntax.Diagnostic) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, 0, len(diags))
	for _, d := range diags {
		sev := protocol.DiagnosticSeverity(d.Severity)
		src := diagnosticSource
		pd := protocol.Diagnostic{
			Range:           RangeToLSP(m, d.Range),
			Severity:        &sev,
			Code:            &protocol.IntegerOrString{Value: d.Code},
			CodeDescription: &protocol.CodeDescription{HRef: rules.URL(d.Code)},
			Source:          &src,
			Message:         d.Message,
		}
		for _, t := range d.Tags {
			pd.Tags = append(pd.Tags, protocol.DiagnosticTag(t))
		}
		for _, r := range d.Related {
			loc := protocol.Location{URI: uri, Range: RangeToLSP(m, r.Range)}
			if r.Path != "" && r.Mapper != nil { // a place in another file
				loc = protocol.Location{URI: FileURI(r.Path), Range: RangeToLSP(r.Mapper, r.Range)}
			}
			pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{Location: loc, Message: r.Message})
		}
		out = append(out, pd)
	}
	return out
}

// FileURI is the file: URI of an absolute path, as clients spell it.
func FileURI(path string) string {
	return string(uri.File(path))
}

// LocationToLSP converts a place found by analysis: in the document (uri,
// m) or in another file.
func LocationToLSP(docURI string, m *syntax.Mapper, l features.Location) protocol.Location {
	if l.Path != "" && l.Mapper != nil {
		return protocol.Location{URI: FileURI(l.Path), Range: RangeToLSP(l.Mapper, l.Range)}
	}
	return protocol.Location{URI: docURI, Range: RangeToLSP(m, l.Range)}
}

// CompletionItemsToLSP converts completion items. Snippet items fall back
// to their plain text when the client has no snippet support.
func CompletionItemsToLSP(m *syntax.Mapper, items []features.CompletionItem, snippets bool) []protocol.CompletionItem {
	out := make([]protocol.CompletionItem, 0, len(items))
	for _, it := range items {
		kind := protocol.CompletionItemKind(it.Kind)
		format := protocol.InsertTextFormatPlainText
		text := it.Insert
		if it.Snippet {
			if snippets {
				format = protocol.InsertTextFormatSnippet
			} else {
				text = it.PlainInsert
			}
		}
		ci := protocol.CompletionItem{
			Label:            it.Label,
			Kind:             &kind,
			InsertTextFormat: &format,
			TextEdit:         protocol.TextEdit{Range: RangeToLSP(m, it.Edit), NewText: text},
		}
		if it.Detail != "" {
			d := it.Detail
			ci.Detail = &d
		}
		if it.Documentation != "" {
			ci.Documentation = protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: it.Documentation}
		}
		if it.FilterText != "" {
			f := it.FilterText
			ci.FilterText = &f
		}
		if it.SortText != "" {
			st := it.SortText
			ci.SortText = &st
		}
		if strings.Contains(text, "\n") {
			// The insert carries its own indentation: VS Code would add the
			// line's indentation to every new line again.
			mode := protocol.InsertTextModeAsIs
			ci.InsertTextMode = &mode
		}
		for _, e := range it.AdditionalEdits {
			ci.AdditionalTextEdits = append(ci.AdditionalTextEdits, protocol.TextEdit{Range: RangeToLSP(m, syntax.Range{Start: e.Start, End: e.End}), NewText: e.Text})
		}
		out = append(out, ci)
	}
	return out
}

// symbolKindToLSP maps our outline kinds to the nearest LSP SymbolKind.
func symbolKindToLSP(k features.SymbolKind) protocol.SymbolKind {
	switch k {
	case features.SymbolInfo:
		return protocol.SymbolKindModule
	case features.SymbolServer:
		return protocol.SymbolKindInterface
	case features.SymbolChannel:
		return protocol.SymbolKindEvent
	case features.SymbolOperation:
		return protocol.SymbolKindFunction
	case features.SymbolScheme:
		return protocol.SymbolKindKey
	case features.SymbolMessage:
		return protocol.SymbolKindStruct
	case features.SymbolSchema:
		return protocol.SymbolKindClass
	case features.SymbolComponent:
		return protocol.SymbolKindObject
	default: // sections and component groups
		return protocol.SymbolKindNamespace
	}
}

// DocumentSymbolsToLSP converts an outline to hierarchical DocumentSymbols
// (never null: an empty outline is []).
func DocumentSymbolsToLSP(m *syntax.Mapper, syms []features.Symbol) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, 0, len(syms))
	for _, s := range syms {
		ds := protocol.DocumentSymbol{
			Name:           s.Name,
			Kind:           symbolKindToLSP(s.Kind),
			Range:          RangeToLSP(m, s.Range),
			SelectionRange: RangeToLSP(m, s.Selection),
		}
		if ds.Name == "" {
			ds.Name = `""` // LSP forbids empty names
		}
		if s.Detail != "" {
			detail := s.Detail
			ds.Detail = &detail
		}
		if len(s.Children) > 0 {
			ds.Children = DocumentSymbolsToLSP(m, s.Children)
		}
		out = append(out, ds)
	}
	return out
}

// WorkspaceSymbolToLSP converts a symbol found in the document at uri.
func WorkspaceSymbolToLSP(uri string, m *syntax.Mapper, s features.WorkspaceSymbol) protocol.SymbolInformation {
	si := protocol.SymbolInformation{
		Name:     s.Name,
		Kind:     symbolKindToLSP(s.Kind),
		Location: protocol.Location{URI: uri, Range: RangeToLSP(m, s.Selection)},
	}
	if si.Name == "" {
		si.Name = `""`
	}
	if s.Container != "" {
		c := s.Container
		si.ContainerName = &c
	}
	return si
}

// LocationsToLSP converts occurrences in the document uri to locations;
// never nil (an empty list is the answer "no references").
func LocationsToLSP(uri string, m *syntax.Mapper, occ []features.Occurrence) []protocol.Location {
	out := make([]protocol.Location, 0, len(occ))
	for _, o := range occ {
		out = append(out, protocol.Location{URI: uri, Range: RangeToLSP(m, o.Range)})
	}
	return out
}

// HighlightsToLSP converts occurrences to highlights: a declaration is a
// write, a use a read.
func HighlightsToLSP(m *syntax.Mapper, occ []features.Occurrence) []protocol.DocumentHighlight {
	out := make([]protocol.DocumentHighlight, 0, len(occ))
	for _, o := range occ {
		kind := protocol.DocumentHighlightKindRead
		if o.Kind == features.Declaration {
			kind = protocol.DocumentHighlightKindWrite
		}
		out = append(out, protocol.DocumentHighlight{Range: RangeToLSP(m, o.Range), Kind: &kind})
	}
	return out
}

// RenameTargetToLSP converts a prepareRename answer ({range, placeholder}).
func RenameTargetToLSP(m *syntax.Mapper, t features.RenameTarget) protocol.RangeWithPlaceholder {
	return protocol.RangeWithPlaceholder{Range: RangeToLSP(m, t.Range), Placeholder: t.Placeholder}
}

// TextEditsToLSP converts edits of one document; never nil.
func TextEditsToLSP(m *syntax.Mapper, edits []features.TextEdit) []protocol.TextEdit {
	out := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		out = append(out, protocol.TextEdit{Range: RangeToLSP(m, e.Range), NewText: e.NewText})
	}
	return out
}

// WorkspaceEditToLSP converts edits of the document uri to a workspace
// edit (the plain `changes` form every client supports).
func WorkspaceEditToLSP(uri string, m *syntax.Mapper, edits []features.TextEdit) protocol.WorkspaceEdit {
	return protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{uri: TextEditsToLSP(m, edits)}}
}

// CodeActionsToLSP converts quick fixes: each carries its diagnostic (as
// published) and a workspace edit; never nil.
func CodeActionsToLSP(uri string, m *syntax.Mapper, actions []features.CodeAction) []protocol.CodeAction {
	out := make([]protocol.CodeAction, 0, len(actions))
	for _, a := range actions {
		kind := protocol.CodeActionKindQuickFix
		edit := WorkspaceEditToLSP(uri, m, a.Edits)
		ca := protocol.CodeAction{
			Title:       a.Title,
			Kind:        &kind,
			Diagnostics: DiagnosticsToLSP(uri, m, []syntax.Diagnostic{a.Diagnostic}),
			Edit:        &edit,
		}
		if a.Preferred {
			yes := true
			ca.IsPreferred = &yes
		}
		out = append(out, ca)
	}
	return out
}

// InlayHint is LSP 3.17's InlayHint (glsp v0.2.2 has none).
type InlayHint struct {
	Position    protocol.Position      `json:"position"`
	Label       string                 `json:"label"`
	Tooltip     protocol.MarkupContent `json:"tooltip"`
	PaddingLeft bool                   `json:"paddingLeft,omitempty"`
}

// InlayHintsToLSP converts security hints; never nil.
func InlayHintsToLSP(m *syntax.Mapper, hints []features.SecurityHint) []InlayHint {
	out := make([]InlayHint, 0, len(hints))
	for _, h := range hints {
		out = append(out, InlayHint{
			Position:    PositionToLSP(m.Position(h.At)),
			Label:       h.Line,
			Tooltip:     protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: h.Tooltip},
			PaddingLeft: true,
		})
	}
	return out
}

// CodeLensesToLSP converts security hints to code lenses on the operation
// keys' lines, whose command shows the document's effective security.
func CodeLensesToLSP(uri string, m *syntax.Mapper, hints []features.SecurityHint, command string) []protocol.CodeLens {
	out := make([]protocol.CodeLens, 0, len(hints))
	for _, h := range hints {
		p := PositionToLSP(m.Position(h.At))
		out = append(out, protocol.CodeLens{
			Range:   protocol.Range{Start: p, End: p},
			Command: &protocol.Command{Title: h.Line, Command: command, Arguments: []any{uri}},
		})
	}
	return out
}

// DocumentLinksToLSP converts links; a $ref's document is resolved against
// the document's URI (links that resolve to nothing are dropped); never
// nil.
func DocumentLinksToLSP(docURI string, m *syntax.Mapper, links []features.Link) []protocol.DocumentLink {
	out := make([]protocol.DocumentLink, 0, len(links))
	base, baseErr := url.Parse(docURI)
	for _, l := range links {
		target := l.Target
		if l.Ref {
			ref, err := url.Parse(l.Target)
			if err != nil || baseErr != nil {
				continue
			}
			target = base.ResolveReference(ref).String()
		}
		tip := l.Tooltip
		out = append(out, protocol.DocumentLink{Range: RangeToLSP(m, l.Range), Target: &target, Tooltip: &tip})
	}
	return out
}

// SecurityOperation is the effective security of one operation as the
// asyncapi-ls.effectiveSecurity command answers it: analysis' report
// (names, types, flags) with the source range (LSP positions) of every
// part, so that an editor can show it as a tree and jump to each part.
// Places in other files (a scheme reached through a $ref into another
// file) have no range.
type SecurityOperation struct {
	Name    string         `json:"name"`
	Action  string         `json:"action"`
	Channel string         `json:"channel"`
	Range   protocol.Range `json:"range"` // the operation's key
	// Servers are the servers the operation is available on; for each, one
	// of its alternatives AND one of Operation's must hold.
	Servers []SecurityServer `json:"servers"`
	// Operation is the operation layer: the operation's own security, or
	// the one of trait OperationFrom; empty when none is declared.
	Operation     []SecurityAlternative `json:"operation"`
	OperationFrom string                `json:"operationFrom,omitempty"`
	// OperationRange is the security list of the operation layer.
	OperationRange *protocol.Range `json:"operationRange,omitempty"`
	// Why the operation's or its servers' security is unknown (not absent):
	// as in analysis.OperationReport.
	Unresolved            bool     `json:"unresolved,omitempty"`
	External              bool     `json:"external,omitempty"`
	Invalid               bool     `json:"invalid,omitempty"`
	ChannelServersInvalid bool     `json:"channelServersInvalid,omitempty"`
	ChannelUnresolved     bool     `json:"channelUnresolved,omitempty"`
	ChannelExternal       bool     `json:"channelExternal,omitempty"`
	UndefinedServers      []string `json:"undefinedServers,omitempty"`
}

// SecurityServer is one applicable server.
type SecurityServer struct {
	Name     string         `json:"name"`
	Protocol string         `json:"protocol,omitempty"`
	Range    protocol.Range `json:"range"` // the server's key
	// Requirements are the server's alternatives (one must hold).
	Requirements  []SecurityAlternative `json:"requirements"`
	SecurityRange *protocol.Range       `json:"securityRange,omitempty"`
	// Unresolved, External, Invalid: its security is unknown (analysis.ServerReport).
	Unresolved bool `json:"unresolved,omitempty"`
	External   bool `json:"external,omitempty"`
	Invalid    bool `json:"invalid,omitempty"`
}

// SecurityAlternative is one entry of a security list: every scheme in it
// must hold. Anonymous is a 2.x empty requirement ({}), which allows
// access without credentials.
type SecurityAlternative struct {
	Range     protocol.Range   `json:"range"`
	Anonymous bool             `json:"anonymous,omitempty"`
	Schemes   []SecurityScheme `json:"schemes"`
}

// SecurityScheme is one scheme an alternative requires (analysis.Need).
type SecurityScheme struct {
	Scheme string         `json:"scheme"`
	Type   string         `json:"type,omitempty"`
	Range  protocol.Range `json:"range"` // where the requirement names it
	// Definition is the scheme's definition (components.securitySchemes key
	// or inline scheme) in this document; absent otherwise.
	Definition  *protocol.Range  `json:"definition,omitempty"`
	External    bool             `json:"external,omitempty"` // not followed: NotFollowed says why
	NotFollowed string           `json:"notFollowed,omitempty"`
	Undefined   bool             `json:"undefined,omitempty"`
	Invalid     bool             `json:"invalid,omitempty"` // resolves to something that is not a scheme
	Scopes      []SecurityScopes `json:"scopes"`
}

// SecurityScopes is a scope the requirement asks for; Range is absent when
// it is written in another file.
type SecurityScopes struct {
	Name  string          `json:"name"`
	Range *protocol.Range `json:"range,omitempty"`
}

// EffectiveSecurityToLSP adds source ranges to report, which is
// doc.SecurityReport(): both follow doc.Operations, the effective servers
// and the alternatives that Security.Needs keeps, in the same order.
func EffectiveSecurityToLSP(doc *analysis.Document, report []analysis.OperationReport) []SecurityOperation {
	local := func(n *syntax.Node) *protocol.Range {
		if n == nil || syntax.FileOf(n) != 0 {
			return nil
		}
		r := RangeToLSP(doc.Mapper, doc.R(n))
		return &r
	}
	rng := func(n *syntax.Node, fallback protocol.Range) protocol.Range {
		if r := local(n); r != nil {
			return *r
		}
		return fallback
	}
	alternatives := func(sec *analysis.Security, needs [][]analysis.Need, fallback protocol.Range) []SecurityAlternative {
		out := []SecurityAlternative{}
		if sec == nil {
			return out
		}
		i := 0
		for _, req := range sec.Alternatives {
			if len(req.Entries) == 0 && !req.Empty {
				continue // skipped by Needs too: malformed, with its own diagnostic
			}
			if i >= len(needs) || len(needs[i]) != len(req.Entries) {
				break // cannot happen while Needs keeps its rule; never pair wrong data
			}
			altRange := rng(req.Node, fallback)
			alt := SecurityAlternative{Range: altRange, Anonymous: req.Empty, Schemes: []SecurityScheme{}}
			for k, e := range req.Entries {
				e = doc.Entry(e)
				n := needs[i][k]
				sc := SecurityScheme{Scheme: n.Scheme, Type: n.Type, Range: rng(e.Node, altRange), External: n.External,
					NotFollowed: n.NotFollowed, Undefined: n.Unresolved, Invalid: n.Invalid, Scopes: []SecurityScopes{}}
				if e.Scheme != nil {
					if e.Scheme.Key != nil {
						sc.Definition = local(e.Scheme.Key)
					} else {
						sc.Definition = local(e.Scheme.Node)
					}
				}
				for _, s := range e.Scopes {
					sc.Scopes = append(sc.Scopes, SecurityScopes{Name: s.Name, Range: local(s.Node)})
				}
				alt.Schemes = append(alt.Schemes, sc)
			}
			out = append(out, alt)
			i++
		}
		return out
	}
	out := make([]SecurityOperation, 0, len(report))
	for i, op := range doc.Operations {
		if i >= len(report) {
			break
		}
		r := report[i]
		e := doc.EffectiveSecurity(op)
		opRange := rng(op.Key, protocol.Range{})
		so := SecurityOperation{Name: r.Name, Action: r.Action, Channel: r.Channel, Range: opRange,
			Servers: []SecurityServer{}, Operation: alternatives(e.Layer, r.Operation, opRange), OperationFrom: r.OperationFrom,
			Unresolved: r.Unresolved, External: r.External, Invalid: r.Invalid, ChannelServersInvalid: r.ChannelServersInvalid,
			ChannelUnresolved: r.ChannelUnresolved, ChannelExternal: r.ChannelExternal, UndefinedServers: r.UndefinedServers}
		if e.Layer != nil {
			so.OperationRange = local(e.Layer.Key)
		}
		for j, srv := range e.Servers {
			if j >= len(r.Servers) {
				break
			}
			sr := r.Servers[j]
			srvRange := rng(srv.Key, opRange)
			ss := SecurityServer{Name: sr.Name, Protocol: sr.Protocol, Range: srvRange, Unresolved: sr.Unresolved, External: sr.External, Invalid: sr.Invalid}
			if srv.Security != nil {
				ss.Requirements = alternatives(srv.Security, sr.Requirements, srvRange)
				ss.SecurityRange = local(srv.Security.Key)
			} else {
				ss.Requirements = []SecurityAlternative{}
			}
			so.Servers = append(so.Servers, ss)
		}
		out = append(out, so)
	}
	return out
}
