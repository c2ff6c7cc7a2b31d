package server

import (
	"encoding/json"
	"math/rand"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// utf16Model is an independent model of an editor buffer: UTF-16 code
// units, with LSP's rules for positions (line breaks \n, \r\n, \r; a
// character past the end of a line means its end; a line past the end
// means the end of the text; inside a surrogate pair rounds down).
type utf16Model struct{ units []uint16 }

func (m *utf16Model) lineStarts() []int {
	starts := []int{0}
	for i := 0; i < len(m.units); i++ {
		switch m.units[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(m.units) && m.units[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return starts
}

func (m *utf16Model) index(line, char int) int {
	starts := m.lineStarts()
	if line >= len(starts) {
		return len(m.units)
	}
	start := starts[line]
	end := len(m.units)
	if line+1 < len(starts) {
		end = starts[line+1]
		if end > start && m.units[end-1] == '\n' {
			end--
		}
		if end > start && m.units[end-1] == '\r' {
			end--
		}
	}
	i := start + char
	if i > end {
		i = end
	}
	if i > start && i < end && utf16.IsSurrogate(rune(m.units[i])) && m.units[i] >= 0xDC00 {
		i-- // between the halves of a pair
	}
	return i
}

func (m *utf16Model) replace(sl, sc, el, ec int, text string) {
	s, e := m.index(sl, sc), m.index(el, ec)
	if e < s {
		s, e = e, s
	}
	ins := utf16.Encode([]rune(text))
	out := append(append(append([]uint16{}, m.units[:s]...), ins...), m.units[e:]...)
	m.units = out
}

func (m *utf16Model) String() string { return string(utf16.Decode(m.units)) }

var fragments = []string{"a", "b", "é", "日本", "😀", "🙂x", "\n", "\r\n", "\r", " ", "- ", ": ", "'", "#", "security:", "\t", ""}

func TestIncrementalSyncMatchesAnIndependentModel(t *testing.T) {
	c, s := newPipeClient(t, nil)
	c.initialize(nil)
	uri := "file:///sync.yaml"
	initial := "asyncapi: 3.0.0\r\ninfo:\n  title: 日本 😀\r  version: é\n"
	model := &utf16Model{units: utf16.Encode([]rune(initial))}
	c.open(uri, initial)
	rng := rand.New(rand.NewSource(1))
	version := int32(1)
	edits := testenv.Count(800, 4000)
	mapped := 0
	for i := 0; i < edits; i++ {
		var changes []any
		for n := 1 + rng.Intn(3); n > 0; n-- { // several changes per notification, applied in order
			lines := len(model.lineStarts())
			sl, el := rng.Intn(lines+1), rng.Intn(lines+1)
			if sl > el {
				sl, el = el, sl
			}
			sc, ec := rng.Intn(12), rng.Intn(12)
			if sl == el && sc > ec {
				sc, ec = ec, sc
			}
			var b strings.Builder
			for k := rng.Intn(4); k > 0; k-- {
				b.WriteString(fragments[rng.Intn(len(fragments))])
			}
			if rng.Intn(200) == 0 { // a full-text replacement now and then
				model = &utf16Model{units: utf16.Encode([]rune(b.String()))}
				changes = append(changes, map[string]any{"text": b.String()})
				continue
			}
			if len(model.units) > 4000 { // keep it small: delete a big chunk
				sl, sc, el, ec = 0, 0, lines/2, 0
			}
			model.replace(sl, sc, el, ec, b.String())
			changes = append(changes, map[string]any{
				"range": map[string]any{"start": map[string]any{"line": sl, "character": sc}, "end": map[string]any{"line": el, "character": ec}},
				"text":  b.String(),
			})
		}
		version++
		c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": changes})
		if i%500 == 0 || i == edits-1 {
			// A request is dispatched after every notification before it, and
			// waits for the current version: a barrier that also proves the
			// server is alive.
			c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 0, "character": 0}}, nil)
			d := s.docs.get(uri)
			d.mu.Lock()
			got, m := string(d.text), d.mapper
			d.mu.Unlock()
			if got != model.String() {
				t.Fatalf("after %d edits the server's text differs from the editor's:\nserver %q\nmodel  %q", i+1, got, model.String())
			}
			// The mapper didChange keeps (to resolve positions without a
			// scan of the text) indexes the text it belongs to.
			if m != nil {
				mapped++
				want := syntax.NewMapper(m.Text())
				if string(m.Text()) != got || m.LineCount() != want.LineCount() {
					t.Fatalf("after %d edits the kept mapper has %d lines for a text of %d", i+1, m.LineCount(), want.LineCount())
				}
				for l := range want.LineCount() {
					if m.LineStart(l) != want.LineStart(l) {
						t.Fatalf("after %d edits line %d starts at %d in the kept mapper, %d in the text", i+1, l, m.LineStart(l), want.LineStart(l))
					}
				}
			}
		}
	}
	if mapped == 0 {
		t.Fatal("didChange never kept a mapper: every edit scanned the text")
	}
}

func TestBurstOfEditsCoalescesAndPublishesTheLastVersion(t *testing.T) {
	// Each analysis takes a while (as on a big document), so the burst
	// arrives while one runs: the edits behind it must coalesce.
	c, s := newPipeClient(t, func(s *Server) {
		inner := s.analyze
		s.analyze = func(prev *analysisDocument, edits []analysisEdit, text []byte, m *analysisMapper) *analysisDocument {
			time.Sleep(20 * time.Millisecond)
			return inner(prev, edits, text, m)
		}
	})
	c.initialize(nil)
	uri := "file:///burst.yaml"
	c.open(uri, demoV3)
	c.waitDiagnostics(uri, 1)
	const burst = 200
	for v := int32(2); v <= burst+1; v++ {
		c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": v},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": map[string]any{"line": 2, "character": 9}, "end": map[string]any{"line": 2, "character": 9}}, "text": "x"}}})
	}
	p := c.waitDiagnostics(uri, burst+1)
	if len(p.Diagnostics) != 1 {
		t.Errorf("want the one undefined-scheme diagnostic, got %s", p.raw)
	}
	d := s.docs.get(uri)
	d.mu.Lock()
	runs := d.runs
	d.mu.Unlock()
	if runs >= burst/2 {
		t.Errorf("%d analyses for a burst of %d edits: edits did not coalesce", runs, burst)
	}
	t.Logf("%d edits -> %d analyses", burst, runs)
	// Every publication carries a version, and versions only grow.
	c.mu.Lock()
	defer c.mu.Unlock()
	last := int32(0)
	for _, p := range c.diags[uri] {
		if p.Version == nil || *p.Version < last {
			t.Fatalf("publication without version or out of order: %s", p.raw)
		}
		last = *p.Version
	}
}

