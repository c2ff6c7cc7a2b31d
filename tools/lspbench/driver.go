package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// ServerSpec says how to start one language server.
type ServerSpec struct {
	Name    string   `json:"name"`
	Command []string `json:"command"`
	// Settings, when non-nil, are sent with workspace/didChangeConfiguration
	// after initialized and served to workspace/configuration requests
	// (looked up by dotted section).
	Settings map[string]any `json:"settings,omitempty"`
	Env      []string       `json:"-"`
	// autoSchema: Settings are yaml-language-server's, with the AsyncAPI
	// schema of each document's version (set per run by the command).
	autoSchema bool
}

// RunConfig is what one measurement run does.
type RunConfig struct {
	Text       []byte // the document, already written to Path
	Path       string
	LanguageID string
	// Keys are the keystrokes, each inserted at the cursor (which then
	// moves after it) with one didChange; TypeAt is the byte offset of the
	// cursor before the first one.
	Keys   []string
	TypeAt int
	// HoverAt and CompleteAt are byte offsets in Text (before typing) of
	// the requests made after typing, cycled; docgen.Cursor stands for the
	// cursor after the last keystroke. Offsets at or after TypeAt move by
	// the typed bytes.
	HoverAt, CompleteAt []int
	Hovers              int
	Completions         int
	Timeout             time.Duration // per keystroke and per request
	OpenTimeout         time.Duration // initialize, and didOpen → first diagnostics
	Quiet               time.Duration // after open: wait until no publish for this long (bounded by OpenTimeout)
	Settle              time.Duration // after each paired publish: collect extra publishes for this long
	Pause               time.Duration // between keystrokes
	// AfterOpen, when set, runs once the open has settled (before typing)
	// with the connection, the document's URI and text and the last
	// publish of the open; Requests is how many requests it may make (for
	// the watchdog's budget). An error ends the run.
	AfterOpen  func(ctx context.Context, c *conn, uri string, text []byte, open diagEvent) error
	Requests   int
	StderrPath string    // server stderr goes there ("" = discarded)
	Log        io.Writer // verbose log (nil = none)
}

