package features

import (
	"fmt"
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Hover on an operation while the text does not parse. The operation is
// found by the key path of the text when the partial model lacks it, and
// its effective security comes from the last good model when a syntax
// error lies in something that security depends on (its own block, its
// channel, the servers, the components): a line being typed must not make
// the hover of every operation disappear or go wrong.

// hoverOperation is the operation hover at off.
func hoverOperation(d *analysis.Document, off int) *Hover {
	var op *analysis.Operation
	if d.Root != nil {
		op = d.OperationAt(off)
	}
	current := func() *Hover {
		if op == nil {
			return nil
		}
		return &Hover{Markdown: EffectiveMarkdown(d, op), Range: d.R(op.Key)}
	}
	good := d.LastGood()
	if good == nil || !d.SyntaxBroken() {
		return current()
	}
	// The partial model's operation at off is trusted when the text agrees
	// that off is in it (a broken key line may have left off in the
	// previous operation's range) and no syntax error touches its security.
	ptr, keyRange, ok := textOperation(d, off)
	agrees := op != nil && (!ok || ptr == op.Pointer)
	if agrees && !syntaxErrorAffects(d, op) {
		return current()
	}
	if !ok && op != nil {
		// the text around the key did not say (a JSON bracket left open
		// before it): the partial model's operation names it
		ptr, keyRange, ok = op.Pointer, d.R(op.Key), true
	}
	if ok {
		for _, gop := range good.Operations {
			if gop.Pointer == ptr {
				return &Hover{Markdown: EffectiveMarkdown(good, gop) + brokenNote(d), Range: keyRange}
			}
		}
	}
	if agrees {
		return current()
	}
	return nil
}

// spansSyntaxError: a node of the partial model reaches over a syntax
// error (a quote never closed swallows the lines after it): its hover
// would describe text that is not what it seems.
func spansSyntaxError(d *analysis.Document, r syntax.Range) bool {
	for _, dg := range d.BrokenAt() {
		if r.Start <= dg.Range.Start && dg.Range.Start < r.End && d.Mapper.Line(r.Start) != d.Mapper.Line(r.End) {
			return true
		}
	}
	return false
}

// brokenNote says where the hover's facts come from.
func brokenNote(d *analysis.Document) string {
	for _, dg := range d.BrokenAt() {
		return fmt.Sprintf("\n_Line %d does not parse yet: this is the effective security of the last version of the document that did._\n", d.Mapper.Line(dg.Range.Start)+1)
	}
	return ""
}

// syntaxErrorAffects reports whether some syntax error lies where the
// effective security of op is read from.
func syntaxErrorAffects(d *analysis.Document, op *analysis.Operation) bool {
	for _, dg := range d.BrokenAt() {
		if d.Tree.IsJSON && d.LastGood() != nil && dg.Range.Start >= d.LastGoodSame() {
			// JSON errors after the edit are its consequences (the parser
			// reads on until the brackets no longer match); finding their
			// path could mean scanning most of the text
			return true
		}
		p := textPath(d, dg.Range.Start)
		switch {
		case len(p) < 2:
			return true // a top-level line: anything may have moved
		case slices.Contains([]string{"info", "tags", "externalDocs", "id", "defaultContentType"}, p[0]):
		case p[0] == "operations" && version(d).V3():
			if p[1] == op.Name {
				return true
			}
		case p[0] == "channels":
			if op.Channel == nil || p[1] == op.Channel.Name {
				return true
			}
		default:
			return true // servers, components, anything else
		}
	}
	return false
}

// textOperation finds the operation whose block holds off from the key
// path of the text: its JSON pointer and the range of its key (or of the
// line when the key is not on it).
func textOperation(d *analysis.Document, off int) (string, syntax.Range, bool) {
	p := textPath(d, off)
	var ptr, key string
	switch {
	case version(d).V3() && len(p) >= 2 && p[0] == "operations":
		ptr, key = analysis.PointerTo("operations", p[1]), p[1]
	case !version(d).V3() && len(p) >= 3 && p[0] == "channels" && (p[2] == "publish" || p[2] == "subscribe"):
		ptr, key = analysis.PointerTo("channels", p[1], p[2]), p[2]
	default:
		return "", syntax.Range{}, false
	}
	m := d.Mapper
	line := m.Line(off)
	ls, le := m.LineStart(line), m.LineEnd(line)
	if le-ls > jsonWindowLine {
		// (a minified document: the key is near off)
		ls, le = max(ls, off-jsonWindowLine), min(le, off+jsonWindowLine)
	}
	r := syntax.Range{Start: ls, End: le}
	text := d.Text[ls:le]
	q := key + ":"
	if d.Tree.IsJSON {
		q = jsonQuote(key)
	}
	if i := indexOf(text, q); i >= 0 {
		r = syntax.Range{Start: ls + i, End: ls + i + len(q)}
		if !d.Tree.IsJSON {
			r.End--
		}
	}
	return ptr, r, true
}

func indexOf(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}

// textPath is the key path ("-" for items) of the line at off, the keys
// on that line included, read from the text.
func textPath(d *analysis.Document, off int) []string {
	m := d.Mapper
	line := m.Line(off)
	ls, le := m.LineStart(line), m.LineEnd(line)
	// Before the edits since the last good version, its tree knows.
	first := ls + indentBytes(d.Text, ls, le-ls)
	if g := d.LastGood(); g != nil && g.Root != nil && first < le && first < d.LastGoodSame() {
		if p, ok := nodePathContaining(g, first); ok {
			return p
		}
	}
	if d.Tree != nil && d.Tree.IsJSON && le-ls > jsonWindowLine {
		// A minified document is one line: the path at off, with the
		// key of the member at off (jsonWindow keeps it cheap).
		c := jsonCursor(d, off, false)
		p := c.path
		if c.key != "" {
			return append(p, c.key)
		}
		// a key at the member's start: its first two tokens (not the
		// window's hundreds, which a hover on a minified line paid for)
		end := min(le, c.prefixStart+jsonWindowLine)
		k, i, ok := jsonToken(d.Text, c.prefixStart, end)
		if colon, _, ok2 := jsonToken(d.Text, i, end); ok && ok2 && k.kind == 's' && colon.kind == ':' {
			p = append(p, jsonString(d.Text, k))
		}
		return p
	}
	if d.Tree != nil && d.Tree.IsJSON {
		c := jsonCursor(d, ls, false)
		p := c.path
		// the member key on this line, if any
		for _, t := range jsonLineTokens(d.Text, ls, le, nil) {
			if t.kind == 's' {
				return append(p, jsonString(d.Text, t))
			}
			break
		}
		return p
	}
	lt := string(d.Text[ls:le])
	c := cursorAt(d, ls+lineIndent(lt))
	p := c.path
	for _, e := range lineElements(lt) {
		if e.name != "-" {
			p = append(p, e.name)
		} else if len(p) == 0 || p[len(p)-1] != "-" {
			p = append(p, "-")
		}
	}
	return p
}

// nodePathContaining returns the path of keys ("-" for items) from the
// root of d's tree down to the deepest key or value that holds off; ok is
// false when off is not inside any member of the root.
func nodePathContaining(d *analysis.Document, off int) ([]string, bool) {
	chain := memberChain(d, off)
	return chainNames(chain), len(chain) > 0
}
