package syntax

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml4 "go.yaml.in/yaml/v4"
	"gopkg.in/yaml.v3"
)

// Tree is the parsed form of one text: the root node of each YAML document
// in the stream (nil for an empty document) and the syntax diagnostics.
// A syntax error breaks only its region (tolerant.go): the entry becomes an
// error entry and the rest keeps its tree. Texts that cannot be parsed by
// region (anchors, explicit keys, a root that is not a mapping, compact
// JSON) are parsed whole, and the parser recovers from an error by
// blanking the offending lines (the broken regions, when aliases are what
// links the regions: locateBroken), so what follows is still available
// with exact positions.
type Tree struct {
	Text        []byte
	Docs        []*Node
	Diagnostics []Diagnostic
	IsJSON      bool // the text starts with { or [
	anchored    bool // some node has an anchor: aliases may link regions
	// regional: the tree was parsed region by region (tolerant.go), so an
	// edit may re-parse one region even when the text has syntax errors.
	regional bool
	broken   []brokenRegion // the syntax errors of a regional tree, in order
	notes    []brokenRegion // its diagnostics about regions that parsed (JSON)
	wholeWhy string         // why a tree that is not regional was parsed whole
	doubtAt  Range          // for wholeWhy entryDoubt: that entry
	// explicitKeys: a line of the text (parsed whole) starts with an
	// explicit key, whose empty value a parse positions at the next token.
	explicitKeys bool
	// failRead (a broken YAML text parsed whole, its errors found region
	// by region: locateBroken) is how many bytes of the text the failed
	// whole parse had read when it failed (decodeStreamRead), less than
	// the text's length; 0 when unknown. The parse sees nothing past
	// them, so an edit that starts at or after failRead leaves that
	// failure as it was (spliceRegion). An update may keep a bound
	// instead, at least the count (failsFrom), which keeps that so.
	failRead int
	// special (YAML): the text may hold a BOM, NEL, LS or PS (failsFrom
	// does not apply then): set by a cold parse when it does, kept by
	// updates and set by one whose edit may have made one.
	special bool
	// located (a valid YAML text parsed whole because aliases or
	// explicit keys link its regions) is locateBroken's pass over the
	// text, run when an edit first breaks it (located.go); nil otherwise.
	located *located
	// bodyEnd (YAML) is where the body of the document ends: the start of
	// its `...` line (body.go); 0 for the end of the text.
	bodyEnd int
	// strictJSON: the text, parsed whole, is valid JSON (its only
	// diagnostics, if any, are duplicate keys).
	strictJSON bool
	// compactBroken: the text is compact JSON that is not valid, parsed
	// with its error confined to one region (jsoncompactbroken.go).
	compactBroken *compactBrokenState
}

// Anchored reports whether some node has an anchor, so that aliases may
// link distant parts of the tree (UpdateTree then re-parses only regions
// without anchors and aliases).
func (t *Tree) Anchored() bool { return t.anchored }

// WholeParseReason says why the text was parsed whole rather than region by
// region ("" when it was parsed by region, or when no reason was recorded).
func (t *Tree) WholeParseReason() string {
	if t == nil || t.regional {
		return ""
	}
	return t.wholeWhy
}

// Root returns the root node of the first document, or nil.
func (t *Tree) Root() *Node {
	if t == nil || len(t.Docs) == 0 {
		return nil
	}
	return t.Docs[0]
}

// maxRecoveries bounds how many lines the parser blanks to get past syntax
// errors; each recovery costs one more parse.
const maxRecoveries = 3

// ParseTree parses text as a YAML stream (JSON is YAML) and never panics.
func ParseTree(text []byte) *Tree {
	return parseTree(text, regionParseMin)
}

// ParseTreeWhole is ParseTree without the region-wise path (coldparse.go),
// for tests that compare the two.
func ParseTreeWhole(text []byte) *Tree {
	return parseTree(text, math.MaxInt)
}

// ParseTreeInRegions parses text region by region only, with fragments of
// about chunk bytes (0: the default size); ok is false when that path
// cannot be taken. For tests that compare it with ParseTreeWhole.
func ParseTreeInRegions(text []byte, chunk int) (t *Tree, ok bool) {
	if chunk <= 0 {
		chunk = regionChunk
	}
	root := regionParse(text, chunk)
	if root == nil {
		return nil, false
	}
	return &Tree{Text: text, Docs: []*Node{root}, Diagnostics: treeDiagnostics(nil, duplicateKeys(root, nil))}, true
}

