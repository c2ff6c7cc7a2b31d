// Package analysis is the editor-neutral engine of asyncapi-ls: text and
// positions, the YAML/JSON tree with exact byte ranges, the lenient AsyncAPI
// model, the security checks, effective security, and the data behind hovers
// and completions.
//
// It owns its own small types (Range, Pos, Diagnostic, Hover, CompletionItem)
// and must never import an LSP library: the server package converts at its
// edge, and the CLI reuses the same conversion. A test enforces this.
//
// Invariants:
//   - Every Range is a half-open byte range into the exact text that was
//     analysed. Lines and UTF-16 columns exist only in Mapper.
//   - Analysis never panics on any input and never stops at the first
//     problem: it builds a partial model and reports diagnostics.
//   - A Document is immutable once built; a new text version gets a new one.
//
// Who may depend on it: server, main (the CLI), tests. It depends only on
// the standard library and yaml parsers.
package analysis
