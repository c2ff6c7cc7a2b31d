package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrorKind classifies why a referenced file could not be used.
type ErrorKind int

const (
	// NotFound: no such file (or a directory on the way is missing).
	NotFound ErrorKind = iota
	// Outside: the path climbs out of every root.
	Outside
	// SymlinkEscape: the path is inside a root, but a symlink on it leads
	// outside every root.
	SymlinkEscape
	// TooLarge: the file is bigger than the size limit.
	TooLarge
	// NotAFile: a directory or a device.
	NotAFile
	// Unreadable: any other I/O error (permissions, ...).
	Unreadable
)

// Error is why a referenced file was refused or could not be read. Its
// message is a sentence fragment about the file ("it does not exist").
type Error struct {
	Kind ErrorKind
	Path string // the absolute path that was asked for
	// Detail: the symlink target for SymlinkEscape, the size for TooLarge,
	// the OS error text for Unreadable.
	Detail string
	roots  *Roots
}

func (e *Error) Error() string {
	switch e.Kind {
	case NotFound:
		return "the file does not exist"
	case Outside:
		return "the path leads outside " + e.roots.label() + "; files there are not read"
	case SymlinkEscape:
		return fmt.Sprintf("a symlink leads outside %s (to %s); it is not followed", e.roots.label(), e.Detail)
	case TooLarge:
		return "the file is larger than the limit (" + e.Detail + "); it is not read"
	case NotAFile:
		return "it is not a regular file"
	}
	return "the file cannot be read: " + e.Detail
}

// Roots are the directories whose files may be read. The lexical form
// decides whether a path climbs out; the symlink-free form decides whether a
// symlink escapes.
type Roots struct {
	dirs  []string // absolute, cleaned
	real  []string // dirs with symlinks resolved
	Label string   // how messages name them: "the workspace folders"
}

// NewRoots builds the roots from directories (made absolute and cleaned).
// Duplicates and nested roots are harmless.
func NewRoots(fsys FS, label string, dirs ...string) *Roots {
	r := &Roots{Label: label}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		abs, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		r.dirs = append(r.dirs, abs)
		real := abs
		if p, err := fsys.EvalSymlinks(abs); err == nil {
			real = p
		}
		r.real = append(r.real, real)
	}
	return r
}

// Dirs returns the roots as given (absolute, cleaned).
func (r *Roots) Dirs() []string { return append([]string(nil), r.dirs...) }

func (r *Roots) label() string {
	if r == nil || r.Label == "" {
		return "the allowed directories"
	}
	return r.Label
}

// within reports whether p is dir or below it (both cleaned, absolute).
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// Contains reports whether the lexical path p is inside a root.
func (r *Roots) Contains(p string) bool {
	for _, d := range r.dirs {
		if within(p, d) {
			return true
		}
	}
	return false
}

func (r *Roots) containsReal(p string) bool {
	for _, d := range r.real {
		if within(p, d) {
			return true
		}
	}
	return false
}

// Check says whether p (absolute, cleaned) may be read. It returns the path
// with symlinks resolved, which is what should be read (so a symlink swapped
// after the check is not followed), or an *Error of kind Outside or
// SymlinkEscape. It never reads file contents.
func (r *Roots) Check(fsys FS, p string) (string, error) {
	if !r.Contains(p) {
		return "", &Error{Kind: Outside, Path: p, roots: r}
	}
	real := realPath(fsys, p)
	if !r.containsReal(real) {
		return "", &Error{Kind: SymlinkEscape, Path: p, Detail: real, roots: r}
	}
	return real, nil
}

// realPath resolves symlinks in the longest existing prefix of p, so that a
// missing file under a symlinked directory still shows where it would be.
func realPath(fsys FS, p string) string {
	if real, err := fsys.EvalSymlinks(p); err == nil {
		return real
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(realPath(fsys, parent), filepath.Base(p))
}

// ioError turns an OS error for p into an *Error.
func (r *Roots) ioError(p string, err error) *Error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, os.ErrNotExist) {
		return &Error{Kind: NotFound, Path: p, roots: r}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &Error{Kind: Unreadable, Path: p, Detail: err.Error(), roots: r}
}

// RepoRoot returns the nearest directory at or above dir that holds a .git
// entry, or "" when there is none. The CLI allows refs up to it.
func RepoRoot(fsys FS, dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if _, err := fsys.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
