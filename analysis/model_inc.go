package analysis

import (
	"net/url"
	"strings"
)

// entryRebuild is the state of rebuilding one operation's model.
type entryRebuild struct {
	refs map[*Ref]bool // the operation's own (fresh) $refs
	bad  string        // why the rebuild cannot be trusted
}

func (e *entryRebuild) owns(r *Ref) bool { return e.refs[r] }

func (e *entryRebuild) fail(why string) {
	if e.bad == "" {
		e.bad = why
	}
}

// touchesOperations reports whether resolving the local $ref target may
// walk through the root operations mapping or one of its entries: the root
// itself ("#"), "#/operations" and anything below it. Targets that do not
// decode cleanly count as touching.
func touchesOperations(target string) bool {
	frag := strings.TrimPrefix(target, "#")
	if dec, err := url.PathUnescape(frag); err == nil {
		frag = dec
	}
	if frag == "" {
		return true
	}
	if frag[0] != '/' {
		return false // not a pointer: it never resolves
	}
	tok, _, _ := strings.Cut(frag[1:], "/")
	tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
	return tok == "operations"
}
