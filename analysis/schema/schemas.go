package schema

import (
	"bytes"
	"embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Versions lists the AsyncAPI versions that have an official schema here.
var Versions = []string{"2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0"}

// Normalize maps a document's `asyncapi` value to the schema version that
// validates it: the patch number and any pre-release or build suffix are
// ignored ("2.6.0-rc1" → "2.6.0", "3.0.2" → "3.0.0"). ok is false when no
// official schema exists for that major.minor.
func Normalize(raw string) (version string, ok bool) {
	s := strings.TrimSpace(raw)
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return "", false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return "", false
		}
	}
	mm := strings.TrimLeft(parts[0], "0") + "." + strings.TrimLeft(parts[1], "0")
	for _, v := range Versions {
		vp := strings.Split(v, ".")
		if strings.TrimLeft(vp[0], "0")+"."+strings.TrimLeft(vp[1], "0") == mm {
			return v, true
		}
	}
	return "", false
}

// Raw returns the official bundled JSON schema of version (one of
// Versions): a new copy, which compile drops once the schema is compiled.
//
// The files are the module github.com/asyncapi/spec-json-schemas/v6's
// (official/, byte for byte: TestOfficialSchemasAreTheModules), embedded
// here rather than read through its Get: Get reads all 31 files of the
// module into a package map that lives as long as the process (3.4 MB of
// heap, of which this program compiles 9 files once), and every megabyte
// of fixed heap is room the collector no longer has above the live heap
// under the server's memory limit, which a keystroke in a 5 MB document
// fills with its new text (tools/lspbench/README.md, "Per-keystroke
// cost").
func Raw(version string) ([]byte, error) {
	if !slices.Contains(Versions, version) {
		return nil, fmt.Errorf("no AsyncAPI schema for version %q", version)
	}
	b, err := official.ReadFile("official/" + version + ".json")
	if err != nil {
		return nil, fmt.Errorf("no embedded AsyncAPI schema %s: %v", version, err)
	}
	return b, nil
}

//go:embed official/*.json
var official embed.FS

// Validator validates documents of one AsyncAPI version. It is safe for
// concurrent use.
type Validator struct {
	Version string
	major   int
	root    *jsonschema.Schema
	// byLoc finds a compiled schema by the location the validator reports
	// in its errors.
	byLoc map[string]*jsonschema.Schema
	// parts has every schema the walker takes apart itself (see
	// decomposable), with what it needs precomputed.
	parts map[*jsonschema.Schema]*part
}

var compiled = func() map[string]*compileOnce {
	m := map[string]*compileOnce{}
	for _, v := range Versions {
		m[v] = &compileOnce{}
	}
	return m
}()

type compileOnce struct {
	once sync.Once
	v    *Validator
	err  error
}

// For returns the validator of version (a value of Versions, or anything
// Normalize accepts). The schema is compiled on first use, once.
func For(version string) (*Validator, error) {
	nv, ok := Normalize(version)
	if !ok {
		return nil, fmt.Errorf("no AsyncAPI schema for version %q", version)
	}
	c := compiled[nv]
	c.once.Do(func() { c.v, c.err = compile(nv) })
	return c.v, c.err
}

func compile(version string) (*Validator, error) {
	raw, err := Raw(version)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(lenientRegexp)
	url := "asyncapi-ls:/schema/" + version + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	root, err := c.Compile(url)
	if err != nil {
		return nil, err
	}
	v := &Validator{Version: version, major: int(version[0] - '0'), root: root,
		byLoc: map[string]*jsonschema.Schema{}, parts: map[*jsonschema.Schema]*part{}}
	v.index(root)
	return v, nil
}

// lenientRegexp compiles patterns with Go's RE2. A pattern RE2 does not
// support (look-around, back-references: valid ECMA-262 that users write
// in payload schemas) matches everything instead of being reported as an
// invalid `regex`: the schema cannot tell such a pattern from a wrong one,
// and a false alarm is worse than a missed one here. The AsyncAPI schemas'
// own patterns all compile.
func lenientRegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp.Compile(s)
	if err != nil {
		return anything(s), nil
	}
	return re, nil
}

type anything string

func (a anything) String() string        { return string(a) }
func (anything) MatchString(string) bool { return true }

// index records every reachable sub-schema by location and finds the plain
// object schemas.
func (v *Validator) index(root *jsonschema.Schema) {
	seen := map[*jsonschema.Schema]bool{}
	var visit func(s *jsonschema.Schema)
	visit = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		v.byLoc[s.Location] = s
		for _, c := range children(s) {
			visit(c)
		}
	}
	visit(root)
	for s := range seen {
		if t := follow(s); t != nil && decomposable(t) {
			p := &part{t: t, types: typeMask(t),
				object: len(t.Required) > 0 || len(t.Properties) > 0 || len(t.PatternProperties) > 0 || t.AdditionalProperties != nil ||
					t.PropertyNames != nil}
			alts := t.OneOf
			if len(alts) == 0 {
				alts = t.AnyOf
			}
			for _, a := range alts {
				p.alts = append(p.alts, newAlt(a, 0))
			}
			v.parts[s] = p
		}
	}
}

