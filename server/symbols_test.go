package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

type lspRange struct {
	Start, End struct{ Line, Character int }
}

type docSymbol struct {
	Name           string
	Detail         string
	Kind           int
	Range          lspRange
	SelectionRange lspRange
	Children       []docSymbol
}

// TestDocumentSymbolThroughTheServer: the outline of demoV3 over JSON-RPC,
// with LSP kinds and UTF-16 positions, and an empty list (not null) for a
// document that is not AsyncAPI.
func TestDocumentSymbolThroughTheServer(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	uri := "file:///demo.yaml"
	text := strings.Replace(demoV3, "  sendOrder:", "  sendOrdér😀:", 1)
	c.open(uri, text)
	var syms []docSymbol
	c.mustCall("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
	var b strings.Builder
	var walk func([]docSymbol, string)
	walk = func(ss []docSymbol, indent string) {
		for _, s := range ss {
			fmt.Fprintf(&b, "%s%s %s %d\n", indent, s.Name, s.Detail, s.Kind)
			walk(s.Children, indent+"  ")
		}
	}
	walk(syms, "")
	want := `Info Demo 1.0.0 2
servers  3
  production kafka-secure broker.example.com 11
channels  3
  orders orders 24
operations  3
  sendOrdér😀 send → orders 12
components  3
  securitySchemes  3
    saslScram scramSha256 20
    oauth oauth2 20
`
	if b.String() != want {
		t.Fatalf("outline:\n%s\nwant:\n%s", b.String(), want)
	}
	op := syms[3].Children[0]
	// "  sendOrdér😀:" is line 14; the key is 2..13 in UTF-16 (é is 1 unit, 😀 is 2).
	if sr := op.SelectionRange; sr.Start.Line != 14 || sr.Start.Character != 2 || sr.End.Character != 13 {
		t.Errorf("selection range of the operation: %+v", sr)
	}
	if r := op.Range; r.Start.Line != 14 || r.End.Line < 20 {
		t.Errorf("range of the operation: %+v", r)
	}

	c.open("file:///plain.yaml", "openapi: 3.0.0\n")
	var raw json.RawMessage
	c.mustCall("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": "file:///plain.yaml"}}, &raw)
	if string(raw) != "[]" {
		t.Errorf("outline of a non-AsyncAPI document: %s, want []", raw)
	}
}

// TestWorkspaceSymbolThroughTheServer searches every open document.
func TestWorkspaceSymbolThroughTheServer(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	c.open("file:///b.yaml", demoV3)
	c.open("file:///a.yaml", "asyncapi: 3.0.0\noperations:\n  sendInvoice: {action: send}\n")
	var got []struct {
		Name          string
		Kind          int
		ContainerName string
		Location      struct {
			URI   string
			Range lspRange
		}
	}
	c.mustCall("workspace/symbol", map[string]any{"query": "send"}, &got)
	var names []string
	for _, s := range got {
		names = append(names, s.Location.URI+"#"+s.ContainerName+"/"+s.Name)
	}
	want := "file:///a.yaml#operations/sendInvoice file:///b.yaml#operations/sendOrder"
	if strings.Join(names, " ") != want {
		t.Fatalf("workspace/symbol send: %v, want %s", names, want)
	}
	if got[1].Location.Range.Start.Line != 14 {
		t.Errorf("sendOrder location: %+v", got[1].Location.Range)
	}
	var none json.RawMessage
	c.mustCall("workspace/symbol", map[string]any{"query": "zzzz"}, &none)
	if string(none) != "[]" {
		t.Errorf("no match: %s, want []", none)
	}
}
