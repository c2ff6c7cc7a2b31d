package analysis

import "strings"

// The last good model. While a line is being typed the text often does not
// parse, and the partial model of that text may have lost exactly what the
// editor features need (the scheme names a completion offers, the security
// of the operation under the mouse). Update therefore remembers, on every
// Document whose text has a syntax error, the most recent earlier Document
// of the same editing session whose text had none: hover and completion
// take their facts from it where the current model lacks them. It is the
// only link between Documents of different text versions besides Update's
// own, and it never chains (a good Document has no LastGood).

// LastGood returns the latest earlier version of this document (as Update
// saw the versions) whose text had no syntax error, when this one has
// syntax errors; nil when this one has none or no earlier version was good.
func (d *Document) LastGood() *Document {
	if d == nil {
		return nil
	}
	return d.lastGood
}

// SyntaxBroken reports whether the parser had to recover from a syntax
// error in the text: parts of the text may be missing from the tree.
// Duplicate keys and JSON-only strictness (a trailing comma) leave the tree
// complete, so they do not count.
func (d *Document) SyntaxBroken() bool {
	if d == nil || d.Tree == nil {
		return d != nil
	}
	for _, dg := range d.Tree.Diagnostics {
		if !strings.HasPrefix(dg.Message, "duplicate key ") && !strings.HasPrefix(dg.Message, "not valid JSON: ") {
			return true
		}
	}
	return false
}

// rememberLastGood links d to the good version known when prev was the
// previous one.
func (d *Document) rememberLastGood(prev *Document) {
	if d == nil || prev == nil || d == prev || !d.SyntaxBroken() {
		return
	}
	switch {
	case !prev.SyntaxBroken():
		d.lastGood = prev
	default:
		d.lastGood = prev.lastGood
	}
}
