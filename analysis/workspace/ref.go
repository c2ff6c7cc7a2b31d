package workspace

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// RefKind says what a $ref value points at.
type RefKind int

const (
	// RefLocal is "#/..." (or "#"): a pointer into the same document.
	RefLocal RefKind = iota
	// RefFile is a relative file reference, with or without a fragment.
	RefFile
	// RefExternal is a URL with a scheme that is never fetched (http, https,
	// urn, ...).
	RefExternal
	// RefInvalid is a reference that cannot be followed: absolute paths,
	// queries, bad percent-encoding, empty values. Reason says why.
	RefInvalid
)

func (k RefKind) String() string {
	switch k {
	case RefLocal:
		return "local"
	case RefFile:
		return "file"
	case RefExternal:
		return "external"
	}
	return "invalid"
}

// RefTarget is a $ref value taken apart.
type RefTarget struct {
	Kind RefKind
	// Path is the decoded file part in slash form ("../shared/sec.yaml"),
	// for RefFile only.
	Path string
	// Fragment is the JSON pointer as written, with its "#" ("#/a/b"), or ""
	// when the ref has none (the whole file). The pointer resolver decodes
	// its percent-escapes and ~0/~1.
	Fragment string
	// Scheme is the URL scheme of a RefExternal ("https").
	Scheme string
	// Reason explains RefInvalid, as a sentence fragment for a diagnostic.
	Reason string
}

// ParseRef classifies a $ref value. It never touches the file system.
func ParseRef(ref string) RefTarget {
	if ref == "" {
		return RefTarget{Kind: RefInvalid, Reason: "the reference is empty"}
	}
	if strings.HasPrefix(ref, "#") {
		return RefTarget{Kind: RefLocal, Fragment: ref}
	}
	body, frag := ref, ""
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		body, frag = ref[:i], ref[i:]
	}
	if scheme, rest, ok := uriScheme(body); ok {
		switch strings.ToLower(scheme) {
		case "file":
			return parseFileURI(rest, frag)
		default:
			return RefTarget{Kind: RefExternal, Scheme: strings.ToLower(scheme), Fragment: frag}
		}
	}
	return parseRelative(body, frag)
}

// uriScheme splits "scheme:rest" per RFC 3986 (ALPHA *( ALPHA / DIGIT / "+"
// / "-" / "." )). A single letter followed by ":" is a Windows drive, not a
// scheme.
func uriScheme(s string) (scheme, rest string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i < 1 {
		return "", "", false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if j == 0 && !alpha || !alpha && !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return "", "", false
		}
	}
	if i == 1 {
		return "", "", false // "C:..." is a drive letter
	}
	return s[:i], s[i+1:], true
}

func parseFileURI(rest, frag string) RefTarget {
	if strings.HasPrefix(rest, "//") {
		// file://host/path or file:///path: absolute by construction.
		return RefTarget{Kind: RefInvalid, Fragment: frag, Reason: "an absolute file: URI names a fixed location; write a path relative to this document"}
	}
	// "file:shared/x.yaml", "file:./x.yaml" are relative.
	return parseRelative(rest, frag)
}

func parseRelative(body, frag string) RefTarget {
	if i := strings.IndexByte(body, '?'); i >= 0 {
		return RefTarget{Kind: RefInvalid, Fragment: frag, Reason: "a query ('?') in a file reference is not supported"}
	}
	p, err := url.PathUnescape(body)
	if err != nil {
		return RefTarget{Kind: RefInvalid, Fragment: frag, Reason: "bad percent-encoding in the path: " + errText(err)}
	}
	if p == "" {
		// "" before "#" means this document: RFC 3986 same-document reference.
		return RefTarget{Kind: RefLocal, Fragment: frag}
	}
	if strings.ContainsRune(p, 0) {
		return RefTarget{Kind: RefInvalid, Fragment: frag, Reason: "the path contains a NUL byte"}
	}
	if strings.HasPrefix(p, "/") || isWindowsAbs(p) {
		return RefTarget{Kind: RefInvalid, Fragment: frag, Reason: "an absolute path names a fixed location; write a path relative to this document"}
	}
	return RefTarget{Kind: RefFile, Path: p, Fragment: frag}
}

func isWindowsAbs(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '/' || p[2] == '\\') &&
		(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z') || strings.HasPrefix(p, `\\`)
}

func errText(err error) string {
	var e url.EscapeError
	if errors.As(err, &e) {
		return fmt.Sprintf("%q is not a valid escape", string(e))
	}
	return err.Error()
}

// Join resolves a RefFile path against the file that contains the $ref.
// The result is absolute and cleaned; confinement is checked separately.
func Join(from, refPath string) string {
	return filepath.Join(filepath.Dir(from), filepath.FromSlash(path.Clean(refPath)))
}
