package analysis

import (
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// The last good model. While a line is being typed the text often does not
// parse, and the partial model of that text may have lost exactly what the
// editor features need (the scheme names a completion offers, the security
// of the operation under the mouse). Update therefore remembers, on every
// Document whose text is broken, the most recent earlier Document of the
// same editing session whose text was not: hover and completion take their
// facts from it where the current model lacks them. It is the only link
// between Documents of different text versions besides Update's own, and
// it never chains (a good Document has no LastGood).
//
// "Broken" is a syntax error the parser recovered from. The parser is the
// one source of truth: a quote left open on the line being typed is its
// "quoted string is never closed" error (a syntax error stays in its
// region, so YAML no longer reads the string on over the lines after it).

// LastGood returns the latest earlier version of this document (as Update
// saw the versions) whose text was not broken, when this one is; nil when
// this one is not broken or no earlier version was good.
func (d *Document) LastGood() *Document {
	if d == nil {
		return nil
	}
	return d.lastGood
}

// SyntaxBroken reports whether the text is broken: parts of it may be
// missing from the tree, or read as something else.
func (d *Document) SyntaxBroken() bool {
	return d != nil && (d.Tree == nil || len(d.BrokenAt()) > 0)
}

// BrokenAt returns where the text is broken: the syntax diagnostics the
// parser recovered from. Duplicate keys and JSON-only strictness (a trailing comma)
// leave the tree complete, so they are not among them.
func (d *Document) BrokenAt() []syntax.Diagnostic {
	if d == nil || d.Tree == nil {
		return nil
	}
	var out []syntax.Diagnostic
	for _, dg := range d.Tree.Diagnostics {
		if !syntax.IsDuplicateKey(dg) && !strings.HasPrefix(dg.Message, "not valid JSON: ") {
			out = append(out, dg)
		}
	}
	return out
}

// rememberLastGood links d to the good version known when prev was the
// previous one. edits made prev's text into d's.
func (d *Document) rememberLastGood(prev *Document, edits []syntax.Edit) {
	if d == nil || prev == nil || d == prev {
		return
	}
	if !d.SyntaxBroken() {
		return
	}
	same := len(d.Text)
	for _, e := range edits {
		same = min(same, e.Start)
	}
	if !prev.SyntaxBroken() {
		d.lastGood, d.lastGoodSame = prev, same
	} else if prev.lastGood != nil {
		d.lastGood, d.lastGoodSame = prev.lastGood, min(prev.lastGoodSame, same)
	}
}

// LastGoodSame returns the length of the text that this document and
// LastGood have in common at their start: offsets below it mean the same
// place in both, so the last good tree can answer for them.
func (d *Document) LastGoodSame() int {
	if d == nil || d.lastGood == nil {
		return 0
	}
	return d.lastGoodSame
}
