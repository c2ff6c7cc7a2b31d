package server

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// The pool frees a buffer only when none of the document's live texts is
// in it, no reader may hold an older snapshot, the workspace never handed
// its overlay out, and the free list has room; otherwise it keeps the
// buffer (live) or forgets it (the collector frees it after its readers).
// A freed buffer is poisoned under the tests' poisonRetired.
func TestTextPoolFreesOnlyWhatNothingReads(t *testing.T) {
	const valid = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n"
	const broken = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'} x\n"
	type fate int
	const (
		kept fate = iota
		freed
		forgotten
	)
	cases := []struct {
		name string
		// hold makes the document (or the world) hold x, a pool buffer
		// with the valid text, and maybe other texts.
		hold func(d *document, x []byte)
		want fate
	}{
		{"the current text", func(d *document, x []byte) { d.text = x }, kept},
		{"the text under analysis", func(d *document, x []byte) { d.analyzing = x }, kept},
		{"the text of the workspace overlay", func(d *document, x []byte) { d.overlayText = x }, kept},
		{"the text of the current text's mapper", func(d *document, x []byte) { d.mapper = syntax.NewMapper(x) }, kept},
		{"the snapshot's text", func(d *document, x []byte) {
			d.snap = &snapshot{doc: analysis.Update(nil, nil, x)}
		}, kept},
		{"the text of the snapshot's last good version", func(d *document, x []byte) {
			good := analysis.Update(nil, nil, x)
			b := d.texts.buffer(len(broken))
			copy(b, broken)
			at := strings.Index(valid, "\n") + len("info: {title: T, version: '1'}") + 1
			doc := analysis.Update(good, []syntax.Edit{{Start: at, End: at, Text: " x"}}, b)
			if doc.LastGood() != good {
				t.Fatal("the broken version does not keep the valid one as its last good version")
			}
			d.snap, d.text = &snapshot{doc: doc}, b
		}, kept},
		{"nothing", func(d *document, x []byte) {}, freed},
		{"nothing, while a request runs", func(d *document, x []byte) { d.readers.Add(1) }, forgotten},
		{"nothing, but the workspace handed its overlay out", func(d *document, x []byte) {
			d.texts.setOverlay(x, handedOutOverlay(t, x))
		}, forgotten},
		{"nothing, but its overlay was replaced before any read", func(d *document, x []byte) {
			d.texts.setOverlay(x, &workspace.File{})
		}, freed},
		{"nothing, and the free list is full", func(d *document, x []byte) {
			spare := d.texts.buffer(len(valid))
			d.texts.sweep([][]byte{x}, false)
			if len(d.texts.free) != 1 || !sameBase(d.texts.free[0].buf, spare) {
				t.Fatal("the spare buffer was not freed")
			}
		}, forgotten},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := &document{readers: new(atomic.Int64)}
			x := d.texts.buffer(len(valid))
			copy(x, valid)
			tc.hold(d, x)
			d.sweepTexts()
			inFree := slices.ContainsFunc(d.texts.free, func(p *pooledText) bool { return sameBase(p.buf, x) })
			inOwned := d.texts.find(x) != nil
			got := map[[2]bool]fate{{false, true}: kept, {true, false}: freed, {false, false}: forgotten}[[2]bool{inFree, inOwned}]
			if inFree && inOwned {
				t.Fatal("a buffer both free and owned")
			}
			if got != tc.want {
				t.Fatalf("fate %d, want %d (0 kept, 1 freed, 2 forgotten)", got, tc.want)
			}
			poisoned := bytes.Count(x, []byte{0xFF}) == len(x)
			if poisoned != (got == freed && poisonRetired) {
				t.Fatalf("poisoned %v, freed %v", poisoned, got == freed)
			}
		})
	}
}

// handedOutOverlay returns the workspace overlay of text after a Load
// handed it out, as the workspace cache does when another document reads
// the file.
func handedOutOverlay(t *testing.T, text []byte) *workspace.File {
	t.Helper()
	dir := t.TempDir()
	c := workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", dir), 0)
	path := filepath.Join(dir, "x.yaml")
	f := c.SetOverlay(path, 1, text)
	if _, err := c.Load(path); err != nil || !f.HandedOut() {
		t.Fatalf("Load did not hand the overlay out (%v)", err)
	}
	return f
}

