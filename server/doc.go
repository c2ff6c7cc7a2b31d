// Package server is the LSP front end of asyncapi-ls on github.com/tliron/glsp.
//
// It owns the JSON-RPC wiring (a wrapper around glsp's 3.16 handler that
// recovers panics, guards glsp's known crashes, answers 3.17 methods and
// parses $/cancelRequest itself), the document store with incremental text
// sync, background analysis with coalescing, a bounded pool for feature
// requests (requests.go: cancellation, error codes, cleanup when the
// client disconnects), and settings. Handlers are
// thin: find the snapshot, convert positions, call package analysis,
// convert the result. Every LSP <-> analysis conversion lives in convert.go.
//
// Who may depend on it: main (the binary and the CLI, which prints the same
// LSP Diagnostic objects the server publishes) and tests.
package server
