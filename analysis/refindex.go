package analysis

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// keyIndex finds keys of large mappings by hash, for resolving many $refs
// into the same few big mappings (channels, components.messages).
type keyIndex map[*syntax.Node]map[string]int

// pair looks key up in n; a nil index means plain (linear) lookups.
func (x keyIndex) pair(n *syntax.Node, key string) (*syntax.Node, *syntax.Node) {
	n = n.Resolve()
	if x == nil || n == nil || n.Kind != syntax.MappingNode || len(n.Content) <= 32 {
		return n.Pair(key)
	}
	m, ok := x[n]
	if !ok {
		m = make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == syntax.ScalarNode && k.Tag() != "!!merge" {
				if _, dup := m[k.Value]; !dup {
					m[k.Value] = i
				}
			}
		}
		x[n] = m
	}
	if i, ok := m[key]; ok {
		return n.Content[i], n.Content[i+1]
	}
	return n.Pair(key) // merge keys
}

// resolveRefsIndexed is resolveRefs with hashed lookups in large mappings
// and one resolution per distinct target. It returns the refs by holder
// (the last one wins, as in resolveRefs).
func resolveRefsIndexed(root *syntax.Node, refs []*Ref, idx keyIndex) map[*syntax.Node]*Ref {
	byHolder := make(map[*syntax.Node]*Ref, len(refs))
	for _, r := range refs {
		byHolder[r.Holder] = r
	}
	resolveChains(root, refs, func(n *syntax.Node) (*Ref, bool) { r, ok := byHolder[n]; return r, ok }, idx)
	return byHolder
}

// resolveChains resolves refs, following chains of $refs through byHolder.
func resolveChains(root *syntax.Node, refs []*Ref, byHolder func(*syntax.Node) (*Ref, bool), idx keyIndex) {
	type target struct {
		n   *syntax.Node
		err error
	}
	cache := make(map[string]target, len(refs))
	resolve := func(ref string) (*syntax.Node, error) {
		if t, ok := cache[ref]; ok {
			return t.n, t.err
		}
		n, err := resolvePointerFast(root, ref, idx)
		cache[ref] = target{n, err}
		return n, err
	}
	var seen []*syntax.Node
	for _, r := range refs {
		if !r.Local {
			continue
		}
		seen = append(seen[:0], r.Holder)
		cur := r
		// (What follow found when r, resolved again by a unit rebuild, led
		// into another file goes too.)
		r.Resolved, r.Err, r.via = nil, "", nil
		r.code, r.followed, r.missingIn, r.File, r.Fragment, r.paths = "", false, 0, "", "", nil
		for {
			t, err := resolve(cur.Target)
			if err != nil {
				if cur == r {
					r.Err = err.Error()
				} else {
					r.Err = fmt.Sprintf("it leads to %s, and %s", cur.Target, err)
				}
				break
			}
			next, isRef := byHolder(t)
			if !isRef || !next.Local {
				r.Resolved = t
				break
			}
			looped := false
			for _, s := range seen {
				if s == t {
					looped = true
					break
				}
			}
			if looped {
				r.Err = "the chain of $refs is circular (" + r.Target + " leads back to itself)"
				r.via = append(r.via, next.Target)
				break
			}
			seen = append(seen, t)
			cur = next
			r.via = append(r.via, cur.Target)
		}
	}
}

// resolvePointerFast is resolvePointerIndexed without building strings on
// the way: pointers without escapes are walked directly, and anything else
// (escapes, errors) is left to resolvePointerIndexed.
func resolvePointerFast(root *syntax.Node, ref string, idx keyIndex) (*syntax.Node, error) {
	frag := strings.TrimPrefix(ref, "#")
	if frag == "" || frag[0] != '/' || strings.ContainsAny(frag, "%~") {
		return resolvePointerIndexed(root, ref, idx)
	}
	n := root
	rest := frag[1:]
	for more := true; more; {
		var tok string
		tok, rest, more = strings.Cut(rest, "/")
		n = n.Resolve()
		switch {
		case n == nil:
			return resolvePointerIndexed(root, ref, idx)
		case n.Kind == syntax.MappingNode:
			k, next := idx.pair(n, tok)
			if k == nil {
				return resolvePointerIndexed(root, ref, idx)
			}
			n = next
		case n.Kind == syntax.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return resolvePointerIndexed(root, ref, idx)
			}
			n = n.Content[i]
		default:
			return resolvePointerIndexed(root, ref, idx)
		}
	}
	if n == nil {
		return resolvePointerIndexed(root, ref, idx)
	}
	return n.Resolve(), nil
}

// resolvePointerIndexed follows a JSON pointer from root, with hashed key
// lookups in large mappings when idx is not nil.
func resolvePointerIndexed(root *syntax.Node, ref string, idx keyIndex) (*syntax.Node, error) {
	frag := strings.TrimPrefix(ref, "#")
	if dec, err := url.PathUnescape(frag); err == nil {
		frag = dec
	}
	if frag == "" {
		return root, nil
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, fmt.Errorf("%q is not a JSON pointer (it must start with #/)", ref)
	}
	n := root
	walked := "#"
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		n = n.Resolve()
		switch {
		case n == nil:
			return nil, &lookupError{fmt.Sprintf("%s does not exist", walked), n, tok}
		case n.Kind == syntax.MappingNode:
			k, next := idx.pair(n, tok)
			if k == nil {
				return nil, &lookupError{missingKeyError(n, walked, tok, frag).Error(), n, tok}
			}
			n = next
		case n.Kind == syntax.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil, &lookupError{fmt.Sprintf("%s has no item %q", walked, tok), n, tok}
			}
			n = n.Content[i]
		default:
			return nil, &lookupError{fmt.Sprintf("%s is a scalar and has no %q", walked, tok), n, tok}
		}
		walked += "/" + escapePointerToken(tok)
	}
	if n == nil {
		return nil, fmt.Errorf("%s is empty", walked)
	}
	return n.Resolve(), nil
}

// lookupError is a pointer that stops at node at (nil when a $ref in the
// way led nowhere), which lacks tok.
type lookupError struct {
	msg string
	at  *syntax.Node
	tok string
}

func (e *lookupError) Error() string { return e.msg }
