package analysis

import "github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"

// Relinking a dependent unit.
//
// A unit that is rebuilt only because it points to a rebuilt one (an
// operation whose security names an edited scheme, a channel on an edited
// server) keeps its diagnostics when its checks would say the same
// (relinkable). Its model must still point to the new objects, but nothing
// it was built from changed: its own nodes are shared with the previous
// tree, and each $ref it resolved lands on the same object as before (the
// new version of a rebuilt one). So instead of building it again from the
// tree (addUnit), applyRebuild copies its objects and swaps each pointer to
// a rebuilt object for the new one. A scheme description typed into a
// scheme that two thousand operations use then costs a copy of those
// operations' small objects, not a second model build of each.
//
// canRelink refuses whatever a build would decide differently, or that
// the copy does not know how to reproduce; the unit is then built with
// addUnit. The differential tests (diffModel, diffLinks) compare both with
// a cold analysis.

// relinker maps the objects of the units rebuilt so far (in build order,
// so a unit's targets come before it) to their new versions.
type relinker struct {
	prev, d *Document
	off     bool // the runs do not line up (the changed unit grew): build every unit
	// serversAgain: the root servers changed in number or names (a block
	// dropped or given back, one added, dropped or renamed): a copied
	// channel's servers are looked up again (channelServers), as a build
	// does, instead of swapped (no root server is recorded), and its
	// server $refs, resolved again, may land elsewhere (srvdep.go).
	serversAgain bool
	// holders: the last unit's serverRefHolders
	holders struct {
		made bool
		runs unitRuns
		of   refHolders
	}
	schemes  map[*Scheme]*Scheme
	servers  map[*Server]*Server
	channels map[*Channel]*Channel
	traits   map[*Trait]*Trait
	listed   map[*Trait]bool // prev.Traits, built on first use
	secs     map[*Security]*Security
	// Slabs for the copies: thousands of small objects, allocated in
	// blocks.
	ops     slab[Operation]
	chans   slab[Channel]
	srefs   slab[ServerRef]
	sites   slab[securitySite]
	secObjs slab[Security]
	reqs    slab[Requirement]
	entries slab[Entry]
}

// slab hands out pointers into blocks of T: free is what is left of the
// current block.
type slab[T any] struct{ free []T }

func (s *slab[T]) new(v T) *T {
	if len(s.free) == 0 {
		s.free = make([]T, 64)
	}
	p := &s.free[0]
	*p = v
	s.free = s.free[1:]
	return p
}

func newRelinker(prev, d *Document, off bool) *relinker {
	return &relinker{prev: prev, d: d, off: off, schemes: map[*Scheme]*Scheme{}, servers: map[*Server]*Server{},
		channels: map[*Channel]*Channel{}, traits: map[*Trait]*Trait{}}
}

// record maps the objects a unit had in prev (runs) to those it has now in
// d (from start). A 2.x component channel needs no entry: only its own
// operations point to it, and they are in its unit; an operation of a
// channel that $refs it is never relinked (canRelink).
func (l *relinker) record(runs unitRuns, start [numSlices]int32) {
	for x := runs[slSchemes][0]; x < runs[slSchemes][1]; x++ {
		l.schemes[l.prev.Schemes[x]] = l.d.Schemes[start[slSchemes]+x-runs[slSchemes][0]]
	}
	for x := runs[slServers][0]; x < runs[slServers][1]; x++ {
		l.servers[l.prev.Servers[x]] = l.d.Servers[start[slServers]+x-runs[slServers][0]]
	}
	for x := runs[slChannels][0]; x < runs[slChannels][1]; x++ {
		l.channels[l.prev.Channels[x]] = l.d.Channels[start[slChannels]+x-runs[slChannels][0]]
	}
	for x := runs[slTraits][0]; x < runs[slTraits][1]; x++ {
		l.traits[l.prev.Traits[x]] = l.d.Traits[start[slTraits]+x-runs[slTraits][0]]
	}
}

// swapped returns what replaces v in a relinked copy: the rebuilt object,
// or v itself when its unit was not rebuilt.
func swapped[T any](m map[*T]*T, v *T) *T {
	if n, ok := m[v]; ok {
		return n
	}
	return v
}

