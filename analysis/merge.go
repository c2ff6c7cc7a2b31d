package analysis

import (
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// YAML merge keys (<<) are expanded, as the JavaScript tooling does: what a
// merge brings into a mapping is used like a key written there. Findings
// about what a merge brought in are reported at the alias (or the mapping)
// that the merge names, where the author used it, with the place it comes
// from as related information.

// isMergeKey reports whether k is a YAML merge key.
func isMergeKey(k *syntax.Node) bool {
	return k != nil && k.Kind == syntax.ScalarNode && k.Tag() == "!!merge"
}

// mergeSources returns the value nodes a merge key's value names: the
// alias (or inline mapping) itself, or each item of a list of them.
func mergeSources(v *syntax.Node) []*syntax.Node {
	if v == nil {
		return nil
	}
	if v.Kind == syntax.SequenceNode {
		return v.Content
	}
	return []*syntax.Node{v}
}

// pairVia is Node.Pair that also says through which merge source the key
// came: nil when it is written in n itself.
func pairVia(n *syntax.Node, key string) (k, v, via *syntax.Node) {
	m := n.Resolve()
	if m == nil || m.Kind != syntax.MappingNode {
		return nil, nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if c := m.Content[i]; c.Kind == syntax.ScalarNode && c.Value == key && !isMergeKey(c) {
			return c, m.Content[i+1], nil
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			continue
		}
		for _, src := range mergeSources(m.Content[i+1]) {
			if k, v := src.Pair(key); k != nil {
				return k, v, src
			}
		}
	}
	return nil, nil, nil
}

// pairsMerged calls f for each entry of a mapping of named things
// (servers, channels, schemes, traits): the keys written there, then those
// its merge keys bring in that it does not write itself, in order.
func pairsMerged(n *syntax.Node, f func(k, v *syntax.Node)) {
	m := n.Resolve()
	if m == nil || m.Kind != syntax.MappingNode {
		return
	}
	// The keys the merge keys bring in (few, as a rule): only those can
	// be written too, so only those are remembered among the written.
	var brought map[string]bool
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			continue
		}
		if brought == nil {
			brought = map[string]bool{}
		}
		for _, src := range mergeSources(m.Content[i+1]) {
			src.Pairs(func(k, _ *syntax.Node) { brought[k.Value] = true })
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if isMergeKey(m.Content[i]) {
			continue
		}
		if brought[m.Content[i].Value] {
			seen[m.Content[i].Value] = true
		}
		f(m.Content[i], m.Content[i+1])
	}
	if brought == nil {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			continue
		}
		for _, src := range mergeSources(m.Content[i+1]) {
			src.Pairs(func(k, v *syntax.Node) {
				if !seen[k.Value] && !isMergeKey(k) {
					seen[k.Value] = true
					f(k, v)
				}
			})
		}
	}
}

// relocateSince moves the diagnostics appended since index from onto via
// when they lie outside it: they are about what a merge key or an alias
// brought in from elsewhere.
// Diagnostics inside keep (what the author wrote in place) stay.
func (d *Document) relocateSince(from int, via *syntax.Node, keep ...*syntax.Node) {
	if via == nil {
		return
	}
	at := d.R(via)
	for i := from; i < len(d.Diagnostics); i++ {
		dg := &d.Diagnostics[i]
		if at.Contains(dg.Range.Start) || slices.ContainsFunc(keep, func(n *syntax.Node) bool { return n != nil && d.R(n).Contains(dg.Range.Start) }) {
			continue
		}
		rel := syntax.Related{Range: dg.Range, Message: "the reported part, brought in from here by the YAML alias or merge key"}
		dg.Related = append([]syntax.Related{rel}, dg.Related...)
		dg.Range = at
	}
}

// viaOf returns where a value came from when it is not written in place:
// the merge source it came through, or the alias it is.
func viaOf(mergedFrom, v *syntax.Node) *syntax.Node {
	if mergedFrom != nil {
		return mergedFrom
	}
	if v != nil && v.Kind == syntax.AliasNode {
		return v
	}
	return nil
}

// schemeVia is the merge source of a scheme mapping written with merge
// keys (its fields may come from there), or nil.
func schemeVia(n *syntax.Node) *syntax.Node {
	m := n.Resolve()
	if m == nil || m.Kind != syntax.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if isMergeKey(m.Content[i]) {
			if src := mergeSources(m.Content[i+1]); len(src) > 0 {
				return src[0]
			}
		}
	}
	return nil
}
