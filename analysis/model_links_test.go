package analysis

import (
	"fmt"
	"sort"
	"strings"
)

// modelLinks describes what the names and ranges of diffModel leave out:
// the links between the model's objects (an operation's channel and
// traits, a channel's servers, a security list's schemes and $refs, the
// security list of each server, operation and trait), each written as the
// place of the linked object in the model ("channel#2"), the fields the
// checks and hovers read (scheme flows and scopes, server protocol and
// host, problems), and the effective security of every operation. A
// Document that Update made must agree with a cold analysis on all of it;
// in particular none of its objects may point to an object of an earlier
// version ("stale": an object of a listed kind that is in none of the
// lists).
func modelLinks(d *Document) []string {
	at := map[any]string{}
	for i, s := range d.Servers {
		at[s] = fmt.Sprint("server#", i)
	}
	for i, c := range d.Channels {
		at[c] = fmt.Sprint("channel#", i)
	}
	for i, c := range d.ComponentChannels {
		at[c] = fmt.Sprint("component-channel#", i)
	}
	for i, s := range d.Schemes {
		at[s] = fmt.Sprint("scheme#", i)
	}
	for i, s := range d.Inline {
		at[s] = fmt.Sprint("inline#", i)
	}
	for i, t := range d.Traits {
		at[t] = fmt.Sprint("trait#", i)
	}
	for i, r := range d.Refs {
		at[r] = fmt.Sprint("ref#", i)
	}
	for i, site := range d.securities {
		at[site.sec] = fmt.Sprint("security#", i)
	}
	// place names a linked object; one of a listed kind that is in no
	// list is a leftover of an earlier version.
	place := func(p any, isNil bool, node string) string {
		if isNil {
			return "-"
		}
		if s, ok := at[p]; ok {
			return s
		}
		switch p.(type) {
		case *Server, *Channel, *Scheme, *Ref, *Security:
			return "stale"
		}
		return "unlisted " + node
	}
	security := func(s *Security) string { return place(s, s == nil, "") }
	var out []string
	for _, s := range d.Servers {
		out = append(out, fmt.Sprintf("server %s: protocol %q host %q problem %q security %s", s.Name, s.Protocol, s.Host, s.Problem, security(s.Security)))
	}
	for _, list := range [][]*Channel{d.Channels, d.ComponentChannels} {
		for _, c := range list {
			var servers []string
			for _, sr := range d.ServersOf(c) {
				servers = append(servers, fmt.Sprintf("%s=%s ref %s outside %v duplicate %v", sr.Name,
					place(sr.Server, sr.Server == nil, ""), place(sr.Ref, sr.Ref == nil, ""), sr.OutsideRoot, sr.Duplicate))
			}
			out = append(out, fmt.Sprintf("channel %s: servers invalid %v [%s]", c.Name, c.ServersInvalid, strings.Join(servers, ", ")))
		}
	}
	for _, op := range d.Operations {
		var traits []string
		for _, t := range op.Traits {
			traits = append(traits, place(t, false, t.Name+" "+rangeOf(d, t.Node))+" security "+security(t.Security))
		}
		var ch string
		if op.Channel != nil {
			ch = rangeOf(d, op.Channel.Node)
		}
		out = append(out, fmt.Sprintf("op %s: action %s problem %q channel %s problem %q reply %s traits [%s] security %s",
			op.Name, op.Action, op.Problem, place(op.Channel, op.Channel == nil, ch), op.ChannelProblem, rangeOf(d, op.Reply),
			strings.Join(traits, ", "), security(op.Security)))
	}
	for _, t := range d.Traits {
		out = append(out, fmt.Sprintf("trait %s: security %s", t.Name, security(t.Security)))
	}
	for i, site := range d.securities {
		var alts []string
		for _, req := range site.sec.Alternatives {
			var entries []string
			for _, e := range req.Entries {
				e = d.Entry(e) // as the readers see it
				var scopes []string
				for _, sc := range e.Scopes {
					scopes = append(scopes, sc.Name)
				}
				entries = append(entries, fmt.Sprintf("%s=%s ref %s external %v scopes %v", e.Name,
					place(e.Scheme, e.Scheme == nil, ""), place(e.Ref, e.Ref == nil, ""), e.External, scopes))
			}
			alts = append(alts, fmt.Sprintf("{empty %v %s}", req.Empty, strings.Join(entries, "; ")))
		}
		out = append(out, fmt.Sprintf("security#%d of %s (on an operation %v, via %s): %s", i, site.owner, site.onOperation,
			rangeOf(d, site.via), strings.Join(alts, " | ")))
	}
	for _, list := range [][]*Scheme{d.Schemes, d.Inline} {
		for _, s := range list {
			out = append(out, "scheme "+s.Name+": "+schemeFacts(s))
		}
	}
	for _, r := range d.Refs {
		out = append(out, fmt.Sprintf("ref %s: via %v file %q", r.Target, r.via, r.File))
	}
	needs := func(alts [][]Need) string {
		var b strings.Builder
		for _, alt := range alts {
			b.WriteString(" |")
			for _, n := range alt {
				ref := n.Ref
				n.Ref = nil
				fmt.Fprintf(&b, " %+v=%s", n, place(ref, ref == nil, ""))
			}
		}
		return b.String()
	}
	for _, op := range d.SecurityReport() {
		var servers []string
		for _, s := range op.Servers {
			servers = append(servers, fmt.Sprintf("%s %s %v %v %v:%s", s.Name, s.Protocol, s.Unresolved, s.External, s.Invalid, needs(s.Requirements)))
		}
		opNeeds := needs(op.Operation)
		op.Servers, op.Operation = nil, nil
		out = append(out, fmt.Sprintf("effective %+v: servers [%s] operation%s", op, strings.Join(servers, "; "), opNeeds))
	}
	return out
}

// schemeFacts is what checks and hovers read from a scheme besides its
// name and type.
func schemeFacts(s *Scheme) string {
	var fields []string
	for k, v := range s.Fields {
		fields = append(fields, k+"="+v)
	}
	sort.Strings(fields)
	var flows []string
	for _, f := range s.Flows {
		var scopes []string
		for _, sc := range f.Scopes {
			scopes = append(scopes, sc.Name+"="+sc.Description)
		}
		flows = append(flows, fmt.Sprintf("%s %v (scopes node %v)", f.Name, scopes, f.ScopesNode != nil))
	}
	var scopes []string
	for _, sc := range s.Scopes {
		scopes = append(scopes, sc.Name)
	}
	return fmt.Sprintf("type node %v fields %v flows %v (node %v) scopes %v", s.TypeNode != nil, fields, flows, s.FlowsNode != nil, scopes)
}