// parseTree is ParseTree with the smallest text parsed region-wise.
func parseTree(text []byte, regionMin int) (t *Tree) {
	t = &Tree{Text: text}
	defer func() {
		if p := recover(); p != nil {
			rethrowOwn(p)
			t.Docs = nil
			t.Diagnostics = append(t.Diagnostics, syntaxError(Range{0, min(len(text), 1)},
				fmt.Sprintf("the YAML parser failed on this document (%v); please report this file", p)))
		}
	}()
	if len(text) > math.MaxInt32 {
		// Node ranges are int32 offsets.
		t.Diagnostics = append(t.Diagnostics, syntaxError(Range{0, 1}, "this document is 2 GB or larger, which asyncapi-ls does not analyze"))
		return t
	}
	src := text
	if !utf8.Valid(src) {
		src = sanitizeUTF8(src, &t.Diagnostics)
	}
	t.IsJSON = looksLikeJSON(src)
	if !t.IsJSON {
		if _, be, why := yamlBody(src); why == "" && be < len(src) {
			t.bodyEnd = be
		}
	}
	var fixes []int
	if len(t.Diagnostics) > 0 {
		t.wholeWhy = "invalid UTF-8"
	}
	if t.IsJSON {
		if len(t.Diagnostics) == 0 {
			root, broken, notes, why := parseJSONTolerant(src, regionChunk)
			if why == "" {
				t.Docs, t.regional, t.broken, t.notes = []*Node{root}, true, broken, notes
				t.Diagnostics = treeDiagnostics(append(broken[:len(broken):len(broken)], notes...), duplicateKeys(root, nil))
				return t
			}
			t.wholeWhy = why
			if len(src) >= regionMin && parseCompactCold(t, src) {
				return t // (valid compact JSON, parsed run by run: coldcompact.go)
			}
			if looksLikeStrictJSON(src) && parseCompactBroken(t, src) {
				return t
			}
			if parseCompactTrailing(t, src, regionMin) {
				return t
			}
		}
		src, fixes = sanitizeJSONEscapes(src)
	} else if len(src) >= regionMin && len(t.Diagnostics) == 0 {
		root, broken, why, at := parseRegionsTolerant(src)
		if why == "" {
			t.Docs, t.regional, t.broken = []*Node{root}, true, broken
			t.Diagnostics = treeDiagnostics(broken, duplicateKeys(root, nil))
			return t
		}
		t.wholeWhy, t.doubtAt = why, at
	}
	docs, read, err := decodeStreamRead(src)
	valid := err == nil
	owned := false // src is still the caller's text (or a shared copy)
	if err != nil && !t.IsJSON && linkedRegions(t.wholeWhy) {
		// Broken, with aliases or explicit keys across regions: the errors
		// are found region by region, where they are, and the rest is the
		// text without their regions, parsed whole.
		if errs, ok := locateBroken(src); ok && len(errs) > 0 {
			blanked := blankRegions(src, errs)
			if rest, restErr := decodeStream(blanked); restErr == nil {
				docs, err, src, owned = rest, nil, blanked, true
				t.broken = errs
				if read < len(src) {
					t.failRead = read
				}
				for _, e := range errs {
					t.Diagnostics = append(t.Diagnostics, e.diag)
				}
			}
		}
	}
	if (valid || len(t.broken) > 0) && !t.IsJSON && linkedRegions(t.wholeWhy) {
		t.located = lazyLocated(text)
	}
	for attempt := 0; err != nil; attempt++ {
		d, blank := syntaxDiagnostic(src, err, t.IsJSON)
		t.Diagnostics = append(t.Diagnostics, d)
		if attempt == maxRecoveries || blank.Len() == 0 {
			break
		}
		if !owned {
			src, owned = append([]byte(nil), src...), true
		}
		for i := blank.Start; i < blank.End; i++ {
			if !IsBreak(src[i]) {
				src[i] = ' '
			}
		}
		var next error
		docs, next = decodeStream(src)
		if next != nil && next.Error() == err.Error() {
			break // blanking did not help; keep what decoded before the error
		}
		err = next
	}
	b := newTreeBuilder(src)
	b.release = true
	for i, d := range docs {
		t.Docs = append(t.Docs, b.build(d))
		docs[i] = nil
	}
	t.anchored = b.anchors != nil
	t.explicitKeys = !t.IsJSON && explicitKeyLine(text, 0, len(text)) >= 0
	t.special = !t.IsJSON && specialChars(text)
	if len(fixes) > 0 {
		for _, root := range t.Docs {
			redecodeJSONStrings(root, text, fixes)
		}
	}
	for _, root := range t.Docs {
		t.Diagnostics = append(t.Diagnostics, duplicateKeys(root, nil)...)
	}
	if t.IsJSON && onlyDuplicateKeys(t.Diagnostics) && looksLikeStrictJSON(text) {
		// Reported only when nothing else is; known either way for
		// updates (jsoncompact.go).
		errs := strictJSONErrors(text)
		t.strictJSON = len(errs) == 0
		if len(t.Diagnostics) == 0 {
			t.Diagnostics = append(t.Diagnostics, errs...)
		}
	}
	sortTreeDiagnostics(t.Diagnostics)
	return t
}