// children lists the sub-schemas of s that validation can reach.
func children(s *jsonschema.Schema) []*jsonschema.Schema {
	var out []*jsonschema.Schema
	add := func(c ...*jsonschema.Schema) {
		for _, x := range c {
			if x != nil {
				out = append(out, x)
			}
		}
	}
	add(s.Ref, s.RecursiveRef, s.Not, s.If, s.Then, s.Else, s.PropertyNames, s.Contains,
		s.UnevaluatedProperties, s.UnevaluatedItems, s.Items2020, s.ContentSchema)
	if s.DynamicRef != nil {
		add(s.DynamicRef.Ref)
	}
	add(s.AllOf...)
	add(s.AnyOf...)
	add(s.OneOf...)
	add(s.PrefixItems...)
	for _, c := range s.Properties {
		add(c)
	}
	for _, c := range s.PatternProperties {
		add(c)
	}
	for _, c := range s.DependentSchemas {
		add(c)
	}
	for _, d := range s.Dependencies {
		if c, ok := d.(*jsonschema.Schema); ok {
			add(c)
		}
	}
	if c, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		add(c)
	}
	if c, ok := s.AdditionalItems.(*jsonschema.Schema); ok {
		add(c)
	}
	switch it := s.Items.(type) {
	case *jsonschema.Schema:
		add(it)
	case []*jsonschema.Schema:
		add(it...)
	}
	return out
}

// follow follows $refs that have no sibling assertions (draft-07 ignores
// the siblings anyway, but the validator checks type, const, enum and
// format before $ref) and returns the schema that holds the assertions.
func follow(s *jsonschema.Schema) *jsonschema.Schema {
	for i := 0; s != nil && i < 32; i++ {
		if s.Ref == nil || s.DraftVersion >= 2019 {
			return s
		}
		if s.Types != nil || s.Const != nil || s.Enum != nil || s.Format != nil || s.Bool != nil {
			return nil
		}
		s = s.Ref
	}
	return nil
}

// Keyword groups for onlyKeywords.
const (
	kwTypes       = 1 << iota
	kwObject      // required, properties, patternProperties, additionalProperties
	kwItems       // items (one schema for every item)
	kwArrayLimits // minItems, maxItems, uniqueItems
	kwAllOf
	kwIf // if, then, else
	kwOneOf
	kwAnyOf
	kwPropertyNames
)

// decomposable: the walker checks s itself, keyword group by keyword group
// (JSON Schema keywords are independent conjuncts): type, the object and
// list keywords, propertyNames (one key at a time: the 2.x channels), allOf
// members, if/then/else, and a oneOf/anyOf the value decides. Everything else (scalar constraints, format, enum, not, ...) is
// left to the JSON-schema validator.
func decomposable(s *jsonschema.Schema) bool {
	if _, multi := s.Items.([]*jsonschema.Schema); multi {
		return false
	}
	if len(s.OneOf) > 0 && len(s.AnyOf) > 0 {
		return false
	}
	return onlyKeywords(s, kwTypes|kwObject|kwPropertyNames|kwItems|kwArrayLimits|kwAllOf|kwIf|kwOneOf|kwAnyOf)
}

// onlyKeywords reports that s asserts nothing outside the allowed groups
// (annotations such as description, examples or default never count).
func onlyKeywords(s *jsonschema.Schema, allowed int) bool {
	var used int
	if s.Types != nil {
		used |= kwTypes
	}
	if len(s.Required) > 0 || len(s.Properties) > 0 || len(s.PatternProperties) > 0 || s.AdditionalProperties != nil {
		used |= kwObject
	}
	if s.Items != nil {
		used |= kwItems
	}
	if len(s.OneOf) > 0 {
		used |= kwOneOf
	}
	if len(s.AnyOf) > 0 {
		used |= kwAnyOf
	}
	if s.MinItems != nil || s.MaxItems != nil || s.UniqueItems {
		used |= kwArrayLimits
	}
	if len(s.AllOf) > 0 {
		used |= kwAllOf
	}
	if s.If != nil || s.Then != nil || s.Else != nil {
		used |= kwIf
	}
	if s.PropertyNames != nil {
		used |= kwPropertyNames
	}
	if used&^allowed != 0 {
		return false
	}
	return s.Bool == nil && s.Ref == nil && s.RecursiveRef == nil && s.DynamicRef == nil &&
		s.Const == nil && s.Enum == nil && s.Format == nil && s.Not == nil &&
		s.MinProperties == nil && s.MaxProperties == nil &&
		len(s.Dependencies) == 0 && len(s.DependentRequired) == 0 && len(s.DependentSchemas) == 0 &&
		s.UnevaluatedProperties == nil && s.UnevaluatedItems == nil &&
		s.Contains == nil &&
		s.MinContains == nil && s.MaxContains == nil && s.AdditionalItems == nil &&
		len(s.PrefixItems) == 0 && s.Items2020 == nil &&
		s.MinLength == nil && s.MaxLength == nil && s.Pattern == nil &&
		s.ContentEncoding == nil && s.ContentMediaType == nil && s.ContentSchema == nil &&
		s.Maximum == nil && s.Minimum == nil && s.ExclusiveMaximum == nil && s.ExclusiveMinimum == nil &&
		s.MultipleOf == nil && len(s.Extensions) == 0
}

