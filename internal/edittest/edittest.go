// Package edittest holds what the differential tests of the syntax layer
// and of the analysis share: random edits that look like typing, the list
// of reasons for which an incremental update may fall back to a full
// parse, and a comparison of two trees node by node.
//
// Who may depend on it: tests only.
package edittest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Snippets are typed by RandomEdit: YAML indicators, quotes, brackets,
// multi-byte text, line breaks of every kind, and lines of AsyncAPI.
var snippets = []string{
	"a", "x", "Z", " ", "  ", "    ", "\n", "\n  ", "\n    ", "\r\n", ":", ": ", "- ", "-", "#", " # c", "\"", "'", "\\",
	"{", "}", "[", "]", ",", "é", "日本", "😀", "\t", "|", ">", "&a ", "*a", "---", "...", "%", "?", "? ", "!!str ",
	"$ref: '#/components/securitySchemes/oauth'", "\n  newKey: v", "\n    description: typed", "type: oauth2",
	"\n  extra:\n    action: send\n", "security:\n      - $ref: '#/x'", "''", "\"\\u00e9\"", "~", "null", "42", "\u2028", "\xef\xbb\xbf",
}

// RandomEdit returns an edit of text: mostly small insertions, deletions
// and replacements, sometimes whole-line deletions or edits at line starts.
func RandomEdit(rng *rand.Rand, text []byte) syntax.Edit {
	pos := func() int {
		if len(text) == 0 {
			return 0
		}
		p := rng.IntN(len(text) + 1)
		if rng.IntN(10) > 0 { // mostly on a character boundary
			for p > 0 && p < len(text) && !utf8.RuneStart(text[p]) {
				p--
			}
		}
		return p
	}
	lineStart := func(p int) int {
		for p > 0 && text[p-1] != '\n' {
			p--
		}
		return p
	}
	lineEnd := func(p int) int {
		for p < len(text) && text[p] != '\n' {
			p++
		}
		return min(p+1, len(text))
	}
	snippet := func() string {
		if rng.IntN(3) == 0 {
			return string(rune('a' + rng.IntN(26)))
		}
		return snippets[rng.IntN(len(snippets))]
	}
	switch k := rng.IntN(20); {
	case k < 8: // insert
		p := pos()
		return syntax.Edit{Start: p, End: p, Text: snippet()}
	case k < 11: // delete a little
		p := pos()
		q := min(len(text), p+1+rng.IntN(4))
		for q < len(text) && !utf8.RuneStart(text[q]) {
			q++
		}
		return syntax.Edit{Start: p, End: q, Text: ""}
	case k < 13: // replace
		p := pos()
		q := min(len(text), p+rng.IntN(3))
		for q < len(text) && !utf8.RuneStart(text[q]) {
			q++
		}
		return syntax.Edit{Start: p, End: q, Text: snippet()}
	case k < 15: // whole-line deletion
		p := lineStart(pos())
		return syntax.Edit{Start: p, End: lineEnd(p), Text: ""}
	case k < 17: // at a line start (region boundaries)
		p := lineStart(pos())
		return syntax.Edit{Start: p, End: p, Text: snippet()}
	default: // duplicate a line
		p := lineStart(pos())
		q := lineEnd(p)
		return syntax.Edit{Start: p, End: p, Text: string(text[p:q])}
	}
}

// jsonSnippets are what typing into JSON inserts: letters, digits,
// escapes, quotes, separators, whole members and items.
var jsonSnippets = []string{
	"a", "Z", "7", "0", ".5", "e3", "-", " ", "\t", "\r\n", "\n", "\"", "\\", "\\/", "\\u00e9", "\\ud83d\\ude00", "\\n",
	",", ":", "{", "}", "[", "]", "{}", "[]", "\"\"", "é", "日本", "😀", "null", "true",
	`"x-new": "value",`, `,"x-new":"value"`, `"k":{"z":[1,{"y":2}]},`, `{"i":1},`, `,[2]`, `"x-new"`, `: `,
}

