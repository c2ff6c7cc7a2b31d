package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"go.lsp.dev/uri"
)

// The multi-file workspace: $refs into other files are followed through a
// file cache confined to the workspace folders, where open documents are
// read from the editor (overlays) and other files from disk. A dependency
// graph says which documents read which files; when a file changes (file
// watcher, polling fallback, or an edit of an open document) its dependents
// are analyzed again and republished. On start the AsyncAPI documents under
// the workspace folders are found and analyzed (with $/progress), so that
// cross-file features see the documents that are not open.

// pollInterval is how often the polling fallback stats the files in the
// cache, for clients that cannot watch files.
const pollInterval = 400 * time.Millisecond

// The polling fallback also notices documents that appear in, or vanish
// from, the workspace folders: every dirScanTicks polls it stats the
// directories (at most maxScannedDirs) and lists those whose time changed.
const (
	dirScanTicks   = 3
	maxScannedDirs = 10000
)

// progressTokens numbers the work-done progress tokens (one per discovery).
var progressTokens atomic.Int64

// indexGrace is how long after initialized discovery waits before it
// analyzes the documents it found (see discover).
const indexGrace = 300 * time.Millisecond

// maxIndexedDocuments bounds the documents discovery analyzes, so that a
// huge folder (a home directory, a monorepo) cannot exhaust memory.
const maxIndexedDocuments = 5000

// watchRegistrationID names our dynamic registration of file watchers.
const watchRegistrationID = "asyncapi-ls/watch-refs"

// workspaceState is the server's view of the files beyond the open
// documents. Its methods are safe for concurrent use.
type workspaceState struct {
	graph *workspace.Graph

	mu    sync.Mutex
	roots *workspace.Roots // the workspace folders; nil before initialize
	cache *workspace.Cache
	// indexed are the discovered documents that are not open, analyzed
	// from disk, by path.
	indexed map[string]*analysis.Document
	// indexing are the analyses of indexDocument under way, by path: a
	// document opened meanwhile takes the result instead of analyzing the
	// same text a second time at the same moment (firstAnalysis).
	indexing map[string]*indexRun
	watchDyn bool // the client can register file watchers dynamically
	progress bool // the client shows $/progress (window.workDoneProgress)
	polling  bool
	stop     chan struct{} // closed at shutdown
	stopped  bool
	// queue holds work off the read loop that must run in order (file
	// changes, closed documents); draining is true while a goroutine runs it.
	queue    []func()
	draining bool
}

// enqueue runs f after every function enqueued before it, on a goroutine:
// the read loop never waits for re-indexing.
func (w *workspaceState) enqueue(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.queue = append(w.queue, f)
	if w.draining {
		return
	}
	w.draining = true
	go func() {
		for {
			w.mu.Lock()
			if len(w.queue) == 0 {
				w.draining = false
				w.mu.Unlock()
				return
			}
			next := w.queue[0]
			w.queue = w.queue[1:]
			w.mu.Unlock()
			next()
		}
	}()
}

func newWorkspaceState() *workspaceState {
	roots := workspace.NewRoots(workspace.OS, "the workspace folders")
	return &workspaceState{
		graph:    workspace.NewGraph(),
		roots:    roots,
		cache:    workspace.NewCache(workspace.OS, roots, 0),
		indexed:  map[string]*analysis.Document{},
		indexing: map[string]*indexRun{},
		stop:     make(chan struct{}),
	}
}

