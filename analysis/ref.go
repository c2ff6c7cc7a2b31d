package analysis

import (
	"fmt"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Ref is one $ref found in a document.
type Ref struct {
	Holder *syntax.Node // the mapping that contains the $ref key
	Value  *syntax.Node // the $ref value scalar: diagnostics point here
	Target string       // the reference as written
	Local  bool         // "#..." (resolvable in this document)
	// Resolved is the node the reference finally points to after following
	// chains of references; nil when unresolved, external or circular.
	Resolved *syntax.Node
	Err      string // why it did not resolve
	claimed  bool   // a specific check reported it; ref-unresolved stays quiet
	// code is the diagnostic of a $ref that leaves the document and does
	// not resolve ("" when it is not reported: a file $ref that cannot be
	// followed because the document has no location or no loader).
	code     string
	followed bool // a file $ref read (or refused) through the loader
	// missingIn is the other file in which the pointer found nothing (the
	// file itself was read), or 0.
	missingIn uint32
	// File is the absolute path of the other file the $ref finally
	// resolves into ("" when it resolves in this document, or not at all):
	// with Fragment, the cross-file index that navigation reads.
	File string
	// Fragment is the JSON pointer of the last $ref of the chain, in File.
	Fragment string
	// via are the targets of the other $refs its resolution went through:
	// its result depends on the nodes they name too.
	via []string
	// paths are the files its resolution named (read or not): the
	// document's Files are those of its $refs and of the other files'
	// $refs it met (a unit rebuild gathers them again).
	paths []string
}

// Followed reports whether the $ref names another file and that file was
// looked up (it may still have been refused or missing: see Err).
func (r *Ref) Followed() bool { return r.followed }

// isLocalRef: "#..." resolves in this document, and so does "" (an empty
// URI reference is the current document itself, RFC 3986 §4.4).
func isLocalRef(target string) bool {
	return target == "" || strings.HasPrefix(target, "#")
}

// collectRefs finds every {$ref: string} mapping in the tree.
func collectRefs(root *syntax.Node) []*Ref {
	var refs []*Ref
	var walk func(n *syntax.Node, depth int)
	walk = func(n *syntax.Node, depth int) {
		if n == nil || n.Kind == syntax.AliasNode || depth > 10000 {
			return
		}
		if n.Kind == syntax.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "$ref" && k.Kind == syntax.ScalarNode && v.Kind == syntax.ScalarNode && v.Tag() == "!!str" {
					refs = append(refs, &Ref{Holder: n, Value: v, Target: v.Value, Local: isLocalRef(v.Value)})
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

// ResolvePointer follows a JSON pointer written as a URI fragment ("#/a/b",
// percent-encoded, with ~0 and ~1 escapes) from root.
func ResolvePointer(root *syntax.Node, ref string) (*syntax.Node, error) {
	return resolvePointerIndexed(root, ref, nil)
}

func escapePointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// PointerTo builds "#/a/b" from path tokens.
func PointerTo(tokens ...string) string {
	var b strings.Builder
	b.WriteString("#")
	for _, t := range tokens {
		b.WriteString("/")
		b.WriteString(escapePointerToken(t))
	}
	return b.String()
}

// missingKeyError explains a missing key, and catches the common mistake of
// a key that contains "/" written unescaped in the pointer (RFC 6901 wants
// ~1).
func missingKeyError(n *syntax.Node, walked, tok, frag string) error {
	prefix := strings.TrimPrefix(walked, "#") + "/"
	rest := strings.TrimPrefix(frag, prefix)
	var hit string
	n.Pairs(func(k, _ *syntax.Node) {
		if hit == "" && strings.Contains(k.Value, "/") && strings.HasPrefix(rest, k.Value) {
			hit = k.Value
		}
	})
	if hit != "" {
		return fmt.Errorf("%s has no key %q; the key %q contains '/', which a JSON pointer must write as ~1: #%s%s", walked, tok, hit, prefix, escapePointerToken(hit)+strings.TrimPrefix(rest, hit))
	}
	return fmt.Errorf("%s has no key %q", walked, tok)
}