// Typing reuses the memory of the texts before: over 40 keystrokes (and a
// stretch where the text is broken, whose last good text stays held) the
// document makes a handful of buffers, not one per keystroke, and the
// diagnostics it ends with are a fresh open's of the same text. Every
// recycled buffer is poisoned (poisonRetired) and every analysis checks
// that the previous snapshot's text with the edits makes its text
// (checkApplied), so a text recycled while still read fails the test.
func TestTextPoolRecyclesWhileTyping(t *testing.T) {
	c, s := newPipeClient(t, nil)
	c.initialize(nil)
	const uri = "file:///typed.yaml"
	text := "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n" +
		"components:\n  securitySchemes:\n    key: {type: httpApiKey, name: k, in: header}\n" +
		"operations:\n  op:\n    action: send\n    channel: {$ref: '#/channels/c'}\n    security:\n      - $ref: '#/components/securitySchemes/key'\n" +
		"channels:\n  c: {address: c}\n" + strings.Repeat("# padding\n", 1000)
	c.open(uri, text)
	c.waitDiagnostics(uri, 1)
	version := 1
	typeAt := func(at int, typed string) {
		for _, r := range typed {
			version++
			p := syntax.NewMapper([]byte(text)).Position(at)
			pos := map[string]any{"line": p.Line, "character": p.Character}
			c.notify("textDocument/didChange", map[string]any{
				"textDocument":   map[string]any{"uri": uri, "version": version},
				"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": string(r)}},
			})
			text = text[:at] + string(r) + text[at:]
			at += len(string(r))
			c.waitDiagnostics(uri, int32(version))
			var h any
			c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 6, "character": 3}}, &h)
			// The reply can reach the test before the request is done
			// (store.readers): the next keystroke's text would then be
			// forgotten instead of recycled.
			for s.docs.readers.Load() != 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}
	typeAt(strings.Index(text, "title: T")+len("title: T"), "itle é日🙂")
	typeAt(strings.Index(text, "channels:\n  c: {address: c}")+len("channels:\n  c: {address: c}"), " x y")          // broken: text after a flow mapping
	typeAt(strings.Index(text, "securitySchemes:\n")+len("securitySchemes:\n"), "    other: {type: userPassword}\n") // still broken, text moves
	d := s.docs.get(uri)
	d.mu.Lock()
	made := d.texts.made
	d.mu.Unlock()
	// Two for the rotation (the opened text is the client message's
	// memory, never recycled) and one for the last good text held while
	// the text is broken.
	if made > 3 {
		t.Errorf("%d keystrokes made %d text buffers, want at most 3 (the memory of superseded texts recycled)", version-1, made)
	}
	d.mu.Lock()
	got := d.snap.doc.Text
	d.mu.Unlock()
	if string(got) != text {
		t.Fatalf("the server's text is not the typed text")
	}
	const fresh = "file:///fresh.yaml"
	c.open(fresh, text)
	want := c.waitDiagnostics(fresh, 1)
	last := c.waitDiagnostics(uri, int32(version))
	if fmt.Sprint(decodeDiagnostics(t, last)) != strings.ReplaceAll(fmt.Sprint(decodeDiagnostics(t, want)), fresh, uri) {
		t.Errorf("diagnostics after typing:\n%v\nwant a fresh open's:\n%v", decodeDiagnostics(t, last), decodeDiagnostics(t, want))
	}
	if len(want.Diagnostics) == 0 {
		t.Fatal("the typed text should end broken (a diagnostic)")
	}
}

// didChangeAt sends one keystroke: text inserted at offset at of the
// client's text *text, which it updates, as version v.
func (c *testClient) didChangeAt(uri string, v int, text *string, at int, insert string) {
	c.t.Helper()
	p := syntax.NewMapper([]byte(*text)).Position(at)
	pos := map[string]any{"line": p.Line, "character": p.Character}
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": v},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": insert}},
	})
	*text = (*text)[:at] + insert + (*text)[at:]
}

