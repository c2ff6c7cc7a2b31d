package server

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// ownGoroutines lists the stacks of goroutines (other than the caller's)
// that run code of this package or of the JSON-RPC connection.
func ownGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i == 0 { // the caller
			continue
		}
		if strings.Contains(g, "asyncapi-ls/server.(*") || strings.Contains(g, "sourcegraph/jsonrpc2") {
			out = append(out, g)
		}
	}
	return out
}

// waitNoGoroutines fails the test if goroutines of the server are still
// running when everything has had the chance to end. It waits on the
// goroutines themselves (they end on their own once the streams are
// closed), never on a fixed delay.
func waitNoGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := ownGoroutines()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines leaked:\n\n%s", len(left), strings.Join(left, "\n\n"))
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// gate blocks the analysis of texts that contain "slow" until opened.
type gate struct {
	once sync.Once
	ch   chan struct{}
}

func newGate() *gate { return &gate{ch: make(chan struct{})} }

func (g *gate) open() { g.once.Do(func() { close(g.ch) }) }

func (g *gate) install(s *Server) {
	inner := s.analyze
	s.analyze = func(prev *analysisDocument, edits []analysisEdit, text []byte, m *analysisMapper) *analysisDocument {
		if strings.Contains(string(text), "slow") {
			<-g.ch
		}
		return inner(prev, edits, text, m)
	}
}

func hoverParams(uri string) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 14, "character": 3}}
}

// inflight reports how many requests the server holds and how many of
// them wait in the pool's queue.
func inflight(s *Server) (held, queued, running int) {
	s.mu.Lock()
	held = len(s.inflight)
	s.mu.Unlock()
	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	return held, len(s.pool.queue), s.pool.running
}

