package schema

import (
	"sort"
	"strconv"
)

// Kind is the JSON kind of a Value.
type Kind uint8

// Value kinds.
const (
	Scalar Kind = iota // string, number, boolean or null
	Object
	Array
)

// Value is a read-only view of one node of a decoded document. The walker
// reads the document through it, so a caller with its own tree (the
// analysis package's syntax tree) validates it without converting it
// whole: only the small sub-values handed to the JSON-schema validator are
// materialised (Plain).
type Value interface {
	Kind() Kind
	// Len is the number of pairs of an Object or items of an Array.
	Len() int
	// Get returns the value of key in an Object (the last pair wins, as in
	// JSON and in Plain).
	Get(key string) (Value, bool)
	// Index returns item i of an Array.
	Index(i int) Value
	// Each calls f for every pair of an Object, in document order.
	Each(f func(key string, v Value))
	// Scalar returns a Scalar's value: string, float64, int, bool or nil.
	Scalar() any
	// Plain returns the value as map[string]any, []any and scalars.
	Plain() any
}

// A Value that also has a method Opaque() bool returning true is accepted
// without a look (a YAML alias, validated where its anchor is).

// Of views a plain decoded value (map[string]any, []any, string, float64,
// int, bool, nil) as a Value.
func Of(x any) Value { return goValue{x} }

type goValue struct{ x any }

func (g goValue) Kind() Kind {
	switch g.x.(type) {
	case map[string]any:
		return Object
	case []any:
		return Array
	}
	return Scalar
}

func (g goValue) Len() int {
	switch x := g.x.(type) {
	case map[string]any:
		return len(x)
	case []any:
		return len(x)
	}
	return 0
}

func (g goValue) Get(key string) (Value, bool) {
	m, ok := g.x.(map[string]any)
	if !ok {
		return nil, false
	}
	v, ok := m[key]
	return goValue{v}, ok
}

func (g goValue) Index(i int) Value {
	l, _ := g.x.([]any)
	if i < 0 || i >= len(l) {
		return goValue{nil}
	}
	return goValue{l[i]}
}

// Each visits a map's keys in sorted order (maps have no document order).
func (g goValue) Each(f func(string, Value)) {
	m, ok := g.x.(map[string]any)
	if !ok {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f(k, goValue{m[k]})
	}
}

func (g goValue) Scalar() any {
	switch g.x.(type) {
	case map[string]any, []any:
		return nil
	}
	return g.x
}

func (g goValue) Plain() any { return g.x }

// valueAt walks path from v; nil when it leads nowhere.
func valueAt(v Value, path []string) Value {
	for _, t := range path {
		if v == nil {
			return nil
		}
		switch v.Kind() {
		case Object:
			c, ok := v.Get(t)
			if !ok {
				return nil
			}
			v = c
		case Array:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= v.Len() {
				return nil
			}
			v = v.Index(i)
		default:
			return nil
		}
	}
	return v
}

// scalarOf returns the plain value of a scalar, and a stand-in that has
// the right JSON type for objects and arrays (enough for type and enum
// tests).
func scalarOf(v Value) any {
	switch v.Kind() {
	case Object:
		return map[string]any(nil)
	case Array:
		return []any(nil)
	}
	return v.Scalar()
}

// isRefValue: a {$ref: string} mapping (see isRef).
func isRefValue(v Value) bool {
	if v == nil || v.Kind() != Object {
		return false
	}
	r, ok := v.Get("$ref")
	if !ok || r.Kind() != Scalar {
		return false
	}
	_, ok = r.Scalar().(string)
	return ok
}
