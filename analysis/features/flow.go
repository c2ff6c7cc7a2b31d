package features

import "strings"

// The flow collections a YAML line opens before the cursor: a half-typed
// "security: [{$ref: '#/comp" or "- {type: oauth2, scopes: [" does not
// parse, so the cursor's place inside the brackets is read from the line's
// text, the way the block structure is read from the indentation.

// flowFrame is one flow collection still open at the cursor.
type flowFrame struct {
	open  byte   // '[' or '{'
	key   string // a mapping: the key whose value is being typed
	keyed bool   // a mapping: the colon after key was typed
	// keys and vals: a mapping's members typed before the cursor's; items:
	// a sequence's scalar items typed before the cursor's.
	keys  []string
	vals  []string
	items []string
}

// flowContext is where the cursor is in the flow collections of its line.
type flowContext struct {
	frames   []flowFrame // still open, outermost first
	tokStart int         // where the token being typed starts in the text scanned
}

// scanFlow reads s, a line's text from the [ or { that opens a flow value
// up to the cursor. ok is false when no collection is open at the cursor
// (all closed, or the cursor is in a comment).
func scanFlow(s string) (fc flowContext, ok bool) {
	tok := 0
	token := func(end int) string { return scalarText(s[tok:end]) }
	top := func() *flowFrame { return &fc.frames[len(fc.frames)-1] }
	// finish ends the member or item before a comma or a closing bracket.
	finish := func(end int) {
		if len(fc.frames) == 0 {
			return
		}
		f := top()
		v := token(end)
		switch {
		case f.open == '[' && v != "":
			f.items = append(f.items, v)
		case f.open == '{' && f.keyed:
			f.keys, f.vals = append(f.keys, f.key), append(f.vals, v)
		case f.open == '{' && v != "": // a key without a value: {a, b}
			f.keys, f.vals = append(f.keys, v), append(f.vals, "")
		}
		if f.open == '{' {
			f.key, f.keyed = "", false
		}
	}
	for i := 0; i < len(s); {
		switch ch := s[i]; ch {
		case '\'', '"':
			end := closingQuote(s, i)
			if end < 0 { // the cursor is in this quoted token
				fc.tokStart = i
				return fc, len(fc.frames) > 0
			}
			i = end + 1
			continue
		case '[', '{':
			fc.frames = append(fc.frames, flowFrame{open: ch})
			tok = i + 1
		case ']', '}':
			finish(i)
			if len(fc.frames) > 0 {
				fc.frames = fc.frames[:len(fc.frames)-1]
			}
			tok = i + 1
		case ',':
			finish(i)
			tok = i + 1
		case ':':
			// a key's colon is followed by a blank, a flow indicator or the
			// end; "orders:read" is one scalar
			if n := len(fc.frames); n > 0 && fc.frames[n-1].open == '{' && !fc.frames[n-1].keyed &&
				(i+1 == len(s) || strings.IndexByte(" \t,[]{}", s[i+1]) >= 0) {
				f := top()
				f.key, f.keyed = token(i), true
				tok = i + 1
			}
		case '#':
			if i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
				return fc, false // a comment
			}
		}
		i++
	}
	for tok < len(s) && (s[tok] == ' ' || s[tok] == '\t') {
		tok++
	}
	fc.tokStart = tok
	return fc, len(fc.frames) > 0
}

// closingQuote is the index of the quote that closes the one at s[i], or
// -1 when the line ends first (” is a single quote inside single quotes).
func closingQuote(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case q == '"' && s[j] == '\\':
			j++
		case s[j] == q && q == '\'' && j+1 < len(s) && s[j+1] == '\'':
			j++
		case s[j] == q:
			return j
		}
	}
	return -1
}

// enterFlow moves c, which holds the line's block context (its block key
// in c.key, if any), into the innermost open collection of fc. It returns
// the keys and items ("-") from the line's block element down to the
// mapping that holds the cursor (for a sequence: down to the mapping whose
// key holds it, that key becoming c.key).
func (c *cursor) enterFlow(fc flowContext) []string {
	var chain []string
	if c.key != "" && !c.inKey {
		chain = append(chain, c.key)
	}
	n := len(fc.frames)
	for _, f := range fc.frames[:n-1] {
		if f.open == '[' {
			chain = append(chain, "-")
		} else {
			chain = append(chain, f.key)
		}
	}
	in := fc.frames[n-1]
	if in.open == '[' {
		c.flow, c.inKey, c.key = true, false, ""
		c.listed = in.items
		if k := len(chain); k > 0 && chain[k-1] != "-" {
			c.key, chain = chain[k-1], chain[:k-1]
		}
		return chain
	}
	c.flowMap = true
	c.key, c.inKey = in.key, !in.keyed
	if !in.keyed {
		c.key = ""
	}
	for i, k := range in.keys {
		c.addSibling(k, in.vals[i])
	}
	return chain
}
