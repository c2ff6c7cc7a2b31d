package workspace

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
)

// SniffSize is how much of a file discovery reads to decide whether it is an
// AsyncAPI document. The root `asyncapi` key is conventionally the first; a
// document whose key comes later than this is not found by discovery (it is
// still analyzed when opened or checked by name).
const SniffSize = 16 << 10

// DiscoverOptions tune Discover.
type DiscoverOptions struct {
	// MaxSize skips larger files; <= 0 means DefaultMaxFileSize.
	MaxSize int64
	// Progress, when set, is called after every directory with the number
	// of files looked at and documents found so far.
	Progress func(scanned, found int)
	// MaxDocuments stops the walk once that many documents are found
	// (<= 0: no limit); Discover then returns ErrTooManyDocuments with
	// the documents found so far.
	MaxDocuments int
}

// ErrTooManyDocuments says Discover stopped at DiscoverOptions.MaxDocuments.
var ErrTooManyDocuments = errors.New("too many AsyncAPI documents: discovery stopped at the limit")

// skipDir names directories discovery never enters: version control,
// dependencies, and hidden directories.
func skipDir(name string) bool {
	return name == "node_modules" || name == "vendor" || strings.HasPrefix(name, ".") && name != "."
}

// HasDocumentExt reports whether the name ends in .yaml, .yml or .json.
func HasDocumentExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Discover walks the roots and returns, sorted and without duplicates, the
// YAML and JSON files whose text starts like an AsyncAPI document (a root
// `asyncapi` key, see Sniff). It does not follow symlinks, skips hidden
// directories, node_modules and vendor, and stops early with ctx's error
// when ctx is done.
func Discover(ctx context.Context, fsys FS, roots []string, opt DiscoverOptions) ([]string, error) {
	if opt.MaxSize <= 0 {
		opt.MaxSize = DefaultMaxFileSize
	}
	found := map[string]struct{}{}
	scanned := 0
	var walk func(dir string) error
	walk = func(dir string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries, err := fsys.ReadDir(dir)
		if err != nil {
			return nil // unreadable directory: nothing to find there
		}
		var subdirs []string
		for _, e := range entries {
			name := e.Name()
			p := filepath.Join(dir, name)
			switch {
			case e.Type().IsDir():
				if !skipDir(name) {
					subdirs = append(subdirs, p)
				}
			case e.Type().IsRegular() && HasDocumentExt(name):
				scanned++
				if info, err := e.Info(); err != nil || info.Size() > opt.MaxSize {
					continue
				}
				prefix, err := fsys.ReadPrefix(p, SniffSize)
				if err == nil && Sniff(prefix) {
					found[p] = struct{}{}
					if opt.MaxDocuments > 0 && len(found) >= opt.MaxDocuments {
						return ErrTooManyDocuments
					}
				}
			}
		}
		if opt.Progress != nil {
			opt.Progress(scanned, len(found))
		}
		for _, d := range subdirs {
			if err := walk(d); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			continue
		}
		if err := walk(abs); err != nil {
			return sortedKeys(found), err
		}
	}
	return sortedKeys(found), nil
}

// Sniff reports whether text (a prefix of a file) has a root `asyncapi` key:
// in YAML a key `asyncapi:` at column 0, in JSON or a YAML flow mapping a key
// "asyncapi" directly inside the outermost braces. It is a cheap test, not a
// parse: the analysis decides what the file really is.
func Sniff(text []byte) bool {
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	if first := firstSignificant(text); first < len(text) && text[first] == '{' {
		return sniffFlow(text[first:])
	}
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if bytes.HasPrefix(line, []byte("--- ")) { // "--- asyncapi: 3.0.0" is unusual but valid
			line = bytes.TrimLeft(line[4:], " ")
		}
		if rest, quoted, ok := cutKey(line); ok && keyEnds(rest, quoted) {
			return true
		}
	}
	return false
}

// cutKey strips a leading asyncapi key (plain or quoted) from line.
func cutKey(line []byte) (rest []byte, quoted, ok bool) {
	for _, k := range []string{"asyncapi", `"asyncapi"`, `'asyncapi'`} {
		if bytes.HasPrefix(line, []byte(k)) {
			return line[len(k):], k[0] != 'a', true
		}
	}
	return nil, false, false
}

// keyEnds reports whether rest, after a key, is a `:` that ends the key
// (after optional spaces): after a quoted key any colon does, after a plain
// key only one followed by a blank or the end of the line (YAML reads
// "asyncapi:3" as one plain scalar).
func keyEnds(rest []byte, quoted bool) bool {
	rest = bytes.TrimLeft(rest, " \t")
	if len(rest) == 0 || rest[0] != ':' {
		return false
	}
	return quoted || len(rest) == 1 || rest[1] == ' ' || rest[1] == '\t' || rest[1] == '\r'
}

// firstSignificant skips blanks, comments and "---" lines.
func firstSignificant(text []byte) int {
	i := 0
	for i < len(text) {
		switch text[i] {
		case ' ', '\t', '\r', '\n':
			i++
		case '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case '-':
			if bytes.HasPrefix(text[i:], []byte("---")) {
				i += 3
				continue
			}
			return i
		default:
			return i
		}
	}
	return i
}

// sniffFlow scans a JSON object (or YAML flow mapping) for the key asyncapi
// at depth 1: a string or plain word right after '{' or ',' and followed by
// ':'.
func sniffFlow(text []byte) bool {
	depth := 0
	expectKey := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '{', '[':
			depth++
			expectKey = c == '{' && depth == 1
			continue
		case '}', ']':
			depth--
			if depth <= 0 {
				return false
			}
			continue
		case ',':
			expectKey = depth == 1
			continue
		case ' ', '\t', '\r', '\n':
			continue
		case '"', '\'':
			end := i + 1
			for end < len(text) && text[end] != c {
				if text[end] == '\\' && c == '"' {
					end++
				}
				end++
			}
			if end >= len(text) {
				return false
			}
			if expectKey && depth == 1 && string(text[i+1:end]) == "asyncapi" && keyEnds(text[end+1:], true) {
				return true
			}
			i = end
			expectKey = false
			continue
		}
		if expectKey && depth == 1 && bytes.HasPrefix(text[i:], []byte("asyncapi")) && keyEnds(text[i+len("asyncapi"):], false) {
			return true
		}
		expectKey = false
	}
	return false
}
