package syntax

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Region-wise parsing of JSON.
//
// A JSON document as editors write it is pretty-printed: an object whose
// '{' ends its line has one member per line run, each member's key
// starting a line at the object's member column, and its '}' on a line
// indented less. Such an object is a nest of regions as a block mapping is
// (tolerant.go): a member runs from its key's line to the next line that
// starts a key at the member column (or to the object's closing line), so
// a string, array or object left open cannot swallow the members that
// follow. A run of members is parsed as one flow mapping (the text with a
// '{' put in the indentation before the first key and a '}' after the last
// member, same offsets); a member that does not parse alone is split into
// its key line and its object value's members, or becomes an error entry,
// with one diagnostic: at the quote of a string never closed, the bracket
// of an array or object never closed, the key that lacks its ':', or just
// after a value that lacks its ','. What YAML accepts but JSON does not (a
// trailing comma, single quotes) is checked member by member.
//
// A compact (one-line) object is one member's region; a document whose
// root object is compact, or whose members do not start their lines, is
// parsed whole (parse.go), and an edit of one whose root object is compact
// re-parses the members it touches by their ranges (jsoncompact.go).

// jsonIndent returns the indentation (spaces and tabs) of the line that
// starts at i, and the offset of its first other byte (its end if blank).
func jsonIndent(text []byte, i, e int) (int, int) {
	j := i
	for j < e && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	return j - i, j
}

// jsonSegments returns the regions of the members of an object in [fs, fe)
// whose keys start their lines at column col (in bytes of indentation),
// and the stray lines indented less (each its own segment: any of them
// makes the object doubtful, jsonMembers and jsonLaidOut).
func (p *regionParser) jsonSegments(fs, fe, col int) []segment {
	text := p.text
	var out []segment
	for i := fs; i < fe; {
		ind, j := jsonIndent(text, i, fe)
		end := j
		for end < fe && !IsBreak(text[end]) {
			end++
		}
		switch {
		case j == end:
		case ind == col && text[j] == '"':
			out = append(out, segment{start: i})
		case ind < col:
			out = append(out, segment{start: i, stray: true})
		}
		i = nextLine(text[:fe], end)
	}
	if len(out) > 0 {
		out[0].start = fs
	}
	return out
}

// jsonMembers parses [fs, fe), the members of an object at column col. It
// fails only on doubt.
func (p *regionParser) jsonMembers(fs, fe, col, depth int) ([]*Node, bool) {
	segs := p.jsonSegments(fs, fe, col)
	if len(segs) == 0 || segs[0].stray {
		return nil, false
	}
	var pairs []*Node
	end := func(k int) int {
		if k+1 < len(segs) {
			return segs[k+1].start
		}
		return fe
	}
	ck := 0 // the first segment of the current run
	flush := func(k int) bool {
		if ck >= k {
			return true
		}
		s, e := segs[ck].start, end(k-1)
		if frag, ok := p.jsonFragment(s, e, col, k-ck); ok {
			pairs = append(pairs, frag...)
			ck = k
			return true
		}
		if p.doubt != "" {
			return false
		}
		for i := ck; i < k; i++ {
			pair, ok := p.jsonEntry(segs[i].start, end(i), col, depth)
			if !ok {
				return false
			}
			pairs = append(pairs, pair...)
		}
		ck = k
		return true
	}
	for k, sg := range segs {
		if sg.stray {
			// JSON does not care about indentation: a line indented less
			// than its object's members may be valid (a member or a '}'
			// laid out some other way), which only a whole parse can tell.
			p.doubt = "a JSON line indented less than its object's members"
			return nil, false
		}
		if end(k)-sg.start > p.chunk && depth < maxSplitDepth {
			// A large member is parsed by its own members when it can be
			// (as a failed parse of it would be): its text is parsed once.
			if !flush(k) {
				return nil, false
			}
			pair, ok := p.jsonSplit(sg.start, end(k), col, depth)
			if !ok {
				if p.doubt != "" {
					return nil, false
				}
				if pair, ok = p.jsonEntry(sg.start, end(k), col, depth); !ok {
					return nil, false
				}
			}
			pairs = append(pairs, pair...)
			ck = k + 1
			continue
		}
		if end(k)-segs[ck].start >= p.chunk && !flush(k+1) {
			return nil, false
		}
	}
	if !flush(len(segs)) {
		return nil, false
	}
	return pairs, true
}

// jsonEntry parses one member [s, e): alone, else split into its key line
// and its object value's members, else as an error entry.
func (p *regionParser) jsonEntry(s, e, col, depth int) ([]*Node, bool) {
	if pair, ok := p.jsonFragment(s, e, col, 1); ok {
		return pair, true
	}
	if p.doubt != "" {
		return nil, false
	}
	if depth < maxSplitDepth {
		if pair, ok := p.jsonSplit(s, e, col, depth); ok {
			return pair, true
		}
	}
	return p.jsonError(s, e, col)
}

