package features

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Link is a clickable range: an http(s) URL written in a value, or a $ref
// to another document. Local $refs get no link: go-to-definition jumps to
// their target, and a link into the same document has no portable form
// (a "#L12" fragment is a VS Code convention other editors do not follow).
type Link struct {
	Range syntax.Range
	// Target is an absolute http(s) URL, or for a $ref the document part
	// of the reference as written (relative to the document; the caller
	// resolves it), without the JSON pointer fragment.
	Target string
	Ref    bool
	// Tooltip says what the link opens.
	Tooltip string
}

var urlRe = regexp.MustCompile("https?://[^\\s<>\"'`|\\\\^\\[\\]]+")

// DocumentLinks returns the links of d in document order.
func DocumentLinks(d *analysis.Document) []Link {
	if d == nil || d.Root == nil || !d.IsAsyncAPI {
		return nil
	}
	var out []Link
	refValues := map[*syntax.Node]bool{}
	for _, r := range d.Refs {
		refValues[r.Value] = true
		if r.Local {
			continue
		}
		doc, frag, _ := strings.Cut(r.Target, "#")
		if doc == "" {
			continue
		}
		tip := "Open " + doc
		if frag != "" {
			tip += " (then " + "#" + frag + ")"
		}
		out = append(out, Link{Range: d.R(r.Value), Target: doc, Ref: true, Tooltip: tip})
	}
	var walk func(n *syntax.Node, depth int)
	walk = func(n *syntax.Node, depth int) {
		if n == nil || n.Kind == syntax.AliasNode || depth > 10000 {
			return
		}
		switch n.Kind {
		case syntax.MappingNode:
			for i := 1; i < len(n.Content); i += 2 {
				walk(n.Content[i], depth+1)
			}
		case syntax.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		case syntax.ScalarNode:
			if refValues[n] || !strings.Contains(n.Value, "http") {
				return
			}
			start, ok := scalarTextStart(d, n)
			if !ok {
				return // escapes or several lines: offsets of the text are not the value's
			}
			for _, m := range urlRe.FindAllStringIndex(n.Value, -1) {
				u := strings.TrimRight(n.Value[m[0]:m[1]], ".,;:!?)")
				if p, err := url.Parse(u); err != nil || p.Host == "" || strings.ContainsAny(u, "{}") {
					continue // a template ({tenant}): no single target
				}
				out = append(out, Link{Range: syntax.Range{Start: start + m[0], End: start + m[0] + len(u)}, Target: u, Tooltip: "Open " + u})
			}
		}
	}
	walk(d.Root, 0)
	sortLinks(out)
	return out
}

func sortLinks(l []Link) {
	for i := 1; i < len(l); i++ {
		for j := i; j > 0 && l[j].Range.Start < l[j-1].Range.Start; j-- {
			l[j], l[j-1] = l[j-1], l[j]
		}
	}
}
