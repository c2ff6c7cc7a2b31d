package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGeneratedWorkspaceResolves: every $ref of the generated workspace
// resolves (no ref-* diagnostic), and the benchmark's change is seen by
// every document, with watchers and with polling (run measures both).
func TestGeneratedWorkspaceResolves(t *testing.T) {
	dir := t.TempDir()
	l := layout{docs: 6, shared: 40, seed: 1}
	docs, total, err := generate(dir, l)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 6 || total == 0 {
		t.Fatalf("%d documents, %d bytes", len(docs), total)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "shared", "*", "*.yaml"))
	if len(files) != 40 {
		t.Errorf("%d shared files, want 40", len(files))
	}
	c, stop, err := session(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	uris, err := openAll(c, docs, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	for _, u := range uris {
		if d := c.published[u][0]; strings.Contains(d, `"ref-`) || strings.Contains(d, "tokenUrl") {
			t.Errorf("%s: %s", u, d)
		}
	}
	c.mu.Unlock()
	res, err := run(l, filepath.Join(t.TempDir(), "ws"), 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Dependents != 6 || res.ChangeWatch.Wall <= 0 || res.ChangePoll.Wall <= 0 || res.LiveHeap == 0 || res.PeakRSS < res.LiveHeap {
		t.Errorf("result %+v", res)
	}
}

// TestMain lets the test binary be the benchmark's server process too.
func TestMain(m *testing.M) {
	serveIfChild()
	os.Exit(m.Run())
}
