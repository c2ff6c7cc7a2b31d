package schema

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var printer = message.NewPrinter(language.English)

// explainer turns one validation unit's error tree into Problems.
type explainer struct {
	v     *Validator
	base  []string // path of the unit's value in the document
	value any      // the unit's value
	out   []Problem
}

func (e *explainer) path(loc []string) []string {
	p := make([]string, 0, len(e.base)+len(loc))
	return append(append(p, e.base...), loc...)
}

// at returns the value at loc inside the unit's value.
func (e *explainer) at(loc []string) any {
	return lookup(e.value, loc)
}

func lookup(x any, loc []string) any {
	for _, t := range loc {
		switch c := x.(type) {
		case map[string]any:
			x = c[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			x = c[i]
		default:
			return nil
		}
	}
	return x
}

func (e *explainer) emit(p Problem) { e.out = append(e.out, p) }

func (e *explainer) collect(err *jsonschema.ValidationError) {
	loc := err.InstanceLocation
	switch k := err.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.AllOf, *kind.Reference:
		for _, c := range err.Causes {
			e.collect(c)
		}
	case *kind.OneOf:
		if len(k.Subschemas) > 0 {
			// More than one alternative matches. In the AsyncAPI schemas
			// this only happens through their own overlaps (a 2.x
			// parameter may hold a $ref, so {$ref} is both a Reference
			// and a Parameter), never through a mistake a user can fix:
			// the value is valid.
			return
		}
		e.branch(err, true)
	case *kind.AnyOf:
		e.branch(err, false)
	case *kind.AdditionalProperties:
		s := e.v.byLoc[err.SchemaURL]
		props := append([]string(nil), k.Properties...)
		sort.Strings(props)
		for _, p := range props {
			e.emit(unknownProblem(e.path(append(loc[:len(loc):len(loc)], p)), s))
		}
	case *kind.Required:
		e.emit(requiredProblem(e.path(loc), k.Missing, objectName(err.SchemaURL)))
	case *kind.Type:
		e.emit(typeProblem(e.path(loc), e.at(loc), k.Want))
	case *kind.Enum:
		e.emit(enumProblem(e.path(loc), k.Got, k.Want))
	case *kind.Const:
		e.emit(enumProblem(e.path(loc), k.Got, []any{k.Want}))
	case *kind.Format:
		e.emit(Problem{Path: e.path(loc), Code: CodeFormat,
			Message: fmt.Sprintf("%s: %s is not a valid %s", label(e.path(loc)), display(k.Got), k.Want)})
	case *kind.FalseSchema:
		e.emit(Problem{Path: e.path(loc), Code: CodeValue, Message: label(e.path(loc)) + " is not allowed here"})
	default:
		e.emit(Problem{Path: e.path(loc), Code: CodeValue, Message: label(e.path(loc)) + ": " + err.ErrorKind.LocalizedString(printer)})
	}
}

