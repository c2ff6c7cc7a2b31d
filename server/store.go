package server

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"go.lsp.dev/uri"
)

// document is one open text and its analysis. The read loop applies edits
// (fast, in order); a worker goroutine analyzes the latest text. Bursts of
// edits that arrive while an analysis runs coalesce into one next analysis.
type document struct {
	uri string // exactly as the client sent it: echoed in every message

	mu      sync.Mutex
	version int32
	text    []byte
	mapper  *syntax.Mapper     // of text, when known (didChange resolves positions with it); nil: none yet
	pending []syntax.Edit      // edits applied since the text of snap
	full    bool               // pending is unusable: analyze from scratch
	seed    *analysis.Document // the "previous" of a first or full analysis: carries the options (workspace.go)
	snap    *snapshot
	ready   chan struct{} // closed when snap changes
	closed  bool
	wake    chan struct{} // capacity 1: a pending "analyze again"
	done    chan struct{}
	runs    int // analyses performed, for tests
	publish bool

	// texts recycles the memory of superseded texts (textpool.go);
	// analyzing is the text the analysis goroutine reads (nil between
	// analyses), overlayText the last one given to the workspace overlay:
	// both live texts for the pool.
	texts       textPool
	analyzing   []byte
	overlayText []byte
	readers     *atomic.Int64 // the store's: see store.readers
	locateIdle  time.Duration // the store's (locateAhead)

	// published serializes the publications of this document: the
	// analysis goroutine and the handlers that re-publish (settings, config
	// file) each read the settings and send; without it a publication
	// computed with the old settings could reach the client after the one
	// with the new settings, and stay there.
	published sync.Mutex
	// publishCalls counts the publish calls past the settings (whether
	// they sent or the document was ignored), for tests.
	publishCalls int
}

// snapshot is an analyzed, immutable text version.
type snapshot struct {
	version int32
	doc     *analysis.Document
}

