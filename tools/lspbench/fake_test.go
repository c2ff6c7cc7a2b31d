package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// The test binary doubles as a fake stdio language server:
//
//	<test binary> lspbench-fake-server MODE REPORT
//
// MODE is "versioned" (publishes carry the version), "noversion" (like
// yaml-language-server), "silent" (publishes only after didOpen) or "crash"
// (exits on the first didChange). At exit the fake writes REPORT (JSON):
// the text it ended with, the configuration the client answered, the
// versions it saw, and whether it got shutdown before exit.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "lspbench-fake-server" {
		os.Exit(fakeServer(os.Stdin, os.Stdout, os.Args[2], os.Args[3]))
	}
	testenv.Main(m)
}

type fakeReport struct {
	Text     string          `json:"text"`
	Config   json.RawMessage `json:"config"`
	Versions []int           `json:"versions"`
	Shutdown bool            `json:"shutdown"`
	Requests []fakeRequest   `json:"requests"` // feature requests (hover, completion, … of fakeAnswers), in order
}

type fakeRequest struct {
	Method   string          `json:"method"`
	Position Position        `json:"position"`
	Params   json.RawMessage `json:"params"`
}

// fakeAnswers are the fake's canned results of the feature methods, shaped
// like a real server's.
var fakeAnswers = func() map[string]any {
	rng := map[string]any{"start": Position{1, 2}, "end": Position{1, 5}}
	loc := map[string]any{"uri": "file:///x.yaml", "range": rng}
	return map[string]any{
		"textDocument/hover":             map[string]any{"contents": map[string]string{"kind": "markdown", "value": "**operation**"}},
		"textDocument/completion":        map[string]any{"isIncomplete": false, "items": []any{map[string]string{"label": "oauthCorp"}}},
		"textDocument/definition":        []any{loc},
		"textDocument/references":        []any{loc, loc, loc},
		"textDocument/documentHighlight": []any{map[string]any{"range": rng}, map[string]any{"range": rng}},
		"textDocument/prepareRename":     map[string]any{"range": rng, "placeholder": "bearerJwt"},
		"textDocument/rename": map[string]any{"changes": map[string]any{
			"file:///x.yaml": []any{map[string]any{"range": rng, "newText": "n"}, map[string]any{"range": rng, "newText": "n"}}}},
		"textDocument/documentSymbol": []any{map[string]any{"name": "operations", "children": []any{
			map[string]any{"name": "a"}, map[string]any{"name": "b"}}}},
		"workspace/symbol":          []any{map[string]any{"name": "sendA"}, map[string]any{"name": "sendB"}},
		"textDocument/documentLink": []any{map[string]any{"range": rng}},
		"textDocument/codeAction":   []any{map[string]any{"title": "Fix it"}},
		"textDocument/inlayHint":    []any{map[string]any{"position": Position{1, 2}, "label": "h"}, map[string]any{"position": Position{1, 3}, "label": "i"}},
		"textDocument/codeLens":     []any{map[string]any{"range": rng}},
		"workspace/executeCommand":  map[string]any{"markdown": "# ops", "operations": []any{map[string]any{}, map[string]any{}}},
	}
}()

func fakeServer(in io.Reader, out io.Writer, mode, reportPath string) int {
	var wmu sync.Mutex
	write := func(v any) {
		b, _ := json.Marshal(v)
		wmu.Lock()
		defer wmu.Unlock()
		_ = writeMessage(out, b)
	}
	var mu sync.Mutex
	rep := fakeReport{}
	var text []byte
	publish := func(uri string, version int, withVersion bool) {
		// Asynchronously, like a debouncing server.
		go func() {
			time.Sleep(2 * time.Millisecond)
			p := map[string]any{"uri": uri, "diagnostics": []any{map[string]any{
				"range":   map[string]any{"start": Position{0, 0}, "end": Position{0, 1}},
				"message": fmt.Sprintf("fake diagnostic for version %d", version)}}}
			if withVersion {
				p["version"] = version
			}
			write(map[string]any{"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": p})
		}()
	}
	finish := func() int {
		mu.Lock()
		rep.Text = string(text)
		b, _ := json.Marshal(rep)
		mu.Unlock()
		if err := os.WriteFile(reportPath, b, 0o644); err != nil {
			return 3
		}
		return 0
	}
	r := bufio.NewReader(in)
	for {
		body, err := readMessage(r)
		if err != nil {
			return finish()
		}
		var m wireMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return 4
		}
		reply := func(result any) {
			write(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": result})
		}
		switch m.Method {
		case "initialize":
			reply(map[string]any{"capabilities": map[string]any{
				"textDocumentSync":   map[string]any{"openClose": true, "change": 2},
				"hoverProvider":      true,
				"completionProvider": map[string]any{"triggerCharacters": []string{"/"}},
			}})
		case "initialized":
			// Server→client requests a real server makes; the client must answer.
			write(map[string]any{"jsonrpc": "2.0", "id": "p1", "method": "window/workDoneProgress/create", "params": map[string]any{"token": "t"}})
			write(map[string]any{"jsonrpc": "2.0", "id": "c1", "method": "workspace/configuration",
				"params": map[string]any{"items": []any{map[string]string{"section": "fake"}}}})
		case "": // a response from the client
			if string(m.ID) == `"c1"` {
				mu.Lock()
				rep.Config = m.Result
				mu.Unlock()
			}
		case "textDocument/didOpen":
			var p struct {
				TextDocument struct {
					URI     string `json:"uri"`
					Version int    `json:"version"`
					Text    string `json:"text"`
				} `json:"textDocument"`
			}
			_ = json.Unmarshal(m.Params, &p)
			mu.Lock()
			text = []byte(p.TextDocument.Text)
			rep.Versions = append(rep.Versions, p.TextDocument.Version)
			mu.Unlock()
			publish(p.TextDocument.URI, p.TextDocument.Version, mode != "noversion")
		case "textDocument/didChange":
			if mode == "crash" {
				return 5
			}
			var p struct {
				TextDocument struct {
					URI     string `json:"uri"`
					Version int    `json:"version"`
				} `json:"textDocument"`
				ContentChanges []struct {
					Range *struct{ Start, End Position } `json:"range"`
					Text  string                         `json:"text"`
				} `json:"contentChanges"`
			}
			_ = json.Unmarshal(m.Params, &p)
			mu.Lock()
			for _, c := range p.ContentChanges {
				if c.Range == nil {
					text = []byte(c.Text)
					continue
				}
				s, e := offsetAt(text, c.Range.Start), offsetAt(text, c.Range.End)
				text = append(text[:s:s], append([]byte(c.Text), text[e:]...)...)
			}
			rep.Versions = append(rep.Versions, p.TextDocument.Version)
			mu.Unlock()
			if mode != "silent" {
				publish(p.TextDocument.URI, p.TextDocument.Version, mode != "noversion")
			}
		}
		if answer, ok := fakeAnswers[m.Method]; ok {
			var p struct {
				Position Position `json:"position"`
			}
			_ = json.Unmarshal(m.Params, &p)
			mu.Lock()
			rep.Requests = append(rep.Requests, fakeRequest{m.Method, p.Position, m.Params})
			mu.Unlock()
			reply(answer)
		}
		switch m.Method {
		case "shutdown":
			mu.Lock()
			rep.Shutdown = true
			mu.Unlock()
			reply(nil)
		case "exit":
			return finish()
		}
	}
}
