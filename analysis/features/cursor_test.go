package features

import (
	"reflect"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// textCursorDoc is a document of doc's text without its "|", and the
// offset of the "|" (the cursor); the text is not analyzed (it need not
// parse).
func textCursorDoc(doc string) (*analysis.Document, int) {
	off := strings.Index(doc, "|")
	text := []byte(strings.Replace(doc, "|", "", 1))
	return &analysis.Document{Text: text, Mapper: syntax.NewMapper(text)}, off
}

// TestCursorAt: "|" marks the cursor.
func TestCursorAt(t *testing.T) {
	cases := []struct {
		name, doc   string
		path        []string
		key, prefix string
		inKey, item bool
		flow        bool
		listed      []string
	}{
		{"new v3 security item", "operations:\n  op:\n    security:\n      - |\n", []string{"operations", "op", "security", "-"}, "", "", true, true, false, nil},
		{"compact sequence", "operations:\n  op:\n    security:\n    - |\n", []string{"operations", "op", "security", "-"}, "", "", true, true, false, nil},
		{"ref value", "operations:\n  op:\n    security:\n      - $ref: '#/comp|\n", []string{"operations", "op", "security", "-"}, "$ref", "'#/comp", false, true, false, nil},
		{"second key in item", "servers:\n  s:\n    security:\n      - a: []\n        |\n", []string{"servers", "s", "security", "-"}, "", "", true, false, false, nil},
		{"v2 flow scopes", "servers:\n  s:\n    security:\n      - auth: [read, wr|\n", []string{"servers", "s", "security", "-"}, "auth", "wr", false, true, true, []string{"read"}},
		{"v2 block scopes", "servers:\n  s:\n    security:\n      - auth:\n          - read\n          - |\n", []string{"servers", "s", "security", "-", "auth", "-"}, "", "", true, true, false, nil},
		{"type value", "components:\n  securitySchemes:\n    x:\n      type: oa|\n", []string{"components", "securitySchemes", "x"}, "type", "oa", false, false, false, nil},
		{"after sibling children", "components:\n  securitySchemes:\n    x:\n      flows:\n        implicit:\n          a: b\n      scopes:\n        - |\n", []string{"components", "securitySchemes", "x", "scopes", "-"}, "", "", true, true, false, nil},
		{"root", "asyncapi: 3.0.0\nse|\n", nil, "", "se", true, false, false, nil},
		// flow collections on the cursor's line
		{"flow security list", "operations:\n  op:\n    security: [|\n", []string{"operations", "op"}, "security", "", false, false, true, nil},
		{"flow list after a flow mapping item", "operations:\n  op:\n    security: [{$ref: '#/a'}, {$ref: 'b, c'}, |\n", []string{"operations", "op"}, "security", "", false, false, true, nil},
		{"flow mapping key", "operations:\n  op:\n    security: [{$r|\n", []string{"operations", "op", "security", "-"}, "", "$r", true, false, false, nil},
		{"flow mapping $ref value", "operations:\n  op:\n    security: [{$ref: \"#/comp|\n", []string{"operations", "op", "security", "-"}, "$ref", "\"#/comp", false, false, false, nil},
		{"flow mapping in a block item", "operations:\n  op:\n    security:\n      - {$ref: '#/comp|'}\n", []string{"operations", "op", "security", "-"}, "$ref", "'#/comp", false, false, false, nil},
		{"flow scopes in a flow mapping", "operations:\n  op:\n    security:\n      - {type: oauth2, scopes: ['a:b', |\n", []string{"operations", "op", "security", "-"}, "scopes", "", false, false, true, []string{"a:b"}},
		{"v2 flow requirement scopes", "servers:\n  s:\n    security: [{auth: [read, wr|\n", []string{"servers", "s", "security", "-"}, "auth", "wr", false, false, true, []string{"read"}},
		{"closed flow list", "servers:\n  s:\n    security: [{auth: []}] |\n", []string{"servers", "s"}, "security", "[{auth: []}] ", false, false, false, nil},
		{"comment after a flow list", "servers:\n  s:\n    security: [a, # b|\n", []string{"servers", "s"}, "security", "[a, # b", false, false, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, off := textCursorDoc(tc.doc)
			c := cursorAt(d, off)
			if !reflect.DeepEqual(c.path, tc.path) || c.key != tc.key || c.prefix != tc.prefix || c.inKey != tc.inKey || c.item != tc.item || c.flow != tc.flow || !reflect.DeepEqual(c.listed, tc.listed) {
				t.Errorf("got path=%q key=%q prefix=%q inKey=%v item=%v flow=%v listed=%q", c.path, c.key, c.prefix, c.inKey, c.item, c.flow, c.listed)
			}
		})
	}
}

// TestFlowMappingSiblings: the members of a flow mapping typed before the
// cursor are its siblings (keys already there are not proposed again).
func TestFlowMappingSiblings(t *testing.T) {
	d, off := textCursorDoc("operations:\n  op:\n    security:\n      - {type: 'oauth2', 'scopes': [], |}\n")
	c := cursorAt(d, off)
	if !c.flowMap || !c.inKey || c.siblings["type"] != "oauth2" || !c.hasSibling("scopes") || len(c.siblings) != 2 {
		t.Errorf("flowMap=%v inKey=%v siblings=%v", c.flowMap, c.inKey, c.siblings)
	}
}

