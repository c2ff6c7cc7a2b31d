package server

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// The soft memory limit follows the open text on every change, not only on
// open and close: a nearly empty buffer into which 4 MB are pasted gets the
// limit of 4 MB of text (at the floor the collector would run constantly),
// and deleting them brings it back to the floor. A keystroke leaves it.
func TestMemoryLimitFollowsChanges(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	const uri = "file:///paste.yaml"
	c.open(uri, "asyncapi: 3.0.0\n")
	c.waitDiagnostics(uri, 1)
	if got := debug.SetMemoryLimit(-1); got != memLimitMin {
		t.Fatalf("limit after opening a nearly empty document = %d, want the floor %d", got, memLimitMin)
	}

	pasted := "asyncapi: 3.0.0\n" + strings.Repeat("# a line of padding\n", 200_000)
	replaceAll := func(version int, text string) {
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{map[string]any{"text": text}},
		})
		c.waitDiagnostics(uri, int32(version))
	}
	replaceAll(2, pasted)
	want := int64(memLimitBase + memLimitPerByte*len(pasted))
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit after pasting %d bytes = %d, want %d", len(pasted), got, want)
	}

	c.notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": uri, "version": 3},
		"contentChanges": []any{map[string]any{
			"range": map[string]any{"start": map[string]any{"line": 1, "character": 0}, "end": map[string]any{"line": 1, "character": 0}},
			"text":  "x",
		}},
	})
	c.waitDiagnostics(uri, 3)
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit after a keystroke = %d, want it unchanged (%d)", got, want)
	}

	replaceAll(4, "asyncapi: 3.0.0\n")
	if got := debug.SetMemoryLimit(-1); got != memLimitMin {
		t.Fatalf("limit after deleting the pasted text = %d, want the floor %d", got, memLimitMin)
	}
}

// An open document counts once in the memory limit: the workspace index
// read it from disk before the editor opened it, and its disk text, which
// nothing reads while the editor's buffer is open, is neither kept nor
// counted as workspace text (it once made the limit, and the peak memory,
// of a document in a workspace folder 26 times its size instead of 16).
func TestMemoryLimitCountsAnOpenDocumentOnce(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	dir := t.TempDir()
	path := filepath.Join(dir, "big.yaml")
	text := "asyncapi: 3.0.0\ninfo:\n  title: Big\n  version: 1.0.0\n" + strings.Repeat("# a line of padding\n", 60_000)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, s := newPipeClient(t, nil)
	c.initializeFolders(dir, false)
	c.waitFor("$/progress end", func() bool {
		for _, m := range c.other {
			if m.Method == "$/progress" && strings.Contains(string(m.Params), `"kind":"end"`) {
				return true
			}
		}
		return false
	})
	if n := s.ws.files().Bytes(); n != int64(len(text)) {
		t.Fatalf("indexed before the open: %d bytes of workspace text, want %d", n, len(text))
	}
	u := c.openFile(path)
	c.waitDiagnostics(u, 1)
	if n := s.docs.workspaceBytes.Load(); n != 0 {
		t.Errorf("workspace text counted while the document is open: %d bytes", n)
	}
	want := int64(max(memLimitMin, memLimitBase+memLimitPerByte*len(text)))
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit with the document open = %d, want %d (its text once)", got, want)
	}
}
