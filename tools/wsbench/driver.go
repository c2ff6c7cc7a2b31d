package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"go.lsp.dev/uri"
)

// phase is one measured step: wall-clock time and the CPU time of the
// server and the client processes meanwhile. On a shared machine the CPU time
// is the steadier figure: wall-clock time includes waiting for a core.
type phase struct{ Wall, CPU time.Duration }

func (p phase) String() string { return fmt.Sprintf("%s\t%s", ms(p.Wall), ms(p.CPU)) }

// measure runs f and returns its phase.
func measure(f func() error) (phase, error) {
	c0, t0 := cpuTime(), time.Now()
	err := f()
	return phase{Wall: time.Since(t0), CPU: cpuTime() - c0}, err
}

// cpuTime is the user and system time so far of this process and of the
// running servers.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	t := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	servers.Lock()
	defer servers.Unlock()
	for _, c := range servers.list {
		t += c.cpu()
	}
	return t
}

// result holds the measurements of one run.
type result struct {
	TextBytes    int64
	Index        phase  // initialize → $/progress end
	OpenAll      phase  // didOpen of every document → all first diagnostics
	ChangeWatch  phase  // shared file changed (watcher event) → all dependents republished
	ChangePoll   phase  // the same, noticed by polling
	LiveHeap     uint64 // of the server, after a collection, everything open
	PeakRSS      uint64 // VmHWM of the server process (0 where /proc is missing)
	PeakIndex    uint64 // VmHWM after discovery
	PeakOpen     uint64 // VmHWM after every document opened
	Dependents   int
	Publications int
}

func (r result) table() string {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	ratio := func(n uint64) string {
		return fmt.Sprintf("%.1f MiB (%.1f× the text)", float64(n)/(1<<20), float64(n)/float64(r.TextBytes))
	}
	fmt.Fprintln(w, "metric\twall\tCPU")
	fmt.Fprintf(w, "start → every document found and analyzed ($/progress end)\t%s\n", r.Index)
	fmt.Fprintf(w, "didOpen of every document → all diagnostics\t%s\n", r.OpenAll)
	fmt.Fprintf(w, "shared file changed (watcher event) → %d dependents republished\t%s\n", r.Dependents, r.ChangeWatch)
	fmt.Fprintf(w, "shared file changed (polling fallback) → %d dependents republished\t%s\n", r.Dependents, r.ChangePoll)
	fmt.Fprintf(w, "live heap of the server, every document open\t%s\t\n", ratio(r.LiveHeap))
	if r.PeakRSS > 0 {
		fmt.Fprintf(w, "peak RSS of the server process after discovery\t%s\t\n", ratio(r.PeakIndex))
		fmt.Fprintf(w, "peak RSS of the server process after every document opened\t%s\t\n", ratio(r.PeakOpen))
		fmt.Fprintf(w, "peak RSS of the server process (first session)\t%s\t\n", ratio(r.PeakRSS))
	}
	w.Flush()
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

// client is a minimal LSP client: it answers the server's requests
// (progress tokens, watcher registration) and records publications.
type client struct {
	conn   *jsonrpc2.Conn
	server *child

	mu           sync.Mutex
	published    map[string][]string // URI → each publication's raw diagnostics
	progressEnd  bool
	registered   bool
	publications int
	changed      chan struct{}
}

func (c *client) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	c.mu.Lock()
	switch req.Method {
	case "textDocument/publishDiagnostics":
		var p struct {
			URI         string          `json:"uri"`
			Diagnostics json.RawMessage `json:"diagnostics"`
		}
		if req.Params != nil && json.Unmarshal(*req.Params, &p) == nil {
			c.published[p.URI] = append(c.published[p.URI], string(p.Diagnostics))
			c.publications++
		}
	case "$/progress":
		if req.Params != nil && bytes.Contains(*req.Params, []byte(`"kind":"end"`)) {
			c.progressEnd = true
		}
	case "client/registerCapability":
		c.registered = true
	}
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
	if !req.Notif {
		_ = conn.Reply(ctx, req.ID, nil)
	}
}

// wait blocks until cond (called with c.mu held) holds or the timeout.
func (c *client) wait(timeout time.Duration, what string, cond func() bool) error {
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		ok := cond()
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-deadline:
			return fmt.Errorf("timeout waiting for %s", what)
		}
	}
}

func (c *client) call(method string, params any) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var res json.RawMessage
	return c.conn.Call(ctx, method, params, &res)
}

func (c *client) notify(method string, params any) error {
	return c.conn.Notify(context.Background(), method, params)
}