// TestJSONCursorAt: "|" marks the cursor in a JSON text that need not
// parse.
func TestJSONCursorAt(t *testing.T) {
	cases := []struct {
		name, doc   string
		path        []string
		key, prefix string
		inKey, item bool
		listed      []string
		siblings    map[string]string
		prev, next  byte
	}{
		{"new item after a comma", `{"operations": {"op": {"security": [{"$ref": "#/a"}, |]}}}`, []string{"operations", "op", "security", "-"}, "", "", true, true, nil, nil, ',', ']'},
		{"half-typed member without comma", "{\"operations\": {\"op\": {\"security\": [\n  {\"$ref\": \"#/a\"}\n  {\"$ref\": \"#/comp|\n]}}}", []string{"operations", "op", "security", "-"}, "$ref", `"#/comp`, false, false, nil, nil, ':', ']'},
		{"key in an object, keys around", `{"components": {"securitySchemes": {"k": {"type": "httpApiKey", "i|", "name": "X"}}}}`, []string{"components", "securitySchemes", "k"}, "", `"i`, true, false, nil, map[string]string{"type": "httpApiKey", "name": "X"}, ',', ','},
		{"value with an auto-closed quote", `{"components": {"securitySchemes": {"k": {"type": "oa|"}}}}`, []string{"components", "securitySchemes", "k"}, "type", `"oa`, false, false, nil, nil, ':', '}'},
		{"scopes listed around", `{"s": {"scopes": ["a", "|", "b"]}}`, []string{"s", "scopes", "-"}, "", `"`, true, true, []string{"a", "b"}, nil, ',', ','},
		{"escaped quote in a string", `{"d": "a \"quoted\" [word", "x": {|}}`, []string{"x"}, "", "", true, false, nil, nil, '{', '}'},
		{"nested lists skipped", `{"a": [[1, 2], {"k": [3]}], "b": [|`, []string{"b", "-"}, "", "", true, true, nil, nil, '[', 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, off := textCursorDoc(tc.doc)
			c := jsonCursorAt(d, off)
			if !reflect.DeepEqual(c.path, tc.path) || c.key != tc.key || c.prefix != tc.prefix || c.inKey != tc.inKey || c.item != tc.item ||
				!reflect.DeepEqual(c.listed, tc.listed) || c.prevSig != tc.prev || c.nextSig != tc.next || !reflect.DeepEqual(c.siblings, tc.siblings) {
				t.Errorf("got path=%q key=%q prefix=%q inKey=%v item=%v listed=%q siblings=%v prev=%q next=%q",
					c.path, c.key, c.prefix, c.inKey, c.item, c.listed, c.siblings, c.prevSig, c.nextSig)
			}
		})
	}
}

// TestYAMLSiblings: the keys of the mapping at the cursor, above and below
// it, deeper lines and other mappings excluded; a new item's mapping
// starts on the cursor's line.
func TestYAMLSiblings(t *testing.T) {
	cases := []struct {
		name, doc string
		want      map[string]string
		listed    []string
	}{
		{"scheme keys around", "s:\n  k:\n    type: 'httpApiKey'\n    |\n    name: X # c\n    flows:\n      implicit: {}\n  other:\n    in: header\n", map[string]string{"type": "httpApiKey", "name": "X", "flows": ""}, nil},
		{"inside an item", "l:\n  - type: oauth2\n    flows: {}\n    |\n  - type: http\n", map[string]string{"type": "oauth2", "flows": ""}, nil},
		{"new item", "l:\n  - a\n  - |\n  - $ref: '#/servers/b'\n", nil, []string{"a", "#/servers/b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, off := textCursorDoc(tc.doc)
			c := cursorAt(d, off)
			yamlSiblings(d, c)
			if !reflect.DeepEqual(c.siblings, tc.want) || !reflect.DeepEqual(c.listed, tc.listed) {
				t.Errorf("siblings %v listed %q, want %v %q", c.siblings, c.listed, tc.want, tc.listed)
			}
		})
	}
}

// TestKeyColon: a colon right before the cursor may still be part of the
// token being typed (a scope name such as orders:read).
func TestKeyColon(t *testing.T) {
	for s, want := range map[string]int{"type: x": 4, "orders:": 6, "orders:read": -1, "'a: b': c": 6, "k:": 1} {
		if got := keyColon(s); got != want {
			t.Errorf("keyColon(%q) = %d, want %d", s, got, want)
		}
	}
	d := &analysis.Document{Text: []byte("l:\n  - orders:"), Mapper: syntax.NewMapper([]byte("l:\n  - orders:"))}
	if c := cursorAt(d, len(d.Text)); c.key != "" || c.prefix != "orders:" {
		t.Errorf("at `- orders:|` got key %q prefix %q, want the token orders: being typed", c.key, c.prefix)
	}
}