func (l *relinker) scheme(s *Scheme) *Scheme    { return swapped(l.schemes, s) }
func (l *relinker) server(s *Server) *Server    { return swapped(l.servers, s) }
func (l *relinker) channel(c *Channel) *Channel { return swapped(l.channels, c) }
func (l *relinker) trait(t *Trait) *Trait       { return swapped(l.traits, t) }

// canRelink reports whether the unit with these runs and $refs (prev.Refs
// [ra, rb), copyOf holding those resolved again) can be relinked: a build
// would find the same objects (through the swap), and every object it
// points to is one the swap knows (listed in prev, or its own).
func (l *relinker) canRelink(runs unitRuns, ra, rb int, copyOf map[int]*Ref, compOp *syntax.Node) bool {
	if l.off || runs[slSchemes][0] != runs[slSchemes][1] {
		return false // a scheme's dependents read its content
	}
	prev, d := l.prev, l.d
	var reads map[*syntax.Node]bool
	unread := l.unread(runs, compOp)
	var servers refHolders // the unit's channel server $refs (serversAgain)
	if l.serversAgain {
		servers = l.serverRefHolders(runs)
	}
	for i, r := range prev.Refs[ra:rb] {
		c := copyOf[ra+i]
		if c == nil {
			continue
		}
		if unread(r, c) || servers.has(r.Holder) {
			continue
		}
		if r.Err != c.Err || (r.Resolved == nil) != (c.Resolved == nil) {
			return false
		}
		if r.Resolved == nil {
			continue
		}
		os, ns := prev.schemeAt(r.Resolved), d.schemeAt(c.Resolved)
		ov, nv := prev.serverAt(r.Resolved), d.serverAt(c.Resolved)
		oc, nc := prev.channelAt(r.Resolved), d.channelAt(c.Resolved)
		if l.scheme(os) != ns || l.server(ov) != nv || l.channel(oc) != nc {
			return false
		}
		if r.Resolved != c.Resolved && os == nil && ov == nil && oc == nil && !l.sameTrait(r.Resolved, c.Resolved) {
			// Content that moved (a message, a payload schema): fine
			// unless the build reads through this $ref.
			if reads == nil {
				reads = l.reads(runs, compOp)
			}
			if reads[r.Holder] {
				return false
			}
		}
	}
	for _, op := range prev.Operations[runs[slOperations][0]:runs[slOperations][1]] {
		if op.Channel != nil && prev.channelAt(op.Channel.Node) != op.Channel {
			return false // a component channel modelled on the fly
		}
		for _, t := range op.Traits {
			if !l.isListed(t) {
				return false // an inline trait
			}
		}
	}
	for _, site := range prev.securities[runs[slSites][0]:runs[slSites][1]] {
		for _, req := range site.sec.Alternatives {
			for _, e := range req.Entries {
				if e.Ref != nil && e.Scheme != nil && e.Scheme.Inline {
					return false // a $ref to a scheme outside components
				}
			}
		}
	}
	return true
}

// unread returns whether a $ref of the unit with these runs, resolved
// again (r in prev, c its copy), changed only where neither the unit's
// build nor its checks look: a build does not read through it (reads: a
// message's or a payload's $ref), and it neither lands nor landed on a
// scheme, server or channel. A section broken by a keystroke (`messages:x`)
// makes thousands of such $refs unresolved at once and back again; whether
// each resolves is reported by checkRefResolved for every $ref resolved
// again, not by the unit's checks, so the unit is relinked and keeps its
// diagnostics.
func (l *relinker) unread(runs unitRuns, compOp *syntax.Node) func(r, c *Ref) bool {
	var reads map[*syntax.Node]bool
	return func(r, c *Ref) bool {
		if r.Resolved == c.Resolved && r.Err == c.Err {
			return false // unchanged: the other tests decide
		}
		for _, x := range []struct {
			d *Document
			n *syntax.Node
		}{{l.prev, r.Resolved}, {l.d, c.Resolved}} {
			if x.d.linkedAt(x.n) {
				return false
			}
		}
		if reads == nil {
			reads = l.reads(runs, compOp)
		}
		return !reads[r.Holder]
	}
}