// jsonBuffer returns the members [s, e) as the text of a flow mapping with
// the same offsets: a '{' in the indentation before the first key, the
// last member's ',' blanked, and a '}' appended. The first line of [s, e)
// that holds something starts a key at column col >= 1 (the root's
// members are indented, an object's members deeper than its key).
func (p *regionParser) jsonBuffer(s, e, col int) []byte {
	text := p.text
	ls := contentLine(text, s, e, true)
	buf := make([]byte, e-s+1)
	copy(buf, text[s:e])
	ind := buf[ls-s : ls-s+col]
	for i := range ind {
		ind[i] = ' ' // YAML reads a tab before the '{' as indentation
	}
	ind[col-1] = '{'
	last := len(bytes.TrimRight(buf[:e-s], " \t\r\n")) - 1 // (the '{' at least)
	if buf[last] == ',' {
		buf[last] = ' '
	}
	buf[e-s] = '}'
	return buf
}

// jsonFragmentParsed, when set (tests), is called with the span of each
// run of members jsonFragment parses.
var jsonFragmentParsed func(fs, fe int)

// jsonFragment parses the want members [fs, fe) at column col as one flow
// mapping.
func (p *regionParser) jsonFragment(fs, fe, col, want int) ([]*Node, bool) {
	if jsonFragmentParsed != nil {
		jsonFragmentParsed(fs, fe)
	}
	if why := checkFragmentLines(p.text[fs:fe], 0); why != "" && doubtful(why) {
		p.doubt = why
		return nil, false
	}
	buf := p.jsonBuffer(fs, fe, col)
	src, fixes := sanitizeJSONEscapes(buf) // (a copy when it fixes: buf stays the members' text)
	docs, err := decodeStream(src)
	if err != nil || len(docs) != 1 || docs[0].Kind != yaml.DocumentNode || len(docs[0].Content) != 1 {
		return nil, false
	}
	y := docs[0].Content[0]
	if y.Kind != yaml.MappingNode || y.Style&yaml.FlowStyle == 0 || y.Anchor != "" || y.ShortTag() != "!!map" {
		return nil, false
	}
	if len(y.Content) != 2*want {
		if nonJSONKey(docs) == nil && (len(y.Content) > 2*want || json.Valid(buf)) {
			// The members parse, but not one per key line: more pairs
			// (`"a": 1, "b": 2` on one line), or fewer in valid JSON
			// (an array's or object's items that start lines at the
			// keys' column, `"a": [\n  "b", 1],`): JSON laid out some
			// other way, which is parsed whole. Fewer pairs in what is
			// no JSON (a quote left open, which YAML reads on over the
			// next key line), or a word where a key goes (`"a": 1,x`,
			// which YAML reads as a key), is a member being typed:
			// split, or an error entry.
			p.doubt = "JSON members that do not start their lines"
		}
		return nil, false
	}
	if !p.lineAt(fs) {
		return nil, false
	}
	if len(fixes) > 0 {
		p.b.sani, p.b.saniBase = src, fs
	}
	root := p.b.build(docs[0])
	p.b.sani = nil
	docs[0] = nil
	if p.b.anchors != nil || p.b.pending != nil {
		p.doubt = "anchors or aliases"
		return nil, false
	}
	for i := 0; i < len(root.Content); i += 2 {
		// Each key is a "string" that starts its line at col.
		k := int(root.Content[i].start)
		if ind, j := jsonIndent(p.text, k-col, k); ind != col || j != k || !lineStartAt(p.text, k-col) {
			return nil, false
		}
		// YAML reads `{"key"}` and `{"key":}` as a key with a null value;
		// in JSON the ':' and the value are missing (jsonError).
		if _, colon, _ := jsonKey(p.text, k, fe); colon < 0 || jsonValueMissing(p.text, colon, fe) {
			return nil, false
		}
	}
	for i, v := range root.Content {
		if i%2 == 1 && !p.jsonLaidOut(v) {
			// An object that a split (jsonSplit, findJSONLevels) would
			// read member by member has a line that does not start a
			// member at its siblings' column: YAML read the run, but an
			// update would split it. The members are split here too:
			// the line is a member being typed (an error entry of its
			// own), or JSON laid out some other way, which the split
			// finds (more members than key lines) and leaves to a whole
			// parse.
			return nil, false
		}
	}
	if len(fixes) > 0 {
		for i := range fixes {
			fixes[i] += fs
		}
		for _, n := range root.Content {
			redecodeJSONStrings(n, p.text, fixes)
		}
	}
	return root.Content, true
}

// nonJSONKey returns the first key of the flow mapping docs holds that is
// text typed where a JSON key goes (a word, a number: a plain scalar),
// if any. An empty key is not one: YAML's `?` makes the next member an
// explicit key, which a run of members reads as valid YAML (such text is
// parsed whole).
func nonJSONKey(docs []*yaml.Node) *yaml.Node {
	if len(docs) != 1 || len(docs[0].Content) != 1 || docs[0].Content[0].Kind != yaml.MappingNode {
		return nil
	}
	y := docs[0].Content[0]
	for i := 0; i < len(y.Content); i += 2 {
		if k := y.Content[i]; k.Kind == yaml.ScalarNode && k.Style == 0 && k.Value != "" {
			return k
		}
	}
	return nil
}

