// Package features holds the editor features of asyncapi-ls computed over
// an analyzed Document: hover (HoverAt, EffectiveMarkdown), completion
// (Complete) with the cursor context it reads from half-typed text, and
// go-to-definition (Definition), references, highlights and rename
// (References, Highlights, PrepareRename, Rename), quick fixes
// (QuickFixes), the effective security as a one-line hint per operation
// (SecurityHints) and document links (DocumentLinks). Results use
// editor-neutral types (Hover, CompletionItem, Occurrence, TextEdit,
// CodeAction, syntax.Range); the server converts them to LSP.
//
// The line being typed rarely parses, so the features read the context
// from the text (cursor.go for YAML by indentation, jsoncursor.go for JSON
// by a tolerant scan, textcontext.go for the keys and items around the
// cursor) and the facts from the model, or while the text is broken from
// the document's last good model (facts.go, hoverbroken.go; see
// analysis.Document.LastGood).
//
// Who may depend on it: server, main, tests. It depends on analysis and
// syntax, never on an LSP library (a test enforces this).
package features
