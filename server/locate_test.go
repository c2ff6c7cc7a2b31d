package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestLocateAheadWhenIdle: a large valid text parsed whole for its
// anchors gets its region-wise pass run while the editor is idle after
// the open (store.go, locateAhead), so the first error typed into it is
// a region update that runs no pass; the valid keystrokes before it carry
// the pass. A text under locateAheadBytes is left to its first error.
func TestLocateAheadWhenIdle(t *testing.T) {
	c, s := newPipeClient(t, nil)
	c.initialize(nil)
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nx-base: &base {a: 1}\nx-use: *base\n")
	for i := 0; b.Len() < locateAheadBytes+1000; i++ {
		fmt.Fprintf(&b, "x-p%d:\n  t: some text %d\n", i, i)
	}
	big, small := b.String(), "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nx-base: &base {a: 1}\nx-use: *base\nx-p: 1\n"
	const bigURI, smallURI = "file:///anchored.yaml", "file:///small.yaml"
	c.open(smallURI, small)
	c.open(bigURI, big)
	c.waitDiagnostics(smallURI, 1)
	c.waitDiagnostics(bigURI, 1)
	tree := func(u string) *syntax.Tree {
		d := s.docs.get(u)
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.snap.doc.Tree
	}
	waitLocated := func(what string) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); tree(bigURI).LocatePending(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the pass never ran ahead", what)
			}
		}
	}
	waitLocated("after the open")
	if !tree(smallURI).LocatePending() {
		t.Error("a text under locateAheadBytes had its pass run ahead")
	}
	version := int32(1)
	typeAt := func(at int, typed string) {
		version++
		p := syntax.NewMapper([]byte(big)).Position(at)
		pos := map[string]any{"line": p.Line, "character": p.Character}
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": bigURI, "version": version},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": typed}},
		})
		big = big[:at] + typed + big[at:]
		c.waitDiagnostics(bigURI, version)
	}
	at := strings.Index(big, "some text 7\n") + len("some text 7")
	typeAt(at, "7")
	if tree(bigURI).LocatePending() {
		t.Fatal("a valid keystroke after the pass did not carry it")
	}
	at = strings.Index(big, "t: some text 77\n") + len("t: ")
	typeAt(at, "[")
	got := tree(bigURI)
	if got.LocatePending() || len(got.Diagnostics) != 1 {
		t.Fatalf("an error typed after the pass: %d syntax diagnostics, pass pending %v; want 1, false", len(got.Diagnostics), got.LocatePending())
	}
	if d := got.Diagnostics[0]; d.Range.Start != at {
		t.Errorf("the error's diagnostic is at %d (%q), not at the typed '['", d.Range.Start, big[d.Range.Start:min(len(big), d.Range.Start+20)])
	}
}

// TestLocateStoppedWhenSuperseded: once a keystroke's analysis has made a
// new snapshot, the tree it superseded has its pass stopped (it would be
// read by nothing); the new tree's own pass is still to run.
func TestLocateStoppedWhenSuperseded(t *testing.T) {
	c, s := newPipeClient(t, func(s *Server) { s.docs.locateIdle = time.Hour })
	c.initialize(nil)
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nx-base: &base {a: 1}\nx-use: *base\n")
	for i := 0; b.Len() < locateAheadBytes+1000; i++ {
		fmt.Fprintf(&b, "x-p%d:\n  t: some text %d\n", i, i)
	}
	text := b.String()
	const uri = "file:///anchored.yaml"
	c.open(uri, text)
	c.waitDiagnostics(uri, 1)
	tree := func() *syntax.Tree {
		d := s.docs.get(uri)
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.snap.doc.Tree
	}
	opened := tree()
	if !opened.LocatePending() {
		t.Fatal("the opened tree's pass ran before the idle time")
	}
	p := syntax.NewMapper([]byte(text)).Position(strings.Index(text, "some text 7\n") + len("some text 7"))
	pos := map[string]any{"line": p.Line, "character": p.Character}
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": "7"}},
	})
	c.waitDiagnostics(uri, 2)
	if opened.Locate(); !opened.LocatePending() {
		t.Error("the superseded tree's pass was not stopped: it ran to its end")
	}
	if now := tree(); now == opened || !now.LocatePending() {
		t.Error("the keystroke's tree is the opened one, or has its pass done")
	}
}

// TestLocateAheadNotForStaleSnapshot: when the idle time ends with a newer
// version of the text pending (an edit received, its analysis not yet
// made), the snapshot's pass is not run ahead: that snapshot's tree is
// superseded, and the pass would read a text no update needs. Nothing is
// started: no reader is counted, and the pass stays pending.
func TestLocateAheadNotForStaleSnapshot(t *testing.T) {
	c, s := newPipeClient(t, func(s *Server) { s.docs.locateIdle = time.Hour })
	c.initialize(nil)
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nx-base: &base {a: 1}\nx-use: *base\n")
	for i := 0; b.Len() < locateAheadBytes+1000; i++ {
		fmt.Fprintf(&b, "x-p%d:\n  t: some text %d\n", i, i)
	}
	const uri = "file:///anchored.yaml"
	c.open(uri, b.String())
	c.waitDiagnostics(uri, 1)
	d := s.docs.get(uri)
	d.mu.Lock()
	tree := d.snap.doc.Tree
	d.version++ // a newer version pending (its edit not applied: run is not woken)
	d.mu.Unlock()
	before := d.readers.Load()
	d.locateAhead()
	// A pass started would hold a reader until it ends: wait for the
	// count to be back, then look at the pass.
	for deadline := time.Now().Add(30 * time.Second); d.readers.Load() != before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a reader was counted and never released")
		}
	}
	if !tree.LocatePending() {
		t.Error("the stale snapshot's pass ran ahead")
	}
	d.mu.Lock()
	d.version--
	d.mu.Unlock()
}
