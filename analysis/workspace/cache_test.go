package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingFS counts ReadFile calls per path over the real file system.
type countingFS struct {
	FS
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingFS) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
	return c.FS.ReadFile(name)
}

func (c *countingFS) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads[name]
}

// tree writes files (slash paths relative to dir) and returns dir with
// symlinks resolved, so expectations compare equal on systems whose temp
// directory is itself a symlink.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		// Symlinks are part of the contract under test: never skip.
		t.Fatalf("cannot create symlink: %v", err)
	}
}

func errKind(err error) (ErrorKind, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind, true
	}
	return 0, false
}

func TestLoadConfinement(t *testing.T) {
	dir := tree(t, map[string]string{
		"ws/api/asyncapi.yaml":      "asyncapi: 3.0.0\n",
		"ws/shared/security.yaml":   "components: {}\n",
		"ws/shared/big.yaml":        strings.Repeat("x", 101),
		"ws/shared/exact.yaml":      strings.Repeat("x", 100),
		"outside/secret.yaml":       "secret: 1\n",
		"ws/shared/sub/inside.yaml": "ok: 1\n",
	})
	ws := filepath.Join(dir, "ws")
	symlink(t, filepath.Join(dir, "outside", "secret.yaml"), filepath.Join(ws, "shared", "escape.yaml"))
	symlink(t, filepath.Join(dir, "outside"), filepath.Join(ws, "shared", "outdir"))
	symlink(t, filepath.Join(ws, "shared", "sub", "inside.yaml"), filepath.Join(ws, "shared", "alias.yaml"))
	symlink(t, filepath.Join(ws, "shared", "nowhere.yaml"), filepath.Join(ws, "shared", "dangling.yaml"))
	if err := os.Mkdir(filepath.Join(ws, "shared", "adir.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}

	from := filepath.Join(ws, "api", "asyncapi.yaml")
	c := NewCache(OS, NewRoots(OS, "the workspace folders", ws), 100)
	tests := []struct {
		ref      string
		wantText string
		wantKind ErrorKind
		wantMsg  string
	}{
		{ref: "../shared/security.yaml", wantText: "components: {}\n"},
		{ref: "../shared/exact.yaml", wantText: strings.Repeat("x", 100)},
		{ref: "../shared/alias.yaml", wantText: "ok: 1\n"}, // a symlink that stays inside
		{ref: "../shared/missing.yaml", wantKind: NotFound, wantMsg: "the file does not exist"},
		{ref: "../shared/dangling.yaml", wantKind: NotFound, wantMsg: "the file does not exist"},
		{ref: "../../outside/secret.yaml", wantKind: Outside, wantMsg: "the path leads outside the workspace folders; files there are not read"},
		{ref: "../shared/../../outside/secret.yaml", wantKind: Outside},
		{ref: "../shared/escape.yaml", wantKind: SymlinkEscape, wantMsg: "a symlink leads outside the workspace folders (to " + filepath.Join(dir, "outside", "secret.yaml") + "); it is not followed"},
		{ref: "../shared/outdir/secret.yaml", wantKind: SymlinkEscape},
		{ref: "../shared/outdir/missing.yaml", wantKind: SymlinkEscape}, // refused before knowing whether it exists
		{ref: "../shared/big.yaml", wantKind: TooLarge, wantMsg: "the file is larger than the limit (101 bytes, limit 100); it is not read"},
		{ref: "../shared/adir.yaml", wantKind: NotAFile, wantMsg: "it is not a regular file"},
	}
	for _, tt := range tests {
		f, err := c.Open(from, ParseRef(tt.ref))
		if tt.wantText != "" {
			if err != nil || string(f.Text) != tt.wantText {
				t.Errorf("%s: got %v, %v; want the text", tt.ref, f, err)
			}
			continue
		}
		kind, ok := errKind(err)
		if !ok || kind != tt.wantKind {
			t.Errorf("%s: error %v (kind %v), want kind %v", tt.ref, err, kind, tt.wantKind)
			continue
		}
		if tt.wantMsg != "" && err.Error() != tt.wantMsg {
			t.Errorf("%s: message %q, want %q", tt.ref, err.Error(), tt.wantMsg)
		}
		if f != nil {
			t.Errorf("%s: a refused file must not be returned", tt.ref)
		}
	}
}

func TestLoadNeverReadsRefusedFiles(t *testing.T) {
	dir := tree(t, map[string]string{"ws/a.yaml": "a: 1\n", "outside/secret.yaml": "s: 1\n"})
	ws := filepath.Join(dir, "ws")
	symlink(t, filepath.Join(dir, "outside", "secret.yaml"), filepath.Join(ws, "link.yaml"))
	fsys := &countingFS{FS: OS, reads: map[string]int{}}
	c := NewCache(fsys, NewRoots(fsys, "", ws), 0)
	for _, p := range []string{filepath.Join(ws, "link.yaml"), filepath.Join(dir, "outside", "secret.yaml")} {
		if _, err := c.Load(p); err == nil {
			t.Errorf("%s: loaded", p)
		}
	}
	if n := fsys.count(filepath.Join(dir, "outside", "secret.yaml")); n != 0 {
		t.Errorf("the file outside was read %d times", n)
	}
}

func TestCacheInvalidation(t *testing.T) {
	dir := tree(t, map[string]string{"shared.yaml": "v: 1\n"})
	p := filepath.Join(dir, "shared.yaml")
	fsys := &countingFS{FS: OS, reads: map[string]int{}}
	c := NewCache(fsys, NewRoots(fsys, "", dir), 0)
	setTime := func(sec int64) {
		if err := os.Chtimes(p, time.Unix(sec, 0), time.Unix(sec, 0)); err != nil {
			t.Fatal(err)
		}
	}
	write := func(text string, sec int64) {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		setTime(sec)
	}
	load := func() *File {
		t.Helper()
		f, err := c.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	setTime(1000)
	f1 := load()
	if f2 := load(); f2 != f1 || fsys.count(p) != 1 {
		t.Fatalf("unchanged file read again (reads %d)", fsys.count(p))
	}
	write("v: 2\n", 1000) // same size and time: indistinguishable without a watcher
	if load() != f1 {
		t.Fatal("same mtime and size must reuse the cached text")
	}
	c.Invalidate(p) // a watcher said so
	f3 := load()
	if string(f3.Text) != "v: 2\n" || f3 == f1 {
		t.Fatalf("after Invalidate: %q", f3.Text)
	}
	write("v: 3\n", 2000) // a new mtime is noticed without a watcher
	if f4 := load(); string(f4.Text) != "v: 3\n" {
		t.Fatalf("after an mtime change: %q", f4.Text)
	}
	write("v: 333\n", 2000) // a new size too
	if f5 := load(); string(f5.Text) != "v: 333\n" {
		t.Fatalf("after a size change: %q", f5.Text)
	}

	// Overlays win over the disk until cleared; the disk text is not kept
	// (nor counted) meanwhile, and is read again after.
	if c.Bytes() != int64(len("v: 333\n")) {
		t.Fatalf("Bytes %d with the disk text cached", c.Bytes())
	}
	reads := fsys.count(p)
	ov := c.SetOverlay(p, 7, []byte("v: editor\n"))
	if got := load(); got != ov || got.Stamp() != "open v7" {
		t.Fatalf("overlay: %q %s", got.Text, got.Stamp())
	}
	if c.Bytes() != 0 || len(c.Cached()) != 0 {
		t.Fatalf("an open document's disk text kept: Bytes %d, cached %v", c.Bytes(), c.Cached())
	}
	c.ClearOverlay(p)
	if got := load(); string(got.Text) != "v: 333\n" || fsys.count(p) != reads+1 {
		t.Fatalf("after ClearOverlay: %q (reads %d, before the overlay %d)", got.Text, fsys.count(p), reads)
	}
}

// TestConfinementRecheckedAfterChange: the confinement check is cached per
// path, and forgotten when the path changes, so a file replaced by a
// symlink that escapes is refused after the change is known.
func TestConfinementRecheckedAfterChange(t *testing.T) {
	dir := tree(t, map[string]string{"ws/a.yaml": "a: 1\n", "outside/secret.yaml": "s: 1\n"})
	ws := filepath.Join(dir, "ws")
	p := filepath.Join(ws, "a.yaml")
	c := NewCache(OS, NewRoots(OS, "", ws), 0)
	if _, err := c.Load(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	symlink(t, filepath.Join(dir, "outside", "secret.yaml"), p)
	c.Invalidate(p) // a watcher event
	if _, err := c.Load(p); err == nil {
		t.Fatal("a symlink that escapes was followed after the change")
	} else if k, _ := errKind(err); k != SymlinkEscape {
		t.Fatalf("error %v", err)
	}
}

func TestPoll(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": "a: 1\n", "b.yaml": "b: 1\n", "c.yaml": "c: 1\n"})
	c := NewCache(OS, NewRoots(OS, "", dir), 0)
	a, b, cc, d := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml"), filepath.Join(dir, "c.yaml"), filepath.Join(dir, "d.yaml")
	for _, p := range []string{a, b, cc, d} {
		c.Load(p) // d is missing
	}
	if got := c.Poll(); len(got) != 0 {
		t.Fatalf("nothing changed, Poll = %v", got)
	}
	if err := os.WriteFile(a, []byte("a: 22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d, []byte("d: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := []string{a, b, d}
	if got := c.Poll(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Poll = %v, want %v", got, want)
	}
	if got := c.Poll(); len(got) != 0 {
		t.Fatalf("second Poll = %v, want nothing (changes are reported once)", got)
	}
}

func TestDerivedOncePerVersion(t *testing.T) {
	dir := tree(t, map[string]string{"a.yaml": "a: 1\n"})
	p := filepath.Join(dir, "a.yaml")
	c := NewCache(OS, NewRoots(OS, "", dir), 0)
	f, _ := c.Load(p)
	builds := 0
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.Derived("tree", func(f *File) any {
				mu.Lock()
				builds++
				mu.Unlock()
				return len(f.Text)
			})
		}()
	}
	wg.Wait()
	if builds != 1 || f.Derived("tree", nil) != 5 {
		t.Fatalf("builds = %d", builds)
	}
	if f.Derived("other", func(*File) any { return "x" }) != "x" {
		t.Fatal("a second key builds its own value")
	}
}

func TestRepoRoot(t *testing.T) {
	dir := tree(t, map[string]string{"repo/.git/HEAD": "ref: x\n", "repo/api/v1/a.yaml": "a: 1\n", "norepo/a.yaml": ""})
	if got := RepoRoot(OS, filepath.Join(dir, "repo", "api", "v1")); got != filepath.Join(dir, "repo") {
		t.Errorf("RepoRoot = %q", got)
	}
	// A temp dir is not inside a repository unless the machine's /tmp is.
	if got := RepoRoot(OS, filepath.Join(dir, "norepo")); got != "" && strings.HasPrefix(got, dir) {
		t.Errorf("RepoRoot outside a repo = %q", got)
	}
}

// TestWithRoots: a cache moved to other roots keeps the editor buffers and
// confines to the new roots only.
func TestWithRoots(t *testing.T) {
	dir := tree(t, map[string]string{"a/x.yaml": "x: 1\n", "b/y.yaml": "y: 1\n"})
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	c := NewCache(OS, NewRoots(OS, "", a), 0)
	c.SetOverlay(filepath.Join(a, "x.yaml"), 3, []byte("x: editor\n"))
	if _, err := c.Load(filepath.Join(b, "y.yaml")); err == nil {
		t.Fatal("b is not a root yet")
	}
	n := c.WithRoots(NewRoots(OS, "", a, b))
	if f, err := n.Load(filepath.Join(a, "x.yaml")); err != nil || string(f.Text) != "x: editor\n" {
		t.Fatalf("overlay lost: %v %v", f, err)
	}
	if _, err := n.Load(filepath.Join(b, "y.yaml")); err != nil {
		t.Fatalf("new root refused: %v", err)
	}
	if k, _ := errKind(func() error { _, err := c.WithRoots(NewRoots(OS, "", b)).Load(filepath.Join(a, "x.yaml")); return err }()); k != Outside {
		t.Fatal("a removed root is still readable")
	}
}

// An overlay is handed out once a Load returned it (its reader may keep
// the text), and only then: a Load of another path, a disk read, or an
// overlay replaced before anyone loaded it leave it unmarked. A cache
// made by WithRoots marks every overlay it takes over: the old cache may
// still hand them out to the analyses that hold it.
func TestOverlayHandedOut(t *testing.T) {
	dir := tree(t, map[string]string{"a/x.yaml": "x: 1\n", "a/y.yaml": "y: 1\n"})
	a := filepath.Join(dir, "a")
	c := NewCache(OS, NewRoots(OS, "", a), 0)
	x := filepath.Join(a, "x.yaml")
	v1 := c.SetOverlay(x, 1, []byte("x: one\n"))
	if _, err := c.Load(filepath.Join(a, "y.yaml")); err != nil {
		t.Fatal(err)
	}
	v2 := c.SetOverlay(x, 2, []byte("x: two\n"))
	if v1.HandedOut() || v2.HandedOut() {
		t.Fatalf("handed out before any Load of x: v1 %v, v2 %v", v1.HandedOut(), v2.HandedOut())
	}
	if f, err := c.Load(x); err != nil || f != v2 {
		t.Fatalf("Load(x) = %v, %v; want the overlay v2", f, err)
	}
	if v1.HandedOut() || !v2.HandedOut() {
		t.Fatalf("after Load(x): v1 %v (want false: replaced before), v2 %v (want true)", v1.HandedOut(), v2.HandedOut())
	}
	v3 := c.SetOverlay(x, 3, []byte("x: three\n"))
	c.WithRoots(NewRoots(OS, "", a))
	if !v3.HandedOut() {
		t.Fatal("an overlay taken over by WithRoots is not marked handed out")
	}
}
