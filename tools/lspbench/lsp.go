package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxMessage bounds one incoming LSP message (a server answering with a
// huge payload must not make the tool allocate without bound).
const maxMessage = 256 << 20

// writeMessage writes one base-protocol frame: "Content-Length: N\r\n\r\n" + body.
func writeMessage(w io.Writer, body []byte) error {
	var b bytes.Buffer
	b.Grow(len(body) + 32)
	b.WriteString("Content-Length: ")
	b.WriteString(strconv.Itoa(len(body)))
	b.WriteString("\r\n\r\n")
	b.Write(body)
	_, err := w.Write(b.Bytes())
	return err
}

// readMessage reads one base-protocol frame and returns its body. Header
// names are matched case-insensitively; headers other than Content-Length
// (Content-Type) are ignored. A bare "\n" line ending is tolerated.
func readMessage(r *bufio.Reader) ([]byte, error) {
	length := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if err == io.EOF && line == "" && length < 0 {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("reading header: %w", noEOF(err))
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if length < 0 {
				return nil, errors.New("frame without Content-Length header")
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed header line %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 || n > maxMessage {
				return nil, fmt.Errorf("bad Content-Length %q", value)
			}
			length = n
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, fmt.Errorf("reading body: %w", noEOF(err))
	}
	return body, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// wireMessage is any JSON-RPC 2.0 message.
type wireMessage struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

type rpcError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("jsonrpc error %d: %s", e.Code, e.Message) }

// diagEvent is one textDocument/publishDiagnostics notification, stamped
// when its frame was read (before JSON decoding).
type diagEvent struct {
	URI     string
	Version *int
	Count   int
	At      time.Time
	Sample  []string // messages of the first diagnostics (for -v)
	// FirstRange is the range of the first diagnostic (nil if none), a
	// place where a code action can be asked for.
	FirstRange json.RawMessage
}

type response struct {
	result json.RawMessage
	err    *rpcError
	at     time.Time
}

// conn is the client side of an LSP connection: it frames outgoing
// messages, routes responses to callers, answers server→client requests
// and queues publishDiagnostics notifications.
type conn struct {
	w   io.Writer
	wmu sync.Mutex
	r   *bufio.Reader

	nextID  atomic.Int64
	mu      sync.Mutex
	pending map[int64]chan response
	diags   []diagEvent
	diagSig chan struct{} // signalled (non-blocking) when diags grows
	closed  chan struct{}
	readErr error

	// onRequest answers a server→client request; it runs on the reader
	// goroutine and must not block.
	onRequest func(method string, params json.RawMessage) (any, *rpcError)
	// onNotify sees every other notification (logging); may be nil.
	onNotify func(method string, params json.RawMessage)
}

func newConn(r io.Reader, w io.Writer) *conn {
	return &conn{
		w:       w,
		r:       bufio.NewReaderSize(r, 1<<16),
		pending: map[int64]chan response{},
		diagSig: make(chan struct{}, 1),
		closed:  make(chan struct{}),
	}
}

func (c *conn) send(v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return writeMessage(c.w, body)
}

// readLoop runs until the stream ends; then it fails all pending calls.
func (c *conn) readLoop() {
	defer func() {
		c.mu.Lock()
		for id, ch := range c.pending {
			close(ch)
			delete(c.pending, id)
		}
		c.mu.Unlock()
		close(c.closed)
	}()
	for {
		body, err := readMessage(c.r)
		at := time.Now()
		if err != nil {
			c.readErr = err
			return
		}
		var m wireMessage
		if err := json.Unmarshal(body, &m); err != nil {
			c.readErr = fmt.Errorf("invalid JSON from server: %w", err)
			return
		}
		switch {
		case m.Method != "" && len(m.ID) > 0: // server→client request
			var result any
			var rerr *rpcError
			if c.onRequest != nil {
				result, rerr = c.onRequest(m.Method, m.Params)
			} else {
				rerr = &rpcError{Code: -32601, Message: "method not found: " + m.Method}
			}
			reply := map[string]any{"jsonrpc": "2.0", "id": m.ID}
			if rerr != nil {
				reply["error"] = rerr
			} else {
				reply["result"] = result
			}
			if err := c.send(reply); err != nil {
				c.readErr = err
				return
			}
		case m.Method == "textDocument/publishDiagnostics":
			var p struct {
				URI         string `json:"uri"`
				Version     *int   `json:"version"`
				Diagnostics []struct {
					Message string          `json:"message"`
					Range   json.RawMessage `json:"range"`
				} `json:"diagnostics"`
			}
			if err := json.Unmarshal(m.Params, &p); err != nil {
				continue
			}
			ev := diagEvent{URI: p.URI, Version: p.Version, Count: len(p.Diagnostics), At: at}
			if len(p.Diagnostics) > 0 {
				ev.FirstRange = p.Diagnostics[0].Range
			}
			for i := 0; i < len(p.Diagnostics) && i < 3; i++ {
				ev.Sample = append(ev.Sample, p.Diagnostics[i].Message)
			}
			c.mu.Lock()
			c.diags = append(c.diags, ev)
			c.mu.Unlock()
			select {
			case c.diagSig <- struct{}{}:
			default:
			}
		case m.Method != "":
			if c.onNotify != nil {
				c.onNotify(m.Method, m.Params)
			}
		default: // response
			id, err := strconv.ParseInt(strings.Trim(string(m.ID), `"`), 10, 64)
			if err != nil {
				continue
			}
			c.mu.Lock()
			ch := c.pending[id]
			delete(c.pending, id)
			c.mu.Unlock()
			if ch != nil {
				ch <- response{result: m.Result, err: m.Error, at: at}
			}
		}
	}
}

// call sends a request and waits for its response or the context's end.
// It returns the result and the time the response frame was read.
func (c *conn) call(ctx context.Context, method string, params any) (json.RawMessage, time.Time, error) {
	id := c.nextID.Add(1)
	ch := make(chan response, 1)
	c.mu.Lock()
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params}); err != nil {
		c.forget(id)
		return nil, time.Time{}, err
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return nil, time.Time{}, c.connErr()
		}
		if r.err != nil {
			return nil, r.at, r.err
		}
		return r.result, r.at, nil
	case <-c.closed:
		// The reader may have delivered the response just before closing.
		select {
		case r, ok := <-ch:
			if ok {
				if r.err != nil {
					return nil, r.at, r.err
				}
				return r.result, r.at, nil
			}
		default:
		}
		c.forget(id)
		return nil, time.Time{}, c.connErr()
	case <-ctx.Done():
		c.forget(id)
		// Tell the server we gave up; ignore errors.
		_ = c.notify("$/cancelRequest", map[string]any{"id": id})
		return nil, time.Time{}, ctx.Err()
	}
}

