// Package pathglob matches slash-separated paths against glob patterns
// with `**` (any number of whole path segments, including none), as the
// CLI's FILE arguments and the config file's `ignore` list use them.
// Within a segment the syntax is path.Match's: `*`, `?`, `[...]`, `\`.
//
// It is a leaf package; anyone may depend on it.
package pathglob

import (
	"path"
	"strings"
)

// HasMeta reports whether pattern holds glob syntax (is not a plain path).
func HasMeta(pattern string) bool {
	return strings.ContainsAny(pattern, `*?[\`)
}

// Valid reports whether every segment of pattern is well formed.
func Valid(pattern string) bool {
	for _, seg := range strings.Split(pattern, "/") {
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return false
		}
	}
	return true
}

// Match reports whether the slash-separated name matches pattern. Both are
// cleaned first, so "./a//b" and "a/b" are the same path. A malformed
// pattern matches nothing.
func Match(pattern, name string) bool {
	return matchSegments(split(pattern), split(name))
}

func split(p string) []string {
	p = path.Clean(p)
	if p == "." {
		return nil
	}
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			// Collapse runs of ** and try every split point.
			for len(pat) > 0 && pat[0] == "**" {
				pat = pat[1:]
			}
			if len(pat) == 0 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		ok, err := path.Match(pat[0], name[0])
		if err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// Base splits pattern into its longest leading directory without glob
// syntax (where a walk starts) and the rest. Base("specs/**/*.yaml") is
// ("specs", "**/*.yaml"); Base("*.json") is (".", "*.json").
func Base(pattern string) (dir, rest string) {
	segs := strings.Split(pattern, "/")
	i := 0
	for i < len(segs)-1 && !HasMeta(segs[i]) {
		i++
	}
	dir = strings.Join(segs[:i], "/")
	if dir == "" {
		dir = "."
		if strings.HasPrefix(pattern, "/") {
			dir = "/"
		}
	}
	return dir, strings.Join(segs[i:], "/")
}