// JSONEdit returns an edit of a JSON text as typing makes them: mostly
// at a token boundary (after a quote, comma, colon or bracket) or inside
// a string, sometimes random (RandomEdit).
func JSONEdit(rng *rand.Rand, text []byte) syntax.Edit {
	if rng.IntN(4) == 0 || len(text) == 0 {
		return RandomEdit(rng, text)
	}
	p := rng.IntN(len(text))
	if rng.IntN(2) == 0 { // next to a token
		for p < len(text) && !strings.ContainsRune(`",:{}[]`, rune(text[p])) {
			p++
		}
		if p < len(text) && rng.IntN(2) == 0 {
			p++
		}
	}
	for p > 0 && p < len(text) && text[p]&0xC0 == 0x80 {
		p--
	}
	switch k := rng.IntN(10); {
	case k < 6:
		return syntax.Edit{Start: p, End: p, Text: jsonSnippets[rng.IntN(len(jsonSnippets))]}
	case k < 8:
		q := min(len(text), p+1+rng.IntN(3))
		for q < len(text) && text[q]&0xC0 == 0x80 {
			q++
		}
		return syntax.Edit{Start: p, End: q}
	default:
		q := min(len(text), p+rng.IntN(3))
		for q < len(text) && text[q]&0xC0 == 0x80 {
			q++
		}
		return syntax.Edit{Start: p, End: q, Text: jsonSnippets[rng.IntN(len(jsonSnippets))]}
	}
}

// TrimEdit returns the smallest single edit that turns a into b.
func TrimEdit(a, b []byte) syntax.Edit {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return syntax.Edit{Start: p, End: len(a) - s, Text: string(b[p : len(b)-s])}
}

// allowedFallbacks are the reasons for which an incremental update may
// parse a text afresh instead of re-parsing a region (prefixes). Any other
// reason, an internal error above all, fails the differential tests.
var allowedFallbacks = []string{
	"JSON document",
	"not exactly one YAML document",
	"an anchor or alias in the edited region",
	"aliases in the tree",
	"byte order mark added or removed",
	"the new text looks like JSON",
	"syntax error in the previous text", // parsed whole (not region by region) and broken
	"the edit is not inside one entry of a block mapping",
	"the edit moves a region boundary",
	"the region no longer starts with a key",
	"a line of the region belongs to an enclosing region",
	"no entry of the region has a key",
	"a key with a value typed onto its colon is the only key of its mapping",
	"the region does not parse", // only for texts parsed whole
	"blank lines between a broken region and the region",
	"the shift log is full",
	// Texts that are parsed whole, not region by region (see tolerant.go).
	"the region cannot be parsed alone: invalid UTF-8 in the region",
	"invalid UTF-8 at the edit",
	"the region cannot be parsed alone: BOM, NEL, LS or PS in the region",
	"the region cannot be parsed alone: a document marker or directive",
	"the region cannot be parsed alone: an explicit key",
	"the region cannot be parsed alone: anchors or aliases",
	"the region cannot be parsed alone: an alias of an anchor outside the region",
	"an explicit key before the edited region",
	"the region held what made the text parse whole", // the edit may have removed it
	"an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse",
	"an edit after the failure of a text parsed whole that fixes its last broken region", // the cold parse then recovers line by line
	"the region cannot be parsed alone: an entry that parses alone but not region by region",
	"the region cannot be parsed alone: JSON members that do not start their lines",
	"the region cannot be parsed alone: a JSON member that parses alone but not region by region",
	"the region cannot be parsed alone: a JSON line indented less than its object's members",
	"JSON document parsed whole", // compact JSON
	"the new text does not start like a JSON object",
	"the edit is not inside one member of a JSON object",
	// Compact JSON (jsoncompact.go): a text with errors is parsed whole,
	// and so is an edit that leaves no valid run of members.
	"compact JSON: diagnostics in the previous text",
	"compact JSON: the edit is not inside a member of the root object",
	"compact JSON: the run is not valid JSON",
	"compact JSON: the run does not parse as YAML", // valid JSON that yaml.v3 rejects (the whole parse reports it)
	"compact JSON: a line break before the root object's first key",
	"compact JSON: BOM, NEL, LS or PS in the run",
	"compact JSON: invalid UTF-8 in the run",
	"compact JSON: the run nests too deep", // near yaml.v3's depth limit
	// Broken compact JSON (jsoncompactbroken.go): an edit of another
	// member than the broken one (a second error) is parsed whole.
	"compact JSON: an edit away from the broken region that its run does not take",
	"compact JSON: the run is not separated from its neighbours by ','", // (and its error not confined: a bracket left open)
	"compact JSON: the new text is not a compact JSON object",
	// Several broken regions (coldCompactRegions): a text with more than
	// one, or an edit that makes a second one, is parsed whole (each
	// error still confined to its own region by that parse).
	"compact JSON: the scans do not meet (several errors)",
	// ... and updateSeveral (the regions found again by scans of the whole
	// text, the run holding the changed ones re-parsed) declines an edit
	// whose errors a cold parse does not confine either, or whose changed
	// regions no run of members holds.
	"compact JSON: the errors of the new text are not confined",
	"compact JSON: no run of members holds the changed regions",
	"compact JSON: the edit and the changed regions are not inside a member of the root object",
	"compact JSON: several errors: the edit is not inside the root object",
	// A broken root followed by what reads as another document
	// (parseCompactTrailing) or a root that closes before the text's last
	// '}': the cold parse reads the root up to there, the updates to the
	// text's last '}'.
	"compact JSON: a broken root followed by another document",
	"compact JSON: the root closes before the text's last '}'",
}

