package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// JSON-RPC and LSP error codes that glsp v0.2.2 cannot produce itself.
const (
	codeServerNotInitialized = -32002
	codeRequestCancelled     = -32800
	codeContentModified      = -32801
	codeInternalError        = -32603
)

// Server is one LSP session. Notifications (document sync, settings) are
// handled on the read loop, strictly in arrival order, through glsp's
// protocol.Handler; feature requests run on a bounded pool of goroutines
// (requests.go) so that a request waiting for the current analysis never
// blocks the edits behind it, and so that $/cancelRequest can reach it.
type Server struct {
	name, version string
	logger        *log.Logger
	conn          *jsonrpc2.Conn
	glspHandler   protocol.Handler

	docs store
	ws   *workspaceState // files beyond the open documents (workspace.go)

	mu          sync.Mutex
	settings    Settings
	initialized bool
	shutdown    bool
	inflight    map[string]*request // feature requests by id, until answered
	snippets    bool                // client supports snippet completion items
	inlayHints  bool                // client supports textDocument/inlayHint (navigation.go)
	refresh     hintRefresh

	pool     requestPool
	requests map[string]requestHandler // asyncRequests; tests may add to it
	stopped  chan struct{}             // closed once a disconnect is cleaned up

	project projectConfig // config files (config.go)

	// analyze is analysis.UpdateApplied; tests may wrap it.
	analyze analyzeFunc
	// beforeDispatch is a test hook called before every handler.
	beforeDispatch func(method string)
	// beforePublishing is a test hook called in publish between reading
	// the settings and sending (a test changes the settings there).
	beforePublishing func(d *document)
	// afterSnapshot is a test hook called when a request has its
	// snapshot (a test types meanwhile: the snapshot's text must stay).
	afterSnapshot func(uri string)
	// beforeOverlay is a test hook called when an edited text is about
	// to replace the workspace overlay (the one before is still there).
	beforeOverlay func(uri string)
}

// New creates a server; Connect (or Serve) attaches it to a stream.
func New(version string, logOutput io.Writer) *Server {
	s := &Server{
		name: "asyncapi-ls", version: version,
		logger:   log.New(logOutput, "asyncapi-ls: ", log.LstdFlags|log.Lmicroseconds),
		inflight: map[string]*request{},
		analyze:  analysis.UpdateApplied,
		ws:       newWorkspaceState(),
		pool:     requestPool{limit: maxConcurrentRequests()},
		requests: map[string]requestHandler{},
		stopped:  make(chan struct{}),
	}
	for m, h := range asyncRequests {
		s.requests[m] = h
	}
	s.glspHandler = protocol.Handler{
		Initialize: s.initialize,
		Initialized: func(ctx *glsp.Context, p *protocol.InitializedParams) error {
			s.workspaceInitialized()
			return s.initializedNotification(ctx, p)
		},
		Shutdown:                        s.shutdownRequest,
		SetTrace:                        func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		TextDocumentDidOpen:             s.didOpen,
		TextDocumentDidChange:           s.didChange,
		TextDocumentDidClose:            s.didClose,
		TextDocumentDidSave:             s.didSave,
		WorkspaceDidChangeConfiguration: s.didChangeConfiguration,
		WorkspaceDidChangeWatchedFiles: func(ctx *glsp.Context, p *protocol.DidChangeWatchedFilesParams) error {
			s.workspaceWatchedFiles(p)
			return s.didChangeWatchedFiles(ctx, p)
		},
		WorkspaceDidChangeWorkspaceFolders: s.didChangeWorkspaceFolders,
	}
	return s
}

// Serve runs the language server on stdio-like streams until the client
// sends exit or closes the input. It returns the process exit code: 0 after
// shutdown and exit, 1 otherwise (LSP lifecycle).
func Serve(in io.Reader, out io.Writer, logOutput io.Writer, version string) int {
	s := New(version, logOutput)
	s.Connect(in, out, nil)
	<-s.Stopped()
	return s.ExitCode()
}

// Connect starts serving on the given streams and returns the connection.
// When the connection ends, with exit or because the client closed the
// stream, every open document is closed (its analysis goroutine ends) and
// every request in flight is cancelled.
func (s *Server) Connect(in io.Reader, out io.Writer, closer io.Closer) *jsonrpc2.Conn {
	stream := newFrameStream(in, out, closer, s.logger.Printf)
	conn := jsonrpc2.NewConn(context.Background(), stream, s)
	s.setConn(conn)
	go func() {
		<-conn.DisconnectNotify()
		s.disconnected()
	}()
	return conn
}