// A request keeps the snapshot it started with while the user types on: a
// completion that took its snapshot, then waited while two keystrokes were
// analyzed (the first of them retires the completion's text), answers as
// it would have without the keystrokes. Were the text recycled under it,
// it would read poisoned or other bytes.
func TestTextPoolKeepsARequestsSnapshot(t *testing.T) {
	held := newPause(t)
	c, _ := newPipeClient(t, func(s *Server) {
		s.afterSnapshot = func(string) { held.hold() }
	})
	c.initialize(nil)
	const uri = "file:///held.yaml"
	text := "asyncapi: 3.0.0\ninfo: {title: Tété日🙂, version: '1'}\n" +
		"components:\n  securitySchemes:\n    keyOne: {type: httpApiKey, name: k, in: header}\n    keyTwo: {type: httpApiKey, name: k, in: query}\n" +
		"operations:\n  op:\n    action: send\n    channel: {$ref: '#/channels/c'}\n    security:\n      - $ref: '#/components/securitySchemes/keyOne'\n" +
		"channels:\n  c: {address: c}\n"
	c.open(uri, text)
	c.waitDiagnostics(uri, 1)
	at := strings.Index(text, "keyOne'\n") + len("key")
	c.didChangeAt(uri, 2, &text, at, "") // an empty edit: version 2's text is the pool's
	c.waitDiagnostics(uri, 2)
	p := syntax.NewMapper([]byte(text)).Position(at)
	params := map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": p.Line, "character": p.Character}}
	var want any
	c.mustCall("textDocument/completion", params, &want)
	if !strings.Contains(fmt.Sprint(want), "keyTwo") {
		t.Fatalf("completion at the $ref offers no keyTwo: %v", want)
	}

	held.armed.Store(true)
	got := make(chan any, 1)
	go func() {
		var res any
		if err := c.call("textDocument/completion", params, &res); err != nil {
			res = err
		}
		got <- res
	}()
	held.wait()
	title := strings.Index(text, "Tété") + len("T")
	c.didChangeAt(uri, 3, &text, title, "x")
	c.waitDiagnostics(uri, 3)
	c.didChangeAt(uri, 4, &text, title, "y")
	c.waitDiagnostics(uri, 4)
	held.open()
	if res := <-got; fmt.Sprint(res) != fmt.Sprint(want) {
		t.Fatalf("completion answered from a snapshot whose text was retired meanwhile:\n%v\nwant:\n%v", res, want)
	}
}

// A document that reads another open document's file (a $ref) keeps that
// file's text in its tree (the values alias it): a text of the shared
// document that the workspace handed out is never recycled, although the
// shared document moved on. The dependent's re-analysis is held back, so
// that its snapshot is still the one made from the retired text when it
// is asked for a hover.
func TestTextPoolKeepsTextsOtherDocumentsRead(t *testing.T) {
	dir := t.TempDir()
	shared := "components:\n  securitySchemes:\n    sharedKey:\n      type: httpApiKey\n      name: X-Shared-Key\n      in: header\n      description: the key of the shared file\n"
	api := "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n" +
		"operations:\n  op:\n    action: send\n    channel: {$ref: '#/channels/c'}\n    security:\n      - $ref: './shared.yaml#/components/securitySchemes/sharedKey'\n" +
		"channels:\n  c: {address: c}\n"
	for name, text := range map[string]string{"shared.yaml": shared, "api.yaml": api} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	held := newPause(t)
	c, s := newPipeClient(t, func(s *Server) {
		inner := s.analyze
		s.analyze = func(prev *analysis.Document, edits []syntax.Edit, text []byte, m *syntax.Mapper) *analysis.Document {
			if strings.HasPrefix(string(text), "asyncapi") {
				held.hold()
			}
			return inner(prev, edits, text, m)
		}
	})
	c.initializeFolders(dir, false)
	apiURI := c.openFile(filepath.Join(dir, "api.yaml"))
	c.waitDiagnostics(apiURI, 1)
	n := c.published(apiURI)
	sharedURI := c.openFile(filepath.Join(dir, "shared.yaml"))
	c.waitPublication(apiURI, n, func(publishedDiagnostics) bool { return true })
	// The shared file is not an AsyncAPI document: it gets no diagnostics
	// to wait for, its analyses are waited for in the server.
	analyzed := func(v int32) {
		t.Helper()
		d := openedDocument(t, s, sharedURI)
		for {
			if snap, err := d.current(context.Background()); err != nil || snap.version >= v {
				return
			}
		}
	}
	hover := func() string {
		var h struct{ Contents struct{ Value string } }
		c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": apiURI}, "position": map[string]any{"line": 3, "character": 3}}, &h)
		return h.Contents.Value
	}
	// Version 2 of the shared text is the pool's; the api document is
	// analyzed again from it (the workspace hands it out).
	at := strings.Index(shared, "shared file") + len("shared")
	c.didChangeAt(sharedURI, 2, &shared, at, " é")
	want := hover()
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(want, "shared é file"); want = hover() {
		if time.Now().After(deadline) {
			t.Fatalf("the api document was not analyzed with version 2 of the shared file:\n%s", want)
		}
		time.Sleep(time.Millisecond)
	}
	if !strings.Contains(want, "X-Shared-Key") {
		t.Fatalf("hover on the operation does not show the shared scheme's header:\n%s", want)
	}

	held.armed.Store(true)
	c.didChangeAt(sharedURI, 3, &shared, at, "x")
	held.wait() // the api document's analysis of version 3 waits
	analyzed(3)
	c.didChangeAt(sharedURI, 4, &shared, at, "y")
	analyzed(4)
	got := hover()
	held.open()
	if got != want {
		t.Fatalf("hover from the snapshot that read version 2 of the shared file, after it was retired:\n%s\nwant:\n%s", got, want)
	}
}

