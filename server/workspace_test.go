package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/markertest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/wstest"
	"go.lsp.dev/uri"
)

// initializeFolders initializes with root as the workspace folder and
// the given client capabilities.
func (c *testClient) initializeFolders(root string, watch bool) {
	c.t.Helper()
	caps := map[string]any{"window": map[string]any{"workDoneProgress": true}}
	if watch {
		caps["workspace"] = map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}
	}
	folder := string(uri.File(root))
	var res json.RawMessage
	c.mustCall("initialize", map[string]any{
		"processId": nil, "rootUri": folder, "capabilities": caps,
		"workspaceFolders": []any{map[string]any{"uri": folder, "name": "ws"}},
	}, &res)
	c.notify("initialized", map[string]any{})
}

// startWorkspace copies the multi-file fixture and starts a server with it
// as the workspace folder.
func startWorkspace(t *testing.T, watch bool) (*testClient, *Server, wstest.Workspace) {
	t.Helper()
	w := wstest.Setup(t, "../testdata/multifile/ws")
	c, s := newPipeClient(t, nil)
	c.initializeFolders(w.Root, watch)
	return c, s, w
}

// openAndWait opens the fixture document rel and waits for its first
// diagnostics.
func (c *testClient) openAndWait(w wstest.Workspace, rel string) (string, publishedDiagnostics) {
	c.t.Helper()
	u := c.openFile(w.Path(rel))
	return u, c.waitDiagnostics(u, 1)
}

// waitFor waits until cond (called with c.mu held) holds.
func (c *testClient) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		ok := cond()
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			c.t.Fatalf("timeout waiting for %s", what)
		}
	}
}

type lspDiagnostic struct {
	Code               string
	Message            string
	Range              syntax.PosRange
	RelatedInformation []struct {
		Location struct {
			URI   string
			Range syntax.PosRange
		}
		Message string
	}
}