// looksLikeStrictJSON: the first key is a quoted string, as in JSON; a YAML
// flow mapping such as {asyncapi: 3.0.0} is not held to JSON's rules.
func looksLikeStrictJSON(src []byte) bool {
	s := bytes.TrimLeft(bytes.TrimPrefix(src, []byte(bom)), " \t\r\n")
	if len(s) == 0 || s[0] != '{' {
		return false
	}
	s = bytes.TrimLeft(s[1:], " \t\r\n")
	return len(s) > 0 && s[0] == '"'
}

// strictJSONErrors reports what YAML accepts but JSON does not (a trailing
// comma, a missing value): tools that read the file as JSON would fail.
func strictJSONErrors(src []byte) []Diagnostic {
	// A leading UTF-8 BOM is not JSON text, but RFC 8259 lets parsers
	// ignore it, and editors write it: accept it.
	body := bytes.TrimPrefix(src, []byte(bom))
	if json.Valid(body) {
		return nil
	}
	var se *json.SyntaxError
	if err := json.Unmarshal(body, new(json.RawMessage)); !errors.As(err, &se) {
		return nil
	}
	off := min(max(int(se.Offset)-1+len(src)-len(body), 0), len(src))
	return []Diagnostic{syntaxError(tokenRangeAt(src, off),
		"not valid JSON: "+se.Error()+" (YAML would accept it, but JSON tools reading this file will not)")}
}

func decodeStream(src []byte) (docs []*yaml.Node, err error) {
	return decodeFrom(bytes.NewReader(src))
}

func decodeFrom(r io.Reader) (docs []*yaml.Node, err error) {
	defer func() {
		if p := recover(); p != nil {
			rethrowOwn(p)
			err = fmt.Errorf("yaml: internal parser error: %v", p)
		}
	}()
	dec := yaml.NewDecoder(r)
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if err == io.EOF {
				return docs, nil
			}
			return docs, err
		}
		docs = append(docs, &n)
	}
}

// decodeStreamRead is decodeStream that also returns how many bytes of src
// the parser read. yaml.v3 reads its input in order, as it needs it (in
// reads of up to 512 bytes), and what it does depends only on the bytes it
// was given: a parse that fails having read n < len(src) bytes fails the
// same way on any text with the same first n bytes (every read gets the
// same bytes). The reads are bytes.Reader's, as decodeStream's: yaml.v3
// looks at bytes past those a read gave (stale ones), so that the size of
// the reads may change what it parses (a BOM inside a scalar).
func decodeStreamRead(src []byte) ([]*yaml.Node, int, error) {
	r := &countingReader{r: bytes.NewReader(src)}
	docs, err := decodeFrom(r)
	return docs, r.n, err
}

