package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

func rpcCode(t *testing.T, err error) int64 {
	t.Helper()
	var e *jsonrpc2.Error
	if !errors.As(err, &e) {
		t.Fatalf("want a JSON-RPC error, got %v", err)
	}
	return e.Code
}

func TestRequestBeforeInitializeIsServerNotInitialized(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.open("file:///a.yaml", "asyncapi: 3.0.0\n") // dropped: not initialized
	err := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///a.yaml"}, "position": map[string]any{"line": 0, "character": 0}}, nil)
	if got := rpcCode(t, err); got != codeServerNotInitialized {
		t.Fatalf("code = %d, want %d", got, codeServerNotInitialized)
	}
	c.initialize(nil)
	// The didOpen before initialize was dropped, so the document is unknown.
	err = c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///a.yaml"}, "position": map[string]any{"line": 0, "character": 0}}, nil)
	if got := rpcCode(t, err); got != jsonrpc2.CodeInvalidParams {
		t.Fatalf("code = %d, want invalid params for an unknown document", got)
	}
}

func TestInitializeAdvertisesOnlyWhatIsImplemented(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	var res struct {
		Capabilities map[string]json.RawMessage `json:"capabilities"`
		ServerInfo   struct{ Name string }      `json:"serverInfo"`
	}
	c.mustCall("initialize", map[string]any{"capabilities": map[string]any{}}, &res)
	var keys []string
	for k := range res.Capabilities {
		keys = append(keys, k)
	}
	want := map[string]bool{"textDocumentSync": true, "hoverProvider": true, "completionProvider": true, "definitionProvider": true, "executeCommandProvider": true, "positionEncoding": true, "workspace": true, "documentSymbolProvider": true, "workspaceSymbolProvider": true,
		// navigation.go
		"referencesProvider": true, "documentHighlightProvider": true, "renameProvider": true, "codeActionProvider": true,
		"inlayHintProvider": true, "codeLensProvider": true, "documentLinkProvider": true}
	for _, k := range keys {
		if !want[k] {
			t.Errorf("advertises %s, which is not implemented", k)
		}
		delete(want, k)
	}
	if len(want) > 0 {
		t.Errorf("missing capabilities: %v", want)
	}
	var sync struct {
		OpenClose bool `json:"openClose"`
		Change    int  `json:"change"`
	}
	_ = json.Unmarshal(res.Capabilities["textDocumentSync"], &sync)
	if !sync.OpenClose || sync.Change != 2 {
		t.Errorf("textDocumentSync = %+v, want openClose and incremental (2)", sync)
	}
	if res.ServerInfo.Name != "asyncapi-ls" {
		t.Errorf("serverInfo.name = %q", res.ServerInfo.Name)
	}
}

// rawPipe drives the server with hand-written frames, to test what a
// misbehaving client can send.
type rawPipe struct {
	t    *testing.T
	conn net.Conn
	r    *frameStream
	s    *Server
	done chan struct{}
}

func newRawPipe(t *testing.T) *rawPipe {
	a, b := net.Pipe()
	s := New("test", io.Discard)
	conn := s.Connect(a, a, a)
	p := &rawPipe{t: t, conn: b, r: newFrameStream(b, b, b, t.Logf), s: s, done: make(chan struct{})}
	go func() { <-conn.DisconnectNotify(); close(p.done) }()
	t.Cleanup(func() { b.Close() })
	return p
}

func (p *rawPipe) send(body string) {
	p.t.Helper()
	frame := "Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body
	go func() { _, _ = p.conn.Write([]byte(frame)) }()
}

func itoa(n int) string { return jsonNumber(n) }

func jsonNumber(n int) string { b, _ := json.Marshal(n); return string(b) }

// next reads the next message that is a response (skipping notifications).
func (p *rawPipe) next() map[string]any {
	p.t.Helper()
	for {
		var m map[string]any
		ch := make(chan error, 1)
		go func() { ch <- p.r.ReadObject(&m) }()
		select {
		case err := <-ch:
			if err != nil {
				p.t.Fatalf("read: %v", err)
			}
		case <-time.After(10 * time.Second):
			p.t.Fatal("no message from the server")
		}
		if _, isNotification := m["method"]; isNotification {
			continue
		}
		return m
	}
}

func errCode(m map[string]any) int {
	e, _ := m["error"].(map[string]any)
	if e == nil {
		return 0
	}
	f, _ := e["code"].(float64)
	return int(f)
}

