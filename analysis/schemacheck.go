package analysis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/schema"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Schema diagnostic codes: the official JSON Schema of the document's
// version, reported by package schema (see its documentation for how the
// validator's errors become one diagnostic per mistake).
const (
	CodeSchemaUnknownProperty = schema.CodeUnknownProperty
	CodeSchemaRequired        = schema.CodeRequired
	CodeSchemaType            = schema.CodeType
	CodeSchemaEnum            = schema.CodeEnum
	CodeSchemaFormat          = schema.CodeFormat
	CodeSchemaValue           = schema.CodeValue
)

// isSchemaCode reports the codes validateSchema makes.
func isSchemaCode(code string) bool { return strings.HasPrefix(code, "schema-") }

// schemaValidation is false only in benchmarks that measure the analysis
// without it, side by side.
var schemaValidation = true

// schemaUpdate is what Update tells validateSchema: the previous result
// and the paths of the entries the edit replaced.
type schemaUpdate struct {
	prev    *schema.Result
	changed [][]string
	// doc is the previous version when it read other files, and region
	// the edited entry in its text: a $ref outside the region that reads
	// another file's node now (refIntoFile) than it read then, or none,
	// is validated again (its content changed without an edit there);
	// see intoChanged.
	doc    *Document
	region [2]int
	// pending is set when prev is the result of an earlier version than
	// the previous one (which had a syntax error and was not validated,
	// see Document.schemaPending): changed holds the entries every
	// version since then replaced. version is that earlier version's.
	pending bool
	version Version
}

// maxPendingPaths bounds the entries a run of versions with syntax errors
// may replace before the next valid one is validated whole.
const maxPendingPaths = 256

// schemaChanges returns the paths a region update replaced: the old entry
// of the last level and the new pairs, under the keys of the levels above
// (and the mapping that holds them when the old entry is a $ref).
func schemaChanges(prev *Document, levels []syntax.Level, pairs []*syntax.Node) *schemaUpdate {
	base, since, pending, version := prev.schemaRes, [][]string(nil), false, prev.Version
	if base == nil && prev.schemaPending != nil && prev.ext == nil {
		p := prev.schemaPending
		base, since, pending, version = p.prev, p.changed, true, p.version
	}
	if base == nil || len(levels) == 0 || len(since) > maxPendingPaths {
		return nil
	}
	var path []string
	for _, l := range levels[:len(levels)-1] {
		path = append(path, l.Map.Content[2*l.Index].Value)
	}
	last := levels[len(levels)-1]
	at := func(key string) []string { return append(path[:len(path):len(path)], key) }
	u := &schemaUpdate{prev: base, pending: pending, version: version,
		changed: append(since[:len(since):len(since)], at(last.Map.Content[2*last.Index].Value))}
	for i := 0; i+1 < len(pairs); i += 2 {
		u.changed = append(u.changed, at(pairs[i].Value))
	}
	if last.Map.Content[2*last.Index].Value == "$ref" {
		// The mapping may have stopped being a $ref, which is validated
		// not at all (schema.isRef): every entry of it is validated
		// again, those the $ref hid included. (One that becomes a $ref
		// is: its path is touched, and the walk stops there.)
		u.changed = append(u.changed, path[:len(path):len(path)])
	}
	if prev.ext != nil {
		for j, l := range levels {
			if prev.refIntoFile(l.Map) == nil {
				continue
			}
			if j < len(levels)-1 || !forgetFarRefs {
				return nil // the region is inside content validated as another file's
			}
			// The region is an entry of a $ref mapping that leads into
			// another file (its $ref edited, or typed beside): the
			// mapping is validated again whole, through its new target.
			u.changed = append(since[:len(since):len(since)], path)
		}
		u.doc, u.region = prev, [2]int{last.Start, last.End}
	}
	return u
}

