package server

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestSmokeDemo(t *testing.T) {
	text, err := os.ReadFile("../testdata/editors/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	uri := "file:///tmp/demo.yaml"
	c.open(uri, string(text))
	p := c.waitDiagnostics(uri, 1)
	t.Logf("diags: %s", p.raw)
	var hover json.RawMessage
	c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 14, "character": 4}}, &hover)
	t.Logf("hover: %s", hover)
	lines := strings.Split(string(text), "\n")
	lines = append(lines[:21], append([]string{"      - "}, lines[21:]...)...)
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []any{map[string]any{"text": strings.Join(lines, "\n")}}})
	var comp json.RawMessage
	c.mustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 21, "character": 8}}, &comp)
	t.Logf("completion: %s", comp)
}