// AllowedFallback reports whether reason is on the list of reasons for
// which an incremental update may fall back to a full parse.
func AllowedFallback(reason string) bool {
	for _, p := range allowedFallbacks {
		if strings.HasPrefix(reason, p) {
			return true
		}
	}
	return false
}

// RangeFunc reads a node's range in its tree (through the tree's shift log
// when nodes are shared between versions).
type RangeFunc func(*syntax.Node) syntax.Range

// DiffTrees compares two trees node by node (kind, style, tag, value,
// anchor, range, children, alias target) and their diagnostics, and
// describes the first difference ("" when identical).
func DiffTrees(want *syntax.Tree, wr RangeFunc, got *syntax.Tree, gr RangeFunc) string {
	if want.IsJSON != got.IsJSON {
		return fmt.Sprintf("Tree.IsJSON: want %v, got %v", want.IsJSON, got.IsJSON)
	}
	if len(want.Docs) != len(got.Docs) {
		return fmt.Sprintf("Tree.Docs: want %d documents, got %d", len(want.Docs), len(got.Docs))
	}
	for i := range want.Docs {
		d := treeDiff{wr: wr, gr: gr, doc: i}
		if s := d.nodes(want.Docs[i], got.Docs[i]); s != "" {
			return s
		}
	}
	return DiffDiags("Tree.Diagnostics", want.Diagnostics, got.Diagnostics)
}

// DiffParseMode compares how two trees of one text were parsed (region by
// region or whole), which decides how the next edit is: an updated tree
// must say what a cold parse of its text says ("" when they agree).
func DiffParseMode(want, got *syntax.Tree) string {
	if w, g := want.ParsedByRegion(), got.ParsedByRegion(); w != g {
		return fmt.Sprintf("Tree.ParsedByRegion: want %v (%q), got %v (%q)", w, want.WholeParseReason(), g, got.WholeParseReason())
	}
	return ""
}

// treeDiff walks two trees side by side. It keeps the way down as a stack
// of child indexes and writes the path ("Docs[0]/channels/3") only for
// the difference it reports: formatting it at every node cost more than
// the comparison.
type treeDiff struct {
	wr, gr RangeFunc
	doc    int
	down   []step
}

// step is a child taken on the way down: its parent (in the wanted tree)
// and its index.
type step struct {
	parent *syntax.Node
	i      int
}

func (d *treeDiff) path() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Docs[%d]", d.doc)
	for _, s := range d.down {
		if s.parent.Kind == syntax.MappingNode && s.i%2 == 1 {
			fmt.Fprintf(&b, "/%s", s.parent.Content[s.i-1].Value)
		} else {
			fmt.Fprintf(&b, "/%d", s.i)
		}
	}
	return b.String()
}

