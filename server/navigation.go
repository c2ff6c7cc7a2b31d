package server

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/features"
	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// Navigation and refactoring handlers (references, highlights, rename):
// find the snapshot, convert the position, call features, convert back.

func (s *Server) references(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.ReferenceParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	d, snap, err := s.snapshotFor(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	doc := snap.doc
	off := doc.Mapper.Offset(PositionFromLSP(p.Position))
	return LocationsToLSP(d.uri, doc.Mapper, features.References(doc, off, p.Context.IncludeDeclaration)), nil
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
	var p protocol.RenameParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	d, snap, err := s.snapshotFor(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	doc := snap.doc
	edits, err := features.Rename(doc, doc.Mapper.Offset(PositionFromLSP(p.Position)), p.NewName)
	if err != nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: err.Error()}
	}
	return WorkspaceEditToLSP(d.uri, doc.Mapper, edits), nil
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
func navigationCapabilities(caps *protocol.ServerCapabilities) {
	yes := true
	caps.CodeActionProvider = protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}}
	caps.ReferencesProvider = true
	caps.DocumentHighlightProvider = true
	caps.RenameProvider = protocol.RenameOptions{PrepareProvider: &yes}
}
