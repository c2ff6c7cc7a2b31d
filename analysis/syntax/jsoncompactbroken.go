package syntax

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"sort"

	"gopkg.in/yaml.v3"
)

// Broken compact JSON, member by member.
//
// A compact (one-line) JSON text has no lines to confine a syntax error
// to, so its broken region is found by reading the text from both ends: a
// forward scan from the root's '{' to the first error, and a backward scan
// from the root's '}' to the last. The text before the member the forward
// scan failed in is a valid prefix, the text from the first member the
// backward scan read completely is a valid suffix, and a quote left open
// (which turns every later string inside out for a forward reader) leaves
// the backward reader right. Both scans keep the stack of containers they
// are in; where the two stacks name the same containers (the errors
// overlap: the backward scan stopped at or before the forward one), the
// broken region is the deepest one: from the forward scan's member start
// to the backward scan's first complete member (or the container's closing
// bracket, then with the ',' before the region). Everything else is the
// text with that region blanked, which is valid JSON and is parsed as JSON
// is (yaml.v3); the region's own members are parsed alone when YAML reads
// them (a missing ',' between two members, a trailing comma: kept, with a
// diagnostic), else they become an error entry (the key and a broken
// value when the key and its ':' are there) with one diagnostic where the
// user types: the opening quote of a string never closed, the bracket
// never closed, the key that lacks its ':', the ':' that lacks its value,
// right after the value that lacks its ','.
//
// Several errors: when the scans do not meet (the backward one stopped
// after the forward one's error), the forward scan resyncs after each error
// (resync: the member it was reading, or the member holding a bracket left
// open, up to where it reads a member again), one region per error, until
// its error is the backward scan's. Both scans know the root's brackets (a
// '{' typed without its '}' is then never closed, instead of reading the
// root's '}' as its own). A ',' too many (two in a row, or one before a
// closing bracket) is its own region, with its own diagnostic, when that
// confines the errors at least as finely as a region running past it.
//
// Why an update gets the same result (jsoncompact.go): the scans are
// deterministic functions of the text and of their state at a member
// boundary. A run of members covering the edit (and the previous broken
// region, when there is one) is bounded by text that a cold scan of the
// new text reads without error in the same state (the prefix and suffix
// are those of the previous text, which its own scans read without error),
// so scanning from the run's ends with that state gives the cold result;
// the region's container and the blanked run parse alone as they do in the
// whole text (JSON is context-free), and the diagnostic depends on the
// region's text only.

// jframe is a container a scan is in.
type jframe struct {
	obj bool // an object, else an array
	at  int  // forward: its opening bracket; backward: its closing one
	// member: forward, the start of the member (or item) being read;
	// backward, the start of the earliest member read completely (at
	// when none, both ways: a forward scan sets it at the first byte
	// after the bracket that is not blank, before it reads or fails).
	member int
	// other: the root object's other bracket (forward, its '}': the last
	// one of the text; backward, its '{'), or -1 (any other container,
	// whose other bracket is not known before it is read). A scan that
	// would leave the root at another bracket fails there instead: the
	// bracket closes (or opens) a container the user left open (a '{'
	// typed without its '}'), which is then confined like any error.
	other int
}

// leaves reports whether a scan in frame top may leave it at the bracket
// at i: any bracket of the right kind, the root's own one only.
func (top *jframe) leaves(i int) bool { return top.other < 0 || top.other == i }

// forward scan states
const (
	fOpen   = iota // after '{' or '[': a member, or the closing bracket
	fMember        // after ',': a member (key) or item (value)
	fColon         // after a key
	fValue         // after a ':'
	fAfter         // after a value: ',' or a closing bracket
)

func jsonBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// jsonStringEnd returns the offset after the closing quote of the JSON
// string whose opening quote is at i, or -1 and where it fails (the end of
// text for a string never closed).
func jsonStringEnd(text []byte, i int) (int, int) {
	for j := i + 1; j < len(text); j++ {
		switch c := text[j]; {
		case c == '"':
			return j + 1, -1
		case c == '\\':
			if j+1 >= len(text) {
				return -1, len(text)
			}
			switch text[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= len(text) || !isHex(text[k]) {
						return -1, min(k, len(text))
					}
				}
				j += 5
			default:
				return -1, j
			}
		case c < 0x20:
			return -1, j
		}
	}
	return -1, len(text)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// jsonAtomEnd returns the offset after the number or literal at i, or -1.
func jsonAtomEnd(text []byte, i int) int {
	for _, w := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(text[i:], []byte(w)) {
			return i + len(w)
		}
	}
	j := i
	if j < len(text) && text[j] == '-' {
		j++
	}
	digits := func() bool {
		k := j
		for j < len(text) && '0' <= text[j] && text[j] <= '9' {
			j++
		}
		return j > k
	}
	switch {
	case j < len(text) && text[j] == '0':
		j++
	case !digits():
		return -1
	}
	if j < len(text) && text[j] == '.' {
		j++
		if !digits() {
			return -1
		}
	}
	if j < len(text) && (text[j] == 'e' || text[j] == 'E') {
		j++
		if j < len(text) && (text[j] == '+' || text[j] == '-') {
			j++
		}
		if !digits() {
			return -1
		}
	}
	return j
}

// scanForward reads JSON from i in state st inside the containers fr (which
// it changes) and returns them with the offset of the first error, or -1
// when the root closes and only blanks follow.
func scanForward(text []byte, i int, fr []jframe, st int) ([]jframe, int) {
	for {
		for i < len(text) && jsonBlank(text[i]) {
			i++
		}
		if len(fr) == 0 {
			if i < len(text) {
				return fr, i
			}
			return fr, -1
		}
		if i >= len(text) {
			return fr, i
		}
		c, top := text[i], &fr[len(fr)-1]
		switch st {
		case fAfter:
			switch {
			case c == ',':
				st = fMember
				i++
			case (top.obj && c == '}' || !top.obj && c == ']') && top.leaves(i):
				fr = fr[:len(fr)-1]
				i++
			default:
				return fr, i
			}
			continue
		case fColon:
			if c != ':' {
				return fr, i
			}
			st = fValue
			i++
			continue
		case fOpen, fMember:
			if st == fOpen && (top.obj && c == '}' || !top.obj && c == ']') && top.leaves(i) {
				fr = fr[:len(fr)-1]
				st = fAfter
				i++
				continue
			}
			top.member = i
			if top.obj {
				if c != '"' {
					return fr, i
				}
				j, bad := jsonStringEnd(text, i)
				if j < 0 {
					return fr, bad
				}
				i, st = j, fColon
				continue
			}
		}
		// a value (fValue, or an item)
		switch c {
		case '"':
			j, bad := jsonStringEnd(text, i)
			if j < 0 {
				return fr, bad
			}
			i, st = j, fAfter
		case '{', '[':
			fr = append(fr, jframe{obj: c == '{', at: i, member: i, other: -1})
			i, st = i+1, fOpen
		default:
			j := jsonAtomEnd(text, i)
			if j < 0 {
				return fr, i
			}
			i, st = j, fAfter
		}
	}
}

// backward scan states
const (
	bClose = iota // after a closing bracket: a value's end, or the opening bracket
	bValue        // after a ',': a value's end
	bColon        // after a member's value: its ':'
	bKey          // after a ':': the key
	bSep          // at the start of a complete member or item: what precedes it
)

// scanBackward reads JSON backward from i (the last byte not yet read) in
// state st inside the containers fr (which it changes) and returns them
// with the offset where it fails, or -1 when the root's '{' is reached
// with only blanks (and a BOM) before it.
func scanBackward(text []byte, i int, fr []jframe, st int) ([]jframe, int) {
	for {
		for i >= 0 && jsonBlank(text[i]) {
			i--
		}
		if len(fr) == 0 {
			if i < 0 || bytes.Equal(text[:i+1], []byte(bom)) {
				return fr, -1
			}
			return fr, i
		}
		if i < 0 {
			return fr, 0
		}
		c, top := text[i], &fr[len(fr)-1]
		switch st {
		case bSep:
			switch {
			case c == ',':
				st = bValue
				i--
			case (top.obj && c == '{' || !top.obj && c == '[') && top.leaves(i):
				fr, st = popOpened(fr, i)
				i--
			default:
				return fr, i
			}
			continue
		case bColon:
			if c != ':' {
				return fr, i
			}
			st = bKey
			i--
			continue
		case bKey:
			s := jsonStringStart(text, 0, i)
			if c != '"' || s < 0 {
				return fr, i
			}
			if j, _ := jsonStringEnd(text, s); j != i+1 {
				return fr, i
			}
			top.member, st = s, bSep
			i = s - 1
			continue
		case bClose:
			if (top.obj && c == '{' || !top.obj && c == '[') && top.leaves(i) {
				// an empty container
				top.member = i
				fr, st = popOpened(fr, i)
				i--
				continue
			}
		}
		// a value's end (bClose, bValue)
		var s int
		switch {
		case c == '"':
			s = jsonStringStart(text, 0, i)
			if s < 0 {
				return fr, i
			}
			if j, _ := jsonStringEnd(text, s); j != i+1 {
				return fr, i
			}
		case c == '}' || c == ']':
			fr = append(fr, jframe{obj: c == '}', at: i, member: i, other: -1})
			i, st = i-1, bClose
			continue
		default:
			s = i
			for s > 0 && bytes.IndexByte([]byte("0123456789.eE+-truefalsn"), text[s-1]) >= 0 {
				s--
			}
			for s <= i && jsonAtomEnd(text, s) != i+1 {
				s++ // (`1e-5` read back from a word: the longest that is one)
			}
			if s > i {
				return fr, i
			}
		}
		if top.obj {
			st = bColon
		} else {
			top.member, st = s, bSep
		}
		i = s - 1
	}
}

// popOpened leaves the container whose opening bracket is at o: in its
// parent it is a member's value (its ':' comes next) or a complete item.
func popOpened(fr []jframe, o int) ([]jframe, int) {
	fr = fr[:len(fr)-1]
	if len(fr) == 0 || fr[len(fr)-1].obj {
		return fr, bColon
	}
	fr[len(fr)-1].member = o
	return fr, bSep
}

// compactRegion is the broken region of a compact JSON text: [from, to) in
// the container whose brackets are at open and close, depth levels below
// the root; comma is the ',' before from that is blanked with it (the
// region runs to the closing bracket), or -1.
type compactRegion struct {
	depth       int
	obj         bool
	open, close int
	from, to    int
	comma       int
	// p, q: where the forward and the backward scan stopped (the text
	// between them is read otherwise if it changes).
	p, q int
	// (close and q are known, and read, only for a region where the
	// scans meet (regionOf); a region a resync found leaves them unset:
	// it is one of several, which an update finds again, updateSeveral.)
}

