package workspace

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxFileSize is the size limit for a referenced file unless the
// cache is given another.
const DefaultMaxFileSize = 5 << 20

// File is one version of a file's text. It is immutable: when the text
// changes, the cache hands out a new File.
type File struct {
	Path string // the path as asked for (absolute, cleaned)
	Text []byte
	// Overlay is true for an open editor buffer; Version is then the
	// editor's version. Disk files carry ModTime and Size instead.
	Overlay bool
	Version int32
	ModTime time.Time
	Size    int64

	mu      sync.Mutex
	derived map[any]*derivedValue
	// handedOut: Load returned this overlay to a reader, which may keep
	// its text (a parsed tree's values alias it): the editor buffer's
	// owner must never recycle that memory (HandedOut).
	handedOut atomic.Bool
}

// HandedOut reports whether a Load returned this overlay. It is set under
// the cache's lock, so once SetOverlay has replaced f, the answer is final:
// false means no reader ever saw f.Text through the cache.
func (f *File) HandedOut() bool { return f.handedOut.Load() }

type derivedValue struct {
	once sync.Once
	v    any
}

// Derived returns the value build computes from this file version, computing
// it once per key (concurrent callers wait for the first). The analysis
// package keeps a file's parsed tree here, so an unchanged file is parsed
// once however many documents reference it.
func (f *File) Derived(key any, build func(*File) any) any {
	f.mu.Lock()
	if f.derived == nil {
		f.derived = map[any]*derivedValue{}
	}
	d := f.derived[key]
	if d == nil {
		d = &derivedValue{}
		f.derived[key] = d
	}
	f.mu.Unlock()
	d.once.Do(func() { d.v = build(f) })
	return d.v
}

// Stamp identifies the version: it changes whenever the text may have.
func (f *File) Stamp() string {
	if f.Overlay {
		return fmt.Sprintf("open v%d", f.Version)
	}
	return fmt.Sprintf("disk %d@%d", f.Size, f.ModTime.UnixNano())
}

// Cache hands out file texts: open editor buffers (overlays) win over the
// disk; a disk text is reused while its modification time and size are
// unchanged. Every path is confined to the roots before anything is read.
// It is safe for concurrent use.
type Cache struct {
	fs      FS
	roots   *Roots
	maxSize int64

	mu       sync.Mutex
	overlays map[string]*File
	disk     map[string]*File
	missing  map[string]bool // asked for and not found: Poll notices when they appear
	// real caches the confinement check (the symlink-free path) of paths
	// that passed it: resolving symlinks costs a system call per path
	// element. Invalidate and Poll forget the paths that changed.
	real map[string]string
}

// NewCache returns a cache over fsys confined to roots; maxSize <= 0 means
// DefaultMaxFileSize.
func NewCache(fsys FS, roots *Roots, maxSize int64) *Cache {
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	return &Cache{fs: fsys, roots: roots, maxSize: maxSize, overlays: map[string]*File{}, disk: map[string]*File{}, missing: map[string]bool{}, real: map[string]string{}}
}

// WithRoots returns a cache confined to other roots that keeps the open
// editor buffers (disk texts are read again).
func (c *Cache) WithRoots(roots *Roots) *Cache {
	n := NewCache(c.fs, roots, c.maxSize)
	c.mu.Lock()
	defer c.mu.Unlock()
	for p, f := range c.overlays {
		// The old cache stays with the analyses that run meanwhile, and
		// a SetOverlay on the new one does not replace f there: its
		// HandedOut answer would never be final.
		f.handedOut.Store(true)
		n.overlays[p] = f
	}
	return n
}

// Roots returns the roots the cache is confined to.
func (c *Cache) Roots() *Roots { return c.roots }

// FS returns the file system the cache reads.
func (c *Cache) FS() FS { return c.fs }

// MaxSize is the size limit in bytes.
func (c *Cache) MaxSize() int64 { return c.maxSize }

// SetOverlay records an open editor buffer for path; it wins over the disk
// until ClearOverlay. The text must not be modified afterwards. A cached
// disk text of path is dropped: nothing reads it while the buffer is open
// (ClearOverlay lets the next Load read the disk again), and kept it would
// hold a second copy of an open document and count in Bytes.
func (c *Cache) SetOverlay(path string, version int32, text []byte) *File {
	f := &File{Path: path, Text: text, Overlay: true, Version: version, Size: int64(len(text))}
	c.mu.Lock()
	c.overlays[path] = f
	delete(c.disk, path)
	c.mu.Unlock()
	return f
}

