package analysis

import "testing"

// TestUnitRefListBounds: a cover answers its first unitRefsAfter questions
// through the index by target and lists the units that are $refs at the
// next one; a document with maxUnitRefs of them is answered from the
// list, one with more through the index (session 17, branch mutsec).
func TestUnitRefListBounds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n      int // channels and operations; every eighth operation is a $ref
		listed bool
	}{{8 * maxUnitRefs, true}, {8*maxUnitRefs + 8, false}} {
		prev := Analyze([]byte(unitRefsDoc(c.n)))
		cover := coverOf(prev)
		if cover == nil {
			t.Fatalf("%d operations: no cover", c.n)
		}
		path := unitPath(secOperations, "o0")
		for q := 1; q <= unitRefsAfter; q++ {
			if _, ok := cover.refUnitsListed(nil, path); ok {
				t.Fatalf("%d operations: question %d answered from the list; want the index for the first %d", c.n, q, unitRefsAfter)
			}
		}
		_, ok := cover.refUnitsListed(nil, path)
		if ok != c.listed || len(cover.unitRefs.ids) == 0 && c.listed {
			t.Errorf("%d operations (%d units that are $refs): question %d answered from the list %v, want %v", c.n, len(cover.unitRefs.ids), unitRefsAfter+1, ok, c.listed)
		}
	}
}
