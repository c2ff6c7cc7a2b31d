package workspace

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// FS is the file system the workspace reads. OS is the real one; tests and
// benchmarks may substitute their own. Names are host paths.
type FS interface {
	// Stat follows symlinks.
	Stat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	// ReadPrefix reads at most n bytes from the start of the file.
	ReadPrefix(name string, n int) ([]byte, error)
	// ReadDir lists a directory without following symlinked entries.
	ReadDir(name string) ([]fs.DirEntry, error)
	// EvalSymlinks returns the path with every symlink resolved.
	EvalSymlinks(name string) (string, error)
}

// OS is the host file system.
var OS FS = osFS{}

type osFS struct{}

func (osFS) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
func (osFS) ReadFile(name string) ([]byte, error)       { return os.ReadFile(name) }
func (osFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }
func (osFS) EvalSymlinks(name string) (string, error)   { return filepath.EvalSymlinks(name) }

func (osFS) ReadPrefix(name string, n int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:k], err
}