// Between an edit and the workspace overlay's update, the overlay is still
// the text before, which a reader may load: the pool holds it although the
// document's text and snapshot moved on and nobody loaded it yet.
func TestTextPoolKeepsTheOverlayUntilReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shared.yaml")
	text := "components:\n  securitySchemes:\n    sharedKey: {type: httpApiKey, name: k, in: header}\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	held := newPause(t)
	c, s := newPipeClient(t, func(s *Server) {
		s.beforeOverlay = func(string) { held.hold() }
	})
	c.initializeFolders(dir, false)
	u := c.openFile(path)
	d := openedDocument(t, s, u)
	analyzed := func() {
		t.Helper()
		if _, err := d.current(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	at := strings.Index(text, "k,")
	c.didChangeAt(u, 2, &text, at, "é") // version 2's text is the pool's
	analyzed()
	v2 := text
	// A request's reply means the read loop is done with version 2's
	// didChange (it handles messages in order), its overlay included.
	var h any
	_ = c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": 0, "character": 0}}, &h)
	for s.docs.readers.Load() != 0 {
		time.Sleep(time.Millisecond)
	}
	// Version 3 goes to the handler from here, not through the
	// connection: the hook holds the handler, and a message the test sent
	// while the read loop is held could wait forever on the pipe.
	held.armed.Store(true)
	p := syntax.NewMapper([]byte(text)).Position(at)
	pos := protocol.Position{Line: protocol.UInteger(p.Line), Character: protocol.UInteger(p.Character)}
	changed := make(chan error, 1)
	go func() {
		changed <- s.didChange(nil, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: 3},
			ContentChanges: []any{protocol.TextDocumentContentChangeEvent{Range: &protocol.Range{Start: pos, End: pos}, Text: "x"}},
		})
	}()
	held.wait() // the handler holds version 3 before it reaches the overlay
	analyzed()
	f, err := s.ws.files().Load(path)
	held.open()
	if err := <-changed; err != nil {
		t.Fatal(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if string(f.Text) != v2 {
		t.Fatalf("the overlay (version 2) was recycled before it was replaced: %q", f.Text)
	}
}

// A free buffer too small for a text is left for a later one.
func TestTextPoolBufferFits(t *testing.T) {
	var p textPool
	small := p.buffer(10)
	p.sweep(nil, false)
	if b := p.buffer(cap(small) + 1); sameBase(b, small) || len(b) != cap(small)+1 {
		t.Fatal("a text was given a buffer smaller than itself")
	}
	if b := p.buffer(cap(small)); !sameBase(b, small) || len(b) != cap(small) {
		t.Fatal("the free buffer that fits was not reused")
	}
}

// openedDocument waits until the server has opened u.
func openedDocument(t *testing.T, s *Server, u string) *document {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if d := s.docs.get(u); d != nil {
			return d
		}
	}
	t.Fatalf("%s never opened", u)
	return nil
}

// pause holds a server goroutine at a hook until the test releases it
// (or ends: a failing test never leaves the server blocked).
type pause struct {
	t       *testing.T
	armed   atomic.Bool
	reached chan struct{}
	release chan struct{}
	once    sync.Once
}

func newPause(t *testing.T) *pause {
	p := &pause{t: t, reached: make(chan struct{}, 1), release: make(chan struct{})}
	t.Cleanup(p.open)
	return p
}

// hold is the hook's body: when armed, it stops there once.
func (p *pause) hold() {
	if p.armed.CompareAndSwap(true, false) {
		p.reached <- struct{}{}
		<-p.release
	}
}

// wait returns when the hook is held.
func (p *pause) wait() {
	p.t.Helper()
	select {
	case <-p.reached:
	case <-time.After(20 * time.Second):
		p.t.Fatal("the server never reached the hook")
	}
}

func (p *pause) open() { p.once.Do(func() { close(p.release) }) }