func TestRequestsWaitForTheCurrentVersion(t *testing.T) {
	c, _ := newPipeClient(t, func(s *Server) {
		inner := s.analyze
		s.analyze = func(prev *analysisDocument, edits []analysisEdit, text []byte, m *analysisMapper) *analysisDocument {
			time.Sleep(30 * time.Millisecond) // a slow analysis: requests must wait, not use the old snapshot
			return inner(prev, edits, text, m)
		}
	})
	c.initialize(nil)
	uri := "file:///wait.yaml"
	c.open(uri, demoV3)
	// Rename the operation and ask for its hover at once.
	renamed := strings.Replace(demoV3, "  sendOrder:", "  placeOrder:", 1)
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{map[string]any{"text": renamed}}})
	var h struct{ Contents struct{ Value string } }
	c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 14, "character": 3}}, &h)
	if !strings.Contains(h.Contents.Value, "placeOrder") {
		t.Errorf("hover answered from an old snapshot: %q", h.Contents.Value)
	}
}

func TestNonAsyncAPIDocumentsGetNoDiagnostics(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	c.open("file:///k8s.yaml", "apiVersion: v1\nkind: Pod\nsecurity: [oops\n")
	c.open("file:///api.yaml", demoV3)
	c.waitDiagnostics("file:///api.yaml", 1)
	time.Sleep(50 * time.Millisecond)
	c.mu.Lock()
	defer c.mu.Unlock()
	if got := c.diags["file:///k8s.yaml"]; len(got) != 0 {
		t.Errorf("a non-AsyncAPI file got diagnostics: %s", got[0].raw)
	}
}