// configureWorkspace reads the workspace folders and the client's
// capabilities from initialize.
func (s *Server) configureWorkspace(p *protocol.InitializeParams) {
	var dirs []string
	for _, f := range p.WorkspaceFolders {
		if d := uriPath(f.URI); d != "" {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 && p.RootURI != nil {
		if d := uriPath(*p.RootURI); d != "" {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 && p.RootPath != nil && *p.RootPath != "" {
		dirs = append(dirs, filepath.Clean(*p.RootPath))
	}
	w := s.ws
	w.mu.Lock()
	defer w.mu.Unlock()
	w.roots = workspace.NewRoots(workspace.OS, "the workspace folders", dirs...)
	w.cache = workspace.NewCache(workspace.OS, w.roots, 0)
	if c := p.Capabilities.Workspace; c != nil && c.DidChangeWatchedFiles != nil && c.DidChangeWatchedFiles.DynamicRegistration != nil {
		w.watchDyn = *c.DidChangeWatchedFiles.DynamicRegistration
	}
	if c := p.Capabilities.Window; c != nil && c.WorkDoneProgress != nil {
		w.progress = *c.WorkDoneProgress
	}
}

// loaderFor returns the loader a document at path reads other files
// with: the workspace cache, confined to the workspace folders. A document
// outside every folder (or without a path) gets none: nothing outside the
// folders is read, so its file $refs are not followed (hover says so).
func (w *workspaceState) loaderFor(path string) analysis.Loader {
	w.mu.Lock()
	defer w.mu.Unlock()
	if path == "" || !w.roots.Contains(path) {
		return nil
	}
	return w.cache
}

// files returns the file cache.
func (w *workspaceState) files() *workspace.Cache {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cache
}

// seedFor is the empty document whose options the first analysis of an
// open document (and every full re-analysis) starts from.
func (s *Server) seedFor(d *document) *analysis.Document {
	p := uriPath(d.uri)
	return analysis.Seed(analysis.Options{Path: p, Loader: s.ws.loaderFor(p)})
}

// documentOpened records the editor's text as the overlay of its file and
// re-analyzes the documents that read it.
func (s *Server) documentOpened(d *document) {
	d.seed = s.seedFor(d)
	s.documentChanged(d)
	if p := uriPath(d.uri); p != "" {
		s.ws.mu.Lock()
		delete(s.ws.indexed, p) // the open document replaces its indexed copy
		s.ws.mu.Unlock()
	}
}

// documentChanged updates the overlay after an edit and schedules the
// documents that read this one.
func (s *Server) documentChanged(d *document) {
	p := uriPath(d.uri)
	if p == "" {
		return
	}
	d.mu.Lock()
	text, version := d.text, d.version
	d.mu.Unlock()
	if s.beforeOverlay != nil {
		s.beforeOverlay(d.uri)
	}
	f := s.ws.files().SetOverlay(p, version, text)
	d.mu.Lock()
	// The pool must know the overlay of its text (a reader that loads it
	// may keep the text), and that the overlay moved on from the text
	// before only now: until SetOverlay returned, a reader could load it.
	d.texts.setOverlay(text, f)
	d.overlayText = text
	d.mu.Unlock()
	s.refreshDependents([]string{p})
}

// documentClosed drops the overlay: readers of the file see the disk again.
func (s *Server) documentClosed(d *document) {
	p := uriPath(d.uri)
	if p == "" {
		return
	}
	s.ws.files().ClearOverlay(p)
	s.ws.graph.Remove(p)
	s.ws.enqueue(func() {
		if s.isDiscoveredDocument(p) {
			s.indexDocument(p)
		}
		s.refreshDependents([]string{p})
	})
}

// analyzeOpen analyzes an open document once a slot is free (store.slots).
func (s *Server) analyzeOpen(prev *analysis.Document, edits []syntax.Edit, text []byte, m *syntax.Mapper) *analysis.Document {
	slots := s.docs.analysisSlots()
	slots <- struct{}{}
	defer func() { <-slots }()
	return s.safeAnalyze(prev, edits, text, m)
}

// documentAnalyzed records which files a new analysis of an open document
// read, so that their changes reach it.
func (s *Server) documentAnalyzed(d *document, doc *analysis.Document) {
	if p := uriPath(d.uri); p != "" {
		s.ws.graph.Set(p, doc.Files())
	}
	if n := s.ws.files().Bytes(); n != s.docs.workspaceBytes.Load() {
		s.updateMemoryLimit()
	} else {
		s.docs.setMemoryLimit() // the document may have become broken, or valid again (its last good text)
	}
}

// refreshDependents re-analyzes every document that reads one of paths,
// directly or through other files: open ones from their current text (and
// republishes them), indexed ones from disk.
func (s *Server) refreshDependents(paths []string) {
	affected := s.ws.graph.Affected(paths...)
	if len(affected) == 0 {
		return
	}
	open := map[string]*document{}
	for _, d := range s.docs.all() {
		if p := uriPath(d.uri); p != "" {
			open[p] = d
		}
	}
	var reindex []string
	for _, p := range affected {
		if d := open[p]; d != nil {
			d.mu.Lock()
			d.full = true // same text, other files changed: analyze from scratch
			d.mu.Unlock()
			d.schedule()
			continue
		}
		s.ws.mu.Lock()
		_, ok := s.ws.indexed[p]
		s.ws.mu.Unlock()
		if ok {
			reindex = append(reindex, p)
		}
	}
	if len(reindex) > 0 {
		go s.indexDocuments(reindex)
	}
}

// workspaceWatchedFiles handles the client's file events (config.go
// handles those of config files).
func (s *Server) workspaceWatchedFiles(p *protocol.DidChangeWatchedFilesParams) {
	var paths []string
	for _, c := range p.Changes {
		if path := uriPath(c.URI); path != "" {
			paths = append(paths, path)
		}
	}
	s.filesChanged(paths)
}

// filesChanged forgets the cached texts of paths at once, then, in order
// off the read loop, keeps the index of discovered documents current and
// refreshes every dependent.
func (s *Server) filesChanged(paths []string) {
	if len(paths) == 0 {
		return
	}
	for _, p := range paths {
		s.ws.files().Invalidate(p)
	}
	s.ws.enqueue(func() { s.reindexChanged(paths) })
}

func (s *Server) reindexChanged(paths []string) {
	var reindex []string
	for _, p := range paths {
		if s.docs.get(string(uri.File(p))) != nil {
			continue // open: the editor's text wins
		}
		if s.isDiscoveredDocument(p) {
			reindex = append(reindex, p)
		} else {
			s.ws.mu.Lock()
			_, was := s.ws.indexed[p]
			delete(s.ws.indexed, p)
			s.ws.mu.Unlock()
			if was {
				s.ws.graph.Remove(p)
			}
		}
	}
	s.indexDocuments(reindex)
	s.refreshDependents(paths)
}

// isDiscoveredDocument reports whether path is an AsyncAPI document inside
// the workspace folders, as discovery would find it.
func (s *Server) isDiscoveredDocument(path string) bool {
	s.ws.mu.Lock()
	roots := s.ws.roots
	s.ws.mu.Unlock()
	if !workspace.HasDocumentExt(path) || !roots.Contains(path) {
		return false
	}
	prefix, err := workspace.OS.ReadPrefix(path, workspace.SniffSize)
	return err == nil && workspace.Sniff(prefix)
}

// updateMemoryLimit lets the memory limit count the texts of the
// workspace (cached files, which include the indexed documents).
func (s *Server) updateMemoryLimit() {
	s.docs.workspaceBytes.Store(s.ws.files().Bytes())
	s.docs.setMemoryLimit()
}

// indexDocuments analyses documents that are not open from disk, on all
// cores, and records them in the index and the graph.
func (s *Server) indexDocuments(paths []string) {
	if len(paths) == 0 {
		return
	}
	defer s.updateMemoryLimit()
	work := make(chan string)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				s.indexDocument(p)
			}
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
}

// indexRun is one analysis of indexDocument; doc is set before done is
// closed.
type indexRun struct {
	done    chan struct{}
	doc     *analysis.Document
	waiters atomic.Int32 // opened documents waiting for it (tests)
}

func (s *Server) indexDocument(path string) {
	s.waitForOpenDocuments()
	s.ws.mu.Lock()
	// Checked and registered under ws.mu: a didOpen that comes later finds
	// the run (firstAnalysis).
	if s.docs.get(string(uri.File(path))) != nil || s.ws.indexing[path] != nil {
		s.ws.mu.Unlock()
		return
	}
	run := &indexRun{done: make(chan struct{})}
	s.ws.indexing[path] = run
	s.ws.mu.Unlock()
	defer func() {
		s.ws.mu.Lock()
		delete(s.ws.indexing, path)
		s.ws.mu.Unlock()
		close(run.done)
	}()
	f, err := s.ws.files().Load(path)
	if err != nil {
		s.ws.mu.Lock()
		delete(s.ws.indexed, path)
		s.ws.mu.Unlock()
		s.ws.graph.Remove(path)
		return
	}
	doc := s.safeAnalyze(analysis.Seed(analysis.Options{Path: path, Loader: s.ws.loaderFor(path)}), nil, f.Text, nil)
	run.doc = doc
	s.ws.mu.Lock()
	if s.docs.get(string(uri.File(path))) != nil {
		// Opened while it was analyzed: documentOpened found no indexed
		// copy to drop, and this one would stay beside the open document
		// for as long as it is open.
		s.ws.mu.Unlock()
		return
	}
	s.ws.indexed[path] = doc
	s.ws.mu.Unlock()
	s.ws.graph.Set(path, doc.Files())
}

// firstAnalysis is the analysis function of a newly opened document: its
// first analysis takes the result of an indexDocument of the same file
// under way when it analyzed the same text with the same options (an
// editor opens a file right after initialized, when discovery may already
// analyze it); every other one is safeAnalyze.
func (s *Server) firstAnalysis(d *document) analyzeFunc {
	first := true
	return func(prev *analysis.Document, edits []syntax.Edit, text []byte, m *syntax.Mapper) *analysis.Document {
		if first {
			first = false
			if doc := s.indexedDuringOpen(d, prev, edits, text); doc != nil {
				return doc
			}
		}
		return s.analyzeOpen(prev, edits, text, m)
	}
}

func (s *Server) indexedDuringOpen(d *document, prev *analysis.Document, edits []syntax.Edit, text []byte) *analysis.Document {
	p := uriPath(d.uri)
	if p == "" || len(edits) > 0 {
		return nil
	}
	s.ws.mu.Lock()
	run := s.ws.indexing[p]
	s.ws.mu.Unlock()
	if run == nil {
		return nil
	}
	run.waiters.Add(1)
	<-run.done
	if run.doc == nil || prev == nil || prev.Options() != run.doc.Options() || !bytes.Equal(run.doc.Text, text) {
		return nil
	}
	return run.doc
}

// waitForOpenDocuments returns when every open document is analyzed in its
// current version (or at shutdown): indexing is background work, and a
// document the user opens or types into must not share the cores (and the
// heap's growth) with it. Discovery starts when the client is initialized,
// a moment before the first didOpen.
func (s *Server) waitForOpenDocuments() {
	s.ws.mu.Lock()
	stop := s.ws.stop
	s.ws.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	for _, d := range s.docs.all() {
		d.current(ctx) // an error: closed meanwhile, or shutdown
		if ctx.Err() != nil {
			return
		}
	}
}

// workspaceInitialized runs after the client's initialized notification:
// file watching (registered, or polled), then discovery.
func (s *Server) workspaceInitialized() {
	w := s.ws
	w.mu.Lock()
	dyn, progress := w.watchDyn, w.progress
	w.mu.Unlock()
	go func() {
		if !dyn || !s.registerWatchers() {
			s.startPolling()
		}
	}()
	go s.discover(progress)
}

// registerWatchers asks the client to watch YAML and JSON files. It runs
// on its own goroutine: a request to the client from a handler would
// deadlock the read loop that delivers its answer.
func (s *Server) registerWatchers() bool {
	conn := s.getConn()
	if conn == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	params := protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: watchRegistrationID, Method: protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: []protocol.FileSystemWatcher{
			{GlobPattern: "**/*.{yaml,yml,json}"},
		}},
	}}}
	var result json.RawMessage
	if err := conn.Call(ctx, protocol.ServerClientRegisterCapability, params, &result); err != nil {
		s.logger.Printf("registering file watchers failed (%v): polling instead", err)
		return false
	}
	return true
}

