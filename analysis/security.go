package analysis

// Effective is the security an operation really needs. For every server
// the operation is available on, one alternative of that server's security
// AND one alternative of the operation layer must hold: operation security
// never replaces server security (spec 2.4.0+, 3.x).
type Effective struct {
	Operation *Operation
	Servers   []*Server // applicable servers, in document order
	// AllServers is true when the channel names no servers, so every root
	// server applies.
	AllServers bool
	// ServersInvalid is set when the channel's `servers` is not a list:
	// the servers are unknown, and none is assumed.
	ServersInvalid bool
	// ChannelProblem: the operation's channel $ref cannot be followed
	// (Operation.ChannelProblem), so its servers are unknown.
	ChannelProblem string
	// Unmatched are the channel's servers entries that name no usable
	// server (undefined, unresolved, or outside the root Servers Object).
	Unmatched []string
	// Layer is the operation layer: the operation's own security or the one
	// a trait contributes; nil when no security is declared for it.
	Layer *Security
	// LayerTrait is the trait that supplied Layer, or nil for the
	// operation's own security.
	LayerTrait *Trait
}

// Need is one scheme an alternative requires, flattened for display.
type Need struct {
	Scheme string   `json:"scheme"`
	Type   string   `json:"type"`
	Scopes []string `json:"scopes"`
	// External marks a $ref into another document or a URL that was not
	// followed, or did not resolve there; NotFollowed says why. A $ref into
	// another file that resolves is not external: Ref is its scheme.
	External    bool   `json:"external,omitempty"`
	NotFollowed string `json:"notFollowed,omitempty"`
	// Unresolved marks a name or $ref that is not defined; Invalid a $ref
	// that resolves to something that is not a Security Scheme.
	Unresolved bool    `json:"unresolved,omitempty"`
	Invalid    bool    `json:"invalid,omitempty"`
	Ref        *Scheme `json:"-"`
}

// EffectiveSecurity computes the effective security of op.
func (d *Document) EffectiveSecurity(op *Operation) *Effective {
	e := &Effective{Operation: op}
	if op.Problem != "" {
		return e // the operation cannot be read: nothing is known
	}
	var named []*ServerRef
	channelServers := op.Channel != nil && (d.Version.V3() || d.Version.AtLeast(2, 2))
	if channelServers {
		named = d.ServersOf(op.Channel)
	}
	switch {
	case op.ChannelProblem != "":
		e.ChannelProblem = op.ChannelProblem
	case channelServers && op.Channel.ServersInvalid:
		e.ServersInvalid = true
	case len(named) == 0:
		e.AllServers = true
		e.Servers = d.RootServers()
	default:
		for _, r := range named {
			switch {
			case r.Server == nil || r.OutsideRoot:
				name := r.Name
				if r.OutsideRoot || name == "" {
					name = r.Node.Str()
				}
				e.Unmatched = append(e.Unmatched, name)
			case !r.Duplicate:
				e.Servers = append(e.Servers, r.Server)
			}
		}
	}
	if !d.Version.V3() && !d.Version.AtLeast(2, 4) {
		// Before 2.4.0 operation and trait security has no meaning (it is
		// reported): it is not a layer of the effective security.
		return e
	}
	e.Layer = op.Security
	if d.Version.V3() {
		// 3.x: a trait never overrides the operation's own security; traits
		// merge in order, so the last trait with security wins among them.
		if e.Layer == nil {
			for _, t := range op.Traits {
				if t.Security != nil {
					e.Layer, e.LayerTrait = t.Security, t
				}
			}
		}
	} else {
		// 2.x: traits are applied as JSON Merge Patches in order, so the last
		// trait with security replaces the operation's own.
		for _, t := range op.Traits {
			if t.Security != nil {
				e.Layer, e.LayerTrait = t.Security, t
			}
		}
	}
	return e
}

// Needs flattens a security list of d into alternatives (OR) of needs
// (AND). An empty 2.x requirement becomes an empty alternative: anonymous.
// Each need names the scheme as d has it (Entry).
func (d *Document) Needs(s *Security) [][]Need { return s.needs(d) }

// needs is Needs; without a document (d nil) the schemes are those the
// entries were built with, which may be earlier versions: only the shape
// of the result (how many alternatives, of how many needs) is d's then.
func (s *Security) needs(d *Document) [][]Need {
	if s == nil {
		return [][]Need{}
	}
	out := make([][]Need, 0, len(s.Alternatives))
	for _, a := range s.Alternatives {
		alt := make([]Need, 0, len(a.Entries))
		for _, e := range a.Entries {
			if d != nil {
				e = d.Entry(e)
			}
			n := Need{Scheme: e.Name, Scopes: []string{}, Ref: e.Scheme, External: e.External}
			if e.External && e.Ref != nil {
				n.NotFollowed = e.Ref.Err
			}
			if n.Scheme == "" && e.Ref != nil {
				n.Scheme = "''" // `$ref: ''`: shown as written
			}
			switch {
			case e.Scheme != nil:
				n.Type = e.Scheme.Type
			case e.External:
			case e.Ref != nil && e.Ref.Resolved != nil:
				n.Invalid = true
			default:
				n.Unresolved = true
			}
			for _, sc := range e.Scopes {
				n.Scopes = append(n.Scopes, sc.Name)
			}
			alt = append(alt, n)
		}
		if len(a.Entries) == 0 && !a.Empty {
			continue // malformed entry: reported elsewhere
		}
		out = append(out, alt)
	}
	return out
}

// OperationAt returns the operation whose key or block contains off.
func (d *Document) OperationAt(off int) *Operation {
	var best *Operation
	for _, op := range d.Operations {
		if d.R(op.Key).Contains(off) || (op.Node != nil && d.R(op.Node).Contains(off) && d.R(op.Node).Start >= d.R(op.Key).Start) {
			if best == nil || d.R(op.Key).Start > d.R(best.Key).Start {
				best = op
			}
		}
	}
	return best
}