func (d *treeDiff) nodes(w, g *syntax.Node) string {
	wr, gr := d.wr, d.gr
	if (w == nil) != (g == nil) {
		return fmt.Sprintf("%s: want %v, got %v", d.path(), w, g)
	}
	if w == nil {
		return ""
	}
	if w.Kind != g.Kind || w.Style != g.Style || w.Tag() != g.Tag() || w.Value != g.Value || w.Anchor() != g.Anchor() || wr(w) != gr(g) || w.Broken() != g.Broken() {
		return fmt.Sprintf("%s: want {kind %d style %d tag %s value %q anchor %q range %v broken %v}, got {kind %d style %d tag %s value %q anchor %q range %v broken %v}",
			d.path(), w.Kind, w.Style, w.Tag(), w.Value, w.Anchor(), wr(w), w.Broken(), g.Kind, g.Style, g.Tag(), g.Value, g.Anchor(), gr(g), g.Broken())
	}
	if len(w.Content) != len(g.Content) || (w.Content == nil) != (g.Content == nil) {
		return fmt.Sprintf("%s: want %d children (nil %v), got %d (nil %v)", d.path(), len(w.Content), w.Content == nil, len(g.Content), g.Content == nil)
	}
	if (w.Alias() == nil) != (g.Alias() == nil) || (w.Alias() != nil && wr(w.Alias()) != gr(g.Alias())) {
		return fmt.Sprintf("%s: alias targets differ", d.path())
	}
	for i := range w.Content {
		d.down = append(d.down, step{w, i})
		if s := d.nodes(w.Content[i], g.Content[i]); s != "" {
			return s
		}
		d.down = d.down[:len(d.down)-1]
	}
	return ""
}

// DiffDiags compares two lists of diagnostics exactly.
func DiffDiags(what string, w, g []syntax.Diagnostic) string {
	if len(w) != len(g) {
		return fmt.Sprintf("%s: want %d, got %d:\nwant %+v\ngot  %+v", what, len(w), len(g), w, g)
	}
	for i := range w {
		if !reflect.DeepEqual(w[i], g[i]) {
			return fmt.Sprintf("%s[%d]: want %+v, got %+v", what, i, w[i], g[i])
		}
	}
	return ""
}

// InvalidEditKinds is the number of kinds of InvalidEdit.
const InvalidEditKinds = 9

// InvalidEdit returns an edit of text that typically leaves a syntax error,
// as half-typed text does, at the first suitable place at or after pos:
// kind 0 deletes a key's ':', 1 deletes a ',', 2 to 5 open a ', ", [ or {
// at the start of a value without closing it, 6 types after a closing
// } or ], 7 indents a line with a tab, and 8 opens a { as the first item
// of a flow sequence, as typing an object into a list does (the list's ]
// does not close it: `[{1, 2]`). ok is false when text has no such place.
func InvalidEdit(text []byte, kind, pos int) (e syntax.Edit, ok bool) {
	pos = min(max(pos, 0), len(text))
	find := func(pred func(i int) bool) int {
		for i := pos; i < len(text); i++ {
			if pred(i) {
				return i
			}
		}
		for i := 0; i < pos && i < len(text); i++ {
			if pred(i) {
				return i
			}
		}
		return -1
	}
	afterColon := func(i int) bool {
		return text[i] == ':' && i+1 < len(text) && text[i+1] == ' '
	}
	var at int
	switch kind % InvalidEditKinds {
	case 0:
		at = find(func(i int) bool {
			return text[i] == ':' && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n' || text[i+1] == '\r')
		})
		return syntax.Edit{Start: at, End: at + 1}, at >= 0
	case 1:
		at = find(func(i int) bool { return text[i] == ',' })
		return syntax.Edit{Start: at, End: at + 1}, at >= 0
	case 2, 3, 4, 5:
		at = find(afterColon)
		open := []string{"'", `"`, "[", "{"}[kind%InvalidEditKinds-2]
		return syntax.Edit{Start: at + 2, End: at + 2, Text: open}, at >= 0
	case 6:
		at = find(func(i int) bool { return text[i] == '}' || text[i] == ']' })
		return syntax.Edit{Start: at + 1, End: at + 1, Text: " x"}, at >= 0
	case 7:
		at = find(func(i int) bool { return i == 0 || text[i-1] == '\n' })
		return syntax.Edit{Start: at, End: at, Text: "\t"}, at >= 0
	default:
		at = find(func(i int) bool { return text[i] == '[' })
		return syntax.Edit{Start: at + 1, End: at + 1, Text: "{"}, at >= 0
	}
}

