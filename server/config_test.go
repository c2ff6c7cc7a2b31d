package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/uri"
)

// waitPublication waits for a publication for u after the first `after`
// ones that satisfies pred, and returns it with the new count.
func (c *testClient) waitPublication(u string, after int, pred func(publishedDiagnostics) bool) (publishedDiagnostics, int) {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		list := c.diags[u]
		for i := after; i < len(list); i++ {
			if pred(list[i]) {
				c.mu.Unlock()
				return list[i], i + 1
			}
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			c.t.Fatalf("no matching diagnostics for %s after publication %d; got %d", u, after, len(list))
		}
	}
}

func (c *testClient) published(u string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.diags[u])
}

func anyPublication(publishedDiagnostics) bool { return true }

// waitPublishCalls waits until n publish calls of the document uri have
// ended, whether they sent diagnostics or not.
func waitPublishCalls(t *testing.T, s *Server, uri string, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		d := s.docs.get(uri)
		calls := 0
		if d != nil {
			d.mu.Lock()
			calls = d.publishCalls
			d.mu.Unlock()
		}
		if calls >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d publish calls, want %d", uri, calls, n)
		}
	}
}

type configWorkspace struct {
	t    *testing.T
	root string
}

func (w configWorkspace) write(rel, text string) string {
	p := filepath.Join(w.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return p
}

func (w configWorkspace) uri(rel string) string {
	return string(uri.File(filepath.Join(w.root, filepath.FromSlash(rel))))
}

func initializeWorkspace(c *testClient, root string, watch bool, options any) {
	c.t.Helper()
	var res json.RawMessage
	c.mustCall("initialize", map[string]any{
		"processId": nil, "rootUri": string(uri.File(root)), "initializationOptions": options,
		"capabilities": map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": watch}}},
	}, &res)
	c.notify("initialized", map[string]any{})
}

// TestConfigFileThroughTheServer drives a client that watches files: the
// server registers the watcher, applies the workspace's config file (it
// wins over the client's severityOverrides for the codes it sets), reports
// a broken config file on the file itself and falls back to defaults, and
// reloads on workspace/didChangeWatchedFiles.
func TestConfigFileThroughTheServer(t *testing.T) {
	w := configWorkspace{t, t.TempDir()}
	cfgPath := w.write(".asyncapi-ls.yaml", "severity:\n  security-undefined-scheme: warning\n")
	c, s := newPipeClient(t, nil)
	initializeWorkspace(c, w.root, true, map[string]any{"severityOverrides": map[string]any{
		"security-undefined-scheme": "off", // the config file sets this code: the file wins
		"security-unused-scheme":    "error",
	}})
	doc := w.uri("api/orders.yaml")
	c.open(doc, demoV3+"    unused:\n      type: userPassword\n")
	p := c.waitDiagnostics(doc, 1)
	if sev := severities(t, p); sev["security-undefined-scheme"] != 2 || sev["security-unused-scheme"] != 1 {
		t.Errorf("config + settings: severities %v; want the config's warning and the client's error", sev)
	}
	if !strings.Contains(string(p.raw), `"codeDescription":{"href":"https://github.com/asyncapi-ls/asyncapi-ls/blob/main/docs/rules/security-undefined-scheme.md"}`) {
		t.Errorf("no codeDescription: %s", p.raw)
	}

	// The server asked to watch config files.
	deadline := time.Now().Add(20 * time.Second)
	for {
		changed := c.changedChan()
		c.mu.Lock()
		var list []string
		for _, r := range c.requests {
			list = append(list, string(r))
		}
		c.mu.Unlock()
		reqs := strings.Join(list, "\n")
		// Other registrations (the workspace's watch of referenced files)
		// may come first: wait for the one of the config files.
		if strings.Contains(reqs, `"method":"client/registerCapability"`) &&
			strings.Contains(reqs, `"globPattern":"**/.asyncapi-ls.{yaml,yml,json}"`) {
			if !strings.Contains(reqs, `"method":"workspace/didChangeWatchedFiles"`) {
				t.Errorf("registration: %s", reqs)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no client/registerCapability for the config files")
		}
		<-changed
	}

	// Break the config file: a diagnostic on it, defaults for the document.
	w.write(".asyncapi-ls.yaml", "severity:\n  security-undefined-scheme: [warning\n")
	n := c.published(doc)
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": w.uri(".asyncapi-ls.yaml"), "type": 2}}})
	cp, _ := c.waitPublication(w.uri(".asyncapi-ls.yaml"), 0, anyPublication)
	var cd []struct {
		Code    string
		Message string
		Range   struct{ Start struct{ Line, Character int } }
	}
	raw, _ := json.Marshal(cp.Diagnostics)
	_ = json.Unmarshal(raw, &cd)
	if len(cd) != 1 || cd[0].Code != "config-syntax" || cd[0].Range.Start.Line != 1 || !strings.Contains(cd[0].Message, "using the default configuration") {
		t.Errorf("broken config: %s", cp.raw)
	}
	p, n = c.waitPublication(doc, n, anyPublication)
	if sev := severities(t, p); len(sev) != 1 || sev["security-unused-scheme"] != 1 {
		t.Errorf("broken config: nothing of the file applies, the client's settings do (undefined off, unused error); severities %v", sev)
	}

	// Fix it: the config file's diagnostics are cleared, the new content applies.
	w.write(".asyncapi-ls.yaml", "severity: {security-unused-scheme: off}\nignore: [legacy/**]\n")
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": w.uri(".asyncapi-ls.yaml"), "type": 2}}})
	c.waitPublication(w.uri(".asyncapi-ls.yaml"), 1, func(p publishedDiagnostics) bool { return len(p.Diagnostics) == 0 })
	p, n = c.waitPublication(doc, n, anyPublication)
	if sev := severities(t, p); len(sev) != 0 {
		t.Errorf("fixed config: severities %v; want the client's off for security-undefined-scheme and the file's off for unused", sev)
	}

	// A document the config ignores gets nothing; ignoring it later clears it.
	legacy := w.uri("legacy/old.yaml")
	c.open(legacy, demoV3)
	// Its analysis has gone through publish (sending nothing) before the
	// config changes: else the change and the analysis would both publish it.
	waitPublishCalls(t, s, legacy, 1)
	other := w.uri("api/other.yaml")
	c.open(other, demoV3)
	c.waitDiagnostics(other, 1)
	w.write(".asyncapi-ls.yaml", "ignore: ['api/other.yaml']\n")
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": w.uri(".asyncapi-ls.yaml"), "type": 2}}})
	c.waitPublication(other, 1, func(p publishedDiagnostics) bool { return len(p.Diagnostics) == 0 })
	p, _ = c.waitPublication(legacy, 0, anyPublication) // no longer ignored: now it is published
	if sev := severities(t, p); len(sev) != 0 {
		t.Errorf("legacy after the ignore changed (its only problem is off in the client's settings): %v", sev)
	}
	if got := c.published(legacy); got != 1 {
		t.Errorf("while ignored, legacy/old.yaml got %d publications before this one", got-1)
	}

	// Deleting the config file: defaults (and the client's settings).
	if err := os.Remove(cfgPath); err != nil {
		t.Fatal(err)
	}
	n = c.published(doc)
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": w.uri(".asyncapi-ls.yaml"), "type": 3}}})
	p, _ = c.waitPublication(doc, n, anyPublication)
	if sev := severities(t, p); sev["security-undefined-scheme"] != 0 || sev["security-unused-scheme"] != 1 {
		t.Errorf("without a config file, the client's settings alone: %v", sev)
	}
}

// TestConfigFileReloadWithoutWatcher: a client without dynamic watcher
// registration gets the config re-read at didSave (and didOpen).
func TestConfigFileReloadWithoutWatcher(t *testing.T) {
	w := configWorkspace{t, t.TempDir()}
	w.write("specs/.asyncapi-ls.json", `{"severity": {"security-undefined-scheme": "hint"}}`)
	w.write(".asyncapi-ls.yaml", "severity: {security-undefined-scheme: off}\n") // farther away: not used
	c, _ := newPipeClient(t, nil)
	initializeWorkspace(c, w.root, false, nil)
	doc := w.uri("specs/v3/doc.yaml")
	c.open(doc, demoV3)
	p := c.waitDiagnostics(doc, 1)
	if sev := severities(t, p); sev["security-undefined-scheme"] != 4 {
		t.Errorf("nearest config: %v", sev)
	}
	c.mu.Lock()
	if len(c.requests) != 0 {
		t.Errorf("registered a watcher with a client that cannot: %s", c.requests)
	}
	c.mu.Unlock()
	w.write("specs/.asyncapi-ls.json", `{"severity": {"security-undefined-scheme": "information"}, "colour": 1}`)
	n := c.published(doc)
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": doc}})
	p, _ = c.waitPublication(doc, n, anyPublication)
	if sev := severities(t, p); sev["security-undefined-scheme"] != 3 {
		t.Errorf("after didSave: %v", sev)
	}
	cp, n := c.waitPublication(w.uri("specs/.asyncapi-ls.json"), 0, anyPublication)
	if !strings.Contains(string(cp.raw), `unknown key \"colour\"`) || !strings.Contains(string(cp.raw), `"code":"config-invalid"`) {
		t.Errorf("config diagnostics: %s", cp.raw)
	}
	// Another single problem: the same count, a new publication; saving
	// the config file itself reloads it.
	w.write("specs/.asyncapi-ls.json", `{"severity": {"security-undefined-scheme": "fatal"}}`)
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": w.uri("specs/.asyncapi-ls.json")}})
	cp, _ = c.waitPublication(w.uri("specs/.asyncapi-ls.json"), n, anyPublication)
	if !strings.Contains(string(cp.raw), "must be one of error, warning") || len(cp.Diagnostics) != 1 {
		t.Errorf("config diagnostics after the second edit: %s", cp.raw)
	}
}

func (c *testClient) changedChan() chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// TestOpenConfigFileFollowsItsText: a config file open in the editor gets
// its diagnostics from the text being typed (versioned), and from disk
// again once closed.
func TestOpenConfigFileFollowsItsText(t *testing.T) {
	w := configWorkspace{t, t.TempDir()}
	w.write(".asyncapi-ls.yaml", "severity: {security-undefined-scheme: warning}\n")
	c, _ := newPipeClient(t, nil)
	initializeWorkspace(c, w.root, true, nil)
	cfg := w.uri(".asyncapi-ls.yaml")
	c.open(cfg, "severity: {security-undefined-scheme: warning}\n")
	p := c.waitDiagnostics(cfg, 1)
	if len(p.Diagnostics) != 0 {
		t.Errorf("a valid config: %s", p.raw)
	}
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": cfg, "version": 2},
		"contentChanges": []any{map[string]any{"text": "severity: {security-undefined-schem: warning}\n"}},
	})
	p = c.waitDiagnostics(cfg, 2)
	if !strings.Contains(string(p.raw), `did you mean security-undefined-scheme?`) || !strings.Contains(string(p.raw), `"start":{"character":11,"line":0}`) {
		t.Errorf("while typing: %s", p.raw)
	}
	// The document still gets the saved settings.
	doc := w.uri("doc.yaml")
	c.open(doc, demoV3)
	if sev := severities(t, c.waitDiagnostics(doc, 1)); sev["security-undefined-scheme"] != 2 {
		t.Errorf("unsaved config text must not apply: %v", sev)
	}
	n := c.published(cfg)
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": cfg}})
	p, _ = c.waitPublication(cfg, n, anyPublication)
	if len(p.Diagnostics) != 0 || p.Version != nil {
		t.Errorf("closed: the file on disk is valid: %s", p.raw)
	}
}
