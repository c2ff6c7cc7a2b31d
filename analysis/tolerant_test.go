package analysis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

const placeV3 = `asyncapi: 3.0.0
info:
  title: T
  version: '1'
servers:
  s:
    host: h
    protocol: wss
    security: [{$ref: '#/components/securitySchemes/k'}]
channels:
  c:
    address: a
operations:
  o:
    action: send
    channel:
      $ref: '#/channels/c'
    description: the operation
components:
  securitySchemes:
    k:
      type: httpApiKey
      name: X-Key
      in: header
`

const placeV2 = `asyncapi: 2.6.0
info:
  title: T
  version: '1'
servers:
  s:
    url: u
    protocol: wss
    security: [{k: []}]
channels:
  c:
    publish:
      operationId: o
      description: the operation
components:
  securitySchemes:
    k:
      type: httpApiKey
      name: X-Key
      in: header
`

// placeJSON is pretty-printed, as editors write it.
const placeJSON = `{
  "asyncapi": "3.0.0",
  "info": {
    "title": "T",
    "version": "1"
  },
  "channels": {
    "c": {
      "address": "a"
    }
  },
  "operations": {
    "o": {
      "action": "send",
      "channel": {"$ref": "#/channels/c"},
      "description": "the operation"
    }
  }
}
`

const placeJSONv2 = `{
  "asyncapi": "2.6.0",
  "info": {
    "title": "T",
    "version": "1"
  },
  "channels": {
    "c": {
      "publish": {
        "operationId": "o",
        "description": "d"
      }
    }
  }
}
`

// lastLine makes replaceLine replace the last line.
const lastLine = "\x00last line"

// replaceLine returns doc with the first line that contains old replaced
// by new (the whole line).
func replaceLine(t *testing.T, doc, old, new string) string {
	t.Helper()
	if old == lastLine {
		body := strings.TrimSuffix(doc, "\n")
		return body[:strings.LastIndexByte(body, '\n')+1] + new + "\n"
	}
	i := strings.Index(doc, old)
	if i < 0 {
		t.Fatalf("%q not in the document", old)
	}
	s := strings.LastIndexByte(doc[:i], '\n') + 1
	e := i + strings.IndexByte(doc[i:], '\n')
	return doc[:s] + new + doc[e:]
}