func (c *conn) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

func (c *conn) connErr() error {
	if c.readErr != nil {
		return fmt.Errorf("connection closed: %w", c.readErr)
	}
	return errors.New("connection closed")
}

func (c *conn) notify(method string, params any) error {
	return c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// drainDiags removes and returns the queued publishDiagnostics events.
func (c *conn) drainDiags() []diagEvent {
	c.mu.Lock()
	d := c.diags
	c.diags = nil
	c.mu.Unlock()
	return d
}

// waitDiag waits until match accepts a queued event (events it rejects are
// discarded and counted in skipped) or the deadline passes.
func (c *conn) waitDiag(deadline time.Time, match func(diagEvent) bool) (ev diagEvent, skipped int, err error) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		c.mu.Lock()
		for len(c.diags) > 0 {
			e := c.diags[0]
			c.diags = c.diags[1:]
			if match(e) {
				c.mu.Unlock()
				return e, skipped, nil
			}
			skipped++
		}
		c.mu.Unlock()
		select {
		case <-c.diagSig:
		case <-c.closed:
			// Re-check the queue once: the last events may have arrived
			// just before the stream ended.
			c.mu.Lock()
			n := len(c.diags)
			c.mu.Unlock()
			if n == 0 {
				return diagEvent{}, skipped, c.connErr()
			}
		case <-timer.C:
			return diagEvent{}, skipped, errTimeout
		}
	}
}

var errTimeout = errors.New("timeout")