// reads returns the $ref holders a build of the unit follows (see addUnit
// and what it calls): security entries, channel servers, an operation's
// channel, traits and (2.x) the operations of a channel. A $ref elsewhere
// in the unit (messages, payloads, bindings) is never read by the model.
// compOp is the node of a 3.x component operation's unit (compOpOf).
func (l *relinker) reads(runs unitRuns, compOp *syntax.Node) map[*syntax.Node]bool {
	prev := l.prev
	out := map[*syntax.Node]bool{}
	for _, site := range prev.securities[runs[slSites][0]:runs[slSites][1]] {
		for _, req := range site.sec.Alternatives {
			for _, e := range req.Entries {
				if e.Ref != nil {
					out[e.Ref.Holder] = true
				}
			}
		}
	}
	op := func(n *syntax.Node) {
		out[n.Key("channel").Resolve()] = true
		for _, t := range n.Key("traits").Items() {
			out[t.Resolve()] = true
		}
	}
	channels := append(prev.Channels[runs[slChannels][0]:runs[slChannels][1]:runs[slChannels][1]],
		prev.ComponentChannels[runs[slCompChannels][0]:runs[slCompChannels][1]]...)
	for _, c := range channels {
		for _, r := range prev.ServersOf(c) {
			if r.Ref != nil {
				out[r.Ref.Holder] = true
			}
		}
		if !prev.Version.V3() {
			for _, action := range []string{"publish", "subscribe"} {
				if v := c.Node.Key(action); v != nil {
					out[v.Resolve()] = true
					op(prev.deref(v))
				}
			}
		}
	}
	for _, o := range prev.Operations[runs[slOperations][0]:runs[slOperations][1]] {
		op(o.Node)
	}
	if compOp != nil {
		op(compOp)
	}
	delete(out, nil)
	return out
}

// sameTrait: o and n are the nodes of a trait and of its new version.
func (l *relinker) sameTrait(o, n *syntax.Node) bool {
	for old, t := range l.traits {
		if old.Node == o {
			return t.Node == n
		}
	}
	return false
}

func (l *relinker) isListed(t *Trait) bool {
	if l.listed == nil {
		l.listed = make(map[*Trait]bool, len(l.prev.Traits))
		for _, x := range l.prev.Traits {
			l.listed[x] = true
		}
	}
	return l.listed[t]
}

// relink appends to d a copy of prev's objects in runs, each pointer to a
// rebuilt object swapped for the new one, exactly as addUnit would have
// built them (canRelink said so).
func (l *relinker) relink(runs unitRuns) {
	prev, d := l.prev, l.d
	if l.secs == nil {
		l.secs = map[*Security]*Security{}
	}
	clear(l.secs)
	for _, s := range prev.Servers[runs[slServers][0]:runs[slServers][1]] {
		ns := *s
		ns.Security = l.security(s.Security)
		d.Servers = append(d.Servers, &ns)
		if ns.Problem == "" {
			d.setServerFirst(ns.Node, &ns)
		}
	}
	for _, t := range prev.Traits[runs[slTraits][0]:runs[slTraits][1]] {
		nt := *t
		nt.Security = l.security(t.Security)
		d.Traits = append(d.Traits, &nt)
	}
	copyChannel := func(c *Channel, root bool) *Channel {
		nc := l.chans.new(*c)
		if l.serversAgain {
			nc.Servers = d.channelServers(c.Node, root) // (not a $ref: applyRebuild's copyable)
			l.channels[c] = nc
			return nc
		}
		servers := prev.ServersOf(c) // (shared since the servers moved: srvlook.go)
		if servers != nil {
			nc.Servers = make([]*ServerRef, len(servers))
		}
		for i, r := range servers {
			nr := l.srefs.new(*r)
			nr.Server = l.server(r.Server)
			nr.Ref = l.ref(r.Ref)
			nc.Servers[i] = nr
		}
		l.channels[c] = nc // its 2.x operations point to it
		return nc
	}
	for _, c := range prev.Channels[runs[slChannels][0]:runs[slChannels][1]] {
		nc := copyChannel(c, true)
		d.Channels = append(d.Channels, nc)
		d.setChannel(nc.Node, nc)
	}
	for _, c := range prev.ComponentChannels[runs[slCompChannels][0]:runs[slCompChannels][1]] {
		d.ComponentChannels = append(d.ComponentChannels, copyChannel(c, false))
	}
	for _, op := range prev.Operations[runs[slOperations][0]:runs[slOperations][1]] {
		no := l.ops.new(*op)
		no.Channel = l.channel(op.Channel)
		no.Security = l.security(op.Security)
		if op.Traits != nil {
			no.Traits = make([]*Trait, len(op.Traits))
			for i, t := range op.Traits {
				no.Traits[i] = l.trait(t)
			}
		}
		d.Operations = append(d.Operations, no)
	}
	for _, site := range prev.securities[runs[slSites][0]:runs[slSites][1]] {
		ns := l.sites.new(*site)
		ns.sec = l.security(site.sec)
		d.securities = append(d.securities, ns)
	}
	// Inline schemes point to nothing and keep their nodes: shared.
	d.Inline = append(d.Inline, prev.Inline[runs[slInline][0]:runs[slInline][1]]...)
}