// startPolling stats the cached files periodically, and the directories
// of the workspace folders: the fallback when the client cannot watch
// files. A changed file reaches its dependents; a new document under the
// folders joins the index, a removed one leaves it (reindexChanged).
func (s *Server) startPolling() {
	w := s.ws
	w.mu.Lock()
	if w.polling || w.stopped {
		w.mu.Unlock()
		return
	}
	w.polling = true
	stop := w.stop
	w.mu.Unlock()
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	var scan *workspace.DirScan
	var scanned *workspace.Roots
	rescan := func() { // at start, and when the folders changed (discovery runs again)
		w.mu.Lock()
		roots := w.roots
		w.mu.Unlock()
		if roots == scanned {
			return
		}
		scan, scanned = workspace.NewDirScan(workspace.OS, roots.Dirs(), maxScannedDirs), roots
		if scan.Truncated {
			s.logger.Printf("the workspace folders hold more than %d directories: new documents beyond them are noticed only when opened", maxScannedDirs)
		}
	}
	rescan()
	for tick := 1; ; tick++ {
		select {
		case <-stop:
			return
		case <-t.C:
			changed := s.ws.files().Poll()
			if tick%dirScanTicks == 0 {
				before := scanned
				if rescan(); scanned == before {
					changed = append(changed, scan.Scan()...)
				}
			}
			if len(changed) > 0 {
				s.filesChanged(changed)
			}
		}
	}
}

