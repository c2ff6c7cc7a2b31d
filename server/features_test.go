package server

import (
	"strings"
	"testing"
)

// applyEdit returns text with the range (on one line) replaced by newText.
func applyEdit(text string, line, startChar, endChar int, newText string) string {
	lines := strings.Split(text, "\n")
	l := lines[line]
	lines[line] = l[:startChar] + newText + l[endChar:]
	return strings.Join(lines, "\n")
}

func TestCompletionEditsReplaceThePrefixAndKeepQuotes(t *testing.T) {
	cases := []struct {
		name, doc, label, wantLine string
	}{
		{"double-quoted ref with the closing quote typed", "asyncapi: 3.0.0\noperations:\n  op:\n    security:\n      - $ref: \"#/components/sec|\"\ncomponents:\n  securitySchemes:\n    key:\n      type: X509\n",
			"#/components/securitySchemes/key", `      - $ref: "#/components/securitySchemes/key"`},
		{"single-quoted type", "asyncapi: 3.0.0\ncomponents:\n  securitySchemes:\n    key:\n      type: 'sc|'\n",
			"scramSha512", `      type: 'scramSha512'`},
		{"plain type in the middle of a word", "asyncapi: 3.0.0\ncomponents:\n  securitySchemes:\n    key:\n      type: oa|uth\n",
			"oauth2", `      type: oauth2`},
		{"new v3 security item", "asyncapi: 3.0.0\noperations:\n  op:\n    security:\n      - |\ncomponents:\n  securitySchemes:\n    key:\n      type: X509\n",
			"key", `      - $ref: '#/components/securitySchemes/key'`},
		{"v2 requirement", "asyncapi: 2.6.0\nservers:\n  s:\n    url: x\n    protocol: mqtt\n    security:\n      - ke|\ncomponents:\n  securitySchemes:\n    key:\n      type: X509\n",
			"key", `      - key: [$0]`}, // a snippet: the cursor goes between the brackets, where the scopes go
		{"v3 $ref typed before the colon", "asyncapi: 3.0.0\noperations:\n  op:\n    security:\n      - $r|\ncomponents:\n  securitySchemes:\n    key:\n      type: X509\n",
			"key", `      - $ref: '#/components/securitySchemes/key'`},
		{"v3 scope in an open flow list", "asyncapi: 3.0.0\ncomponents:\n  securitySchemes:\n    o:\n      type: oauth2\n      flows:\n        implicit:\n          authorizationUrl: https://a/b\n          availableScopes:\n            a:b: x\n      scopes: ['a:|\n",
			"a:b", `      scopes: ['a:b'`},
		{"key of a scheme", "asyncapi: 3.0.0\ncomponents:\n  securitySchemes:\n    k:\n      type: httpApiKey\n      na|\n",
			"name", `      name: `},
		{"JSON new requirement object", `{"asyncapi": "2.6.0", "servers": {"s": {"url": "x", "protocol": "mqtt", "security": [|]}}, "components": {"securitySchemes": {"key": {"type": "X509"}}}}`,
			"key", `{"asyncapi": "2.6.0", "servers": {"s": {"url": "x", "protocol": "mqtt", "security": [{"key": [$0]}]}}, "components": {"securitySchemes": {"key": {"type": "X509"}}}}`},
		{"JSON $ref value in quotes", `{"asyncapi": "3.0.0", "operations": {"op": {"security": [{"$ref": "#/c|"}]}}, "components": {"securitySchemes": {"key": {"type": "X509"}}}}`,
			"#/components/securitySchemes/key", `{"asyncapi": "3.0.0", "operations": {"op": {"security": [{"$ref": "#/components/securitySchemes/key"}]}}, "components": {"securitySchemes": {"key": {"type": "X509"}}}}`},
		{"JSON key with a comma before the next member", "{\"asyncapi\": \"3.0.0\", \"components\": {\"securitySchemes\": {\"k\": {\"type\": \"httpApiKey\",\n  \"i|\"\n  \"name\": \"X\"}}}}",
			"in", `  "in": "$0",`}, // a snippet: the cursor goes inside the quotes
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newPipeClient(t, nil)
			c.initialize(nil)
			off := strings.Index(tc.doc, "|")
			text := strings.Replace(tc.doc, "|", "", 1)
			line := strings.Count(text[:off], "\n")
			char := off - strings.LastIndex(text[:off], "\n") - 1
			uri := "file:///edit.yaml"
			c.open(uri, text)
			var list struct {
				Items []struct {
					Label    string
					TextEdit struct {
						Range struct {
							Start, End struct{ Line, Character int }
						}
						NewText string
					}
				}
			}
			c.mustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": char}}, &list)
			for _, it := range list.Items {
				if it.Label != tc.label {
					continue
				}
				r := it.TextEdit.Range
				if r.Start.Line != line || r.End.Line != line {
					t.Fatalf("multi-line edit %+v", r)
				}
				got := strings.Split(applyEdit(text, line, r.Start.Character, r.End.Character, it.TextEdit.NewText), "\n")[line]
				if got != tc.wantLine {
					t.Errorf("after accepting %q the line is %q, want %q", tc.label, got, tc.wantLine)
				}
				return
			}
			t.Fatalf("no item %q", tc.label)
		})
	}
}

