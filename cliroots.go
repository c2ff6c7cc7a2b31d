package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/internal/pathglob"
)

// Where the CLI may read the files that $refs name: the directory tree
// being checked, plus the referencing file's repository root (the nearest
// directory above it with a .git), so that shared files elsewhere in the
// repository are followed and nothing outside it is read.

var (
	cliCachesMu sync.Mutex
	cliCaches   = map[string]*workspace.Cache{} // by their roots, so that files are read once per run
)

// checkedTree is the directory tree a check argument names: a folder
// itself, the fixed prefix of a glob, or "" for a file (its own folder).
func checkedTree(arg string) string {
	if st, err := os.Stat(arg); err == nil {
		if st.IsDir() {
			return arg
		}
		return ""
	}
	if !pathglob.HasMeta(arg) {
		return ""
	}
	var fixed []string
	for _, part := range strings.Split(filepath.ToSlash(arg), "/") {
		if pathglob.HasMeta(part) {
			break
		}
		fixed = append(fixed, part)
	}
	if len(fixed) == 0 {
		return "."
	}
	if dir := strings.Join(fixed, "/"); dir != "" {
		return filepath.FromSlash(dir)
	}
	return "/" // a glob at the file system root
}

// refOptions returns the analysis options for the document at name: its
// absolute path and a loader confined to tree (by default the document's
// directory) and its repository root.
func refOptions(name, tree string) analysis.Options {
	abs, err := filepath.Abs(name)
	if err != nil {
		return analysis.Options{}
	}
	if tree == "" {
		tree = filepath.Dir(abs)
	}
	dirs := []string{tree}
	if repo := workspace.RepoRoot(workspace.OS, filepath.Dir(abs)); repo != "" {
		dirs = append(dirs, repo)
	}
	key := strings.Join(dirs, "\x00")
	cliCachesMu.Lock()
	defer cliCachesMu.Unlock()
	c := cliCaches[key]
	if c == nil {
		c = workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "the checked directory and its repository", dirs...), 0)
		cliCaches[key] = c
	}
	return analysis.Options{Path: abs, Loader: c}
}
