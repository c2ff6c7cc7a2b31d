package analysis

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/schema"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Version is the value of the root asyncapi field.
type Version struct {
	Raw                 string
	Major, Minor, Patch int
	Known               bool // one of KnownVersions()
}

// knownVersions are the AsyncAPI versions whose security rules are
// implemented (see shared security semantics, version by version).
var knownVersions = []string{"2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0"}

// KnownVersions returns the AsyncAPI versions whose security rules are
// implemented, oldest first; the caller owns the slice.
func KnownVersions() []string { return slices.Clone(knownVersions) }

// AtLeast reports whether v >= major.minor.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || (v.Major == major && v.Minor >= minor)
}

// V3 reports whether the document follows the 3.x model.
func (v Version) V3() bool { return v.Major >= 3 }

var versionRe = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)(?:-.+)?$`)

// Server is an entry of the root servers (or components.servers in 3.x).
type Server struct {
	Name      string
	Pointer   string
	Key, Node *syntax.Node
	Protocol  string
	Host      string // v3 host, v2 url
	Security  *Security
	// Problem says why the server's content is unknown: ProblemUnresolved
	// (its $ref does not resolve), ProblemExternal (its $ref points into
	// another document) or ProblemInvalid (the value is not a mapping).
	// Such a server is never "without security": its security is unknown.
	Problem string
}

// Why a server or an operation cannot be read.
const (
	ProblemUnresolved = "unresolved"
	ProblemExternal   = "external"
	ProblemInvalid    = "invalid"
)

// problemOf says why the value v (a $ref holder or the value itself, n
// after following the $ref) cannot be modelled, or "".
func (d *Document) problemOf(v, n *syntax.Node) string {
	if r := d.refAt(v.Resolve()); r != nil && r.Resolved == nil {
		if !r.Local {
			return ProblemExternal
		}
		return ProblemUnresolved
	}
	if n == nil || n.Kind != syntax.MappingNode {
		return ProblemInvalid
	}
	return ""
}

// Security is one `security` field: a list of alternatives of which one
// must be satisfied (OR).
type Security struct {
	Key, Node    *syntax.Node
	Alternatives []*Requirement
	via          *syntax.Node // see securitySite.via
}

// Requirement is one alternative of a security list. In 2.x it is a map of
// scheme names that must all hold (AND); in 3.x it has exactly one entry.
type Requirement struct {
	Node    *syntax.Node
	Entries []*Entry
	Empty   bool // a 2.x {}: anonymous access is allowed
}

// Entry is one scheme required by an alternative, with the scopes asked for.
type Entry struct {
	Node       *syntax.Node // 2.x: the name key; 3.x: the list item
	Name       string
	Scheme     *Scheme // nil when undefined or external
	Ref        *Ref    // 3.x $ref, if the entry is one
	Scopes     []Scope
	ScopesNode *syntax.Node
	External   bool
}

// Scope is a scope name as written.
type Scope struct {
	Name string
	Node *syntax.Node
}

// Scheme is a Security Scheme Object: a components.securitySchemes entry or
// (3.x) a scheme written inline in a security list.
type Scheme struct {
	Name      string // component name, or the JSON pointer of an inline scheme
	Pointer   string
	Key       *syntax.Node // the component key; nil for inline schemes
	Node      *syntax.Node // the scheme mapping, after following a $ref
	Inline    bool
	Type      string
	TypeNode  *syntax.Node
	Fields    map[string]string // scalar fields: description, in, name, scheme, ...
	Flows     []*Flow
	FlowsNode *syntax.Node
	// Scopes is 3.x scheme-level `scopes`: the scopes a user of this scheme
	// object needs.
	Scopes     []Scope
	ScopesNode *syntax.Node
	// origin is the first version of a component scheme that unit
	// rebuilds made again (nil: this is one): the key of
	// Document.schemeNow.
	origin *Scheme
}

// Use is a place that requires a scheme.
type Use struct {
	Range syntax.Range
	Owner string // "server production", "operation sendOrder", ... ("" when unknown)
}

// Flow is an OAuth flow of an oauth2 scheme.
type Flow struct {
	Name       string
	Key, Node  *syntax.Node
	Scopes     []ScopeDecl // v2 scopes / v3 availableScopes
	ScopesNode *syntax.Node
}

// ScopeDecl is a scope a flow declares, with its description.
type ScopeDecl struct {
	Name, Description string
	Key               *syntax.Node
}

// Channel is a root channel (a 2.x channel item or a 3.x channel).
type Channel struct {
	Name      string
	Pointer   string
	Key, Node *syntax.Node
	Address   string
	// Servers: empty, available on all servers. As this channel's
	// document was built; a later version that shares the channel after
	// the root servers moved looks them up again: read them through
	// Document.ServersOf.
	Servers []*ServerRef
	// ServersNode is the value of `servers`; ServersInvalid is set when it
	// is present but not a list, which makes the servers unknown (never
	// "all servers").
	ServersNode    *syntax.Node
	ServersInvalid bool
}

// ServerRef is one entry of a channel's servers list.
type ServerRef struct {
	Node   *syntax.Node // 2.x: the name; 3.x: the $ref value (or the item)
	Name   string
	Server *Server
	Ref    *Ref // 3.x
	// OutsideRoot is set when a root channel references a server that is
	// not in the root Servers Object (3.x: "MUST point to a subset of
	// server definitions located in the root Servers Object"); such an
	// entry does not apply.
	OutsideRoot bool
	// Duplicate is set on the second and later entries naming a server the
	// list already names.
	Duplicate bool
}

// Operation is a 2.x publish/subscribe operation or a 3.x operation.
type Operation struct {
	Name      string // 3.x key; 2.x operationId or "<channel> <action>"
	Pointer   string
	Key, Node *syntax.Node
	Action    string
	Channel   *Channel
	Security  *Security
	Traits    []*Trait
	Reply     *syntax.Node
	// Problem: see Server.Problem (a 3.x operation given as a $ref).
	Problem string
	// ChannelProblem is ProblemUnresolved or ProblemExternal when the 3.x
	// operation's channel $ref cannot be followed: its servers are unknown.
	ChannelProblem string
}

// Trait is an operation trait (components.operationTraits entry or inline).
type Trait struct {
	Name      string
	Pointer   string
	Key, Node *syntax.Node
	Security  *Security
}

// Document is the analyzed form of one text version.
type Document struct {
	Text        []byte
	Mapper      *syntax.Mapper
	Tree        *syntax.Tree
	Root        *syntax.Node
	IsAsyncAPI  bool
	Version     Version
	Servers     []*Server
	Channels    []*Channel
	Operations  []*Operation
	Schemes     []*Scheme // components.securitySchemes, in source order
	Inline      []*Scheme // 3.x inline schemes
	Traits      []*Trait
	Refs        []*Ref
	Diagnostics []syntax.Diagnostic
	// made: the diagnostics before dropExplained removed those a syntax
	// error explains (the same slice when none was); what the units made,
	// which an update keeps for the units it does not rebuild, since the
	// syntax error that explained one may be gone.
	made []syntax.Diagnostic

	// ComponentChannels are 2.x components.channels: checked like root
	// channels, but their operations are not in Operations.
	ComponentChannels []*Channel

	securities    []*securitySite
	schemeByNode  map[*syntax.Node]*Scheme
	serverByNode  map[*syntax.Node]*Server
	channelByNode map[*syntax.Node]*Channel
	refByHolder   map[*syntax.Node]*Ref
	// For documents a unit rebuild made (model_inc.go): the nodes whose
	// $ref, scheme, server or channel differ from the maps above, which are
	// shared with the document the last full build made.
	refOver map[*syntax.Node]*Ref
	targets *refTargets // the $refs of the full build by the pointers they read (reftargets.go)
	// targetsSince: the pointers read by the $refs made, or resolved
	// another way, by the unit rebuilds since that full build
	targetsSince []targetOf
	// refEdits: how the unit rebuilds since that full build changed the
	// list of $refs (reftargets.go)
	refEdits    []refEdit
	schemeOver  map[*syntax.Node]*Scheme
	serverOver  map[*syntax.Node]*Server
	channelOver map[*syntax.Node]*Channel
	// runs says, for each entry of each model section, what it added to
	// the model's slices (model_inc.go).
	runs [numSections][]unitRuns
	// merges: the model sections that merge entries in (`<<`), whose
	// units are not their pairs in order (model_inc.go: sectionUnits).
	merges [numSections]bool
	// mergeIdx: for each section that merges entries in, from inline
	// mappings (sectionUnits), each unit's key node to its index in build
	// order (unitAt); nil for the others.
	mergeIdx [numSections]*mergeIndex
	keyIdx   keyIndex
	useCount map[*Scheme]int // uses of each component scheme
	// schemeNow: for each component scheme a unit rebuild made again
	// since the last full build (by its origin), its version in this
	// document. An entry of a unit kept (shared with earlier versions)
	// still points to the version it was built with; Entry and current
	// read the scheme through this table (model_inc.go, "Forwarded
	// schemes").
	schemeNow map[*Scheme]*Scheme
	// srvLists: for each channel shared with an earlier version after the
	// root servers moved (srvlook.go), its servers as looked up in this
	// document; ServersOf reads them.
	srvLists map[*Channel][]*ServerRef
	modelOK  bool          // build and check ran to the end
	pre2     bool          // a 1.x (or older) document: only the version is reported
	entry    *entryRebuild // set while units are rebuilt
	usesOnce sync.Once
	uses     map[*Scheme][]Use
	ext      *extState // other files its $refs lead into (external.go)
	// validating is set while validateSchema runs: the other files'
	// $refs it meets first are its own (extState.metByValidation).
	validating bool
	far        map[any][]syntax.Diagnostic // the model objects whose checks reported on another file, with those diagnostics as made (markFar)
	inc        incState                    // how Update built this document (incremental.go)
	schemaRes  *schema.Result              // schema validation, kept for the next Update (schemacheck.go)
	// schemaPending: for a version with a syntax error (not validated),
	// the last result and the entries replaced since (schemacheck.go)
	schemaPending *schemaUpdate
	shifts        *syntax.ShiftLog // translates the ranges of shared nodes (shift.go)
	lastGood      *Document        // see LastGood (lastgood.go)
	lastGoodSame  int              // see LastGoodSame (lastgood.go)
	// brokenWordsOf caches the words of broken regions while the checks
	// ask which names they hold (namedInBroken).
	brokenWordsOf map[syntax.Range]map[string]bool
}

// SecurityLists returns every security list of the document (servers,
// operations, traits), in the order the model found them.
func (d *Document) SecurityLists() []*Security {
	out := make([]*Security, len(d.securities))
	for i, site := range d.securities {
		out[i] = site.sec
	}
	return out
}

// SecurityListsAt returns, in the order of SecurityLists, the security
// lists whose node holds off (and those without a node): those whose
// entries a position may be in, without a copy of every list.
func (d *Document) SecurityListsAt(off int) []*Security {
	var out []*Security
	for _, site := range d.securities {
		if site.sec.Node == nil || d.R(site.sec.Node).Contains(off) {
			out = append(out, site.sec)
		}
	}
	return out
}

// securitySite remembers where a security list was found, for checks.
type securitySite struct {
	sec         *Security
	owner       string // "server production", "operation sendOrder", ...
	onOperation bool
	// via is the alias or merge source the list came through, where its
	// findings are reported; nil when it is written in place.
	via *syntax.Node
}

// SchemeByName returns the components.securitySchemes entry name.
func (d *Document) SchemeByName(name string) *Scheme {
	for _, s := range d.Schemes {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// ServerByName returns the root server name.
func (d *Document) ServerByName(name string) *Server {
	for _, s := range d.Servers {
		if s.Name == name && s.Pointer == PointerTo("servers", name) {
			return s
		}
	}
	return nil
}

// RootServers returns the root servers (not those in components).
func (d *Document) RootServers() []*Server {
	var out []*Server
	for _, s := range d.Servers {
		if s.Pointer == PointerTo("servers", s.Name) {
			out = append(out, s)
		}
	}
	return out
}

func (d *Document) diag(code string, r syntax.Range, format string, args ...any) *syntax.Diagnostic {
	d.Diagnostics = append(d.Diagnostics, newDiag(code, r, fmt.Sprintf(format, args...)))
	return &d.Diagnostics[len(d.Diagnostics)-1]
}

// build constructs the model from the tree. It never stops early.
func (d *Document) build() {
	root := d.Root
	d.schemeByNode = map[*syntax.Node]*Scheme{}
	d.serverByNode = map[*syntax.Node]*Server{}
	d.channelByNode = map[*syntax.Node]*Channel{}
	if d.inc.presetRefs && d.inc.makeRefs != nil {
		d.Refs = d.inc.makeRefs()
	} else {
		d.Refs = collectRefs(root)
	}
	d.inc.refsComplete = true
	d.keyIdx = keyIndex{}
	d.refByHolder = resolveRefsIndexed(root, d.Refs, d.keyIdx)
	d.targets = &refTargets{refs: d.Refs}
	d.followExternal()
	for sec := range numSections {
		if !sec.inVersion(d.Version) {
			continue
		}
		var runs []unitRuns
		d.merges[sec] = mergesIn(d.sectionMap(sec))
		d.mergeIdx[sec] = newMergeIndex(d.merges[sec], d.sectionMap(sec))
		pairsMerged(d.sectionMap(sec), func(k, v *syntax.Node) {
			start := d.lens()
			d.addUnit(sec, k, v)
			runs = append(runs, spanOf(start, d.lens()))
		})
		d.runs[sec] = runs
	}
}

// addUnit models one entry of a model section. components.servers exists
// in 2.x too (2.3+ lets root servers $ref them): their security is checked
// and counts as a use.
func (d *Document) addUnit(sec section, k, v *syntax.Node) {
	switch sec {
	case secSchemes:
		d.Schemes = append(d.Schemes, d.newScheme(k.Value, PointerTo("components", "securitySchemes", k.Value), k, d.deref(v)))
	case secServers:
		d.addServer(k, v, PointerTo("servers", k.Value))
	case secCompServers:
		d.addServer(k, v, PointerTo("components", "servers", k.Value))
	case secTraits:
		d.Traits = append(d.Traits, d.newTrait(k.Value, PointerTo("components", "operationTraits", k.Value), k, d.deref(v)))
	case secChannels:
		d.addChannel(k, v, PointerTo("channels", k.Value), true)
	case secCompChannels:
		d.addChannel(k, v, PointerTo("components", "channels", k.Value), false)
	case secOperations:
		d.addOperationV3(k, v, PointerTo("operations", k.Value), true)
	case secCompOperations:
		d.addOperationV3(k, v, PointerTo("components", "operations", k.Value), false)
	}
}

// deref follows a {$ref} mapping to its target when it resolves locally.
func (d *Document) deref(n *syntax.Node) *syntax.Node {
	n = n.Resolve()
	if r := d.refAt(n); r != nil && r.Resolved != nil {
		return r.Resolved
	}
	return n
}

func (d *Document) addServer(k, v *syntax.Node, ptr string) {
	n := d.deref(v)
	s := &Server{Name: k.Value, Pointer: ptr, Key: k, Node: n, Protocol: n.Key("protocol").Str(), Problem: d.problemOf(v, n)}
	s.Host = n.Key("host").Str()
	if s.Host == "" {
		s.Host = n.Key("url").Str()
	}
	if sk, sv, via := pairVia(n, "security"); sk != nil {
		s.Security = d.parseSecurity(sk, sv, ptr+"/security", "server "+s.Name, false, viaOf(via, sv))
	}
	d.Servers = append(d.Servers, s)
	// A root server that is a $ref to components.servers shares its node:
	// it keeps the root name (root servers come first), which is what root
	// channels reference.
	if s.Problem == "" {
		d.setServerFirst(n, s)
	}
}

func (d *Document) addChannel(k, v *syntax.Node, ptr string, root bool) {
	n := d.deref(v)
	c := &Channel{Name: k.Value, Pointer: ptr, Key: k, Node: n, Address: n.Key("address").Str()}
	if d.Version.V3() && c.Address == "" && n.Key("address") == nil {
		c.Address = k.Value
	}
	if !d.Version.V3() {
		c.Address = k.Value
	}
	if root {
		d.Channels = append(d.Channels, c)
		d.setChannel(n, c) // the last channel wins, as a scan would
	} else {
		d.ComponentChannels = append(d.ComponentChannels, c)
	}
	c.ServersNode = n.Key("servers")
	if sv := c.ServersNode.Resolve(); sv != nil && sv.Kind != syntax.SequenceNode && !sv.IsNull() {
		c.ServersInvalid = true
	}
	// Only a channel written in the root Channels Object must stay within
	// the root servers; one that is a $ref to a component channel follows
	// the component's rule ("MAY point to a Server Object in any location").
	c.Servers = d.channelServers(n, root && d.refAt(v.Resolve()) == nil)
	if !d.Version.V3() {
		for _, action := range []string{"publish", "subscribe"} {
			if ok, ov := n.Pair(action); ok != nil {
				d.addOperationV2(c, action, ok, d.deref(ov), root)
			}
		}
	}
}

// channelServers returns the entries of the servers list of the channel
// modelled from n, each looked up among the servers built so far (a
// relinked channel's are looked up again so: relink.go).
func (d *Document) channelServers(n *syntax.Node, rootOnly bool) []*ServerRef {
	var out []*ServerRef
	var named namedServers
	for _, item := range n.Key("servers").Items() {
		ref := &ServerRef{Node: item}
		if d.Version.V3() {
			r := d.refAt(item.Resolve())
			if r != nil {
				ref.Node, ref.Ref = r.Value, r
				ref.Name = r.Target
				d.claim(r)
				if r.Resolved != nil {
					ref.Server = d.serverAt(r.Resolved)
				} else if name, ok := strings.CutPrefix(r.Target, "#/servers/"); ok && !strings.Contains(name, "/") {
					// A root server that itself cannot be read (its own
					// $ref is reported there): it is named, with unknown
					// security, not undefined.
					name = strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
					if srv := d.ServerByName(name); srv != nil && srv.Problem != "" {
						ref.Server = srv
					}
				}
				if ref.Server != nil {
					ref.Name = ref.Server.Name
				}
				if ref.Server != nil && rootOnly && !strings.HasPrefix(r.Target, "#/servers/") {
					ref.OutsideRoot = true
				}
			}
		} else {
			ref.Name = item.Str()
			ref.Server = d.ServerByName(ref.Name)
		}
		if ref.Server != nil && !ref.OutsideRoot {
			ref.Duplicate = named.add(out, ref.Server)
		}
		out = append(out, ref)
	}
	return out
}

// namedServers: the servers a channel's list named so far (entries that
// apply: not outside the root). A list names a few: they are looked for
// in it, and hashed once it is long.
type namedServers struct{ m map[*Server]bool }

// add reports whether s is named already by an entry of out (the list so
// far), and notes it.
func (n *namedServers) add(out []*ServerRef, s *Server) bool {
	if n.m == nil && len(out) < 8 {
		return slices.ContainsFunc(out, func(o *ServerRef) bool { return o.Server == s && !o.OutsideRoot })
	}
	if n.m == nil {
		n.m = map[*Server]bool{}
		for _, o := range out {
			if o.Server != nil && !o.OutsideRoot {
				n.m[o.Server] = true
			}
		}
	}
	seen := n.m[s]
	n.m[s] = true
	return seen
}

func (d *Document) addOperationV2(c *Channel, action string, k, n *syntax.Node, root bool) {
	ptr := c.Pointer + "/" + action
	op := &Operation{Name: n.Key("operationId").Str(), Pointer: ptr, Key: k, Node: n, Action: action, Channel: c}
	if op.Name == "" {
		op.Name = c.Name + " " + action
	}
	if sk, sv, via := pairVia(n, "security"); sk != nil {
		op.Security = d.parseSecurity(sk, sv, ptr+"/security", "operation "+op.Name, true, viaOf(via, sv))
	}
	d.addTraits(op, n.Key("traits"), ptr+"/traits")
	if root {
		d.Operations = append(d.Operations, op)
	}
}

func (d *Document) addOperationV3(k, v *syntax.Node, ptr string, root bool) {
	n := d.deref(v)
	op := &Operation{Name: k.Value, Pointer: ptr, Key: k, Node: n, Action: n.Key("action").Str(), Problem: d.problemOf(v, n)}
	if ch := n.Key("channel"); ch != nil {
		if r := d.refAt(ch.Resolve()); r != nil && r.Resolved == nil {
			op.ChannelProblem = ProblemUnresolved
			if !r.Local {
				op.ChannelProblem = ProblemExternal
			}
		} else if r != nil && r.Resolved != d.Root {
			op.Channel = d.channelAt(r.Resolved)
			if op.Channel == nil && d.entry != nil && !d.entry.onTheFlyOK(d, r.Resolved) {
				d.entry.fail("the channel is not a root channel")
			} else if op.Channel == nil {
				// A channel in components: model it on the fly so that its
				// servers still decide which server security applies.
				tmp := &Document{Version: d.Version, refByHolder: d.refByHolder, refOver: d.refOver, serverByNode: d.serverByNode, serverOver: d.serverOver, shifts: d.shifts, entry: d.entry}
				key := d.shifts.ScalarAt(r.Target, d.R(r.Value))
				tmp.addChannel(key, r.Resolved, r.Target, false)
				op.Channel = tmp.ComponentChannels[0]
			}
		}
	}
	if sk, sv, via := pairVia(n, "security"); sk != nil {
		op.Security = d.parseSecurity(sk, sv, ptr+"/security", "operation "+op.Name, true, viaOf(via, sv))
	}
	op.Reply = n.Key("reply")
	d.addTraits(op, n.Key("traits"), ptr+"/traits")
	if root {
		d.Operations = append(d.Operations, op)
	}
}

func (d *Document) addTraits(op *Operation, traits *syntax.Node, ptr string) {
	for i, t := range traits.Items() {
		tn := d.deref(t)
		if tn == nil {
			continue
		}
		var found *Trait
		for _, tr := range d.Traits {
			if tr.Node == tn {
				found = tr
			}
		}
		if found == nil && tn != t.Resolve() && d.entry != nil {
			d.entry.fail("a $ref to a trait outside components")
		}
		if found == nil {
			found = d.newTrait(fmt.Sprintf("%s/%d", ptr, i), fmt.Sprintf("%s/%d", ptr, i), nil, tn)
		}
		op.Traits = append(op.Traits, found)
	}
}

func (d *Document) newTrait(name, ptr string, k, n *syntax.Node) *Trait {
	t := &Trait{Name: name, Pointer: ptr, Key: k, Node: n}
	if sk, sv, via := pairVia(n, "security"); sk != nil {
		t.Security = d.parseSecurity(sk, sv, ptr+"/security", "operation trait "+name, true, viaOf(via, sv))
	}
	return t
}

// parseSecurity models a security list; the checks run later, once the
// whole model (all schemes) exists.
func (d *Document) parseSecurity(k, v *syntax.Node, ptr, owner string, onOperation bool, via *syntax.Node) *Security {
	sec := &Security{Key: k, Node: v, via: via}
	d.securities = append(d.securities, &securitySite{sec: sec, owner: owner, onOperation: onOperation, via: via})
	for i, item := range v.Items() {
		item = item.Resolve()
		req := &Requirement{Node: item}
		sec.Alternatives = append(sec.Alternatives, req)
		if item == nil || item.Kind != syntax.MappingNode {
			continue
		}
		if d.Version.V3() {
			d.parseEntryV3(req, item, fmt.Sprintf("%s/%d", ptr, i))
			continue
		}
		if len(item.Content) == 0 {
			req.Empty = true
		}
		item.Pairs(func(nk, nv *syntax.Node) {
			e := &Entry{Node: nk, Name: nk.Value, ScopesNode: nv, Scheme: d.SchemeByName(nk.Value)}
			for _, sc := range nv.Items() {
				e.Scopes = append(e.Scopes, Scope{Name: sc.Str(), Node: sc})
			}
			req.Entries = append(req.Entries, e)
		})
	}
	return sec
}

func (d *Document) parseEntryV3(req *Requirement, item *syntax.Node, ptr string) {
	if r := d.refAt(item); r != nil {
		e := &Entry{Node: item, Ref: r, Name: r.Target, External: !r.Local && r.Resolved == nil}
		if r.Resolved != nil {
			e.Scheme = d.schemeAt(r.Resolved)
			if d.entry != nil && d.entry.shared[e.Scheme] {
				d.entry.fail("a rebuilt unit would share an inline scheme a rebuilt unit made")
			}
			if d.entry != nil && d.entry.madeLater(e.Scheme) {
				d.entry.fail("a rebuilt unit names an inline scheme a later unit made")
			}
			if e.Scheme != nil && e.Scheme.Key != nil {
				e.Name = e.Scheme.Name
			} else if e.Scheme == nil && looksLikeScheme(r.Resolved) && d.entry != nil && !d.entry.inline[r.Resolved] && !d.entry.newFarInline(r.Resolved) {
				d.entry.fail("a $ref to a scheme outside components")
			} else if e.Scheme == nil && looksLikeScheme(r.Resolved) {
				e.Scheme = d.newScheme(r.Target, r.Target, nil, r.Resolved)
				e.Scheme.Inline = true
				d.Inline = append(d.Inline, e.Scheme)
			}
			if e.Scheme != nil {
				e.Scopes, e.ScopesNode = e.Scheme.Scopes, e.Scheme.ScopesNode
			}
		}
		req.Entries = append(req.Entries, e)
		return
	}
	if item.Key("type") == nil && !hasAnyKey(item, schemeFieldNames...) {
		return // not a scheme: the shape check explains
	}
	s := d.newScheme(ptr, ptr, nil, item)
	s.Inline = true
	d.Inline = append(d.Inline, s)
	req.Entries = append(req.Entries, &Entry{Node: item, Name: ptr, Scheme: s, Scopes: s.Scopes, ScopesNode: s.ScopesNode})
}

var schemeFieldNames = []string{"type", "flows", "openIdConnectUrl", "bearerFormat", "scheme", "in", "scopes", "description"}

func hasAnyKey(n *syntax.Node, keys ...string) bool {
	for _, k := range keys {
		if n.Key(k) != nil {
			return true
		}
	}
	return false
}

// looksLikeScheme decides whether a $ref target is a Security Scheme: it
// lives in components.securitySchemes, or it has a known scheme type.
func looksLikeScheme(n *syntax.Node) bool {
	_, ok := schemeTypes[n.Key("type").Str()]
	return ok
}

func (d *Document) newScheme(name, ptr string, k, n *syntax.Node) *Scheme {
	s := &Scheme{Name: name, Pointer: ptr, Key: k, Node: n, Fields: map[string]string{}}
	if n == nil {
		return s
	}
	if d.schemeOver != nil {
		d.schemeOver[n] = s
	} else {
		d.schemeByNode[n] = s
	}
	s.TypeNode = n.Key("type")
	s.Type = s.TypeNode.Str()
	for _, f := range []string{"description", "in", "name", "scheme", "bearerFormat", "openIdConnectUrl"} {
		if v := n.Key(f).Str(); v != "" {
			s.Fields[f] = v
		}
	}
	s.FlowsNode = n.Key("flows")
	scopesKey := "scopes"
	if d.Version.V3() {
		scopesKey = "availableScopes"
	}
	s.FlowsNode.Pairs(func(fk, fv *syntax.Node) {
		f := &Flow{Name: fk.Value, Key: fk, Node: fv.Resolve()}
		f.ScopesNode = f.Node.Key(scopesKey)
		f.ScopesNode.Pairs(func(sk, sv *syntax.Node) {
			f.Scopes = append(f.Scopes, ScopeDecl{Name: sk.Value, Description: sv.Str(), Key: sk})
		})
		s.Flows = append(s.Flows, f)
	})
	if d.Version.V3() {
		s.ScopesNode = n.Key("scopes")
		for _, sc := range s.ScopesNode.Items() {
			s.Scopes = append(s.Scopes, Scope{Name: sc.Str(), Node: sc})
		}
	}
	return s
}

// DeclaredScopes returns every scope the scheme's flows declare, in order,
// without duplicates.
func (s *Scheme) DeclaredScopes() []ScopeDecl {
	var out []ScopeDecl
	seen := map[string]bool{}
	for _, f := range s.Flows {
		for _, sc := range f.Scopes {
			if !seen[sc.Name] {
				seen[sc.Name] = true
				out = append(out, sc)
			}
		}
	}
	return out
}

// FlowsGranting returns the names of the flows that declare scope.
func (s *Scheme) FlowsGranting(scope string) []string {
	var out []string
	for _, f := range s.Flows {
		for _, sc := range f.Scopes {
			if sc.Name == scope {
				out = append(out, f.Name)
				break
			}
		}
	}
	return out
}

// parseVersion reads the root asyncapi field.
func parseVersion(n *syntax.Node) (Version, bool) {
	v := Version{Raw: n.Str()}
	m := versionRe.FindStringSubmatch(v.Raw)
	if n == nil || n.Kind != syntax.ScalarNode || n.Tag() != "!!str" || m == nil {
		return v, false
	}
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	v.Patch, _ = strconv.Atoi(m[3])
	// Tooling ignores the patch version ("no distinction between 1.0.0 and
	// 1.0.1"), and a pre-release of a known version follows its rules.
	for _, k := range knownVersions {
		if k == fmt.Sprintf("%d.%d.0", v.Major, v.Minor) {
			v.Known = true
		}
	}
	return v, true
}

// R returns the byte range of n in the document's text. Nodes shared with
// earlier versions keep their original Range field; always read ranges of a
// Document's nodes through R.
//
// A node of another file (the target of a file $ref) gets a range beyond
// every offset of the text (see fileRange): it contains no offset of the
// document, and the checks' diagnostics on it are relocated to the $ref.
func (d *Document) R(n *syntax.Node) syntax.Range {
	if id := syntax.FileOf(n); id != 0 {
		return fileRange(id, n.Range())
	}
	return d.shifts.R(n)
}