// branch collapses a failed oneOf/anyOf into the one alternative the user
// most likely meant, and explains only that one.
func (e *explainer) branch(err *jsonschema.ValidationError, oneOf bool) {
	loc := err.InstanceLocation
	x := e.at(loc)
	var branches []*jsonschema.Schema
	if s := e.v.byLoc[err.SchemaURL]; s != nil {
		branches = s.AnyOf
		if oneOf {
			branches = s.OneOf
		}
	}
	// Pair each failed branch with its error: the error of a $ref branch is
	// at the branch's own location, others are inside it.
	type cand struct {
		i     int
		s     *jsonschema.Schema
		cause *jsonschema.ValidationError
		score int
		depth int
		leafs int
	}
	var cands []*cand
	for _, c := range err.Causes {
		idx := -1
		for i, b := range branches {
			if c.SchemaURL == b.Location || strings.HasPrefix(c.SchemaURL, b.Location+"/") {
				idx = i
				break
			}
		}
		cd := &cand{i: idx, cause: c}
		if idx >= 0 {
			cd.s = branches[idx]
		}
		cd.depth, cd.leafs = shape(c)
		cands = append(cands, cd)
	}
	if len(cands) == 0 {
		e.emit(Problem{Path: e.path(loc), Code: CodeValue, Message: label(e.path(loc)) + " does not match any of the alternatives the specification allows here"})
		return
	}
	pick := func(c *cand) { e.collect(c.cause) }
	if len(cands) == 1 {
		pick(cands[0])
		return
	}

	// 1. The JSON type: drop branches that cannot take this kind of value.
	xt := jsonType(x)
	var typed []*cand
	var want []string
	anyType := false
	for _, c := range cands {
		ts := possibleTypes(c.s, 0)
		if ts == nil {
			anyType = true
			typed = append(typed, c)
			continue
		}
		want = append(want, ts...)
		if typeIn(x, xt, ts) {
			typed = append(typed, c)
		}
	}
	if len(typed) == 0 {
		if !anyType {
			e.emit(typeProblem(e.path(loc), x, uniq(want)))
			return
		}
		typed = cands
	}
	cands = typed

	// 2. References: a mapping with $ref means the Reference alternative,
	// and a mapping without one never does.
	obj, isObj := x.(map[string]any)
	_, hasRef := obj["$ref"]
	var refs, others []*cand
	for _, c := range cands {
		if c.s != nil && requires(c.s, "$ref") {
			refs = append(refs, c)
		} else {
			others = append(others, c)
		}
	}
	if isObj && hasRef && len(refs) > 0 {
		pick(refs[0])
		return
	}
	if len(others) > 0 {
		cands = others
	}
	if len(cands) == 1 {
		pick(cands[0])
		return
	}

	// 3. Discriminators: a required property with fixed values (a scheme's
	// `type`) that every alternative has. A value none of them allows is
	// the one mistake; a missing one too.
	common := ""
	if isObj {
		if p, vals, ok := commonDiscriminator(cands, func(c *cand) *jsonschema.Schema { return c.s }); ok {
			common = p
			got, present := obj[p]
			if !present {
				e.emit(Problem{Path: e.path(loc), Where: WhereParentKey, Code: CodeRequired,
					Message: fmt.Sprintf("%s is missing the required field `%s` (%s)", label(e.path(loc)), p, listValues(vals))})
				return
			}
			if !containsValue(vals, got) {
				e.emit(enumProblem(e.path(append(loc[:len(loc):len(loc)], p)), got, vals))
				return
			}
		}
	}

	// 4. Score: matching discriminators, declared keys, then how deep the
	// alternative's errors are (it got further) and how few they are.
	for _, c := range cands {
		if c.s == nil {
			c.score = -1000
			continue
		}
		if isObj {
			for p, d := range discriminators(c.s, 0) {
				if got, ok := obj[p]; ok {
					w := 10
					switch {
					case p == common:
						w = 1000
					case d.required:
						w = 100
					}
					if containsValue(d.values, got) {
						c.score += w
					} else {
						c.score -= w
					}
				}
			}
			for k := range obj {
				switch declares(c.s, k, 0) {
				case 1:
					c.score += 3
				case -1:
					c.score -= 2
				}
			}
		}
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if c.score > best.score || c.score == best.score && (c.depth > best.depth || c.depth == best.depth && c.leafs < best.leafs) {
			best = c
		}
	}
	pick(best)
}

// shape returns the deepest instance location and the number of leaf
// errors of an error tree.
func shape(err *jsonschema.ValidationError) (depth, leafs int) {
	if len(err.Causes) == 0 {
		return len(err.InstanceLocation), 1
	}
	for _, c := range err.Causes {
		d, l := shape(c)
		depth = max(depth, d)
		leafs += l
	}
	return depth, leafs
}

// resolve follows $refs without sibling assertions.
func resolve(s *jsonschema.Schema) *jsonschema.Schema {
	for i := 0; s != nil && s.Ref != nil && i < 32; i++ {
		if s.Types != nil || s.Const != nil || s.Enum != nil {
			return s
		}
		s = s.Ref
	}
	return s
}

func possibleTypes(s *jsonschema.Schema, depth int) []string {
	s = resolve(s)
	if s == nil || depth > 8 {
		return nil
	}
	if s.Types != nil {
		return s.Types.ToStrings()
	}
	alts := s.OneOf
	if len(alts) == 0 {
		alts = s.AnyOf
	}
	if len(alts) > 0 {
		var out []string
		for _, a := range alts {
			t := possibleTypes(a, depth+1)
			if t == nil {
				return nil
			}
			out = append(out, t...)
		}
		return uniq(out)
	}
	for _, a := range s.AllOf {
		if t := possibleTypes(a, depth+1); t != nil {
			return t
		}
	}
	return nil
}