// start is where the blanked text starts.
func (r compactRegion) start() int {
	if r.comma >= 0 {
		return r.comma
	}
	return r.from
}

// regionOf returns the broken region where the forward scan (frames fw,
// failed at p) and the backward scan (bw, q) meet.
func regionOf(text []byte, fw []jframe, p int, bw []jframe, q int) (compactRegion, bool) {
	if len(fw) == 0 || len(bw) == 0 || p < 0 || q < 0 || !fw[0].obj || !bw[0].obj {
		return compactRegion{}, false
	}
	d := 0
	{
		// (When q > p, both failures lie between the region's ends too.)
		for d+1 < len(fw) && d+1 < len(bw) {
			f, b := fw[d+1], bw[d+1]
			if f.obj != b.obj || f.member >= b.member || f.at >= b.at || fw[d].member > f.at || b.at >= bw[d].member {
				break
			}
			d++
		}
	}
	r := compactRegion{depth: d, obj: fw[d].obj, open: fw[d].at, close: bw[d].at, from: fw[d].member, to: bw[d].member, comma: -1, p: p, q: q}
	if r.from == r.close && r.to == r.close {
		// A ',' before the root's '}' (the forward scan fails at the
		// bracket, the backward one at the ','; deeper, the two stacks part
		// above it): that ',' alone.
		r.comma = commaBefore(text, r.from)
		return r, r.comma >= 0
	}
	if r.from <= r.open || r.from >= r.to || r.to > r.close {
		return compactRegion{}, false
	}
	if r.to == r.close {
		k := r.from - 1
		for k > r.open && jsonBlank(text[k]) {
			k--
		}
		if text[k] == ',' {
			r.comma = k
		}
	}
	return r, true
}

// blankRegion returns text with the region (and its comma) blanked, line
// breaks kept.
func blankRegion(text []byte, r compactRegion, base int) []byte {
	out := slices.Clone(text)
	for k := r.start() - base; k < r.to-base; k++ {
		if !IsBreak(out[k]) {
			out[k] = ' '
		}
	}
	return out
}

// regionEnd is the end of the region's content: without trailing blanks
// and one trailing ','.
func regionEnd(text []byte, r compactRegion) int {
	e := r.to
	for e > r.from && jsonBlank(text[e-1]) {
		e--
	}
	if e > r.from && text[e-1] == ',' {
		e--
		for e > r.from && jsonBlank(text[e-1]) {
			e--
		}
	}
	return e
}

// regionNodes builds what the region holds in the tree: its members
// parsed alone when YAML reads them (with a diagnostic note), else an
// error entry (possibly no node) and its syntax error.
func regionNodes(text []byte, r compactRegion, gen uint32) (nodes []*Node, ds []Diagnostic, broken bool) {
	end := regionEnd(text, r)
	from := r.from
	d, broken := regionDiag(text, r, end)
	if !broken {
		if kids := parseRegionMembers(text, from, end, r.obj, gen); kids != nil {
			return kids, []Diagnostic{d}, false
		}
		d, broken = regionDiagBroken(text, r, end)
	}
	nodes = regionEntry(text, r, end, gen)
	return nodes, regionDiags(text, r, end, d), true
}

// regionDiags returns the diagnostics of a broken region whose one
// diagnostic (regionDiag) is d: one per error the region's members tell
// apart (regionErrors), up to where they stop reading; d instead when
// they find none; d's message for theirs at its place (it knows the
// region); and d besides theirs when it lies where they stopped or after,
// or the region was read a level off (what they do not tell about). One
// error they find where the reading explains the whole region as it was
// read replaces d elsewhere (session 14 kept d: a string or bracket the
// region's own scan finds never closed, or where JSON stops reading, after
// a quote typed before a value or a key without its ':' the reading
// recovers from).
func regionDiags(text []byte, r compactRegion, end int, d Diagnostic) []Diagnostic {
	ds, stop, whole, loose := regionErrors(text, r, end)
	if len(ds) == 0 {
		return []Diagnostic{d}
	}
	switch k := slices.IndexFunc(ds, func(x Diagnostic) bool { return x.Range.Start == d.Range.Start }); {
	case k >= 0:
		ds[k] = d // (its message knows the region)
	case loose || !whole && d.Range.Start >= stop:
		// (read a level off: what the reading does not tell about keeps
		// the region's diagnostic)
		ds = append(ds, d)
		sortTreeDiagnostics(ds)
	}
	return ds
}

// regionEntry is the error entry of a broken region: its first member's
// key with a broken value, or none.
func regionEntry(text []byte, r compactRegion, end int, gen uint32) []*Node {
	from := r.from
	if !r.obj {
		return nil
	}
	ke, _ := jsonStringEnd(text, from)
	if ke < 0 || ke > end {
		return nil
	}
	colon := ke
	for colon < end && jsonBlank(text[colon]) {
		colon++
	}
	if colon >= end || text[colon] != ':' {
		return nil
	}
	var v string
	if json.Unmarshal(text[from:ke], &v) != nil {
		return nil
	}
	k := &Node{Kind: ScalarNode, Style: DoubleQuotedStyle, tag: tagStr, Value: v, gen: gen}
	k.setRange(Range{from, ke})
	s := colon + 1
	for s < end && jsonBlank(text[s]) {
		s++
	}
	val := &Node{Kind: ScalarNode, tag: tagNull, broken: true, gen: gen}
	val.setRange(Range{s, max(s, end)})
	return []*Node{k, val}
}

// parseRegionMembers parses [from, end) as the members (obj) or items of a
// flow collection with YAML, or returns nil.
func parseRegionMembers(text []byte, from, end int, obj bool, gen uint32) []*Node {
	open, closer := byte('{'), byte('}')
	kind := MappingNode
	if !obj {
		open, closer, kind = '[', ']', SequenceNode
	}
	buf := make([]byte, 0, end-from+2)
	buf = append(append(append(buf, open), text[from:end]...), closer)
	src, fixes := sanitizeJSONEscapes(buf)
	docs, err := decodeStream(src)
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.DocumentNode || len(docs[0].Content) != 1 {
		return nil
	}
	b := newTreeBuilder(src)
	b.gen, b.release = gen, true
	w := b.build(docs[0])
	if w == nil || w.Kind != kind || w.Style != FlowStyle || len(w.Content) == 0 || b.anchors != nil || w.tag != tagMap && w.tag != tagSeq {
		return nil
	}
	for _, n := range w.Content {
		if len(fixes) > 0 {
			redecodeJSONStrings(n, buf, fixes)
		}
		moveNodes(n, from-1)
	}
	return w.Content
}

