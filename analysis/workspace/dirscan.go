package workspace

import (
	"path/filepath"
	"sort"
	"time"
)

// DirScan notices YAML and JSON files that appear in, or vanish from, the
// directories under the roots (the ones discovery walks), for clients that
// cannot watch files. A directory's modification time changes whenever an
// entry is added, removed or renamed, so a scan stats every directory and
// lists only those whose time changed: cheap enough to run with the cache's
// polling. Files that appeared since the first walk and are not known to
// be documents yet (a new, empty file) are also statted, so that the
// content written into them later, in place, is noticed.
//
// It is not safe for concurrent use.
type DirScan struct {
	fs      FS
	maxDirs int
	dirs    map[string]*dirState
	// fresh are the files that appeared after the first walk, with their
	// last size and time: reported again when they change.
	fresh map[string]stamp
	// Truncated is true when the roots hold more than maxDirs
	// directories: those beyond are not watched.
	Truncated bool
}

type dirState struct {
	mod   time.Time
	files map[string]bool // names of the YAML and JSON files
	dirs  map[string]bool // names of the subdirectories walked
}

type stamp struct {
	size int64
	mod  time.Time
}

// maxFresh bounds the new files statted on every scan.
const maxFresh = 1000

// NewDirScan walks the roots and records what they hold; maxDirs <= 0
// means 10,000 directories.
func NewDirScan(fsys FS, roots []string, maxDirs int) *DirScan {
	if maxDirs <= 0 {
		maxDirs = 10000
	}
	s := &DirScan{fs: fsys, maxDirs: maxDirs, dirs: map[string]*dirState{}, fresh: map[string]stamp{}}
	for _, r := range roots {
		if abs, err := filepath.Abs(r); err == nil {
			s.walk(abs, nil)
		}
	}
	return s
}

// walk records dir and everything below it; with added set, it appends
// the files found there (they are new).
func (s *DirScan) walk(dir string, added *[]string) {
	if _, ok := s.dirs[dir]; ok {
		return
	}
	if len(s.dirs) >= s.maxDirs {
		s.Truncated = true
		return
	}
	st := s.read(dir)
	if st == nil {
		return
	}
	s.dirs[dir] = st
	for name := range st.files {
		if added != nil {
			*added = append(*added, filepath.Join(dir, name))
		}
	}
	for name := range st.dirs {
		s.walk(filepath.Join(dir, name), added)
	}
}

// read lists dir; nil if it cannot be read.
func (s *DirScan) read(dir string) *dirState {
	info, err := s.fs.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil
	}
	entries, err := s.fs.ReadDir(dir)
	if err != nil {
		return nil
	}
	st := &dirState{mod: info.ModTime(), files: map[string]bool{}, dirs: map[string]bool{}}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.Type().IsDir():
			if !skipDir(name) {
				st.dirs[name] = true
			}
		case e.Type().IsRegular() && HasDocumentExt(name):
			st.files[name] = true
		}
	}
	return st
}

// Scan returns, sorted, the YAML and JSON files that appeared or vanished
// since the last scan, and the new files (see DirScan) whose size or time
// changed.
func (s *DirScan) Scan() []string {
	var out []string
	dirs := make([]string, 0, len(s.dirs))
	for d := range s.dirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		old := s.dirs[d]
		if old == nil { // dropped with a parent during this scan
			continue
		}
		info, err := s.fs.Stat(d)
		if err == nil && info.IsDir() && info.ModTime().Equal(old.mod) {
			continue
		}
		var cur *dirState
		if err == nil && info.IsDir() {
			cur = s.read(d)
		}
		if cur == nil {
			s.drop(d, &out)
			continue
		}
		for name := range old.files {
			if !cur.files[name] {
				p := filepath.Join(d, name)
				out = append(out, p)
				delete(s.fresh, p)
			}
		}
		for name := range cur.files {
			if !old.files[name] {
				p := filepath.Join(d, name)
				out = append(out, p)
				s.remember(p)
			}
		}
		for name := range old.dirs {
			if !cur.dirs[name] {
				s.drop(filepath.Join(d, name), &out)
			}
		}
		s.dirs[d] = cur
		for name := range cur.dirs {
			if !old.dirs[name] {
				var added []string
				s.walk(filepath.Join(d, name), &added)
				for _, p := range added {
					s.remember(p)
				}
				out = append(out, added...)
			}
		}
	}
	for p, old := range s.fresh {
		info, err := s.fs.Stat(p)
		if err != nil {
			continue // its directory's scan reports it gone
		}
		if now := (stamp{info.Size(), info.ModTime()}); now.size != old.size || !now.mod.Equal(old.mod) {
			s.fresh[p] = now
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return dedupSorted(out)
}

// remember starts statting a new file.
func (s *DirScan) remember(p string) {
	if len(s.fresh) >= maxFresh {
		return
	}
	var st stamp
	if info, err := s.fs.Stat(p); err == nil {
		st = stamp{info.Size(), info.ModTime()}
	}
	s.fresh[p] = st
}

// drop forgets dir and everything below it, reporting its files gone.
func (s *DirScan) drop(dir string, out *[]string) {
	st := s.dirs[dir]
	if st == nil {
		return
	}
	delete(s.dirs, dir)
	for name := range st.files {
		p := filepath.Join(dir, name)
		*out = append(*out, p)
		delete(s.fresh, p)
	}
	for name := range st.dirs {
		s.drop(filepath.Join(dir, name), out)
	}
}

func dedupSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