// TestErrorPlacement: one diagnostic per error, where the user is typing,
// and the rest of the document keeps its tree (the keys in survives, and
// no diagnostic other than the syntax error).
func TestErrorPlacement(t *testing.T) {
	cases := []struct {
		name, base, line, with string
		want                   diagAt
		survives               []string // paths (dot-separated) that must still be in the tree
	}{
		// YAML 3.x
		{"v3 unclosed ' in block", placeV3, "$ref: '#/channels/c'", "      $ref: '#/chan",
			diagAt{"yaml-syntax", 17, 13, "'#/chan"}, []string{"operations.o.description", "components.securitySchemes.k"}},
		{"v3 unclosed ' with nothing typed", placeV3, "$ref: '#/channels/c'", "      $ref: '",
			diagAt{"yaml-syntax", 17, 13, "'"}, []string{"operations.o.description", "components"}},
		{"v3 unclosed \" in block", placeV3, "title: T", "  title: \"T",
			diagAt{"yaml-syntax", 3, 10, `"T`}, []string{"info.version", "servers.s"}},
		{"v3 unclosed ' in flow", placeV3, "host: h", "    host: {a: 'x, b: c}",
			diagAt{"yaml-syntax", 7, 15, "'x,"}, []string{"servers.s.protocol", "channels.c"}},
		{"v3 unclosed \" in flow", placeV3, "address: a", "    address: [\"a, b]",
			diagAt{"yaml-syntax", 12, 15, `"a,`}, []string{"channels", "operations.o.action"}},
		{"v3 unclosed [", placeV3, "address: a", "    address: [a, b",
			diagAt{"yaml-syntax", 12, 14, "["}, []string{"operations.o.channel"}},
		{"v3 unclosed {", placeV3, "host: h", "    host: {a: 1, b: {c: 2}",
			diagAt{"yaml-syntax", 7, 11, "{"}, []string{"servers.s.protocol"}},
		{"v3 key without colon", placeV3, "action: send", "    action",
			diagAt{"yaml-syntax", 15, 5, "action"}, []string{"operations.o.channel", "operations.o.description"}},
		{"v3 key without colon, value typed", placeV3, "action: send", "    action send",
			diagAt{"yaml-syntax", 15, 5, "action"}, []string{"operations.o.channel"}},
		{"v3 tab in indentation", placeV3, "action: send", "\taction: send",
			diagAt{"yaml-syntax", 15, 1, ""}, []string{"operations.o.description", "components"}},
		{"v3 trailing garbage after }", placeV3, "host: h", "    host: {a: 1} x",
			diagAt{"yaml-syntax", 7, 18, "x"}, []string{"servers.s.protocol"}},
		{"v3 line indented less than its siblings", placeV3, "protocol: ws", "   protocol: ws",
			diagAt{"yaml-syntax", 8, 4, "protocol:"}, []string{"servers.s.host", "channels"}},
		{"v3 unclosed { closed by a ]", placeV3, "address: a", "    address: [a, {b: 1]",
			diagAt{"yaml-syntax", 12, 18, "{"}, []string{"operations.o.channel"}},
		// YAML 2.x
		{"v2 unclosed ' in block", placeV2, "operationId: o", "      operationId: 'o",
			diagAt{"yaml-syntax", 13, 20, "'o"}, []string{"channels.c.publish.description", "components"}},
		{"v2 unclosed [", placeV2, "url: u", "    url: [u",
			diagAt{"yaml-syntax", 7, 10, "["}, []string{"servers.s.protocol", "channels"}},
		{"v2 key without colon", placeV2, "name: X-Key", "      name",
			diagAt{"yaml-syntax", 19, 7, "name"}, []string{"components.securitySchemes.k.in"}},
		{"v2 unclosed { in flow", placeV2, "protocol: ws", "    protocol: {a: [1, 2]",
			diagAt{"yaml-syntax", 8, 15, "{"}, []string{"servers.s.url", "channels.c"}},
		// JSON, pretty-printed
		{"json missing comma", placeJSON, `"action": "send",`, `      "action": "send"`,
			diagAt{"yaml-syntax", 14, 22, `"`}, []string{"operations.o.action", "operations.o.channel"}},
		{"json unclosed string", placeJSON, `"description": "the operation"`, `      "description": "the oper`,
			diagAt{"yaml-syntax", 16, 22, `"the`}, []string{"operations.o.channel", "channels.c"}},
		{"json unclosed [", placeJSON, `"version": "1"`, `    "version": ["1",`,
			diagAt{"yaml-syntax", 5, 16, "["}, []string{"info.title", "channels.c.address"}},
		{"json unclosed {", placeJSON, `"channel": {"$ref"`, `      "channel": {"$ref": "#/channels/c",`,
			diagAt{"yaml-syntax", 15, 18, "{"}, []string{"operations.o.description", "operations.o.action"}},
		{"json unclosed { closed by a ]", placeJSON, `"version": "1"`, `    "version": [{"a": 1]`,
			diagAt{"yaml-syntax", 5, 17, "{"}, []string{"info.title", "channels.c.address"}},
		{"json trailing comma in an object", placeJSON, `"channel": {"$ref"`, `      "channel": {"$ref": "#/channels/c", },`,
			diagAt{"yaml-syntax", 15, 41, ","}, []string{"operations.o.channel", "operations.o.description"}},
		{"json trailing comma in an array, the ] on the next line", placeJSON, `"channel": {"$ref"`, "      \"x-tags\": [\"a\",\n      ],",
			diagAt{"yaml-syntax", 15, 21, ","}, []string{"operations.o.x-tags", "operations.o.description"}},
		{"json key without colon", placeJSON, `"title": "T",`, `    "title" "T",`,
			diagAt{"yaml-syntax", 4, 5, `"title"`}, []string{"info.version", "channels"}},
		{"json trailing garbage after }", placeJSON, lastLine, "} x",
			diagAt{"yaml-syntax", 19, 3, "x"}, []string{"operations.o.action"}},
		{"json v2 missing comma", placeJSONv2, `"title": "T",`, `    "title": "T"`,
			diagAt{"yaml-syntax", 4, 16, `"`}, []string{"info.version", "channels.c.publish"}},
		{"json v2 unclosed string", placeJSONv2, `"operationId": "o",`, `        "operationId": "o`,
			diagAt{"yaml-syntax", 10, 24, `"o`}, []string{"channels.c.publish.description"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := replaceLine(t, c.base, c.line, c.with)
			d := Analyze([]byte(doc))
			got := gotDiags(d)
			if !sameDiags(got, []diagAt{c.want}) {
				t.Errorf("diagnostics\n got %v\nwant [%v]\ndocument:\n%s", got, c.want, doc)
			}
			for _, p := range c.survives {
				if walkPath(d.Root, p) == nil {
					t.Errorf("%s lost", p)
				}
			}
			// The same text reached by an edit gives the same result.
			prev := Analyze([]byte(c.base))
			checkUpdate(t, prev, []syntax.Edit{edittest.TrimEdit(prev.Text, []byte(doc))}, []byte(doc))
		})
	}
}

func walkPath(n *syntax.Node, path string) *syntax.Node {
	for _, k := range strings.Split(path, ".") {
		if n = n.Key(k); n == nil {
			return nil
		}
	}
	return n
}

