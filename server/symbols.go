package server

import (
	"context"
	"encoding/json"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/features"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// documentSymbol answers textDocument/documentSymbol with the outline of
// the current analysis, as hierarchical DocumentSymbols.
func (s *Server) documentSymbol(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.DocumentSymbolParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	_, snap, err := s.snapshotFor(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	return DocumentSymbolsToLSP(snap.doc.Mapper, features.Outline(snap.doc)), nil
}

// workspaceSymbol answers workspace/symbol with the symbols whose name
// matches the query, from every open AsyncAPI document and every document
// the workspace scan found (workspaceDocuments), ordered by path and
// position.
func (s *Server) workspaceSymbol(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.WorkspaceSymbolParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	out := []protocol.SymbolInformation{}
	for _, wd := range s.workspaceDocuments(ctx) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, sym := range features.SearchSymbols(features.Outline(wd.Doc), p.Query) {
			out = append(out, WorkspaceSymbolToLSP(wd.URI, wd.Doc.Mapper, sym))
		}
	}
	return out, nil
}