// jsonLaidOut reports whether every object under n that a region-wise
// parse may split into its members (its '{' ends its line, its '}' starts
// one) is laid out as a split reads it: its lines from the first member
// on are one segment per member (jsonSegments), each starting at the line
// of its key, and no line indented less than the members. Then each
// member parses the same in a run, alone or split, and an update that
// re-parses one of them (findJSONLevels) sees the object as the cold
// parse does.
func (p *regionParser) jsonLaidOut(n *Node) bool {
	text := p.text
	if n == nil || n.Kind != MappingNode || n.Style != FlowStyle || len(n.Content) < 2 {
		return true
	}
	b, c := int(n.start), int(n.end)-1 // b < c < len(text)
	if text[b] == '{' && len(bytes.TrimSpace(text[b+1:nextLine(text, b)])) == 0 && text[c] == '}' {
		cl := c
		for text[cl-1] == ' ' || text[cl-1] == '\t' { // (the '{' stops it)
			cl--
		}
		if IsBreak(text[cl-1]) {
			first := nextLine(text, b)
			col, ok := jsonFirstColumn(text, first, cl)
			if !ok {
				return false
			}
			segs := p.jsonSegments(first, cl, col)
			if len(segs) != len(n.Content)/2 {
				return false
			}
			for i, sg := range segs {
				ks := int(n.Content[2*i].start)
				if sg.stray || contentLine(text, sg.start, cl, true) != ks-col {
					return false
				}
			}
		}
	}
	for i, v := range n.Content {
		if i%2 == 1 && !p.jsonLaidOut(v) {
			return false
		}
	}
	return true
}

// jsonComma reports a member [s, e) that lacks its ',' (or, being the
// object's last, has one).
func (p *regionParser) jsonComma(s, e int, last bool) {
	text := p.text
	end := len(bytes.TrimRight(text[s:e], " \t\r\n")) + s // (> s: the member has its key)
	ls := lineRangeAt(text, end-1).Start
	switch {
	case last && text[end-1] == ',':
		d := syntaxError(Range{end - 1, end}, "not valid JSON: a ',' after the last member (YAML would accept it, but JSON tools reading this file will not)")
		p.notes = append(p.notes, brokenRegion{diag: d, region: Range{ls, end}})
	case !last && text[end-1] != ',':
		d := syntaxError(tokenRangeAt(text, end), "syntax error: missing ',' after this value (the next member follows)")
		p.notes = append(p.notes, brokenRegion{diag: d, region: Range{ls, end}})
	}
}

// jsonKey scans the key string of a member whose key line starts at ls:
// its range, the offset of the ':' after it (-1 if none), and whether the
// string is closed.
func jsonKey(text []byte, ks, e int) (keyEnd, colon int, closed bool) {
	colon = -1 // until one is found
	if ks >= e || text[ks] != '"' {
		return ks, colon, false
	}
	i := quoteEnd(text, ks, lineRangeAt(text, ks).End)
	if i < 0 || i >= e {
		return lineRangeAt(text, ks).End, colon, false
	}
	keyEnd = i + 1
	j := keyEnd
	for j < e && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	if j < e && text[j] == ':' {
		colon = j
	}
	return keyEnd, colon, true
}

// jsonKeyNode builds the key node of the string [ks, ke).
func (p *regionParser) jsonKeyNode(ks, ke int) (*Node, bool) {
	var v string
	if json.Unmarshal(p.text[ks:ke], &v) != nil {
		return nil, false
	}
	n := p.b.newNode()
	n.gen = p.b.gen
	n.Kind, n.Style, n.tag, n.Value = ScalarNode, DoubleQuotedStyle, tagStr, p.b.intern(v)
	n.setRange(Range{ks, ke})
	return n, true
}

// jsonShape is how a member is laid out when its value is an object
// written over several lines: `"key": {` ending its line, the members,
// and `}` (or `},`) alone on the member's last line, at the key's column.
type jsonShape struct {
	ks, ke, colon, brace int // the key string, its ':', the '{'
	first, closing       int // the members' region: [first, closing line)
	closeBrace, col2     int // the '}', and the members' column
}