// Stopped is closed when the connection has ended and the server has
// released its documents.
func (s *Server) Stopped() <-chan struct{} { return s.stopped }

func (s *Server) disconnected() {
	s.cancelRequests(errDisconnected, func(*request) bool { return true })
	s.closeAll()
	s.docs.setMemoryLimit()
	close(s.stopped)
}

// setConn records the connection; Handle also does, since the read loop
// may deliver a message before NewConn has returned.
func (s *Server) setConn(conn *jsonrpc2.Conn) {
	s.mu.Lock()
	if s.conn == nil {
		s.conn = conn
	}
	s.mu.Unlock()
}

func (s *Server) getConn() *jsonrpc2.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn
}

// ExitCode is 0 when the client asked for shutdown before leaving.
func (s *Server) ExitCode() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutdown {
		return 0
	}
	return 1
}

// requestHandler answers a feature request; ctx is cancelled when the
// client cancels the request, the document is closed or the client leaves.
type requestHandler func(s *Server, ctx context.Context, params json.RawMessage) (any, error)

// asyncRequests are answered on the request pool once the document's
// current analysis exists.
var asyncRequests = map[string]requestHandler{
	protocol.MethodTextDocumentHover:          (*Server).hover,
	protocol.MethodTextDocumentCompletion:     (*Server).completion,
	protocol.MethodTextDocumentDefinition:     (*Server).definition,
	protocol.MethodWorkspaceExecuteCommand:    (*Server).executeCommand,
	protocol.MethodTextDocumentDocumentSymbol: (*Server).documentSymbol,
	protocol.MethodWorkspaceSymbol:            (*Server).workspaceSymbol,
	// navigation.go
	protocol.MethodTextDocumentReferences:        (*Server).references,
	protocol.MethodTextDocumentDocumentHighlight: (*Server).documentHighlight,
	protocol.MethodTextDocumentPrepareRename:     (*Server).prepareRename,
	protocol.MethodTextDocumentRename:            (*Server).rename,
	protocol.MethodTextDocumentCodeAction:        (*Server).codeAction,
	methodInlayHint:                              (*Server).inlayHint,
	protocol.MethodTextDocumentCodeLens:          (*Server).codeLens,
	protocol.MethodTextDocumentDocumentLink:      (*Server).documentLink,
	// LSP 3.17 methods that glsp lacks (textDocument/inlayHint, ...) go
	// here too: they are decoded with our own types.
}

// Handle implements jsonrpc2.Handler. It is called on the read loop.
func (s *Server) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	s.setConn(conn)
	var params json.RawMessage
	if req.Params != nil {
		params = *req.Params
	}
	switch req.Method {
	case protocol.MethodExit:
		s.closeAll()
		go conn.Close() // after this handler returns, so a reply in flight is flushed
		return
	case protocol.MethodCancelRequest:
		s.cancel(params)
		return
	}
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	if !initialized && req.Method != protocol.MethodInitialize {
		if !req.Notif {
			s.replyError(ctx, req, codeServerNotInitialized, "server not initialized: send initialize first")
		}
		return
	}
	if initialized && req.Method == protocol.MethodInitialize && !req.Notif {
		s.replyError(ctx, req, jsonrpc2.CodeInvalidRequest, "initialize was already sent")
		return
	}
	if shutdown && !req.Notif {
		// LSP: requests after shutdown are InvalidRequest.
		s.replyError(ctx, req, jsonrpc2.CodeInvalidRequest, "server is shutting down: only exit is accepted")
		return
	}
	if f, ok := s.requests[req.Method]; ok && !req.Notif {
		s.startRequest(ctx, req, params, f)
		return
	}
	if req.Method == protocol.MethodInitialize {
		s.readClientCapabilities(params) // what glsp's 3.16 types drop
	}
	result, err := s.protect(req.Method, func() (any, error) { return s.dispatchGLSP(req.Method, params) })
	if !req.Notif {
		s.reply(ctx, req, result, err)
	} else if err != nil {
		s.logger.Printf("notification %s: %v", req.Method, err)
	}
}