func (s *store) newDocument(u string, version int32, text []byte) *document {
	return &document{uri: u, version: version, text: text, readers: &s.readers, locateIdle: cmp.Or(s.locateIdle, locateIdle),
		ready: make(chan struct{}), wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// openedText is the text of a didOpen as the bytes of the string the
// message decoded, without a copy: a document's text is never modified in
// place (an edit makes a new text, syntax.ApplyChanges), and a copy would
// put one more whole text on the heap at the moment it is fullest (the
// message, its decoded form and the first analysis).
func openedText(s string) []byte {
	if s == "" {
		return []byte{}
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// canonicalURI is the key of the store: clients may spell one file in
// several ways (file:///C:/x vs file:///c%3A/x).
func canonicalURI(s string) string {
	if u, err := uri.Parse(s); err == nil {
		return string(u)
	}
	return s
}

// textMapper returns the mapper of d.text (d.mu held): the one kept by the
// last didChange, else the analysis's when its snapshot is of this very
// text (after the open), else nil (didChange then scans the text).
func (d *document) textMapper() *syntax.Mapper {
	if d.mapper != nil && sameBytes(d.mapper.Text(), d.text) {
		return d.mapper
	}
	if d.snap != nil && d.snap.doc.Mapper != nil && sameBytes(d.snap.doc.Mapper.Text(), d.text) {
		return d.snap.doc.Mapper
	}
	return nil
}

// sameBytes: a and b are the same slice of memory (not only equal bytes).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func (d *document) schedule() {
	select {
	case d.wake <- struct{}{}:
	default: // an analysis is already pending; it will read the newest text
	}
}

// checkApplied makes run check, before each analysis, that the pending
// edits applied to the previous snapshot's text give the text (tests set it;
// the check is a pass over the whole text, which UpdateApplied exists to
// spare).
var checkApplied bool

// analyzeFunc analyzes text, which is edits applied in order to the text
// of prev (didChange applied them), with m its mapper when known (nil: not
// kept): analysis.UpdateApplied, so that the analysis neither checks the
// texts against the edits nor updates a mapper didChange updated already.
type analyzeFunc func(prev *analysis.Document, edits []syntax.Edit, text []byte, m *syntax.Mapper) *analysis.Document

// run analyzes the latest text each time it is woken, until closed.
func (d *document) run(analyze analyzeFunc, published func(*document, *snapshot)) {
	var idle <-chan time.Time // set while a pass may run ahead (locateWhenIdle)
	for {
		select {
		case <-d.wake:
		case <-d.done:
			return
		case <-idle:
			idle = nil
			d.locateAhead()
			continue
		}
		idle = nil
		d.mu.Lock()
		text, version, edits, m := d.text, d.version, d.pending, d.textMapper()
		first := d.snap == nil
		var prev *analysis.Document
		if d.snap != nil && !d.full {
			prev = d.snap.doc
		} else if d.seed != nil {
			prev = d.seed
		}
		d.pending, d.full = nil, false
		d.analyzing = text
		d.mu.Unlock()
		if checkApplied && prev != nil && prev.Tree != nil && len(edits) > 0 { // (a seed, with no tree, is analyzed whole)
			// Tests hold the server to analysis.UpdateApplied's promise:
			// the pending edits applied to the previous snapshot's text
			// make this text (otherwise the analysis would re-parse the
			// wrong region with no fallback to show it).
			applied := prev.Text
			for _, e := range edits {
				applied = e.Apply(applied)
			}
			if !bytes.Equal(applied, text) {
				panic(fmt.Sprintf("server: pending edits of version %d do not make its text from the previous snapshot's", version))
			}
		}
		snap := &snapshot{version: version, doc: analyze(prev, edits, text, m)}
		if first && len(text) >= warmAfterOpenBytes {
			// The first keystrokes of a large document paid for what the
			// open left to them: the lazy indexes of the incremental
			// update, fresh text buffers (page faults), and the
			// collection that the parse's garbage calls for (its marking
			// held the first two keystrokes of a 5 MB document: 89 ms).
			// Done now, before the diagnostics go out, they cost the open
			// a few percent and the typing nothing.
			snap.doc.Warm()
			spares := spareTexts(len(text), 2)
			d.mu.Lock()
			d.texts.addSpares(spares)
			d.mu.Unlock()
			runtime.GC()
		}
		d.mu.Lock()
		if d.closed {
			d.mu.Unlock()
			return
		}
		d.runs++
		superseded := d.snap
		d.snap = snap
		d.analyzing = nil
		close(d.ready)
		d.ready = make(chan struct{})
		latest := d.version == version
		d.sweepTexts()
		d.mu.Unlock()
		if superseded != nil && superseded.doc.Tree != snap.doc.Tree {
			// A pass run ahead on the superseded tree (locateAhead) that
			// has not ended: the update that needed it has waited for it,
			// and no other will read it.
			superseded.doc.Tree.StopLocate()
		}
		if latest {
			published(d, snap)
			if len(text) >= locateAheadBytes && snap.doc.Tree.LocatePending() {
				idle = time.After(d.locateIdle)
			}
		}
	}
}

// A valid YAML text parsed whole (anchors, aliases, explicit keys) keeps
// the first error typed into it local only after a region-wise pass over
// it, which costs about a whole parse (syntax/located.go): 80–130 ms at
// 1 MB, paid by that keystroke. When the text has stayed unchanged for
// locateIdle after its diagnostics went out, the pass runs ahead, beside
// the analysis goroutine (a keystroke meanwhile is analyzed at once; one
// that needs the pass waits for it rather than running a second one; once
// the keystroke's analysis is done the pass stops, as nothing reads it
// then), and the updates that keep the text valid carry its result. Smaller texts
// than locateAheadBytes pay little for it on the first error.
const (
	locateIdle       = 300 * time.Millisecond
	locateAheadBytes = 64 << 10
)

// locateAhead runs the pending pass of the current snapshot's tree in the
// background, if the snapshot is still the latest version.
func (d *document) locateAhead() {
	d.mu.Lock()
	if d.closed || d.snap == nil || d.snap.version != d.version {
		d.mu.Unlock()
		return
	}
	tree := d.snap.doc.Tree
	// The pass reads the snapshot's text: while it runs, superseded texts
	// are not recycled (textpool.go).
	d.readers.Add(1)
	d.mu.Unlock()
	go func() {
		defer d.readers.Add(-1)
		tree.Locate()
	}()
}

// warmAfterOpenBytes: a first analysis of a text this large is followed
// by the work the first keystrokes would do otherwise (run).
const warmAfterOpenBytes = 1 << 20

// liveTexts returns the texts of d that may be read (d.mu held): the
// current one, the one under analysis, the workspace overlay's, and the
// snapshot's with the last good versions it keeps. The analysis of the
// next version reads the snapshot's document and its last good one, and
// keeps no other text of an earlier version (the tests' poisoned pool
// holds it to that: poisonRetired).
func (d *document) liveTexts() [][]byte {
	live := [][]byte{d.text, d.analyzing, d.overlayText}
	if d.mapper != nil {
		live = append(live, d.mapper.Text())
	}
	if d.snap != nil {
		for doc := d.snap.doc; doc != nil; doc = doc.LastGood() {
			live = append(live, doc.Text)
			if doc.Mapper != nil {
				live = append(live, doc.Mapper.Text())
			}
			if doc.Tree != nil {
				live = append(live, doc.Tree.Text)
			}
		}
	}
	return live
}

// sweepTexts gives the texts nothing reads back to the pool (d.mu held).
func (d *document) sweepTexts() {
	d.texts.sweep(d.liveTexts(), d.readers.Load() > 0)
}

// current waits until the analysis of the newest text version exists: a
// request is never answered from a snapshot older than the text it was
// sent against, because its positions would point at the wrong place.
func (d *document) current(ctx context.Context) (*snapshot, error) {
	for {
		d.mu.Lock()
		if d.closed {
			d.mu.Unlock()
			return nil, fmt.Errorf("%s: %w", d.uri, errDocumentClosed)
		}
		if d.snap != nil && d.snap.version == d.version {
			s := d.snap
			d.mu.Unlock()
			return s, nil
		}
		ch := d.ready
		d.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// store holds the open documents.
type store struct {
	mu   sync.Mutex
	docs map[string]*document
	// workspaceBytes is the text the server keeps analyzed beside the open
	// documents (referenced files, indexed documents): the memory limit
	// counts it like open text (workspace.go).
	workspaceBytes atomic.Int64

	// readers counts what is running that may hold a snapshot other than
	// a document's current one (a request, a re-publication): while it is
	// not zero, superseded texts are left to the collector instead of
	// recycled (textpool.go). Incremented before the snapshot is taken.
	readers atomic.Int64
	// locateIdle: the documents' (locateAhead); zero: the constant (tests
	// set it before opening).
	locateIdle time.Duration

	limitMu sync.Mutex
	limit   int64 // the memory limit last set; 0 before the first
	// limitLastGood: the limit last set counted a last good text.
	limitLastGood bool
	// slots bounds how many open documents are analyzed at once (the
	// cores): a burst of opens, or a shared file that 200 documents read
	// changing, would otherwise run every analysis at once, each holding
	// its parser's garbage, and the peak memory grew with the documents.
	slots chan struct{}
}

// analysisSlots returns the semaphore of concurrent analyses.
func (s *store) analysisSlots() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.slots == nil {
		s.slots = make(chan struct{}, runtime.GOMAXPROCS(0))
	}
	return s.slots
}

// reading marks the start of something that may hold snapshots; the
// returned function marks its end.
func (s *store) reading() func() {
	s.readers.Add(1)
	return func() { s.readers.Add(-1) }
}

func (s *store) get(u string) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs[canonicalURI(u)]
}

func (s *store) put(d *document) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.docs == nil {
		s.docs = map[string]*document{}
	}
	key := canonicalURI(d.uri)
	old := s.docs[key]
	s.docs[key] = d
	return old
}

func (s *store) remove(u string) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := canonicalURI(u)
	d := s.docs[key]
	delete(s.docs, key)
	return d
}

func (s *store) all() []*document {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		out = append(out, d)
	}
	return out
}

