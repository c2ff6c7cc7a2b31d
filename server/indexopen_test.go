package server

import (
	"bytes"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"go.lsp.dev/uri"
)

// A document the editor opens while discovery analyzes the same file (an
// editor opens the active file right after initialized) is analyzed once:
// the open document takes the index's analysis, which does not stay in the
// index beside it.
func TestOpenDuringIndexingAnalysesOnce(t *testing.T) {
	root := t.TempDir()
	text := []byte("asyncapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\nchannels: {}\n")
	path := filepath.Join(root, "api.yaml")
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	var analyses atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	c, s := newPipeClient(t, func(s *Server) {
		s.analyze = func(prev *analysis.Document, edits []syntax.Edit, txt []byte, m *syntax.Mapper) *analysis.Document {
			if bytes.Equal(txt, text) && analyses.Add(1) == 1 {
				close(started)
				<-release
			}
			return analysis.UpdateApplied(prev, edits, txt, m)
		}
	})
	c.initializeFolders(root, false)
	select {
	case <-started: // discovery is analyzing api.yaml
	case <-time.After(20 * time.Second):
		t.Fatal("discovery did not analyze api.yaml")
	}
	u := string(uri.File(path))
	c.open(u, string(text))
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		s.ws.mu.Lock()
		run := s.ws.indexing[path]
		s.ws.mu.Unlock()
		if run != nil && run.waiters.Load() > 0 {
			break // the open document waits for the index's analysis
		}
		if time.Now().After(deadline) {
			t.Fatal("the open document does not wait for the analysis under way")
		}
	}
	close(release)
	got := c.waitDiagnostics(u, 1)
	if len(got.Diagnostics) != 0 {
		t.Errorf("diagnostics of a valid document: %+v", got.Diagnostics)
	}
	if n := analyses.Load(); n != 1 {
		t.Errorf("the text was analyzed %d times, want once", n)
	}
	s.ws.mu.Lock()
	_, indexed := s.ws.indexed[path]
	s.ws.mu.Unlock()
	if indexed {
		t.Error("the open document also stays in the index")
	}
}