// session starts a server process joined to a client by its stdin and
// stdout and initializes it with dir as the workspace folder.
func session(dir string, watch bool) (*client, func(), error) {
	srv, stream, err := startChild()
	if err != nil {
		return nil, nil, err
	}
	c := &client{server: srv, published: map[string][]string{}, changed: make(chan struct{})}
	c.conn = jsonrpc2.NewConn(context.Background(), stream, c)
	closeAll := func() {
		_ = c.call("shutdown", nil)
		_ = c.notify("exit", nil)
		c.conn.Close()
		srv.wait()
	}
	caps := map[string]any{"window": map[string]any{"workDoneProgress": true}}
	if watch {
		caps["workspace"] = map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}
	}
	folder := string(uri.File(dir))
	err = c.call("initialize", map[string]any{
		"processId": nil, "rootUri": folder, "capabilities": caps,
		"workspaceFolders": []any{map[string]any{"uri": folder, "name": filepath.Base(dir)}},
	})
	if err == nil {
		err = c.notify("initialized", map[string]any{})
	}
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return c, closeAll, nil
}

func run(l layout, keep string, timeout time.Duration) (res result, err error) {
	dir, cleanup, err := dirFor(keep)
	if err != nil {
		return res, err
	}
	defer cleanup()
	docs, total, err := generate(dir, l)
	if err != nil {
		return res, err
	}
	res.TextBytes = total
	res.Dependents = len(docs)

	// With file watchers.
	var c *client
	var stop func()
	res.Index, err = measure(func() error {
		var err error
		if c, stop, err = session(dir, true); err != nil {
			return err
		}
		return c.wait(timeout, "indexing ($/progress end)", func() bool { return c.progressEnd })
	})
	if err != nil {
		if stop != nil {
			stop()
		}
		return res, err
	}
	res.PeakIndex = c.server.peakRSS()
	var uris []string
	res.OpenAll, err = measure(func() error {
		var err error
		uris, err = openAll(c, docs, timeout)
		return err
	})
	if err != nil {
		stop()
		return res, err
	}
	res.PeakOpen = c.server.peakRSS()
	if res.LiveHeap, err = c.server.liveHeap(timeout); err != nil {
		stop()
		return res, err
	}
	common := filepath.Join(dir, filepath.FromSlash(commonPath))
	res.ChangeWatch, err = changeShared(c, uris, common, timeout, func() error {
		return c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": string(uri.File(common)), "type": 2}}})
	})
	res.PeakRSS = c.server.peakRSS()
	stop()
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(common, []byte(commonSecurity(20)), 0o644); err != nil {
		return res, err
	}

	// Polling fallback: the client cannot register watchers.
	c, stop, err = session(dir, false)
	if err != nil {
		return res, err
	}
	defer stop()
	if err := c.wait(timeout, "indexing ($/progress end)", func() bool { return c.progressEnd }); err != nil {
		return res, err
	}
	if uris, err = openAll(c, docs, timeout); err != nil {
		return res, err
	}
	res.ChangePoll, err = changeShared(c, uris, common, timeout, func() error { return nil })
	return res, err
}

// openAll opens every document and waits for all first diagnostics.
func openAll(c *client, docs []string, timeout time.Duration) ([]string, error) {
	uris := make([]string, len(docs))
	for i, p := range docs {
		text, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		uris[i] = string(uri.File(p))
		if err := c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uris[i], "languageId": "yaml", "version": 1, "text": string(text)}}); err != nil {
			return nil, err
		}
	}
	err := c.wait(timeout, "first diagnostics of every document", func() bool {
		for _, u := range uris {
			if len(c.published[u]) == 0 {
				return false
			}
		}
		return true
	})
	return uris, err
}

// brokenCommon is the common file with the oauth flow's tokenUrl removed:
// every document must then report it, on each $ref to that scheme.
func brokenCommon() string {
	return strings.Replace(commonSecurity(20), "          tokenUrl: https://auth.example.com/token\n", "", 1)
}

// changeShared writes the broken common file, signals the change, and
// measures until every document has published the new diagnostic.
func changeShared(c *client, uris []string, common string, timeout time.Duration, signal func() error) (phase, error) {
	return measure(func() error { return changeAndWait(c, uris, common, timeout, signal) })
}

func changeAndWait(c *client, uris []string, common string, timeout time.Duration, signal func() error) error {
	c.mu.Lock()
	before := map[string]int{}
	for _, u := range uris {
		before[u] = len(c.published[u])
	}
	c.mu.Unlock()
	if err := os.WriteFile(common, []byte(brokenCommon()), 0o644); err != nil {
		return err
	}
	// A different size makes the change visible to polling even within the
	// file system's timestamp granularity.
	if err := signal(); err != nil {
		return err
	}
	return c.wait(timeout, "every dependent republished with the change", func() bool {
		for _, u := range uris {
			list := c.published[u]
			if len(list) <= before[u] || !strings.Contains(list[len(list)-1], "tokenUrl") {
				return false
			}
		}
		return true
	})
}

// memprofile, when set, receives a heap profile with every document open.
var memprofile string

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.WriteHeapProfile(f)
}

// vmHWM reads the peak RSS (VmHWM) from a /proc/<pid>/status file, in
// bytes (0 if unavailable).
func vmHWM(status string) uint64 {
	data, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseUint(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}