// TestBrokenTyping types, one character at a time, text that is broken
// between keystrokes (an unclosed quote or bracket, a key before its ':',
// text after a flow mapping's '}') into a generated document: every
// keystroke takes the region path, gives what a full analysis gives, and
// reports at most one diagnostic, a syntax error on the typed line (the
// document has none of its own).
func TestBrokenTyping(t *testing.T) {
	t.Parallel()
	doc := docgen.Generate(docgen.Options{TargetBytes: 60_000, Seed: 3})
	op, ok := docgen.MiddleOperation(doc)
	if !ok || op.DescriptionEnd < 0 {
		t.Fatal("no operation description in the generated document")
	}
	if d := Analyze(doc); len(d.Diagnostics) != 0 {
		t.Fatalf("the generated document has diagnostics: %v", d.Diagnostics)
	}
	cases := []struct {
		name, setup, typed string
		// open is the offset in typed from which a quote or bracket stays
		// open until typed ends (-1: none).
		open int
	}{
		{"unclosed single quote", "", "\n    x-note: 'hello — wörld 😀'", 13},
		{"unclosed double quote", "", "\n    x-note: \"a \\\"b\\\" c\"", 13},
		{"unclosed flow sequence", "", "\n    tags: [{name: a}, {name: b}]", 11},
		{"unclosed flow mapping", "", "\n    bindings: {ws: {method: GET}}", 15},
		{"after a flow mapping's }", "\n    bindings: {ws: {}}", " x", -1},
		{"key before its colon", "", "\n    title: typed later", -1},
		{"security $ref being typed", "\n    x-security:\n      - $ref: '", "#/components/securitySchemes/oauthCorp'", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at := op.DescriptionEnd
			prev := Analyze(doc)
			if c.setup != "" {
				e := syntax.Edit{Start: at, End: at, Text: c.setup}
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				at += len(c.setup)
			}
			lineStart := strings.LastIndexByte(string(prev.Text[:at]), '\n') + 1
			if strings.HasPrefix(c.typed, "\n") {
				lineStart = at + 1
			}
			for i, r := range c.typed {
				s := string(r)
				prev = typeOne(t, prev, at, lineStart, i, s)
				at += len(s)
				if c.open >= 0 && i >= c.open && i < len(c.typed)-1 {
					// Something is open: the error is at an opening quote or
					// bracket (the innermost one), where the user types.
					if len(prev.Diagnostics) != 1 || !strings.ContainsRune(`'"[{`, rune(prev.Text[prev.Diagnostics[0].Range.Start])) {
						t.Fatalf("keystroke %d (%q): want the error at an opening quote or bracket, got %v", i, s, gotDiags(prev))
					}
				}
			}
			if c.open >= 0 && len(prev.Diagnostics) != 0 {
				t.Fatalf("once closed: %v", gotDiags(prev))
			}
		})
	}
}