// stopWorkspace ends polling and discovery at shutdown.
func (s *Server) stopWorkspace() {
	s.ws.mu.Lock()
	defer s.ws.mu.Unlock()
	if !s.ws.stopped {
		s.ws.stopped = true
		close(s.ws.stop)
	}
}

// discover finds the AsyncAPI documents under the workspace folders and
// analyses those that are not open, reporting $/progress when the client
// shows it.
func (s *Server) discover(progress bool) {
	started := time.Now()
	s.ws.mu.Lock()
	dirs := s.ws.roots.Dirs()
	stop := s.ws.stop
	s.ws.mu.Unlock()
	if len(dirs) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	report := s.progressReporter(ctx, progress, "Indexing AsyncAPI documents")
	paths, err := workspace.Discover(ctx, workspace.OS, dirs, workspace.DiscoverOptions{
		Progress: func(scanned, found int) {
			report(fmt.Sprintf("%d files scanned, %d AsyncAPI documents", scanned, found), -1)
		},
		MaxDocuments: maxIndexedDocuments,
	})
	switch {
	case errors.Is(err, workspace.ErrTooManyDocuments):
		s.logMessage(protocol.MessageTypeWarning, fmt.Sprintf("asyncapi-ls: the workspace folders hold %d or more AsyncAPI documents; only the %d found first are indexed (open documents are always analyzed)", maxIndexedDocuments, len(paths)))
	case err != nil:
		report("", 100)
		return
	}
	// Editors open the active file right after initialized: indexing it
	// before its didOpen arrives analyzes it twice at once (the open
	// analysis shares the cores, the heap peaks with both; lspbench at
	// 1 MB: open→diagnostics 3x, peak RSS 36x the document instead of
	// 21x). After the grace, indexing also waits for open documents.
	select {
	case <-time.After(indexGrace - time.Since(started)):
	case <-ctx.Done():
		report("", 100)
		return
	}
	var todo []string
	for _, p := range paths {
		if s.docs.get(string(uri.File(p))) == nil {
			todo = append(todo, p)
		}
	}
	done := 0
	var mu sync.Mutex
	batches := chunk(todo, 16)
	for _, b := range batches {
		if ctx.Err() != nil {
			break
		}
		s.indexDocuments(b)
		mu.Lock()
		done += len(b)
		report(fmt.Sprintf("%d of %d documents analyzed", done, len(todo)), done*100/max(1, len(todo)))
		mu.Unlock()
	}
	report(fmt.Sprintf("%d AsyncAPI documents", len(paths)), 100)
}