func TestDefinitionJumpsToTheReferencedKey(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	uri := "file:///def.yaml"
	c.open(uri, demoV3)
	for _, tc := range []struct{ line, char, wantLine int }{
		{17, 16, 11}, // $ref: '#/channels/orders' -> orders:
		{19, 20, 25}, // oauth $ref -> components.securitySchemes.oauth
	} {
		var loc struct {
			URI   string
			Range struct{ Start struct{ Line, Character int } }
		}
		c.mustCall("textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": tc.line, "character": tc.char}}, &loc)
		if loc.URI != uri || loc.Range.Start.Line != tc.wantLine {
			t.Errorf("definition at %d:%d = %+v, want line %d", tc.line, tc.char, loc, tc.wantLine)
		}
	}
}

// TestJSONCompletionAddsTheMissingComma: a member typed after one without
// a comma gets the comma as an additional edit, right after that member.
func TestJSONCompletionAddsTheMissingComma(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	text := "{\"asyncapi\": \"3.0.0\", \"components\": {\"securitySchemes\": {\"k\": {\"type\": \"httpApiKey\"\n  \"i\"}}}}"
	uri := "file:///comma.json"
	c.open(uri, text)
	var list struct {
		Items []struct {
			Label               string
			InsertTextMode      *int
			AdditionalTextEdits []struct {
				Range struct {
					Start, End struct{ Line, Character int }
				}
				NewText string
			}
		}
	}
	c.mustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 1, "character": 4}}, &list)
	want := strings.Index(text, "\n") // right after "httpApiKey"
	for _, it := range list.Items {
		if it.Label != "in" {
			continue
		}
		if len(it.AdditionalTextEdits) != 1 {
			t.Fatalf("item in: additional edits %+v, want one comma", it.AdditionalTextEdits)
		}
		e := it.AdditionalTextEdits[0]
		if e.NewText != "," || e.Range.Start.Line != 0 || e.Range.Start.Character != want || e.Range.End != e.Range.Start {
			t.Errorf("additional edit %+v, want a comma inserted at 0:%d", e, want)
		}
		return
	}
	t.Fatalf("no item in among %+v", list.Items)
}

// TestMultiLineInsertsKeepTheirIndentation: an insert that spans lines
// carries its own indentation, so it is sent with insertTextMode asIs
// (VS Code would otherwise indent its new lines again).
func TestMultiLineInsertsKeepTheirIndentation(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	text := "asyncapi: 3.0.0\ncomponents:\n  securitySchemes:\n    o:\n      type: oauth2\n      \n"
	uri := "file:///indent.yaml"
	c.open(uri, text)
	var list struct {
		Items []struct {
			Label          string
			InsertTextMode *int
			TextEdit       struct{ NewText string }
		}
	}
	c.mustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 5, "character": 6}}, &list)
	seen := 0
	for _, it := range list.Items {
		multi := strings.Contains(it.TextEdit.NewText, "\n")
		asIs := it.InsertTextMode != nil && *it.InsertTextMode == 1
		if multi != asIs {
			t.Errorf("item %q (%q): insertTextMode asIs = %v", it.Label, it.TextEdit.NewText, asIs)
		}
		if multi {
			seen++
		}
	}
	if seen == 0 {
		t.Fatalf("no multi-line item among %+v", list.Items)
	}
}
