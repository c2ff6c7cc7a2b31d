// Package wstest sets up the multi-file fixture workspace
// (testdata/multifile) for tests of the analysis, the server and the CLI:
// it copies the fixture into a temporary directory and creates what git
// cannot be trusted to store, a file outside the workspace and a symlink
// that escapes to it. Only tests may depend on it.
package wstest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Workspace is a copy of the fixture.
type Workspace struct {
	Root    string // the workspace folder (the copy of testdata/multifile/ws)
	Outside string // a file outside Root
}

// Path returns the absolute path of a slash path relative to Root.
func (w Workspace) Path(rel string) string { return filepath.Join(w.Root, filepath.FromSlash(rel)) }

// Setup copies fixture (a directory) to <tmp>/ws, writes
// <tmp>/outside/secret.yaml and links ws/shared/escape.yaml to it, and
// writes ws/shared/huge.yaml, 6 MiB. The
// returned paths have no symlinks in their directories.
func Setup(t testing.TB, fixture string) Workspace {
	t.Helper()
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "ws")
	err = filepath.WalkDir(fixture, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(fixture, p)
		dst := filepath.Join(root, rel)
		if e.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !e.Type().IsRegular() {
			return nil // a symlink stored by git: made below, at run time
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(tmp, "outside", "secret.yaml")
	if err := os.MkdirAll(filepath.Dir(outside), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(outside, []byte("x:\n  type: http\n  scheme: basic\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file over the size limit for referenced files (5 MiB): too big to
	// keep in git.
	huge := append([]byte("x:\n  type: X509\n"), bytes.Repeat([]byte("# padding padding padding padding padding padding padding\n"), (6<<20)/58)...)
	if err := os.WriteFile(filepath.Join(root, "shared", "huge.yaml"), huge, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "shared", "escape.yaml")); err != nil {
		// The escape is part of what is tested: never skip it.
		t.Fatalf("cannot create the escaping symlink: %v", err)
	}
	return Workspace{Root: root, Outside: outside}
}