// waitHeld waits until the server holds n requests (and, for 0, until
// its workers are gone).
func waitHeld(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if held, _, running := inflight(s); held == n && (n > 0 || running == 0) {
			return
		}
		if time.Now().After(deadline) {
			held, queued, running := inflight(s)
			t.Fatalf("the server holds %d requests (%d queued, %d workers), want %d", held, queued, running, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestDisconnectWithoutExitClosesDocumentsAndEndsGoroutines(t *testing.T) {
	waitNoGoroutines(t) // what earlier tests left must be gone first
	g := newGate()
	defer g.open()
	c, s := newPipeClient(t, g.install)
	c.initialize(nil)
	for _, u := range []string{"file:///a.yaml", "file:///b.yaml", "file:///c.yaml"} {
		c.open(u, demoV3)
		c.waitDiagnostics(u, 1)
	}
	// one document whose analysis is still running, with a request waiting on it
	c.open("file:///slow.yaml", demoV3+"# slow\n")
	go func() { _ = c.call("textDocument/hover", hoverParams("file:///slow.yaml"), nil) }()
	waitHeld(t, s, 1)
	docs := s.docs.all()
	if len(docs) != 4 {
		t.Fatalf("%d documents open, want 4", len(docs))
	}

	c.conn.Close() // the editor dies: no shutdown, no exit
	select {
	case <-s.Stopped():
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not notice the disconnect")
	}
	if left := s.docs.all(); len(left) != 0 {
		t.Errorf("%d documents still open after the disconnect", len(left))
	}
	for _, d := range docs {
		select {
		case <-d.done:
		default:
			t.Errorf("%s was not closed", d.uri)
		}
	}
	waitHeld(t, s, 0) // the waiting hover was cancelled
	if code := s.ExitCode(); code != 1 {
		t.Errorf("exit code after a disconnect without shutdown = %d, want 1", code)
	}
	g.open() // the running analysis finishes; its goroutine must then end
	waitNoGoroutines(t)
}

func TestFeatureRequestsRunOnABoundedPoolAndQueue(t *testing.T) {
	g := newGate()
	defer g.open()
	c, s := newPipeClient(t, func(s *Server) {
		g.install(s)
		s.pool.limit = 2
	})
	c.initialize(nil)
	uri := "file:///slow.yaml"
	c.open(uri, strings.Replace(demoV3, "title: Demo", "title: slow", 1))
	const n = 6
	type answer struct {
		hover string
		err   error
	}
	answers := make(chan answer, n)
	for range n {
		go func() {
			var h struct{ Contents struct{ Value string } }
			err := c.call("textDocument/hover", hoverParams(uri), &h)
			answers <- answer{h.Contents.Value, err}
		}()
	}
	waitHeld(t, s, n)
	if _, queued, running := inflight(s); running != 2 || queued != n-2 {
		t.Fatalf("%d workers and %d queued requests, want 2 and %d", running, queued, n-2)
	}
	g.open()
	for range n {
		a := <-answers
		if a.err != nil {
			t.Errorf("a queued request failed: %v", a.err)
		} else if !strings.Contains(a.hover, "Effective security") {
			t.Errorf("hover = %q", a.hover)
		}
	}
	s.pool.mu.Lock()
	peak := s.pool.peak
	s.pool.mu.Unlock()
	if peak != 2 {
		t.Errorf("at most %d workers ran at once, want 2", peak)
	}
	waitHeld(t, s, 0) // and no worker is left on an idle server
}

func TestCancellingAQueuedRequestAnswersItAtOnce(t *testing.T) {
	g := newGate()
	defer g.open()
	c, s := newPipeClient(t, func(s *Server) {
		g.install(s)
		s.pool.limit = 1
	})
	c.initialize(nil) // request id 1
	uri := "file:///slow.yaml"
	c.open(uri, demoV3+"# slow\n")
	errs := make(chan error, 1)
	go func() { errs <- c.call("textDocument/hover", hoverParams(uri), nil) }() // on the worker
	waitHeld(t, s, 1)
	queued := make(chan error, 1)
	go func() { queued <- c.call("textDocument/hover", hoverParams(uri), nil) }() // in the queue
	waitHeld(t, s, 2)
	s.pool.mu.Lock()
	id := s.pool.queue[0].req.ID
	s.pool.mu.Unlock()
	c.notify("$/cancelRequest", map[string]any{"id": id})
	// answered while the only worker is still blocked
	if got := rpcCode(t, <-queued); got != codeRequestCancelled {
		t.Errorf("cancelled queued request: code %d, want %d", got, codeRequestCancelled)
	}
	select {
	case err := <-errs:
		t.Fatalf("the running request was answered before its analysis: %v", err)
	default:
	}
	g.open()
	if err := <-errs; err != nil {
		t.Errorf("the running request: %v", err)
	}
}

func TestClosingADocumentCancelsItsRequestsWithContentModified(t *testing.T) {
	g := newGate()
	defer g.open()
	c, s := newPipeClient(t, func(s *Server) {
		g.install(s)
		s.pool.limit = 1
	})
	c.initialize(nil)
	slow, other := "file:///slow.yaml", "file:///other.yaml"
	c.open(slow, demoV3+"# slow\n")
	c.open(other, demoV3)
	c.waitDiagnostics(other, 1)
	running, queued := make(chan error, 1), make(chan error, 1)
	go func() { running <- c.call("textDocument/hover", hoverParams(slow), nil) }()
	waitHeld(t, s, 1)
	go func() {
		queued <- c.call("workspace/executeCommand", map[string]any{"command": EffectiveSecurityCommand, "arguments": []any{slow}}, nil)
	}()
	waitHeld(t, s, 2)
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": slow}})
	for name, ch := range map[string]chan error{"running hover": running, "queued command": queued} {
		if got := rpcCode(t, <-ch); got != codeContentModified {
			t.Errorf("%s on a closed document: code %d, want %d", name, got, codeContentModified)
		}
	}
	// requests on other documents are not affected, and the worker is free again
	var h struct{ Contents struct{ Value string } }
	c.mustCall("textDocument/hover", hoverParams(other), &h)
	if !strings.Contains(h.Contents.Value, "Effective security") {
		t.Errorf("hover on the other document: %q", h.Contents.Value)
	}
}

func TestErrorCodes(t *testing.T) {
	c, s := newPipeClient(t, func(s *Server) {
		s.requests["test/plainError"] = func(*Server, context.Context, json.RawMessage) (any, error) {
			return nil, errors.New("a bug")
		}
		s.requests["test/unencodable"] = func(*Server, context.Context, json.RawMessage) (any, error) {
			return map[string]float64{"x": math.NaN()}, nil
		}
	})
	_ = s
	hover := hoverParams("file:///unknown.yaml")
	if got := rpcCode(t, c.call("textDocument/hover", hover, nil)); got != codeServerNotInitialized {
		t.Errorf("before initialize: code %d, want %d", got, codeServerNotInitialized)
	}
	c.initialize(nil)
	cases := []struct {
		name, method string
		params       any
		code         int64
	}{
		{"second initialize", "initialize", map[string]any{"capabilities": map[string]any{}}, -32600},
		{"unknown document", "textDocument/hover", hover, -32602},
		{"position of the wrong type", "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x.yaml"}, "position": "top"}, -32602},
		{"command without a URI", "workspace/executeCommand", map[string]any{"command": EffectiveSecurityCommand}, -32602},
		{"unknown method", "textDocument/noSuchMethod", hover, -32601},
		{"a handler error that is not a JSON-RPC error", "test/plainError", nil, -32603},
		{"a result that cannot be encoded", "test/unencodable", nil, -32603},
	}
	for _, tc := range cases {
		if got := rpcCode(t, c.call(tc.method, tc.params, nil)); got != tc.code {
			t.Errorf("%s: code %d, want %d", tc.name, got, tc.code)
		}
	}
	c.mu.Lock()
	logs := strings.Join(c.logs, "\n")
	c.mu.Unlock()
	if !strings.Contains(logs, "cannot encode the answer to test/unencodable") {
		t.Errorf("the encoding failure was not reported to the user: %q", logs)
	}
}

func TestDisconnectInAWorkspaceEndsPollingDiscoveryAndCalls(t *testing.T) {
	for _, watch := range []bool{false, true} { // polling; watchers registered with a call to the client
		waitNoGoroutines(t)
		c, s, w := startWorkspace(t, watch)
		c.openAndWait(w, "api/payments-v2.yaml")
		c.conn.Close()
		select {
		case <-s.Stopped():
		case <-time.After(10 * time.Second):
			t.Fatal("the server did not notice the disconnect")
		}
		waitNoGoroutines(t)
	}
}
