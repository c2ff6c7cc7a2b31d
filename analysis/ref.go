package analysis

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Ref is one $ref found in a document.
type Ref struct {
	Holder *Node  // the mapping that contains the $ref key
	Value  *Node  // the $ref value scalar: diagnostics point here
	Target string // the reference as written
	Local  bool   // "#..." (resolvable in this document)
	// Resolved is the node the reference finally points to after following
	// chains of references; nil when unresolved, external or circular.
	Resolved *Node
	Err      string // why it did not resolve (local refs only)
	claimed  bool   // a specific check reported it; ref-unresolved stays quiet
}

// collectRefs finds every {$ref: string} mapping in the tree.
func collectRefs(root *Node) []*Ref {
	var refs []*Ref
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n == nil || n.Kind == AliasNode || depth > 10000 {
			return
		}
		if n.Kind == MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "$ref" && k.Kind == ScalarNode && v.Kind == ScalarNode && v.tag == tagStr {
					refs = append(refs, &Ref{Holder: n, Value: v, Target: v.Value, Local: strings.HasPrefix(v.Value, "#")})
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return refs
}

// resolvePointer follows a JSON pointer written as a URI fragment ("#/a/b",
// percent-encoded, with ~0 and ~1 escapes) from root.
func resolvePointer(root *Node, ref string) (*Node, error) {
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
			return nil, fmt.Errorf("%s does not exist", walked)
		case n.Kind == MappingNode:
			k, next := n.Pair(tok)
			if k == nil {
				return nil, missingKeyError(n, walked, tok, frag)
			}
			n = next
		case n.Kind == SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil, fmt.Errorf("%s has no item %q", walked, tok)
			}
			n = n.Content[i]
		default:
			return nil, fmt.Errorf("%s is a scalar and has no %q", walked, tok)
		}
		walked += "/" + escapePointerToken(tok)
	}
	if n == nil {
		return nil, fmt.Errorf("%s is empty", walked)
	}
	return n.Resolve(), nil
}

func escapePointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// pointerTo builds "#/a/b" from path tokens.
func pointerTo(tokens ...string) string {
	var b strings.Builder
	b.WriteString("#")
	for _, t := range tokens {
		b.WriteString("/")
		b.WriteString(escapePointerToken(t))
	}
	return b.String()
}

// resolveRefs resolves every local ref, following chains of references and
// detecting cycles.
func resolveRefs(root *Node, refs []*Ref) {
	byHolder := make(map[*Node]*Ref, len(refs))
	for _, r := range refs {
		byHolder[r.Holder] = r
	}
	for _, r := range refs {
		if !r.Local {
			continue
		}
		seen := map[*Node]bool{r.Holder: true}
		cur := r
		for {
			t, err := resolvePointer(root, cur.Target)
			if err != nil {
				if cur == r {
					r.Err = err.Error()
				} else {
					r.Err = fmt.Sprintf("it leads to %s, and %s", cur.Target, err)
				}
				break
			}
			next, isRef := byHolder[t]
			if !isRef || !next.Local {
				r.Resolved = t
				break
			}
			if seen[t] {
				r.Err = "the chain of $refs is circular (" + r.Target + " leads back to itself)"
				break
			}
			seen[t] = true
			cur = next
		}
	}
}

// missingKeyError explains a missing key, and catches the common mistake of
// a key that contains "/" written unescaped in the pointer (RFC 6901 wants
// ~1).
func missingKeyError(n *Node, walked, tok, frag string) error {
	prefix := strings.TrimPrefix(walked, "#") + "/"
	rest := strings.TrimPrefix(frag, prefix)
	var hit string
	n.Pairs(func(k, _ *Node) {
		if hit == "" && strings.Contains(k.Value, "/") && strings.HasPrefix(rest, k.Value) {
			hit = k.Value
		}
	})
	if hit != "" {
		return fmt.Errorf("%s has no key %q; the key %q contains '/', which a JSON pointer must write as ~1: #%s%s", walked, tok, hit, prefix, escapePointerToken(hit)+strings.TrimPrefix(rest, hit))
	}
	return fmt.Errorf("%s has no key %q", walked, tok)
}