// prettyJSON converts a generated YAML document to JSON as editors write
// it (two-space indentation).
func prettyJSON(t testing.TB, doc []byte) []byte {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// middleJSONOperation returns the offset of the start of the line of the
// middle operation's "action" member in prettyJSON's output.
func middleJSONOperation(t testing.TB, doc []byte) int {
	t.Helper()
	var at []int
	for p := 0; ; {
		i := bytes.Index(doc[p:], []byte("\n      \"action\": \""))
		if i < 0 {
			break
		}
		at = append(at, p+i+1)
		p += i + 1
	}
	if len(at) == 0 {
		t.Fatal("no operation in the JSON document")
	}
	return at[len(at)/2]
}

// TestBrokenTypingJSON types a member, one character at a time, into an
// operation of a pretty-printed JSON document: an open string, a key
// before its ':', an open array, a value before its ','. Every keystroke
// takes the region path, gives what a full analysis gives, and reports at
// most one diagnostic, on the typed line; none once the member is whole.
func TestBrokenTypingJSON(t *testing.T) {
	t.Parallel()
	doc := prettyJSON(t, docgen.Generate(docgen.Options{TargetBytes: 60_000, Seed: 3}))
	if d := Analyze(doc); len(d.Diagnostics) != 0 || !d.Tree.ParsedByRegion() {
		t.Fatalf("the JSON document: %d diagnostics, parsed by region %v", len(d.Diagnostics), d.Tree.ParsedByRegion())
	}
	for _, typed := range []string{`"x-note": [1, {"a": "b"}],`, `"x-tags": ["é", "😀"],`} {
		at := middleJSONOperation(t, doc)
		prev := Analyze(doc)
		e := syntax.Edit{Start: at, End: at, Text: "      \n"}
		prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		lineStart := at
		at += 6
		for i, r := range typed {
			s := string(r)
			prev = typeOne(t, prev, at, lineStart, i, s)
			at += len(s)
		}
		if len(prev.Diagnostics) != 0 {
			t.Fatalf("once typed: %v", gotDiags(prev))
		}
	}
}

// typeOne types s (keystroke i) at offset at of prev's text: the update
// must take the region path, give what a full analysis gives, and report
// at most one diagnostic, a syntax error on the typed line (which starts
// at lineStart).
func typeOne(t *testing.T, prev *Document, at, lineStart, i int, s string) *Document {
	t.Helper()
	e := syntax.Edit{Start: at, End: at, Text: s}
	d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	at += len(s)
	if d.inc.path != pathRegion {
		t.Fatalf("keystroke %d (%q) took the full path: %s", i, s, d.inc.reason)
	}
	if len(d.Diagnostics) > 1 {
		t.Fatalf("keystroke %d (%q): %d diagnostics, want at most one: %v", i, s, len(d.Diagnostics), gotDiags(d))
	}
	for _, dg := range d.Diagnostics {
		if dg.Code != syntax.CodeYAMLSyntax || dg.Range.Start < lineStart || dg.Range.Start > at {
			t.Fatalf("keystroke %d (%q): diagnostic %v outside the typed line %q", i, s, gotDiags(d), d.Text[lineStart:at])
		}
	}
	return d
}

// TestUnusedSchemeWhileBroken: a scheme that the text of a broken region
// names (its uses there are not in the model until the region parses) is
// not reported unused; near misses that still are: a scheme named only in
// a comment of the broken region, one whose name is part of a longer
// name there, and one the broken region does not name.
func TestUnusedSchemeWhileBroken(t *testing.T) {
	const doc = `asyncapi: 3.0.0
info:
  title: T
  version: '1'
operations:
  o:
    action: send
    channel:
      $ref: '#/channels/c'
    security:
      - $ref: BROKEN
channels:
  c:
    address: a
components:
  securitySchemes:
    key:
      type: httpApiKey
      name: X-Key
      in: header
    keyring:
      type: httpApiKey
      name: X-Ring
      in: header
`
	unused := func(line string) []string {
		d := Analyze([]byte(strings.Replace(doc, "BROKEN", line, 1)))
		if !d.Tree.HasBrokenRegions() {
			t.Fatalf("%s: not broken: %v", line, d.Diagnostics)
		}
		var out []string
		for _, g := range d.Diagnostics {
			if g.Code == CodeUnusedScheme {
				out = append(out, rangeText(d.Text, g.Range))
			}
		}
		return out
	}
	for line, want := range map[string]string{
		"'#/components/securitySchemes/key":                  "[keyring]",
		"'#/components/securitySchemes/keyring":              "[key]",
		"'#/components/securitySchemes/keyr":                 "[key keyring]",
		"'#/comp # key":                                      "[key keyring]",
		"['#/components/securitySchemes/key', '#/components": "[keyring]",
	} {
		if got := fmt.Sprint(unused(line)); got != want {
			t.Errorf("%s: unused %s, want %s", line, got, want)
		}
	}
}

// TestValueTypedAfterKeyColon: text typed right after a key's colon, with
// no blank (`channels:x`), leaves the key line without a key: the entry is
// one error on the typed line, every keystroke is re-parsed by region (the
// entry is spliced as no entry, as a cold parse has it), and deleting the
// text again restores the document.
func TestValueTypedAfterKeyColon(t *testing.T) {
	t.Parallel()
	doc := docgen.Generate(docgen.Options{TargetBytes: 60_000, Seed: 3})
	for _, key := range []string{"\nchannels:", "\noperations:", "\ncomponents:", "\n  securitySchemes:", "\n    messages:"} {
		t.Run(strings.TrimSpace(key), func(t *testing.T) {
			i := strings.Index(string(doc), key+"\n")
			if i < 0 {
				t.Fatalf("%q not in the generated document", key)
			}
			at, lineStart := i+len(key), i+1
			prev := Analyze(doc)
			for k, s := range []string{"x", "y"} {
				prev = typeOne(t, prev, at, lineStart, k, s)
				at++
				if len(prev.Diagnostics) != 1 {
					t.Fatalf("after %q: want one error on the typed line, got %v", prev.Text[lineStart:at], gotDiags(prev))
				}
			}
			for k := 0; k < 2; k++ {
				e := syntax.Edit{Start: at - 1, End: at}
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				if prev.inc.path != pathRegion {
					t.Fatalf("deleting keystroke %d took the full path: %s", k, prev.inc.reason)
				}
				at--
			}
			if len(prev.Diagnostics) != 0 {
				t.Fatalf("restored: %v", gotDiags(prev))
			}
		})
	}
}
