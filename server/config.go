package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/config"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"go.lsp.dev/uri"
)

// The project config file (.asyncapi-ls.yaml, see package config) in the
// server: the nearest one from a document's folder upward, never above the
// workspace folder that holds the document (or, outside every workspace
// folder, the repository root), applies to it. It is merged with the
// client's settings: for a code the config file sets, the file wins, so an
// editor shows what `asyncapi-ls check` reports in CI; the client's
// severityOverrides fill in the other codes, and showHints stays the
// client's. A broken file is reported on the file itself (its URI gets
// publishDiagnostics) and its broken parts fall back to defaults.
//
// Reloading: when the client can register file watchers dynamically, the
// server asks it to watch **/.asyncapi-ls.{yaml,yml,json} and reloads on
// workspace/didChangeWatchedFiles; otherwise it re-reads the config files
// at every didOpen and didSave. Saving or opening a config file always
// reloads it. While a config file is open in the editor, its own
// diagnostics follow its text as the user types; the settings in force
// are those saved on disk, as for the CLI.

// configWatchGlob is what the server asks the client to watch.
const configWatchGlob = "**/.asyncapi-ls.{yaml,yml,json}"

// projectConfig is the server's state of config files.
type projectConfig struct {
	loader config.Loader

	mu       sync.Mutex
	roots    []string          // workspace folders, absolute OS paths
	watching bool              // the client watches config files for us
	shown    map[string]string // config path -> its diagnostics last published (JSON; "" for none)
}

// initConfig records the workspace folders and whether the client can
// watch files for us (hook in initialize).
func (s *Server) initConfig(p *protocol.InitializeParams) {
	pc := &s.project
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.roots = nil
	add := func(u string) {
		if path := uriPath(u); path != "" {
			pc.roots = append(pc.roots, path)
		}
	}
	for _, f := range p.WorkspaceFolders {
		add(f.URI)
	}
	if len(pc.roots) == 0 && p.RootURI != nil {
		add(*p.RootURI)
	}
	if len(pc.roots) == 0 && p.RootPath != nil && *p.RootPath != "" {
		pc.roots = append(pc.roots, filepath.Clean(*p.RootPath))
	}
	w := p.Capabilities.Workspace
	pc.watching = w != nil && w.DidChangeWatchedFiles != nil && w.DidChangeWatchedFiles.DynamicRegistration != nil &&
		*w.DidChangeWatchedFiles.DynamicRegistration
}

// initializedNotification asks the client to watch config files (hook in initialized).
func (s *Server) initializedNotification(*glsp.Context, *protocol.InitializedParams) error {
	s.project.mu.Lock()
	watching := s.project.watching
	s.project.mu.Unlock()
	if !watching {
		return nil
	}
	kinds := protocol.WatchKindCreate | protocol.WatchKindChange | protocol.WatchKindDelete
	s.call(string(protocol.ServerClientRegisterCapability), protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: "asyncapi-ls-config-files", Method: string(protocol.MethodWorkspaceDidChangeWatchedFiles),
		RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: []protocol.FileSystemWatcher{{GlobPattern: configWatchGlob, Kind: &kinds}}},
	}}})
	return nil
}

// didChangeWatchedFiles reloads when a config file was created, changed
// or deleted.
func (s *Server) didChangeWatchedFiles(_ *glsp.Context, p *protocol.DidChangeWatchedFilesParams) error {
	var changed []string
	for _, c := range p.Changes {
		if path := uriPath(c.URI); path != "" && config.IsConfigFile(path) {
			changed = append(changed, path)
		}
	}
	if len(changed) > 0 {
		s.reloadConfig(changed)
	}
	return nil
}

// didSave reloads after a config file is saved, or, when the client does
// not watch files, after any save.
func (s *Server) didSave(_ *glsp.Context, p *protocol.DidSaveTextDocumentParams) error {
	s.configMayHaveChanged(p.TextDocument.URI)
	return nil
}

// configMayHaveChanged is called on didOpen and didSave: a config file
// itself is always re-read; other documents trigger a re-read only when
// no file watcher tells us about changes.
func (s *Server) configMayHaveChanged(u string) {
	path := uriPath(u)
	s.project.mu.Lock()
	watching := s.project.watching
	s.project.mu.Unlock()
	switch {
	case path != "" && config.IsConfigFile(path):
		s.reloadConfig([]string{path})
	case !watching:
		s.reloadConfig(nil)
	}
}

