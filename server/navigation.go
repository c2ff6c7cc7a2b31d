package server

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/features"
	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// Navigation and refactoring handlers (references, highlights, rename):
// find the snapshot, convert the position, call features, convert back.

func (s *Server) references(ctx context.Context, raw json.RawMessage) (any, error) {
	d, doc, off, err := s.positionRequest(ctx, raw)
	if err != nil {
		return nil, err
	}
	var p protocol.ReferenceParams // for its context (positionRequest decoded the rest)
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	locs := LocationsToLSP(d.uri, doc.Mapper, features.References(doc, off, p.Context.IncludeDeclaration))
	if sym, ok := features.PointerSymbolAt(doc, off); ok {
		for _, other := range s.otherDocuments(ctx, d.uri) {
			into := refsInto(other.Path, uriPath(d.uri))
			locs = append(locs, LocationsToLSP(other.URI, other.Doc.Mapper, features.ExternalReferences(other.Doc, sym, into))...)
		}
	}
	return locs, nil
}

// otherDocuments are the workspace's documents (open and indexed) other
// than the one at u: $refs in them may point into it.
func (s *Server) otherDocuments(ctx context.Context, u string) []workspaceDocument {
	self := uriPath(u)
	var out []workspaceDocument
	for _, wd := range s.workspaceDocuments(ctx) {
		if wd.URI != u && wd.Path != "" && wd.Path != self && wd.Doc != nil {
			out = append(out, wd)
		}
	}
	return out
}

// refsInto returns whether a $ref's document part, written in the document
// at from, names the file at target (relative references only: http(s)
// documents are never the target of an edit).
func refsInto(from, target string) func(doc string) bool {
	return func(doc string) bool {
		if target == "" || from == "" || strings.Contains(doc, "://") {
			return false
		}
		dec, err := url.PathUnescape(doc)
		if err != nil {
			return false
		}
		p := filepath.FromSlash(dec)
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(from), p)
		}
		return filepath.Clean(p) == filepath.Clean(target)
	}
}

func (s *Server) documentHighlight(ctx context.Context, raw json.RawMessage) (any, error) {
	_, doc, off, err := s.positionRequest(ctx, raw)
	if err != nil {
		return nil, err
	}
	return HighlightsToLSP(doc.Mapper, features.Highlights(doc, off)), nil
}

func (s *Server) prepareRename(ctx context.Context, raw json.RawMessage) (any, error) {
	_, doc, off, err := s.positionRequest(ctx, raw)
	if err != nil {
		return nil, err
	}
	t, err := features.PrepareRename(doc, off)
	if err != nil {
		// An error answer is how the client shows the user why not.
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: err.Error()}
	}
	return RenameTargetToLSP(doc.Mapper, t), nil
}

func (s *Server) rename(ctx context.Context, raw json.RawMessage) (any, error) {
	d, doc, off, err := s.positionRequest(ctx, raw)
	if err != nil {
		return nil, err
	}
	var p protocol.RenameParams // for the new name (positionRequest decoded the rest)
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	edits, err := features.Rename(doc, off, p.NewName)
	if err != nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: err.Error()}
	}
	we := WorkspaceEditToLSP(d.uri, doc.Mapper, edits)
	if sym, ok := features.PointerSymbolAt(doc, off); ok {
		// $refs from other documents of the workspace follow too.
		for _, other := range s.otherDocuments(ctx, d.uri) {
			if ext := features.RenameExternal(other.Doc, sym, p.NewName, refsInto(other.Path, uriPath(d.uri))); len(ext) > 0 {
				we.Changes[other.URI] = TextEditsToLSP(other.Doc.Mapper, ext)
			}
		}
	}
	return we, nil
}

// codeActionParams is protocol.CodeActionParams without the client's
// diagnostics, which glsp v0.2.2 decodes lossily (their code) and which
// the server does not trust anyway: fixes come from the snapshot's own
// diagnostics at the range.
type codeActionParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
	Context      struct {
		Only []string `json:"only"`
	} `json:"context"`
}