// intoChanged returns the paths of d's $refs that validation reads
// another file's node for in place of what it read for u, or no longer.
// After a unit rebuild those are among the $refs it resolved again
// (reresolved: extInto); after a full model build every $ref is compared.
func (d *Document) intoChanged(u *schemaUpdate, reresolved [][]string) [][]string {
	if d.inc.modelReused {
		return reresolved
	}
	if d.ext == nil && u.doc == nil {
		return nil
	}
	into := map[*syntax.Node]*syntax.Node{}
	if p := u.doc; p != nil {
		for _, r := range p.Refs {
			if syntax.FileOf(r.Resolved) == 0 {
				continue // (refIntoFile reads only such a $ref)
			}
			if rg := p.shifts.R(r.Holder); rg.Start >= u.region[0] && rg.Start < u.region[1] {
				continue // in the region: validated again
			}
			if t := p.refIntoFile(r.Holder); t != nil {
				into[r.Holder] = t
			}
		}
	}
	var out [][]string
	seen := map[*syntax.Node]bool{}
	add := func(h *syntax.Node) {
		if !seen[h] {
			seen[h] = true
			out = append(out, d.holderTokens(h))
		}
	}
	for _, r := range d.Refs {
		if syntax.FileOf(r.Resolved) != 0 && d.refIntoFile(r.Holder) != into[r.Holder] {
			add(r.Holder)
		}
	}
	for h, t := range into {
		if d.refIntoFile(h) != t {
			add(h)
		}
	}
	return out
}

// validateSchema checks the document against the official JSON Schema of
// its version (the closest known one when the version is unknown) and
// adds a diagnostic for every problem no other check explains. After a
// region update only the replaced entries are validated again.
func (d *Document) validateSchema() {
	u, into := d.inc.schema, d.inc.intoPaths
	d.inc.schema, d.inc.intoPaths = nil, nil // the previous document must not stay reachable
	if !schemaValidation || d.Version.Major != 2 && d.Version.Major != 3 {
		return
	}
	if len(d.Tree.Diagnostics) > 0 {
		// A syntax error (or a duplicate key): the tree is partial or
		// ambiguous, and what looks missing or misplaced may be in the
		// text that did not parse. One mistake, one diagnostic: fix the
		// syntax first. The last result, and the entries replaced since,
		// are kept for the next version without one (typing a line goes
		// through such versions: validating the whole document when the
		// line is complete took 0.2 s at 5 MB).
		d.schemaRes = nil
		d.forgetValidationRefs()
		if u != nil && u.doc == nil && d.ext == nil {
			d.schemaPending = &schemaUpdate{prev: u.prev, changed: u.changed, pending: true, version: u.version}
		}
		return
	}
	if u != nil && u.pending && u.version != d.Version {
		u = nil // the result of another version's schema
	}
	if u != nil && u.doc != nil && !d.inc.modelReused {
		// The model was built whole, and with it what the document knows
		// of other files: the other files' $refs that only the validation
		// of kept entries met (under a $ref's target) are met again.
		u = nil
	}
	v, err := schema.For(fmt.Sprintf("%d.%d.0", d.Version.Major, d.Version.Minor))
	if err != nil {
		return // no schema for this version
	}
	d.validating = true
	defer func() { d.validating = false }()
	root := nodeValue{n: d.Root.Resolve(), d: d}
	if u != nil {
		d.schemaRes = v.RevalidateValue(u.prev, root, append(u.changed, d.intoChanged(u, into)...))
	} else {
		d.schemaRes = v.ValidateValue(root)
		d.inc.schemaWhole = true
	}
	var found []syntax.Diagnostic
	for _, p := range d.schemaRes.Problems() {
		if p.Owner != "" {
			continue // a security-*, ref-*, channel or version check reports it
		}
		r := d.schemaRange(p)
		if p.Code == schema.CodeType && r.Start == r.End {
			// `key:` with nothing after it yet: a value being typed, not
			// a null written on purpose (`~` and `null` are reported).
			continue
		}
		found = append(found, newDiag(p.Code, r, p.Message))
	}
	// Problems in content of other files, reached through $refs, go on
	// the $ref here (relocate).
	d.Diagnostics = append(d.Diagnostics, d.relocateDiagnostics(found)...)
}