func TestMalformedRequestsGetErrorsAndTheServerKeepsServing(t *testing.T) {
	p := newRawPipe(t)
	p.send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)
	if m := p.next(); errCode(m) != 0 {
		t.Fatalf("initialize failed: %v", m)
	}
	cases := []struct {
		name, body string
		code       int
	}{
		{"not JSON", `{"jsonrpc":"2.0","id":2,"method":`, -32700},
		{"not a JSON-RPC message", `[1,2,3]`, -32600},
		{"unknown method", `{"jsonrpc":"2.0","id":3,"method":"textDocument/unknownThing","params":{}}`, -32601},
		{"params of the wrong type", `{"jsonrpc":"2.0","id":4,"method":"textDocument/hover","params":"oops"}`, -32602},
		{"missing params", `{"jsonrpc":"2.0","id":5,"method":"textDocument/completion"}`, -32602},
		{"codeLens/resolve crashes glsp", `{"jsonrpc":"2.0","id":6,"method":"codeLens/resolve","params":{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}}}}`, -32601},
		{"unknown command", `{"jsonrpc":"2.0","id":7,"method":"workspace/executeCommand","params":{"command":"nope","arguments":[]}}`, -32602},
	}
	for _, tc := range cases {
		p.send(tc.body)
		if got := errCode(p.next()); got != tc.code {
			t.Errorf("%s: error code %d, want %d", tc.name, got, tc.code)
		}
	}
	// Bad notifications are logged, never answered, and never fatal.
	p.send(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///never-opened.yaml","version":2},"contentChanges":[{"text":"x"}]}}`)
	p.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"not-in-flight"}}`)
	p.send(`{"jsonrpc":"2.0","id":8,"method":"shutdown"}`)
	if m := p.next(); errCode(m) != 0 {
		t.Fatalf("shutdown failed: %v", m)
	}
	p.send(`{"jsonrpc":"2.0","id":9,"method":"textDocument/hover","params":{}}`)
	if got := errCode(p.next()); got != jsonrpc2.CodeInvalidRequest {
		t.Errorf("request after shutdown: code %d, want %d", got, jsonrpc2.CodeInvalidRequest)
	}
	p.send(`{"jsonrpc":"2.0","method":"exit"}`)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		t.Fatal("exit did not close the connection")
	}
	if code := p.s.ExitCode(); code != 0 {
		t.Errorf("exit code after shutdown+exit = %d, want 0", code)
	}
}

func TestExitWithoutShutdownExitsWithOne(t *testing.T) {
	var out bytes.Buffer
	in := strings.NewReader(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`) + frame(`{"jsonrpc":"2.0","method":"exit"}`))
	if code := Serve(in, &out, io.Discard, "test"); code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	in = strings.NewReader(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`) +
		frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`) + frame(`{"jsonrpc":"2.0","method":"exit"}`))
	out.Reset()
	if code := Serve(in, &out, io.Discard, "test"); code != 0 {
		t.Errorf("exit code = %d, want 0", code)
	}
	if !strings.Contains(out.String(), `"id":2`) {
		t.Errorf("shutdown was not answered: %q", out.String())
	}
}

func frame(body string) string { return "Content-Length: " + jsonNumber(len(body)) + "\r\n\r\n" + body }

func TestPanicInAHandlerIsAnsweredAndTheServerKeepsServing(t *testing.T) {
	var mu sync.Mutex
	armed := true
	c, _ := newPipeClient(t, func(s *Server) {
		s.beforeDispatch = func(method string) {
			mu.Lock()
			defer mu.Unlock()
			if method == "textDocument/hover" && armed {
				armed = false
				panic("injected failure")
			}
		}
	})
	c.initialize(nil)
	uri := "file:///p.yaml"
	c.open(uri, demoV3)
	c.waitDiagnostics(uri, 1)
	pos := map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 14, "character": 3}}
	err := c.call("textDocument/hover", pos, nil)
	if got := rpcCode(t, err); got != codeInternalError {
		t.Fatalf("code = %d, want internal error", got)
	}
	var h struct{ Contents struct{ Value string } }
	c.mustCall("textDocument/hover", pos, &h)
	if !strings.Contains(h.Contents.Value, "Effective security") {
		t.Errorf("hover after the panic: %q", h.Contents.Value)
	}
	c.mu.Lock()
	logs := strings.Join(c.logs, "\n")
	c.mu.Unlock()
	if !strings.Contains(logs, "injected failure") {
		t.Errorf("the panic was not reported to the user: %q", logs)
	}
}

func TestPanicInAnalysisStillPublishes(t *testing.T) {
	c, _ := newPipeClient(t, func(s *Server) {
		s.analyze = func(prev *analysisDocument, edits []analysisEdit, text []byte, m *analysisMapper) *analysisDocument {
			if strings.Contains(string(text), "boom") {
				panic("analysis exploded")
			}
			return analysisUpdate(prev, edits, text, m)
		}
	})
	c.initialize(nil)
	uri := "file:///boom.yaml"
	c.open(uri, "asyncapi: 3.0.0\nboom: 1\n")
	p := c.waitDiagnostics(uri, 0)
	_ = p
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []any{map[string]any{"text": "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nsecurity: []\n"}}})
	p = c.waitDiagnostics(uri, 2)
	if len(p.Diagnostics) != 1 || !strings.Contains(string(p.Diagnostics[0]), "security-root-level") {
		t.Errorf("after recovering: %s", p.raw)
	}
}