func (d *document) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		d.closed = true
		close(d.done)
		close(d.ready)
	}
}

// A soft limit for the Go runtime's memory, proportional to the size of the
// open texts (followed on every change, open and close); a GOMEMLIMIT set
// by the user wins. The limit only makes the collector run sooner when the
// heap nears it: each keystroke allocates a little more than a new copy of
// the text (an edit makes a new text; the rest is shared with the previous
// version), so the room between the live heap and the limit decides how
// many keystrokes go by between two collections.
//
// What lives: about 7 MB whatever the documents (the AsyncAPI JSON schemas,
// raw and compiled, and the runtime), and an open document's analysis at
// about 9x its text (YAML; JSON 6x), the text included. The runtime keeps
// another ~8 MB + 12% of the limit outside the heap, which is why the base
// is 16 MiB: with the former 2 MiB base and 16 MiB floor, the heap goal of a
// 100 KB or 1 MB document was at or below its live heap, and the collector
// ran constantly (hover and completion right after typing took 2.5-3.5 ms).
// Measured with lspbench, one run (v3 YAML place o / JSON place d1), limit:
// peak RSS, server CPU per keystroke:
//
//	100 KB  16 MiB: 25 MB,  2.7 ms   20 MiB: 27 MB, 0.65 ms   24 MiB: 30 MB, 0.43 ms
//	1 MB    18 MiB: 35x,  9.0 ms     28 MiB: 36x,  2.9 ms     32 MiB: 40x,  2.7 ms
//	5 MB    82 MiB: 18.5x, 14 ms     86 MiB: 18.7-21.3x, 11-27 ms   90 MiB: 19.5-20.4x
//
// Peak RSS is the limit plus 10-20 MB (the program itself, and the heap
// overshooting the soft limit while a document is opened); at 1 MB the live
// heap alone is near the 18 MiB of the former formula, so a higher limit
// barely moved the peak there. At 5 MB the machine's load moves the figures
// more than the limit does; 13 per byte keeps 5 MB at about the limit of
// the former formula (81 MiB, was 82), for a peak under 20x.
//
// But at 5 MB 13 per byte left the collector 7-10 MB above a live heap of
// 51-56 MB (GODEBUG=gctrace=1 in lspbench), and a keystroke allocates
// about 7 MB (the text is copied): it ran at every keystroke or two, and
// its marking was most of the server's CPU per keystroke and the spikes
// (the 131 ms max of place o). One lspbench run (v3 5 MB, places o and c,
// 16 keystrokes, load 18 on 2 cores), limit: keystroke median / max,
// CPU per keystroke, peak RSS:
//
//	81 MiB (13/byte):  o 35.9 / 166 ms, 13.2 ms; c 112 / 273 ms, 27.8 ms; 18-20x
//	105 MiB:           o 23.9 / 122 ms, 5.7 ms;  c 34.7 / 67 ms, 8.5 ms;  23-24x
//	120 MiB:           o 5.2 / 38 ms, 5.7 ms;    c 8.7 / 83 ms, 6.2 ms;   25.5x
//
// 21 per byte (121 MiB at 5 MB) would buy the keystroke targets on a
// loaded machine with a peak of about 25x the document, over the peak
// target (< 20x) the limit is set for; on an idle machine 13 per byte met
// the medians. The default stayed at 13; a user who can spare the memory
// sets GOMEMLIMIT (which wins over this formula), e.g. 16 MiB + 21 bytes
// per byte of the documents they edit.
//
// 14 since the official schemas are no longer all kept on the heap
// (analysis/schema.Raw: 3.5 MB less fixed heap): at 5 MB the one byte more
// per byte of text gives back more than that freed (+1.7 MB of limit), at
// 1 MB and below the limit is the lower sum. At 13 the freed heap did not
// reach the collector (gctrace, 5 MB minified m1: live 57 MB, was 60, but
// the goal stayed at 63 MB, and a keystroke's 5.7 MB still started a
// collection at nearly every keystroke); at 14 the goal is 68 MB, about
// two keystrokes of room. One lspbench run, three builds (load 6.5-6.7):
// collections from open to the end of 16 keystrokes m1 29 (13/byte: 39,
// before the schema change: 42), CPU per keystroke m1 8.5 ms (25.7, 27.7),
// o 7.3 ms (11.0, 12.3); peak RSS 18.2x (17.7-17.9x, 18.3-19.9x). The
// broken places against the session's start (one run, load 6.1-6.3): CPU
// per keystroke b, c, m2 x0.78, x0.66, x0.54; peak RSS b 19.3x (18.4x),
// c 19.4x (19.2x), m2 20.2x (20.8x).
//
// Since the texts are recycled (textpool.go) a keystroke no longer
// allocates a copy of the text: in process at 5 MB it allocates 0.24-0.28x
// the document (was 1.11-1.16x at the valid, broken and minified JSON
// places, BenchmarkTypingPlaceV3), and the pool keeps one more text live in
// its place. The formula stayed: at 5 MB the collector ran once or twice in
// 16 keystrokes (gctrace over lspbench, places o, b and m1; it was every
// two or three), and the peak was 18.2-19.3x the document (lspbench, places
// o, b, c, n, m1 and m2, two rounds, load 5).
const (
	memLimitBase    = 16 << 20
	memLimitPerByte = 14
	memLimitMin     = 20 << 20 // small documents: the fixed heap and its room
	// memLimitPerWorkspaceByte is the share of a file the server read from
	// disk (a referenced file, a document found in the workspace): its parsed
	// tree and its text live at about 7x its text. Measured with wsbench
	// (200 documents, 1,000 shared files, 2.3 MB, live heap 9.3x): peak RSS
	// of the server 23.3x with 16 per byte, 19.7x with 12, 18.1x with 10,
	// which costs about 1.5x the CPU time when every document is opened or
	// re-analyzed at once (the collector runs more often).
	memLimitPerWorkspaceByte = 10
	// memLimitPerLastGoodByte is the share of the text of a broken
	// document's last good version (analysis.Document.LastGood), which the
	// server holds beside the current text while the document stays broken:
	// its tree and model are mostly shared with the current version's, its
	// text is not (in-process at 5 MB, place c against o, 5.7 MB more live
	// heap, 5.2 of them that text). Uncounted, it was taken from the room
	// above the live heap: the collector ran about twice as often in a
	// broken document as in a valid one (gctrace: live 57 against 51 MB
	// under a goal of 62-63 MB), which made the CPU per keystroke of place
	// c 1.65-2.3x o's. Counted once, the room is a valid document's.
	memLimitPerLastGoodByte = 1
)