// schemaRange finds the node a problem belongs on: the key of an unknown
// property, the value of a wrong one, the key of an object that lacks a
// required field (for a list item, its first key; for the root, the
// asyncapi key).
func (d *Document) schemaRange(p schema.Problem) syntax.Range {
	var key, val *syntax.Node = nil, d.Root.Resolve()
	followed := false
	for _, tok := range p.Path {
		n := val.Resolve()
		if n == nil {
			break
		}
		var k, v *syntax.Node
		switch n.Kind {
		case syntax.MappingNode:
			// hashed in large mappings: a problem in each of thousands of
			// operations would otherwise scan the operations once each
			k, v = d.keyIdx.pair(n, tok)
		case syntax.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				v = n.Content[i]
			}
		}
		if v == nil {
			break // not there (should not happen): the deepest node found
		}
		key, val, followed = k, v, false
		if t := d.refIntoFile(v); t != nil {
			// Validated as content of the $ref's target (nodeValue.child).
			val, followed = t, true
		}
	}
	if followed && p.Where == schema.WhereParentKey {
		key = nil // the object is in the other file: its first key there
	}
	switch p.Where {
	case schema.WhereKey:
		if key != nil {
			return d.R(key)
		}
	case schema.WhereParentKey:
		if key != nil {
			return d.R(key)
		}
		if len(p.Path) == 0 {
			if k, _ := d.Root.Pair("asyncapi"); k != nil {
				return d.R(k)
			}
		}
		if n := val.Resolve(); n != nil && n.Kind == syntax.MappingNode && len(n.Content) > 0 {
			return d.R(n.Content[0]) // a list item: its first key
		}
	}
	if val == nil {
		return syntax.Range{}
	}
	return d.R(val)
}

// nodeValue views a syntax tree node as a schema.Value, so that the
// document is validated without being converted whole. Keys follow the
// model's rules: the first of duplicate keys wins (Each visits both; the
// syntax layer reports the duplicate), merge keys (<<) add the pairs the
// mapping does not have.
type nodeValue struct {
	n *syntax.Node
	// alias: the node was reached through a YAML alias. It is validated
	// where its anchor is; following aliases while walking would let an
	// alias graph ("billion laughs") multiply the work.
	alias bool
	// d, when set, lets a $ref into another file stand for its target:
	// content in other files is validated where a $ref uses it, as if it
	// were written there (hops counts the files crossed, bounded against
	// cycles); relocate then moves the problems found there to the $ref.
	d    *Document
	hops uint8
}

// maxSchemaHops bounds the $refs into other files followed on one path.
const maxSchemaHops = 8

// Opaque tells the schema walker to accept the value unseen.
func (v nodeValue) Opaque() bool { return v.alias }

// child views the value node c of a mapping or sequence.
func (v nodeValue) child(c *syntax.Node) nodeValue {
	if c != nil && c.Kind == syntax.AliasNode {
		return nodeValue{n: c.Resolve(), alias: true}
	}
	if t := v.d.refIntoFile(c); t != nil {
		if v.hops >= maxSchemaHops {
			return nodeValue{n: t, alias: true}
		}
		return nodeValue{n: t, d: v.d, hops: v.hops + 1}
	}
	return nodeValue{n: c, d: v.d, hops: v.hops}
}

// refIntoFile returns the node in another file that the $ref held by n
// leads to, or nil: n holds no $ref, or it resolves in this document or
// not at all.
func (d *Document) refIntoFile(n *syntax.Node) *syntax.Node {
	if d == nil || d.ext == nil || n == nil || n.Kind != syntax.MappingNode {
		return nil
	}
	r := d.refAt(n) // (a rebuilt document's changed $refs are in its overlay)
	if r == nil || r.Resolved == nil || syntax.FileOf(r.Resolved) == 0 {
		return nil
	}
	if f := d.ext.files[syntax.FileOf(r.Resolved)]; f == nil || len(f.tree.Diagnostics) > 0 {
		// A partial tree (yaml-syntax is reported on the $ref): what
		// looks missing there may be in the text that did not parse.
		return nil
	}
	return r.Resolved.Resolve()
}