// countingReader counts the bytes read from r.
type countingReader struct {
	r *bytes.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func looksLikeJSON(src []byte) bool {
	s := bytes.TrimLeft(bytes.TrimPrefix(src, []byte(bom)), " \t\r\n")
	return len(s) > 0 && (s[0] == '{' || s[0] == '[')
}

var yamlLineMsg = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// syntaxDiagnostic turns a parse error into a diagnostic at the best place
// known, and says which bytes to blank to recover. yaml.v3 reports a line
// only (often the enclosing construct's); go.yaml.in/yaml/v4 runs the same
// parser with exact marks, so it is asked for the position. JSON text gets
// encoding/json's exact byte offset where that is more precise.
func syntaxDiagnostic(src []byte, err error, isJSON bool) (Diagnostic, Range) {
	msg := err.Error()
	line := 0
	if m := yamlLineMsg.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	lines := yamlLineStarts(src)
	b := &treeBuilder{src: src, lineStart: lines, curLine: -1}
	off, blankAt := -1, -1
	var related []Related
	if le := loadErrorV4(src); le != nil && le.Mark.Line > 0 {
		mark := le.Mark
		if (strings.Contains(le.ContextMsg, "simple key") || strings.Contains(le.ContextMsg, "quoted scalar")) && le.ContextMark.Line > 0 {
			// "could not find expected ':'" is found on the next line, and an
			// unterminated quote at the end of the text, but the key that
			// lacks its colon or the opening quote is where the user is typing.
			mark = le.ContextMark
		} else if le.ContextMark.Line > 0 && le.ContextMark != le.Mark {
			related = append(related, Related{Range: lineRangeAt(src, b.offset(le.ContextMark.Line, le.ContextMark.Column)), Message: le.ContextMsg})
		}
		off = b.offset(mark.Line, mark.Column)
		msg = le.Message
		if strings.Contains(le.ContextMsg, "quoted scalar") {
			msg = "this quoted string is never closed (" + le.Message + ")"
		}
		if strings.Contains(le.ContextMsg, "flow") && !isJSON && le.ContextMark.Line > 0 && le.ContextMark.Line != le.Mark.Line {
			// An unclosed [ or { in YAML: blanking the line that opens it
			// lets the rest of the document parse.
			blankAt = b.offset(le.ContextMark.Line, le.ContextMark.Column)
		}
		if k := colonlessLineBefore(src, off); (le.Message == "mapping values are not allowed in this context" || le.Message == "did not find expected key") && k >= 0 {
			// `  title` typed above `  version: 1` makes one plain scalar of
			// both lines, which fails at the second line's ':'. The line that
			// lacks its ':' is the one to point at (and to blank).
			related = append(related, Related{Range: Range{off, off + 1}, Message: "the parser stopped at this ':'"})
			off = k
			msg = "could not find expected ':' (a key without its ':' runs into the next line)"
		}
	} else if line > 0 {
		off = b.offset(line, 1)
	}
	if isJSON {
		var v any
		var se *json.SyntaxError
		if jerr := json.Unmarshal(src, &v); errors.As(jerr, &se) && off < 0 {
			off = int(se.Offset) - 1
			msg = se.Error()
		}
	}
	if off < 0 {
		off = 0
	}
	if off > len(src) {
		off = len(src)
	}
	r := tokenRangeAt(src, off)
	blank := lineRangeAt(src, off)
	if blankAt >= 0 {
		blank = lineRangeAt(src, blankAt)
	} else if msg == "mapping values are not allowed in this context" {
		if prev, ok := overIndented(src, blank.Start); ok {
			// A key indented deeper than the `key: value` line above it: its
			// siblings below are usually indented the same way, so blank the
			// whole run at once and report it once.
			msg = fmt.Sprintf("this line is indented deeper than %q above it, which already has a value; align it with its sibling keys", prev)
			blank = indentedRun(src, blank.Start)
		}
	}
	d := syntaxError(r, "syntax error: "+msg)
	d.Related = related
	return d, blank
}

func indentOf(line []byte) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n
}

// overIndented reports whether the line at start is indented deeper than
// the previous non-blank line, and that line is a "key: value" pair.
func overIndented(src []byte, start int) (string, bool) {
	line := src[start:lineRangeAt(src, start).End]
	for p := start - 1; p > 0; {
		pr := lineRangeAt(src, p-1)
		prev := src[pr.Start:pr.End]
		p = pr.Start
		if len(bytes.TrimSpace(prev)) == 0 || bytes.HasPrefix(bytes.TrimSpace(prev), []byte("#")) {
			continue
		}
		k, ok := SplitKey(string(bytes.TrimSpace(prev)))
		rest := bytes.TrimSpace(prev[bytes.IndexByte(prev, ':')+1:])
		return strings.TrimSpace(string(bytes.TrimSpace(prev))), ok && k != "" && len(rest) > 0 && indentOf(line) > indentOf(prev)
	}
	return "", false
}