// ClearOverlay forgets the editor buffer for path (the document was closed):
// the disk text applies again.
func (c *Cache) ClearOverlay(path string) {
	c.mu.Lock()
	delete(c.overlays, path)
	c.mu.Unlock()
}

// Invalidate forgets the cached disk text of path (a watcher said it
// changed), so the next Load reads it again.
func (c *Cache) Invalidate(path string) {
	c.mu.Lock()
	delete(c.disk, path)
	delete(c.missing, path)
	delete(c.real, path)
	c.mu.Unlock()
}

// Open resolves a RefFile target against the file that holds the $ref and
// loads it.
func (c *Cache) Open(from string, t RefTarget) (*File, error) {
	return c.Load(Join(from, t.Path))
}

// Load returns the current text of path (absolute, cleaned): the overlay if
// the file is open, else the disk text, read again only when its
// modification time or size changed. Errors are *Error.
func (c *Cache) Load(path string) (*File, error) {
	c.mu.Lock()
	real, checked := c.real[path]
	c.mu.Unlock()
	if !checked {
		var err error
		if real, err = c.roots.Check(c.fs, path); err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.real[path] = real
		c.mu.Unlock()
	}
	c.mu.Lock()
	ov := c.overlays[path]
	if ov != nil {
		ov.handedOut.Store(true)
	}
	cached := c.disk[path]
	c.mu.Unlock()
	if ov != nil {
		if ov.Size > c.maxSize {
			return nil, c.tooLarge(path, ov.Size)
		}
		return ov, nil
	}
	info, err := c.fs.Stat(real)
	if err != nil {
		e := c.roots.ioError(path, err)
		if e.Kind == NotFound {
			c.mu.Lock()
			c.missing[path] = true
			delete(c.disk, path)
			c.mu.Unlock()
		}
		return nil, e
	}
	if !info.Mode().IsRegular() {
		return nil, &Error{Kind: NotAFile, Path: path, roots: c.roots}
	}
	if info.Size() > c.maxSize {
		return nil, c.tooLarge(path, info.Size())
	}
	if cached != nil && cached.Size == info.Size() && cached.ModTime.Equal(info.ModTime()) {
		return cached, nil
	}
	text, err := c.fs.ReadFile(real)
	if err != nil {
		return nil, c.roots.ioError(path, err)
	}
	if int64(len(text)) > c.maxSize { // grew between stat and read
		return nil, c.tooLarge(path, int64(len(text)))
	}
	f := &File{Path: path, Text: text, ModTime: info.ModTime(), Size: int64(len(text))}
	if int64(len(text)) != info.Size() {
		f.ModTime = time.Time{} // changed while read: never equal, so read again next time
	}
	c.mu.Lock()
	c.disk[path] = f
	delete(c.missing, path)
	c.mu.Unlock()
	return f, nil
}

func (c *Cache) tooLarge(path string, size int64) error {
	return &Error{Kind: TooLarge, Path: path, Detail: fmt.Sprintf("%d bytes, limit %d", size, c.maxSize), roots: c.roots}
}

// Poll stats every cached disk file and every file that was asked for and
// missing, and returns, sorted, those that changed (modification time or
// size), vanished or appeared, forgetting their texts. It is the fallback
// for clients that cannot watch files.
func (c *Cache) Poll() []string {
	c.mu.Lock()
	files := make([]*File, 0, len(c.disk))
	for _, f := range c.disk {
		files = append(files, f)
	}
	missing := make([]string, 0, len(c.missing))
	for p := range c.missing {
		missing = append(missing, p)
	}
	c.mu.Unlock()
	var changed []string
	for _, p := range missing {
		if _, err := c.fs.Stat(p); err == nil {
			changed = append(changed, p)
			c.mu.Lock()
			delete(c.missing, p)
			delete(c.real, p)
			c.mu.Unlock()
		}
	}
	for _, f := range files {
		info, err := c.fs.Stat(f.Path)
		if err == nil && info.Mode().IsRegular() && info.Size() == f.Size && info.ModTime().Equal(f.ModTime) {
			continue
		}
		changed = append(changed, f.Path)
		c.mu.Lock()
		if c.disk[f.Path] == f {
			delete(c.disk, f.Path)
		}
		delete(c.real, f.Path)
		c.mu.Unlock()
	}
	sort.Strings(changed)
	return changed
}

// Bytes returns the total size of the cached disk texts.
func (c *Cache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, f := range c.disk {
		n += f.Size
	}
	return n
}

// Cached returns the paths with a cached disk text, sorted.
func (c *Cache) Cached() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.disk))
	for p := range c.disk {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