func (v nodeValue) Kind() schema.Kind {
	if v.n != nil {
		switch v.n.Kind {
		case syntax.MappingNode:
			return schema.Object
		case syntax.SequenceNode:
			return schema.Array
		}
	}
	return schema.Scalar
}

func (v nodeValue) Len() int {
	if v.n == nil {
		return 0
	}
	switch v.n.Kind {
	case syntax.MappingNode:
		n := 0
		v.Each(func(string, schema.Value) { n++ })
		return n
	case syntax.SequenceNode:
		return len(v.n.Content)
	}
	return 0
}

func (v nodeValue) Get(key string) (schema.Value, bool) {
	if v.n == nil || v.n.Kind != syntax.MappingNode {
		return nil, false
	}
	k, val := v.n.Pair(key)
	if k == nil {
		return nil, false
	}
	for i := 0; i < len(v.n.Content); i += 2 {
		if v.n.Content[i] == k {
			return v.child(val), true
		}
	}
	// merged in (`<<`): opaque, as Each gives it, so that a walk to a
	// changed path (an update) validates what a whole walk does
	return nodeValue{n: val.Resolve(), alias: true}, true
}

func (v nodeValue) Index(i int) schema.Value {
	if v.n == nil || v.n.Kind != syntax.SequenceNode || i < 0 || i >= len(v.n.Content) {
		return nodeValue{}
	}
	return v.child(v.n.Content[i])
}

func (v nodeValue) Each(f func(string, schema.Value)) {
	n := v.n
	if n == nil || n.Kind != syntax.MappingNode {
		return
	}
	merges := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Tag() == "!!merge" {
			merges = true
			continue
		}
		f(k.Value, v.child(n.Content[i+1]))
	}
	if merges {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Tag() != "!!merge" {
				seen[n.Content[i].Value] = true
			}
		}
		var add func(m *syntax.Node, depth int)
		add = func(m *syntax.Node, depth int) {
			m = m.Resolve()
			if m == nil || depth > 8 {
				return
			}
			if m.Kind == syntax.SequenceNode {
				for _, s := range m.Content {
					add(s, depth+1)
				}
				return
			}
			m.Pairs(func(k, val *syntax.Node) {
				if k.Tag() != "!!merge" && !seen[k.Value] {
					seen[k.Value] = true
					f(k.Value, nodeValue{n: val.Resolve(), alias: true})
				}
			})
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Tag() == "!!merge" {
				add(n.Content[i+1], 0)
			}
		}
	}
}

func (v nodeValue) Scalar() any {
	n := v.n
	if n == nil || n.Kind != syntax.ScalarNode {
		return nil
	}
	switch n.Tag() {
	case "!!null":
		return nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true")
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			return int(i)
		}
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f // .inf and .nan stay strings: JSON has neither
		}
	}
	return n.Value
}

// Plain materialises the value for the JSON-schema validator, following
// aliases within a budget of nodes (an alias graph can stand for an
// exponential tree); past the budget, values are null.
func (v nodeValue) Plain() any {
	budget := 100_000
	return plainValue(v.n, 0, &budget)
}

func plainValue(n *syntax.Node, depth int, budget *int) any {
	n = n.Resolve()
	if n == nil || depth > 1000 || *budget <= 0 {
		return nil
	}
	*budget--
	switch n.Kind {
	case syntax.MappingNode:
		m := map[string]any{}
		nodeValue{n: n}.Each(func(k string, v schema.Value) {
			if _, dup := m[k]; !dup { // the first of duplicate keys counts
				m[k] = plainValue(v.(nodeValue).n, depth+1, budget)
			}
		})
		return m
	case syntax.SequenceNode:
		l := make([]any, len(n.Content))
		for i, c := range n.Content {
			l[i] = plainValue(c, depth+1, budget)
		}
		return l
	}
	return nodeValue{n: n}.Scalar()
}