func requires(s *jsonschema.Schema, name string) bool {
	s = resolve(s)
	if s == nil {
		return false
	}
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

type discriminator struct {
	values   []any
	required bool
}

// discriminators lists the properties of s with fixed values (const or
// enum), looking through $refs, allOf and nested alternatives (whose
// values are merged).
func discriminators(s *jsonschema.Schema, depth int) map[string]discriminator {
	s = resolve(s)
	out := map[string]discriminator{}
	if s == nil || depth > 8 {
		return out
	}
	for p, ps := range s.Properties {
		if vals := fixedValues(ps); vals != nil {
			out[p] = discriminator{values: vals, required: requires(s, p)}
		}
	}
	for _, a := range s.AllOf {
		for p, d := range discriminators(a, depth+1) {
			if _, ok := out[p]; !ok {
				out[p] = d
			}
		}
	}
	alts := s.OneOf
	if len(alts) == 0 {
		alts = s.AnyOf
	}
	if len(alts) > 0 {
		var merged map[string]discriminator
		for i, a := range alts {
			d := discriminators(a, depth+1)
			if i == 0 {
				merged = d
				continue
			}
			for p, m := range merged {
				if o, ok := d[p]; ok {
					merged[p] = discriminator{values: append(append([]any(nil), m.values...), o.values...), required: m.required && o.required}
				} else {
					delete(merged, p)
				}
			}
		}
		for p, d := range merged {
			if _, ok := out[p]; !ok {
				out[p] = d
			}
		}
	}
	return out
}

func fixedValues(s *jsonschema.Schema) []any {
	s = resolve(s)
	if s == nil {
		return nil
	}
	if s.Const != nil {
		return []any{*s.Const}
	}
	if s.Enum != nil {
		return s.Enum.Values
	}
	return nil
}

// commonDiscriminator finds a property that every candidate requires with
// fixed values (prefers `type`).
func commonDiscriminator[T any](cands []T, sch func(T) *jsonschema.Schema) (string, []any, bool) {
	var common map[string][]any
	for i, c := range cands {
		s := sch(c)
		if s == nil {
			return "", nil, false
		}
		d := discriminators(s, 0)
		if i == 0 {
			common = map[string][]any{}
			for p, v := range d {
				if v.required {
					common[p] = append([]any(nil), v.values...)
				}
			}
			continue
		}
		for p := range common {
			if v, ok := d[p]; ok && v.required {
				common[p] = append(common[p], v.values...)
			} else {
				delete(common, p)
			}
		}
	}
	if len(common) == 0 {
		return "", nil, false
	}
	if v, ok := common["type"]; ok {
		return "type", uniqValues(v), true
	}
	keys := make([]string, 0, len(common))
	for p := range common {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	return keys[0], uniqValues(common[keys[0]]), true
}

// declares: 1 when s names key k (properties or a pattern), -1 when s
// forbids it, 0 when it does not care.
func declares(s *jsonschema.Schema, k string, depth int) int {
	s = resolve(s)
	if s == nil || depth > 8 {
		return 0
	}
	if _, ok := s.Properties[k]; ok {
		return 1
	}
	for re := range s.PatternProperties {
		if re.MatchString(k) && !strings.HasPrefix(k, "x-") {
			return 1
		}
	}
	res := 0
	for _, group := range [][]*jsonschema.Schema{s.AllOf, s.OneOf, s.AnyOf} {
		for _, a := range group {
			switch declares(a, k, depth+1) {
			case 1:
				return 1
			case -1:
				res = -1
			}
		}
	}
	if b, ok := s.AdditionalProperties.(bool); ok && !b {
		return -1
	}
	return res
}

// jsonType names the JSON type of a decoded value.
func jsonType(x any) string {
	switch v := x.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "integer"
	}
	return "unknown"
}

func typeIn(x any, xt string, ts []string) bool {
	for _, t := range ts {
		if t == xt || t == "number" && xt == "integer" {
			return true
		}
	}
	return false
}

func uniq(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func uniqValues(vs []any) []any {
	var out []any
	seen := map[string]bool{}
	for _, v := range vs {
		k := fmt.Sprintf("%T:%v", v, v)
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

func containsValue(vals []any, got any) bool {
	for _, v := range vals {
		if equalValue(v, got) {
			return true
		}
	}
	return false
}

func equalValue(a, b any) bool {
	if ra, ok := number(a); ok {
		rb, ok := number(b)
		return ok && ra.Cmp(rb) == 0
	}
	switch a.(type) {
	case map[string]any, []any:
		return false
	}
	switch b.(type) {
	case map[string]any, []any:
		return false
	}
	return a == b
}

func number(x any) (*big.Rat, bool) {
	switch x.(type) {
	case float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		r, ok := new(big.Rat).SetString(fmt.Sprint(x))
		return r, ok
	}
	return nil, false
}
