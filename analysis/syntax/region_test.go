package syntax_test

import (
	"cmp"
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

const regionDoc = "a: 1\nb:\n  c: 2\n  d:\n    e: 3\n    f: x\n  # note\n  g: y\nh:\n  - i\n  - j: k\nl: m\n"

// markedDoc opens with a directive and ---, and ends with ... and a comment.
const markedDoc = "%YAML 1.1\n# c\n--- # start\na: 1\nb:\n  c: 2\n  d: 3\ne: f\n...\n# end\n"

// anchoredDoc has an anchor, an alias and a merge key.
const anchoredDoc = "a: &base\n  x: 1\nb:\n  <<: *base\n  extra: 1\nc:\n  y: *base\nd:\n  g: 5\n  h: 6\n"

// quoteOverKeyDoc's quoted string runs over a line that looks like a
// key: whole, x is " d:"; region by region, x and d are error entries.
const quoteOverKeyDoc = "c:\n  x: '\n  d:'\n"

// explicitDoc has an explicit key without a value line.
const explicitDoc = "a: 1\nb:\n  ? x\nc: 2\nd: 3\ne: 4\n"

// TestUpdateTreeRegion pins which region UpdateTree re-parses for an edit
// (its depth and its text in the previous version), or why it declines:
// the smallest entry that contains the edit, never one that merely touches
// it, and never a region whose text could parse differently alone. Edits
// that make, keep or fix a syntax error are re-parsed by region too (the
// error is confined to its region, tolerant.go). The result is also
// compared with a cold parse.
func TestUpdateTreeRegion(t *testing.T) {
	cases := []struct {
		name      string
		doc       string
		at        string // the edit starts at the first occurrence of at, plus skip
		skip, del int
		ins       string
		want      string // `depth N "region"` or `declined: reason`
	}{
		{name: "inside a scalar at depth 3", at: "e: 3", skip: 4, ins: "9", want: `depth 3 "    e: 3\n"`},
		{name: "inside a key at depth 2", at: "c: 2", skip: 1, ins: "c", want: `depth 2 "  c: 2\n"`},
		{name: "at the end of an entry's line (the region runs to the next key)", at: "f: x", skip: 4, ins: "y", want: `depth 3 "    f: x\n  # note\n"`},
		{name: "indenting a key past its siblings: an error in the parent's region", at: "    f: x", ins: " ", want: `depth 2 "  d:\n    e: 3\n    f: x\n  # note\n"`},
		{name: "in a comment between entries", at: "# note", skip: 6, ins: "s", want: `depth 3 "    f: x\n  # note\n"`},
		{name: "spanning two entries", at: "c: 2", skip: 3, del: 8, want: `depth 1 "b:\n  c: 2\n  d:\n    e: 3\n    f: x\n  # note\n  g: y\n"`},
		{name: "joining two entries", at: "c: 2", skip: 4, del: 1, ins: ", ", want: `depth 1 "b:\n  c: 2\n  d:\n    e: 3\n    f: x\n  # note\n  g: y\n"`},
		{name: "replacing two entries", at: "  c: 2\n  d:", del: 11, ins: "  d: 1\n  d:", want: `depth 1 "b:\n  c: 2\n  d:\n    e: 3\n    f: x\n  # note\n  g: y\n"`},
		{name: "the last entry, up to the end of the text", at: "l: m", skip: 4, ins: "n", want: `depth 1 "l: m\n"`},
		{name: "appending after the last entry", at: "l: m\n", skip: 5, ins: "o: p\n", want: `depth 1 "l: m\n"`},
		{name: "a new root key typed after a section", at: "h:\n", ins: "x: 1\n", want: `depth 1 "h:\n  - i\n  - j: k\n"`},
		{name: "inside a sequence item", at: "- i", skip: 3, ins: "i", want: `depth 1 "h:\n  - i\n  - j: k\n"`},
		{name: "a tab in indentation: an error in the parent's region", at: "    f: x", ins: "\t", want: `depth 2 "  d:\n    e: 3\n    f: x\n  # note\n"`},
		{name: "content less indented than the keys: the parent's region", at: "    f: x", skip: 4, ins: "\n  z", want: `depth 2 "  d:\n    e: 3\n    f: x\n  # note\n"`},
		{name: "a document marker", at: "h:", ins: "---\n", want: `declined: the region cannot be parsed alone: a document marker or directive`},
		{name: "a document marker inside a region", at: "  g: y", ins: "---\n", want: `declined: the region no longer starts with a key`},
		{name: "an explicit key", at: "    f: x", ins: "    ? q\n", want: `declined: the region cannot be parsed alone: an explicit key`},
		{name: "a line separator", at: "e: 3", skip: 4, ins: "\u2028", want: `declined: the region cannot be parsed alone: BOM, NEL, LS or PS in the region`},
		{name: "invalid UTF-8", at: "e: 3", skip: 4, ins: "\xff", want: `declined: invalid UTF-8 at the edit`},
		{name: "a region that does not parse: an error entry", at: "e: 3", skip: 4, ins: ": x", want: `depth 3 "    e: 3\n"`},
		{name: "a key that moves: the parent's region", at: "    e: 3", ins: " ", want: `depth 2 "  d:\n    e: 3\n    f: x\n  # note\n"`},
		{name: "the only key moves: the parent's region", doc: "a:\n  b: 1\nc: 2\nd: 3\ne: 4\nf: 5\n", at: "  b", ins: " ", want: `depth 1 "a:\n  b: 1\n"`},
		{name: "a sequence replaces the entry: the parent's region", doc: "a:\n  b: 1\nc: 2\nd: 3\ne: 4\nf: 5\n", at: "b: 1", del: 4, ins: "- 1", want: `depth 1 "a:\n  b: 1\n"`},
		{name: "a parent region over half the text is not re-parsed", doc: "a:\n  b: 1\nc: 2\n", at: "b: 1", del: 4, ins: "- 1", want: `declined: the region no longer starts with a key`},
		{name: "a parent region of exactly half the text is re-parsed", doc: "a:\n  b: 1\nc: 2\nd: 3\n", at: "b: 1", del: 4, ins: "- 1", want: `depth 1 "a:\n  b: 1\n"`},
		{name: "two documents in the region", doc: "a:\n  b: 1\nc: 2\nd: 3\ne: 4\nf: 5\n", at: "c: 2", skip: 4, ins: "\n...\n", want: `declined: the region cannot be parsed alone: a document marker or directive`},
		{name: "the edit at the very start", at: "a: 1", ins: "z", want: `depth 1 "a: 1\n"`},
		{name: "an edit that ends where the next region starts", at: "1\nb:", del: 1, ins: "2", want: `depth 1 "a: 1\n"`},
		{name: "an edit that runs into the next region", at: "1\nb:", del: 3, ins: "2\nb", want: `declined: the edit is not inside one entry`},
		{name: "an anchor in the region", at: "e: 3", skip: 3, ins: "&a ", want: `declined: the region cannot be parsed alone: anchors or aliases`},
		{name: "a flow mapping is not a region", doc: "a: {b: 1, c: 2}\nd: 1\n", at: "b: 1", skip: 4, ins: "0", want: `depth 1 "a: {b: 1, c: 2}\n"`},
		{name: "a previous syntax error in another region", doc: "a: [\nb: 1\n", at: "b: 1", skip: 4, ins: "0", want: `depth 1 "b: 1\n"`},
		{name: "an edit in the broken region", doc: "a: [\nb: 1\n", at: "a: [", skip: 4, ins: "]", want: `depth 1 "a: [\n"`},
		{name: "a syntax error in a text parsed whole (anchors): its region is found, those before it are re-parsed alone", doc: "a: &x 1\nz: 0\ny: 1\nb: [\nc: 2\n", at: "z: 0", skip: 4, ins: "0", want: `depth 1 "z: 0\n"`},
		// After a broken region of a text parsed whole, the whole parse
		// can go on into the region (here the '[' left open), so that an
		// edit there can make the whole text parse: a whole parse says
		// whether it does (TestUpdateTreeAtFailure).
		{name: "a syntax error in a text parsed whole (anchors), an edit after its region", doc: "a: &x 1\nb: [\nc: 2\n", at: "c: 2", skip: 4, ins: "0",
			want: `depth 1 "c: 2\n"`},
		{name: "a syntax error in a text parsed whole (anchors), closed by an edit after its region", doc: "a: &x 1\nb: [\nc: 2\n", at: "c: 2", skip: 4, ins: "]",
			want: `declined: an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse`},
		{name: "a syntax error in a text parsed whole (an explicit key), closed by an edit after its region", doc: "b: [5,\nk: x\nm: 1\na:\n  ? q\n", at: "k: x", skip: 4, ins: "]",
			want: `declined: an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse`},
		{name: "a syntax error in a text parsed whole (anchors), made a bracket that a line below closes", doc: "a: 1\nb\nc: x]\nd: &x 1\ne: *x\n", at: "b\n", skip: 1, ins: ": [",
			want: `declined: an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse`},
		// A whole parse that failed having read all of the text (it
		// needed the end: the '[' is never closed) says nothing of a text
		// that goes on.
		{name: "a syntax error in a text parsed whole (anchors), closed by text appended at the end", doc: "x: &a 1\ny: *a\nz: 1\nb: [\n", at: "b: [\n", skip: 5, ins: "1]\n",
			want: `declined: an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse`},
		// Fixing one broken region of two: the other, a flow collection
		// over a less indented line, is an error of the region-wise parse
		// only, which the whole parse then reads.
		{name: "fixing one of two broken regions of a text parsed whole", doc: "a: 1\nb: [\ne:\n  ? f\ng:\n  i: [5, {j\n6}]\n", at: "b: [", skip: 4, ins: "]",
			want: `declined: an edit after a broken region of a text parsed whole, or in one, that makes the whole text parse`},
		{name: "fixing the broken region of a text parsed whole (in the region before it, its lines blank in the tree)", doc: "a: 1\nb: [\nc: &x 2\nd: *x\n", at: "b: [", skip: 4, ins: "]", want: `depth 1 "a: 1\nb: [\n"`},
		{name: "keeping the broken region of a text parsed whole broken", doc: "a: 1\nb: [\nc: &x 2\nd: *x\n", at: "b: [", skip: 4, ins: "1", want: `depth 1 "a: 1\nb: [\n"`},
		{name: "a syntax error in a text parsed whole (an explicit key): its region is found, those before it are re-parsed alone", doc: "z: 0\na:\n  ? x\n  : 1\nb: [\nc: 2\nd: 3\n", at: "z: 0", skip: 4, ins: "0", want: `depth 1 "z: 0\n"`},
		{name: "a syntax error in a text parsed whole (an explicit key), an edit in the entry after the key's", doc: "a:\n  ? x\n  : 1\nb: [\nc: 2\nd: 3\n", at: "c: 2", skip: 4, ins: "0", want: `declined: an explicit key before the edited region`},
		{name: "a syntax error in a text parsed whole for another reason (a line separator)", doc: "a: x\u2028y\nb: [\nc: 2\n", at: "c: 2", skip: 4, ins: "0", want: `declined: syntax error in the previous text`},
		{name: "a syntax error in a text parsed whole for another reason (a document marker)", doc: "a: 1\nb: [\nc: 2\n---\nd: 3\n", at: "c: 2", skip: 4, ins: "0", want: `declined: not exactly one YAML document`},
		{name: "a blank line typed after a broken region", doc: "a: 1\nb:\n  c: [{2\n  f: 1\n  g: h\ni: j\n", at: "  f: 1", ins: "\n", want: `declined: blank lines between a broken region and the region`},
		{name: "compact JSON, a number made invalid", doc: "{\"a\": 1}\n", at: "1", ins: "0", want: `depth 1 "\"a\": 1"`}, // (broken: the member is its region)
		{name: "compact JSON, a digit typed", doc: "{\"a\": 1, \"b\": {\"c\": [2]}}\n", at: "1", skip: 1, ins: "0", want: `depth 1 "\"a\": 1"`},
		{name: "compact JSON, an array item", doc: "{\"a\": 1, \"b\": {\"c\": [2]}}\n", at: "2", ins: "1", want: `depth 2 "\"c\": [2]"`},
		{name: "compact JSON laid out over lines", doc: "{\"a\": 1,\n \"b\": {\"c\": 2}\n}\n", at: "2", ins: "1", want: `depth 2 "\"c\": 2"`},
		{name: "pretty-printed JSON", doc: "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": [2]\n  },\n  \"d\": 3\n}\n", at: "[2]", skip: 2, ins: ", 4", want: `depth 2 "    \"c\": [2]\n"`},
		{name: "pretty-printed JSON, a member left open", doc: "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": [2]\n  },\n  \"d\": 3\n}\n", at: "[2]", skip: 2, del: 1, want: `depth 2 "    \"c\": [2]\n"`},
		{name: "anchors elsewhere", doc: "a: &x 1\nb: *x\nc: 2\n", at: "c: 2", skip: 4, ins: "0", want: `depth 1 "c: 2\n"`},
		{name: "inside something aliased", doc: "a: &x 1\nb: *x\nc: 2\n", at: "b: *x", skip: 5, ins: "y", want: `declined: an anchor or alias in the edited region`},
		{name: "inside something anchored", doc: "a: &x 1\nb: *x\nc: 2\n", at: "&x 1", skip: 4, ins: "0", want: `declined: an anchor or alias in the edited region`},
		{name: "a tag in the edited region of a text with anchors", doc: "a: &x 1\nb: *x\nc: !t 2\nd: 3\n", at: "!t 2", skip: 4, ins: "0", want: `depth 1 "c: !t 2\n"`},
		{name: "CRLF", doc: "a: 1\r\nb:\r\n  c: 2\r\n  d: 3\r\n", at: "c: 2", skip: 4, ins: "9", want: "depth 2 \"  c: 2\\r\\n\""},
		{name: "a key typed at the region's column", at: "    f: x\n", skip: 9, ins: "    n: 1\n", want: `depth 3 "    f: x\n  # note\n"`},
		{name: "a key renamed to its sibling's name", at: "f: x", del: 1, ins: "e", want: `depth 3 "    f: x\n  # note\n"`},
		{name: "an empty value", doc: "a:\n  b:\nc: 1\n", at: "b:", skip: 2, ins: " v", want: `depth 2 "  b:\n"`},
		// The frame of a document (body.go): regions lie in its body.
		{name: "after --- and a directive", doc: markedDoc, at: "c: 2", skip: 4, ins: "9", want: `depth 2 "  c: 2\n"`},
		{name: "the first entry after ---", doc: markedDoc, at: "a: 1", skip: 4, ins: "9", want: `depth 1 "a: 1\n"`},
		{name: "the last entry ends at ...", doc: markedDoc, at: "e: f", skip: 4, ins: "g", want: `depth 1 "e: f\n"`},
		{name: "a key typed after the last entry, before ...", doc: markedDoc, at: "e: f\n", skip: 5, ins: "h: i\n", want: `declined: the edit is not inside one entry`},
		{name: "in the directive", doc: markedDoc, at: "1.1", ins: "1", want: `declined: the edit is not inside one entry`},
		{name: "on the --- line", doc: markedDoc, at: "--- #", skip: 5, ins: "x", want: `declined: the edit is not inside one entry`},
		{name: "after ...", doc: markedDoc, at: "# end", skip: 5, ins: "x", want: `declined: the edit is not inside one entry`},
		{name: "after a BOM", doc: "\ufeffa: 1\nb:\n  c: 2\n", at: "c: 2", skip: 4, ins: "9", want: `depth 2 "  c: 2\n"`},
		{name: "the first key after a BOM", doc: "\ufeffa: 1\nb:\n  c: 2\n", at: "a: 1", ins: "z", want: `depth 1 "a: 1\n"`},
		{name: "before the BOM", doc: "\ufeffa: 1\nb:\n  c: 2\n", at: "\ufeff", ins: "z", want: `declined: byte order mark added or removed`},
		{name: "a BOM typed at the start", at: "a: 1", ins: "\ufeff", want: `declined: byte order mark added or removed`},
		{name: "pretty-printed JSON after a BOM", doc: "\ufeff{\n  \"a\": {\n    \"b\": 1\n  },\n  \"d\": 3\n}\n", at: "\"b\": 1", skip: 6, ins: "0", want: `depth 2 "    \"b\": 1\n"`},
		// Anchors and aliases (parsed whole): edits away from them are
		// re-parsed by region; an alias or anchor typed falls back.
		{name: "far from a merge key", doc: anchoredDoc, at: "g: 5", skip: 4, ins: "0", want: `depth 2 "  g: 5\n"`},
		{name: "a sibling of a merge key (the merge is not in the region)", doc: anchoredDoc, at: "extra: 1", skip: 8, ins: "0", want: `depth 2 "  extra: 1\n"`},
		{name: "a merge key's entry", doc: anchoredDoc, at: "<<: *base", skip: 9, ins: "x", want: `declined: an anchor or alias in the edited region`},
		{name: "an anchored entry", doc: anchoredDoc, at: "x: 1", skip: 4, ins: "0", want: `declined: an anchor or alias in the edited region`},
		{name: "an alias typed", doc: anchoredDoc, at: "g: 5", skip: 3, del: 1, ins: "*base", want: `declined: the region cannot be parsed alone: an alias of an anchor outside the region`},
		{name: "an anchor typed", doc: anchoredDoc, at: "g: 5", skip: 3, ins: "&n ", want: `declined: the region cannot be parsed alone: anchors or aliases`},
		// An error typed into a valid text parsed whole: its cold parse
		// finds the broken regions region by region, and there may be
		// more than that one: a quoted string over a less indented line,
		// which the whole parse read (then the blanked text does not
		// parse either). The region-wise pass over the old text
		// (located.go) tells: none outside the region, a region update.
		{name: "an error typed into a valid text with anchors", doc: anchoredDoc, at: "g: 5", skip: 3, ins: "[", want: `depth 2 "  g: 5\n"`},
		{name: "an error typed into a valid text with anchors and a quoted string over a less indented line", doc: anchoredDoc + "q:\n  r:\n    - 'a\n  '\n", at: "g: 5", skip: 3, ins: "[", want: `declined: the region does not parse`},
		{name: "an anchor typed in a document without", at: "e: 3", skip: 3, ins: "&n ", want: `declined: the region cannot be parsed alone: anchors or aliases`},
		{name: "an alias of an anchor that does not exist", at: "e: 3", skip: 3, del: 1, ins: "*n", want: `declined: the region cannot be parsed alone: an alias of an anchor outside the region`},
		// Explicit keys (parsed whole): an explicit key without a value
		// line has its empty value at the next token, which may be in the
		// next region.
		{name: "right after an explicit key", doc: explicitDoc, at: "c: 2", ins: "\n", want: `declined: an explicit key before the edited region`},
		{name: "two top-level entries after an explicit key", doc: explicitDoc, at: "e: 4", skip: 4, ins: "\n", want: `depth 1 "e: 4\n"`},
		{name: "before an explicit key", doc: explicitDoc, at: "a: 1", skip: 4, ins: "0", want: `depth 1 "a: 1\n"`},
		{name: "an explicit key's entry", doc: explicitDoc, at: "? x", skip: 3, ins: "y", want: `declined: the region cannot be parsed alone: an explicit key`},
		// A text parsed whole for what one region holds: an edit that
		// takes it away may leave a text that a cold parse reads region
		// by region, where `x`'s quoted string ends at the line that looks
		// like a key (an error entry) as it does not in the whole parse.
		{name: "a line separator deleted, in the region that made the text parse whole", doc: quoteOverKeyDoc + "f: '\u2028'\n", at: "\u2028", del: len("\u2028"),
			want: `declined: the region held what made the text parse whole (BOM, NEL, LS or PS)`},
		{name: "an explicit key made plain, in the region that made the text parse whole", doc: quoteOverKeyDoc + "f:\n  ? k\n", at: "? k", del: 2,
			want: `declined: the region held what made the text parse whole (an explicit key)`},
		{name: "a line separator typed over, in the region that made the text parse whole", doc: quoteOverKeyDoc + "f: 'a\u2028b'\n", at: "a\u2028b", del: len("a\u2028b"), ins: "c",
			want: `declined: the region held what made the text parse whole (BOM, NEL, LS or PS)`},
		// A '%' at column 0 in a quoted string reads as a directive to
		// the region-wise parse: the edit that takes it away may leave a
		// text parsed region by region.
		{name: "a '%' at column 0 in a quoted string deleted, in the region that made the text parse whole", doc: "a: 1\nb: 'x\n%y'\nc: 2\n", at: "%y", del: 1,
			want: `declined: the region held what made the text parse whole (a document marker or directive)`},
		// A ':' line with no explicit key is an error that makes the text
		// parse whole (its broken regions found region by region): the
		// edit that makes it a key may leave a text parsed region by
		// region.
		{name: "a ':' line with no explicit key made a key, in the region that made the text parse whole", doc: "a: 1\nb:\n  : v\nc: 2\n", at: ": v", ins: "x",
			want: `declined: the region held what made the text parse whole (an explicit key)`},
		{name: "an entry that parses alone but not region by region, fixed", doc: "a:\n  s:\n    - $ref: '#/servers/alsecurity:\n    - $ref: '#/x'ias'\nd: 1\ne: 2\n",
			at: "security:", del: len("security:\n    - $ref: '#/x'"), want: `declined: the region held what made the text parse whole (an entry that parses alone but not region by region)`},
		{name: "an entry after the one that parses alone but not region by region", doc: "a:\n  s:\n    - $ref: '#/servers/alsecurity:\n    - $ref: '#/x'ias'\nd: 1\ne: 2\n",
			at: "e: 2", skip: 4, ins: "0", want: `depth 1 "e: 2\n"`},
		{name: "a text parsed whole, an edit in a region with a '*' that is no alias", doc: quoteOverKeyDoc + "f: '\u2028'\ng: 2 * 3\nh: 1\n", at: "g: 2", skip: 4, ins: "0", want: `depth 1 "g: 2 * 3\n"`},
		{name: "an anchor at column 0 deleted", doc: "a: 1\ns:\n&a      l: m\n      t: 1\nb: 2\n", at: "&a", del: 2,
			want: `declined: the region held what made the text parse whole (anchors or aliases)`},
		// A quoted string that starts the line after its key goes on over
		// lines at its own column that a region parse reads as keys: it
		// crosses regions (crossesRegions), as the mapping those lines
		// were is split, so that the edit that opens it is confined to its
		// region.
		{name: "a quote opened on the line after a key, closed by a broken entry's", doc: "s:\n    h:\n    y: '", at: "h", del: 1, ins: "'",
			want: `depth 2 "    h:\n"`},
		{name: "a text parsed whole, edited away from what made it so", doc: quoteOverKeyDoc + "f: '\u2028'\ng: 1\n", at: "g: 1", skip: 3, ins: "2", want: `depth 1 "g: 1\n"`},
		{name: "five levels down: the region search stops at the fourth", doc: "a:\n  b:\n    c:\n      d:\n        e: 1\nf: 2\n", at: "e: 1", skip: 4, ins: "0", want: `depth 4 "      d:\n        e: 1\n"`},
		{name: "the last entry of a text without a final line break", doc: "a: 1\nb: 2", at: "b: 2", skip: 4, ins: "0", want: `depth 1 "b: 2"`},
		{name: "pretty-printed JSON, three levels down: a broken member is split like a cold parse splits it", doc: deepJSON("[1,", "2"), at: "\"c\"", skip: 1, ins: "c", want: `depth 3 "      \"c\": {\n`},
		{name: "pretty-printed JSON, three levels down: a missing ',' is reported on its member", doc: deepJSON("1", "2"), at: "\"c\"", skip: 1, ins: "c", want: `depth 3 "      \"c\": {\n`},
		{name: "a previous syntax error after the region, with a related place", doc: "a: 1\nb: 'x' y\nc: 2\n", at: "a: 1", skip: 4, ins: "0", want: `depth 1 "a: 1\n"`},
		{name: "the last entry blanked out, at the end of a text without a final line break", doc: "a: 1\nb: 2", at: "b: 2", del: 4, ins: "   ", want: `declined: the region no longer starts with a key`},
		{name: "pretty-printed JSON, the last member of an object", doc: jsonRegionDoc, at: "[2]", skip: 1, ins: "5, ", want: `depth 2 "    \"c\": [2]\n"`},
		{name: "pretty-printed JSON, the last member of the root", doc: jsonRegionDoc, at: "3\n", ins: "4", want: `depth 1 "  \"d\": 3\n"`},
		{name: "pretty-printed JSON, a member's key line", doc: jsonRegionDoc, at: "\"a\"", skip: 1, ins: "x", want: `depth 1 "  \"a\": {\n    \"b\": 1,\n    \"c\": [2]\n  },\n"`},
		{name: "pretty-printed JSON, an object's closing line", doc: jsonRegionDoc, at: "  },", skip: 3, ins: " ", want: `depth 1 "  \"a\": {\n`},
		{name: "pretty-printed JSON, the root's closing line", doc: jsonRegionDoc, at: "\n}\n", skip: 2, ins: " ", want: `declined: the edit is not inside one member`},
		{name: "pretty-printed JSON, the root never closed", doc: "{\n  \"a\": 1,\n  \"b\": 2\n", at: "2\n", ins: "3", want: `depth 1 "  \"b\": 2\n"`},
		{name: "pretty-printed JSON, the root never closed, its last member an object", doc: "{\n  \"a\": 1,\n  \"b\": {\n    \"x\": 2\n  }\n", at: "2\n", ins: "3", want: `depth 2 "    \"x\": 2\n"`},
		{name: "pretty-printed JSON, the root never closed, its '}' typed at its members' column (valid JSON, parsed whole)", doc: "{\n  \"a\": 1,\n  \"b\": 2\n", at: "2\n", skip: 2, ins: "  }\n", want: `declined: the region cannot be parsed alone: the root object's '}' is not indented less than its members`},
		{name: "pretty-printed JSON, the root never closed, its last member's object closed at the members' column", doc: "{\n  \"a\": 1,\n  \"b\": {\n    \"x\": 2\n", at: "2\n", skip: 2, ins: "  }\n", want: `depth 1 "  \"b\": {\n    \"x\": 2\n"`},
		{name: "pretty-printed JSON, a blank replaced at the start of a member's line", doc: jsonRegionDoc, at: "    \"c\"", del: 1, ins: " ", want: `depth 2 "    \"c\": [2]\n"`},
		{name: "pretty-printed JSON, an edit that ends where the next member's line starts", doc: jsonRegionDoc, at: "1,\n", del: 3, ins: "1,\n", want: `depth 1 "  \"a\": {\n    \"b\": 1,\n    \"c\": [2]\n  },\n"`},
		{name: "pretty-printed JSON, the root never closed, an edit at the end of the text", doc: "{\n  \"a\": 1,\n  \"b\": 2", at: "2", skip: 1, ins: "3", want: `depth 1 "  \"b\": 2"`},
		{name: "pretty-printed JSON nested deeper than the region depth", doc: "{\n  \"a\": {\n    \"b\": {\n      \"c\": {\n        \"d\": {\n          \"e\": {\n            \"f\": 1\n          }\n        }\n      }\n    },\n    \"g\": 2\n  },\n  \"h\": 3\n}\n", at: "1\n", ins: "0", want: `depth 4 "        \"d\": {\n`},
		{name: "pretty-printed JSON, an object closed on its last member's line", doc: "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": 2 },\n  \"d\": 3\n}\n", at: "1,", ins: "0", want: `depth 1 "  \"a\": {\n`},
		{name: "pretty-printed JSON with tabs", doc: "{\n\t\"a\": {\n\t\t\"b\": 1,\n\t\t\"c\": 2\n\t},\n\t\"d\": 3\n}\n", at: "1,", ins: "0", want: `depth 2 "\t\t\"b\": 1,\n"`},
		{name: "pretty-printed JSON, a member typed after the last", doc: jsonRegionDoc, at: "3\n", skip: 1, ins: ",\n  \"e\": 4", want: `depth 1 "  \"d\": 3\n"`},
		{name: "pretty-printed JSON, a member split in two", doc: jsonRegionDoc, at: "1,\n", skip: 2, ins: "\n    \"x\": 0,", want: `depth 2 "    \"b\": 1,\n"`},
		{name: "pretty-printed JSON, a line indented less typed into a member", doc: jsonRegionDoc, at: "[2]", skip: 3, ins: "\n  \"y\": 1", want: `declined: a line of the region belongs to an enclosing region`},
		{name: "pretty-printed JSON, the root's '{' deleted", doc: jsonRegionDoc, at: "{\n", del: 1, want: `declined: the new text does not start like a JSON object`},
		{name: "pretty-printed JSON with a duplicate key, an edit elsewhere", doc: "{\n  \"a\": 1,\n  \"a\": 2,\n  \"b\": 3\n}\n", at: "3\n", ins: "4", want: `depth 1 "  \"b\": 3\n"`},
		{name: "pretty-printed JSON, a key renamed to its sibling's name", doc: jsonRegionDoc, at: "\"d\"", skip: 1, del: 1, ins: "a", want: `depth 1 "  \"d\": 3\n"`},
		{name: "deleting the last entry", doc: "a: 1\nb: 2\n", at: "b: 2\n", del: 5, want: `declined: the region no longer starts with a key`},
		{name: "pretty-printed JSON, a ',' typed before a member's object value (YAML reads two members, as in a run: parsed whole)",
			doc: "{\n  \"a\": 1,\n  \"b\": {\"c\": 2},\n  \"d\": 3\n}\n", at: "{\"c\"", ins: ",", want: `declined: the region cannot be parsed alone: JSON members that do not start their lines`},
		{name: "pretty-printed JSON, a word typed after a member's ',' (an error entry, as in a cold parse)",
			doc: "{\n  \"a\": 1,\n  \"b\": {\"c\": 2},\n  \"d\": 3\n}\n", at: "1,", skip: 2, ins: "x", want: `depth 1 "  \"a\": 1,\n"`},
		{name: "pretty-printed JSON, two members on one line (valid JSON laid out otherwise: parsed whole)",
			doc: "{\n  \"a\": 1,\n  \"b\": {\"c\": 2},\n  \"d\": 3\n}\n", at: "1,", skip: 2, ins: " \"e\": 5,", want: `declined: the region cannot be parsed alone: JSON members that do not start their lines`},
		// A key line that loses its key (`h:x`, a colon deleted) is an
		// entry without a key: spliced as no entry, as a cold parse has it.
		{name: "a value typed right after a root key's colon", at: "h:", skip: 2, ins: "x", want: `depth 1 "h:\n  - i\n  - j: k\n"`},
		{name: "a root key's colon deleted", at: "l: m", skip: 1, del: 1, want: `depth 1 "l: m\n"`},
		{name: "a value typed right after a nested key's colon", at: "d:\n", skip: 2, ins: "x", want: `depth 2 "  d:\n    e: 3\n    f: x\n  # note\n"`},
		{name: "the only key of a mapping loses its colon: the parent's region", doc: "a:\n  b: 1\nc: 2\nd: 3\ne: 4\nf: 5\n", at: "b: 1", skip: 1, del: 1, want: `depth 1 "a:\n  b: 1\n"`},
		{name: "the only root key loses its colon", doc: "a:\n  b: 1\n", at: "a:", skip: 1, del: 1, want: `declined: no entry of the region has a key`},
		{name: "the only key of a mapping loses its colon's space at the end of the text: the parent's region", doc: "c: 1\nd: 2\ne: 3\na:\n  b: 1", at: "b: 1", skip: 2, del: 1, want: `depth 1 "a:\n  b: 1"`},
		// A key whose value is broken is a key all the same.
		{name: "the only key of a mapping gets a broken value", doc: "a:\n  b: 1\nc: 2\nd: 3\ne: 4\nf: 5\n", at: "b: 1", skip: 3, ins: "[", want: `depth 2 "  b: 1\n"`},
		{name: "the only key of a mapping gets a broken list below it", doc: "a:\n  b:\n    - 1\nc: 2\nd: 3\ne: 4\nf: 5\n", at: "- 1", skip: 2, ins: "[", want: `depth 2 "  b:\n    - 1\n"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := c.doc
			if doc == "" {
				doc = regionDoc
			}
			i := strings.Index(doc, c.at)
			if i < 0 {
				t.Fatalf("%q not in the document", c.at)
			}
			e := syntax.Edit{Start: i + c.skip, End: i + c.skip + c.del, Text: c.ins}
			old := []byte(doc)
			text := e.Apply(old)
			u, reason := syntax.UpdateTree(old, syntax.ParseTree(old), nil, e, text)
			got := "declined: " + reason
			if u != nil {
				lv := u.Levels[len(u.Levels)-1]
				got = fmt.Sprintf("depth %d %q", len(u.Levels), old[lv.Start:lv.End])
				if len(u.Path) != len(u.Levels) || u.Path[len(u.Path)-1] != u.OldPairs[0].Value || u.OldPairs[0] != lv.Map.Content[2*lv.Index] {
					t.Errorf("Path %q and OldPairs do not name the re-parsed entry", u.Path)
				}
				abs := func(n *syntax.Node) syntax.Range { return n.Range() }
				cold := syntax.ParseTree(text)
				if s := cmp.Or(edittest.DiffTrees(cold, abs, u.Tree, u.Shifts.R), edittest.DiffParseMode(cold, u.Tree), diffFailRead(cold, u.Tree)); s != "" {
					t.Fatalf("differs from a cold parse: %s", s)
				}
			}
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// deepJSON is a pretty-printed JSON document whose members "d" and "e"
// (with the values given) are four objects down.
func deepJSON(d, e string) string {
	return "{\n  \"a\": {\n    \"b\": {\n      \"c\": {\n        \"d\": " + d + "\n        \"e\": " + e +
		"\n      }\n    }\n  },\n  \"f\": 1,\n  \"g\": 2,\n  \"h\": 3,\n  \"i\": 4\n}\n"
}

const jsonRegionDoc = "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": [2]\n  },\n  \"d\": 3\n}\n"

// TestUpdateTreeAfterUpdate: a tree made by a region update is updated
// again as the cold parse of its text would be: the second edit re-parses
// the same region (or declines for the same reason), whatever the first
// edit moved (the end of the body before a trailing `...`, the ranges of
// the shared nodes, the broken regions).
func TestUpdateTreeAfterUpdate(t *testing.T) {
	type edit struct {
		at        string // the edit starts at the first occurrence of at, plus skip
		skip, del int
		ins       string
	}
	cases := []struct {
		name          string
		doc           string
		first, second edit
		want          string // `depth N "region"` or `declined: reason`, for the second edit
	}{
		{"the last entry after a longer first one", "a: 1\nb:\n  c: 2\nd: 3\n",
			edit{at: "a: 1", skip: 4, ins: "00"}, edit{at: "d: 3", skip: 4, ins: "0"}, `depth 1 "d: 3\n"`},
		{"the last entry after a shorter first one", "a: 100\nb:\n  c: 2\nd: 3\n",
			edit{at: "a: 100", skip: 4, del: 2}, edit{at: "d: 3", skip: 4, ins: "0"}, `depth 1 "d: 3\n"`},
		{"the last entry before ...", markedDoc,
			edit{at: "a: 1", skip: 4, ins: "00"}, edit{at: "e: f", skip: 4, ins: "g"}, `depth 1 "e: f\n"`},
		{"a key typed after the last entry, before ...", markedDoc,
			edit{at: "a: 1", skip: 4, ins: "00"}, edit{at: "e: f\n", skip: 5, ins: "h: i\n"}, `declined: the edit is not inside one entry`},
		{"after a broken region", "a: 1\nb: [\nc: 2\nd: 3\n",
			edit{at: "a: 1", skip: 4, ins: "00"}, edit{at: "d: 3", skip: 4, ins: "0"}, `depth 1 "d: 3\n"`},
		{"the broken region after an edit before it", "a: 1\nb: [\nc: 2\nd: 3\n",
			edit{at: "a: 1", skip: 4, ins: "00"}, edit{at: "b: [", skip: 4, ins: "]"}, `depth 1 "b: [\n"`},
		// The entry that made the text parse whole (Tree.doubtAt) right
		// after the edited region moves with the edit: the region, edited
		// again, holds none of it.
		{"the region before an entry that parses alone but not region by region", "a:\n  r: 1\n  s:\n    - $ref: '#/servers/alsecurity:\n    - $ref: '#/x'ias'\nd: 1\ne: 2\n",
			edit{at: "r: 1", skip: 4, ins: "000000000"}, edit{at: "r: 1", skip: 4, ins: "0"}, `depth 2 "  r: 1000000000\n"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at := func(text []byte, e edit) syntax.Edit {
				i := strings.Index(string(text), e.at)
				if i < 0 {
					t.Fatalf("%q not in %q", e.at, text)
				}
				return syntax.Edit{Start: i + e.skip, End: i + e.skip + e.del, Text: e.ins}
			}
			old := []byte(c.doc)
			e1 := at(old, c.first)
			text := e1.Apply(old)
			u1, why := syntax.UpdateTree(old, syntax.ParseTree(old), nil, e1, text)
			if u1 == nil {
				t.Fatalf("the first edit was declined: %s", why)
			}
			e2 := at(text, c.second)
			next := e2.Apply(text)
			u2, reason := syntax.UpdateTree(text, u1.Tree, u1.Shifts, e2, next)
			cold, coldReason := syntax.UpdateTree(text, syntax.ParseTree(text), nil, e2, next)
			region := func(u *syntax.TreeUpdate, reason string) string {
				if u == nil {
					return "declined: " + reason
				}
				lv := u.Levels[len(u.Levels)-1]
				return fmt.Sprintf("depth %d %q", len(u.Levels), text[lv.Start:lv.End])
			}
			got, fromCold := region(u2, reason), region(cold, coldReason)
			if !strings.HasPrefix(got, c.want) || got != fromCold {
				t.Errorf("after the first edit, got  %s\nfrom a cold parse %s\nwant %s", got, fromCold, c.want)
			}
			if u2 != nil {
				abs := func(n *syntax.Node) syntax.Range { return n.Range() }
				if s := edittest.DiffTrees(syntax.ParseTree(next), abs, u2.Tree, u2.Shifts.R); s != "" {
					t.Errorf("differs from a cold parse: %s", s)
				}
				if s := diffRanges(syntax.ParseTree(next).BrokenRegions(), u2.Tree.BrokenRegions()); s != "" {
					t.Errorf("broken regions: %s", s)
				}
			}
		})
	}
}