// dispatchGLSP runs lifecycle and document-sync methods through glsp's
// protocol.Handler, which decodes their params into glsp's types.
func (s *Server) dispatchGLSP(method string, params json.RawMessage) (any, error) {
	if method == protocol.MethodCodeLensResolve {
		// glsp v0.2.2 dispatches codeLens/resolve on the wrong field and
		// calls a nil function (SIGSEGV); our code lenses come resolved.
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + method}
	}
	// No Call: glsp's waits for the answer, which would block the read loop
	// that has to read it. Handlers that ask the client use s.call.
	gctx := &glsp.Context{Method: method, Params: params, Notify: s.notify}
	r, validMethod, validParams, err := s.glspHandler.Handle(gctx)
	switch {
	case !validMethod:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + method}
	case !validParams:
		msg := "invalid params"
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: msg}
	}
	return r, err
}

// protect turns a panic in a handler into an internal-error answer and a
// log line; the server keeps serving.
func (s *Server) protect(method string, f func() (any, error)) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.logger.Printf("panic in %s: %v\n%s", method, p, debug.Stack())
			s.logMessage(protocol.MessageTypeError, fmt.Sprintf("asyncapi-ls: internal error in %s: %v (the server keeps running; please report it)", method, p))
			result, err = nil, &jsonrpc2.Error{Code: codeInternalError, Message: fmt.Sprintf("internal error in %s: %v", method, p)}
		}
	}()
	if s.beforeDispatch != nil {
		s.beforeDispatch(method)
	}
	return f()
}

// reply answers a request with its result or error (see rpcError). A
// result that cannot be encoded is answered with InternalError, never
// dropped: the client would wait forever.
func (s *Server) reply(ctx context.Context, req *jsonrpc2.Request, result any, err error) {
	conn := s.getConn()
	if err == nil {
		body, merr := json.Marshal(result)
		if merr == nil {
			if e := conn.Reply(ctx, req.ID, json.RawMessage(body)); e != nil && !errors.Is(e, jsonrpc2.ErrClosed) {
				s.logger.Printf("reply to %s: %v", req.Method, e)
			}
			return
		}
		msg := fmt.Sprintf("asyncapi-ls: cannot encode the answer to %s: %v (please report it)", req.Method, merr)
		s.logMessage(protocol.MessageTypeError, msg)
		err = fmt.Errorf("cannot encode the result: %w", merr)
	}
	if e := conn.ReplyWithError(ctx, req.ID, s.rpcError(req.Method, err)); e != nil && !errors.Is(e, jsonrpc2.ErrClosed) {
		s.logger.Printf("reply to %s: %v", req.Method, e)
	}
}

func (s *Server) replyError(ctx context.Context, req *jsonrpc2.Request, code int64, msg string) {
	s.reply(ctx, req, nil, &jsonrpc2.Error{Code: code, Message: msg})
}

