// Package analysis is the AsyncAPI layer of asyncapi-ls: the lenient model
// of a document (servers, channels, operations, traits, security schemes),
// $ref resolution, the security checks and their diagnostic codes, the
// official JSON Schema validation (package schema) turned into diagnostics,
// effective security and the security report. A Document is one text
// version: its syntax tree (package syntax), its model and its diagnostics;
// Analyze builds one, Update builds the next from an edit, re-parsing only
// the edited region (syntax.UpdateTree) and reusing the model parts it can.
//
// It must never import an LSP library: the server package converts at its
// edge, and the CLI reuses the same conversion. A test enforces this.
//
// Invariants:
//   - Every range is a half-open byte range into the exact text that was
//     analyzed; read the ranges of a Document's nodes through Document.R.
//   - Analysis never panics on any input and never stops at the first
//     problem: it builds a partial model and reports diagnostics.
//   - A Document is immutable once built; a new text version gets a new one.
//
// Who may depend on it: features, server, main (the CLI), tests. It depends
// on packages syntax, workspace (files that $refs name, see external.go)
// and schema (JSON Schema validation) and the standard library only,
// never on features.
package analysis
