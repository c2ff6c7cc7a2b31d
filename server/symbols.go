package server

import (
	"context"
	"encoding/json"
	"sort"

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

// workspaceSymbol answers workspace/symbol with the symbols of every open
// AsyncAPI document whose name matches the query, ordered by document
// and position.
func (s *Server) workspaceSymbol(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.WorkspaceSymbolParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	docs := s.docs.all()
	sort.Slice(docs, func(i, j int) bool { return docs[i].uri < docs[j].uri })
	out := []protocol.SymbolInformation{}
	for _, d := range docs {
		snap, err := d.current(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			continue // closed meanwhile
		}
		for _, sym := range features.SearchSymbols(features.Outline(snap.doc), p.Query) {
			out = append(out, WorkspaceSymbolToLSP(d.uri, snap.doc.Mapper, sym))
		}
	}
	return out, nil
}
