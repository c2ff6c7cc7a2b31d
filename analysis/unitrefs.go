package analysis

// The units that are $refs, listed once per cover.
//
// refCover.step asks, for every unit it rebuilds, which units are $refs
// into it (appendRefUnitsInto): each question looks up the $refs whose
// targets lie on the unit's line of descent in the index by target
// (refCandidates) and the unit of each. A block of a thousand units (the
// root servers' key line broken: every channel and operation is rebuilt
// with them) asks a thousand times, for $refs that are nearly all a
// channel's or an operation's own (an operation's `channel`, a message's
// `$ref`), none of them a unit's value: a fifth of the block's search at
// 1 MB (pprof, session 13). Most documents have few units that are
// $refs, or none: after unitRefsAfter questions the cover lists them
// once (every unit's value looked up: as many lookups as units) and
// answers from the list, unless it is longer than maxUnitRefs.

// unitRefsAfter is how many questions refCover.step answers through the
// index by target before it lists the units that are $refs: a rebuild of
// a few units never pays for the list.
const unitRefsAfter = 32

// maxUnitRefs bounds the list: each question reads all of it.
const maxUnitRefs = 64

// unitRefList is a cover's list of the previous version's units that are
// $refs (a unit whose value holds `$ref`), with that value's $refs (a
// mapping with duplicate `$ref` keys holds several).
type unitRefList struct {
	asked    int  // questions so far
	answered int  // of them, answered from the list
	made     bool // listed (ids, refs)
	tooMany  bool // more than maxUnitRefs: the index by target answers
	ids      []unitID
	refs     [][]*Ref // by ids' order
}

// refUnitsListed appends to out the units whose value is a local $ref
// whose resolution read path, as appendRefUnitsInto does, from the list of
// the units that are $refs; false when the list is not used (too few
// questions yet, too many such units, or a section that merges entries
// in, whose units are not its pairs in order).
func (c *refCover) refUnitsListed(out []unitID, path string) ([]unitID, bool) {
	l := &c.unitRefs
	l.asked++
	if l.asked <= unitRefsAfter || l.tooMany {
		return out, false
	}
	if !l.made {
		l.made = true
		l.tooMany = !c.listUnitRefs()
		if l.tooMany {
			l.ids, l.refs = nil, nil
			return out, false
		}
	}
	l.answered++
	paths := []string{path}
	for j, rs := range l.refs {
		for _, r := range rs {
			if r.Local && readsPath(r, paths, nil) {
				out = append(out, l.ids[j])
				break
			}
		}
	}
	return out, true
}

// listUnitRefs fills c.unitRefs with every unit of the previous version
// whose value holds a $ref; false when there are more than maxUnitRefs or
// a section merges entries in.
func (c *refCover) listUnitRefs() bool {
	prev, l := c.prev, &c.unitRefs
	for sec := range numSections {
		if c.secMaps[sec] == nil {
			continue
		}
		if prev.merges[sec] {
			return false
		}
		for i := range len(prev.runs[sec]) {
			id := unitID{sec, i}
			v := c.unitValue(id).Resolve()
			if prev.refAt(v) == nil {
				continue
			}
			// every $ref the value holds (its duplicate `$ref` keys):
			// next to each other in prev.Refs, from its place
			var rs []*Ref
			at := prev.shifts.R(v).Start
			for k := prev.refsFrom(at); k < len(prev.Refs) && prev.shifts.R(prev.Refs[k].Holder).Start == at; k++ {
				if prev.Refs[k].Holder == v {
					rs = append(rs, prev.Refs[k])
				}
			}
			l.ids, l.refs = append(l.ids, id), append(l.refs, rs)
			if len(l.ids) > maxUnitRefs {
				return false
			}
		}
	}
	return true
}
