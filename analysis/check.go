package analysis

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/schema"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
)

// schemeTypes maps each Security Scheme type to the first 2.x minor version
// that has it (SASL types arrived in 2.1.0).
var schemeTypes = map[string]int{
	"userPassword": 0, "apiKey": 0, "X509": 0, "symmetricEncryption": 0, "asymmetricEncryption": 0,
	"httpApiKey": 0, "http": 0, "oauth2": 0, "openIdConnect": 0,
	"plain": 1, "scramSha256": 1, "scramSha512": 1, "gssapi": 1,
}

// SchemeTypes returns the scheme types a version knows, sorted.
func SchemeTypes(v Version) []string {
	var out []string
	for t, minor := range schemeTypes {
		if v.V3() || v.Minor >= minor || !v.Known {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// schemeTypeFields says which fields apply to which types (spec table,
// identical 2.0 to 3.1).
var schemeTypeFields = map[string][]string{
	"name":             {"httpApiKey"},
	"in":               {"apiKey", "httpApiKey"},
	"scheme":           {"http"},
	"bearerFormat":     {"http"},
	"flows":            {"oauth2"},
	"openIdConnectUrl": {"openIdConnect"},
}

// inValues lists the valid values of `in` per scheme type.
var inValues = map[string][]string{
	"apiKey":     {"user", "password"},
	"httpApiKey": {"query", "header", "cookie"},
}

// InValues returns the valid values of `in` for a scheme type (nil for
// types without `in`); the caller owns the slice.
func InValues(schemeType string) []string {
	return slices.Clone(inValues[schemeType])
}

// flowNames are the OAuth flows an oauth2 scheme may declare.
var flowNames = []string{"implicit", "password", "clientCredentials", "authorizationCode"}

// FlowNames returns the OAuth flows an oauth2 scheme may declare, in the
// order of the spec; the caller owns the slice.
func FlowNames() []string { return slices.Clone(flowNames) }

// flowURLs: which URLs each flow requires (true) or forbids (false).
var flowURLs = map[string]map[string]bool{
	"implicit":          {"authorizationUrl": true, "tokenUrl": false},
	"password":          {"tokenUrl": true, "authorizationUrl": false},
	"clientCredentials": {"tokenUrl": true, "authorizationUrl": false},
	"authorizationCode": {"authorizationUrl": true, "tokenUrl": true},
}

// FlowHasURL reports whether an OAuth flow of the given name requires the
// URL field (authorizationUrl, tokenUrl, refreshUrl).
func FlowHasURL(flow, field string) bool { return flowURLs[flow][field] }

var asyncapiKeyRe = regexp.MustCompile(`(?m)^(?:\xef\xbb\xbf)?[ \t]*\{?[ \t]*["']?asyncapi["']?[ \t]*:`)

// Analyze parses and checks one text. It never panics: an internal failure
// becomes a diagnostic. A text without a root asyncapi key is not an
// AsyncAPI document and gets no diagnostics at all.
func Analyze(text []byte) (d *Document) {
	return analyze(text, nil, nil)
}

// analyze is Analyze with the tree and the mapper already built when they
// are not nil (Update builds them incrementally); inc carries what Update
// computed for the model.
func analyze(text []byte, m *syntax.Mapper, inc *incState) (d *Document) {
	if m == nil {
		m = syntax.NewMapper(text)
	}
	d = &Document{Text: text, Mapper: m}
	if inc != nil {
		d.inc = *inc
		d.shifts, d.inc.shifts = inc.shifts, nil
	}
	defer func() {
		if d.inc.path == pathRegion {
			// A panic of the incremental path (the unit rebuild's
			// assertions among them) goes on to safeRegionUpdate, which
			// analyzes the text afresh (InternalError), or, in this
			// package's tests, to the test.
			return
		}
		if p := recover(); p != nil {
			d.Diagnostics = append(d.Diagnostics, newDiag(syntax.CodeYAMLSyntax, syntax.Range{Start: 0, End: 0},
				fmt.Sprintf("internal error while analyzing this document: %v; please report it", p)))
		}
	}()
	d.Tree = d.inc.tree
	if d.Tree == nil {
		d.Tree = syntax.ParseTree(text)
	}
	d.inc.tree = nil
	d.Root = d.Tree.Root()
	rootKey, rootVal := d.Root.Pair("asyncapi")
	if rootKey == nil {
		if d.Root == nil || d.Root.Kind != syntax.MappingNode || d.Tree.HasBrokenRegions() {
			// Unparsable or partial text: it is ours if it says asyncapi at
			// the top.
			d.IsAsyncAPI = asyncapiKeyRe.Match(text)
		}
		if d.IsAsyncAPI {
			d.Diagnostics = append(d.Diagnostics, d.Tree.Diagnostics...)
		}
		d.inc.change, d.inc.makeRefs, d.inc.schema = nil, nil, nil // (they hold the previous document)
		if d.inc.path == pathRegion {
			// (for the typing sweep, which names why no unit was reused)
			d.inc.modelWhy = "no asyncapi key: no model is built"
		}
		return d
	}
	d.IsAsyncAPI = true
	d.Diagnostics = append(d.Diagnostics, d.Tree.Diagnostics...)
	d.checkVersion(rootKey, rootVal)
	if d.pre2 {
		// A 1.x (or older) document follows another model entirely: any
		// 2.x check on it would be noise. (The previous document must not
		// stay reachable.)
		d.inc.change, d.inc.makeRefs, d.inc.schema = nil, nil, nil
		return d
	}
	change := d.inc.change
	d.inc.change = nil // the previous document must not stay reachable
	defer func() { d.inc.makeRefs = nil }()
	if change != nil && d.rebuildUnits(change) {
		d.modelOK, d.inc.modelReused = true, true
	} else {
		d.build()
		d.check()
		d.relocate()
	}
	d.validateSchema()
	sortDiagnostics(d.Diagnostics)
	d.dropExplained()
	d.modelOK = true
	return d
}

// madeDiagnostics is what the checks made, before dropExplained.
func (d *Document) madeDiagnostics() []syntax.Diagnostic {
	if d.made == nil {
		return d.Diagnostics
	}
	return d.made
}

// dropExplained removes the diagnostics of checks that a syntax error
// explains (syntax.Tree.Explains): one diagnostic per error.
func (d *Document) dropExplained() {
	// The words of broken regions (namedInBroken) are not kept with the
	// document: checks before this ask for them, nothing after.
	defer func() { d.brokenWordsOf = nil }()
	d.made = d.Diagnostics
	var errs []int // the syntax errors, not the duplicate keys
	for _, dg := range d.Diagnostics {
		if dg.Code == syntax.CodeYAMLSyntax && !syntax.IsDuplicateKey(dg) {
			errs = append(errs, dg.Range.Start)
		}
	}
	if len(errs) == 0 {
		return
	}
	broken := d.Tree.HasBrokenRegions()
	out := make([]syntax.Diagnostic, 0, len(d.Diagnostics))
	for _, dg := range d.Diagnostics {
		switch {
		case syntax.IsDuplicateKey(dg):
			if d.duplicateOfBroken(dg, errs) {
				continue
			}
		case dg.Code == syntax.CodeYAMLSyntax:
		case broken && (d.Tree.Explains(dg.Range.Start) || d.brokenTarget(dg)):
			continue
		}
		out = append(out, dg)
	}
	d.Diagnostics = out
}

// duplicateOfBroken reports whether a duplicate key, or the key it repeats,
// holds a syntax error in its entry (errs, sorted): a key being typed
// above or below one of the same name is reported once, by the error of
// the line being typed, while it does not parse; once it does, the
// duplicate is reported.
func (d *Document) duplicateOfBroken(dg syntax.Diagnostic, errs []int) bool {
	keys := []int{dg.Range.Start}
	if len(dg.Related) > 0 {
		keys = append(keys, dg.Related[0].Range.Start)
	}
	for _, k := range keys {
		i := sort.SearchInts(errs, k)
		if i < len(errs) && syntax.EntryHolds(d.Text, k, errs[i]) {
			return true
		}
	}
	return false
}

// brokenTarget reports whether dg says that something a $ref or a name
// points to is missing, where the text that would define it did not parse:
// `components` typed without its colon, or `components: {` never closed,
// takes every scheme with it, and the error is the syntax error's alone.
func (d *Document) brokenTarget(dg syntax.Diagnostic) bool {
	var target string
	switch dg.Code {
	case CodeRefUnresolved, CodeUndefinedScheme, CodeChannelServerUndefined:
	default:
		return false
	}
	if dg.Range.Start < 0 || dg.Range.End > len(d.Text) {
		return false
	}
	at := string(d.Text[dg.Range.Start:dg.Range.End])
	switch {
	case dg.Code == CodeUndefinedScheme && !d.Version.V3(): // a 2.x requirement key names the scheme
		target = PointerTo("components", "securitySchemes", unquote(at))
	case dg.Code == CodeChannelServerUndefined && !d.Version.V3(): // a 2.x channel names its servers
		target = PointerTo("servers", unquote(at))
	default:
		target = unquote(at)
	}
	// A $ref whose target is itself a $ref (an operation's message in a
	// channel, which refers to a component message) fails where the chain
	// ends: follow it (a few hops; cycles are reported elsewhere).
	for hop := 0; hop < 8; hop++ {
		if !strings.HasPrefix(target, "#") {
			return false
		}
		n, err := resolvePointerIndexed(d.Root, target, d.keyIdx)
		if err != nil {
			return d.brokenLookup(err)
		}
		ref := n.Key("$ref")
		if ref == nil || ref.Kind != syntax.ScalarNode {
			return false
		}
		target = ref.Value
	}
	return false
}

// brokenLookup reports whether a pointer lookup failed where the text that
// would hold the missing key did not parse.
func (d *Document) brokenLookup(err error) bool {
	le, ok := err.(*lookupError)
	if !ok || le.at == nil {
		return false
	}
	if le.at.Broken() {
		// the walk reached the broken value of an entry: is the missing key
		// in its text?
		return d.namedInBroken(le.tok, []syntax.Range{d.R(le.at)})
	}
	if le.at.Kind != syntax.MappingNode {
		return false
	}
	// A broken entry of that mapping whose first token is the missing key:
	// the key line lacks its colon, or its value does not parse. The entry
	// may come before the mapping's first key (whose range then starts
	// after it): it is at the keys' column and runs up to them.
	start := d.R(le.at).Start
	col := start - d.lineStart(start)
	if le.at == d.Root {
		start, col = 0, -1
	}
	for _, r := range d.Tree.BrokenRegions() {
		tok := firstToken(d.Text, r.Start)
		if !namesKey(unquote(tok), le.tok) {
			continue
		}
		if col < 0 || (r.End >= d.lineStart(start) && d.tokenColumn(r.Start) == col) {
			return true
		}
	}
	return false
}

// lineStart returns the start of the line that holds offset at.
func (d *Document) lineStart(at int) int {
	return d.Mapper.LineStart(d.Mapper.Line(at))
}

// tokenColumn returns the column (in bytes) of the first non-blank byte
// at or after at, on the line it lies on.
func (d *Document) tokenColumn(at int) int {
	for at < len(d.Text) && (d.Text[at] == ' ' || d.Text[at] == '\t' || syntax.IsBreak(d.Text[at])) {
		at++
	}
	return at - d.lineStart(at)
}

// namesKey reports whether the first token of a broken key line is key:
// the key alone (its colon missing) or the key, its colon and what was
// typed right after it without a blank (`channels:x`).
func namesKey(token, key string) bool {
	return token == key || strings.HasPrefix(token, key+":")
}

// firstToken is the key (or the word) that text[at:] starts with, blanks
// skipped: up to a colon that ends a key, a blank or the end of the line.
func firstToken(text []byte, at int) string {
	for at < len(text) && (text[at] == ' ' || text[at] == '\t' || syntax.IsBreak(text[at])) {
		at++
	}
	end := at
	for end < len(text) && !syntax.IsBreak(text[end]) && text[end] != ' ' && text[end] != '\t' &&
		!(text[end] == ':' && (end+1 == len(text) || text[end+1] == ' ' || syntax.IsBreak(text[end+1]))) {
		end++
	}
	return string(text[at:end])
}

// sortDiagnostics puts diagnostics in document order, so that output is
// stable and reads top to bottom.
func sortDiagnostics(diags []syntax.Diagnostic) {
	slices.SortStableFunc(diags, compareDiagnostics)
}

// compareDiagnostics is sortDiagnostics' order: by place, code, message.
func compareDiagnostics(a, b syntax.Diagnostic) int {
	return cmp.Or(cmp.Compare(a.Range.Start, b.Range.Start), strings.Compare(a.Code, b.Code), strings.Compare(a.Message, b.Message))
}

func (d *Document) checkVersion(k, v *syntax.Node) {
	ver, ok := parseVersion(v)
	if !ok {
		// `asyncapi: 3.0` or `asyncapi: 3` is a number, but its major still
		// says which model the document follows.
		fmt.Sscanf(ver.Raw, "%d", &ver.Major)
	}
	d.Version = ver
	switch {
	case !ok:
		r := d.R(v)
		if v.IsNull() {
			r = d.R(k)
		}
		hint := ""
		if v.Kind == syntax.ScalarNode && (v.Tag() == "!!float" || v.Tag() == "!!int") {
			hint = fmt.Sprintf(" (%s is read as a number: quote it, e.g. '%s.0')", v.Value, v.Value)
		}
		d.diag(CodeVersion, r, "asyncapi must be a version string such as '3.0.0' or '2.6.0'%s", hint)
	case ver.Major < 2:
		d.pre2 = true
		d.diag(CodeVersion, d.R(v), "AsyncAPI %s is not supported: asyncapi-ls checks AsyncAPI 2.x and 3.x (known: %s); migrate the document to 2.6.0 or 3.0.0",
			ver.Raw, strings.Join(knownVersions, ", "))
	case !ver.Known:
		d.diag(CodeVersion, d.R(v), "AsyncAPI %s is not a version asyncapi-ls knows (known: %s); checks follow the closest known version",
			ver.Raw, strings.Join(knownVersions, ", "))
	}
	if (!ok || !ver.Known) && !d.pre2 {
		// Keep going with the closest version so the rest is still checked.
		switch {
		case ver.Major >= 3 || (!ok && d.Root.Key("operations") != nil):
			d.Version = Version{Raw: ver.Raw, Major: 3, Minor: 1}
		default:
			d.Version = Version{Raw: ver.Raw, Major: 2, Minor: 6}
		}
		if ok && ver.Major == 2 && ver.Minor <= 6 {
			d.Version.Minor = ver.Minor
		}
	}
}

func (d *Document) check() {
	d.checkRootSecurity()
	for _, s := range d.Schemes {
		at := len(d.Diagnostics)
		d.checkScheme(s)
		d.markFar(s, at)
	}
	for _, site := range d.securities {
		at := len(d.Diagnostics)
		d.checkSecurity(site)
		d.markFar(site, at)
	}
	for _, s := range d.Inline {
		at := len(d.Diagnostics)
		d.checkScheme(s)
		d.markFar(s, at)
	}
	for _, c := range append(slices.Clip(d.Channels), d.ComponentChannels...) {
		at := len(d.Diagnostics)
		d.checkChannel(c)
		d.markFar(c, at)
	}
	for _, s := range d.Servers {
		at := len(d.Diagnostics)
		d.auditServer(s)
		d.markFar(s, at)
	}
	for _, op := range d.Operations {
		at := len(d.Diagnostics)
		d.auditOperation(op)
		d.markFar(op, at)
	}
	d.checkUnused()
	for _, r := range d.Refs {
		d.checkRefResolved(r)
	}
}

// markFar remembers obj, with the diagnostics, when a check of it, since
// the diagnostic at index from, reported on a node of another file:
// relocate moves such a diagnostic onto a $ref that may lie in another
// unit, so a unit rebuild (model_inc.go) tells it apart from that unit's
// own by what obj made (farKeys).
func (d *Document) markFar(obj any, from int) {
	if d.ext == nil {
		return
	}
	for _, dg := range d.Diagnostics[from:] {
		if id, _ := splitRange(dg.Range); id != 0 {
			if d.far == nil {
				d.far = map[any][]syntax.Diagnostic{}
			}
			d.far[obj] = append(d.far[obj], dg)
		}
	}
}

// checkRootSecurity reports a root security field (1.x syntax).
func (d *Document) checkRootSecurity() {
	if k, _ := d.Root.Pair("security"); k != nil {
		dg := d.diag(CodeSecurityRootLevel, d.R(k),
			"security is not allowed at the document root in AsyncAPI %d.x (root security existed only in 1.x): declare it on each server (servers.<name>.security)%s",
			d.Version.Major, map[bool]string{true: " or on operations", false: ""}[d.Version.AtLeast(2, 4)])
		if s := d.Root.Key("servers"); s != nil {
			dg.Related = []syntax.Related{{Range: d.R(s), Message: "servers are declared here"}}
		}
	}
}

// checkRefResolved reports a $ref that does not resolve (or, leaving the
// document, is not followed), unless a more specific check already did.
func (d *Document) checkRefResolved(r *Ref) {
	switch {
	case r.Resolved != nil || r.claimed:
	case r.Local && r.code == "":
		d.diag(CodeRefUnresolved, d.R(r.Value), "$ref %s does not resolve: %s", r.Target, r.Err)
	case r.code == CodeRefRemote:
		d.diag(r.code, d.R(r.Value), "$ref %s is not followed: %s", r.Target, r.Err)
	case r.code != "":
		d.diag(r.code, d.R(r.Value), "$ref %s does not resolve: %s", r.Target, r.Err)
	}
}

func (d *Document) checkSecurity(site *securitySite) {
	defer d.relocateSince(len(d.Diagnostics), site.via)
	sec := site.sec
	if site.onOperation && !d.Version.AtLeast(2, 4) {
		d.diag(CodeOperationSecurityTooEarly, d.R(sec.Key),
			"%s: security on operations and operation traits exists only from AsyncAPI 2.4.0 (this document is %s); declare it on the servers, or move the document to 2.4.0 or later",
			site.owner, d.Version.Raw)
	}
	v := sec.Node.Resolve()
	if v.IsNull() {
		return
	}
	if v.Kind != syntax.SequenceNode {
		d.diag(CodeRequirementShape, d.R(v), "%s: security must be a list (one entry per alternative), %s", site.owner, d.shapeExample())
		return
	}
	for _, req := range sec.Alternatives {
		item := req.Node
		if item == nil || item.Kind != syntax.MappingNode {
			r := d.R(v)
			if item != nil {
				r = d.R(item)
			}
			d.diag(CodeRequirementShape, r, "%s: each security entry must be a mapping, %s", site.owner, d.shapeExample())
			continue
		}
		if d.Version.V3() {
			d.checkEntryV3(site, req)
		} else {
			d.checkRequirementV2(site, req)
		}
	}
}

func (d *Document) shapeExample() string {
	if d.Version.V3() {
		return "for example `- $ref: '#/components/securitySchemes/<name>'` or an inline Security Scheme"
	}
	return "for example `- <schemeName>: []`"
}

func (d *Document) checkRequirementV2(site *securitySite, req *Requirement) {
	item := req.Node
	if k, _ := item.Pair("$ref"); k != nil || item.Key("type") != nil {
		if k == nil {
			k, _ = item.Pair("type")
		}
		d.diag(CodeRequirementShape, d.R(k),
			"%s: AsyncAPI %s security entries are Security Requirement maps of scheme names to scopes (`- <schemeName>: []`); $ref and inline schemes are 3.x syntax",
			site.owner, d.Version.Raw)
		return
	}
	if req.Empty {
		d.diag(CodeEmptyRequirement, d.R(item),
			"%s: the empty requirement {} allows anonymous access, which makes this whole security list optional; remove it unless unauthenticated access is intended",
			site.owner)
		return
	}
	for _, e := range req.Entries {
		e = d.Entry(e) // (a scheme dropped since its unit was built: compdrop.go)
		if e.Scheme == nil {
			d.undefinedSchemeV2(site, e)
			continue
		}
		val := e.ScopesNode.Resolve()
		if val == nil || val.Kind != syntax.SequenceNode {
			r := d.R(e.Node)
			if val != nil && !val.IsNull() {
				r = d.R(val)
			}
			d.diag(CodeRequirementShape, r, "%s: the value of %s must be a list of scopes (use [] when none are needed)", site.owner, e.Name)
			continue
		}
		d.checkScopes(e.Scheme, e.Scopes, val)
	}
}

func (d *Document) undefinedSchemeV2(site *securitySite, e *Entry) {
	names := make([]string, 0, len(d.Schemes))
	for _, s := range d.Schemes {
		names = append(names, s.Name)
	}
	msg := fmt.Sprintf("%s: security scheme %q is not defined in components.securitySchemes", site.owner, e.Name) +
		namesHint(e.Name, names, "defined schemes", "; declare it there")
	d.Diagnostics = append(d.Diagnostics, newDiag(CodeUndefinedScheme, d.R(e.Node), msg))
}

func (d *Document) checkEntryV3(site *securitySite, req *Requirement) {
	item := req.Node
	if len(req.Entries) == 0 {
		// Neither a $ref nor a scheme: most often v2 syntax copied into 3.x.
		msg := fmt.Sprintf("%s: AsyncAPI %s security entries are Security Scheme objects or $refs, not 2.x requirement maps", site.owner, d.Version.Raw)
		if len(item.Content) >= 2 {
			name := item.Content[0].Value
			if d.SchemeByName(name) != nil {
				msg += fmt.Sprintf("; write `- $ref: '#/components/securitySchemes/%s'`", name)
			} else {
				msg += "; write `- $ref: '#/components/securitySchemes/<name>'`"
			}
			if len(item.Content[1].Items()) > 0 {
				msg += " and put the scopes in that scheme's `scopes` list"
			}
		}
		d.Diagnostics = append(d.Diagnostics, newDiag(CodeRequirementShape, d.R(item), msg))
		return
	}
	e := d.Entry(req.Entries[0]) // (a scheme dropped since its unit was built: compdrop.go)
	if e.Ref == nil {
		return // inline scheme (a use): checked with the other schemes
	}
	r := e.Ref
	if !r.Local && r.Resolved == nil && r.missingIn == 0 {
		// Another file that was not read, or not followed: the $ref's own
		// diagnostic (ref-*) explains, or nothing when it is not followed.
		return
	}
	d.claim(r)
	for i := 0; i+1 < len(item.Content); i += 2 {
		if k := item.Content[i]; k.Value != "$ref" {
			dg := newDiag(CodeRequirementShape, d.R(k), fmt.Sprintf(
				"%s: %q next to $ref is ignored (a Reference Object cannot carry other fields); to ask for scopes here, write the scheme inline or declare a separate component with those `scopes`",
				site.owner, k.Value))
			dg.Severity = syntax.SeverityWarning
			d.Diagnostics = append(d.Diagnostics, dg)
		}
	}
	switch {
	case r.Resolved == nil:
		const prefix = "#/components/securitySchemes/"
		var msg string
		if name, ok := strings.CutPrefix(workspace.ParseRef(r.Target).Fragment, prefix); ok && !strings.Contains(name, "/") {
			var names []string
			where := "components.securitySchemes"
			if r.missingIn != 0 {
				f := d.ext.files[r.missingIn]
				where = d.refDisplay(f.path) + " " + where
				f.root.Key("components").Key("securitySchemes").Pairs(func(k, _ *syntax.Node) { names = append(names, k.Value) })
			} else {
				for _, s := range d.Schemes {
					names = append(names, s.Name)
				}
			}
			msg = fmt.Sprintf("%s: security scheme %q is not defined in %s", site.owner, name, where)
			msg += namesHint(name, names, "defined schemes", "; declare it there")
		} else {
			msg = fmt.Sprintf("%s: security $ref %s does not resolve (%s)", site.owner, r.Target, r.Err)
		}
		d.Diagnostics = append(d.Diagnostics, newDiag(CodeUndefinedScheme, d.R(r.Value), msg))
	case e.Scheme == nil:
		what := "something that is not a Security Scheme (no known `type`)"
		if r.Resolved == d.Root {
			what = "the whole document, which is not a Security Scheme"
		}
		dg := newDiag(CodeRefTarget, d.R(r.Value), fmt.Sprintf(
			"%s: $ref '%s' points to %s; point it to an entry of components.securitySchemes",
			site.owner, r.Target, what))
		dg.Related = []syntax.Related{{Range: d.R(r.Resolved), Message: "the $ref points here"}}
		d.Diagnostics = append(d.Diagnostics, dg)
	default: // a use, counted by replayUses
	}
}

// checkScopes checks scopes requested for scheme (2.x requirement values,
// 3.x scheme `scopes`).
func (d *Document) checkScopes(s *Scheme, scopes []Scope, list *syntax.Node) {
	if len(scopes) == 0 {
		return
	}
	switch s.Type {
	case "oauth2":
	case "openIdConnect":
		return // scopes are discovered at run time: nothing to compare with
	default:
		if _, known := schemeTypes[s.Type]; !known {
			return // the type itself is reported
		}
		dg := newDiag(CodeScopesNotAllowed, d.R(list), fmt.Sprintf(
			"scheme %s has type %s, which takes no scopes (only oauth2 and openIdConnect do); use an empty list", s.Name, s.Type))
		if s.Key != nil {
			dg.Related = []syntax.Related{{Range: d.R(s.Key), Message: "scheme " + s.Name + " is declared here"}}
		}
		d.Diagnostics = append(d.Diagnostics, dg)
		return
	}
	declaredMaps := false
	for _, f := range s.Flows {
		if f.ScopesNode != nil {
			declaredMaps = true
		}
	}
	if !declaredMaps {
		return // the scheme itself is reported as incomplete
	}
	declared := s.DeclaredScopes()
	names := make([]string, len(declared))
	for i, sc := range declared {
		names[i] = sc.Name
	}
	field := "scopes"
	if d.Version.V3() {
		field = "availableScopes"
	}
	for _, sc := range scopes {
		if sc.Node == nil || sc.Node.Kind != syntax.ScalarNode || sc.Node.IsNull() {
			continue // an empty list item while typing: nothing to check yet
		}
		if len(s.FlowsGranting(sc.Name)) > 0 {
			continue
		}
		msg := fmt.Sprintf("scope %q is not declared by any flow of scheme %s", sc.Name, s.Name)
		if sg := suggest(sc.Name, names); sg != "" {
			msg += fmt.Sprintf("; did you mean %q?", sg)
		}
		if len(names) > 0 {
			msg += fmt.Sprintf(" (declared: %s)", strings.Join(names, ", "))
		} else {
			msg += fmt.Sprintf(" (its flows declare no scopes; add it to a flow's %s)", field)
		}
		dg := newDiag(CodeUndefinedScope, d.R(sc.Node), msg)
		r := d.R(s.Node)
		if s.FlowsNode != nil {
			r = d.R(s.FlowsNode)
		}
		dg.Related = []syntax.Related{{Range: r, Message: "flows of scheme " + s.Name}}
		d.Diagnostics = append(d.Diagnostics, dg)
	}
}

func (d *Document) checkScheme(s *Scheme) {
	defer d.relocateSince(len(d.Diagnostics), schemeVia(s.Node), s.Node, s.Key)
	n := s.Node
	anchor := d.R(n)
	if s.Key != nil {
		anchor = d.R(s.Key)
	}
	if n == nil || n.Kind != syntax.MappingNode {
		if r := d.refAt(n); r != nil {
			return // an unresolved $ref: ref-unresolved explains
		}
		d.diag(CodeSchemeType, anchor, "security scheme %s must be a mapping with at least a `type`", s.Name)
		return
	}
	if r := d.refAt(n); r != nil {
		return // an unresolved $ref: ref-unresolved explains
	}
	minor, known := schemeTypes[s.Type]
	switch {
	case s.TypeNode == nil:
		d.diag(CodeSchemeType, anchor, "security scheme %s has no `type`; add one of: %s", s.Name, strings.Join(SchemeTypes(d.Version), ", "))
		return
	case !known:
		msg := fmt.Sprintf("security scheme %s: unknown type %q", s.Name, s.TypeNode.Value)
		if sg := suggestFold(s.TypeNode.Value, SchemeTypes(d.Version)); sg != "" {
			msg += fmt.Sprintf("; did you mean %q?", sg)
		} else {
			msg += "; valid types: " + strings.Join(SchemeTypes(d.Version), ", ")
		}
		d.Diagnostics = append(d.Diagnostics, newDiag(CodeSchemeType, d.R(s.TypeNode), msg))
		return
	case !d.Version.V3() && d.Version.Minor < minor:
		d.diag(CodeSchemeType, d.R(s.TypeNode), "security scheme %s: type %s (SASL) exists only from AsyncAPI 2.1.0; this document is %s",
			s.Name, s.Type, d.Version.Raw)
	}
	field := func(name string) (*syntax.Node, *syntax.Node) { return n.Pair(name) }
	for f, types := range schemeTypeFields {
		if k, _ := field(f); k != nil && !contains(types, s.Type) {
			d.diag(CodeSchemeField, d.R(k), "security scheme %s: `%s` does not apply to type %s (it is for %s)", s.Name, f, s.Type, strings.Join(types, ", "))
		}
	}
	requireStr := func(name, what string) *syntax.Node {
		k, v := field(name)
		if k == nil {
			d.diag(CodeSchemeField, d.anchorFor(s, n), "security scheme %s (type %s) needs `%s`: %s", s.Name, s.Type, name, what)
			return nil
		}
		if v.Kind != syntax.ScalarNode || v.Str() == "" {
			d.diag(CodeSchemeField, d.fieldRange(k, v), "security scheme %s: `%s` must be a non-empty string (%s)", s.Name, name, what)
			return nil
		}
		return v
	}
	switch s.Type {
	case "httpApiKey", "apiKey":
		if s.Type == "httpApiKey" {
			requireStr("name", "the name of the header, query or cookie parameter")
		}
		valid := inValues[s.Type]
		if v := requireStr("in", "one of "+strings.Join(valid, ", ")); v != nil && !contains(valid, v.Value) {
			d.diag(CodeSchemeField, d.R(v), "security scheme %s: `in: %s` is not valid for type %s; use one of %s", s.Name, v.Value, s.Type, strings.Join(valid, ", "))
		}
		d.auditAPIKeyInQuery(s)
	case "http":
		v := requireStr("scheme", "an HTTP authentication scheme such as bearer or basic (RFC 7235)")
		if k, _ := field("bearerFormat"); k != nil && v != nil && !strings.EqualFold(v.Value, "bearer") {
			d.diag(CodeSchemeField, d.R(k), "security scheme %s: `bearerFormat` applies only to `scheme: bearer` (this one is %s)", s.Name, v.Value)
		}
	case "openIdConnect":
		if v := requireStr("openIdConnectUrl", "the OpenID Connect discovery URL"); v != nil {
			d.checkURL(s, "openIdConnectUrl", v)
		}
	case "oauth2":
		d.checkFlows(s, n)
		d.auditFlows(s)
	}
	if d.Version.V3() {
		if k, v := field("scopes"); k != nil {
			if v.Kind != syntax.SequenceNode && !v.IsNull() {
				d.diag(CodeSchemeField, d.R(v), "security scheme %s: `scopes` must be a list of scope names", s.Name)
			} else {
				d.checkScopes(s, s.Scopes, v)
			}
		}
	}
}

func (d *Document) anchorFor(s *Scheme, n *syntax.Node) syntax.Range {
	if s.Key != nil {
		return d.R(s.Key)
	}
	if s.TypeNode != nil {
		return d.R(s.TypeNode)
	}
	return d.R(n)
}

func (d *Document) fieldRange(k, v *syntax.Node) syntax.Range {
	if v == nil || v.IsNull() {
		return d.R(k)
	}
	return d.R(v)
}

func (d *Document) checkFlows(s *Scheme, n *syntax.Node) {
	k, v := n.Pair("flows")
	if k == nil {
		d.diag(CodeSchemeField, d.anchorFor(s, n), "security scheme %s (type oauth2) needs `flows` with at least one of: %s", s.Name, strings.Join(flowNames, ", "))
		return
	}
	if v.Resolve() == nil || v.Resolve().Kind != syntax.MappingNode {
		d.diag(CodeSchemeField, d.fieldRange(k, v), "security scheme %s: `flows` must be a mapping of flow names (%s) to flows", s.Name, strings.Join(flowNames, ", "))
		return
	}
	scopesKey, otherKey := "scopes", "availableScopes"
	if d.Version.V3() {
		scopesKey, otherKey = otherKey, scopesKey
	}
	for _, f := range s.Flows {
		urls, known := flowURLs[f.Name]
		if !known {
			msg := fmt.Sprintf("security scheme %s: unknown OAuth flow %q", s.Name, f.Name)
			if sg := suggestFold(f.Name, flowNames); sg != "" {
				msg += fmt.Sprintf("; did you mean %q?", sg)
			} else {
				msg += "; valid flows: " + strings.Join(flowNames, ", ")
			}
			d.Diagnostics = append(d.Diagnostics, newDiag(CodeSchemeField, d.R(f.Key), msg))
			continue
		}
		if f.Node == nil || f.Node.Kind != syntax.MappingNode {
			d.diag(CodeSchemeField, d.R(f.Key), "security scheme %s: flow %s must be a mapping with its URLs and %s", s.Name, f.Name, scopesKey)
			continue
		}
		for _, u := range []string{"authorizationUrl", "tokenUrl"} {
			required, mentioned := urls[u]
			uk, uv := f.Node.Pair(u)
			switch {
			case mentioned && required && uk == nil:
				d.diag(CodeSchemeField, d.R(f.Key), "security scheme %s: the %s flow needs `%s`", s.Name, f.Name, u)
			case mentioned && !required && uk != nil:
				d.diag(CodeSchemeField, d.R(uk), "security scheme %s: the %s flow does not use `%s`; remove it", s.Name, f.Name, u)
			case uk != nil:
				d.checkURL(s, u, uv)
			}
		}
		if uk, uv := f.Node.Pair("refreshUrl"); uk != nil {
			d.checkURL(s, "refreshUrl", uv)
		}
		if ok, _ := f.Node.Pair(otherKey); ok != nil {
			d.diag(CodeSchemeField, d.R(ok), "security scheme %s: in AsyncAPI %s the flow's scope map is `%s`, not `%s`", s.Name, d.Version.Raw, scopesKey, otherKey)
		}
		sk, sv := f.Node.Pair(scopesKey)
		switch {
		case sk == nil:
			if ok, _ := f.Node.Pair(otherKey); ok == nil {
				d.diag(CodeSchemeField, d.R(f.Key), "security scheme %s: the %s flow needs `%s`, a map of scope names to descriptions (it may be empty: {})", s.Name, f.Name, scopesKey)
			}
		case sv.Resolve() == nil || (sv.Resolve().Kind != syntax.MappingNode && !sv.IsNull()):
			d.diag(CodeSchemeField, d.R(sv), "security scheme %s: `%s` must be a map of scope names to descriptions", s.Name, scopesKey)
		}
	}
}

func (d *Document) checkURL(s *Scheme, field string, v *syntax.Node) {
	if v == nil || v.Kind != syntax.ScalarNode {
		return
	}
	u, err := url.Parse(v.Value)
	absolute := err == nil && u.Scheme != "" && u.Host != ""
	if err != nil || (d.Version.AtLeast(2, 5) && !absolute) {
		d.diag(CodeSchemeField, d.R(v), "security scheme %s: `%s` must be an absolute URL (for example https://auth.example.com/...)", s.Name, field)
		return
	}
	d.auditURL(s, field, v)
}

// checkChannel checks the servers list of a channel.
func (d *Document) checkChannel(c *Channel) {
	if !d.Version.V3() && !d.Version.AtLeast(2, 2) {
		return // channel servers exist from 2.2.0; before, every server applies
	}
	if c.ServersInvalid {
		d.diag(CodeChannelServerUndefined, d.R(c.ServersNode), "channel %s: `servers` must be a list of %s; as written, the servers this channel is available on are unknown",
			c.Name, map[bool]string{true: "$refs to servers (`- $ref: '#/servers/<name>'`)", false: "server names"}[d.Version.V3()])
		return
	}
	for _, ref := range d.ServersOf(c) {
		if ref.OutsideRoot {
			d.diag(CodeChannelServerUndefined, d.R(ref.Node), "channel %s: a root channel's servers must be in the root Servers Object, and %s is not (AsyncAPI %s: it MUST NOT point to the Components Object); reference it from servers and write `- $ref: '#/servers/<name>'`%s",
				c.Name, ref.Ref.Target, d.Version.Raw, d.serverHint())
			continue
		}
		if ref.Duplicate {
			d.diag(CodeChannelServerDuplicate, d.R(ref.Node), "channel %s: server %s is listed more than once (channel servers must be unique); remove the repeated entry", c.Name, ref.Server.Name)
			continue
		}
		if ref.Server != nil {
			continue
		}
		item := ref.Node
		if d.Version.V3() {
			r := ref.Ref
			switch {
			case r == nil && item.Kind == syntax.ScalarNode && d.ServerByName(item.Value) != nil:
				d.diag(CodeChannelServerUndefined, d.R(item), "channel %s: in AsyncAPI %s channel servers are $refs; write `- $ref: '#/servers/%s'`", c.Name, d.Version.Raw, item.Value)
			case r == nil:
				d.diag(CodeChannelServerUndefined, d.R(item), "channel %s: channel servers must be $refs to servers, e.g. `- $ref: '#/servers/<name>'`", c.Name)
			case !r.Local:
			case r.Resolved == nil:
				d.diag(CodeChannelServerUndefined, d.R(item), "channel %s: server $ref %s does not resolve (%s)%s", c.Name, r.Target, r.Err, d.serverHint())
			default:
				d.diag(CodeChannelServerUndefined, d.R(item), "channel %s: $ref %s does not point to a server%s", c.Name, r.Target, d.serverHint())
			}
			continue
		}
		if item.Kind != syntax.ScalarNode || item.IsNull() {
			d.diag(CodeChannelServerUndefined, d.R(item), "channel %s: each servers entry must be the name of a server in servers", c.Name)
			continue
		}
		var names []string
		for _, s := range d.RootServers() {
			names = append(names, s.Name)
		}
		msg := fmt.Sprintf("channel %s: server %q is not defined in servers", c.Name, item.Value) +
			namesHint(item.Value, names, "defined servers", "")
		d.Diagnostics = append(d.Diagnostics, newDiag(CodeChannelServerUndefined, d.R(item), msg))
	}
}

func (d *Document) serverHint() string {
	var names []string
	for _, s := range d.RootServers() {
		names = append(names, "#/servers/"+escapePointerToken(s.Name))
	}
	if len(names) == 0 {
		return "; the document declares no servers"
	}
	return "; servers: " + strings.Join(names, ", ")
}

func (d *Document) checkUnused() {
	d.useCount = d.countUses()
	d.reportUnused()
}

// countUses counts the uses of each component scheme in the document.
func (d *Document) countUses() map[*Scheme]int {
	count := make(map[*Scheme]int, len(d.Schemes))
	for s, uses := range d.replayUses(d.securities, d.Refs) {
		if s.Key != nil {
			count[s] = len(uses)
		}
	}
	return count
}

func (d *Document) reportUnused() {
	broken := d.Tree.BrokenRegions()
	// The unused schemes' names of name bytes are looked for in one pass
	// over the broken regions (wordsAmong), without the set of every word
	// there (brokenWords): a broken section may be most of the text.
	var want map[string]bool
	for _, s := range d.Schemes {
		if esc := escapePointerToken(s.Name); d.useCount[s] == 0 && len(broken) > 0 && isName(s.Name) && isName(esc) {
			if want == nil {
				want = map[string]bool{}
			}
			want[s.Name], want[esc] = true, true
		}
	}
	found := d.wordsAmong(broken, want)
	for _, s := range d.Schemes {
		if d.useCount[s] != 0 {
			continue
		}
		named := false
		if esc := escapePointerToken(s.Name); want[s.Name] {
			named = found[s.Name] || found[esc]
		} else {
			named = d.namedInBroken(s.Name, broken)
		}
		if !named {
			d.diag(CodeUnusedScheme, d.R(s.Key), "security scheme %s is declared but never used by a server, operation or trait", s.Name)
		}
	}
}

// wordsAmong returns those of want that are words (maximal runs of name
// bytes) of a broken region outside comments, as brokenWords finds them.
func (d *Document) wordsAmong(broken []syntax.Range, want map[string]bool) map[string]bool {
	if len(want) == 0 {
		return nil
	}
	found := map[string]bool{}
	for _, r := range broken {
		text := d.Tree.Text[r.Start:r.End]
		for i := 0; i < len(text); {
			c := text[i]
			switch {
			case c == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t' || text[i-1] == '\n'):
				// a comment, to the end of its line
				for i < len(text) && text[i] != '\n' {
					i++
				}
			case !nameByte(c):
				i++
			default:
				j := i
				for j < len(text) && nameByte(text[j]) {
					j++
				}
				if want[string(text[i:j])] {
					found[string(text[i:j])] = true
				}
				i = j
			}
		}
	}
	return found
}

// namedInBroken reports whether the text of a broken region (a line being
// typed, syntax.Tree.BrokenRegions) names the scheme: the region's uses
// are not in the model, so whether the scheme is used cannot be told
// until the region parses. Saying it is unused while the user types its
// requirement or $ref would be false; the text is the only honest source
// (the last good version may not have used it yet).
func (d *Document) namedInBroken(name string, broken []syntax.Range) bool {
	if name == "" {
		return false
	}
	esc := escapePointerToken(name)
	for _, r := range broken {
		if isName(name) && isName(esc) {
			// A name of name bytes only is a word of the region: one
			// scan of the region serves every name asked about (a broken
			// section may explain thousands of $refs into it).
			words := d.brokenWords(r)
			if words[name] || words[esc] {
				return true
			}
			continue
		}
		for _, line := range uncommentedLines(d.Tree.Text[r.Start:r.End]) {
			if containsToken(line, name) || (esc != name && containsToken(line, esc)) {
				return true
			}
		}
	}
	return false
}

// uncommentedLines returns the lines of text without their comments (a
// name in a comment is no use of it).
func uncommentedLines(text []byte) [][]byte {
	lines := bytes.Split(text, []byte("\n"))
	for j, line := range lines {
		for i, c := range line {
			if c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
				lines[j] = line[:i]
				break
			}
		}
	}
	return lines
}

// brokenWords returns the words (maximal runs of name bytes) of the
// broken region r outside comments, made once per region: a name of name
// bytes is a word there exactly when containsToken finds it.
func (d *Document) brokenWords(r syntax.Range) map[string]bool {
	if w, ok := d.brokenWordsOf[r]; ok {
		return w
	}
	w := map[string]bool{}
	for _, line := range uncommentedLines(d.Tree.Text[r.Start:r.End]) {
		for i := 0; i < len(line); {
			if !nameByte(line[i]) {
				i++
				continue
			}
			j := i
			for j < len(line) && nameByte(line[j]) {
				j++
			}
			w[string(line[i:j])] = true
			i = j
		}
	}
	if d.brokenWordsOf == nil {
		d.brokenWordsOf = map[syntax.Range]map[string]bool{}
	}
	d.brokenWordsOf[r] = w
	return w
}

// isName reports whether s is a non-empty run of name bytes.
func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !nameByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// nameByte reports whether c may be part of a name (letters, digits, '_',
// '-', '.', '~', and any byte of a multi-byte character).
func nameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c == '~' || c >= 0x80 ||
		('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// containsToken reports whether text holds tok not inside a longer name
// (letters, digits, '_', '-', '.', '~').
func containsToken(text []byte, tok string) bool {
	for off := 0; off < len(text); {
		i := bytes.Index(text[off:], []byte(tok))
		if i < 0 {
			return false
		}
		i += off
		e := i + len(tok)
		if (i == 0 || !nameByte(text[i-1])) && (e == len(text) || !nameByte(text[e])) {
			return true
		}
		off = i + 1
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// namesHint ends a "not defined" message: a likely typo's fix, else the
// names that do exist (as "<label>: a, b"), else none.
func namesHint(name string, names []string, label, none string) string {
	if s := suggest(name, names); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	if len(names) > 0 {
		return "; " + label + ": " + strings.Join(names, ", ")
	}
	return none
}

// suggest returns the candidate closest to s when it is close enough to be
// a likely typo.
func suggest(s string, candidates []string) string {
	best, bestDist := "", len([]rune(s))/4+1
	for _, c := range candidates {
		if dist := schema.EditDistance(s, c); dist < bestDist && c != s {
			best, bestDist = c, dist
		}
	}
	return best
}

// suggestFold is suggest that also catches a different letter case.
func suggestFold(s string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(s, c) {
			return c
		}
	}
	return suggest(s, candidates)
}

// NearestNames returns up to limit candidates that s is likely a typo of,
// nearest first: a different letter case first, then by edit distance
// (within a third of the length, plus one). Quick fixes offer them.
func NearestNames(s string, candidates []string, limit int) []string {
	type scored struct {
		name string
		dist int
	}
	var list []scored
	maxDist := len([]rune(s))/3 + 1
	for _, c := range candidates {
		if c == s {
			continue
		}
		dist := schema.EditDistance(s, c)
		if strings.EqualFold(s, c) {
			dist = 0
		}
		if dist <= maxDist {
			list = append(list, scored{c, dist})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].dist < list[j].dist })
	var out []string
	for _, sc := range list {
		if len(out) == limit {
			break
		}
		if !slices.Contains(out, sc.name) {
			out = append(out, sc.name)
		}
	}
	return out
}

// unquote strips the quotes of a quoted YAML or JSON scalar's text.
func unquote(s string) string {
	if len(s) < 2 || (s[0] != '\'' && s[0] != '"') || s[len(s)-1] != s[0] {
		return s
	}
	if s[0] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s[1 : len(s)-1]
}