// regionDiag returns the diagnostic of the region, and whether it is a
// syntax error that YAML shares (the region then is an error entry).
func regionDiag(text []byte, r compactRegion, end int) (Diagnostic, bool) {
	from := r.from
	if end == from {
		// Nothing but a ',' (resync): the second of two in a row, or one
		// before the closing bracket (the region's comma).
		what := "item"
		if r.obj {
			what = "member"
		}
		if r.comma >= 0 {
			return syntaxError(Range{r.comma, r.comma + 1}, "syntax error: a ',' with no "+what+" after it"), true
		}
		return syntaxError(Range{from, from + 1}, "syntax error: a ',' with no "+what+" before it"), true
	}
	v := from
	if !r.obj && keyAt(text, from, end) && oneItemBefore(text, r) {
		// An item that is a key after the array's one first item: the
		// array's '[' was typed before that value and never closed
		// (`"k":["v","n":1`), its parent's members read as its items. The
		// diagnostic is at that '[', outside the region.
		return unclosedBracket(text, r.open), true
	}
	if r.obj {
		switch ke, _ := jsonStringEnd(text, from); {
		case text[from] != '"' && firstMember(text, r) && (text[from] == '{' || text[from] == '[' || jsonAtomEnd(text, from) > from):
			return openerBeforeValue(r), true
		case text[from] != '"':
			return syntaxError(Range{from, from + 1}, "syntax error: a member must start with its \"key\" in double quotes"), true
		case ke < 0 || ke > end:
			return syntaxError(boundedToken(text, from, end), "syntax error: this quoted string is never closed"), true
		default:
			colon := ke
			for colon < end && jsonBlank(text[colon]) {
				colon++
			}
			if (colon < r.to && text[colon] == ',' || colon == r.to && text[colon] == '}') && firstMember(text, r) {
				return openerBeforeValue(r), true
			}
			if colon >= end || text[colon] != ':' {
				return syntaxError(Range{from, ke}, "syntax error: could not find expected ':' after this key"), true
			}
			v = colon + 1
			for v < end && jsonBlank(text[v]) {
				v++
			}
			if v >= end || text[v] == ',' {
				return syntaxError(Range{colon, colon + 1}, "syntax error: a value must follow this ':'"), true
			}
		}
	}
	if q, o := quoteTakingOpener(text, v, end); q >= 0 {
		return syntaxError(Range{q, o + 1}, "syntax error: this quoted string takes in the "+string(text[o])+" after it, so the "+string(text[end-1])+" that closes it closes nothing (a quote typed before the "+string(text[o])+"?)"), true
	}
	var stack []int
	ob := -1       // the first '{' followed by a value, not a member
	glued := false // a string with text glued to it seen
	for i := v; i < end; i++ {
		switch text[i] {
		case '"':
			j, _ := jsonStringEnd(text, i)
			if j < 0 || j > end {
				return syntaxError(boundedToken(text, i, end), "syntax error: this quoted string is never closed"), true
			}
			if !glued && gluedQuoted(text, j, end) {
				// (the first string with text glued to it only: a region
				// valid without one quote has no other)
				glued = true
				if validWithout(text, r, end, j-1) {
					return syntaxError(Range{i, j}, "syntax error: this quoted string is never closed (the \" that seems to close it opens the text after it: a quote typed before a value?)"), true
				}
			}
			i = j - 1
		case '{', '[':
			if ob < 0 && text[i] == '{' && valueAfter(text, i+1, end) {
				ob = i
			}
			stack = append(stack, i)
		case '}', ']':
			if len(stack) == 0 && ob < 0 {
				return syntaxError(Range{i, i + 1}, "syntax error: this "+string(text[i])+" closes nothing (one too many, or what it closes is not opened)"), true
			}
			if len(stack) == 0 { // (a '{' followed by a value before it)
				return openerBeforeValueAt(ob), true
			}
			if top := stack[len(stack)-1]; !closes(text[top], text[i]) {
				return unclosedOrOpener(text, top, ob), true
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return unclosedOrOpener(text, stack[len(stack)-1], ob), true
	}
	open, closer := byte('{'), byte('}')
	what := "member"
	if !r.obj {
		open, closer, what = '[', ']', "item"
	}
	buf := make([]byte, 0, end-from+2)
	buf = append(append(append(buf, open), text[from:end]...), closer)
	if json.Valid(buf) {
		// The members are fine; what follows them lacks its ','.
		return syntaxError(Range{end - 1, end}, "syntax error: missing ',' after this value (the next "+what+" follows)"), false
	}
	var se *json.SyntaxError
	if err := json.Unmarshal(buf, new(json.RawMessage)); errors.As(err, &se) {
		at := min(max(from+int(se.Offset)-2, from), end-1)
		if comma := trailingComma(text, from, at); comma >= 0 {
			return syntaxError(Range{comma, comma + 1}, "not valid JSON: a ',' after the last item (YAML would accept it, but JSON tools reading this file will not)"), false
		}
		return syntaxError(Range{at, at + 1}, "not valid JSON: "+se.Error()+" (YAML would accept it, but JSON tools reading this file will not)"), false
	}
	return syntaxError(Range{from, from + 1}, "syntax error: this member does not parse"), true
}

// firstMember reports whether the region starts at its container's first
// member: only blanks between the container's bracket and it.
func firstMember(text []byte, r compactRegion) bool {
	k := r.from - 1
	for k > r.open && jsonBlank(text[k]) {
		k--
	}
	return k == r.open
}

// openerBeforeValue is the diagnostic of an object region whose first
// member is a value (a string followed by ',' or by the object's '}', a
// bracketed value, a number or a literal): the
// object's '{' was typed before that value (`"k":{"v",…`, `[1,{{…}`), and
// is never closed where the user meant it to be. It is at that '{',
// outside the region, which starts after it.
func openerBeforeValue(r compactRegion) Diagnostic {
	return openerBeforeValueAt(r.open)
}

// openerBeforeValueAt is the diagnostic of the '{' at o followed by a
// value, not a member.
func openerBeforeValueAt(o int) Diagnostic {
	return syntaxError(Range{o, o + 1}, "syntax error: this { is followed by a value, not a member (a { typed before the value, never closed?)")
}

// quoteTakingOpener finds, in a value [v, end) whose last bracket closes
// nothing as JSON reads it but closes an opening bracket when strings are
// not read (`"x{"a":1}`: a quote typed before a '{'), the opening quote of
// the string that holds that bracket, and the bracket; or -1, -1.
func quoteTakingOpener(text []byte, v, end int) (int, int) {
	if !isCloser(text[end-1]) {
		return -1, -1
	}
	var raw []int // the opening brackets, strings not read
	var o int     // (set at end-1, a closing bracket, or returned before)
	for i := v; i < end; i++ {
		switch text[i] {
		case '{', '[':
			raw = append(raw, i)
		case '}', ']':
			if len(raw) == 0 {
				return -1, -1
			}
			if i == end-1 {
				o = raw[len(raw)-1]
			}
			raw = raw[:len(raw)-1]
		}
	}
	if len(raw) > 0 || !closes(text[o], text[end-1]) {
		return -1, -1
	}
	for i := v; i < o; i++ {
		if text[i] != '"' {
			continue
		}
		j, _ := jsonStringEnd(text, i)
		if j < 0 {
			return -1, -1
		}
		if o < j {
			return i, o
		}
		i = j - 1
	}
	return -1, -1
}

// regionDiagBroken is the diagnostic of a region YAML does not read
// either, whose brackets and strings are closed.
func regionDiagBroken(text []byte, r compactRegion, end int) (Diagnostic, bool) {
	d, _ := regionDiag(text, r, end)
	if d.Message[0] == 'n' { // "not valid JSON: ...": YAML refuses it too
		d.Message = "syntax error: " + d.Message[len("not valid JSON: "):]
		if k := bytes.Index([]byte(d.Message), []byte(" (YAML would accept it")); k >= 0 {
			d.Message = d.Message[:k]
		}
	}
	return d, true
}

// keyAt reports whether a string at from is followed by a ':' before end.
func keyAt(text []byte, from, end int) bool {
	if text[from] != '"' {
		return false
	}
	ke, _ := jsonStringEnd(text, from)
	if ke < 0 {
		return false
	}
	for ke < end && jsonBlank(text[ke]) {
		ke++
	}
	return ke < end && text[ke] == ':'
}

// oneItemBefore reports whether an array region starts at the array's
// second item: one valid JSON value and a ',' between the '[' and it.
func oneItemBefore(text []byte, r compactRegion) bool {
	k := r.from - 1
	for k > r.open && jsonBlank(text[k]) {
		k--
	}
	return k > r.open && text[k] == ',' && json.Valid(text[r.open+1:k])
}

// outsideDiag reports whether the region's diagnostic may lie outside it,
// at its container's bracket (openerBeforeValue, an array's '[' before a
// key, oneItemBefore): it depends on the text between that bracket and the
// region, so an edit there computes it again.
func outsideDiag(text []byte, r compactRegion) bool {
	return firstMember(text, r) || !r.obj && keyAt(text, r.from, r.to)
}

// gluedQuoted reports whether the string that ends at j is followed, with
// no separator, by text that a quote ends before end (`"x"value",`: a
// quote typed before a string value, whose opening quote then closes the
// typed one): the typed string is the one never closed. Text that no
// quote ends (`"h"x}`) is a word typed after the value. The text is the
// value's, so it may hold a ',' or brackets, and its quotes are escaped:
// it also ends at the first quote not escaped when a separator (a ',' or
// a closing bracket) or the region's end follows that quote
// (`"x"a, b",`; `"h"x,"k":1` is a word and a member).
func gluedQuoted(text []byte, j, end int) bool {
	return gluedQuotedEnd(text, j, end) >= 0
}

// gluedQuotedEnd is the offset after the quote that ends the text glued to
// the string that ends at j (gluedQuoted), or -1.
func gluedQuotedEnd(text []byte, j, end int) int {
	if j >= end || text[j] == '"' || jsonBlank(text[j]) {
		return -1
	}
	plain := true // (no ',' or bracket before the quote)
	for k := j; k < end; k++ {
		switch c := text[k]; {
		case c == '\\':
			k++
		case c < 0x20:
			return -1
		case c == ',' || c == '{' || c == '}' || c == '[' || c == ']':
			plain = false
		case c == '"':
			q := k + 1
			for k++; k < end && jsonBlank(text[k]); k++ {
			}
			if plain || k == end || text[k] == ',' || isCloser(text[k]) {
				return q
			}
			return -1
		}
	}
	return -1
}

// validWithout reports whether the region's members [r.from, end) are
// valid JSON with the byte at k left out: that byte alone makes the
// region's error (a repair that explains all of it).
func validWithout(text []byte, r compactRegion, end, k int) bool {
	open, closer := byte('{'), byte('}')
	if !r.obj {
		open, closer = '[', ']'
	}
	buf := make([]byte, 0, end-r.from+1)
	buf = append(append(append(append(buf, open), text[r.from:k]...), text[k+1:end]...), closer)
	return json.Valid(buf)
}

// boundedToken is the token at at (tokenRangeAt: up to a blank) within the
// region's end: minified JSON has no blanks to stop at.
func boundedToken(text []byte, at, end int) Range {
	e := at + 1
	for e < end && !jsonBlank(text[e]) {
		e++
	}
	return Range{at, e}
}

// unclosedOrOpener is the diagnostic of a region whose brackets do not
// balance at the bracket at: that bracket never closed, or, when the
// region holds a '{' followed by a value, not a member (at ob, or -1),
// that '{': it is an error on its own, where the user typed it (`[1,{`
// typed before a value: the typed brackets pair with the value's closing
// ones, or the region ends at the value's opening one, which then looks
// never closed).
func unclosedOrOpener(text []byte, at, ob int) Diagnostic {
	if ob >= 0 {
		return openerBeforeValueAt(ob)
	}
	return unclosedBracket(text, at)
}

// valueAfter reports whether what follows a '{' (from i, before end) is a
// value rather than a member: a bracketed value, a number or a literal, or
// a string (ending by end) followed by ',' or '}'.
func valueAfter(text []byte, i, end int) bool {
	for i < end && jsonBlank(text[i]) {
		i++
	}
	switch {
	case i >= end:
		return false
	case text[i] == '{' || text[i] == '[':
		return true
	case text[i] == '"':
		j, _ := jsonStringEnd(text, i)
		if j < 0 || j > end {
			return false
		}
		for j < len(text) && jsonBlank(text[j]) {
			j++
		}
		// (the ',' may be the one the region ends with)
		return j < len(text) && (text[j] == ',' || text[j] == '}')
	}
	return jsonAtomEnd(text, i) > i
}

func unclosedBracket(text []byte, at int) Diagnostic {
	what := "[ is never closed (a ] closes it)"
	if text[at] == '{' {
		what = "{ is never closed (a } closes it)"
	}
	return syntaxError(Range{at, at + 1}, "syntax error: this "+what)
}

// compactBrokenState is what an update of a broken compact JSON tree
// needs: its broken region.
type compactBrokenState struct {
	region compactRegion
	// several: the text has more broken regions than region (a cold parse
	// found them: all, region the first); an update of it finds them
	// again (updateSeveral).
	several bool
	all     []compactRegion
}

// regions returns every broken region, in order.
func (cb *compactBrokenState) regions() []compactRegion {
	if cb.several {
		return cb.all
	}
	return []compactRegion{cb.region}
}

// awayRun reports whether a run of members [fs, fe) holding edit e can be
// re-parsed as in a valid text while the region stays as it is: the
// forward scan read the run as complete members before the region and the
// backward scan does not reach the edit (it stopped at q), or the backward
// scan read the run as complete members after the region and the forward
// scan stopped at p before the edit. A valid run then reads in the same
// state from both sides, and the scans stop where they did.
func (cb *compactBrokenState) awayRun(fs, fe int, e Edit) bool {
	r := cb.region
	return fe <= r.start() && e.End <= r.q || fs >= r.to && e.Start > r.p
}

// shifted returns the state after an edit [s, e) away from the region
// (away) that changes the text's length by delta.
func (cb *compactBrokenState) shifted(e, delta int) *compactBrokenState {
	sh := func(p int) int {
		if p >= e {
			return p + delta
		}
		return p
	}
	r := cb.region
	r.open, r.close, r.from, r.to, r.p, r.q = sh(r.open), sh(r.close), sh(r.from), sh(r.to), sh(r.p), sh(r.q)
	if r.comma >= 0 {
		r.comma = sh(r.comma)
	}
	return &compactBrokenState{region: r}
}

// shiftedRegions returns the broken regions (and their diagnostics) after
// an edit ending at e that changes the length by delta, all of them after
// it or all before.
func shiftedRegions(rs []brokenRegion, e, delta int) []brokenRegion {
	out := slices.Clone(rs)
	for i := range out {
		if out[i].region.Start < e {
			continue
		}
		out[i].region = Range{out[i].region.Start + delta, out[i].region.End + delta}
		d := &out[i].diag
		d.Range = Range{d.Range.Start + delta, d.Range.End + delta}
		d.Related = slices.Clone(d.Related)
		for j := range d.Related {
			d.Related[j].Range = Range{d.Related[j].Range.Start + delta, d.Related[j].Range.End + delta}
		}
	}
	return out
}

// keepBroken carries the broken region of t over to the tree of an update
// away from it (u re-parsed a valid run).
func keepBroken(u *TreeUpdate, t *Tree, e Edit) {
	delta := u.Delta
	tree := u.Tree
	tree.strictJSON = false
	tree.compactBroken = t.compactBroken.shifted(e.End, delta)
	tree.broken = shiftedRegions(t.broken, e.End, delta)
	tree.notes = shiftedRegions(t.notes, e.End, delta)
	if r, nr := t.compactBroken.region, tree.compactBroken.region; len(tree.broken) > 0 &&
		(e.Start > r.open && e.End <= r.start() && (outsideDiag(t.Text, r) || outsideDiag(tree.Text, nr)) ||
			e.Start >= r.to && (e.Start <= tailReach(t.Text, r) || e.Start <= tailReach(tree.Text, nr))) {
		// (between the region's container bracket and the region: whether
		// it starts at the container's first member or an array's second
		// item, which its diagnostic depends on: outsideDiag; after it,
		// the text its diagnostics read, tailReach; the one region's
		// diagnostics are all of tree.broken)
		_, ds, _ := regionNodes(tree.Text, nr, 0)
		tree.broken = regionBroken(nr, ds)
	}
	for _, b := range append(tree.broken[:len(tree.broken):len(tree.broken)], tree.notes...) {
		tree.Diagnostics = append(tree.Diagnostics, b.diag)
	}
	sortTreeDiagnostics(tree.Diagnostics)
}

// regionBroken is the broken region r with its diagnostics ds, one entry
// each (several errors told apart: regionErrors).
func regionBroken(r compactRegion, ds []Diagnostic) []brokenRegion {
	out := make([]brokenRegion, len(ds))
	for i, d := range ds {
		out[i] = brokenRegion{diag: d, region: Range{r.start(), r.to}}
	}
	return out
}

// compactRootStart returns the offset of the root's '{' of a compact JSON
// text (its first member on the line of the '{'), or -1.
func compactRootStart(text []byte) int {
	o := 0
	if bytes.HasPrefix(text, []byte(bom)) {
		o = len(bom)
	}
	for o < len(text) && jsonBlank(text[o]) {
		o++
	}
	if o >= len(text) || text[o] != '{' {
		return -1
	}
	for k := o + 1; k < len(text) && text[k] != '"'; k++ {
		if text[k] != ' ' && text[k] != '\t' {
			return -1
		}
	}
	return o
}

// compactRootEnd returns the offset after the root object of a compact
// JSON text that reads without error up to its closing '}' and is followed
// by more than blanks (a second value: `{…}{…}`, `{…}x`), or -1.
func compactRootEnd(text []byte) int {
	o := compactRootStart(text)
	if o < 0 {
		return -1
	}
	// (other -1: the root may close at any '}', not only at the text's last)
	fr, p := scanForward(text, o+1, []jframe{{obj: true, at: o, member: o, other: -1}}, fOpen)
	if len(fr) > 0 || p < 0 {
		return -1 // an error inside the root, or valid JSON
	}
	e := p - 1
	for jsonBlank(text[e]) {
		e--
	}
	return e + 1
}

// brokenRootEnd returns the offset after the root object of a compact
// JSON text with an error inside the root and text after it, or -1: the
// root is taken to close at the last '}' of the text, when it ends with
// something else (`{"a":1,}x`), or before the objects that end the text
// (up to that '}'), as many as read back without error, each after a '}'
// (`{"a":1,}{"b":2}{"c":3}`: more documents; session 12 peeled off only
// the last). The caller confines the root's own errors in the text up to
// there.
func brokenRootEnd(text []byte) int {
	o := compactRootStart(text)
	if o < 0 {
		return -1
	}
	c := len(text) - 1
	for jsonBlank(text[c]) { // (the root's '{' at o stops it)
		c--
	}
	end := -1
	if text[c] != '}' {
		if c = bytes.LastIndexByte(text[:c], '}'); c <= o {
			return -1
		}
		end = c + 1
	}
	for {
		fr, q := scanBackward(text, c-1, []jframe{{obj: true, at: c, member: c, other: -1}}, bClose)
		if len(fr) > 0 || q <= o || text[q] != '}' {
			return end // (the object at c is the root, or does not read back)
		}
		end, c = q+1, q
	}
}

// maxTrailingToken bounds the diagnostic of the text after the root: a
// minified second document has no blank to end its first token at.
const maxTrailingToken = 64

// parseCompactTrailing parses a compact JSON text whose root object reads
// without error and is followed by more text (another document, or text
// typed after the root's '}'): the tree is the root's (its text parsed as
// a text of its own: run by run, or whole), with one diagnostic at what
// follows it (its first token, up to a blank, at most maxTrailingToken
// bytes), where the whole parse has its error and no tree. It is not
// updated: the next edit declines (the previous text has diagnostics) and
// the text is parsed cold again.
func parseCompactTrailing(t *Tree, text []byte, regionMin int) bool {
	e := compactRootEnd(text)
	if e < 0 {
		// A root with an error of its own: its errors confined in the
		// text up to its '}'.
		if e = brokenRootEnd(text); e < 0 {
			return false
		}
		if _, ok := coldCompactRegions(text[:e]); !ok {
			return false
		}
	}
	root := parseTree(text[:e], regionMin)
	if len(root.Docs) != 1 || root.Root() == nil {
		return false
	}
	s := e
	for jsonBlank(text[s]) {
		s++
	}
	t.Docs = root.Docs
	t.wholeWhy = "text follows the root object"
	t.Diagnostics = append(slices.Clone(root.Diagnostics), syntaxError(boundedToken(text, s, min(len(text), s+maxTrailingToken)), "syntax error: text after the root object's closing } (a JSON document is one value: another document, or a } too many before it?)"))
	return true
}

// maxCompactRegions bounds the broken regions of a cold parse of a text
// of n bytes (more: the text is parsed whole, with yaml's error recovery):
// 16, and one per KiB of a larger text. Every step over the regions is
// linear in them (regions are kept in order and looked up by binary
// search), so the bound only keeps a text that is mostly errors from
// being read as one region per broken member, each with a diagnostic.
func maxCompactRegions(n int) int { return max(16, n>>10) }

// maxResyncTries bounds the places after an error where the forward scan
// tries to read on (resync).
const maxResyncTries = 256

// coldCompactRegions scans a compact JSON text from both ends. When the
// scans meet (the backward one stopped at or before the forward one's
// error) there is one broken region where they meet; else the forward scan
// resyncs after each error (resync) until it meets the backward one, one
// region per error.
//
// A ',' too many (two in a row, or one before a closing bracket) is
// confined alone when that confines the text's errors at least as finely
// as regions that run on past it: those are kept only when they are more
// regions in no more text (which is how the text reads when such a ',' is
// not the only error of its stretch: compared only then; a reading past
// the ',' that misreads the items after it makes a region more, but of
// more text).
//
// When neither reading confines the errors, they are read again, each
// reading confining more texts than the one before (compactReading).
func coldCompactRegions(text []byte) ([]compactRegion, bool) {
	rs, ok := coldCompactRegionsRead(text)
	if !ok || regionsHoldDocument(text, rs) && brokenRootEnd(text) >= 0 {
		// (a region over a '}' followed by a '{', and the objects that
		// end the text read back, each after a '}': more documents after
		// a broken root, which parseCompactTrailing reads; confined in
		// the whole text, their members would be read as the root's)
		return nil, false
	}
	return splitUnclosed(text, rs), true
}

// regionsHoldDocument reports whether a region holds, outside its strings
// (read from its start), a '}' followed, after blanks, by a '{': where
// another document may start.
func regionsHoldDocument(text []byte, rs []compactRegion) bool {
	for _, r := range rs {
		for i := r.start(); i < r.to; i++ {
			if text[i] == '"' {
				j, _ := jsonStringEnd(text, i)
				if j < 0 {
					break // (a string never closed: the rest is in it)
				}
				i = j - 1
				continue
			}
			if text[i] != '}' {
				continue
			}
			j := i + 1
			for j < len(text) && jsonBlank(text[j]) {
				j++
			}
			if j < len(text) && text[j] == '{' {
				return true
			}
		}
	}
	return false
}

// splitUnclosed splits each region that splitRegion splits, within the
// region bound.
func splitUnclosed(text []byte, rs []compactRegion) []compactRegion {
	var out []compactRegion // (nil until a region splits: rs itself)
	for i, r := range rs {
		before := i // the regions before r, split
		if out != nil {
			before = len(out)
		}
		parts := splitRegion(text, r)
		if parts == nil || before+len(parts)+len(rs)-i-1 > maxCompactRegions(len(text)) {
			if out != nil {
				out = append(out, r)
			}
			continue
		}
		if out == nil {
			out = append(make([]compactRegion, 0, len(rs)+1), rs[:i]...)
		}
		out = append(out, parts...)
	}
	if out == nil {
		return rs
	}
	return out
}

// splitRegion splits a region of an object whose member holds an array
// never closed that the next member of the object is read into (`"b":[1,2,
// "c":"x,"d":1`: the scan fails at the "c" item's ':'), and that has an
// error of its own: the region is then two, the member up to the one read
// into the array (its diagnostic at the '['), and the rest, from that
// member. Or nil. The array is never closed when the first bracket that
// balances it, strings not read, is not a ']' (the object's '}'): an array
// whose ']' comes later is one that holds a ':' in error, one region. The
// blanked text is the same: the run-by-run parse and its validity are
// the region's.
func splitRegion(text []byte, r compactRegion) []compactRegion {
	if !r.obj || bytes.IndexByte(text[r.from:r.to], '[') < 0 {
		return nil // (no array opens in it: a keystroke's scan of many regions)
	}
	fr, p := scanForward(text, r.from, []jframe{{obj: true, at: r.open, member: r.from, other: -1}}, fMember)
	if p < 0 || p >= r.to || len(fr) < 2 || fr[len(fr)-1].obj || text[p] != ':' {
		return nil
	}
	arr := fr[len(fr)-1]
	m := arr.member // the item read in the array: a key and its ':'
	if ke, _ := jsonStringEnd(text, m); text[m] != '"' || ke < 0 || ke > p {
		return nil
	}
	depth, brackets := 0, 0
balance:
	for k := arr.at; k < len(text); k++ {
		switch text[k] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		default:
			continue
		}
		if brackets++; brackets > maxResyncTries {
			return nil
		}
		if depth == 0 {
			if text[k] == ']' {
				return nil // (the array closes: one region, an error in it)
			}
			break balance
		}
	}
	// The rest reads from that member as a member of the object (its key
	// and ':') and fails inside the object: an error of its own.
	if fr2, p2 := scanForward(text, m, []jframe{{obj: true, at: r.open, member: m, other: -1}}, fMember); p2 <= p || len(fr2) == 0 {
		return nil
	}
	r1, r2 := r, r
	r1.to = m
	r2.from, r2.comma = m, -1
	return []compactRegion{r1, r2}
}

// coldCompactRegionsRead is coldCompactRegions before splitUnclosed.
func coldCompactRegionsRead(text []byte) ([]compactRegion, bool) {
	for rd := readPlain; rd < readFurthest; rd++ {
		if rs, ok := coldCompactReading(text, rd); ok {
			if slices.ContainsFunc(rs, func(r compactRegion) bool { return r.p < len(text) && isCloser(text[r.p]) }) {
				// A region resyncs from a closing bracket: the reading
				// may have read the text before it a level off, and
				// flags the bracket as an error of its own; one that
				// reads it right has fewer regions in less text.
				if rs2, ok2 := coldCompactReading(text, readFurthest); ok2 && len(rs2) < len(rs) && blankedBytes(rs2) < blankedBytes(rs) {
					return rs2, true
				}
			}
			return rs, true
		}
	}
	if rs, ok := coldCompactReading(text, readFurthest); ok {
		return rs, true
	}
	if rs, ok := coldCompactReading(text, readClosers); ok {
		return rs, true
	}
	return coldCompactReading(text, readCoarse)
}

// compactReading is how the forward scan reads on after an error: the
// plain reading, then the ones tried when a reading does not confine the
// text's errors.
type compactReading int

const (
	readPlain compactReading = iota
	// readOpeners: a resync reads on after an opening bracket too, and a
	// resync at the last error whose scan reads on to the root's end is
	// the last region when the scans' meeting place does not confine the
	// errors. For a bracket typed without its closer, whose content the
	// text after it closes as its own (`"k"z":[1,{"a":{…}}`: the backward
	// scan reads the '{' as the container's own opener, and the ',' after
	// the member reads on only by closing the container a bracket early).
	readOpeners
	// readMerged: also, a region that takes in earlier ones (a resync
	// further out, or the scans' meeting place, holds their container)
	// replaces them: errors in one member of a container each confined
	// alone until a bracket never closed takes in the member.
	readMerged
	// readFurthest: also, a resync weighs the place each container from
	// the innermost out reads on at, and a region over a closing bracket
	// too many, and takes the one whose scan reads furthest
	// (resyncFurthest): the first place that reads on may read the text
	// after it a level off (a bracket never closed, or a quote typed
	// before a '{' that leaves its '}' closing nothing), which fails only
	// where the levels run out.
	readFurthest
	// readClosers: also, a resync weighs the places after each closing
	// bracket in the member (resyncClosers): a bracket never closed
	// (`"k":[1,{{…}}`) makes the member end at a bracket that balances
	// nothing, which the other places do not try.
	readClosers
	// readCoarse: also, the place whose scan reads furthest is taken
	// although its region holds where another place's scan failed.
	readCoarse
)

// coldCompactReading is coldCompactRegions in one reading.
func coldCompactReading(text []byte, rd compactReading) ([]compactRegion, bool) {
	rs, ok := compactRegionsResyncing(text, true, rd)
	if !ok || !slices.ContainsFunc(rs, func(r compactRegion) bool { return r.to == r.from || r.to == r.from+1 && text[r.from] == ',' }) {
		if ok {
			return rs, true
		}
		return compactRegionsResyncing(text, false, rd)
	}
	if !json.Valid(bytes.TrimPrefix(blankCompactRegions(text, rs), []byte(bom))) {
		return compactRegionsResyncing(text, false, rd)
	}
	if rs2, ok2 := compactRegionsResyncing(text, false, rd); ok2 && len(rs2) > len(rs) && blankedBytes(rs2) <= blankedBytes(rs) &&
		json.Valid(bytes.TrimPrefix(blankCompactRegions(text, rs2), []byte(bom))) {
		return rs2, true
	}
	return rs, true
}

// blankedBytes is how many bytes the regions blank.
func blankedBytes(rs []compactRegion) int {
	n := 0
	for _, r := range rs {
		n += r.to - r.start()
	}
	return n
}

// compactRegionsResyncing is coldCompactRegions, with a resync that tries
// a ',' at the start of the member it confines (strayComma: a member that
// starts with a ',' is that ',' alone) or not, in the reading rd.
func compactRegionsResyncing(text []byte, strayComma bool, rd compactReading) ([]compactRegion, bool) {
	o := compactRootStart(text)
	if o < 0 {
		return nil, false
	}
	c := len(text) - 1
	for jsonBlank(text[c]) { // (the root's '{' at o stops it)
		c--
	}
	if text[c] != '}' {
		return nil, false
	}
	fw, p := scanForward(text, o+1, []jframe{{obj: true, at: o, member: o, other: c}}, fOpen)
	if p < 0 {
		return nil, false // valid
	}
	bw, q := scanBackward(text, c-1, []jframe{{obj: true, at: c, member: c, other: o}}, bClose)
	openers, merge := rd >= readOpeners, rd >= readMerged
	var rs []compactRegion
	for q > p {
		if len(rs) == maxCompactRegions(len(text))-1 {
			// The bound: the rest, from this error to the backward scan's,
			// is the last region (one diagnostic, the members around kept).
			break
		}
		if len(rs) == 0 && len(fw) == 1 && text[p] == '}' {
			// The root, read without error, closes before its last '}':
			// another document follows (`{…}` then `{…}`), which the whole
			// parse reports as such.
			return nil, false
		}
		r, fw2, p2, ok := resyncIn(text, fw, p, strayComma, rd)
		if !ok || r.to > q || p2 < 0 {
			// One stretch of broken text holds both errors: the resync's
			// region reaches the backward scan's error, no place after the
			// error reads on (the next member is broken too, up to the
			// root's end), or (p2 < 0) what it read after the error is
			// valid to the end, where the backward scan found an error
			// (the resync read a string inside out).
			break
		}
		if rd == readCoarse && len(rs) > 0 && r.start() < rs[len(rs)-1].to {
			// The resync's member starts before the previous region ends
			// (the scan read on a level off after it): the region runs
			// from that member past the previous regions, which it takes in.
			if r, fw2, p2, ok = resyncAtPast(text, fw[:r.depth+1], p, strayComma, true, rs[len(rs)-1].to); !ok || r.to > q || p2 < 0 {
				break
			}
		}
		// (a resync further out may take in the previous region's
		// container: the text is then not confined member by member, but
		// in readMerged)
		if rs, ok = appendRegion(rs, r, merge); !ok {
			return nil, false
		}
		fw, p = fw2, p2
	}
	r, ok := regionOf(text, fw, p, bw, q)
	if ok {
		if out, fits := appendRegion(rs, r, false); fits {
			return out, true
		}
	}
	if openers {
		if r2, _, p2, ok2 := resyncIn(text, fw, p, strayComma, rd); ok2 && p2 < 0 {
			if out, fits := appendRegion(rs, r2, merge); fits {
				return out, true
			}
		}
	}
	if !ok || !merge {
		return nil, false
	}
	if rd == readCoarse {
		rs, r = mergeAtComma(text, rs, r)
	}
	return appendRegion(rs, r, true)
}

// mergeAtComma returns the regions and the last region r (of the last
// reading, readCoarse) with the region before r merged into r when, once
// the regions r holds are dropped, they share only the ',' between them:
// r, its container's last member, takes the ',' before it, which ends the
// region before (`"channels":"x{…},` then `"components":[1,{{…`). The
// region then runs from that region's member, with the ',' before it.
func mergeAtComma(text []byte, rs []compactRegion, r compactRegion) ([]compactRegion, compactRegion) {
	for len(rs) > 0 && rs[len(rs)-1].start() >= r.start() && rs[len(rs)-1].to <= r.to {
		rs = rs[:len(rs)-1]
	}
	if len(rs) == 0 {
		return rs, r
	}
	l := rs[len(rs)-1]
	if l.open != r.open || r.comma < 0 || r.comma >= l.to || r.from < l.to {
		return rs, r
	}
	r.from, r.comma = l.from, commaBefore(text, l.from)
	return rs[:len(rs)-1], r
}

// appendRegion appends r to the regions rs (in order, apart) when it lies
// after them; with merge, the last regions it holds go first.
func appendRegion(rs []compactRegion, r compactRegion, merge bool) ([]compactRegion, bool) {
	for merge && len(rs) > 0 && rs[len(rs)-1].start() >= r.start() && rs[len(rs)-1].to <= r.to {
		rs = rs[:len(rs)-1]
	}
	if len(rs) > 0 && r.start() < rs[len(rs)-1].to {
		return nil, false
	}
	return append(rs, r), true
}

// resync confines the error at p, where the forward scan failed in frames
// fw, to the member (or item) it was reading in the innermost container,
// and resumes the scan after it. The region ends where the scan reads on
// by one member (or item) or more: at p itself when a member starts there
// (the value before it lacks its ','); else after the first ',' from the
// member's start (strayComma; else past it) from which a member reads
// completely (a member that is only a ',' is that ',' alone), or at the first
// closing bracket from which the container's parent reads on, to its own
// end or past a ',' into its next member (the text that a quote left open
// read inside out is read again). It returns the
// region and where the resumed scan failed (-1: nowhere), with its frames.
// Its callers resync only when the backward scan failed after p, so p is
// inside the text.
func resync(text []byte, fw []jframe, p int, strayComma, openers bool) (compactRegion, []jframe, int, bool) {
	// From the innermost container out: a bracket left open is confined
	// to the member that holds it.
	for d := len(fw) - 1; d >= 0; d-- {
		if r, fr2, p2, ok := resyncAt(text, fw[:d+1], p, strayComma, openers); ok {
			return r, fr2, p2, true
		}
	}
	return compactRegion{}, nil, 0, false
}

// resyncIn is resync in the reading rd.
func resyncIn(text []byte, fw []jframe, p int, strayComma bool, rd compactReading) (compactRegion, []jframe, int, bool) {
	if rd >= readFurthest {
		return resyncFurthest(text, fw, p, strayComma, rd >= readClosers, rd == readCoarse)
	}
	return resync(text, fw, p, strayComma, rd >= readOpeners)
}

// maxFurthestDepths bounds the containers, from the innermost out, whose
// resyncs resyncFurthest weighs: each costs a scan to its next error.
const maxFurthestDepths = 8

// resyncFurthest is resync (with openers) that weighs, in each container
// from the innermost out, the place resyncAt finds and the place after a
// closing bracket too many (resyncOver), and takes the one whose resumed
// scan reads furthest, the innermost of equals. A place that reads further
// is not taken when its region holds where the other's scan failed, unless
// that failure is at a closing bracket (a level off: a real error there
// would be taken into the region with the one it resyncs from).
func resyncFurthest(text []byte, fw []jframe, p int, strayComma, closers, coarse bool) (compactRegion, []jframe, int, bool) {
	type place struct {
		r   compactRegion
		fr  []jframe
		p   int
		set bool
	}
	var best place
	consider := func(r compactRegion, fr []jframe, p2 int, ok, whole bool) {
		if !ok {
			return
		}
		if best.set && (reachOf(text, p2) <= reachOf(text, best.p) || r.to > best.p && !isCloser(text[best.p]) && !whole && !coarse) {
			return
		}
		best = place{r, fr, p2, true}
	}
	for d := len(fw) - 1; d >= max(0, len(fw)-maxFurthestDepths); d-- {
		r, fr, p2, ok := resyncAt(text, fw[:d+1], p, strayComma, true)
		consider(r, fr, p2, ok, false)
		r, fr, p2, ok = resyncOver(text, fw[:d+1], p)
		consider(r, fr, p2, ok, ok && valueAtError(text, r))
		if closers {
			r, fr, p2, ok = resyncClosers(text, fw[:d+1], p)
			consider(r, fr, p2, ok, false)
		}
	}
	return best.r, best.fr, best.p, best.set
}

func isCloser(c byte) bool { return c == '}' || c == ']' }

// regionPast is the region of the error at p in the innermost container of
// fw from the member at from past the closing bracket at k, as resyncAt's
// regions: up to the next member, or to the container's bracket with the
// ',' before the region.
func regionPast(text []byte, fw []jframe, from, k, p int) compactRegion {
	d := len(fw) - 1
	r := compactRegion{depth: d, obj: fw[d].obj, open: fw[d].at, from: from, to: k + 1, comma: -1, p: p}
	for r.to < len(text) && jsonBlank(text[r.to]) {
		r.to++
	}
	if r.to < len(text) && text[r.to] == ',' {
		for r.to++; jsonBlank(text[r.to]); r.to++ { // (the root's '}' after the ',' stops it)
		}
	} else {
		r.comma = commaBefore(text, from)
	}
	return r
}

// reachOf is how far a resumed scan that failed at p read (-1: to the
// end, further than any failure).
func reachOf(text []byte, p int) int {
	if p < 0 {
		return len(text) + 1
	}
	return p
}

// valueAtError reports whether the region r (resyncOver's) holds its error
// alone: the bracket it ends at closes, strings not read, an opening
// bracket that starts one JSON value there (a key without its ':' before
// an object or array, or a quote typed before one: `"x[{…}]`), so the
// error lies before that value and no other in it (another reading failed
// inside it only by reading it a level off).
func valueAtError(text []byte, r compactRegion) bool {
	k := r.to
	for text[k-1] == ',' || jsonBlank(text[k-1]) {
		k--
	}
	var raw []int // the opening brackets, strings not read
	for i := r.from; i < k; i++ {
		switch text[i] {
		case '{', '[':
			raw = append(raw, i)
		case '}', ']':
			if len(raw) == 0 {
				return false
			}
			if i == k-1 {
				return json.Valid(text[raw[len(raw)-1]:k])
			}
			raw = raw[:len(raw)-1]
		}
	}
	return false
}

// resyncOver confines the error at p, in the innermost container of fw,
// to the member (or item) up to the first bracket where the brackets from
// its start, strings not read, balance again, and resumes the scan after
// that bracket in the container: a quote typed before a '{' (`"x{"` is a
// string) leaves the '}' that closed it closing nothing, and a key whose
// ':' is missing has a bracketed value the scan failed at.
func resyncOver(text []byte, fw []jframe, p int) (compactRegion, []jframe, int, bool) {
	d := len(fw) - 1
	top := fw[d]
	from := top.member
	if from > p {
		return compactRegion{}, nil, 0, false
	}
	depth, brackets := 0, 0
	for k := from; k < len(text); k++ {
		switch text[k] {
		case '{', '[':
			depth++
			brackets++
			continue
		case '}', ']':
			depth--
			brackets++
		default:
			continue
		}
		if brackets > maxResyncTries {
			break // (a member that large: each resync would read it through)
		}
		if depth < 0 {
			break // (the container's own bracket, or one further out)
		}
		if depth > 0 || k < p {
			continue
		}
		fr2, p2 := scanForward(text, k+1, slices.Clone(fw), fAfter)
		if p2 >= 0 && len(fr2) > d && fr2[d].member == from {
			return compactRegion{}, nil, 0, false // it does not read on
		}
		return regionPast(text, fw, from, k, p), fr2, p2, true
	}
	return compactRegion{}, nil, 0, false
}

// maxCloserTries bounds the closing brackets after an error where
// resyncClosers tries to read on: each costs a scan to its next error.
const maxCloserTries = 32

// resyncClosers confines the error at p, in the innermost container of fw,
// to the member (or item) up to a closing bracket after p, and resumes the
// scan after that bracket in the container: of the first maxCloserTries
// brackets (strings not read) up to where the brackets from the member's
// start balance (resyncOver's place), the one whose resumed scan reads
// furthest. A bracket typed without its closer (`"k":[1,{{"a":1}}`) leaves
// the member's brackets unbalanced up to the container's end: the member
// ends at the bracket that closes its real value.
func resyncClosers(text []byte, fw []jframe, p int) (compactRegion, []jframe, int, bool) {
	d := len(fw) - 1
	top := fw[d]
	from := top.member
	if from > p {
		return compactRegion{}, nil, 0, false
	}
	var best compactRegion
	var bestFr []jframe
	bestP, set := 0, false
	depth, tries := 0, 0
	for k := from; k < len(text) && tries < maxCloserTries; k++ {
		switch text[k] {
		case '{', '[':
			depth++
			continue
		case '}', ']':
			depth--
		default:
			continue
		}
		if depth <= 0 {
			break // (resyncOver's place, the container's own bracket, or one further out)
		}
		if k < p {
			continue
		}
		tries++
		fr2, p2 := scanForward(text, k+1, slices.Clone(fw), fAfter)
		if p2 >= 0 && len(fr2) > d && fr2[d].member == from || set && reachOf(text, p2) <= reachOf(text, bestP) {
			continue // it does not read on, or not further
		}
		best, bestFr, bestP, set = regionPast(text, fw, from, k, p), fr2, p2, true
	}
	return best, bestFr, bestP, set
}

// resyncAt is resync in the innermost container of fw.
func resyncAt(text []byte, fw []jframe, p int, strayComma, openers bool) (compactRegion, []jframe, int, bool) {
	return resyncAtPast(text, fw, p, strayComma, openers, 0)
}

// resyncAtPast is resyncAt with a region that ends at past or after it.
func resyncAtPast(text []byte, fw []jframe, p int, strayComma, openers bool, past int) (compactRegion, []jframe, int, bool) {
	d := len(fw) - 1
	top := fw[d]
	from := top.member // (after top.at: a forward scan fails only at a byte it reads)
	if from > p {
		return compactRegion{}, nil, 0, false
	}
	// readsOn: the scan from a member start (or after a closing bracket at
	// depth d-1) left that member (or the parent's) before failing.
	memberFrom := func(next int) ([]jframe, int, bool) {
		fr := slices.Clone(fw)
		fr[d].member = next
		fr2, p2 := scanForward(text, next, fr, fMember)
		return fr2, p2, p2 < 0 || len(fr2) <= d || fr2[d].at != top.at || fr2[d].member != next
	}
	region := func(to int) compactRegion {
		return compactRegion{depth: d, obj: top.obj, open: top.at, from: from, to: to, comma: -1, p: p}
	}
	// (At p == from the scan from the member's start fails where it did.)
	if fr2, p2, ok := memberFrom(p); ok { // (p >= past: the scan failed after the previous region)
		return region(p), fr2, p2, true
	}
	closer, opener := byte('}'), byte('{')
	if !top.obj {
		closer, opener = ']', '['
	}
	if !openers {
		opener = ','
	} else if r, fr2, p2, ok := resyncAtPast(text, fw, p, strayComma, false, past); ok && p2 < 0 {
		// (a place without openers from which the scan reads on to the
		// end is taken first: an opener before it would be the first
		// place that reads on only because its bracket closes later)
		return r, fr2, p2, true
	}
	tries := 0
	// From the member's own first byte (strayComma): a member that starts
	// with a ',' (two in a row) is that ',' alone.
	k := from + 1
	if strayComma {
		k = from
	}
	k = max(k, past)
	for ; k < len(text) && tries < maxResyncTries; k++ {
		c := text[k]
		if c != ',' && c != closer && c != opener {
			continue
		}
		tries++
		if c == ',' || c == opener {
			// (openers: the content of a bracket left open read as the
			// container's own members or items)
			next := k + 1
			for next < len(text) && jsonBlank(text[next]) {
				next++
			}
			if fr2, p2, ok := memberFrom(next); ok {
				return region(next), fr2, p2, true
			}
			continue
		}
		if !top.leaves(k) || d == 0 {
			continue
		}
		fr2, p2 := scanForward(text, k, slices.Clone(fw), fAfter)
		if !(p2 < 0 || len(fr2) < d || fr2[d-1].member != fw[d-1].member && p2 > fr2[d-1].member) {
			continue // the parent does not read on (past a ',', into its next member)
		}
		// The container closes here: the region runs to its bracket, with
		// the ',' before it.
		r := region(k)
		r.comma = commaBefore(text, from)
		return r, fr2, p2, true
	}
	return compactRegion{}, nil, 0, false
}

// commaBefore returns the ',' before the member at from (blanks between),
// or -1 (its container's opening bracket, which stops the search).
func commaBefore(text []byte, from int) int {
	j := from - 1
	for jsonBlank(text[j]) {
		j--
	}
	if text[j] == ',' {
		return j
	}
	return -1
}

// blankCompactRegions returns text with the regions (and their commas) blanked,
// line breaks kept.
func blankCompactRegions(text []byte, rs []compactRegion) []byte {
	blanked := slices.Clone(text)
	for _, r := range rs {
		for k := r.start(); k < r.to; k++ {
			if !IsBreak(blanked[k]) {
				blanked[k] = ' '
			}
		}
	}
	return blanked
}

// runFitsBlanked reports whether the text with the regions rs blanked is
// valid JSON, given that it was before an edit inside [from, next) (a run of
// members or items up to the next one, or to the container's closing
// bracket) whose content, blanked, parses as members (parseBlankedRunAll):
// JSON is context-free, so only the separators around the run decide. The
// blanked run ends with a ',' exactly when a member follows it, and an
// empty one lies between an opening bracket or a ',' and a member, or
// between two brackets.
func runFitsBlanked(text []byte, rs []compactRegion, from, next int) bool {
	blank := func(k int) bool {
		return jsonBlank(text[k]) || regionHolding(rs, k) >= 0
	}
	// (The run lies inside the root object, whose brackets no region
	// holds: they stop the scans before and after it.)
	p := from - 1
	for blank(p) {
		p--
	}
	n := next
	for blank(n) {
		n++
	}
	last := next - 1
	for last >= from && blank(last) {
		last--
	}
	closing := text[n] == '}' || text[n] == ']'
	switch {
	case last < from: // nothing left of the run
		return text[p] != ',' || !closing
	case text[last] == ',':
		return !closing
	}
	return closing
}

// regionHolding returns the index of the region of rs (in order, apart)
// whose blanked span holds offset k, or -1.
func regionHolding(rs []compactRegion, k int) int {
	i := sort.Search(len(rs), func(i int) bool { return rs[i].to > k })
	if i < len(rs) && rs[i].start() <= k {
		return i
	}
	return -1
}

func newCompactBrokenState(rs []compactRegion) *compactBrokenState {
	if len(rs) == 1 {
		return &compactBrokenState{region: rs[0]}
	}
	return &compactBrokenState{region: rs[0], several: true, all: rs}
}

// parseCompactBroken parses a compact JSON text that is not valid JSON
// with each error confined to a region, or returns false (the text is
// then parsed whole, with yaml's error recovery). The text with its
// regions blanked is valid JSON, and is parsed run by run as a valid
// compact text is (coldcompact.go: no node tree of the whole text at once,
// no blanked copy of it: the open's memory peak), or whole when a run does
// not parse alone.
func parseCompactBroken(t *Tree, text []byte) bool {
	return parseCompactBrokenBy(t, text, blankedRoot)
}

// blankedRoot returns the root object, whose '{' is at o, of text with the
// regions rs blanked: parsed run by run, else whole.
func blankedRoot(text []byte, rs []compactRegion, o int) *Node {
	if root := compactColdRoot(text, rs, o); root != nil {
		return root
	}
	return blankedRootWhole(text, rs, o)
}

// blankedRootWhole is blankedRoot by the whole parse of the blanked text
// (nil when it is not valid JSON).
func blankedRootWhole(text []byte, rs []compactRegion, _ int) *Node {
	blanked := blankCompactRegions(text, rs)
	if !json.Valid(bytes.TrimPrefix(blanked, []byte(bom))) {
		return nil
	}
	src, fixes := sanitizeJSONEscapes(blanked)
	docs, err := decodeStream(src)
	if err != nil || len(docs) != 1 {
		return nil
	}
	b := newTreeBuilder(src)
	b.release = true
	root := b.build(docs[0])
	docs[0] = nil
	if root == nil || b.anchors != nil || root.Kind != MappingNode {
		return nil
	}
	if len(fixes) > 0 {
		redecodeJSONStrings(root, blanked, fixes)
	}
	return root
}

// parseCompactBrokenBy is parseCompactBroken with the root of the text
// with its regions blanked parsed by parse (nil: it does not parse).
func parseCompactBrokenBy(t *Tree, text []byte, parse func(text []byte, rs []compactRegion, o int) *Node) bool {
	rs, ok := coldCompactRegions(text)
	if !ok {
		return false
	}
	root := parse(text, rs, compactRootStart(text))
	if root == nil {
		return false
	}
	var brs, notes []brokenRegion
	inserts := map[*Node][][]*Node{} // each container's regions, in order
	for _, r := range rs {
		nodes, ds, broken := regionNodes(text, r, 0)
		c := containerAt(root, r.open)
		if c == nil {
			return false
		}
		inserts[c] = append(inserts[c], nodes)
		if broken {
			brs = append(brs, regionBroken(r, ds)...)
		} else {
			notes = append(notes, regionBroken(r, ds)...)
		}
	}
	for c, groups := range inserts {
		insertRegions(c, groups)
	}
	t.Docs = []*Node{root}
	t.compactBroken = newCompactBrokenState(rs)
	t.broken, t.notes = brs, notes
	t.Diagnostics = treeDiagnostics(append(slices.Clone(brs), notes...), duplicateKeys(root, nil))
	return true
}

// containerAt returns the fresh container under n (n included) whose
// range starts at open, descending through the children whose ranges hold
// it (the last child that starts at or before open: a binary search).
func containerAt(n *Node, open int) *Node {
	for n != nil { // (each step goes one level down a finite tree)
		if int(n.start) == open && (n.Kind == MappingNode || n.Kind == SequenceNode) {
			return n
		}
		i := sort.Search(len(n.Content), func(i int) bool { return int(n.Content[i].start) > open }) - 1
		if i < 0 || open >= int(n.Content[i].end) {
			return nil // (a key ends before the bracket after it)
		}
		n = n.Content[i]
	}
	return nil
}

// insertRegions puts the nodes of regions (in order) among the children
// of the fresh container c, in order of position, in one pass.
func insertRegions(c *Node, regions [][]*Node) {
	out := make([]*Node, 0, len(c.Content)+2*len(regions))
	done := 0 // c.Content[:done] are in out
	for _, nodes := range regions {
		if len(nodes) == 0 {
			continue
		}
		at, k := int(nodes[0].start), done
		for k < len(c.Content) && int(c.Content[k].start) <= at {
			k++
		}
		if c.Kind == MappingNode && k%2 == 1 {
			k++ // (never: a region lies between members)
		}
		out = append(append(out, c.Content[done:k]...), nodes...)
		done = k
	}
	c.Content = append(out, c.Content[done:]...)
}

// spliceCompactBroken is the update of a compact JSON text whose new run
// (steps, as updateCompactJSON found them) is not valid JSON: the scans
// start at the run's ends in the state a cold scan has there, and the
// region they find is spliced in at the deepest step whose run holds it.
func spliceCompactBroken(old []byte, t *Tree, shifts *ShiftLog, steps []compactStep, e Edit, text []byte) (u *TreeUpdate, why string, valid bool) {
	delta := len(e.Text) - (e.End - e.Start)
	n := len(steps)
	fw, bw := make([]jframe, n), make([]jframe, n)
	for k, st := range steps {
		r := shifts.R(st.n)
		obj := st.n.Kind == MappingNode
		fw[k] = jframe{obj: obj, at: r.Start, member: childSpan(st.n, st.i, shifts).Start, other: -1}
		bm := r.End - 1 + delta
		if st.j+1 < childCount(st.n) {
			bm = childSpan(st.n, st.j+1, shifts).Start + delta
		}
		bw[k] = jframe{obj: obj, at: r.End - 1 + delta, member: bm, other: -1}
		if k == 0 { // the root: its brackets are known (coldCompactRegions)
			fw[k].other, bw[k].other = r.End-1+delta, r.Start
		}
	}
	if bw[n-1].at >= len(text) || (text[bw[n-1].at] != '}' && text[bw[n-1].at] != ']') {
		return nil, compactReason + "the run's container does not close where it did", false
	}
	fs := fw[n-1].member
	fst := fMember
	k := fs - 1
	for k >= 0 && jsonBlank(text[k]) {
		k--
	}
	if k >= 0 && (text[k] == '{' || text[k] == '[') {
		fst = fOpen
	}
	fwd, p := scanForward(text, fs, fw, fst)
	if p < 0 {
		return nil, "", true // the text is valid JSON
	}
	bst := bSep
	if bw[n-1].member == bw[n-1].at {
		bst = bClose
	}
	bwd, q := scanBackward(text, bw[n-1].member-1, bw, bst)
	if q > p {
		if len(fwd) == 1 && text[p] == '}' {
			// The root, read without error, closes before its last '}'
			// (`{"a":}{…}`): a cold parse confines nothing
			// (compactRegionsResyncing).
			return nil, compactReason + "the root closes before the text's last '}'", false
		}
		// The scans do not meet: a cold parse resyncs after the first
		// error (coldCompactRegions); one region when that covers the
		// last one too, else several, which the whole parse finds.
		if r, _, _, ok := resync(text, fwd, p, true, false); !ok || r.to <= q {
			return nil, compactReason + "the scans do not meet (several errors)", false
		}
	}
	r, ok := regionOf(text, fwd, p, bwd, q)
	if !ok {
		return nil, compactReason + "the syntax error is not confined to one member", false
	}
	if regionsHoldDocument(text, []compactRegion{r}) && brokenRootEnd(text) >= 0 {
		// (the cold parse's own test, coldCompactRegions: it reads the
		// root up to there and the rest as text after it,
		// parseCompactTrailing; brokenRootEnd, a scan of the text's end,
		// runs only for a region holding a '}' followed by a '{'.
		// updateSeveral's regions are the cold parse's, and an edit away
		// from the region leaves both tests as they were: the scans stop
		// where they did, awayRun)
		return nil, compactReason + "a broken root followed by another document", false
	}
	for k := min(r.depth, n-1); k >= 0; k-- {
		st := steps[k]
		cr := shifts.R(st.n)
		if k >= len(fwd) || k >= len(bwd) || fwd[k].at != cr.Start || bwd[k].at != cr.End-1+delta {
			continue
		}
		lo, hi := st.i, st.j
		rs := childSpan(st.n, lo, shifts).Start
		if r.start() < rs && lo > 0 && r.depth == k {
			lo--
			rs = childSpan(st.n, lo, shifts).Start
		}
		re := childSpan(st.n, hi, shifts).End + delta
		if r.start() < rs || (r.depth > k && r.to > re) {
			continue
		}
		if k < n-1 && re-rs > len(old)/2 {
			break // as costly as a full parse
		}
		log := shifts.next(childSpan(st.n, hi, shifts).End, delta)
		gen := log.gen()
		kids, ok := parseBlankedRunAll(text, rs, re, []compactRegion{r}, st.n.Kind, k+1, gen)
		if !ok {
			continue
		}
		// (a cold parse splits the region as splitUnclosed does: the
		// blanked run is the same)
		parts := splitRegion(text, r)
		if parts == nil {
			parts = []compactRegion{r}
		}
		groups := make([][]*Node, len(parts))
		brs := make([][]brokenRegion, len(parts))
		isBroken := make([]bool, len(parts))
		for i, x := range parts {
			var ds []Diagnostic
			groups[i], ds, isBroken[i] = regionNodes(text, x, gen)
			brs[i] = regionBroken(x, ds)
		}
		if r.depth == k {
			for _, nodes := range groups {
				kids = insertNodes(kids, nodes)
			}
		} else {
			var c *Node
			for _, kid := range kids {
				if c = containerAt(kid, r.open); c != nil {
					break
				}
			}
			if c == nil {
				continue
			}
			insertRegions(c, groups)
		}
		u, why, _ = assembleCompact(t, shifts, log, steps[:k+1], lo, hi, kids, delta, text)
		if u == nil {
			return nil, why, false
		}
		tree := u.Tree
		tree.strictJSON = false
		tree.compactBroken = newCompactBrokenState(parts)
		for i, bs := range brs {
			if isBroken[i] {
				tree.broken = append(tree.broken, bs...)
			} else {
				tree.notes = append(tree.notes, bs...)
			}
			for _, br := range bs {
				tree.Diagnostics = append(tree.Diagnostics, br.diag)
			}
		}
		sortTreeDiagnostics(tree.Diagnostics)
		return u, "", false
	}
	return nil, compactReason + "no run of members holds the broken region", false
}

// insertNodes puts nodes among kids (children of one container) in order
// of position.
func insertNodes(kids, nodes []*Node) []*Node {
	if len(nodes) == 0 {
		return kids
	}
	at := int(nodes[0].start)
	k := sort.Search(len(kids), func(i int) bool { return int(kids[i].start) > at })
	return slices.Concat(kids[:k], nodes, kids[k:])
}

// updateSeveral is the update of a broken compact JSON text that has, or
// gets, several broken regions: the regions of the new text are found as
// a cold parse finds them (coldCompactRegions: scans of the whole text, no
// parse), and the smallest run of members that holds the edit and every
// region that is not the previous text's own (shifted) is parsed with its
// regions blanked, as in spliceCompactBroken. Why the result is the cold
// parse's: the cold parse is the parse of the text with its regions
// blanked, plus the regions' nodes; outside the run that text is the
// previous one's (the same regions, the same bytes), which the previous
// tree is the parse of, and the run parses alone as it does in the whole
// text (JSON is context-free).
func updateSeveral(old []byte, t *Tree, shifts *ShiftLog, e Edit, text []byte) (*TreeUpdate, string) {
	if root := t.Root(); root == nil || e.Start <= shifts.R(root).Start || e.End >= shifts.R(root).End-1 {
		// (The text around the root object's brackets is the previous
		// one's: both scans start where they did.)
		return nil, compactReason + "several errors: the edit is not inside the root object"
	}
	rs, ok := coldCompactRegions(text)
	if !ok {
		return nil, compactReason + "the errors of the new text are not confined"
	}
	delta := len(e.Text) - (e.End - e.Start)
	sh := func(r compactRegion) compactRegion {
		f := func(p int) int {
			if p >= e.End {
				return p + delta
			}
			return p
		}
		r.open, r.close, r.from, r.to, r.p, r.q = f(r.open), f(r.close), f(r.from), f(r.to), f(r.p), f(r.q)
		if r.comma >= 0 {
			r.comma = f(r.comma)
		}
		return r
	}
	same := func(a, b compactRegion) bool {
		return a.depth == b.depth && a.obj == b.obj && a.open == b.open && a.from == b.from && a.to == b.to && a.comma == b.comma
	}
	toOld := func(p int) int {
		if p >= e.Start+len(e.Text) {
			return p - delta
		}
		return min(p, e.Start) // (in the edit's new text: its start)
	}
	// The span (in the previous text) of the edit and of the regions that
	// are not in both texts.
	s, end := e.Start, e.End
	olds := t.compactBroken.regions()
	kept := make([]bool, len(rs))
	// keptFrom: the previous text's region of a kept region whose
	// text is the same (text inserted right after a region is in the
	// region sh shifts, which may be the new one)
	keptFrom := map[int]compactRegion{}
	for _, o := range olds {
		found := false
		if o.to <= e.Start || o.start() >= e.End {
			// (rs is in order: a region that is o starts where o does)
			so := sh(o)
			k := sort.Search(len(rs), func(i int) bool { return rs[i].start() >= so.start() })
			for ; k < len(rs) && rs[k].start() == so.start(); k++ {
				if same(so, rs[k]) {
					kept[k], found = true, true
					if o.to < e.End || o.start() >= e.End {
						keptFrom[k] = o
					}
				}
			}
		}
		if !found {
			s, end = min(s, o.start()), max(end, regionEnd(old, o))
		}
	}
	for k, r := range rs {
		if !kept[k] {
			s, end = min(s, toOld(r.start())), max(end, toOld(regionEnd(text, r)))
		}
	}
	steps := compactSteps(t.Root(), s, end, shifts)
	if len(steps) == 0 {
		return nil, compactReason + "the edit and the changed regions are not inside a member of the root object"
	}
	n := len(steps)
	for k := n - 1; k >= 0; k-- {
		st := steps[k]
		lo, hi := st.i, st.j
		rs0 := childSpan(st.n, lo, shifts).Start
		re0 := childSpan(st.n, hi, shifts).End + delta
		// where the run's separator after it ends: the next child, or the
		// container's closing bracket
		next := shifts.R(st.n).End - 1 + delta
		if hi+1 < childCount(st.n) {
			next = childSpan(st.n, hi+1, shifts).Start + delta
		}
		var inside []compactRegion
		fits := true
		for _, r := range rs {
			if r.to <= rs0 || r.start() >= re0 {
				// (A changed region is in the span, which the run holds,
				// or in the separator after it.)
				if r.start() >= re0 && r.start() < next {
					fits = false // in the separator after the run
				}
				continue
			}
			if r.start() < rs0 && r.depth == k && lo > 0 && lo == st.i {
				lo--
				rs0 = childSpan(st.n, lo, shifts).Start
			}
			if r.start() < rs0 || r.depth == k && r.to > next || r.depth != k && r.to > re0 || r.depth < k {
				fits = false
				break
			}
			inside = append(inside, r)
		}
		if !fits {
			continue
		}
		if k < n-1 && re0-rs0 > len(old)/2 {
			break // as costly as a full parse
		}
		log := shifts.next(childSpan(st.n, hi, shifts).End, delta)
		gen := log.gen()
		kids, ok := parseBlankedRunAll(text, rs0, re0, inside, st.n.Kind, k+1, gen)
		if !ok {
			continue
		}
		if !runFitsBlanked(text, rs, rs0, next) {
			// The cold parse finds the blanked text invalid and parses it
			// whole.
			return nil, compactReason + "the errors of the new text are not confined"
		}
		placed := true
		for _, r := range inside {
			nodes, _, _ := regionNodes(text, r, gen)
			if r.depth == k {
				kids = insertNodes(kids, nodes)
				continue
			}
			var c *Node
			for _, kid := range kids {
				if c = containerAt(kid, r.open); c != nil {
					break
				}
			}
			if c == nil {
				placed = false
				break
			}
			insertRegions(c, [][]*Node{nodes})
		}
		if !placed {
			continue
		}
		u, why, _ := assembleCompact(t, shifts, log, steps[:k+1], lo, hi, kids, delta, text)
		if u == nil {
			return nil, why
		}
		tree := u.Tree
		tree.strictJSON = false
		tree.compactBroken = newCompactBrokenState(rs)
		// A kept region's diagnostic is the previous tree's, shifted (it
		// depends on the region's text only): a keystroke does not parse
		// every region again.
		// (a region's diagnostics are one entry each, all with its range)
		prev := map[int][]brokenRegion{}
		prevBroken := map[int]bool{}
		for _, b := range t.broken {
			prev[b.region.Start], prevBroken[b.region.Start] = append(prev[b.region.Start], b), true
		}
		for _, b := range t.notes {
			prev[b.region.Start] = append(prev[b.region.Start], b)
		}
		tree.broken, tree.notes = nil, nil
		for k, r := range rs {
			o, reuse := keptFrom[k]
			bs, found := prev[o.start()]
			broken := prevBroken[o.start()]
			// (an edit between a region's container bracket and the region
			// may change its diagnostic: outsideDiag)
			// (nor one in the text after it that its diagnostics read:
			// tailReach)
			if !reuse || !found || r.open < e.Start && e.Start+len(e.Text) <= r.start() && (outsideDiag(text, r) || outsideDiag(old, o)) ||
				o.to <= e.Start && (e.Start <= tailReach(old, o) || e.Start <= tailReach(text, r)) {
				var ds []Diagnostic
				_, ds, broken = regionNodes(text, r, gen)
				bs = regionBroken(r, ds)
			} else {
				bs = shiftedRegions(bs, e.End, delta)
			}
			if broken {
				tree.broken = append(tree.broken, bs...)
			} else {
				tree.notes = append(tree.notes, bs...)
			}
			for _, b := range bs {
				tree.Diagnostics = append(tree.Diagnostics, b.diag)
			}
		}
		sortTreeDiagnostics(tree.Diagnostics)
		return u, ""
	}
	return nil, compactReason + "no run of members holds the changed regions"
}

// parseBlankedRunAll parses the run [rs, re) of a container (kind, depth
// levels deep) with the regions' parts in it blanked: its members or items
// (none when nothing is left), with ranges in text.
func parseBlankedRunAll(text []byte, rs, re int, regions []compactRegion, kind Kind, depth int, gen uint32) ([]*Node, bool) {
	run := slices.Clone(text[rs:re])
	for _, r := range regions {
		for k := max(r.start(), rs); k < min(r.to, re); k++ {
			if !IsBreak(run[k-rs]) {
				run[k-rs] = ' '
			}
		}
	}
	end := len(run)
	for end > 0 && jsonBlank(run[end-1]) {
		end--
	}
	if end > 0 && run[end-1] == ',' {
		end--
	}
	if len(bytes.TrimSpace(run[:end])) == 0 {
		return nil, true
	}
	kids, _, _ := parseCompactRun(run[:end], 0, end, kind, depth, gen)
	if kids == nil {
		return nil, false
	}
	for _, n := range kids {
		moveNodes(n, rs)
	}
	return kids, true
}