// Result holds the raw numbers of one run of one server on one document.
type Result struct {
	Server     string  `json:"server"`
	Document   string  `json:"document"`
	SizeBytes  int     `json:"size_bytes"`
	Round      int     `json:"round"`
	Sync       string  `json:"sync"`
	Versioned  bool    `json:"publishes_version"`
	InitMs     float64 `json:"initialize_ms"`
	OpenMs     float64 `json:"open_to_diagnostics_ms"`
	OpenCPUMs  float64 `json:"open_cpu_ms"`
	OpenDiags  int     `json:"open_diagnostics"`
	OpenFailed bool    `json:"open_timeout"`

	KeystrokeMs       []float64 `json:"keystroke_to_diagnostics_ms"`
	KeystrokeCPUMs    []float64 `json:"keystroke_cpu_ms"`
	KeystrokeTimeouts int       `json:"keystroke_timeouts"`
	ExtraPublishes    int       `json:"extra_publishes"`
	LastDiags         int       `json:"last_diagnostics"`

	HoverMs          []float64 `json:"hover_ms"`
	HoverEmpty       int       `json:"hover_empty"`
	HoverFailed      int       `json:"hover_failed"`
	CompletionMs     []float64 `json:"completion_ms"`
	CompletionEmpty  int       `json:"completion_empty"`
	CompletionFailed int       `json:"completion_failed"`

	PeakRSSBytes int64  `json:"peak_rss_bytes"`
	Error        string `json:"error,omitempty"`

	// Set by the command, not by Run: what was measured, and the cold open
	// of the text as it was after typing (a fresh server process).
	Shape         string  `json:"shape,omitempty"`
	Format        string  `json:"format,omitempty"`
	Place         string  `json:"place,omitempty"`
	ColdTypedMs   float64 `json:"cold_open_typed_state_ms,omitempty"`
	ColdTypedDiag int     `json:"cold_open_typed_state_diagnostics,omitempty"`

	finalText []byte
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// fileURI makes a file:// URI for an absolute path.
func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

func sameURI(a, b string) bool {
	if a == b {
		return true
	}
	ua, err1 := url.PathUnescape(a)
	ub, err2 := url.PathUnescape(b)
	return err1 == nil && err2 == nil && strings.EqualFold(ua, ub)
}

// lookupSection resolves a dotted configuration section ("yaml.schemas").
func lookupSection(settings map[string]any, section string) any {
	if section == "" {
		return settings
	}
	var cur any = settings
	for _, part := range strings.Split(section, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

func clientCapabilities() map[string]any {
	return map[string]any{
		"general": map[string]any{"positionEncodings": []string{"utf-16"}},
		"window":  map[string]any{"workDoneProgress": true, "showMessage": map[string]any{}},
		"workspace": map[string]any{
			"configuration":          true,
			"workspaceFolders":       true,
			"applyEdit":              false,
			"didChangeConfiguration": map[string]any{"dynamicRegistration": true},
		},
		"textDocument": map[string]any{
			"synchronization": map[string]any{"dynamicRegistration": true, "didSave": true},
			"publishDiagnostics": map[string]any{
				"relatedInformation": true, "versionSupport": true,
				"tagSupport": map[string]any{"valueSet": []int{1, 2}}, "codeDescriptionSupport": true, "dataSupport": true,
			},
			"hover": map[string]any{"dynamicRegistration": true, "contentFormat": []string{"markdown", "plaintext"}},
			"completion": map[string]any{
				"dynamicRegistration": true,
				"contextSupport":      true,
				"completionItem": map[string]any{
					"snippetSupport": true, "commitCharactersSupport": true, "deprecatedSupport": true,
					"documentationFormat": []string{"markdown", "plaintext"}, "insertReplaceSupport": true,
					"labelDetailsSupport": true,
					"resolveSupport":      map[string]any{"properties": []string{"documentation", "detail"}},
				},
			},
		},
	}
}

// Run starts the server, measures one document and stops the server. A
// returned error means the run could not produce numbers at all; partial
// failures (timeouts, failed requests) are recorded in the Result.
func Run(ctx context.Context, spec ServerSpec, cfg RunConfig) (res *Result, err error) {
	res = &Result{Server: spec.Name, SizeBytes: len(cfg.Text)}
	logf := func(format string, a ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "[%s] "+format+"\n", append([]any{spec.Name}, a...)...)
		}
	}
	if len(spec.Command) == 0 {
		return res, errors.New("empty server command")
	}

	cmd := exec.Command(spec.Command[0], spec.Command[1:]...)
	cmd.Env = append(os.Environ(), spec.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so the whole group can be killed
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return res, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return res, err
	}
	if cfg.StderrPath != "" {
		f, err := os.Create(cfg.StderrPath)
		if err != nil {
			return res, err
		}
		defer f.Close()
		cmd.Stderr = f
	}
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("start %q: %w", spec.Command[0], err)
	}
	pid := cmd.Process.Pid
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	killGroup := func() {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
	// Watchdog: whatever the server does, the run ends.
	budget := 2*cfg.OpenTimeout + cfg.Quiet + time.Duration(len(cfg.Keys)+cfg.Hovers+cfg.Completions+cfg.Requests+1)*(cfg.Timeout+cfg.Settle+cfg.Pause) + 30*time.Second
	watchdog := time.AfterFunc(budget, func() { logf("watchdog: run exceeded %v, killing", budget); killGroup() })
	defer watchdog.Stop()
	mem := startMemPoller(pid, 20*time.Millisecond)
	memDone := false
	defer func() {
		if !memDone {
			mem.peak()
		}
	}()

	c := newConn(stdout, stdin)
	uri := fileURI(cfg.Path)
	rootURI := fileURI(filepath.Dir(cfg.Path))
	c.onRequest = func(method string, params json.RawMessage) (any, *rpcError) {
		switch method {
		case "workspace/configuration":
			var p struct {
				Items []struct {
					Section string `json:"section"`
				} `json:"items"`
			}
			_ = json.Unmarshal(params, &p)
			out := make([]any, len(p.Items))
			for i, it := range p.Items {
				out[i] = lookupSection(spec.Settings, it.Section)
			}
			return out, nil
		case "workspace/workspaceFolders":
			return []any{map[string]string{"uri": rootURI, "name": "lspbench"}}, nil
		case "workspace/applyEdit":
			return map[string]any{"applied": false}, nil
		case "client/registerCapability", "client/unregisterCapability", "window/workDoneProgress/create",
			"window/showMessageRequest", "workspace/semanticTokens/refresh", "workspace/inlayHint/refresh",
			"workspace/codeLens/refresh", "workspace/diagnostic/refresh", "workspace/inlineValue/refresh":
			return nil, nil
		}
		logf("unanswered server request %s", method)
		return nil, &rpcError{Code: -32601, Message: "lspbench does not handle " + method}
	}
	c.onNotify = func(method string, params json.RawMessage) {
		if method == "window/logMessage" || method == "window/showMessage" {
			logf("%s %s", method, truncate(string(params), 300))
		}
	}
	go c.readLoop()

	defer func() {
		// Shutdown politely, then kill after a grace period.
		if !memDone {
			res.PeakRSSBytes = mem.peak()
			memDone = true
		}
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		_, _, serr := c.call(sctx, "shutdown", nil)
		cancel()
		if serr == nil {
			_ = c.notify("exit", nil)
		}
		_ = stdin.Close()
		select {
		case <-exited:
		case <-time.After(3 * time.Second):
			logf("server did not exit; killing")
		}
		killGroup() // also reaps stray children of the server
		<-exited
	}()

	cpuStart, _ := procCPU(pid)
	t0 := time.Now()
	ictx, cancel := context.WithTimeout(ctx, cfg.OpenTimeout)
	initRes, _, err := c.call(ictx, "initialize", map[string]any{
		"processId":             os.Getpid(),
		"clientInfo":            map[string]string{"name": "lspbench", "version": "1"},
		"locale":                "en",
		"rootPath":              filepath.Dir(cfg.Path),
		"rootUri":               rootURI,
		"workspaceFolders":      []any{map[string]string{"uri": rootURI, "name": "lspbench"}},
		"capabilities":          clientCapabilities(),
		"initializationOptions": map[string]any{},
		"trace":                 "off",
	})
	cancel()
	if err != nil {
		return res, fmt.Errorf("initialize: %w", err)
	}
	res.InitMs = ms(time.Since(t0))
	var ir struct {
		Capabilities struct {
			TextDocumentSync json.RawMessage `json:"textDocumentSync"`
			PositionEncoding string          `json:"positionEncoding"`
		} `json:"capabilities"`
	}
	_ = json.Unmarshal(initRes, &ir)
	incremental := syncKind(ir.Capabilities.TextDocumentSync) == 2
	res.Sync = "full"
	if incremental {
		res.Sync = "incremental"
	}
	if pe := ir.Capabilities.PositionEncoding; pe != "" && pe != "utf-16" {
		logf("server chose position encoding %q although only utf-16 was offered", pe)
	}
	if err := c.notify("initialized", map[string]any{}); err != nil {
		return res, err
	}
	if spec.Settings != nil {
		if err := c.notify("workspace/didChangeConfiguration", map[string]any{"settings": spec.Settings}); err != nil {
			return res, err
		}
	}

	// didOpen → first diagnostics.
	text := append([]byte(nil), cfg.Text...)
	version := 1
	c.drainDiags()
	tOpen := time.Now()
	if err := c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": cfg.LanguageID, "version": version, "text": string(text)}}); err != nil {
		return res, err
	}
	ev, _, err := c.waitDiag(tOpen.Add(cfg.OpenTimeout), func(e diagEvent) bool { return sameURI(e.URI, uri) })
	if err != nil {
		res.OpenFailed = true
		return res, fmt.Errorf("waiting for diagnostics after didOpen: %w", err)
	}
	res.OpenMs = ms(ev.At.Sub(tOpen))
	res.OpenDiags = ev.Count
	res.Versioned = ev.Version != nil
	if cpu, ok := procCPU(pid); ok {
		res.OpenCPUMs = ms(cpu - cpuStart)
	}
	logf("open: %.1f ms, %d diagnostics %q, version %v", res.OpenMs, ev.Count, ev.Sample, fmtVersion(ev.Version))
	// Let the open settle (late publishes of a second validation pass must
	// not be paired with the first keystroke).
	quietUntil := time.Now().Add(cfg.OpenTimeout)
	for cfg.Quiet > 0 {
		e, _, err := c.waitDiag(minTime(time.Now().Add(cfg.Quiet), quietUntil), func(diagEvent) bool { return true })
		if err != nil {
			break
		}
		res.ExtraPublishes++
		if sameURI(e.URI, uri) {
			ev = e
			res.OpenDiags = e.Count
			logf("open: later publish after %.1f ms: %d diagnostics %q", ms(e.At.Sub(tOpen)), e.Count, e.Sample)
		}
	}

	if cfg.AfterOpen != nil {
		if err := cfg.AfterOpen(ctx, c, uri, text, ev); err != nil {
			return res, err
		}
	}

	// Keystrokes: one incremental didChange each, at the cursor.
	offset := cfg.TypeAt
	if len(cfg.Keys) > 0 && (offset < 0 || offset > len(text)) {
		return res, fmt.Errorf("typing offset %d outside the document", offset)
	}
	for k, ch := range cfg.Keys {
		pos := positionAt(text, offset)
		next := make([]byte, 0, len(text)+len(ch))
		next = append(append(append(next, text[:offset]...), ch...), text[offset:]...)
		version++
		var change map[string]any
		if incremental {
			change = map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": ch}
		} else {
			change = map[string]any{"text": string(next)}
		}
		res.ExtraPublishes += len(c.drainDiags())
		cpu0, cpuOK := procCPU(pid)
		tk := time.Now()
		if err := c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{change}}); err != nil {
			return res, fmt.Errorf("didChange: %w", err)
		}
		text, offset = next, offset+len(ch)
		want := version
		ev, skipped, err := c.waitDiag(tk.Add(cfg.Timeout), func(e diagEvent) bool {
			return sameURI(e.URI, uri) && (e.Version == nil || *e.Version >= want)
		})
		res.ExtraPublishes += skipped
		if err == errTimeout {
			res.KeystrokeTimeouts++
			logf("keystroke %d: no diagnostics within %v", k+1, cfg.Timeout)
			continue
		} else if err != nil {
			return res, fmt.Errorf("keystroke %d: %w", k+1, err)
		}
		res.KeystrokeMs = append(res.KeystrokeMs, ms(ev.At.Sub(tk)))
		res.LastDiags = ev.Count
		if k == len(cfg.Keys)-1 {
			logf("after typing: %d diagnostics %q", ev.Count, ev.Sample)
		}
		if cpu1, ok := procCPU(pid); ok && cpuOK {
			res.KeystrokeCPUMs = append(res.KeystrokeCPUMs, ms(cpu1-cpu0))
		}
		if cfg.Settle > 0 {
			time.Sleep(cfg.Settle)
		}
		if cfg.Pause > 0 {
			time.Sleep(cfg.Pause)
		}
	}
	res.finalText = text

	// Requests on the text as typing left it.
	inserted := len(text) - len(cfg.Text)
	moved := func(off int) int {
		switch {
		case off == docgen.Cursor:
			return cfg.TypeAt + inserted
		case off >= cfg.TypeAt:
			return off + inserted
		}
		return off
	}
	request := func(method string, off int) (time.Duration, bool, error) {
		// The position is computed before the clock starts: on a one-line
		// (minified) document of megabytes it is a scan of the line up to
		// the offset, milliseconds of the client's own time.
		params := map[string]any{"textDocument": map[string]string{"uri": uri}, "position": positionAt(text, off)}
		if method == "textDocument/completion" {
			params["context"] = map[string]any{"triggerKind": 1}
		}
		rctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
		t := time.Now()
		r, at, err := c.call(rctx, method, params)
		if err != nil {
			return 0, false, err
		}
		return at.Sub(t), isEmptyResult(r), nil
	}
	for i := 0; i < cfg.Hovers && len(cfg.HoverAt) > 0; i++ {
		d, empty, err := request("textDocument/hover", moved(cfg.HoverAt[i%len(cfg.HoverAt)]))
		if err != nil {
			res.HoverFailed++
			logf("hover %d: %v", i+1, err)
			if c.isClosed() {
				return res, err
			}
			continue
		}
		res.HoverMs = append(res.HoverMs, ms(d))
		if empty {
			res.HoverEmpty++
		}
	}
	for i := 0; i < cfg.Completions && len(cfg.CompleteAt) > 0; i++ {
		d, empty, err := request("textDocument/completion", moved(cfg.CompleteAt[i%len(cfg.CompleteAt)]))
		if err != nil {
			res.CompletionFailed++
			logf("completion %d: %v", i+1, err)
			if c.isClosed() {
				return res, err
			}
			continue
		}
		res.CompletionMs = append(res.CompletionMs, ms(d))
		if empty {
			res.CompletionEmpty++
		}
	}
	return res, nil
}

func (c *conn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// syncKind reads textDocumentSync: a number or {change: number}.
func syncKind(raw json.RawMessage) int {
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return n
	}
	var o struct {
		Change int `json:"change"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return o.Change
	}
	return 0
}

// isEmptyResult: null, [], {"items":[]} or a hover without contents.
func isEmptyResult(r json.RawMessage) bool {
	t := bytes.TrimSpace(r)
	if len(t) == 0 || string(t) == "null" || string(t) == "[]" {
		return true
	}
	var o map[string]json.RawMessage
	if json.Unmarshal(t, &o) != nil {
		return false
	}
	if items, ok := o["items"]; ok {
		return string(bytes.TrimSpace(items)) == "[]"
	}
	if contents, ok := o["contents"]; ok {
		s := string(bytes.TrimSpace(contents))
		return s == `""` || s == "[]" || s == "null" || strings.Contains(s, `"value":""`)
	}
	return false
}

func fmtVersion(v *int) string {
	if v == nil {
		return "none"
	}
	return fmt.Sprint(*v)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
