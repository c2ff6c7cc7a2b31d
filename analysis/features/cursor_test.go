package features

import (
	"reflect"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

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
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			off := strings.Index(tc.doc, "|")
			text := strings.Replace(tc.doc, "|", "", 1)
			d := &analysis.Document{Text: []byte(text), Mapper: syntax.NewMapper([]byte(text))}
			c := cursorAt(d, off)
			if !reflect.DeepEqual(c.path, tc.path) || c.key != tc.key || c.prefix != tc.prefix || c.inKey != tc.inKey || c.item != tc.item || c.flow != tc.flow || !reflect.DeepEqual(c.listed, tc.listed) {
				t.Errorf("got path=%q key=%q prefix=%q inKey=%v item=%v flow=%v listed=%q", c.path, c.key, c.prefix, c.inKey, c.item, c.flow, c.listed)
			}
		})
	}
}