func (s *Server) codeAction(ctx context.Context, raw json.RawMessage) (any, error) {
	var p codeActionParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if !wantsKind(p.Context.Only, string(protocol.CodeActionKindQuickFix)) {
		return []protocol.CodeAction{}, nil
	}
	d, snap, err := s.snapshotFor(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	doc := snap.doc
	diags, ignored := s.configure(d.uri, doc)
	if ignored {
		return []protocol.CodeAction{}, nil
	}
	r := doc.Mapper.Range(RangeFromLSP(p.Range))
	return CodeActionsToLSP(d.uri, doc.Mapper, features.QuickFixes(doc, diags, r)), nil
}

// wantsKind reports whether a codeAction request's `only` filter admits
// kind (an absent filter admits all; "quickfix" admits "quickfix.x").
func wantsKind(only []string, kind string) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if o == kind || strings.HasPrefix(kind, o+".") {
			return true
		}
	}
	return false
}

// navigationCapabilities announces the methods of this file.
func navigationCapabilities(caps *serverCapabilities) {
	yes := true
	caps.InlayHintProvider = true
	caps.DocumentLinkProvider = &protocol.DocumentLinkOptions{}
	caps.CodeLensProvider = &protocol.CodeLensOptions{}
	caps.CodeActionProvider = protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}}
	caps.ReferencesProvider = true
	caps.DocumentHighlightProvider = true
	caps.RenameProvider = protocol.RenameOptions{PrepareProvider: &yes}
}

// methodInlayHint is LSP 3.17's textDocument/inlayHint, which glsp v0.2.2
// lacks: it is answered from asyncRequests with our own types.
const methodInlayHint = "textDocument/inlayHint"

// readClientCapabilities reads from initialize's raw params whether the
// client supports inlay hints (LSP 3.17, absent from glsp's types).
func (s *Server) readClientCapabilities(raw json.RawMessage) {
	type refreshSupport struct {
		RefreshSupport bool `json:"refreshSupport"`
	}
	var p struct {
		Capabilities struct {
			TextDocument struct {
				InlayHint *json.RawMessage `json:"inlayHint"`
			} `json:"textDocument"`
			Workspace struct {
				InlayHint refreshSupport `json:"inlayHint"`
				CodeLens  refreshSupport `json:"codeLens"`
			} `json:"workspace"`
		} `json:"capabilities"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return
	}
	s.mu.Lock()
	s.inlayHints = p.Capabilities.TextDocument.InlayHint != nil
	s.refresh = hintRefresh{inlay: p.Capabilities.Workspace.InlayHint.RefreshSupport, lens: p.Capabilities.Workspace.CodeLens.RefreshSupport}
	s.mu.Unlock()
}

// hintRefresh says which refresh requests the client accepts.
type hintRefresh struct{ inlay, lens bool }

// refreshHints asks the client to re-request inlay hints and code lenses
// when a settings change turned them on or off.
func (s *Server) refreshHints(before, after Settings) {
	s.mu.Lock()
	r := s.refresh
	s.mu.Unlock()
	changed := func(a, b *bool) bool { return (a == nil) != (b == nil) || (a != nil && *a != *b) }
	if r.inlay && changed(before.InlayHints, after.InlayHints) {
		s.call("workspace/inlayHint/refresh", nil)
	}
	if r.lens && (changed(before.CodeLens, after.CodeLens) || changed(before.InlayHints, after.InlayHints)) {
		s.call(protocol.ServerWorkspaceCodeLensRefresh, nil)
	}
}

// hintSettings says which of inlay hints and code lenses to answer.
func (s *Server) hintSettings() (inlay, lens bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inlay = s.settings.InlayHints == nil || *s.settings.InlayHints
	lens = !s.inlayHints || !inlay
	if s.settings.CodeLens != nil {
		lens = *s.settings.CodeLens
	}
	return inlay, lens
}

type inlayHintParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
}

func (s *Server) inlayHint(ctx context.Context, raw json.RawMessage) (any, error) {
	var p inlayHintParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if on, _ := s.hintSettings(); !on {
		return []InlayHint{}, nil
	}
	_, snap, err := s.snapshotFor(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	doc := snap.doc
	return InlayHintsToLSP(doc.Mapper, features.SecurityHintsIn(doc, doc.Mapper.Range(RangeFromLSP(p.Range)))), nil
}

func (s *Server) codeLens(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.CodeLensParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if _, on := s.hintSettings(); !on {
		return []protocol.CodeLens{}, nil
	}
	d, snap, err := s.snapshotFor(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	return CodeLensesToLSP(d.uri, snap.doc.Mapper, features.SecurityHints(snap.doc), EffectiveSecurityCommand), nil
}

func (s *Server) documentLink(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.DocumentLinkParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	d, snap, err := s.snapshotFor(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	return DocumentLinksToLSP(d.uri, snap.doc.Mapper, features.DocumentLinks(snap.doc)), nil
}
