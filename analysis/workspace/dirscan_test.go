package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestDirScan: a scan reports the YAML and JSON files that appeared or
// vanished under the roots (in known directories, in new directories, with
// removed directories), and new files written again in place; nothing
// when nothing changed, and nothing under skipped directories.
func TestDirScan(t *testing.T) {
	dir := tree(t, map[string]string{
		"a/api.yaml":     "asyncapi: 3.0.0\n",
		"a/notes.txt":    "x",
		"b/old.yaml":     "asyncapi: 3.0.0\n",
		"b/sub/s.json":   "{}",
		"node_modules/x": "x",
	})
	s := NewDirScan(OS, []string{dir}, 0)
	// Directory times may be coarse: every step moves the changed
	// directory's time on explicitly.
	tick := time.Now().Add(time.Hour)
	touch := func(rel string) {
		t.Helper()
		tick = tick.Add(time.Second)
		if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(rel)), tick, tick); err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs := func(rels ...string) []string {
		var out []string
		for _, r := range rels {
			out = append(out, filepath.Join(dir, filepath.FromSlash(r)))
		}
		return out
	}
	check := func(step string, want []string) {
		t.Helper()
		if got := s.Scan(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Scan() = %q, want %q", step, got, want)
		}
	}

	check("unchanged", nil)
	write("a/new.yaml", "")
	write("a/other.txt", "not a document name")
	touch("a")
	check("file added", abs("a/new.yaml"))
	check("unchanged again", nil)
	write("a/new.yaml", "asyncapi: 3.0.0\n")
	check("new file written in place", abs("a/new.yaml"))
	write("c/d/deep.yml", "asyncapi: 2.6.0\n")
	write("c/top.json", "{}")
	touch("c/d")
	touch("c")
	touch(".")
	check("directories added", abs("c/d/deep.yml", "c/top.json"))
	write("node_modules/y/asyncapi.yaml", "asyncapi: 3.0.0\n")
	touch("node_modules")
	check("skipped directory", nil)
	if err := os.Remove(filepath.Join(dir, "b", "old.yaml")); err != nil {
		t.Fatal(err)
	}
	touch("b")
	check("file removed", abs("b/old.yaml"))
	if err := os.RemoveAll(filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	touch(".")
	check("directory removed", abs("b/sub/s.json"))
}

// TestDirScanBound: directories beyond the bound are not watched, and the
// scan says so.
func TestDirScanBound(t *testing.T) {
	dir := tree(t, map[string]string{"a/x.yaml": "", "b/y.yaml": "", "c/z.yaml": ""})
	s := NewDirScan(OS, []string{dir}, 2)
	if !s.Truncated || len(s.dirs) != 2 {
		t.Errorf("Truncated %v with %d directories, want true with 2", s.Truncated, len(s.dirs))
	}
}

// BenchmarkDirScan: one scan of an unchanged tree of 200 directories of
// 6 files each (the polling fallback runs one every 1.2 s).
func BenchmarkDirScan(b *testing.B) {
	dir := b.TempDir()
	for i := range 200 {
		for j := range 6 {
			p := filepath.Join(dir, "apis", fmt.Sprintf("svc-%03d", i), fmt.Sprintf("f%d.yaml", j))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("x: 1\n"), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	s := NewDirScan(OS, []string{dir}, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if changed := s.Scan(); len(changed) != 0 {
			b.Fatal(changed)
		}
	}
}
