package server

import (
	"context"
	"encoding/json"

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

// navigationCapabilities announces the methods of this file.
func navigationCapabilities(caps *protocol.ServerCapabilities) {
	yes := true
	caps.ReferencesProvider = true
	caps.DocumentHighlightProvider = true
	caps.RenameProvider = protocol.RenameOptions{PrepareProvider: &yes}
}
