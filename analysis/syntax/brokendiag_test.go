package syntax_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// unmark removes the «» marks from doc and returns the text and the
// ranges the marks enclosed, in order.
func unmark(t *testing.T, doc string) (string, []syntax.Range) {
	t.Helper()
	var rs []syntax.Range
	for {
		s := strings.Index(doc, "«")
		if s < 0 {
			break
		}
		doc = doc[:s] + doc[s+len("«"):]
		e := strings.Index(doc, "»")
		if e < s {
			t.Fatalf("unbalanced marks in %q", doc)
		}
		doc = doc[:e] + doc[e+len("»"):]
		rs = append(rs, syntax.Range{Start: s, End: e})
	}
	return doc, rs
}

// TestSyntaxErrorPlacement pins the diagnostics of texts broken the way
// they are while being typed: each broken entry gets one diagnostic where
// the user is typing (the range marked «» in the text, and its message),
// and its region (the entry from its key's line to the next line that
// starts a sibling) is the one it breaks; JSON's missing and extra ','s
// and what YAML accepts but JSON does not are reported without breaking
// anything.
func TestSyntaxErrorPlacement(t *testing.T) {
	cases := []struct {
		name, doc string
		msgs      []string // one per mark, in order
		regions   []string // the broken regions' texts
		related   []string // the texts of the places the diagnostics point at, in order
	}{
		// YAML: the key line.
		{"a root key without ':'", "a: 1\n«bc»\nc: 2\n",
			[]string{"could not find expected ':' (this key has no ':' yet)"}, []string{"bc\n"}, nil},
		{"a nested key without ':'", "a:\n  b: 1\n  «cd»\n  e: 2\nf: 3\n",
			[]string{"could not find expected ':' (this key has no ':' yet)"}, []string{"  cd\n"}, nil},
		{"a value typed right after a root key's colon", "a: 1\nb:«x»\n  c: 2\nd: 3\n",
			[]string{"a ':' that ends a key must be followed by a space or a line break"}, []string{"b:x\n  c: 2\n"}, nil},
		{"a value typed right after the colon of a key with colons", "a: 1\nuser:signup:«x»\nd: 3\n",
			[]string{"a ':' that ends a key must be followed by a space or a line break"}, []string{"user:signup:x\n"}, nil},
		{"a value typed after a nested key's colon, the key followed by text", "a:\n  b: 1\n  c:«see» it\n  e: 2\nf: 3\n",
			[]string{"a ':' that ends a key must be followed by a space or a line break"}, []string{"  c:see it\n"}, nil},
		{"a colon inside a key without its own ':'", "a: 1\n«b» c:d\n  e: 2\nf: 3\n",
			[]string{"could not find expected ':' (this key has no ':' yet)"}, []string{"b c:d\n  e: 2\n"}, nil},
		{"a key whose quote is never closed", "a: 1\n«'abc:» 1\nc: 2\n",
			[]string{"this quoted string is never closed (a ' opens it, and a ' that is not doubled closes it)"}, []string{"'abc: 1\n"}, nil},
		{"a nested key whose quote is never closed", "a:\n  b: 1\n  «\"cd:» 1\nf: 3\n",
			[]string{"this quoted string is never closed"}, []string{"  \"cd: 1\n"}, nil},
		{"a key whose flow sequence is never closed", "a: 1\n«[»b, c: 1\nd: 2\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"[b, c: 1\n"}, nil},
		{"text after a quoted key", "a: 1\n\"x\" «b:» \nc: 2\n",
			[]string{"did not find expected key"}, []string{"\"x\" b: \n"}, []string{"\"x\" b: "}},
		// YAML: the value.
		{"a flow sequence never closed", "a: 1\nb: «[»1, 2\nc: 2\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"b: [1, 2\n"}, nil},
		{"a flow mapping closed by the wrong bracket", "a: 1\nb: [a, «{»b: 1]\nc: 2\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"b: [a, {b: 1]\n"}, nil},
		{"a flow mapping closed by the wrong bracket after a string", "a: 1\nb: [a, «{»b: \"x\"]\nc: 2\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"b: [a, {b: \"x\"]\n"}, nil},
		{"a key's flow mapping closed by the wrong bracket", "a: 1\n«{»b: 1]: x\nc: 2\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"{b: 1]: x\n"}, nil},
		{"a flow sequence inside a flow mapping", "a: 1\nb: {x: «[»1, 2}\nc: 2\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"b: {x: [1, 2}\n"}, nil},
		{"a single-quoted value never closed", "a: 1\nb: «'x»\nc: 2\n",
			[]string{"this quoted string is never closed (a ' opens it"}, []string{"b: 'x\n"}, nil},
		// a security scheme's flow field five entries deep (components,
		// securitySchemes, the scheme, flows, the flow): its siblings, the
		// scopes among them, stay
		{"a quote never closed in a scheme's flow, later quotes below", "components:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: «'https://a.example.com/token»\n          availableScopes:\n            'events:read': Read\n      scopes:\n        - 'events:read'\n",
			[]string{"this quoted string is never closed"}, []string{"          tokenUrl: 'https://a.example.com/token\n"}, nil},
		{"a double-quoted value never closed", "a: 1\nb: «\"x»\nc: 2\n",
			[]string{"this quoted string is never closed"}, []string{"b: \"x\n"}, nil},
		{"a quote never closed in a list item", "a: 1\nb:\n  - «'x»\n  - y\nc: 2\n",
			[]string{"this quoted string is never closed"}, []string{"b:\n  - 'x\n  - y\n"}, nil},
		// an opener the next lines do not close: reported at the opener, not
		// where yaml stops lines below
		{"a flow mapping never closed over block lines", "a: 1\nb: «{»\n  c:\n    d: 1\ne: 2\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"b: {\n  c:\n    d: 1\n"}, nil},
		{"a flow mapping never closed before a block list", "a: 1\nb: {c: «{»\n  d:\n    - x\ne: 2\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"b: {c: {\n  d:\n    - x\n"}, nil},
		{"a flow sequence never closed before a block list", "a: 1\nb: «[»\n  - x\n  c: 1\ne: 2\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"b: [\n  - x\n  c: 1\n"}, nil},
		{"a key's flow sequence never closed over block lines", "a: 1\n«[»x,\n  - y\nc: 2\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"[x,\n  - y\n"}, nil},
		{"a quote closed by the next line's quote", "a: 1\nb: «'x»\n  c: 'y'\nd: 2\n",
			[]string{"this quoted string is never closed (a ' opens it"}, []string{"b: 'x\n  c: 'y'\n"}, nil},
		{"a quote after a quoted key closed by the next line's quote", "a: 1\n'b': «'x»\n  c: 'y'\nd: 2\n",
			[]string{"this quoted string is never closed (a ' opens it"}, []string{"'b': 'x\n  c: 'y'\n"}, nil},
		{"a key's quote closed by the next line's quote", "a: 1\n«'x»\n  y': z: w\nc: 2\n",
			[]string{"this quoted string is never closed (a ' opens it"}, []string{"'x\n  y': z: w\n"}, nil},
		{"a key without ':' above a key line", "a:\n  - n: x\n  «k»\n    d: y\nb: 1\n",
			[]string{"could not find expected ':' (this key has no ':' yet)"}, []string{"a:\n  - n: x\n  k\n    d: y\n"}, nil},
		{"a key without ':' above a key line, CRLF", "a:\r\n  - n: x\r\n  «k»\r\n    d: y\r\nb: 1\r\n",
			[]string{"could not find expected ':' (this key has no ':' yet)"}, []string{"a:\r\n  - n: x\r\n  k\r\n    d: y\r\n"}, nil},
		{"a key indented under a list item's scalar", "a:\n  - x\n    b«:» 1\nc: 2\n",
			[]string{"mapping values are not allowed in this context"}, []string{"a:\n  - x\n    b: 1\n"}, nil},
		{"a second ': ' on the line", "a: 1\nb: x«:» y\nc: 2\n",
			[]string{"mapping values are not allowed in this context"}, []string{"b: x: y\n"}, nil},
		{"text after a quoted value", "a: 1\nb: 'x' «y»\nc: 2\n",
			[]string{"did not find expected key"}, []string{"b: 'x' y\n"}, []string{"b: 'x' y"}},
		{"text after a quoted value, nested", "a:\n  b: 1\n  c: 'x' «y»\n  d: 2\ne: 1\n",
			[]string{"did not find expected key"}, []string{"  c: 'x' y\n"}, []string{"  c: 'x' y"}},
		{"a list item followed by a key", "a:\n  b: 1\n  c:\n    - x\n    «y:» 1\n  d: 2\ne: 1\n",
			[]string{"did not find expected '-' indicator"}, []string{"  c:\n    - x\n    y: 1\n"}, []string{"    - x"}},
		{"a key indented under a scalar value", "a: 1\nb: x\n  y«:» z\nc: 2\n",
			[]string{"this line is indented deeper than \"b: x\" above it"}, []string{"b: x\n  y: z\n"}, nil},
		{"a quote in a comment opens nothing", "a: 1\nb: x # 'q\nc: 2\n", nil, nil, nil},
		{"a broken first entry after blank and comment lines", "a:\n  \n  # c\n  b: «[»1\n  x: 1\nc: 2\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"  b: [1\n"}, nil},
		// YAML: a quoted string or a flow collection that goes on at its
		// key's column (yaml.v3 accepts it, YAML does not): that line
		// starts the next entry.
		{"a quoted string going on at its key's column", "a: «'x»\nb: y'\nc: 1\n",
			[]string{"this quoted string is never closed"}, []string{"a: 'x\n"}, nil},
		{"a nested quoted string going on at its key's column", "a:\n  b: «\"x»\n  «c\"»\nd: 1\n",
			[]string{"this quoted string is never closed", "could not find expected ':'"}, []string{"  b: \"x\n", "  c\"\n"}, nil},
		{"a flow sequence going on at its key's column", "a: «[»1,\n«b]»\nc: 1\n",
			[]string{"this [ is never closed", "could not find expected ':'"}, []string{"a: [1,\n", "b]\n"}, nil},
		{"a flow sequence in a flow mapping going on at its key's column", "a:\n  b: {c: «[»1,\n  «2]}»\nd: 1\n",
			[]string{"this [ is never closed", "could not find expected ':'"}, []string{"  b: {c: [1,\n", "  2]}\n"}, nil},
		{"a quoted string going on at its key's column, CRLF", "a:\n  b: «'x»\r\n  «y'»\r\nc: 1\r\n",
			[]string{"this quoted string is never closed", "could not find expected ':'"}, []string{"  b: 'x\r\n", "  y'\r\n"}, nil},
		{"a quoted string going on at its key's column, CR line breaks", "a:\r  b: «'x»\r  «y'»\rc: 1\r",
			[]string{"this quoted string is never closed", "could not find expected ':'"}, []string{"  b: 'x\r", "  y'\r"}, nil},
		{"a flow sequence closed at its key's column", "a: [1,\n]\nb: 1\n", nil, nil, nil},
		{"a quoted string in a list item's mapping going on deeper than its key", "a:\n  - b: 'x\n      y'\nc: 1\n", nil, nil, nil},
		{"a quoted string going on deeper, at the end of a text without a line break", "a: 1\nb: 'x\n  y'", nil, nil, nil},
		{"a quoted string going on deeper than its key", "a: 'x\n  y'\nb: 1\n", nil, nil, nil},
		{"a quoted list item going on deeper than the list's key", "a:\n  - 'x\n  y'\nb: 1\n", nil, nil, nil},
		{"a quoted string going on after a blank line, with a #", "a: 'x\n\n  # c\n  y'\nb: 1\n", nil, nil, nil},
		// YAML: lines indented between a mapping's keys and its parent's.
		{"a stray line", "a:\n  b: 1\n «c:» 2\nd: 3\n",
			[]string{"this line is indented less than the keys of its mapping (column 3)"}, []string{" c: 2\n"}, nil},
		{"a stray line after a blank one", "a:\n  b: 1\n \n «c:» 2\nd: 3\n",
			[]string{"this line is indented less than the keys of its mapping (column 3)"}, []string{" c: 2\n"}, nil},
		// JSON: the key.
		{"JSON: a key without its ':'", "{\n  «\"a\"» 1,\n  \"b\": 2\n}\n",
			[]string{"could not find expected ':' after this key"}, []string{"  \"a\" 1,\n"}, nil},
		{"JSON: a broken first member after a blank line of a tab", "{\n\t\n  \"a\": «[»1,\n  \"b\": 2\n}\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"  \"a\": [1,\n"}, nil},
		{"JSON: a key without its ':', blanks after it", "{\n  \"a\": 1,\n  «\"b\"»   \n}\n",
			[]string{"could not find expected ':' after this key"}, []string{"  \"b\"   \n"}, nil},
		{"JSON: a key without its ':' at the end of the text", "«{»\n  \"a\": 1,\n  «\"b\"»   ",
			[]string{"this { is never closed", "could not find expected ':' after this key"}, []string{"  \"b\"   "}, nil},
		{"JSON: a ':' followed by the object's '}'", "«{»\n  \"a\": 1,\n  \"b\"«:»}\n",
			[]string{"this { is never closed", "a value must follow this ':'"}, []string{"  \"b\":}\n"}, nil},
		{"JSON: a key never closed", "{\n  «\"a:» 1,\n  \"b\": 2\n}\n",
			[]string{"this quoted string is never closed"}, []string{"  \"a: 1,\n"}, nil},
		{"JSON: a ':' without a value", "{\n  \"a\"«:» ,\n  \"b\": 2\n}\n",
			[]string{"a value must follow this ':'"}, []string{"  \"a\": ,\n"}, nil},
		// JSON: the value.
		{"JSON: an array never closed", "{\n  \"a\": «[»1, 2,\n  \"b\": 2\n}\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"  \"a\": [1, 2,\n"}, nil},
		{"JSON: an object never closed", "{\n  \"a\": «{»\"x\": 1,\n  \"b\": 2\n}\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"  \"a\": {\"x\": 1,\n"}, nil},
		{"JSON: two values", "{\n  \"a\": 1,\n  \"b\": \"x«\"» \"y\",\n  \"d\": 2\n}\n",
			[]string{"missing ',' after this value"}, []string{"  \"b\": \"x\" \"y\",\n"}, nil},
		{"JSON: two items without ','", "{\n  \"a\": [{\"x\": 1«}» {\"y\": 2}],\n  \"b\": 2\n}\n",
			[]string{"missing ',' after this value (the next item follows)"}, []string{"  \"a\": [{\"x\": 1} {\"y\": 2}],\n"}, nil},
		{"JSON: two items without ',' over lines", "{\n  \"a\": [\n    {\"x\": 1«}»\n    {\"y\": 2}\n  ],\n  \"b\": 2\n}\n",
			[]string{"missing ',' after this value (the next item follows)"}, []string{"  \"a\": [\n    {\"x\": 1}\n    {\"y\": 2}\n  ],\n"}, nil},
		{"JSON: a comment", "{\n  \"a\": [1, 2] «// why»\n  ,\"b\": 2\n}\n",
			[]string{"JSON has no comments"}, []string{"  \"a\": [1, 2] // why\n  ,\"b\": 2\n"}, nil},
		{"JSON: an inline object left open on its line", "{\n  \"a\": {\n    \"x\": «{»\"y\": 1,\n    \"z\": 2\n  },\n  \"b\": 2\n}\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"    \"x\": {\"y\": 1,\n"}, nil},
		{"JSON: an inline object left open on its line, then the array closed by a ']'", "{\n  \"a\": [\n    «{»\"x\": 1,\n    {\n      \"y\": 1\n  ],\n  \"b\": 2\n}\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"  \"a\": [\n    {\"x\": 1,\n    {\n      \"y\": 1\n  ],\n"}, nil},
		{"JSON: blank lines before the root's '{'", "\n  \n{\n  \"a\": «[»1,\n  \"b\": 2\n}\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"  \"a\": [1,\n"}, nil},
		{"JSON: a string never closed", "{\n  \"a\": «\"x,»\n  \"b\": 2\n}\n",
			[]string{"this quoted string is never closed"}, []string{"  \"a\": \"x,\n"}, nil},
		{"JSON: an array closed by a '}'", "{\n  \"a\": [«{»\"x\": 1]\n  ,\"b\": 2\n}\n",
			[]string{"this { is never closed (a } closes it)"}, []string{"  \"a\": [{\"x\": 1]\n  ,\"b\": 2\n"}, nil},
		{"JSON: an array closed twice", "{\n  \"a\": [1, [2]]«]»,\n  \"b\": 2\n}\n",
			[]string{"this ] closes nothing"}, []string{"  \"a\": [1, [2]]],\n"}, nil},
		{"JSON: an object closed twice", "{\n  \"a\": {\"x\": \"]}\"}«}»,\n  \"b\": 2\n}\n",
			[]string{"this } closes nothing"}, []string{"  \"a\": {\"x\": \"]}\"}},\n"}, nil},
		{"JSON: a nested member broken", "{\n  \"a\": {\n    \"x\": «[»1\n  },\n  \"b\": 2\n}\n",
			[]string{"this [ is never closed (a ] closes it)"}, []string{"    \"x\": [1\n"}, nil},
		{"JSON: a member under nine objects is broken with its parent (members are split eight objects deep at most)", nestedJSON(9, "«[»1,\n", "\"g\": 2\n"),
			[]string{"this [ is never closed"}, []string{nestedJSONMember(9, "[1,\n", "\"g\": 2\n")}, nil},
		{"JSON: a member under eight objects is broken alone", nestedJSON(8, "«[»1,\n", "\"g\": 2\n"),
			[]string{"this [ is never closed"}, []string{strings.Repeat("  ", 9) + "\"f\": [1,\n"}, nil},
		// JSON: the ','s, and what only YAML accepts.
		{"JSON: a missing ','", "{\n  \"a\": «1»\n  \"b\": 2\n}\n",
			[]string{"missing ',' after this value (the next member follows)"}, nil, nil},
		{"JSON: a missing ',' in a nested object", "{\n  \"a\": {\n    \"x\": «1»\n    \"y\": 2\n  },\n  \"b\": 2\n}\n",
			[]string{"missing ',' after this value"}, nil, nil},
		{"JSON: a ',' after the last member", "{\n  \"a\": 1,\n  \"b\": 2«,»\n}\n",
			[]string{"a ',' after the last member"}, nil, nil},
		{"JSON: a ',' after a nested object's last member", "{\n  \"a\": {\n    \"x\": 1«,»\n  },\n  \"b\": 2\n}\n",
			[]string{"a ',' after the last member"}, nil, nil},
		{"JSON: a ',' after the last item", "{\n  \"a\": [1, 2«,»],\n  \"b\": 2\n}\n",
			[]string{"a ',' after the last item"}, nil, nil},
		{"JSON: two ','s after a member", "{\n  \"a\": 1,«,»\n  \"b\": 2\n}\n",
			[]string{"not valid JSON: one ',' too many"}, nil, nil},
		{"JSON: two ','s after a nested member", "{\n  \"a\": {\n    \"x\": 1, «,»\n    \"y\": 2\n  },\n  \"b\": 2\n}\n",
			[]string{"not valid JSON: one ',' too many"}, nil, nil},
		{"JSON: two ','s at the end of a text whose root is never closed", "«{»\n  \"a\": 1,«,»",
			[]string{"this { is never closed", "not valid JSON: one ',' too many"}, nil, nil},
		{"JSON: what only YAML accepts under nine objects: one diagnostic for the member eight objects deep (the notes go as deep as the parse splits)", nestedJSON(9, "«'x',»\n", "\"g\": 'y'\n"),
			[]string{"not valid JSON: invalid character '\\'' looking for beginning of value"}, nil, nil},
		{"JSON: what only YAML accepts eight objects deep: one diagnostic per member", nestedJSON(8, "«'x',»\n", "\"g\": «'y'»\n"),
			[]string{"not valid JSON: invalid character '\\'' looking for beginning of value", "not valid JSON: invalid character '\\'' looking for beginning of value"}, nil, nil},
		{"JSON: a ',' after the last member of an object under nine objects", nestedJSON(9, "1,\n", "\"g\": 2«,»\n"),
			[]string{"not valid JSON: a ',' after the last member"}, nil, nil},
		{"JSON: a second ':' in a member (yaml's message where it stops)", "{\n  \"a\": \"b\"«:» 1,\n  \"c\": 2\n}\n",
			[]string{"did not find expected ',' or '}'"}, []string{"  \"a\": \"b\": 1,\n"}, []string{"  \"a\": \"b\": 1,"}},
		{"JSON: single quotes", "{\n  \"a\": «'x',»\n  \"b\": 2\n}\n",
			[]string{"not valid JSON: invalid character '\\'' looking for beginning of value"}, nil, nil},
		{"JSON: text after the document", "{\n  \"a\": 1,\n  \"b\": 2\n}\n«x»\n",
			[]string{"text after the end of the JSON document"}, nil, nil},
		// JSON: a document cut short.
		{"JSON: the root never closed", "«{»\n  \"a\": 1,\n  \"b\": «2»\n",
			[]string{"this { is never closed", "missing ',' after this value"}, nil, nil},
		{"JSON: the root never closed, the text ending in blanks", "«{»\n  \"a\": 1,\n  \"b\": «2»\n ",
			[]string{"this { is never closed", "missing ',' after this value"}, nil, nil},
		{"JSON: the last member's value not typed yet", "«{»\n  \"a\": 1,\n  \"b\"«:»\n",
			[]string{"this { is never closed", "a value must follow this ':'"}, []string{"  \"b\":\n"}, nil},
		{"JSON: the last member's value not typed yet, at the end of the text", "«{»\n  \"a\": 1,\n  \"b\"«:»   ",
			[]string{"this { is never closed", "a value must follow this ':'"}, []string{"  \"b\":   "}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, marks := unmark(t, c.doc)
			if len(marks) != len(c.msgs) {
				t.Fatalf("%d marks for %d messages", len(marks), len(c.msgs))
			}
			tree := syntax.ParseTree([]byte(text))
			if !tree.ParsedByRegion() {
				t.Errorf("not parsed region by region")
			}
			var got, want []string
			for _, d := range tree.Diagnostics {
				got = append(got, fmt.Sprintf("%q %s", text[d.Range.Start:d.Range.End], d.Message))
			}
			for i, m := range marks {
				want = append(want, fmt.Sprintf("%q %s", text[m.Start:m.End], c.msgs[i]))
			}
			ok := len(got) == len(want)
			for i := 0; ok && i < len(got); i++ {
				d := tree.Diagnostics[i]
				ok = d.Range == marks[i] && strings.Contains(d.Message, c.msgs[i])
			}
			if !ok {
				t.Errorf("diagnostics\n got  %q\n want %q", got, want)
			}
			var regions []string
			for _, r := range tree.BrokenRegions() {
				regions = append(regions, text[r.Start:r.End])
			}
			if fmt.Sprint(regions) != fmt.Sprint(c.regions) {
				t.Errorf("broken regions %q, want %q", regions, c.regions)
			}
			var related []string
			for _, d := range tree.Diagnostics {
				for _, r := range d.Related {
					related = append(related, text[r.Range.Start:r.Range.End])
				}
			}
			if fmt.Sprint(related) != fmt.Sprint(c.related) {
				t.Errorf("related places %q, want %q", related, c.related)
			}
		})
	}
}

// TestBrokenValueRange pins the range (marked «») of the broken value an
// entry that does not parse gets: from the first token after its colon
// (on the next line when nothing follows the colon) to the end of its
// region's last non-blank text; empty at the end of the colon's line when
// the value is not typed yet.
func TestBrokenValueRange(t *testing.T) {
	cases := []struct{ doc, key string }{
		{"a:\n  b: «'x»\nc: 1\n", "b"},
		{"a:\n  b: «[1, 2»\nc: 1\n", "b"},
		{"a:\n  b:\n    «- 'x\n    - y»\nc: 1\n", "b"},
		{"a:\n  b:   «{x: 1»   \n\nc: 1\n", "b"},
		{"b: «\"x»\ny: 1\n", "b"},
		{"a: 1\nb: «'x»", "b"},
		{"{\n  \"a\": «[1,\n    2»\n  \"b\": 2\n}\n", "a"},
		{"{\n  \"a\": «{\n    \"x\n  },»\n  \"b\": 2\n}\n", "a"},
		{"{\n  \"a\": 1,\n  \"b\":«»\n", "b"},
		{"{\n  \"a\": 1,\n  \"b\":  «»\n  ", "b"},
		{"{\n  \"a\": 1,\n  \"b\":   «»", "b"},
	}
	for _, c := range cases {
		text, marks := unmark(t, c.doc)
		tr := syntax.ParseTree([]byte(text))
		var found *syntax.Node
		var walk func(n *syntax.Node)
		walk = func(n *syntax.Node) {
			if n == nil {
				return
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Kind == syntax.MappingNode && n.Content[i].Value == c.key && n.Content[i+1].Broken() {
					found = n.Content[i+1]
				}
			}
			for _, ch := range n.Content {
				walk(ch)
			}
		}
		walk(tr.Root())
		if found == nil {
			t.Errorf("%q: no broken value for %s", text, c.key)
			continue
		}
		if r := found.Range(); r != marks[0] {
			t.Errorf("%q: broken value of %s covers %v %q, want %v %q", text, c.key, r, text[r.Start:r.End], marks[0], text[marks[0].Start:marks[0].End])
		}
	}
}

// TestExplains pins which diagnostics of the checks a syntax error
// explains (and so hides): those that start inside a region the error
// broke, and those on the key of an entry that holds such a region (a
// field the broken line was meant to give); not those on entries that end
// before the error, after it, on values, or on list items.
func TestExplains(t *testing.T) {
	doc := "info:\n  title: x\n# a comment\n\n  version: [1\n  contact:\n    name: n\nservers:\n  - s\n"
	tree := syntax.ParseTree([]byte(doc))
	if got := tree.BrokenRegions(); len(got) != 1 || doc[got[0].Start:got[0].End] != "  version: [1\n" {
		t.Fatalf("broken regions %v, want the version line's", got)
	}
	for _, c := range []struct {
		at   string // the first occurrence in doc
		want bool
	}{
		{"info", true},    // its entry holds the broken region
		{"title", false},  // its entry ends before the region
		{"x\n", false},    // a value, not a key
		{"version", true}, // inside the region
		{"[1", true},
		{"contact", false}, // after the region
		{"name", false},
		{"servers", false},
		{"- s", false}, // a list item
		{"s\n", false},
	} {
		at := strings.Index(doc, c.at)
		if got := tree.Explains(at); got != c.want {
			t.Errorf("Explains(%d: %q) = %v, want %v", at, c.at, got, c.want)
		}
	}
	nested := syntax.ParseTree([]byte("a:\n  b:\n    c: [1\n  d: 2\n"))
	for at, want := range map[int]bool{0: true, 5: true, 14: true, 18: false} { // a, b (nested keys above the error), c, d
		if got := nested.Explains(at); got != want {
			t.Errorf("Explains(%d) = %v, want %v in %q", at, got, want, nested.Text)
		}
	}
	root := syntax.ParseTree([]byte("a: 1\nb: [1\nc: 2\n"))
	for at, want := range map[int]bool{0: false, 5: true, 8: true, 10: true, 11: false} { // a, b, [, the line end, c
		if got := root.Explains(at); got != want {
			t.Errorf("Explains(%d) = %v, want %v in %q", at, got, want, root.Text)
		}
	}
	if tree.Explains(len(doc)) {
		t.Errorf("Explains(the end of the text) = true")
	}
	if valid := syntax.ParseTree([]byte("a: 1\n")); valid.Explains(0) || valid.HasBrokenRegions() {
		t.Errorf("a valid text explains a diagnostic")
	}
	var none *syntax.Tree
	if none.Explains(0) || none.HasBrokenRegions() || none.BrokenRegions() != nil {
		t.Errorf("a nil tree explains a diagnostic")
	}
}

// TestEntryHolds pins which offsets the block entry whose key starts at
// key holds: its key line from the key on, and the lines below it down to
// the first one indented no deeper than the key (blank and comment lines
// aside); nothing when key is not the first token of its line, is a list
// item's dash, or is not in the text.
func TestEntryHolds(t *testing.T) {
	for _, c := range []struct {
		text, key, at string // key and at: the first occurrence in text ("" for its end)
		want          bool
	}{
		{"a:\n  b: 1\nc: 2\n", "a", "a", true},
		{"a:\n  b: 1\nc: 2\n", "a", ":", true},
		{"a:\n  b: 1\nc: 2\n", "a", "  b", true},
		{"a:\n  b: 1\nc: 2\n", "a", "1\n", true},
		{"a:\n  b: 1\nc: 2\n", "a", "c", false}, // the next key's line
		{"a:\n  b: 1\nc: 2\n", "b", "a", false}, // before the key
		{"a:\n  b: 1\nc: 2\n", "b", "c", false},
		{"a:\n# c\n\n  b: 1\n", "a", "b", true}, // a comment at column 0 does not end it
		{"a:\n\tb\n", "a", "b", true},           // nor does a tab (an error of its own)
		{"a:\n   ", "a", "", true},              // blanks up to the end of the text
		{"a:\n  b", "a", "", true},              // the text ends inside the entry
		{"a:\nb", "a", "", false},
		{"\ufeffa:\n  b: 1\n", "a", "b", true}, // after a BOM
		{"x: a\n  b: 1\n", "a", "b", false},    // a value, not a key
		{"- a:\n    b: 1\n", "-", "b", false},  // a list item
		{"a: 1\n", "", "", false},              // no key at the end of the text
	} {
		off := func(s string) int {
			if s == "" {
				return len(c.text)
			}
			return strings.Index(c.text, s)
		}
		if got := syntax.EntryHolds([]byte(c.text), off(c.key), off(c.at)); got != c.want {
			t.Errorf("EntryHolds(%q, key %q, at %q) = %v, want %v", c.text, c.key, c.at, got, c.want)
		}
	}
}

// TestSameKey: two keys are the same when they are the same scalar:
// kind, value and tag (`1` and '1' are not).
func TestSameKey(t *testing.T) {
	root := syntax.ParseTree([]byte("a: 1\nb: 2\n1: 3\n'1': 4\n")).Root()
	keys := map[string]*syntax.Node{}
	for i := 0; i < len(root.Content); i += 2 {
		keys[fmt.Sprint(i/2)] = root.Content[i]
	}
	again := syntax.ParseTree([]byte("x: 0\na: 5\n")).Root().Content[2]
	for _, c := range []struct {
		a, b *syntax.Node
		want bool
	}{
		{keys["0"], again, true},
		{keys["0"], keys["0"], true},
		{keys["0"], keys["1"], false},
		{keys["2"], keys["3"], false},
	} {
		if got := syntax.SameKey(c.a, c.b); got != c.want {
			t.Errorf("SameKey(%q %s, %q %s) = %v, want %v", c.a.Value, c.a.Tag(), c.b.Value, c.b.Tag(), got, c.want)
		}
	}
}

// nestedJSON is a pretty-printed JSON document whose members "f" (with the
// value f) and "g" (the member g) lie depth objects below the root's.
func nestedJSON(depth int, f, g string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i := range depth {
		fmt.Fprintf(&b, "%s\"k%d\": {\n", strings.Repeat("  ", i+1), i)
	}
	ind := strings.Repeat("  ", depth+1)
	b.WriteString(ind + "\"f\": " + f + ind + g)
	for i := depth; i > 0; i-- {
		b.WriteString(strings.Repeat("  ", i) + "}\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// nestedJSONMember is the text of the deepest object's member (its key
// line to its '}' line) in nestedJSON.
func nestedJSONMember(depth int, f, g string) string {
	ind := strings.Repeat("  ", depth)
	return ind + fmt.Sprintf("\"k%d\": {\n", depth-1) + ind + "  \"f\": " + f + ind + "  " + g + ind + "}\n"
}