// part is a decomposable schema, ready for the walker.
type part struct {
	t      *jsonschema.Schema // holds the keywords (s after its pure $refs)
	types  uint8              // allowed JSON types; 0: any
	object bool               // has object keywords
	alts   []*alt             // oneOf or anyOf alternatives
}

// alt is what decides quickly that a value cannot match a schema.
type alt struct {
	s        *jsonschema.Schema
	types    uint8
	never    bool // false schema
	fixed    []any
	required []string
	props    map[string][]any // properties with fixed values
	allOf    []*alt
	alts     []*alt // nested oneOf/anyOf: fails when all fail
}

func newAlt(s *jsonschema.Schema, depth int) *alt {
	a := &alt{s: s}
	r := resolve(s)
	if r == nil || depth > 8 {
		return a
	}
	a.never = r.Bool != nil && !*r.Bool
	a.types = typeMask(r)
	a.fixed = fixedValues(r)
	a.required = r.Required
	for p, ps := range r.Properties {
		if vals := fixedValues(ps); vals != nil {
			if a.props == nil {
				a.props = map[string][]any{}
			}
			a.props[p] = vals
		}
	}
	for _, m := range r.AllOf {
		a.allOf = append(a.allOf, newAlt(m, depth+1))
	}
	alts := r.OneOf
	if len(alts) == 0 {
		alts = r.AnyOf
	}
	for _, m := range alts {
		a.alts = append(a.alts, newAlt(m, depth+1))
	}
	return a
}

// Type bits.
const (
	tNull uint8 = 1 << iota
	tBool
	tNumber
	tInteger
	tString
	tArray
	tObject
)

func typeMask(s *jsonschema.Schema) uint8 {
	if s == nil || s.Types == nil {
		return 0
	}
	var m uint8
	for _, t := range s.Types.ToStrings() {
		m |= map[string]uint8{"null": tNull, "boolean": tBool, "number": tNumber, "integer": tInteger,
			"string": tString, "array": tArray, "object": tObject}[t]
	}
	return m
}

// typeOK: x is of one of the types in mask (0 allows all).
func typeOK(mask uint8, x any) bool {
	if mask == 0 {
		return true
	}
	switch v := x.(type) {
	case map[string]any:
		return mask&tObject != 0
	case []any:
		return mask&tArray != 0
	case string:
		return mask&tString != 0
	case bool:
		return mask&tBool != 0
	case nil:
		return mask&tNull != 0
	case float64:
		if v == float64(int64(v)) {
			return mask&(tNumber|tInteger) != 0
		}
		return mask&tNumber != 0
	case int, int64, int32, uint, uint64:
		return mask&(tNumber|tInteger) != 0
	}
	return false
}

// choose returns the one alternative of the oneOf/anyOf of p that x can
// still match, when all others certainly fail (a required key is missing,
// a fixed value or the type differs: a Reference without $ref, a security
// scheme of another type, a list where a mapping is expected). The choice
// then holds exactly when that alternative does. nil: no single candidate.
func choose(p *part, x Value) *jsonschema.Schema {
	var pick *jsonschema.Schema
	for _, a := range p.alts {
		if a.fails(x) {
			continue
		}
		if pick != nil {
			return nil
		}
		pick = a.s
	}
	return pick
}

// fails reports that x certainly does not match the alternative.
func (a *alt) fails(x Value) bool {
	sx := scalarOf(x)
	if a.never || !typeOK(a.types, sx) {
		return true
	}
	if a.fixed != nil && !containsValue(a.fixed, sx) {
		return true
	}
	if x.Kind() == Object {
		for _, p := range a.required {
			if _, ok := x.Get(p); !ok {
				return true
			}
		}
		for p, vals := range a.props {
			if got, ok := x.Get(p); ok && !containsValue(vals, scalarOf(got)) {
				return true
			}
		}
	}
	for _, m := range a.allOf {
		if m.fails(x) {
			return true
		}
	}
	if len(a.alts) == 0 {
		return false
	}
	for _, m := range a.alts {
		if !m.fails(x) {
			return false
		}
	}
	return true
}