// ref returns the $ref of d held where r is held (a copy when it was
// resolved again).
func (l *relinker) ref(r *Ref) *Ref {
	if r == nil {
		return nil
	}
	return l.d.refAt(r.Holder)
}

// security copies a security list (once: an operation and its site share
// it), pointing its entries to the new schemes.
func (l *relinker) security(s *Security) *Security {
	if s == nil {
		return nil
	}
	if n, ok := l.secs[s]; ok {
		return n
	}
	n := l.secObjs.new(Security{Key: s.Key, Node: s.Node, via: s.via})
	if s.Alternatives != nil {
		n.Alternatives = make([]*Requirement, len(s.Alternatives))
	}
	l.secs[s] = n
	for i, req := range s.Alternatives {
		nr := l.reqs.new(Requirement{Node: req.Node, Empty: req.Empty})
		if req.Entries != nil {
			nr.Entries = make([]*Entry, len(req.Entries))
		}
		for j, e := range req.Entries {
			ne := l.entries.new(*e)
			ne.Ref = l.ref(e.Ref)
			switch cur := l.prev.current(e.Scheme); {
			case e.Scheme != nil && cur == nil:
				// a scheme dropped since (compdrop.go): as Entry has it
				ne.Scheme = nil
				if ne.Ref != nil {
					ne.Scopes, ne.ScopesNode, ne.Name = nil, nil, ne.Ref.Target
					ne.External = !ne.Ref.Local && ne.Ref.Resolved == nil
				}
			case e.Scheme != nil:
				ne.Scheme = l.scheme(cur)
				if e.Ref != nil { // parseEntryV3 takes these from the scheme
					ne.Scopes, ne.ScopesNode = ne.Scheme.Scopes, ne.Scheme.ScopesNode
					if ne.Scheme.Key != nil {
						ne.Name = ne.Scheme.Name
					}
				}
			}
			nr.Entries[j] = ne
		}
		n.Alternatives[i] = nr
	}
	return n
}

// linkedAt reports whether n (nil: no) is the node of a scheme, a server
// or a channel of d: what other units' objects point to.
func (d *Document) linkedAt(n *syntax.Node) bool {
	return n != nil && (d.schemeAt(n) != nil || d.serverAt(n) != nil || d.channelAt(n) != nil)
}

// compOpOf returns the node the unit id of prev, whose value is v, was
// modelled from when it is a 3.x component operation, else nil. Such
// a unit makes no Operation (only the sites of its security): what its
// build reads is found from the node (reads). (One that models its
// channel on the fly claims that channel's server $refs: it is rebuilt
// and checked whenever they are, refCover's onTheFlyChannel.)
func (d *Document) compOpOf(id unitID, v *syntax.Node) *syntax.Node {
	if id.sec != secCompOperations {
		return nil
	}
	return d.deref(v)
}
