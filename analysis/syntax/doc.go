// Package syntax is the syntax layer of asyncapi-ls, and knows nothing of
// AsyncAPI: text and editor positions (Range, Pos, Mapper with UTF-16
// columns), edits (Change, Edit, ApplyChanges), the YAML/JSON tree with
// exact byte ranges (Node, Tree, ParseTree, with the region-wise cold
// parse of YAML and of pretty-printed JSON, error-tolerant: tolerant.go and
// jsonregion.go, inside the document's BOM, directives and markers:
// body.go; JSON escape handling, syntax error and duplicate key
// diagnostics), the shift log that translates the ranges of nodes shared
// between text versions, and the incremental tree update (UpdateTree,
// UpdateMapper), which re-parses one region also in a broken text (and
// one run of members of a compact JSON text: jsoncompact.go, whose syntax
// error is confined to one member by scans from both ends:
// jsoncompactbroken.go).
// It also owns the Diagnostic type that every layer reports with.
//
// Invariants:
//   - Every Range is a half-open byte range into the exact text that was
//     parsed. Lines and UTF-16 columns exist only in Mapper.
//   - Parsing never panics and never stops at the first problem: a syntax
//     error is confined to the smallest region (block-mapping entry, JSON
//     member) that holds it, with one diagnostic; the rest of the tree is
//     what the text without that region parses to.
//   - The tree of a text does not depend on how it was reached: a cold
//     parse and any sequence of updates give the same nodes, ranges and
//     diagnostics (broken regions included).
//   - Trees are immutable once built and are read concurrently; updates
//     share unchanged nodes.
//
// Who may depend on it: analysis, features, server, main, tests. It
// depends only on the standard library and the yaml parsers, never on
// analysis or an LSP library (a test enforces this).
package syntax