func TestCloseClearsDiagnosticsWithAnEmptyList(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	uri := "file:///close.yaml"
	c.open(uri, demoV3)
	c.waitDiagnostics(uri, 1)
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		list := c.diags[uri]
		last := list[len(list)-1]
		c.mu.Unlock()
		if last.Version == nil {
			if !strings.Contains(string(last.raw), `"diagnostics":[]`) {
				t.Fatalf("close must send [] (never null): %s", last.raw)
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("close did not clear the diagnostics")
}

func TestSettingsOverrideSeveritiesAndHideHints(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(map[string]any{"severityOverrides": map[string]any{"security-undefined-scheme": "warning", "no-such-code": "error"}})
	uri := "file:///settings.yaml"
	doc := demoV3 + "    unused:\n      type: userPassword\n"
	c.open(uri, doc)
	p := c.waitDiagnostics(uri, 1)
	sev := severities(t, p)
	if sev["security-undefined-scheme"] != 2 || sev["security-unused-scheme"] != 4 {
		t.Errorf("severities = %v", sev)
	}
	c.mu.Lock()
	logs := strings.Join(c.logs, "\n")
	c.mu.Unlock()
	if !strings.Contains(logs, "no-such-code") {
		t.Errorf("an unknown code in settings should be reported to the user, logs: %q", logs)
	}
	before := len(c.diags[uri])
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"asyncapi-ls": map[string]any{"showHints": false, "severityOverrides": map[string]any{"security-undefined-scheme": "off"}}}})
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		n := len(c.diags[uri])
		last := c.diags[uri][n-1]
		c.mu.Unlock()
		if n > before {
			if len(last.Diagnostics) != 0 {
				t.Errorf("after turning hints and the only error off: %s", last.raw)
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("didChangeConfiguration did not re-publish")
}

func severities(t *testing.T, p publishedDiagnostics) map[string]int {
	out := map[string]int{}
	for _, raw := range p.Diagnostics {
		var d struct {
			Code     string
			Severity int
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		out[d.Code] = d.Severity
	}
	return out
}

func TestCancelRequestIsAnsweredWithRequestCancelled(t *testing.T) {
	release := make(chan struct{})
	c, _ := newPipeClient(t, func(s *Server) {
		inner := s.analyze
		s.analyze = func(prev *analysisDocument, edits []analysisEdit, text []byte, m *analysisMapper) *analysisDocument {
			if strings.Contains(string(text), "slow") {
				<-release
			}
			return inner(prev, edits, text, m)
		}
	})
	defer close(release)
	c.initialize(nil)
	uri := "file:///cancel.yaml"
	c.open(uri, "asyncapi: 3.0.0\nslow: true\n")
	// The hover waits for an analysis that does not finish; cancel it.
	errc := make(chan error, 1)
	go func() {
		errc <- c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 0, "character": 0}}, nil)
	}()
	time.Sleep(50 * time.Millisecond)
	for _, id := range []any{1, "1"} { // the client's first request id; both spellings are parsed
		c.notify("$/cancelRequest", map[string]any{"id": id})
	}
	select {
	case err := <-errc:
		if got := rpcCode(t, err); got != codeRequestCancelled {
			t.Errorf("code = %d, want %d", got, codeRequestCancelled)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled request was never answered")
	}
}

func TestConfigurationWithoutOurSectionKeepsSettings(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	c.initialize(map[string]any{"severityOverrides": map[string]any{"security-undefined-scheme": "warning"}})
	uri := "file:///eglot.yaml"
	c.open(uri, demoV3)
	c.waitDiagnostics(uri, 1)
	// eglot sends an empty settings object right after connecting.
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{}})
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{map[string]any{"text": demoV3}}})
	if sev := severities(t, c.waitDiagnostics(uri, 2)); sev["security-undefined-scheme"] != 2 {
		t.Errorf("an empty configuration reset the user's overrides: %v", sev)
	}
}

// A publication computed with the old settings must not reach the client
// after the one didChangeConfiguration makes with the new settings (the
// Emacs harness once saw the error stay an error under load): the
// analysis goroutine's publication is held after it read the settings
// until the new settings are stored, then let go.
func TestSettingsChangedWhilePublishing(t *testing.T) {
	var hold atomic.Bool
	c, _ := newPipeClient(t, func(srv *Server) {
		srv.beforePublishing = func(*document) {
			if !hold.CompareAndSwap(true, false) {
				return
			}
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				if srv.currentSettings().SeverityOverrides["security-undefined-scheme"] != "" {
					return
				}
				time.Sleep(time.Millisecond)
			}
		}
	})
	c.initialize(nil)
	uri := "file:///race.yaml"
	c.open(uri, demoV3)
	if sev := severities(t, c.waitDiagnostics(uri, 1)); sev["security-undefined-scheme"] != 1 {
		t.Fatalf("severities before the settings = %v", sev)
	}
	hold.Store(true)
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []any{map[string]any{"text": demoV3 + "# typed\n"}},
	})
	// Wait until the publication of version 2 is held with the old settings.
	for deadline := time.Now().Add(10 * time.Second); hold.Load(); {
		if time.Now().After(deadline) {
			t.Fatal("the publication of version 2 never started")
		}
		time.Sleep(time.Millisecond)
	}
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"asyncapi-ls": map[string]any{
		"severityOverrides": map[string]any{"security-undefined-scheme": "warning"}}}})
	// Both publications of version 2 arrive; the last one counts.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.mu.Lock()
		var v2 []publishedDiagnostics
		for _, p := range c.diags[uri] {
			if p.Version != nil && *p.Version == 2 {
				v2 = append(v2, p)
			}
		}
		c.mu.Unlock()
		if len(v2) == 2 {
			if sev := severities(t, v2[1]); sev["security-undefined-scheme"] != 2 {
				t.Fatalf("the last publication has the old severity: %v", sev)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d publications of version 2, want 2", len(v2))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
