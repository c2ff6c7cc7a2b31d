package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Codes of schema problems. They are a public contract (users filter and
// re-grade diagnostics by these names): never rename one.
const (
	// CodeUnknownProperty: a key the object does not allow (often a typo).
	CodeUnknownProperty = "schema-unknown-property"
	// CodeRequired: a required field is missing; reported on the key of the
	// object that lacks it.
	CodeRequired = "schema-required"
	// CodeType: a value of the wrong JSON type (a scalar where a list or a
	// mapping belongs, a number where a string belongs, ...).
	CodeType = "schema-type"
	// CodeEnum: a value outside a fixed set (enum or const).
	CodeEnum = "schema-enum"
	// CodeFormat: a string that is not of its declared format (uri, email,
	// regex, ...).
	CodeFormat = "schema-format"
	// CodeValue: any other schema rule (pattern, minimum, uniqueItems, a
	// value that matches more than one alternative, ...).
	CodeValue = "schema-value"
)

// Codes lists every code this package reports.
var Codes = []string{CodeUnknownProperty, CodeRequired, CodeType, CodeEnum, CodeFormat, CodeValue}

// Where says which part of the document a Problem belongs on.
type Where int

const (
	// WhereValue: the value at Path.
	WhereValue Where = iota
	// WhereKey: the key whose value is at Path (an unknown property).
	WhereKey
	// WhereParentKey: the key whose value is the object at Path (a missing
	// required field: the object has no node for it). For the root object
	// (empty Path) there is no key; callers pick the document start.
	WhereParentKey
)

func (w Where) String() string {
	switch w {
	case WhereKey:
		return "key"
	case WhereParentKey:
		return "parent-key"
	}
	return "value"
}

// Owners of problems that another check of asyncapi-ls explains.
const (
	OwnerSecurity = "security" // security-* (schemes, requirement lists, root security)
	OwnerRef      = "ref"      // ref-unresolved ($ref values)
	OwnerChannel  = "channel"  // channel-server-undefined (channel servers entries)
	OwnerVersion  = "version"  // asyncapi-version (the asyncapi field)
)

// Problem is one schema violation, mapped to the node the user must fix.
type Problem struct {
	Path    []string // instance path (unescaped tokens); nil is the root
	Where   Where
	Code    string
	Message string
	// Owner is non-empty when a check outside this package already reports
	// the same mistake (see the Owner* constants); callers drop such
	// problems so that nothing is reported twice.
	Owner string

	missing []string // schema-required: the missing fields
	object  string   // schema-required: the object's name
	// name: a key that propertyNames rejects. The problem is on the object
	// (as the validator reports it), and name lets the next run reuse it
	// as long as the key is not touched; named tells it is set (the key
	// may be '', the name of an explicit `?` key that is no scalar).
	name  string
	named bool
}

// Pointer is Path as an RFC 6901 JSON pointer ("" for the root).
func (p Problem) Pointer() string { return Pointer(p.Path) }

// Pointer renders path tokens as an RFC 6901 JSON pointer.
func Pointer(path []string) string {
	var b strings.Builder
	for _, t := range path {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// Result is the outcome of validating one document, kept so that the next
// version of the document can be re-validated incrementally.
type Result struct {
	v *Validator
	// raw is every problem before mergeTypos, sorted by path (a subtree's
	// problems are contiguous): what the next Revalidate reuses.
	raw      []Problem
	problems []Problem
	// Validated counts the sub-values handed to the JSON-schema validator in
	// the run that built this Result; Reused counts the subtrees whose
	// problems were taken from the previous Result without a look.
	Validated, Reused int
}

// Problems returns every problem, owned ones included, ordered by path,
// then code and message. The slice must not be modified.
func (r *Result) Problems() []Problem {
	if r == nil {
		return nil
	}
	return r.problems
}

// Validate checks doc, the whole document as decoded values.
func (v *Validator) Validate(doc any) *Result {
	return v.RevalidateValue(nil, Of(doc), nil)
}

// Revalidate is RevalidateValue for decoded values.
func (v *Validator) Revalidate(prev *Result, doc any, changed [][]string) *Result {
	return v.RevalidateValue(prev, Of(doc), changed)
}

// ValidateValue checks the document viewed by doc.
func (v *Validator) ValidateValue(doc Value) *Result {
	return v.RevalidateValue(nil, doc, nil)
}

// Revalidate checks doc, the new value of a document that prev was computed
// for. Only the subtrees on the way to, or inside, one of the changed paths
// are looked at; the problems of every other subtree are taken from prev.
// The caller guarantees that values outside the changed paths are equal to
// the ones prev saw (a changed path may name a key that was added or
// removed). With prev nil (or from another version) everything is checked.
func (v *Validator) RevalidateValue(prev *Result, doc Value, changed [][]string) *Result {
	if prev != nil && prev.v != v {
		prev = nil
	}
	w := walker{v: v, root: doc, prev: prev, changed: changed, res: &Result{v: v}, seen: map[visit]struct{}{}}
	w.child(v.root, doc, make([]string, 0, 64))
	sortProblems(w.out)
	w.res.raw = dedupe(w.out)
	merged := mergeTypos(append([]Problem(nil), w.res.raw...))
	sortProblems(merged)
	w.res.problems = merged
	return w.res
}

type walker struct {
	v       *Validator
	root    Value
	prev    *Result
	changed [][]string
	res     *Result
	out     []Problem
	seen    map[visit]struct{}
	strict  int // > 0 below a value-dependent choice: no reuse
}

// child checks value x at path against schema s. It does the cheap,
// common structure itself (objects, lists, allOf, if/then/else, and a
// choice between alternatives that the value's own keys decide) and hands
// the rest to the JSON-schema validator, one small sub-value at a time.
func (w *walker) child(s *jsonschema.Schema, x Value, path []string) {
	if w.canReuse(path) {
		w.reuse(path)
		return
	}
	if isRefValue(x) {
		return // see isRef
	}
	if o, ok := x.(interface{ Opaque() bool }); ok && o.Opaque() {
		return // the caller validates it elsewhere (see Value)
	}
	if s.Bool != nil && *s.Bool {
		return
	}
	p := w.v.parts[s]
	if p == nil {
		w.unit(s, x, path)
		return
	}
	t := p.t
	if x.Kind() == Object && (len(t.AllOf) > 0 || t.If != nil || len(p.alts) > 0 || len(path) > 3) {
		// The AsyncAPI Schema Object is allOf [draft-07, its extensions],
		// and both recurse into the same sub-schemas: without this, nested
		// payload schemas would be walked once per level above them.
		k := visit{s, pathHash(path)}
		if _, done := w.seen[k]; done {
			return
		}
		w.seen[k] = struct{}{}
	}
	if !typeOK(p.types, scalarOf(x)) {
		w.emit(typeProblem(path, scalarOf(x), t.Types.ToStrings())) // the validator stops here too
		return
	}
	var pick *jsonschema.Schema
	if len(p.alts) > 0 {
		if pick = choose(p, x); pick == nil {
			w.unit(s, x, path) // undecided: the validator explains it whole
			return
		}
	}
	switch x.Kind() {
	case Object:
		if p.object {
			w.object(t, x, path)
		}
	case Array:
		w.list(t, x, path)
	}
	for _, m := range t.AllOf {
		w.child(m, x, path)
	}
	// Below a choice made on this value's keys (if/then/else, oneOf), the
	// sub-schemas may differ from the previous run's: nothing is reused.
	if t.If != nil {
		w.strict++
		if ifHolds(t.If, x) {
			if t.Then != nil {
				w.child(t.Then, x, path)
			}
		} else if t.Else != nil {
			w.child(t.Else, x, path)
		}
		w.strict--
	}
	if pick != nil {
		w.strict++
		w.child(pick, x, path)
		w.strict--
	}
}

// canReuse: the subtree at path is outside every changed path and no
// choice above it was made afresh.
func (w *walker) canReuse(path []string) bool {
	return w.prev != nil && w.strict == 0 && !w.touched(path)
}

// visit is a schema applied at a path (by its hash: the same value can sit
// at several paths through YAML aliases, and each is checked).
type visit struct {
	s *jsonschema.Schema
	h uint64
}

// pathHash is FNV-1a over the tokens, each followed by a 0xff separator
// (a byte that UTF-8 text never contains).
func pathHash(path []string) uint64 {
	h := uint64(14695981039346656037)
	for _, t := range path {
		for i := 0; i < len(t); i++ {
			h = (h ^ uint64(t[i])) * 1099511628211
		}
		h = (h ^ 0xff) * 1099511628211
	}
	return h
}

// list checks the list keywords of s on l and descends into the items.
func (w *walker) list(s *jsonschema.Schema, l Value, path []string) {
	n := l.Len()
	if s.MinItems != nil && n < *s.MinItems {
		w.emit(Problem{Path: path, Code: CodeValue, Message: fmt.Sprintf("%s needs at least %d item%s", label(path), *s.MinItems, plural(*s.MinItems))})
	}
	if s.MaxItems != nil && n > *s.MaxItems {
		w.emit(Problem{Path: path, Code: CodeValue, Message: fmt.Sprintf("%s allows at most %d item%s", label(path), *s.MaxItems, plural(*s.MaxItems))})
	}
	if s.UniqueItems && n > 1 {
		plain := make([]any, n)
		for i := range plain {
			plain[i] = l.Index(i).Plain()
		}
		for i := 1; i < n; i++ {
			for j := 0; j < i; j++ {
				if deepEqual(plain[i], plain[j]) {
					p := append(path[:len(path):len(path)], strconv.Itoa(i))
					w.emit(Problem{Path: p, Code: CodeValue, Message: fmt.Sprintf("%s repeats item %d of `%s`; items must be unique", label(p), j, lastToken(path))})
					break
				}
			}
		}
	}
	items, ok := s.Items.(*jsonschema.Schema)
	if !ok {
		return
	}
	for i := 0; i < n; i++ {
		cpath := append(path, strconv.Itoa(i))
		if w.canReuse(cpath) {
			w.reuse(cpath)
			continue
		}
		w.child(items, l.Index(i), cpath)
	}
}

// reuse copies prev's problems of the subtree at path.
func (w *walker) reuse(path []string) {
	ps := w.prev.raw
	i := sort.Search(len(ps), func(i int) bool { return comparePaths(ps[i].Path, path) >= 0 })
	for ; i < len(ps) && hasPrefix(ps[i].Path, path); i++ {
		w.out = append(w.out, ps[i])
	}
	w.res.Reused++
}

// object checks the object keywords of s on obj and descends into the
// values.
func (w *walker) object(s *jsonschema.Schema, obj Value, path []string) {
	var missing []string
	for _, name := range s.Required {
		if _, ok := obj.Get(name); !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		w.emit(requiredProblem(path, missing, objectName(s.Location)))
	}
	if w.prev != nil && w.strict == 0 && !w.inside(path) {
		// Only the keys on the way to a changed path are looked at; the
		// problems of all the others (thousands of operations) are taken
		// from the previous run in one sweep.
		touched := w.touchedKeys(path)
		w.reuseExcept(path, touched)
		if s.PropertyNames != nil {
			w.reuseNames(path, touched)
		}
		for _, k := range touched {
			if val, ok := obj.Get(k); ok {
				w.propertyName(s, k, path)
				w.key(s, k, val, append(path, k))
			}
		}
		return
	}
	obj.Each(func(k string, val Value) {
		w.propertyName(s, k, path)
		w.key(s, k, val, append(path, k))
	})
}

// propertyName checks key k of the object at path against the
// propertyNames of s. The problem is the one the JSON-schema validator
// reports for the object: on the object, naming the key.
func (w *walker) propertyName(s *jsonschema.Schema, k string, path []string) {
	if s.PropertyNames == nil {
		return
	}
	w.res.Validated++
	if s.PropertyNames.Validate(k) == nil {
		return
	}
	msg := (&kind.PropertyNames{Property: k}).LocalizedString(printer)
	w.emit(Problem{Path: path, Code: CodeValue, Message: label(path) + ": " + msg, name: k, named: true})
}

// reuseNames copies prev's propertyNames problems of the object at path,
// except those of the given keys (checked again).
func (w *walker) reuseNames(path []string, except []string) {
	ps := w.prev.raw
	i := sort.Search(len(ps), func(i int) bool { return comparePaths(ps[i].Path, path) >= 0 })
	for ; i < len(ps) && comparePaths(ps[i].Path, path) == 0; i++ {
		if ps[i].named && !contains(except, ps[i].name) {
			w.out = append(w.out, ps[i])
		}
	}
}

// key checks one pair of an object.
func (w *walker) key(s *jsonschema.Schema, k string, val Value, cpath []string) {
	matched := false
	if c, ok := s.Properties[k]; ok {
		matched = true
		w.child(c, val, cpath)
	}
	for re, c := range s.PatternProperties {
		if re.MatchString(k) {
			matched = true
			w.child(c, val, cpath)
		}
	}
	if matched {
		return
	}
	switch ap := s.AdditionalProperties.(type) {
	case bool:
		if !ap {
			w.emit(unknownProblem(cpath, s))
		}
	case *jsonschema.Schema:
		w.child(ap, val, cpath)
	}
}

// inside: path is in (or is) a changed subtree, which is walked whole.
func (w *walker) inside(path []string) bool {
	for _, c := range w.changed {
		if hasPrefix(path, c) {
			return true
		}
	}
	return false
}

// touchedKeys lists the keys under path that a changed path goes through.
func (w *walker) touchedKeys(path []string) []string {
	var keys []string
	for _, c := range w.changed {
		if len(c) > len(path) && hasPrefix(c, path) && !contains(keys, c[len(path)]) {
			keys = append(keys, c[len(path)])
		}
	}
	return keys
}

// reuseExcept copies prev's problems strictly below path, except those
// under the given child keys.
func (w *walker) reuseExcept(path []string, except []string) {
	ps := w.prev.raw
	i := sort.Search(len(ps), func(i int) bool { return comparePaths(ps[i].Path, path) >= 0 })
	for ; i < len(ps) && hasPrefix(ps[i].Path, path); i++ {
		if len(ps[i].Path) > len(path) && !contains(except, ps[i].Path[len(path)]) {
			w.out = append(w.out, ps[i])
		}
	}
	w.res.Reused++
}

// emit records p. Paths given to child share one stack buffer, so p.Path
// is copied.
func (w *walker) emit(p Problem) {
	p.Path = append([]string(nil), p.Path...)
	p.Owner = owner(w.v.major, p, w.root)
	w.out = append(w.out, p)
}

// unit validates x against s with the JSON-schema validator and explains
// its errors.
func (w *walker) unit(s *jsonschema.Schema, xv Value, path []string) {
	w.res.Validated++
	x := xv.Plain()
	err := s.Validate(x)
	if err == nil {
		return
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return
	}
	e := explainer{v: w.v, base: path, value: x}
	e.collect(verr)
	for _, p := range e.out {
		if underRef(x, p.Path[len(path):], p.Where) {
			continue
		}
		w.emit(p)
	}
}

// touched: some changed path is inside the subtree at path, or the
// subtree inside it.
func (w *walker) touched(path []string) bool {
	for _, c := range w.changed {
		if hasPrefix(c, path) || hasPrefix(path, c) {
			return true
		}
	}
	return false
}

func hasPrefix(path, prefix []string) bool {
	if len(prefix) > len(path) {
		return false
	}
	for i, t := range prefix {
		if path[i] != t {
			return false
		}
	}
	return true
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if c := comparePaths(a.Path, b.Path); c != 0 {
			return c < 0
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}

func comparePaths(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return strings.Compare(a[i], b[i])
		}
	}
	return len(a) - len(b)
}

func dedupe(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if len(out) > 0 {
			q := out[len(out)-1]
			if comparePaths(p.Path, q.Path) == 0 && p.Code == q.Code && p.Message == q.Message && p.Where == q.Where {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// isRef reports a {$ref: string} mapping. Such a value stands for its
// target, and the official tools validate documents after replacing every
// $ref by its target (ours are resolved and checked where they point, and
// ref-unresolved reports the ones that do not resolve). Validating the
// mapping itself would flag every $ref written where the schema has no
// Reference alternative (a 2.x description, message examples) although
// the dereferenced document is valid; so a $ref mapping is accepted
// wherever it is.
func isRef(x any) bool {
	m, ok := x.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m["$ref"].(string)
	return ok
}

// underRef: the problem at rel (relative to x) concerns a $ref mapping or
// something inside one.
func underRef(x any, rel []string, where Where) bool {
	n := len(rel)
	if where == WhereKey && n > 0 {
		n-- // an unknown key: its object decides
	}
	for i := 0; i <= n; i++ {
		v := lookup(x, rel[:i])
		if isRef(v) {
			return true
		}
		if v == nil {
			return false
		}
	}
	return false
}

// mergeTypos: an object with an unknown key and a missing required field
// that the key is a misspelling of holds ONE mistake. Report it on the
// key ("did you mean") and drop that field from the required problem.
func mergeTypos(ps []Problem) []Problem {
	req := map[string]int{}
	for i, p := range ps {
		if p.Code == CodeRequired && len(p.missing) > 0 {
			req[Pointer(p.Path)] = i
		}
	}
	if len(req) == 0 {
		return ps
	}
	drop := map[int]bool{}
	for i, p := range ps {
		if p.Code != CodeUnknownProperty || len(p.Path) == 0 {
			continue
		}
		j, ok := req[Pointer(p.Path[:len(p.Path)-1])]
		if !ok {
			continue
		}
		r := &ps[j]
		k := p.Path[len(p.Path)-1]
		sg := suggest(k, r.missing)
		if sg == "" {
			continue
		}
		ps[i].Message = fmt.Sprintf("unknown field `%s`; did you mean `%s` (required here)?", k, sg)
		var rest []string
		for _, m := range r.missing {
			if m != sg {
				rest = append(rest, m)
			}
		}
		if len(rest) == 0 {
			drop[j] = true
		} else {
			np := requiredProblem(r.Path, rest, r.object)
			np.Owner = r.Owner
			*r = np
		}
	}
	if len(drop) == 0 {
		return ps
	}
	out := ps[:0]
	for i, p := range ps {
		if !drop[i] {
			out = append(out, p)
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func lastToken(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return path[len(path)-1]
}

// deepEqual is JSON equality of decoded values (numbers by value).
func deepEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !deepEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !deepEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return equalValue(a, b)
}

// ifHolds evaluates the condition of an if/then/else. The conditions of the
// AsyncAPI schemas are small (a required key, a const bindingVersion, "not
// an object"): those are decided on the view, without materialising the
// value (a whole payload schema, for anySchema); others go to the
// validator.
func ifHolds(s *jsonschema.Schema, x Value) bool {
	if ok, known := quickHolds(s, x, 0); known {
		return ok
	}
	return s.Validate(x.Plain()) == nil
}

func quickHolds(s *jsonschema.Schema, x Value, depth int) (holds, known bool) {
	if depth > 4 || !onlyKeywords(s, kwTypes|kwObject) && !(s.Not != nil && onlyKeywords(notless(s), kwTypes|kwObject)) {
		return false, false
	}
	if len(s.PatternProperties) > 0 || s.AdditionalProperties != nil {
		return false, false
	}
	holds = true
	if s.Types != nil && !typeOK(typeMask(s), scalarOf(x)) {
		holds = false
	}
	if x.Kind() == Object {
		for _, r := range s.Required {
			if _, ok := x.Get(r); !ok {
				holds = false
			}
		}
		for p, ps := range s.Properties {
			got, ok := x.Get(p)
			if !ok {
				continue
			}
			vals := fixedValues(ps)
			if vals == nil || !onlyFixed(ps) {
				return false, false
			}
			if !containsValue(vals, scalarOf(got)) {
				holds = false
			}
		}
	}
	if s.Not != nil {
		n, ok := quickHolds(s.Not, x, depth+1)
		if !ok {
			return false, false
		}
		holds = holds && !n
	}
	return holds, true
}

// notless is s without its not (a copy), to check the other keywords.
func notless(s *jsonschema.Schema) *jsonschema.Schema {
	c := *s
	c.Not = nil
	return &c
}

// onlyFixed: a property schema that is just a const or an enum.
func onlyFixed(s *jsonschema.Schema) bool {
	s = resolve(s)
	c := *s
	c.Const, c.Enum = nil, nil
	return onlyKeywords(&c, 0)
}