// indentedRun is the range of the line at start and of the lines after it
// that are indented at least as deep (blank lines included).
func indentedRun(src []byte, start int) Range {
	r := lineRangeAt(src, start)
	ind := indentOf(src[r.Start:r.End])
	end := r.End
	for p := nextLine(src, r.End); p < len(src); {
		lr := lineRangeAt(src, p)
		line := src[lr.Start:lr.End]
		if len(bytes.TrimSpace(line)) > 0 && indentOf(line) < ind {
			break
		}
		end = lr.End
		if lr.End >= len(src) {
			break
		}
		p = nextLine(src, lr.End)
	}
	return Range{r.Start, end}
}

func loadErrorV4(src []byte) (le *yaml4.LoadError) {
	defer func() {
		if p := recover(); p != nil {
			rethrowOwn(p)
			le = nil
		}
	}()
	dec := yaml4.NewDecoder(bytes.NewReader(src))
	for {
		var n yaml4.Node
		err := dec.Decode(&n)
		if err == nil {
			continue
		}
		errors.As(err, &le)
		return le
	}
}

// colonlessLineBefore returns the offset of the first character of the
// line above the one holding the ':' (or key) at colon when that line is a plain
// key without its ':' at the same indentation (so the two lines were read
// as one multi-line scalar), or -1.
func colonlessLineBefore(src []byte, colon int) int {
	cur := lineRangeAt(src, colon)
	if cur.Start == 0 {
		return -1
	}
	indent := func(r Range) int {
		i := r.Start
		for i < r.End && src[i] == ' ' {
			i++
		}
		return i
	}
	prev := lineRangeAt(src, cur.Start-1)
	if cur.Start >= 2 && src[cur.Start-1] == '\n' && src[cur.Start-2] == '\r' {
		prev = lineRangeAt(src, cur.Start-2)
	}
	k := indent(prev)
	if k == prev.End || indent(cur)-cur.Start != k-prev.Start || indent(cur) > colon {
		return -1
	}
	line := string(src[k:prev.End])
	if i := strings.Index(line, " #"); i >= 0 {
		line = strings.TrimRight(line[:i], " \t") // `title # comment`
	}
	if strings.ContainsAny(line[:1], "-#?[{\"'|>&*!%@`") || strings.Contains(line, ": ") || strings.HasSuffix(line, ":") || strings.Contains(line, " #") {
		return -1
	}
	return k
}

// tokenRangeAt returns the range of the token at off: up to the next blank
// on the same line, at least one character, and never empty at a line end.
func tokenRangeAt(src []byte, off int) Range {
	end := off
	for end < len(src) && !IsBreak(src[end]) && !isSpace(src[end]) {
		end++
	}
	if end == off {
		if end < len(src) && !IsBreak(src[end]) {
			_, size := utf8.DecodeRune(src[end:])
			end += size
		} else if off > 0 {
			// At a line end or the end of the text: mark the last character.
			_, size := utf8.DecodeLastRune(src[:off])
			return Range{off - size, off}
		}
	}
	return Range{off, end}
}

// lineRangeAt returns the range of the line containing off, without its
// line break.
func lineRangeAt(src []byte, off int) Range {
	s := off
	for s > 0 && !IsBreak(src[s-1]) {
		s--
	}
	e := off
	for e < len(src) && !IsBreak(src[e]) {
		e++
	}
	return Range{s, e}
}

// sanitizeUTF8 reports the first invalid UTF-8 byte and replaces every
// invalid byte with '?' so that parsing can go on with the same offsets.
func sanitizeUTF8(src []byte, diags *[]Diagnostic) []byte {
	out := append([]byte(nil), src...)
	first := -1
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError && size == 1 {
			if first < 0 {
				first = i
			}
			out[i] = '?'
		}
		i += size
	}
	*diags = append(*diags, syntaxError(Range{first, first + 1},
		fmt.Sprintf("invalid UTF-8 byte 0x%02X: YAML and JSON documents must be UTF-8; re-save the file as UTF-8", src[first])))
	return out
}

// sanitizeJSONEscapes replaces, inside JSON strings, the escapes that are
// valid JSON but that yaml.v3 rejects (\/ and surrogate pairs) with
// same-length escapes it accepts, so that every offset stays exact. It
// returns the offsets of the replaced escapes; the affected strings are
// decoded again from the original text afterwards.
func sanitizeJSONEscapes(src []byte) ([]byte, []int) {
	var out []byte
	var fixes []int
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			continue
		}
		switch c {
		case '"':
			inString = false
		case '\\':
			if i+1 >= len(src) {
				continue
			}
			switch src[i+1] {
			case '/':
				out, fixes = patch(src, out, fixes, i, `\\`)
			case 'u':
				if i+6 <= len(src) {
					if v, err := strconv.ParseUint(string(src[i+2:i+6]), 16, 32); err == nil && v >= 0xD800 && v <= 0xDFFF {
						out, fixes = patch(src, out, fixes, i, `\u003F`)
					}
				}
			}
			i++
		case '\n', '\r':
			inString = false // not JSON; let the parser report it
		}
	}
	if out == nil {
		return src, nil
	}
	return out, fixes
}