func decodeDiagnostics(t *testing.T, p publishedDiagnostics) []lspDiagnostic {
	t.Helper()
	out := make([]lspDiagnostic, len(p.Diagnostics))
	for i, raw := range p.Diagnostics {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func hasCode(ds []lspDiagnostic, code, inMessage string) bool {
	for _, d := range ds {
		if d.Code == code && strings.Contains(d.Message, inMessage) {
			return true
		}
	}
	return false
}

func (c *testClient) openFile(path string) string {
	c.t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	u := string(uri.File(path))
	c.open(u, string(text))
	return u
}

// TestWorkspaceMarkersThroughTheServer opens each document of the
// multi-file fixture in a workspace and matches the published diagnostics
// with its markers one to one; a diagnostic caused by another file has its
// first related information in that file.
func TestWorkspaceMarkersThroughTheServer(t *testing.T) {
	c, _, w := startWorkspace(t, true)
	for _, rel := range []string{"api/orders.yaml", "api/payments-v2.yaml", "api/schema.yaml"} {
		mc, err := markertest.ParseDocument(w.Path(rel))
		if err != nil {
			t.Fatal(err)
		}
		u := c.openFile(w.Path(rel))
		ds := decodeDiagnostics(t, c.waitDiagnostics(u, 1))
		m := syntax.NewMapper(mc.Doc)
		var got []markertest.Got
		for _, d := range ds {
			r := m.Range(d.Range)
			got = append(got, markertest.Got{Code: d.Code, Start: r.Start, End: r.End, Line: d.Range.Start.Line, Message: d.Message})
		}
		for _, p := range mc.MatchDiagnostics(got) {
			t.Errorf("%s: %s", rel, p)
		}
		if rel != "api/orders.yaml" {
			continue
		}
		for _, d := range ds {
			if d.Code != "security-undefined-scope" {
				continue
			}
			if len(d.RelatedInformation) == 0 || d.RelatedInformation[0].Location.URI != string(uri.File(w.Path("shared/security.yaml"))) {
				t.Errorf("related information of %s: %+v", d.Message, d.RelatedInformation)
			} else if l := d.RelatedInformation[0].Location.Range.Start.Line; l != 29 {
				t.Errorf("related line %d, want 29 (orders:delete in security.yaml)", l)
			}
		}
	}
}

// TestWorkspaceFileChangeRepublishesDependents: the server registers file
// watchers; a change on disk to a shared file, announced by
// workspace/didChangeWatchedFiles, republishes the open documents that
// read it (here through a chain: servers.yaml -> security.yaml).
func TestWorkspaceFileChangeRepublishesDependents(t *testing.T) {
	c, _, w := startWorkspace(t, true)
	c.waitFor("the watcher registration", func() bool {
		for _, m := range c.other {
			if m.Method == "client/registerCapability" && strings.Contains(string(m.Params), watchRegistrationID) {
				return true
			}
		}
		return false
	})
	u, p0 := c.openAndWait(w, "api/orders.yaml")
	first := decodeDiagnostics(t, p0)
	if !hasCode(first, "security-undefined-scope", "orders:delete") {
		t.Fatalf("before the change: %+v", first)
	}
	n := c.published(u)
	sec := w.Path("shared/security.yaml")
	text, _ := os.ReadFile(sec)
	fixed := strings.Replace(string(text), "            orders:write: Place orders\n      scopes:\n        - orders:delete",
		"            orders:write: Place orders\n            orders:delete: Cancel orders\n      scopes:\n        - orders:delete", 1)
	if fixed == string(text) {
		t.Fatal("the fixture changed: cannot fix the scope")
	}
	if err := os.WriteFile(sec, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": string(uri.File(sec)), "type": 2}}})
	p, _ := c.waitPublication(u, n, anyPublication)
	if after := decodeDiagnostics(t, p); hasCode(after, "security-undefined-scope", "orders:delete") {
		t.Errorf("after the change the scope is still undefined: %+v", after)
	}

	// A file created later (the missing one) is picked up too.
	n = c.published(u)
	if err := os.WriteFile(w.Path("shared/missing.yaml"), []byte("components:\n  securitySchemes:\n    oauth:\n      type: X509\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": string(uri.File(w.Path("shared/missing.yaml"))), "type": 1}}})
	p, _ = c.waitPublication(u, n, anyPublication)
	if after := decodeDiagnostics(t, p); hasCode(after, "ref-unresolved", "missing.yaml") {
		t.Errorf("after creating the missing file: %+v", after)
	}
}

// TestWorkspacePollingFallback: a client that cannot register watchers
// gets no registration request, and a change on disk is still noticed (by
// polling) without any notification from the client.
func TestWorkspacePollingFallback(t *testing.T) {
	c, _, w := startWorkspace(t, false)
	u, p0 := c.openAndWait(w, "api/payments-v2.yaml")
	first := decodeDiagnostics(t, p0)
	if !hasCode(first, "security-undefined-scope", "orders:admin") {
		t.Fatalf("before the change: %+v", first)
	}
	n := c.published(u)
	srv := w.Path("shared/servers-v2.yaml")
	text, _ := os.ReadFile(srv)
	if err := os.WriteFile(srv, []byte(strings.Replace(string(text), "        - orders:admin\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	p, _ := c.waitPublication(u, n, anyPublication)
	if after := decodeDiagnostics(t, p); hasCode(after, "security-undefined-scope", "orders:admin") {
		t.Errorf("after the change: %+v", after)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.other {
		if m.Method == "client/registerCapability" {
			t.Errorf("registration sent to a client without dynamic registration: %s", m.Params)
		}
	}
}

// TestWorkspacePollingFindsNewDocuments: a client that cannot watch files
// still sees AsyncAPI documents created under the workspace folder after
// the start (in a known directory, in a new directory, and one created
// empty and written in place) and stops seeing one that is removed:
// workspace/symbol, which searches the indexed documents, tells.
func TestWorkspacePollingFindsNewDocuments(t *testing.T) {
	c, _, w := startWorkspace(t, false)
	c.waitFor("$/progress end", func() bool {
		for _, m := range c.other {
			if m.Method == "$/progress" && strings.Contains(string(m.Params), `"kind":"end"`) {
				return true
			}
		}
		return false
	})
	// symbols returns the paths (relative to the folder) of the documents
	// with an operation whose name holds query.
	symbols := func(query string) string {
		var got []struct{ Location struct{ URI string } }
		c.mustCall("workspace/symbol", map[string]any{"query": query}, &got)
		var paths []string
		for _, s := range got {
			paths = append(paths, strings.TrimPrefix(uriPath(s.Location.URI), w.Root+"/"))
		}
		return strings.Join(paths, ",")
	}
	waitSymbols := func(query, want string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		got := symbols(query)
		for got != want && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			got = symbols(query)
		}
		if got != want {
			t.Fatalf("workspace/symbol %s: %q, want %q", query, got, want)
		}
	}
	write := func(rel, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(w.Path(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(w.Path(rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc := func(op string) string {
		return "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\noperations:\n  " + op + ":\n    action: send\n"
	}
	waitSymbols("polled", "")
	write("api/polled-known.yaml", doc("polledKnownDir"))
	write("api/v3/deep/polled-new.yaml", doc("polledNewDir"))
	waitSymbols("polled", "api/polled-known.yaml,api/v3/deep/polled-new.yaml")

	write("api/later.yaml", "")
	waitSymbols("later", "")
	// Written in place: the directory does not change, the new file does.
	f, err := os.OpenFile(w.Path("api/later.yaml"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(doc("laterWritten")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	waitSymbols("later", "api/later.yaml")

	if err := os.Remove(w.Path("api/polled-known.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(w.Path("api/v3")); err != nil {
		t.Fatal(err)
	}
	waitSymbols("polled", "")
	waitSymbols("later", "api/later.yaml")
}

// TestWorkspaceOpenSharedFileWins: a shared file open in the editor is read
// from the editor's text, and each edit of it republishes its dependents.
func TestWorkspaceOpenSharedFileWins(t *testing.T) {
	c, _, w := startWorkspace(t, true)
	u, _ := c.openAndWait(w, "api/payments-v2.yaml")
	shared := w.Path("shared/servers-v2.yaml")
	su := c.openFile(shared)
	n := c.published(u)
	text, _ := os.ReadFile(shared)
	edited := strings.Replace(string(text), "orders:admin", "orders:write", 1)
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": su, "version": 2}, "contentChanges": []any{map[string]any{"text": edited}}})
	c.waitPublication(u, n, func(p publishedDiagnostics) bool {
		return !hasCode(decodeDiagnostics(t, p), "security-undefined-scope", "orders:admin")
	})
	// Closing the editor buffer: the disk text (with orders:admin) applies again.
	n = c.published(u)
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": su}})
	c.waitPublication(u, n, func(p publishedDiagnostics) bool {
		return hasCode(decodeDiagnostics(t, p), "security-undefined-scope", "orders:admin")
	})
}

// TestWorkspaceDiscovery: on start the server finds the AsyncAPI documents
// of the workspace folder (not the shared files, not the notes) with
// $/progress, and analyzes them although none is open.
func TestWorkspaceDiscovery(t *testing.T) {
	c, s, w := startWorkspace(t, true)
	var kinds []string
	c.waitFor("$/progress end", func() bool {
		kinds = kinds[:0]
		for _, m := range c.other {
			if m.Method == "$/progress" {
				var p struct{ Value struct{ Kind string } }
				_ = json.Unmarshal(m.Params, &p)
				kinds = append(kinds, p.Value.Kind)
			}
		}
		return len(kinds) > 0 && kinds[len(kinds)-1] == "end"
	})
	if kinds[0] != "begin" {
		t.Errorf("progress kinds %v", kinds)
	}
	var created bool
	c.mu.Lock()
	for _, m := range c.other {
		created = created || m.Method == "window/workDoneProgress/create"
	}
	c.mu.Unlock()
	if !created {
		t.Error("no window/workDoneProgress/create before $/progress")
	}
	docs := s.workspaceDocuments(context.Background())
	var paths []string
	for _, d := range docs {
		paths = append(paths, strings.TrimPrefix(d.Path, w.Root+"/"))
		if d.Open {
			t.Errorf("%s is open", d.Path)
		}
	}
	if got := strings.Join(paths, ","); got != "api/orders.yaml,api/payments-v2.yaml,api/schema.yaml" {
		t.Errorf("workspace documents: %s", got)
	}
	// The index follows their $refs like open documents do.
	for _, d := range docs {
		if len(d.Doc.Files()) == 0 {
			t.Errorf("%s: no files read", d.Path)
		}
	}
}

// TestWorkspaceDefinitionAndHoverAcrossFiles: definition on a $ref into
// another file goes to the key that names the target there; hover on an
// operation shows the security of a server defined in another file.
func TestWorkspaceDefinitionAndHoverAcrossFiles(t *testing.T) {
	c, _, w := startWorkspace(t, true)
	u, _ := c.openAndWait(w, "api/orders.yaml")
	text, _ := os.ReadFile(w.Path("api/orders.yaml"))
	m := syntax.NewMapper(text)
	at := func(s string) map[string]any {
		off := strings.Index(string(text), s)
		if off < 0 {
			t.Fatalf("no %q", s)
		}
		p := m.Position(off + 3)
		return map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": p.Line, "character": p.Character}}
	}
	var loc struct {
		URI   string
		Range syntax.PosRange
	}
	c.mustCall("textDocument/definition", at("'../shared/security.yaml#/components/securitySchemes/ordersWrite'"), &loc)
	if loc.URI != string(uri.File(w.Path("shared/security.yaml"))) || loc.Range.Start.Line != 12 || loc.Range.Start.Character != 4 {
		t.Errorf("definition = %+v, want security.yaml 13:5 (ordersWrite)", loc)
	}
	c.mustCall("textDocument/definition", at("'../shared/servers.yaml#/production'"), &loc)
	if loc.URI != string(uri.File(w.Path("shared/servers.yaml"))) || loc.Range.Start.Line != 1 {
		t.Errorf("definition = %+v, want servers.yaml line 2 (production)", loc)
	}
	var h struct{ Contents struct{ Value string } }
	c.mustCall("textDocument/hover", at("placeOrder:"), &h)
	for _, want := range []string{"production", "saslScram", "scramSha512", "ordersWrite", "orders:write", "../shared/schemes.json#/apiKey"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover on placeOrder lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	if strings.Contains(h.Contents.Value, "not followed") || !strings.Contains(h.Contents.Value, "**Server `plain`** (kafka): no server security") {
		t.Errorf("hover on placeOrder:\n%s", h.Contents.Value)
	}
}

// TestWorkspaceFoldersChange: with only api/ as the workspace folder, the
// shared files are outside and refused; when the client adds the parent
// folder, the open document is analyzed again and its $refs followed.
func TestWorkspaceFoldersChange(t *testing.T) {
	w := wstest.Setup(t, "../testdata/multifile/ws")
	c, _ := newPipeClient(t, nil)
	c.initializeFolders(w.Path("api"), true)
	u, p0 := c.openAndWait(w, "api/payments-v2.yaml")
	if first := decodeDiagnostics(t, p0); !hasCode(first, "ref-outside-workspace", "servers-v2.yaml") {
		t.Fatalf("with api/ only: %+v", first)
	}
	n := c.published(u)
	c.notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{
		"added":   []any{map[string]any{"uri": string(uri.File(w.Root)), "name": "ws"}},
		"removed": []any{map[string]any{"uri": string(uri.File(w.Path("api"))), "name": "api"}},
	}})
	c.waitPublication(u, n, func(p publishedDiagnostics) bool {
		ds := decodeDiagnostics(t, p)
		return !hasCode(ds, "ref-outside-workspace", "") && hasCode(ds, "security-undefined-scope", "orders:admin")
	})
}
