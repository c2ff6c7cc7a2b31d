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
// "Broken" is a syntax error the parser recovered from, or a quote left
// open on the line being typed: YAML reads a quoted string on over the
// following lines, so `- $ref: '#/comp` followed by the rest of the
// document parses, with every line up to the next quote inside one string.

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
// parser recovered from, and a quote that Update saw left open on an
// edited line. Duplicate keys and JSON-only strictness (a trailing comma)
// leave the tree complete, so they are not among them.
func (d *Document) BrokenAt() []syntax.Diagnostic {
	if d == nil || d.Tree == nil {
		return nil
	}
	var out []syntax.Diagnostic
	for _, dg := range d.Tree.Diagnostics {
		if !strings.HasPrefix(dg.Message, "duplicate key ") && !strings.HasPrefix(dg.Message, "not valid JSON: ") {
			out = append(out, dg)
		}
	}
	if d.openQuote != nil {
		out = append(out, *d.openQuote)
	}
	return out
}

// rememberLastGood links d to the good version known when prev was the
// previous one. edits made prev's text into d's: a quote left open on the
// last edited line counts as broken.
func (d *Document) rememberLastGood(prev *Document, edits []syntax.Edit) {
	if d == nil || prev == nil || d == prev {
		return
	}
	if len(edits) > 0 && d.Tree != nil && !d.Tree.IsJSON {
		// the lines the last edit wrote (a few; a paste of many is not typing)
		e := edits[len(edits)-1]
		end := min(e.Start+len(e.Text), len(d.Text))
		for l, n := d.Mapper.Line(min(e.Start, end)), 0; l <= d.Mapper.Line(end) && n < 8 && d.openQuote == nil; l, n = l+1, n+1 {
			d.openQuote = openQuoteAt(d, l)
		}
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

// openQuoteAt finds a quote the line leaves open when the next
// non-blank line is not indented more than that line: YAML would read the
// string on into it, which is never what a user who is typing the string
// means.
func openQuoteAt(d *Document, line int) *syntax.Diagnostic {
	m, text := d.Mapper, d.Text
	ls, le := m.LineStart(line), m.LineEnd(line)
	open := -1
	var q byte
	for i := ls; i < le; i++ {
		c := text[i]
		switch {
		case q == '\'' && c == '\'':
			if i+1 < le && text[i+1] == '\'' {
				i++
			} else {
				q, open = 0, -1
			}
		case q == '"' && c == '\\':
			i++
		case q == '"' && c == '"':
			q, open = 0, -1
		case q != 0:
		case c == '#' && (i == ls || text[i-1] == ' ' || text[i-1] == '\t'):
			i = le
		case (c == '\'' || c == '"') && (i == ls || strings.IndexByte(" \t[{,:-", text[i-1]) >= 0):
			q, open = c, i
		}
	}
	if open < 0 {
		return nil
	}
	indent := func(s, e int) int {
		n := 0
		for s+n < e && text[s+n] == ' ' {
			n++
		}
		return n
	}
	own := indent(ls, le)
	for l := line + 1; l < m.LineCount(); l++ {
		s, e := m.LineStart(l), m.LineEnd(l)
		n := indent(s, e)
		if s+n == e {
			continue // blank
		}
		if n > own {
			return nil // a continuation line, as YAML means it
		}
		dg := syntax.Diagnostic{Range: syntax.Range{Start: open, End: le}, Message: "quoted string left open on the line being typed"}
		return &dg
	}
	return nil // at the end of the text the parser reports it
}