// CheckUnclosedPlacement checks, in a JSON tree, that a "never closed"
// diagnostic of a broken region is at the innermost string, array or object its broken
// region leaves open, as brackets nest (a ']' does not close a '{'), or
// at a bracket that its line leaves open where the document's layout says
// it closes on that line (leftOpenOnItsLine):
// comparing UpdateTree with a cold parse cannot catch a misplaced error
// that both make. It returns what is wrong, or "".
func CheckUnclosedPlacement(tree *syntax.Tree) string {
	if !tree.IsJSON {
		return ""
	}
	text := tree.Text
	for _, d := range tree.Diagnostics {
		if !strings.Contains(d.Message, "is never closed") {
			continue
		}
		if strings.Contains(d.Message, "seems to close it") || strings.Contains(d.Message, "takes in the value after it") {
			// A string with text glued to its closing quote (a quote
			// typed before a value): it reads as closed, so the scan
			// below finds no string left open; the diagnostic is at
			// the string the typed quote opened, a guess by design.
			continue
		}
		var region syntax.Range
		for _, r := range tree.BrokenRegions() {
			if r.Start <= d.Range.Start && d.Range.Start < r.End {
				region = r
			}
		}
		if region.End == 0 {
			continue // the whole text's (a root that does not close, say)
		}
		want, stack := -1, []int(nil)
	scan:
		for i := region.Start; i < region.End; i++ {
			switch c := text[i]; c {
			case '"':
				j := i + 1
				for j < region.End && text[j] != '"' && text[j] != '\n' {
					if text[j] == '\\' {
						j++
					}
					j++
				}
				if j >= region.End || text[j] != '"' {
					want = i
					break scan
				}
				i = j
			case '[', '{':
				stack = append(stack, i)
			case ']', '}':
				if len(stack) == 0 {
					continue
				}
				if top := stack[len(stack)-1]; (text[top] == '[') != (c == ']') {
					want = top
					break scan
				}
				stack = stack[:len(stack)-1]
			}
		}
		if want < 0 && len(stack) > 0 {
			want = stack[len(stack)-1]
		}
		if want >= 0 && d.Range.Start != want && !leftOpenOnItsLine(text, d.Range.Start) {
			return fmt.Sprintf("%v: want it at offset %d (%q), the innermost opener left open, or a bracket its line leaves open", d, want, text[want:min(want+8, len(text))])
		}
	}
	return ""
}

// leftOpenOnItsLine reports whether text[at] is a '[' or '{' that, laid out
// as pretty-printed JSON, should close on its own line and does not: text
// follows it on the line, or the lines below are not indented deeper.
func leftOpenOnItsLine(text []byte, at int) bool {
	if at >= len(text) || (text[at] != '[' && text[at] != '{') {
		return false
	}
	end := at
	for end < len(text) && text[end] != '\n' {
		end++
	}
	depth, rest := 0, false
	for i := at; i < end; i++ {
		switch c := text[i]; {
		case c == '"':
			for i++; i < end && text[i] != '"'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
			rest = true
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
			if depth == 0 {
				return false // closed on its line
			}
		case c != ' ' && c != '\t' && c != '\r':
			rest = true
		}
	}
	if rest {
		return true
	}
	indent := func(i int) (int, bool) { // of the line at i, ok when it holds something
		n := 0
		for i+n < len(text) && (text[i+n] == ' ' || text[i+n] == '\t') {
			n++
		}
		return n, i+n < len(text) && text[i+n] != '\n' && text[i+n] != '\r'
	}
	ls := at
	for ls > 0 && text[ls-1] != '\n' {
		ls--
	}
	mine, _ := indent(ls)
	for i := end + 1; i < len(text); {
		if n, ok := indent(i); ok {
			return n <= mine
		}
		for i < len(text) && text[i] != '\n' {
			i++
		}
		i++
	}
	return true
}

// AfterInsert is the LSP position (UTF-16 columns) after key is typed at
// at: the benchmarks that type keystrokes through the LSP positions keep
// their cursor with it.
func AfterInsert(at syntax.Pos, key string) syntax.Pos {
	if i := strings.LastIndexByte(key, '\n'); i >= 0 {
		at.Line += strings.Count(key, "\n")
		at.Character = 0
		key = key[i+1:]
	}
	at.Character += len(utf16.Encode([]rune(key)))
	return at
}