// reloadConfig forgets every config file read, publishes the diagnostics
// of the changed ones (which may have no open document) and re-publishes
// every open document with the configuration now on disk.
func (s *Server) reloadConfig(changed []string) {
	pc := &s.project
	pc.loader.Forget()
	for _, path := range changed {
		s.publishConfigFromDisk(string(uri.File(path)))
	}
	defer s.docs.reading()()
	for _, d := range s.docs.all() {
		d.mu.Lock()
		snap, latest := d.snap, d.snap != nil && d.snap.version == d.version
		d.mu.Unlock()
		if latest {
			s.publish(d, snap)
		}
	}
}

// publishConfig publishes a config file's own diagnostics, read from
// disk, when they differ from what the client has (nothing before and
// nothing now: silence). A config file open in the editor is published
// from its text instead (publishOpenConfig).
func (s *Server) publishConfig(path string, res *config.Result) {
	u := string(uri.File(path))
	if s.docs.get(u) != nil {
		return
	}
	diags := []protocol.Diagnostic{}
	if res != nil && len(res.Diagnostics) > 0 {
		diags = DiagnosticsToLSP(u, res.Mapper, res.Diagnostics)
	}
	if !s.markShown(path, diags) {
		return
	}
	s.notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: u, Diagnostics: diags})
}

// markShown records the diagnostics published for a config file; false
// when the client already has exactly these.
func (s *Server) markShown(path string, diags []protocol.Diagnostic) bool {
	fingerprint := ""
	if len(diags) > 0 {
		b, _ := json.Marshal(diags)
		fingerprint = string(b)
	}
	pc := &s.project
	pc.mu.Lock()
	if pc.shown == nil {
		pc.shown = map[string]string{}
	}
	before := pc.shown[path]
	pc.shown[path] = fingerprint
	pc.mu.Unlock()
	return before != fingerprint
}

// publishOpenConfig publishes the diagnostics of a config file open in the
// editor from its current text, as the user types (hook in publish); it
// reports whether d is a config file. The settings in force stay those
// on disk until the file is saved, as for the CLI.
func (s *Server) publishOpenConfig(d *document, snap *snapshot) bool {
	path := uriPath(d.uri)
	if path == "" || !config.IsConfigFile(path) {
		return false
	}
	d.mu.Lock()
	stale := d.closed || d.version != snap.version
	d.mu.Unlock()
	if stale {
		return true
	}
	res := config.Parse(path, snap.doc.Text)
	diags := DiagnosticsToLSP(d.uri, res.Mapper, res.Diagnostics)
	s.markShown(path, diags)
	v := protocol.UInteger(snap.version)
	s.notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: d.uri, Version: &v, Diagnostics: diags})
	return true
}

// publishConfigFromDisk publishes the diagnostics of a config file as
// saved: after it changed, or when it is closed in the editor (hook in
// didClose). Other URIs are left alone.
func (s *Server) publishConfigFromDisk(u string) {
	if path := uriPath(u); path != "" && config.IsConfigFile(path) {
		res := config.Load(path)
		if !fileExists(path) {
			res = config.Result{}
		}
		s.publishConfig(path, &res)
	}
}

// configure applies the config file and the client's settings to a
// document's diagnostics; ignored reports a document the config file's
// `ignore` excludes (it gets no diagnostics).
func (s *Server) configure(docURI string, doc *analysis.Document) (diags []syntax.Diagnostic, ignored bool) {
	settings := s.currentSettings()
	var cfg *config.Config
	if path := uriPath(docURI); path != "" && !config.IsConfigFile(path) {
		res, cfgPath := s.project.loader.For(path, s.workspaceRootOf(path))
		if res != nil {
			s.publishConfig(cfgPath, res)
			cfg = res.Config
			if cfg.Ignored(path) {
				return nil, true
			}
		}
	}
	diags = cfg.Apply(doc, doc.Diagnostics, settings.SeverityOverrides)
	return Settings{ShowHints: settings.ShowHints}.apply(diags), false
}

// workspaceRootOf returns the innermost workspace folder holding path, or
// "" (search up to the repository root).
func (s *Server) workspaceRootOf(path string) string {
	s.project.mu.Lock()
	defer s.project.mu.Unlock()
	best := ""
	for _, r := range s.project.roots {
		if (path == r || strings.HasPrefix(path, strings.TrimSuffix(r, string(filepath.Separator))+string(filepath.Separator))) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// uriPath is the OS path of a file: URI, or "" for other schemes.
func uriPath(u string) string {
	parsed, err := uri.Parse(u)
	if err != nil || !parsed.IsFile() {
		return ""
	}
	return filepath.Clean(parsed.FsPath())
}