// A buffer's overlay is its text's: a buffer whose earlier text the
// workspace handed out is recycled again once its new text (never handed
// out) is retired. (The earlier text was forgotten, not freed; the case
// here is a reader that was done with it before the buffer came back:
// the workspace cannot say when, so a handed-out text's buffer is
// forgotten, and a buffer that comes back holds a new text only.)
func TestTextPoolOverlayIsPerText(t *testing.T) {
	var p textPool
	x := p.buffer(10)
	p.setOverlay(x, &workspace.File{})
	p.sweep(nil, false) // not handed out: freed
	y := p.buffer(10)
	if !sameBase(x, y) {
		t.Fatal("the free buffer was not reused")
	}
	p.sweep(nil, false)
	if len(p.free) != 1 {
		t.Fatal("a buffer whose new text has no overlay was not freed")
	}
	z := p.buffer(10)
	p.setOverlay(z, handedOutOverlay(t, z))
	p.sweep(nil, false)
	if len(p.free) != 0 || len(p.owned) != 0 {
		t.Fatal("a buffer whose text was handed out was not forgotten")
	}
	w := p.buffer(10)
	p.sweep([][]byte{w}, false)
	p.sweep(nil, false)
	if len(p.free) != 1 || !sameBase(p.free[0].buf, w) {
		t.Fatal("a new buffer is not freed")
	}
}

// Keystrokes that arrive while an analysis runs are analyzed together
// afterwards; each one's text is superseded before any analysis reads it,
// and its buffer serves the next keystroke's text: a burst of 20 makes a
// handful of buffers, not 20.
func TestTextPoolRecyclesTextsNoAnalysisRead(t *testing.T) {
	held := newPause(t)
	c, s := newPipeClient(t, func(s *Server) {
		inner := s.analyze
		s.analyze = func(prev *analysis.Document, edits []syntax.Edit, text []byte, m *syntax.Mapper) *analysis.Document {
			held.hold()
			return inner(prev, edits, text, m)
		}
	})
	c.initialize(nil)
	const uri = "file:///burst.yaml"
	text := "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n"
	c.open(uri, text)
	c.waitDiagnostics(uri, 1)
	at := strings.Index(text, "title: T") + len("title: T")
	c.didChangeAt(uri, 2, &text, at, "a")
	c.waitDiagnostics(uri, 2)
	held.armed.Store(true)
	c.didChangeAt(uri, 3, &text, at, "b")
	held.wait() // version 3's analysis waits; 4 to 22 arrive meanwhile
	for v := 4; v <= 22; v++ {
		c.didChangeAt(uri, v, &text, at, "c")
	}
	d := openedDocument(t, s, uri)
	for {
		d.mu.Lock()
		v := d.version
		d.mu.Unlock()
		if v == 22 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	held.open()
	c.waitDiagnostics(uri, 22)
	d.mu.Lock()
	made := d.texts.made
	d.mu.Unlock()
	if made > 4 {
		t.Errorf("21 keystrokes, 19 of them while an analysis ran, made %d text buffers; want at most 4", made)
	}
}

// After the first analysis of a large document the pool holds the two
// buffers its first keystrokes take, so typing makes none, and the $ref
// index the first update of a $ref would build is built.
func TestTextPoolSparesAfterALargeOpen(t *testing.T) {
	c, s := newPipeClient(t, nil)
	c.initialize(nil)
	const uri = "file:///large.yaml"
	text := "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n" + strings.Repeat("# a line of padding\n", warmAfterOpenBytes/20+1)
	c.open(uri, text)
	c.waitDiagnostics(uri, 1)
	d := openedDocument(t, s, uri)
	d.mu.Lock()
	made, free, warm := d.texts.made, len(d.texts.free), d.snap.doc.Warmed()
	d.mu.Unlock()
	if made != 2 || free != 2 || !warm {
		t.Fatalf("after the open: %d buffers made, %d free, index built %v; want 2, 2, true", made, free, warm)
	}
	at := strings.Index(text, "title: T") + len("title: T")
	for v := 2; v <= 6; v++ {
		c.didChangeAt(uri, v, &text, at, "x")
		c.waitDiagnostics(uri, int32(v))
	}
	d.mu.Lock()
	made = d.texts.made
	d.mu.Unlock()
	if made != 2 {
		t.Fatalf("5 keystrokes after the open made %d buffers beyond the 2 spares", made-2)
	}

	const small = "file:///small.yaml"
	c.open(small, "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n")
	c.waitDiagnostics(small, 1)
	d = openedDocument(t, s, small)
	d.mu.Lock()
	made, warm = d.texts.made, d.snap.doc.Warmed()
	d.mu.Unlock()
	if made != 0 || warm {
		t.Fatalf("a small document got %d spare buffers (index built %v): its first keystrokes are cheap anyway", made, warm)
	}
}
