package server

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// testClient is a scripted LSP client over a real JSON-RPC connection to an
// in-process server (net.Pipe) or to the built binary (its stdio).
type testClient struct {
	t    *testing.T
	conn *jsonrpc2.Conn

	mu       sync.Mutex
	diags    map[string][]publishedDiagnostics // by URI, in arrival order
	logs     []string
	requests []json.RawMessage // server -> client requests: {"method", "params"}
	other    []receivedMessage // every other request or notification, in order
	changed  chan struct{}     // closed and replaced at every notification
}

// receivedMessage is a server-to-client message other than diagnostics and
// logs: progress, registrations, ...
type receivedMessage struct {
	Method string
	Params json.RawMessage
}

type publishedDiagnostics struct {
	URI         string            `json:"uri"`
	Version     *int32            `json:"version"`
	Diagnostics []json.RawMessage `json:"diagnostics"`
	raw         json.RawMessage
}

func (c *testClient) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	switch req.Method {
	case "textDocument/publishDiagnostics":
		var p publishedDiagnostics
		if err := json.Unmarshal(*req.Params, &p); err != nil {
			c.t.Errorf("bad publishDiagnostics: %v", err)
			return
		}
		p.raw = append(json.RawMessage(nil), *req.Params...)
		c.mu.Lock()
		c.diags[p.URI] = append(c.diags[p.URI], p)
		c.mu.Unlock()
	case "window/logMessage", "window/showMessage":
		var p struct{ Message string }
		_ = json.Unmarshal(*req.Params, &p)
		c.mu.Lock()
		c.logs = append(c.logs, p.Message)
		c.mu.Unlock()
	default:
		var params json.RawMessage
		if req.Params != nil {
			params = append(params, *req.Params...)
		}
		c.mu.Lock()
		c.other = append(c.other, receivedMessage{Method: req.Method, Params: params})
		c.mu.Unlock()
	}
	if !req.Notif {
		b, _ := json.Marshal(map[string]any{"method": req.Method, "params": req.Params})
		c.mu.Lock()
		c.requests = append(c.requests, b)
		c.mu.Unlock()
		// Reply off the read loop, as real clients do: with net.Pipe (no
		// buffer) a reply written here while the server's read loop writes
		// a notification would block both sides forever.
		go func() { _ = conn.Reply(ctx, req.ID, nil) }()
	}
	c.mu.Lock()
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// newPipeClient starts an in-process server joined to a client by a pipe.
func newPipeClient(t *testing.T, configure func(*Server)) (*testClient, *Server) {
	t.Helper()
	a, b := net.Pipe()
	s := New("test", io.Discard)
	if configure != nil {
		configure(s)
	}
	s.Connect(a, a, a)
	c := newClient(t, b)
	return c, s
}

func newClient(t *testing.T, rwc io.ReadWriteCloser) *testClient {
	c := &testClient{t: t, diags: map[string][]publishedDiagnostics{}, changed: make(chan struct{})}
	c.conn = jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(rwc, jsonrpc2.VSCodeObjectCodec{}), c)
	t.Cleanup(func() { c.conn.Close() })
	return c
}

func (c *testClient) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return c.conn.Call(ctx, method, params, result)
}

func (c *testClient) mustCall(method string, params, result any) {
	c.t.Helper()
	if err := c.call(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

func (c *testClient) initialize(options any) {
	c.t.Helper()
	var res json.RawMessage
	c.mustCall("initialize", map[string]any{
		"processId": nil, "rootUri": nil, "initializationOptions": options,
		"capabilities": map[string]any{"textDocument": map[string]any{
			"completion": map[string]any{"completionItem": map[string]any{"snippetSupport": true}},
			"hover":      map[string]any{"contentFormat": []string{"markdown"}},
		}},
	}, &res)
	c.notify("initialized", map[string]any{})
}

func (c *testClient) open(uri, text string) {
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
}

// waitDiagnostics waits for a publication for uri with the given version
// (0: any) and returns it.
func (c *testClient) waitDiagnostics(uri string, version int32) publishedDiagnostics {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		list := c.diags[uri]
		for i := len(list) - 1; i >= 0; i-- {
			p := list[i]
			if version == 0 || (p.Version != nil && *p.Version == version) {
				c.mu.Unlock()
				return p
			}
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			c.t.Fatalf("no diagnostics for %s version %d", uri, version)
		}
	}
}
