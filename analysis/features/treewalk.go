package features

import (
	"sort"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// member is one step from a container down to a child: a mapping entry
// (its key and value) or a sequence item (name "-", no key).
type member struct {
	name       string
	key, value *syntax.Node
}

// memberChain descends d's tree from the root towards off, one member per
// level, while off is inside a member's key or value (the search is a
// binary one, keys and items being in source order); it stops in a key.
// Every tree lookup by offset of this package is a prefix of this chain.
func memberChain(d *analysis.Document, off int) []member {
	var chain []member
	n := d.Root
	for depth := 0; n != nil && depth < 10000; depth++ {
		switch n.Kind {
		case syntax.MappingNode:
			pairs := len(n.Content) / 2
			i := sort.Search(pairs, func(i int) bool { return d.R(n.Content[2*i]).Start > off }) - 1
			if i < 0 {
				return chain
			}
			k, v := n.Content[2*i], n.Content[2*i+1]
			switch {
			case d.R(k).Contains(off):
				return append(chain, member{k.Value, k, v})
			case d.R(v).Contains(off):
				chain = append(chain, member{k.Value, k, v})
				n = v
			default:
				return chain
			}
		case syntax.SequenceNode:
			i := sort.Search(len(n.Content), func(i int) bool { return d.R(n.Content[i]).Start > off }) - 1
			if i < 0 || !d.R(n.Content[i]).Contains(off) {
				return chain
			}
			chain = append(chain, member{"-", nil, n.Content[i]})
			n = n.Content[i]
		default:
			return chain
		}
	}
	return chain
}

func chainNames(chain []member) []string {
	names := make([]string, len(chain))
	for i, m := range chain {
		names[i] = m.name
	}
	return names
}
