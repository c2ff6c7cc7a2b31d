package analysis

import "github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"

// refHolderRegion widens a region re-parse whose entries include a $ref
// mapping's own entries to that mapping's entry. The region is then the
// $ref mapping whole, as a YAML edit of the same text often has it
// (`channel:` with its `$ref:` line below): a $ref key typed into or out
// of, its colon deleted or typed back, or a member typed beside it
// changes what the object is (a Reference or inline), and the model,
// which reads the mapping as one (its $ref, held by the mapping, is not
// among the region's), rebuilds the unit that holds it with the region's
// $refs made anew (rebuildUnits, spliceRefs).
//
// The cut is at the outermost mapping of levels that holds a $ref, or at
// the region's own mapping when the new pairs bring one (a key given back
// its name); an edit of the $ref's value alone (refValueEdit) keeps its
// region, which rebuildUnits replaces the $ref of in place. tree is the
// new tree, whose mappings along levels are path-copies at the same
// indexes. It returns levels and pairs unchanged when there is nothing
// to widen, or the root itself holds the $ref (a full build), and below:
// the levels cut off (their mappings are not in the new tree).
func refHolderRegion(tree *syntax.Node, levels []syntax.Level, pairs []*syntax.Node) (_ []syntax.Level, _ []*syntax.Node, below []syntax.Level) {
	last := len(levels) - 1
	valueEdit := refValueEdit(levels[last], pairs)
	cut := len(levels)
	for j, l := range levels {
		if hasRefKey(l.Map) && !(valueEdit && j == last) {
			cut = j
			break
		}
	}
	if cut == len(levels) && hasRefPair(pairs) && !valueEdit {
		cut = last
	}
	if cut == len(levels) || cut == 0 {
		return levels, pairs, nil
	}
	nm := tree
	for j := range cut - 1 {
		l := levels[j]
		if nm == nil || nm.Kind != syntax.MappingNode || len(nm.Content) != len(l.Map.Content) {
			return levels, pairs, nil
		}
		nm = nm.Content[2*l.Index+1]
	}
	p := levels[cut-1]
	if nm == nil || nm.Kind != syntax.MappingNode || len(nm.Content) != len(p.Map.Content) {
		return levels, pairs, nil
	}
	return levels[:cut], nm.Content[2*p.Index : 2*p.Index+2 : 2*p.Index+2], levels[cut:]
}