// cancel reads the id of $/cancelRequest from the raw params: glsp's
// IntegerOrString loses it (value receiver on UnmarshalJSON).
func (s *Server) cancel(params json.RawMessage) {
	var p struct {
		ID jsonrpc2.ID `json:"id"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return
	}
	id := p.ID.String()
	s.cancelRequests(errClientCancelled, func(r *request) bool { return r.id == id })
}

func (s *Server) notify(method string, params any) {
	conn := s.getConn()
	if conn == nil {
		return
	}
	if err := conn.Notify(context.Background(), method, params); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) {
		s.logger.Printf("notify %s: %v", method, err)
	}
}

// call sends a request to the client without waiting for its answer: a
// handler on the read loop cannot wait, since that same loop reads the
// answer. The result is dropped (no caller needs one, and a result written
// by this goroutine while the caller reads it would be a data race); a
// failure is logged.
func (s *Server) call(method string, params any) {
	conn := s.getConn()
	go func() {
		if err := conn.Call(context.Background(), method, params, nil); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) {
			s.logger.Printf("call %s: %v", method, err)
		}
	}()
}

func (s *Server) logMessage(t protocol.MessageType, msg string) {
	s.notify(protocol.ServerWindowLogMessage, protocol.LogMessageParams{Type: t, Message: msg})
}

// serverCapabilities adds LSP 3.17 fields to glsp's 3.16 capabilities.
type serverCapabilities struct {
	protocol.ServerCapabilities
	PositionEncoding  string `json:"positionEncoding,omitempty"`
	InlayHintProvider bool   `json:"inlayHintProvider,omitempty"`
}

type initializeResult struct {
	Capabilities serverCapabilities                   `json:"capabilities"`
	ServerInfo   *protocol.InitializeResultServerInfo `json:"serverInfo,omitempty"`
}

// EffectiveSecurityCommand is the workspace/executeCommand that returns
// the effective security of every operation of a document, as Markdown and
// as data with source ranges (EffectiveSecurityResult).
const EffectiveSecurityCommand = "asyncapi-ls.effectiveSecurity"

func (s *Server) initialize(ctx *glsp.Context, p *protocol.InitializeParams) (any, error) {
	var raw struct {
		InitializationOptions json.RawMessage `json:"initializationOptions"`
	}
	if err := decodeParams(ctx.Params, &raw); err != nil {
		return nil, err
	}
	settings, _, warnings := parseSettings(raw.InitializationOptions)
	s.mu.Lock()
	s.initialized = true
	s.settings = settings
	if c := p.Capabilities.TextDocument; c != nil && c.Completion != nil && c.Completion.CompletionItem != nil &&
		c.Completion.CompletionItem.SnippetSupport != nil {
		s.snippets = *c.Completion.CompletionItem.SnippetSupport
	}
	s.mu.Unlock()
	s.initConfig(p)
	s.configureWorkspace(p)
	for _, w := range warnings {
		s.logMessage(protocol.MessageTypeWarning, w)
	}
	change := protocol.TextDocumentSyncKindIncremental
	yes := true
	caps := serverCapabilities{PositionEncoding: "utf-16"}
	caps.TextDocumentSync = protocol.TextDocumentSyncOptions{OpenClose: &yes, Change: &change}
	caps.HoverProvider = true
	caps.DefinitionProvider = true
	caps.DocumentSymbolProvider = true
	caps.WorkspaceSymbolProvider = true
	navigationCapabilities(&caps)
	caps.CompletionProvider = &protocol.CompletionOptions{TriggerCharacters: []string{"#", "/", "'", "\"", "[", ",", " ", ":"}}
	caps.ExecuteCommandProvider = &protocol.ExecuteCommandOptions{Commands: []string{EffectiveSecurityCommand}}
	caps.Workspace = workspaceFoldersCapability()
	v := s.version
	return initializeResult{Capabilities: caps, ServerInfo: &protocol.InitializeResultServerInfo{Name: s.name, Version: &v}}, nil
}

func (s *Server) shutdownRequest(*glsp.Context) error {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	s.closeAll()
	return nil
}

// closeAll closes every open document (ending its analysis goroutine) and
// cancels the requests that wait on them.
func (s *Server) closeAll() {
	s.stopWorkspace()
	for _, d := range s.docs.all() {
		s.cancelDocumentRequests(d.uri) // first: see didClose
		s.docs.remove(d.uri)
		d.close()
	}
}

// didChangeConfiguration reads the settings from the raw params (glsp's
// decoded `any` would have to be encoded again, and could lose precision).
func (s *Server) didChangeConfiguration(ctx *glsp.Context, _ *protocol.DidChangeConfigurationParams) error {
	var raw struct {
		Settings json.RawMessage `json:"settings"`
	}
	if err := decodeParams(ctx.Params, &raw); err != nil {
		return err
	}
	settings, found, warnings := parseSettings(raw.Settings)
	for _, w := range warnings {
		s.logMessage(protocol.MessageTypeWarning, w)
	}
	if !found {
		return nil // nothing of ours: keep the current settings
	}
	s.mu.Lock()
	before := s.settings
	s.settings = settings
	s.mu.Unlock()
	s.refreshHints(before, settings) // navigation.go
	// Settings only filter diagnostics: re-publish, no re-analysis.
	defer s.docs.reading()()
	for _, d := range s.docs.all() {
		d.mu.Lock()
		snap, latest := d.snap, d.snap != nil && d.snap.version == d.version
		d.mu.Unlock()
		if latest {
			s.publish(d, snap)
		}
	}
	return nil
}

func (s *Server) currentSettings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

func (s *Server) didOpen(_ *glsp.Context, p *protocol.DidOpenTextDocumentParams) error {
	d := s.docs.newDocument(p.TextDocument.URI, p.TextDocument.Version, openedText(p.TextDocument.Text))
	if s.docs.get(p.TextDocument.URI) != nil {
		// opened again: the requests on the old text end first (see didClose)
		s.cancelDocumentRequests(p.TextDocument.URI)
	}
	if old := s.docs.put(d); old != nil {
		old.close()
	}
	s.docs.setMemoryLimit()
	s.configMayHaveChanged(p.TextDocument.URI)
	s.documentOpened(d)
	go d.run(s.firstAnalysis(d), s.publish)
	d.schedule()
	return nil
}

func (s *Server) didChange(_ *glsp.Context, p *protocol.DidChangeTextDocumentParams) error {
	d := s.docs.get(p.TextDocument.URI)
	if d == nil {
		return fmt.Errorf("didChange for %s, which is not open", p.TextDocument.URI)
	}
	changes := ChangesFromLSP(p.ContentChanges)
	d.mu.Lock()
	var edits []syntax.Edit
	d.text, d.mapper, edits = syntax.ApplyChangesInto(d.text, d.textMapper(), changes, d.texts.buffer)
	d.pending = append(d.pending, edits...)
	d.version = p.TextDocument.Version
	d.mu.Unlock()
	s.docs.setMemoryLimit() // a paste into an empty buffer must not leave the floor
	d.schedule()
	s.documentChanged(d)
	d.mu.Lock()
	d.sweepTexts() // the text before, and those of the changes before the last
	d.mu.Unlock()
	return nil
}

func (s *Server) didClose(_ *glsp.Context, p *protocol.DidCloseTextDocumentParams) error {
	// Cancel before the document leaves the store: a request that then finds
	// it gone was cancelled already, and is answered ContentModified rather
	// than "not open".
	s.cancelDocumentRequests(p.TextDocument.URI)
	d := s.docs.remove(p.TextDocument.URI)
	if d == nil {
		return nil
	}
	d.close()
	s.docs.setMemoryLimit()
	s.documentClosed(d)
	d.mu.Lock()
	wasPublished := d.publish
	d.mu.Unlock()
	if wasPublished {
		s.notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: d.uri, Diagnostics: []protocol.Diagnostic{}})
	}
	s.publishConfigFromDisk(d.uri)
	return nil
}

// safeAnalyze never lets a panic escape the analysis goroutine.
func (s *Server) safeAnalyze(prev *analysis.Document, edits []syntax.Edit, text []byte, m *syntax.Mapper) (doc *analysis.Document) {
	defer func() {
		if p := recover(); p != nil {
			s.logger.Printf("panic in analysis: %v\n%s", p, debug.Stack())
			doc = analysis.Failed(text, fmt.Sprint(p))
		}
	}()
	doc = s.analyze(prev, edits, text, m)
	if ie := doc.InternalError(); ie != "" {
		// A bug in the incremental path: the user got a full analysis,
		// the log gets the report.
		s.logger.Printf("bug in the incremental update, recovered with a full analysis: %s", ie)
	}
	return doc
}

// publish sends the diagnostics of a snapshot that is still the latest
// version, after the config file and settings (config.go). Documents that
// are not AsyncAPI, or that the config file ignores, get nothing (no
// noise), unless they had diagnostics before that must be cleared.
func (s *Server) publish(d *document, snap *snapshot) {
	if s.publishOpenConfig(d, snap) {
		return
	}
	doc := snap.doc
	s.documentAnalyzed(d, doc)
	d.published.Lock()
	defer func() {
		d.mu.Lock()
		d.publishCalls++
		d.mu.Unlock()
		d.published.Unlock()
	}()
	d.mu.Lock()
	stale := d.closed || d.version != snap.version || (!doc.IsAsyncAPI && !d.publish)
	d.mu.Unlock()
	if stale {
		return
	}
	diags, ignored := s.configure(d.uri, doc)
	d.mu.Lock()
	if d.closed || d.version != snap.version || (ignored && !d.publish) {
		d.mu.Unlock()
		return
	}
	d.publish = doc.IsAsyncAPI && !ignored
	d.mu.Unlock()
	if s.beforePublishing != nil {
		s.beforePublishing(d)
	}
	v := protocol.UInteger(snap.version)
	s.notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{
		URI: d.uri, Version: &v, Diagnostics: DiagnosticsToLSP(d.uri, doc.Mapper, diags),
	})
}

// snapshotFor finds the current analysis of a document for a request.
func (s *Server) snapshotFor(ctx context.Context, u string) (*document, *snapshot, error) {
	d := s.docs.get(u)
	if d == nil {
		return nil, nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "document is not open: " + u}
	}
	snap, err := d.current(ctx)
	if s.afterSnapshot != nil && err == nil {
		s.afterSnapshot(u)
	}
	return d, snap, err
}

func decodeParams(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "missing params"}
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "invalid params: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	return nil
}
