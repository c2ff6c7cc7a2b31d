package server

import (
	"context"
	"encoding/json"
	"path"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/features"
	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"go.lsp.dev/uri"
)

// Feature handlers: find the snapshot, convert the position, call analysis,
// convert the result. "Nothing here" is a null result, not an error.

// positionRequest decodes the params every position request shares
// (hover, completion, definition), waits for the current analysis of the
// document and converts the position to a byte offset.
func (s *Server) positionRequest(ctx context.Context, raw json.RawMessage) (*document, *analysis.Document, int, error) {
	var p protocol.TextDocumentPositionParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, nil, 0, err
	}
	d, snap, err := s.snapshotFor(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, nil, 0, err
	}
	return d, snap.doc, snap.doc.Mapper.Offset(PositionFromLSP(p.Position)), nil
}

func (s *Server) hover(ctx context.Context, raw json.RawMessage) (any, error) {
	_, doc, off, err := s.positionRequest(ctx, raw)
	if err != nil {
		return nil, err
	}
	h := features.HoverAt(doc, off)
	if h == nil {
		return nil, nil
	}
	r := RangeToLSP(doc.Mapper, h.Range)
	return protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: h.Markdown}, Range: &r}, nil
}

func (s *Server) completion(ctx context.Context, raw json.RawMessage) (any, error) {
	_, doc, off, err := s.positionRequest(ctx, raw)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	snippets := s.snippets
	s.mu.Unlock()
	return protocol.CompletionList{IsIncomplete: false, Items: CompletionItemsToLSP(doc.Mapper, features.Complete(doc, off), snippets)}, nil
}

func (s *Server) definition(ctx context.Context, raw json.RawMessage) (any, error) {
	d, doc, off, err := s.positionRequest(ctx, raw)
	if err != nil {
		return nil, err
	}
	target, ok := features.DefinitionLocation(doc, off)
	if !ok {
		return nil, nil
	}
	return LocationToLSP(d.uri, doc.Mapper, target), nil
}

// EffectiveSecurityResult is the answer to EffectiveSecurityCommand: the
// report as Markdown (one section per operation, which reads well in a
// narrow panel) and as data with source ranges.
type EffectiveSecurityResult struct {
	Markdown   string              `json:"markdown"`
	Operations []SecurityOperation `json:"operations"`
}

func (s *Server) executeCommand(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.ExecuteCommandParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Command != EffectiveSecurityCommand {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "unknown command: " + p.Command}
	}
	var u string
	if len(p.Arguments) > 0 {
		u, _ = p.Arguments[0].(string)
	}
	if u == "" {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: EffectiveSecurityCommand + " needs the document URI as its first argument"}
	}
	d, snap, err := s.snapshotFor(ctx, u)
	if err != nil {
		return nil, err
	}
	report := snap.doc.SecurityReport()
	return EffectiveSecurityResult{
		Markdown:   analysis.ReportMarkdownList(displayName(d.uri), report),
		Operations: EffectiveSecurityToLSP(snap.doc, report),
	}, nil
}

// displayName is the file name a user recognises: the last path segment of
// the URI, decoded.
func displayName(u string) string {
	if parsed, err := uri.Parse(u); err == nil {
		if b := path.Base(parsed.Path()); b != "" && b != "." && b != "/" {
			return b
		}
	}
	return u
}