func (p *regionParser) jsonShapeOf(s, e, col int) (jsonShape, bool) {
	text := p.text
	ls := contentLine(text, s, e, true)
	var sh jsonShape
	sh.ks = ls + col
	var closed bool
	sh.ke, sh.colon, closed = jsonKey(text, sh.ks, e)
	if !closed || sh.colon < 0 {
		return sh, false
	}
	sh.brace = sh.colon + 1
	for sh.brace < e && (text[sh.brace] == ' ' || text[sh.brace] == '\t') {
		sh.brace++
	}
	sh.first = nextLine(text[:e], sh.brace)
	if sh.brace >= e || text[sh.brace] != '{' || len(bytes.TrimSpace(text[sh.brace+1:sh.first])) != 0 {
		return sh, false
	}
	last := len(bytes.TrimRight(text[ls:e], " \t\r\n")) + ls
	sh.closing = lineRangeAt(text, max(last-1, ls)).Start
	ind, j := jsonIndent(text, sh.closing, e)
	if ind != col || text[j] != '}' || (j+1 != last && (j+2 != last || text[j+1] != ',')) {
		return sh, false
	}
	sh.closeBrace = j
	var ok bool
	sh.col2, ok = jsonFirstColumn(text, sh.first, sh.closing)
	return sh, ok && sh.col2 > col
}

// jsonSplit parses the member [s, e) as its key line `"key": {` and the
// members of that object, which closes on the member's last line.
func (p *regionParser) jsonSplit(s, e, col, depth int) ([]*Node, bool) {
	sh, ok := p.jsonShapeOf(s, e, col)
	if !ok {
		return nil, false
	}
	k, ok := p.jsonKeyNode(sh.ks, sh.ke)
	if !ok {
		return nil, false
	}
	pairs, ok := p.jsonMembers(sh.first, sh.closing, sh.col2, depth+1)
	if !ok {
		return nil, false
	}
	if len(pairs) == 0 {
		return []*Node{k, p.brokenValue(sh.colon, e)}, true
	}
	v := p.b.newNode()
	v.gen = p.b.gen
	v.Kind, v.Style, v.tag, v.Content = MappingNode, FlowStyle, tagMap, pairs
	v.setRange(Range{sh.brace, sh.closeBrace + 1})
	return []*Node{k, v}, true
}

// jsonNotes reports, for the members [fs, fe) of an object at column col
// that parsed, a missing ',' (or one after the last member, when closes
// says fe is the object's closing line) and what YAML accepts but JSON
// does not. It goes down into members laid out over several lines as the
// parse may (depth), so that what it reports for a region does not depend
// on how much text was parsed at once.
func (p *regionParser) jsonNotes(fs, fe, col, depth int, closes bool) {
	// The members parsed, so none of their lines is stray (jsonMembers
	// and jsonLaidOut find those doubtful).
	segs := p.jsonSegments(fs, fe, col)
	for i, sg := range segs {
		e := fe
		if i+1 < len(segs) {
			e = segs[i+1].start
		}
		ls := contentLine(p.text, sg.start, e, true)
		if k := sort.Search(len(p.errs), func(k int) bool { return p.errs[k].region.Start >= ls }); k < len(p.errs) && p.errs[k].region.Start == ls {
			continue // an error entry: its error is the one to report
		}
		before := len(p.notes)
		p.jsonComma(sg.start, e, closes && i == len(segs)-1)
		if sh, ok := p.jsonShapeOf(sg.start, e, col); ok && depth < maxSplitDepth {
			p.jsonNotes(sh.first, sh.closing, sh.col2, depth+1, true)
			continue
		}
		if len(p.notes) > before {
			continue // one diagnostic per member: its comma's
		}
		buf := p.jsonBuffer(sg.start, e, col)
		if json.Valid(buf) {
			continue
		}
		var se *json.SyntaxError
		if err := json.Unmarshal(buf, new(json.RawMessage)); errors.As(err, &se) {
			off := max(int(se.Offset)-1, 0) // (Offset counts the byte it fails at)
			at := sg.start + off
			d := syntaxError(tokenRangeAt(p.text, at), "not valid JSON: "+se.Error()+" (YAML would accept it, but JSON tools reading this file will not)")
			if comma := trailingComma(p.text, sg.start, at); comma >= 0 {
				// reported where it is typed (and where the fix is)
				what := "item"
				if p.text[at] == '}' {
					what = "member"
				}
				at = comma
				d = syntaxError(Range{comma, comma + 1}, "not valid JSON: a ',' after the last "+what+" (YAML would accept it, but JSON tools reading this file will not)")
			} else if off >= e-sg.start {
				// json fails at the '}' that closes the buffer: the member
				// ends in two ','s (`1,,`, what else YAML reads as one
				// member), the last of which jsonBuffer blanked: that one
				// is too many
				at = sg.start + len(bytes.TrimRight(p.text[sg.start:e], " \t\r\n")) - 1
				d = syntaxError(Range{at, at + 1}, "not valid JSON: one ',' too many (YAML would accept it, but JSON tools reading this file will not)")
			}
			p.notes = append(p.notes, brokenRegion{diag: d, region: lineRangeAt(p.text, at)})
		}
	}
}

// trailingComma returns the offset of the ',' that the ']' or '}' at
// offset at follows (blanks between them), not before s, or -1.
func trailingComma(text []byte, s, at int) int {
	if at >= len(text) || (text[at] != ']' && text[at] != '}') {
		return -1
	}
	before := bytes.TrimRight(text[s:at], " \t\r\n")
	if n := len(before); n > 0 && before[n-1] == ',' {
		return s + n - 1
	}
	return -1
}

