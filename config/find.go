package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Find returns the config file that applies to a document in folder dir:
// the first folder from dir upward that holds one of FileNames, never
// above stop. With stop "", the search ends at the first folder holding
// .git (the repository root) or at the filesystem root. It returns "" when
// there is none.
func Find(dir, stop string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	if stop != "" {
		if stop, err = filepath.Abs(stop); err != nil {
			return ""
		}
	}
	for {
		for _, n := range FileNames {
			p := filepath.Join(dir, n)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
		}
		if dir == stop {
			return ""
		}
		if stop == "" {
			if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
				return ""
			}
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

// Load reads and parses a config file. A file that cannot be read gives a
// config-syntax diagnostic and the default configuration.
func Load(name string) Result {
	text, err := os.ReadFile(name)
	if err != nil {
		msg := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return Result{
			Config: &Config{Path: name, Dir: filepath.Dir(name)},
			Diagnostics: []syntax.Diagnostic{{Severity: codes[CodeSyntax], Code: CodeSyntax,
				Message: "cannot read the config file: " + msg + "; using the default configuration"}},
			Mapper: syntax.NewMapper(nil),
		}
	}
	return Parse(name, text)
}

// Loader finds and parses config files once each; safe for concurrent
// use. Forget drops what it knows, after a config file changed.
type Loader struct {
	mu    sync.Mutex
	byDir map[string]string  // folder of a document and stop -> config path ("" for none)
	files map[string]*Result // config path -> its parse
}

// For returns the parse of the config file that applies to the document
// at name, searching up to stop (see Find), and the file's path; nil and
// "" when there is none.
func (l *Loader) For(name, stop string) (*Result, string) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, ""
	}
	dir := filepath.Dir(abs)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byDir == nil {
		l.byDir, l.files = map[string]string{}, map[string]*Result{}
	}
	key := dir + "\x00" + stop
	p, ok := l.byDir[key]
	if !ok {
		p = Find(dir, stop)
		l.byDir[key] = p
	}
	if p == "" {
		return nil, ""
	}
	r := l.files[p]
	if r == nil {
		res := Load(p)
		r = &res
		l.files[p] = r
	}
	return r, p
}

// Loaded returns the config files read so far and their parses.
func (l *Loader) Loaded() map[string]*Result {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]*Result, len(l.files))
	for p, r := range l.files {
		out[p] = r
	}
	return out
}

// Forget drops every cached lookup and parse.
func (l *Loader) Forget() {
	l.mu.Lock()
	l.byDir, l.files = nil, nil
	l.mu.Unlock()
}
