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
			// inside a comment: the document stays valid (a broken one
			// also counts its last good text, TestMemoryLimitCountsTheLastGoodText)
			"range": map[string]any{"start": map[string]any{"line": 1, "character": 1}, "end": map[string]any{"line": 1, "character": 1}},
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

// A broken document holds the text of its last good version beside its
// own (hover and completion read it): the memory limit counts that text
// once while the document is broken, so that the collector's room above
// the live heap is a valid document's, and stops counting it when the
// document parses again. Setting the limit waits for neither a move of
// 1/16 nor the next change.
func TestMemoryLimitCountsTheLastGoodText(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	c, s := newPipeClient(t, nil)
	c.initialize(nil)
	const uri = "file:///broken.yaml"
	valid := "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n" + strings.Repeat("# a line of padding\n", 100_000)
	c.open(uri, valid)
	c.waitDiagnostics(uri, 1)
	want := int64(memLimitBase + memLimitPerByte*len(valid))
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit of the valid document = %d, want %d", got, want)
	}

	at := map[string]any{"line": 1, "character": len("info: {title: T, version: '1'}")}
	edit := func(version int, start, end map[string]any, text string) {
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": start, "end": end}, "text": text}},
		})
		c.waitDiagnostics(uri, int32(version))
	}
	edit(2, at, at, " x")
	d := s.docs.get(uri)
	d.mu.Lock()
	doc := d.snap.doc
	d.mu.Unlock()
	if doc.LastGood() == nil || len(doc.LastGood().Text) != len(valid) {
		t.Fatalf("the broken version does not hold the valid one as its last good version")
	}
	broken := len(valid) + len(" x")
	want = int64(memLimitBase + memLimitPerByte*broken + memLimitPerLastGoodByte*len(valid))
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit of the broken document = %d, want %d (its text and its last good text)", got, want)
	}

	after := map[string]any{"line": 1, "character": at["character"].(int) + len(" x")}
	edit(3, after, after, "y")
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit after a keystroke that leaves it broken = %d, want it unchanged (%d)", got, want)
	}

	end := map[string]any{"line": 1, "character": at["character"].(int) + len(" xy")}
	edit(4, at, end, "")
	want = int64(memLimitBase + memLimitPerByte*len(valid))
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit after the document parses again = %d, want %d", got, want)
	}
}
