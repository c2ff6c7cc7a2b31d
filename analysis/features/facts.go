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

// schemes returns the component schemes, each name once.
func (f facts) schemes() []*analysis.Scheme {
	var out []*analysis.Scheme
	seen := map[string]bool{}
	for _, d := range f.docs {
		for _, s := range d.Schemes {
			if !seen[s.Name] {
				seen[s.Name] = true
				out = append(out, s)
			}
		}
	}
	return out
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

func (f facts) rootServers() []*analysis.Server {
	var out []*analysis.Server
	seen := map[string]bool{}
	for _, d := range f.docs {
		for _, s := range d.RootServers() {
			if !seen[s.Name] {
				seen[s.Name] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func (f facts) servers() []*analysis.Server {
	var out []*analysis.Server
	seen := map[string]bool{}
	for _, d := range f.docs {
		for _, s := range d.Servers {
			if !seen[s.Pointer] {
				seen[s.Pointer] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func (f facts) channels() []*analysis.Channel {
	var out []*analysis.Channel
	seen := map[string]bool{}
	for _, d := range f.docs {
		for _, c := range d.Channels {
			if !seen[c.Name] {
				seen[c.Name] = true
				out = append(out, c)
			}
		}
	}
	return out
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