func chunk(s []string, n int) [][]string {
	var out [][]string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// progressReporter creates a work-done progress token and returns a
// function that reports a message and a percentage (-1: none); 100 ends
// the progress. Without client support it reports nothing.
func (s *Server) progressReporter(ctx context.Context, enabled bool, title string) func(msg string, pct int) {
	conn := s.getConn()
	if !enabled || conn == nil {
		return func(string, int) {}
	}
	token := protocol.ProgressToken{Value: fmt.Sprintf("asyncapi-ls/indexing/%d", progressTokens.Add(1))}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := conn.Call(cctx, protocol.ServerWindowWorkDoneProgressCreate, protocol.WorkDoneProgressCreateParams{Token: token}, nil); err != nil {
		return func(string, int) {}
	}
	s.notify(protocol.MethodProgress, protocol.ProgressParams{Token: token, Value: protocol.WorkDoneProgressBegin{Kind: "begin", Title: title}})
	ended := false
	return func(msg string, pct int) {
		if ended {
			return
		}
		if pct >= 100 {
			ended = true
			s.notify(protocol.MethodProgress, protocol.ProgressParams{Token: token, Value: protocol.WorkDoneProgressEnd{Kind: "end", Message: &msg}})
			return
		}
		v := protocol.WorkDoneProgressReport{Kind: "report", Message: &msg}
		if pct >= 0 {
			u := protocol.UInteger(pct)
			v.Percentage = &u
		}
		s.notify(protocol.MethodProgress, protocol.ProgressParams{Token: token, Value: v})
	}
}

// workspaceDocument is one analyzed AsyncAPI document of the workspace,
// open or not: the cross-file index that references, rename and workspace
// symbols read.
type workspaceDocument struct {
	URI  string // the client's URI for open documents, else a file: URI
	Path string
	Doc  *analysis.Document
	Open bool
}

// workspaceDocuments returns the current analysis of every known document:
// open ones (waiting for their current version) and indexed ones, sorted
// by path.
func (s *Server) workspaceDocuments(ctx context.Context) []workspaceDocument {
	var out []workspaceDocument
	seen := map[string]bool{}
	for _, d := range s.docs.all() {
		snap, err := d.current(ctx)
		if err != nil {
			continue
		}
		p := uriPath(d.uri)
		seen[p] = true
		out = append(out, workspaceDocument{URI: d.uri, Path: p, Doc: snap.doc, Open: true})
	}
	s.ws.mu.Lock()
	for p, doc := range s.ws.indexed {
		if !seen[p] {
			out = append(out, workspaceDocument{URI: string(uri.File(p)), Path: p, Doc: doc})
		}
	}
	s.ws.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// workspaceFoldersCapability announces that the server follows changes of
// the workspace folders (workspace/didChangeWorkspaceFolders).
func workspaceFoldersCapability() *protocol.ServerCapabilitiesWorkspace {
	yes := true
	return &protocol.ServerCapabilitiesWorkspace{WorkspaceFolders: &protocol.WorkspaceFoldersServerCapabilities{
		Supported: &yes, ChangeNotifications: &protocol.BoolOrString{Value: true},
	}}
}

// didChangeWorkspaceFolders moves the roots: files are confined to the new
// folders (open editor buffers stay), open documents are analyzed again
// with the new roots, documents of removed folders leave the index, and
// discovery runs again.
func (s *Server) didChangeWorkspaceFolders(_ *glsp.Context, p *protocol.DidChangeWorkspaceFoldersParams) error {
	w := s.ws
	removed := map[string]bool{}
	for _, f := range p.Event.Removed {
		removed[uriPath(f.URI)] = true
	}
	w.mu.Lock()
	var dirs []string
	for _, d := range w.roots.Dirs() {
		if !removed[d] {
			dirs = append(dirs, d)
		}
	}
	for _, f := range p.Event.Added {
		if d := uriPath(f.URI); d != "" {
			dirs = append(dirs, d)
		}
	}
	w.roots = workspace.NewRoots(workspace.OS, "the workspace folders", dirs...)
	w.cache = w.cache.WithRoots(w.roots)
	var gone []string
	for path := range w.indexed {
		if !w.roots.Contains(path) {
			gone = append(gone, path)
			delete(w.indexed, path)
		}
	}
	progress := w.progress
	w.mu.Unlock()
	for _, path := range gone {
		w.graph.Remove(path)
	}
	for _, d := range s.docs.all() {
		seed := s.seedFor(d)
		d.mu.Lock()
		d.seed, d.full = seed, true
		d.mu.Unlock()
		d.schedule()
	}
	go s.discover(progress)
	return nil
}
