package analysis

import (
	"net/url"
	"sort"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// entryRebuild is the state of rebuilding one operation's model.
type entryRebuild struct {
	refs map[*Ref]bool // the operation's own (fresh) $refs
	bad  string        // why the rebuild cannot be trusted
}

func (e *entryRebuild) owns(r *Ref) bool { return e.refs[r] }

func (e *entryRebuild) fail(why string) {
	if e.bad == "" {
		e.bad = why
	}
}

// touchesOperations reports whether resolving the local $ref target may
// walk through the root operations mapping or one of its entries: the root
// itself ("#"), "#/operations" and anything below it. Targets that do not
// decode cleanly count as touching.
func touchesOperations(target string) bool {
	if len(target) > 2 && target[1] == '/' && !strings.ContainsAny(target, "%~") {
		tok, _, _ := strings.Cut(target[2:], "/")
		return tok == "operations" // the common case, without allocating
	}
	frag := strings.TrimPrefix(target, "#")
	if dec, err := url.PathUnescape(frag); err == nil {
		frag = dec
	}
	if frag == "" {
		return true
	}
	if frag[0] != '/' {
		return false // not a pointer: it never resolves
	}
	tok, _, _ := strings.Cut(frag[1:], "/")
	tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
	return tok == "operations"
}

// opUpdate describes an edit inside one entry of the root operations
// mapping of a 3.x document: only that operation's model and diagnostics
// are rebuilt; everything else is shared with the previous document.
//
// This is exact when nothing else depends on the operation: no $ref may
// walk into the operations mapping (opTouch), the operation is not itself a
// $ref, its channel is a root channel, and its $refs to schemes and traits
// land in components. Its security sites and inline schemes then form
// contiguous runs of Document.securities and Document.Inline, its $refs a
// contiguous run of Document.Refs, and its diagnostics lie inside its
// region: replacing those runs gives what a full build gives.
type opUpdate struct {
	prev       *Document
	key        *syntax.Node // the root operations key (shared)
	i          int          // the operation's pair index
	start, end int          // the operation's region in the previous text
	at, delta  int          // the shift of this update
}

func (d *Document) rebuildOperation(u *opUpdate) (ok bool) {
	prev := u.prev
	if d.Version != prev.Version {
		return false
	}
	k0, ops := d.Root.Pair("operations")
	if k0 != u.key || ops == nil || 2*u.i+1 >= len(ops.Content) || u.i >= len(prev.Operations) {
		return false
	}
	prevOp := prev.Operations[u.i]
	k, v := ops.Content[2*u.i], ops.Content[2*u.i+1]
	if prevOp.Key.Value != k.Value {
		return false
	}
	base := len(d.Diagnostics)
	defer func() {
		if !ok { // leave nothing behind for the full build
			d.Diagnostics = d.Diagnostics[:base]
			d.Refs, d.Operations, d.securities, d.Inline = nil, nil, nil, nil
			d.Servers, d.Channels, d.Schemes, d.Traits = nil, nil, nil, nil
			d.refOver, d.schemeOver, d.refByHolder, d.schemeByNode = nil, nil, nil, nil
			d.serverByNode, d.channelByNode, d.keyIdx, d.useCount = nil, nil, nil, nil
			d.entry = nil
		}
	}()

	// The operation's $refs, fresh, resolved in the new tree.
	pl := prev.shifts
	a := sort.Search(len(prev.Refs), func(i int) bool { return pl.R(prev.Refs[i].Holder).Start >= u.start })
	b := sort.Search(len(prev.Refs), func(i int) bool { return pl.R(prev.Refs[i].Holder).Start >= u.end })
	fresh := collectRefs(v)
	own := make(map[*Ref]bool, len(fresh))
	d.refOver = make(map[*syntax.Node]*Ref, len(prev.refOver)+len(fresh))
	for n, r := range prev.refOver {
		d.refOver[n] = r
	}
	for _, r := range fresh {
		if !r.Local || touchesOperations(r.Target) {
			return false // another file or URL, or a walk into operations: the full build
		}
		own[r] = true
	}
	for _, r := range fresh {
		d.refOver[r.Holder] = r // the last one wins, as in resolveRefsIndexed
	}
	if d.refAt(v.Resolve()) != nil {
		return false // the operation is a $ref
	}
	d.refByHolder = prev.refByHolder
	d.keyIdx = make(keyIndex, len(prev.keyIdx))
	for n, m := range prev.keyIdx {
		d.keyIdx[n] = m
	}
	resolveChains(d.Root, fresh, func(n *syntax.Node) (*Ref, bool) {
		r := d.refAt(n)
		return r, r != nil
	}, d.keyIdx)
	d.Refs = make([]*Ref, 0, len(prev.Refs)-(b-a)+len(fresh))
	d.Refs = append(append(append(d.Refs, prev.Refs[:a]...), fresh...), prev.Refs[b:]...)
	d.inc.refsComplete = true

	// The shared model, and the operation rebuilt in place.
	d.schemeByNode, d.serverByNode, d.channelByNode = prev.schemeByNode, prev.serverByNode, prev.channelByNode
	d.schemeOver = make(map[*syntax.Node]*Scheme, len(prev.schemeOver)+4)
	for n, s := range prev.schemeOver {
		d.schemeOver[n] = s
	}
	d.Servers, d.Channels, d.Schemes, d.Traits = prev.Servers, prev.Channels, prev.Schemes, prev.Traits
	sa, sb, ia, ib := prevOp.sites[0], prevOp.sites[1], prevOp.inline[0], prevOp.inline[1]
	d.securities = append(make([]*securitySite, 0, len(prev.securities)), prev.securities[:sa]...)
	d.Inline = append(make([]*Scheme, 0, len(prev.Inline)), prev.Inline[:ia]...)
	d.entry = &entryRebuild{refs: own}
	d.addOperationV3(k, v, PointerTo("operations", k.Value), true, d.channelByNode)
	if len(d.Operations) != 1 || d.entry.bad != "" {
		return false
	}
	op := d.Operations[0]
	if op.sites[1]-op.sites[0] != sb-sa || op.inline[1]-op.inline[0] != ib-ia {
		return false // the runs after it would move
	}
	d.Operations = append(append(append(make([]*Operation, 0, len(prev.Operations)), prev.Operations[:u.i]...), op), prev.Operations[u.i+1:]...)
	d.securities = append(d.securities, prev.securities[sb:]...)
	d.Inline = append(d.Inline, prev.Inline[ib:]...)

	// Its diagnostics, in the order check makes them.
	for _, site := range d.securities[sa:sb] {
		d.checkSecurity(site)
	}
	for _, s := range d.Inline[ia:ib] {
		d.checkScheme(s)
	}
	d.auditOperation(op)
	for _, r := range fresh {
		if r.Local && r.Resolved == nil && !r.claimed {
			d.diag(CodeRefUnresolved, d.R(r.Value), "$ref %s does not resolve: %s", r.Target, r.Err)
		}
	}
	if d.entry.bad != "" {
		return false
	}
	d.entry = nil

	// Unused schemes: the counts change by the operation's uses only.
	oldUses := prev.replayUses(prev.securities[sa:sb], prev.Refs[a:b])
	newUses := d.replayUses(d.securities[sa:sb], fresh)
	d.useCount = make(map[*Scheme]int, len(prev.useCount))
	for s, n := range prev.useCount {
		d.useCount[s] = n
	}
	for _, s := range d.Schemes {
		if n := len(newUses[s]) - len(oldUses[s]); n != 0 {
			d.useCount[s] += n
		}
	}
	d.reportUnused()

	// The previous diagnostics that nothing above remade, shifted.
	shiftR := func(r syntax.Range) (syntax.Range, bool) {
		if r.Start < u.at && r.End > u.at {
			return r, false
		}
		if r.Start >= u.at {
			r.Start += u.delta
			r.End += u.delta
		}
		return r, true
	}
	for _, dg := range prev.Diagnostics {
		switch {
		case dg.Code == syntax.CodeYAMLSyntax || dg.Code == CodeVersion || dg.Code == CodeUnusedScheme:
			continue // remade by analyze, checkVersion and reportUnused
		case dg.Range.Start >= u.start && dg.Range.Start < u.end:
			continue // the operation's
		}
		var fine bool
		if dg.Range, fine = shiftR(dg.Range); !fine {
			return false
		}
		if len(dg.Related) > 0 {
			rel := make([]syntax.Related, len(dg.Related))
			for i, r := range dg.Related {
				if r.Range.Start >= u.start && r.Range.Start < u.end {
					return false // it explains something in the operation
				}
				rel[i] = r
				if rel[i].Range, fine = shiftR(r.Range); !fine {
					return false
				}
			}
			dg.Related = rel
		}
		d.Diagnostics = append(d.Diagnostics, dg)
	}
	sortDiagnostics(d.Diagnostics)
	d.opTouch = 0
	return true
}
