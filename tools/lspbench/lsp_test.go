package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

func TestFramingRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	bodies := []string{`{"jsonrpc":"2.0","method":"a"}`, ``, `{"text":"é日🙂\r\n"}`, strings.Repeat("x", 100_000)}
	for _, b := range bodies {
		if err := writeMessage(&buf, []byte(b)); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.HasPrefix(buf.String(), "Content-Length: 30\r\n\r\n{") {
		t.Fatalf("bad frame: %q", buf.String()[:40])
	}
	r := bufio.NewReader(&buf)
	for i, want := range bodies {
		got, err := readMessage(r)
		if err != nil || string(got) != want {
			t.Fatalf("message %d: %q, %v", i, truncate(string(got), 40), err)
		}
	}
	if _, err := readMessage(r); err != io.EOF {
		t.Fatalf("at end: %v, want io.EOF", err)
	}
}

func TestFramingHeaders(t *testing.T) {
	in := "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{}" +
		"Content-Length: 3\n\n[1]" // bare LF tolerated
	r := bufio.NewReader(strings.NewReader(in))
	for _, want := range []string{"{}", "[1]"} {
		got, err := readMessage(r)
		if err != nil || string(got) != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	for _, bad := range []string{
		"Content-Type: x\r\n\r\n{}",            // no length
		"Content-Length: -1\r\n\r\n",           // negative
		"Content-Length: abc\r\n\r\n",          // not a number
		"Content-Length: 10\r\n\r\n{}",         // truncated body
		"Content-Length: 2\r\n",                // truncated header
		"Garbage without colon\r\n\r\n",        // malformed
		"Content-Length: 999999999999\r\n\r\n", // too large
	} {
		_, err := readMessage(bufio.NewReader(strings.NewReader(bad)))
		if err == nil || err == io.EOF {
			t.Errorf("%q: err = %v, want a framing error", bad, err)
		}
	}
}

func TestConnRoutesMessages(t *testing.T) {
	// Server side of two pipes, driven by hand.
	toClient, serverOut := io.Pipe()
	serverIn, fromClient := io.Pipe()
	c := newConn(toClient, fromClient)
	c.onRequest = func(method string, _ json.RawMessage) (any, *rpcError) {
		if method == "workspace/configuration" {
			return []any{map[string]int{"v": 1}}, nil
		}
		return nil, &rpcError{Code: -32601, Message: "no"}
	}
	go c.readLoop()
	sr := bufio.NewReader(serverIn)
	send := func(s string) {
		t.Helper()
		if err := writeMessage(serverOut, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := c.call(t.Context(), "textDocument/hover", map[string]int{"x": 1})
		done <- err
	}()
	req, err := readMessage(sr) // the hover request
	if err != nil || !strings.Contains(string(req), `"id":1`) {
		t.Fatalf("request %s, %v", req, err)
	}
	// The server asks something first, then notifies, then answers.
	send(`{"jsonrpc":"2.0","id":"s1","method":"workspace/configuration","params":{"items":[{"section":"a"}]}}`)
	if reply, _ := readMessage(sr); string(reply) != `{"id":"s1","jsonrpc":"2.0","result":[{"v":1}]}` {
		t.Fatalf("reply %s", reply)
	}
	send(`{"jsonrpc":"2.0","id":7,"method":"unknown/thing"}`)
	if reply, _ := readMessage(sr); !strings.Contains(string(reply), `"code":-32601`) {
		t.Fatalf("reply %s", reply)
	}
	send(`{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///a.yaml","version":3,"diagnostics":[{"message":"m"}]}}`)
	send(`{"jsonrpc":"2.0","id":1,"result":{"contents":"x"}}`)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ev, skipped, err := c.waitDiag(time.Now().Add(5*time.Second), func(e diagEvent) bool { return e.Version != nil && *e.Version == 3 })
	if err != nil || skipped != 0 || ev.Count != 1 || ev.Sample[0] != "m" {
		t.Fatalf("diag %+v skipped %d err %v", ev, skipped, err)
	}
	if _, _, err := c.waitDiag(time.Now().Add(20*time.Millisecond), func(diagEvent) bool { return true }); err != errTimeout {
		t.Fatalf("want timeout, got %v", err)
	}
	serverOut.Close()
	serverIn.Close()
	<-c.closed
	if _, _, err := c.call(t.Context(), "x", nil); err == nil {
		t.Fatal("call on a closed connection succeeded")
	}
}
