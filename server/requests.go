package server

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"sync"

	"github.com/sourcegraph/jsonrpc2"
)

// Why an in-flight request was cancelled; each cause has its own answer.
var (
	// errClientCancelled: the client sent $/cancelRequest (RequestCancelled).
	errClientCancelled = errors.New("request cancelled by the client")
	// errDocumentClosed: the document the request reads was closed or
	// opened anew while the request waited (ContentModified).
	errDocumentClosed = errors.New("the document was closed")
	// errDisconnected: the client is gone; nobody reads an answer.
	errDisconnected = errors.New("the client disconnected")
)

// maxConcurrentRequests bounds the goroutines answering feature requests.
// A request mostly waits for the analysis of its document, then does a
// little CPU work, so a few more than the processors keep them busy.
func maxConcurrentRequests() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// request is one feature request from the moment it is read until it is
// answered.
type request struct {
	req    *jsonrpc2.Request
	id     string
	uri    string          // canonical URI of the document it reads; "" if none
	parent context.Context // the connection's: answers are sent with it
	ctx    context.Context // cancelled with one of the causes above
	cancel context.CancelCauseFunc
	run    func() (any, error)
}

// requestPool runs requests on at most limit goroutines. Requests beyond
// the bound wait in arrival order: they are never refused. Workers exist
// only while there is work, so an idle server holds none.
type requestPool struct {
	mu      sync.Mutex
	limit   int
	running int
	peak    int // most workers at once, for tests
	queue   []*request
}

func (p *requestPool) submit(r *request, work func(*request)) {
	p.mu.Lock()
	if p.running >= p.limit {
		p.queue = append(p.queue, r)
		p.mu.Unlock()
		return
	}
	p.running++
	p.peak = max(p.peak, p.running)
	p.mu.Unlock()
	go func() {
		for r != nil {
			work(r)
			p.mu.Lock()
			r = nil
			if len(p.queue) > 0 {
				r = p.queue[0]
				p.queue[0] = nil
				p.queue = p.queue[1:]
			} else {
				p.running--
			}
			p.mu.Unlock()
		}
	}()
}

// remove takes r out of the queue; false when a worker already has it.
func (p *requestPool) remove(r *request) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, q := range p.queue {
		if q == r {
			p.queue = append(p.queue[:i], p.queue[i+1:]...)
			return true
		}
	}
	return false
}

// documentOf reads the URI of the document a feature request is about:
// textDocument.uri, or the first argument of workspace/executeCommand.
func documentOf(params json.RawMessage) string {
	var p struct {
		TextDocument struct {
			URI string `json:"uri"`
		} `json:"textDocument"`
		Arguments []json.RawMessage `json:"arguments"`
	}
	if json.Unmarshal(params, &p) != nil {
		return ""
	}
	if p.TextDocument.URI != "" {
		return canonicalURI(p.TextDocument.URI)
	}
	var u string
	if len(p.Arguments) > 0 && json.Unmarshal(p.Arguments[0], &u) == nil && u != "" {
		return canonicalURI(u)
	}
	return ""
}

// startRequest registers a feature request as in flight (so that
// $/cancelRequest and didClose reach it) and queues it on the pool.
func (s *Server) startRequest(ctx context.Context, req *jsonrpc2.Request, params json.RawMessage, handler requestHandler) {
	rctx, cancel := context.WithCancelCause(ctx)
	r := &request{req: req, id: req.ID.String(), uri: documentOf(params), parent: ctx, ctx: rctx, cancel: cancel}
	r.run = func() (any, error) { return handler(s, rctx, params) }
	s.mu.Lock()
	s.inflight[r.id] = r
	s.mu.Unlock()
	s.pool.submit(r, s.runRequest)
}

// runRequest answers one request on a pool worker.
func (s *Server) runRequest(r *request) {
	defer s.docs.reading()() // a handler holds its snapshot until it returns
	if r.ctx.Err() == nil {
		result, err := s.protect(r.req.Method, r.run)
		if r.ctx.Err() == nil {
			s.finishRequest(r, result, err)
			return
		}
	}
	s.finishRequest(r, nil, context.Cause(r.ctx))
}

// finishRequest answers r and forgets it.
func (s *Server) finishRequest(r *request, result any, err error) {
	s.mu.Lock()
	if s.inflight[r.id] == r {
		delete(s.inflight, r.id)
	}
	s.mu.Unlock()
	r.cancel(nil)
	if errors.Is(err, errDisconnected) {
		return
	}
	s.reply(r.parent, r.req, result, err)
}

// cancelRequests cancels the in-flight requests that match, with cause.
// Queued ones are answered at once; running ones when their handler
// notices (they all wait on the request's context).
func (s *Server) cancelRequests(cause error, match func(*request) bool) {
	s.mu.Lock()
	var hit []*request
	for _, r := range s.inflight {
		if match(r) {
			hit = append(hit, r)
		}
	}
	s.mu.Unlock()
	// every context first, so that no worker starts one of them meanwhile
	for _, r := range hit {
		r.cancel(cause)
	}
	for _, r := range hit {
		if s.pool.remove(r) {
			s.finishRequest(r, nil, cause)
		}
	}
}

// cancelDocumentRequests cancels the requests waiting on document u, which
// was closed or replaced.
func (s *Server) cancelDocumentRequests(u string) {
	key := canonicalURI(u)
	s.cancelRequests(errDocumentClosed, func(r *request) bool { return r.uri == key })
}

// rpcError turns a handler error into the JSON-RPC error the client gets.
// Errors that are not one of the known conditions are bugs: InternalError,
// and a log line.
func (s *Server) rpcError(method string, err error) *jsonrpc2.Error {
	var rpcErr *jsonrpc2.Error
	switch {
	case errors.As(err, &rpcErr):
		return rpcErr
	case errors.Is(err, errClientCancelled), errors.Is(err, context.Canceled):
		return &jsonrpc2.Error{Code: codeRequestCancelled, Message: "request cancelled"}
	case errors.Is(err, errDocumentClosed):
		return &jsonrpc2.Error{Code: codeContentModified, Message: "the document was closed while the request waited for its analysis"}
	}
	s.logger.Printf("internal error in %s: %v", method, err)
	return &jsonrpc2.Error{Code: codeInternalError, Message: "internal error in " + method + ": " + err.Error()}
}