func patch(src, out []byte, fixes []int, at int, repl string) ([]byte, []int) {
	if out == nil {
		out = append([]byte(nil), src...)
	}
	copy(out[at:], repl)
	return out, append(fixes, at)
}

// redecodeJSONStrings restores the values of double-quoted scalars that
// contained sanitized escapes by decoding their original source as JSON.
func redecodeJSONStrings(n *Node, orig []byte, fixes []int) {
	if n == nil {
		return
	}
	if n.Kind == ScalarNode && n.Style == DoubleQuotedStyle {
		i := sort.SearchInts(fixes, n.Range().Start)
		if i < len(fixes) && fixes[i] < n.Range().End {
			var s string
			if json.Unmarshal(orig[n.Range().Start:n.Range().End], &s) == nil {
				n.Value = s
			}
		}
		return
	}
	for _, c := range n.Content {
		redecodeJSONStrings(c, orig, fixes)
	}
}

// duplicateKeys reports repeated scalar keys in every mapping; yaml.v3
// accepts them into a node tree, but they make a document invalid YAML and
// invalid JSON for AsyncAPI tools, and only the last one would count.
func duplicateKeys(root *Node, l *ShiftLog) []Diagnostic {
	var out []Diagnostic
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n == nil || depth > 10000 || n.Kind == AliasNode {
			return
		}
		if n.Kind == MappingNode {
			out = mappingDuplicates(n, out, l)
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return out
}

// mappingDuplicates appends the duplicate-key diagnostics of one mapping's
// own keys.
func mappingDuplicates(n *Node, out []Diagnostic, l *ShiftLog) []Diagnostic {
	keys := n.Content
	if len(keys) <= 32 {
		for i := 2; i < len(keys); i += 2 {
			for j := 0; j < i; j += 2 {
				if sameScalar(keys[i], keys[j]) {
					out = append(out, duplicateDiag(keys[i], keys[j], l))
					break
				}
			}
		}
	} else {
		seen := make(map[string]*Node, len(keys)/2)
		for i := 0; i < len(keys); i += 2 {
			k := keys[i]
			if k.Kind != ScalarNode || k.tag == tagMerge {
				continue
			}
			if first, ok := seen[k.Value]; ok {
				out = append(out, duplicateDiag(k, first, l))
			} else {
				seen[k.Value] = k
			}
		}
	}
	return out
}

func sameScalar(a, b *Node) bool {
	return a.Kind == ScalarNode && b.Kind == ScalarNode && a.Value == b.Value && a.tag != tagMerge
}

// duplicateKeyPrefix starts the message of every duplicate-key diagnostic.
const duplicateKeyPrefix = "duplicate key "

// IsDuplicateKey reports whether d is a duplicate-key diagnostic (a
// yaml-syntax one that breaks no region: the tree holds both entries).
func IsDuplicateKey(d Diagnostic) bool {
	return d.Code == CodeYAMLSyntax && strings.HasPrefix(d.Message, duplicateKeyPrefix)
}

func duplicateDiag(dup, first *Node, l *ShiftLog) Diagnostic {
	d := syntaxError(l.R(dup), fmt.Sprintf(duplicateKeyPrefix+"%q: a mapping key may appear only once; merge the two entries or rename one", dup.Value))
	d.Related = []Related{{Range: l.R(first), Message: "first defined here"}}
	return d
}

// SplitKey finds "key:" at the start of s (quoted keys included).
func SplitKey(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if s[0] == '"' || s[0] == '\'' {
		q := s[0]
		if end := strings.IndexByte(s[1:], q); end >= 0 {
			rest := s[end+2:]
			if strings.HasPrefix(rest, ":") {
				return s[1 : end+1], true
			}
		}
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
			return strings.TrimSpace(s[:i]), true
		}
		if s[i] == ' ' && i+1 < len(s) && s[i+1] == '#' {
			return "", false
		}
	}
	return "", false
}