func (s *store) setMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	open, lastGood := 0, 0
	for _, d := range s.all() {
		d.mu.Lock()
		open += len(d.text)
		if d.snap != nil {
			if g := d.snap.doc.LastGood(); g != nil {
				lastGood += len(g.Text)
			}
		}
		d.mu.Unlock()
	}
	limit := int64(max(memLimitMin, memLimitBase+memLimitPerByte*open+memLimitPerLastGoodByte*lastGood+memLimitPerWorkspaceByte*int(s.workspaceBytes.Load())))
	s.limitMu.Lock()
	defer s.limitMu.Unlock()
	// Every didChange lands here: a keystroke moves the limit by a few
	// bytes, and setting it costs the runtime a stop of the world, so it is
	// set again only when it moved by more than 1/16 (a paste, a deletion
	// of a large part, an open or a close), or when the open documents
	// went from holding no last good text to holding one, or back (a
	// document became broken or valid again: one text where the limit
	// counts 13 per byte is under 1/16 of it).
	holdsLastGood := lastGood > 0
	if last := s.limit; last != 0 && abs(limit-last) <= last/16 && holdsLastGood == s.limitLastGood {
		return
	}
	s.limit, s.limitLastGood = limit, holdsLastGood
	debug.SetMemoryLimit(limit)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
