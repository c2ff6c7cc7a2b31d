package workspace

import (
	"sort"
	"sync"
)

// Graph records which files each document (or referenced file) references,
// and the reverse: who depends on a file. Nodes are paths. It is safe for
// concurrent use.
type Graph struct {
	mu    sync.Mutex
	deps  map[string]map[string]struct{}
	rdeps map[string]map[string]struct{}
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{deps: map[string]map[string]struct{}{}, rdeps: map[string]map[string]struct{}{}}
}

// Set replaces the files from references (its direct edges).
func (g *Graph) Set(from string, to []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.removeLocked(from)
	if len(to) == 0 {
		return
	}
	set := make(map[string]struct{}, len(to))
	for _, t := range to {
		set[t] = struct{}{}
		r := g.rdeps[t]
		if r == nil {
			r = map[string]struct{}{}
			g.rdeps[t] = r
		}
		r[from] = struct{}{}
	}
	g.deps[from] = set
}

// Remove forgets from's edges (the document was closed or deleted).
func (g *Graph) Remove(from string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.removeLocked(from)
}

func (g *Graph) removeLocked(from string) {
	for t := range g.deps[from] {
		r := g.rdeps[t]
		delete(r, from)
		if len(r) == 0 {
			delete(g.rdeps, t)
		}
	}
	delete(g.deps, from)
}

// Deps returns the files from references directly, sorted.
func (g *Graph) Deps(from string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return sortedKeys(g.deps[from])
}

// Dependents returns who references path directly, sorted.
func (g *Graph) Dependents(path string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return sortedKeys(g.rdeps[path])
}

// Affected returns everything that depends on any of paths directly or
// through other files (cycles included once), sorted. A path is in the
// result only if something on a cycle leads back to it.
func (g *Graph) Affected(paths ...string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	seen := map[string]struct{}{}
	work := append([]string(nil), paths...)
	for len(work) > 0 {
		p := work[len(work)-1]
		work = work[:len(work)-1]
		for d := range g.rdeps[p] {
			if _, ok := seen[d]; !ok {
				seen[d] = struct{}{}
				work = append(work, d)
			}
		}
	}
	return sortedKeys(seen)
}

// Len returns how many nodes have outgoing edges.
func (g *Graph) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.deps)
}

func sortedKeys(m map[string]struct{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
