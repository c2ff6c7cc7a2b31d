package features

import (
	"sort"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// facts are the models completion reads its proposals from (scheme names,
// scopes, servers, $ref targets): the current model, and while the text
// has a syntax error the last model without one first, since the partial
// model of a broken text may have lost any part of the document. Lists
// are the union by name; a lookup by name prefers the good model.
type facts struct {
	docs []*analysis.Document // the last good model first, when there is one
}

func factsOf(d *analysis.Document) facts {
	if g := d.LastGood(); g != nil && d.SyntaxBroken() {
		return facts{docs: []*analysis.Document{g, d}}
	}
	return facts{docs: []*analysis.Document{d}}
}

// union lists the items of every model, each key once, the first
// model's first.
func union[T any](f facts, list func(*analysis.Document) []T, key func(T) string) []T {
	var out []T
	seen := map[string]bool{}
	for _, d := range f.docs {
		for _, it := range list(d) {
			if k := key(it); !seen[k] {
				seen[k] = true
				out = append(out, it)
			}
		}
	}
	return out
}

// schemes returns the component schemes, each name once.
func (f facts) schemes() []*analysis.Scheme {
	return union(f, func(d *analysis.Document) []*analysis.Scheme { return d.Schemes }, func(s *analysis.Scheme) string { return s.Name })
}

func (f facts) schemeByName(name string) *analysis.Scheme {
	for _, d := range f.docs {
		if s := d.SchemeByName(name); s != nil {
			return s
		}
	}
	return nil
}

// inlineSchemes returns the inline schemes whose pointer starts with
// prefix (a security list), from the first model that has any.
func (f facts) inlineSchemes(prefix string) []*analysis.Scheme {
	for _, d := range f.docs {
		var out []*analysis.Scheme
		for _, s := range d.Inline {
			if strings.HasPrefix(s.Pointer, prefix) {
				out = append(out, s)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

func serverPointer(s *analysis.Server) string { return s.Pointer }

func (f facts) rootServers() []*analysis.Server {
	return union(f, (*analysis.Document).RootServers, serverPointer)
}

func (f facts) servers() []*analysis.Server {
	return union(f, func(d *analysis.Document) []*analysis.Server { return d.Servers }, serverPointer)
}

func (f facts) channels() []*analysis.Channel {
	return union(f, func(d *analysis.Document) []*analysis.Channel { return d.Channels }, func(c *analysis.Channel) string { return c.Name })
}

// componentNames returns the sorted names of components.<kind>.
func (f facts) componentNames(kind string) []string {
	seen := map[string]bool{}
	var names []string
	for _, d := range f.docs {
		d.Root.Key("components").Key(kind).Pairs(func(k, _ *syntax.Node) {
			if !seen[k.Value] {
				seen[k.Value] = true
				names = append(names, k.Value)
			}
		})
	}
	sort.Strings(names)
	return names
}

// version is the AsyncAPI version of d, or of its last good model while
// the text is too broken to say (the root mapping does not parse).
func version(d *analysis.Document) analysis.Version {
	if d.Version.Raw == "" {
		if g := d.LastGood(); g != nil {
			return g.Version
		}
	}
	return d.Version
}