// jsonFirstColumn returns the indentation of the first non-blank line in
// [s, e).
func jsonFirstColumn(text []byte, s, e int) (int, bool) {
	ind, j := jsonFirstContent(text, s, e)
	return ind, j < e
}

// jsonError is the result of a member [s, e) that does not parse: one
// diagnostic where the user is typing, and the key with a broken value
// when the key and its ':' are there.
func (p *regionParser) jsonError(s, e, col int) ([]*Node, bool) {
	text := p.text
	ls := contentLine(text, s, e, true)
	ks := ls + col
	ke, colon, closed := jsonKey(text, ks, e)
	var d Diagnostic
	switch {
	case !closed && ks < e && text[ks] == '"':
		d = syntaxError(tokenRangeAt(text, ks), "syntax error: this quoted string is never closed")
	case !closed:
		d = syntaxError(tokenRangeAt(text, ks), "syntax error: a member must start with its \"key\" in double quotes")
	case colon < 0:
		d = syntaxError(Range{ks, ke}, "syntax error: could not find expected ':' after this key")
	case jsonValueMissing(text, colon, e):
		d = syntaxError(Range{colon, colon + 1}, "syntax error: a value must follow this ':'")
	default:
		if open := jsonUnclosed(text, colon+1, e); open >= 0 {
			if text[open] == '"' {
				d = syntaxError(tokenRangeAt(text, open), "syntax error: this quoted string is never closed")
			} else {
				what := "[ is never closed (a ] closes it)"
				if text[open] == '{' {
					what = "{ is never closed (a } closes it)"
				}
				d = syntaxError(Range{open, open + 1}, "syntax error: this "+what)
			}
		} else if c := jsonExtraCloser(text, colon+1, e); c >= 0 {
			d = syntaxError(Range{c, c + 1}, "syntax error: this "+string(text[c])+" closes nothing (one too many, or what it closes is not opened)")
		} else {
			src, _ := sanitizeJSONEscapes(p.jsonBuffer(ls, e, col))
			if docs, err := decodeStream(src); err != nil {
				d = regionDiagnostic(src, err)
				d.Range = shiftRange(d.Range, ls)
				if d.Range.End > e {
					d.Range = tokenRangeAt(text, min(d.Range.Start, e-1))
				}
				d = jsonFlowComma(text, colon+1, d)
				for i := range d.Related {
					d.Related[i].Range = shiftRange(d.Related[i].Range, ls)
				}
			} else if k := nonJSONKey(docs); k != nil {
				// `"a": 1,x`: YAML reads a key JSON does not have, typed
				// after the member's ','. (The key lies in the member:
				// src is its text, with a '}' appended at e.)
				at := ls + newTreeBuilder(src).offset(k.Line, k.Column)
				d = syntaxError(tokenRangeAt(text, at), "syntax error: a member must start with its \"key\" in double quotes")
			} else {
				p.doubt = "a JSON member that parses alone but not region by region"
				return nil, false
			}
		}
	}
	p.errs = append(p.errs, brokenRegion{diag: d, region: Range{ls, e}})
	if !closed || colon < 0 {
		return nil, true
	}
	k, ok := p.jsonKeyNode(ks, ke)
	if !ok {
		return nil, true
	}
	return []*Node{k, p.brokenValue(colon, e)}, true
}

// lineIndentAt is the indentation of the first line at or after at that
// holds something, or -1 at the end of the text.
func lineIndentAt(text []byte, at int) int {
	for at < len(text) {
		n, j := jsonIndent(text, at, len(text))
		if j < len(text) && !IsBreak(text[j]) {
			return n
		}
		at = nextLine(text, j)
	}
	return -1
}

// jsonUnclosed returns the offset of the innermost string, array or object
// that [s, e) opens and never closes, or -1. As the document is laid out
// (pretty-printed), a string ends at its line's end, and so does a bracket
// with something after it on its line (`"x": [{"a": 1`): only a bracket
// that ends its line, with deeper lines below, closes on a later one. Of
// the brackets a line leaves open otherwise, the innermost of the last such
// line is the one.
func jsonUnclosed(text []byte, s, e int) int {
	var stack []int
	lineStart, inline := s, -1
	for i := s; i < e; i++ {
		switch c := text[i]; c {
		case '\n', '\r':
			innermost := true
			for len(stack) > 0 && stack[len(stack)-1] >= lineStart {
				top := stack[len(stack)-1]
				if len(bytes.Trim(text[top+1:i], " \t[{")) == 0 && lineIndentAt(text, nextLine(text, i)) > lineIndentAt(text, lineStart) {
					break // it ends its line, and the lines below hold its content
				}
				if innermost {
					inline, innermost = top, false
				}
				stack = stack[:len(stack)-1]
			}
			lineStart = i + 1
		case '"':
			j := quoteEnd(text, i, min(e, lineRangeAt(text, i).End))
			if j < 0 {
				return i
			}
			i = j
		case '[', '{':
			stack = append(stack, i)
		case ']', '}':
			if len(stack) > 0 {
				if top := stack[len(stack)-1]; !closes(text[top], c) {
					if inline >= 0 {
						return inline
					}
					return top // `[{"a": 1]`: the '{' is the one never closed
				}
				stack = stack[:len(stack)-1]
			}
		}
	}
	if inline >= 0 {
		return inline
	}
	if len(stack) > 0 {
		return stack[len(stack)-1]
	}
	return -1
}

// jsonExtraCloser returns the offset of the first ']' or '}' in [s, e)
// that closes nothing opened in [s, e), or -1; every string in [s, e) is
// closed (jsonUnclosed).
func jsonExtraCloser(text []byte, s, e int) int {
	depth := 0
	for i := s; i < e; i++ {
		switch text[i] {
		case '"':
			i = max(i, quoteEnd(text, i, min(e, lineRangeAt(text, i).End)))
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// parseJSONTolerant parses a pretty-printed JSON document region by region
// (runs of about chunk bytes); why says why not when it is not laid out that way.
func parseJSONTolerant(text []byte, chunk int) (root *Node, broken, notes []brokenRegion, why string) {
	o := 0
	if bytes.HasPrefix(text, []byte(bom)) {
		o = len(bom) // editors write one; JSON parsers may ignore it
	}
	for o < len(text) && (text[o] == ' ' || text[o] == '\t' || IsBreak(text[o])) {
		o++
	}
	if o >= len(text) || text[o] != '{' || !looksLikeStrictJSON(text) {
		return nil, nil, nil, "not a JSON object with a quoted first key"
	}
	fs := nextLine(text, o)
	if len(bytes.TrimSpace(text[o+1:fs])) != 0 {
		return nil, nil, nil, "compact JSON (the root object's first member is on the line of its '{')"
	}
	col, found := jsonFirstColumn(text, fs, len(text))
	if !found || col < 1 {
		return nil, nil, nil, "the root object's members are not indented"
	}
	// The closing line: the first line indented less than the members
	// that starts with '}'.
	fe, closing, closed := len(text), 0, false
	for i := fs; i < len(text); {
		ind, j := jsonIndent(text, i, len(text))
		end := j
		for end < len(text) && !IsBreak(text[end]) {
			end++
		}
		if j < end && ind < col && text[j] == '}' {
			fe, closing, closed = i, j, true
			break
		}
		i = nextLine(text, end)
	}
	p := &regionParser{text: text, lines: yamlLineStarts(text), chunk: chunk, tolerant: true}
	if !closed && p.jsonCloserAtMembers(fs, fe, col) {
		return nil, nil, nil, "the root object's '}' is not indented less than its members"
	}
	p.b = &treeBuilder{src: text, release: true} // lineAt points it at each fragment
	pairs, fine := p.jsonMembers(fs, fe, col, 0)
	switch {
	case p.doubt != "":
		return nil, nil, nil, p.doubt
	case !fine || len(pairs) == 0:
		return nil, nil, nil, "the root object's members are not laid out one per line"
	}
	p.jsonNotes(fs, fe, col, 0, closed)
	root = p.b.newNode()
	root.Kind, root.Style, root.tag, root.Content = MappingNode, FlowStyle, tagMap, pairs
	end := closing + 1
	if !closed {
		end = int(pairs[len(pairs)-1].end)
		d := syntaxError(Range{o, o + 1}, "syntax error: this { is never closed (a } closes it)")
		p.notes = append(p.notes, brokenRegion{diag: d, region: d.Range})
	} else if rest := bytes.TrimRight(text[end:], " \t\r\n"); len(rest) > 0 {
		if jsonContinues(text, end) {
			// The closing line may close a nested object indented less
			// than the root's members (valid JSON laid out some other
			// way), which only a whole parse can tell.
			return nil, nil, nil, "text after the root object's closing line"
		}
		at := end
		for text[at] == ' ' || text[at] == '\t' || IsBreak(text[at]) {
			at++
		}
		d := syntaxError(tokenRangeAt(text, at), "syntax error: text after the end of the JSON document")
		p.notes = append(p.notes, brokenRegion{diag: d, region: Range{at, len(text)}})
	}
	root.setRange(Range{o, end})
	sortByStart(p.notes)
	return root, p.errs, p.notes, ""
}

// jsonCloserAtMembers reports whether the members [fs, fe) of an object
// that no line indented less than them closes end with a line that starts
// with a '}' and does not close the last member's object (jsonShapeOf): as
// likely the object's own '}' indented as deep as its members
// (`{\n  "a": 1\n  }`, valid JSON) as one too many, which only a whole
// parse tells.
func (p *regionParser) jsonCloserAtMembers(fs, fe, col int) bool {
	last := len(bytes.TrimRight(p.text[fs:fe], " \t\r\n")) + fs // (> fs: a line holds something)
	if _, j := jsonIndent(p.text, lineRangeAt(p.text, last-1).Start, last); p.text[j] != '}' {
		return false
	}
	segs := p.jsonSegments(fs, fe, col) // (none: jsonMembers fails)
	if len(segs) == 0 {
		return false
	}
	_, closes := p.jsonShapeOf(segs[len(segs)-1].start, fe, col)
	return !closes
}

// jsonContinues reports whether the text after the '}' that ends at end
// reads as more of the document: a ',' after it, or a later line that
// starts with a key, a ',' or a closing bracket.
func jsonContinues(text []byte, end int) bool {
	i := end
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	if i < len(text) && text[i] == ',' {
		return true
	}
	for i = nextLine(text, i); i < len(text); {
		_, j := jsonIndent(text, i, len(text))
		if j < len(text) && (text[j] == '"' || text[j] == '}' || text[j] == ']' || text[j] == ',') {
			return true
		}
		i = nextLine(text, j)
	}
	return false
}

// updateJSON is UpdateTree for a JSON text parsed member by member.
func updateJSON(old []byte, t *Tree, shifts *ShiftLog, e Edit, text []byte) (*TreeUpdate, string) {
	switch {
	case !t.regional:
		return updateCompactJSON(old, t, shifts, e, text) // jsoncompact.go
	case len(t.Docs) != 1 || t.Docs[0] == nil:
		return nil, "not exactly one YAML document"
	case !looksLikeStrictJSON(text):
		return nil, "the new text does not start like a JSON object"
	}
	prevDups := false
	for _, dg := range t.Diagnostics {
		if IsDuplicateKey(dg) {
			prevDups = true
		}
	}
	levels := findJSONLevels(old, t.Docs[0], e.Start, e.End, shifts)
	if len(levels) == 0 {
		return nil, "the edit is not inside one member of a JSON object"
	}
	return spliceDeepest(old, t, shifts, levels, e, text, prevDups)
}

// closedObject reports whether the flow mapping m (of text) ends with its
// '}' first on its line: the object a member-wise parse closed.
func closedObject(text []byte, m *Node, l *ShiftLog) bool {
	r := l.R(m)
	if r.End < 1 || r.End > len(text) || text[r.End-1] != '}' {
		return false
	}
	if n := len(m.Content); n > 0 && l.R(m.Content[n-1]).End >= r.End {
		return false // it ends with its last member: never closed
	}
	ls := r.End - 1
	for ls > 0 && (text[ls-1] == ' ' || text[ls-1] == '\t') {
		ls--
	}
	return ls == 0 || IsBreak(text[ls-1])
}

// findJSONLevels returns the nested members whose regions strictly contain
// the edit [s, e) of old, outermost first: members of objects whose '{'
// ends its line and whose keys start their lines.
func findJSONLevels(old []byte, root *Node, s, e int, l *ShiftLog) []Level {
	var out []Level
	m := root
	for depth := 0; depth < maxRegionDepth; depth++ {
		if m == nil || m.Kind != MappingNode || m.Style != FlowStyle || m.ext != nil || m.broken || len(m.Content) < 2 {
			break
		}
		r := l.R(m)
		if r.Start >= len(old) || old[r.Start] != '{' || len(bytes.TrimSpace(old[r.Start+1:nextLine(old, r.Start)])) != 0 {
			break
		}
		k0 := l.R(m.Content[0]).Start
		ls := k0
		for ls > 0 && (old[ls-1] == ' ' || old[ls-1] == '\t') {
			ls--
		}
		if ls > 0 && !IsBreak(old[ls-1]) {
			break
		}
		col := k0 - ls
		n := len(m.Content) / 2
		i := sort.Search(n, func(j int) bool { return l.R(m.Content[2*j]).Start-col > s }) - 1
		if i < 0 {
			break
		}
		start, ok := jsonKeyLine(old, l.R(m.Content[2*i]).Start, col)
		if !ok || start > s {
			break
		}
		var rend int
		switch {
		case i+1 < n:
			if rend, ok = jsonKeyLine(old, l.R(m.Content[2*i+2]).Start, col); !ok {
				return out
			}
		case closedObject(old, m, l):
			rend = r.End - 1
			for rend > 0 && !IsBreak(old[rend-1]) {
				rend--
			}
		case depth == 0:
			rend = len(old) // a root never closed
		default:
			return out
		}
		if e > rend || (e == rend && rend != len(old)) {
			break
		}
		out = append(out, Level{Map: m, Index: i, Start: start, End: rend, Col: col})
		// Down into the member's object only when a parse splits it
		// (jsonSplit): laid out over several lines, closed at the key's
		// column on the member's last line.
		v := m.Content[2*i+1]
		sh, ok := (&regionParser{text: old}).jsonShapeOf(start, rend, col)
		if !ok || l.R(v).Start != sh.brace || l.R(v).End != sh.closeBrace+1 {
			break
		}
		m = v
	}
	return out
}

// jsonKeyLine returns the start of the line of a key at ks when only col
// bytes of indentation precede it.
func jsonKeyLine(src []byte, ks, col int) (int, bool) {
	ls := ks - col
	if ls < 0 || (ls > 0 && !IsBreak(src[ls-1])) {
		return 0, false
	}
	for _, c := range src[ls:ks] {
		if c != ' ' && c != '\t' {
			return 0, false
		}
	}
	return ls, true
}

// jsonKeyLineAt reports whether the first non-blank line of [fs, fe)
// starts a key at column col.
func jsonKeyLineAt(text []byte, fs, fe, col int) bool {
	ind, j := jsonFirstContent(text, fs, fe)
	return j < fe && ind == col && text[j] == '"'
}

// jsonFirstContent returns the indentation of the first non-blank line in
// [fs, fe) and the offset of its first other byte, or (0, fe).
func jsonFirstContent(text []byte, fs, fe int) (int, int) {
	for i := fs; i < fe; {
		ind, j := jsonIndent(text, i, fe)
		if j < fe && !IsBreak(text[j]) {
			return ind, j
		}
		i = nextLine(text[:fe], j)
	}
	return 0, fe
}

// jsonInside reports whether no line of a member region at column col is
// indented less than col: such a line could end its object (a '}'), start
// a member of an enclosing object (whose members are less indented), or be
// a stray line of the region's object; in a cold parse it makes the object
// parse whole (jsonLaidOut) or split around it.
func jsonInside(frag []byte, col int) bool {
	for i := 0; i < len(frag); {
		ind, j := jsonIndent(frag, i, len(frag))
		end := j
		for end < len(frag) && !IsBreak(frag[end]) {
			end++
		}
		if j < end && ind < col {
			return false
		}
		i = nextLine(frag, end)
	}
	return true
}

// jsonValueMissing reports whether nothing but blanks, or a ',' or '}',
// follows the ':' at colon in [colon, e).
func jsonValueMissing(text []byte, colon, e int) bool {
	i := colon + 1
	for i < e && (text[i] == ' ' || text[i] == '\t' || IsBreak(text[i])) {
		i++
	}
	return i >= e || text[i] == ',' || text[i] == '}'
}

// jsonFlowComma rewrites yaml's "did not find expected ',' or ']'" inside a
// member's value, which it reports where the next item starts, to the
// JSON reading: a ',' missing right after the value before it (or a
// comment, which JSON does not have). from is where the member's value
// starts.
func jsonFlowComma(text []byte, from int, d Diagnostic) Diagnostic {
	at := d.Range.Start
	if !strings.Contains(d.Message, "did not find expected ','") || at <= from || at >= len(text) {
		return d
	}
	if text[at] == '/' || text[at] == '#' {
		return syntaxError(lineRest(text, at), "syntax error: JSON has no comments")
	}
	if text[at] == ':' {
		// yaml read the next member's key as part of the value before it
		// and stops at its colon: the comma goes before that key
		k := at
		for k > from && isSpace(text[k-1]) {
			k--
		}
		if k <= from || text[k-1] != '"' {
			return d
		}
		if at = jsonStringStart(text, from, k-1); at < 0 {
			return d
		}
	}
	if !jsonValueStart(text[at]) {
		return d
	}
	prev := at
	for prev > from && (isSpace(text[prev-1]) || IsBreak(text[prev-1])) {
		prev--
	}
	if prev > from && text[prev-1] == ':' {
		return syntaxError(Range{prev - 1, prev}, "syntax error: a value must follow this ':'")
	}
	if prev == from || !jsonValueEnd(text[prev-1]) {
		return d
	}
	what := "item"
	if strings.Contains(d.Message, "'}'") {
		what = "member"
	}
	return syntaxError(Range{prev - 1, prev}, "syntax error: missing ',' after this value (the next "+what+" follows)")
}

// lineRest is the range from at, which is not a line break, to the end of
// its line.
func lineRest(text []byte, at int) Range {
	end := at + 1
	for end < len(text) && !IsBreak(text[end]) {
		end++
	}
	return Range{at, end}
}

func jsonValueStart(c byte) bool {
	return c == '"' || c == '{' || c == '[' || c == '-' || ('0' <= c && c <= '9') || c == 't' || c == 'f' || c == 'n'
}

// jsonValueEnd: a string, an object, an array, a number or a word (true,
// false, null, or one being typed).
func jsonValueEnd(c byte) bool {
	return c == '"' || c == '}' || c == ']' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z')
}

// jsonStringStart returns the offset of the quote that opens the string
// whose closing quote is at end (on the same line, not before from), or -1.
func jsonStringStart(text []byte, from, end int) int {
	for i := end - 1; i >= from && !IsBreak(text[i]); i-- {
		if text[i] != '"' {
			continue
		}
		escaped := false // by an odd number of backslashes
		for j := i - 1; j >= from && text[j] == '\\'; j-- {
			escaped = !escaped
		}
		if !escaped {
			return i
		}
	}
	return -1
}
