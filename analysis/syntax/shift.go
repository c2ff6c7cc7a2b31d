package syntax

// Ranges of shared nodes.
//
// UpdateTree does not copy the nodes after an edit: the new tree shares them
// with the previous one, and they keep the Range of the text version that
// built them. Each node carries the generation of that version, and each
// version carries the log of the shifts made since the last full parse
// (generation 0, as is every node of a compacted tree): a shift moves every node that starts at or after
// `at` (in the coordinates of the version before it) by delta. ShiftLog.R
// applies the shifts newer than the node's generation. The log is bounded
// (MaxShifts): the update that fills it compacts the tree instead (see
// compact), which starts a new log without re-parsing.
//
// The rule "starts at or after at" is exact because a region update
// replaces every node of the region: each node it shares lies either wholly
// before the region (it starts before the region's end) or wholly after it
// (it starts at or after the region's end), and `at` is the region's end.

// MaxShifts bounds the shift log, and so the cost of one R.
const MaxShifts = 64

type shift struct{ at, delta int }

// ShiftLog translates the ranges of nodes shared between text versions.
// It is immutable once built: each update makes a new one.
type ShiftLog struct {
	shifts []shift // shifts[i] made generation i+1
	// For the shifts from i on, in the coordinates of generation i: a
	// start below lo[i] is moved by none of them, a start at or above hi[i]
	// by all of them, which adds sum[i]. Most nodes take one of the two.
	lo, hi, sum []int
}

func (l *ShiftLog) gen() uint32 {
	if l == nil {
		return 0
	}
	return uint32(len(l.shifts))
}

// R returns the range of n in the current text.
func (l *ShiftLog) R(n *Node) Range {
	r := n.Range()
	if l == nil || n.gen >= l.gen() {
		return r
	}
	i := n.gen
	switch {
	case r.Start < l.lo[i]:
		return r
	case r.Start >= l.hi[i]:
		r.Start += l.sum[i]
		r.End += l.sum[i]
		return r
	}
	for _, s := range l.shifts[i:] {
		if r.Start >= s.at {
			r.Start += s.delta
			r.End += s.delta
		}
	}
	return r
}

// next returns the log of the version after a shift.
func (l *ShiftLog) next(at, delta int) *ShiftLog {
	if l == nil {
		l = &ShiftLog{}
	}
	out := &ShiftLog{shifts: make([]shift, len(l.shifts), len(l.shifts)+1)}
	copy(out.shifts, l.shifts)
	out.shifts = append(out.shifts, shift{at, delta})
	k := len(out.shifts)
	out.lo, out.hi, out.sum = make([]int, k), make([]int, k), make([]int, k)
	for i := range k {
		lo, hi, sum := out.shifts[i].at, out.shifts[i].at, 0
		for _, s := range out.shifts[i:] {
			lo = min(lo, s.at)
			hi = max(hi, s.at-sum)
			sum += s.delta
		}
		out.lo[i], out.hi[i], out.sum[i] = lo, hi, sum
	}
	return out
}

// ScalarAt returns a new scalar node (no tag) for value at r, a range in
// the current text of l.
func (l *ShiftLog) ScalarAt(value string, r Range) *Node {
	n := &Node{Kind: ScalarNode, Value: value, gen: l.gen()}
	n.setRange(r)
	return n
}

// compact returns a copy of the tree under root with every range made
// absolute in the current text (by l) and generation 0, so that the copy
// needs no shift log: one walk, no parse. The nodes of root are only read,
// never written, since earlier trees share them and are read
// concurrently. It returns nil for trees with aliases (whose targets would
// have to be remapped): the update that would compact such a tree declines,
// and the caller parses the text in full.
func compact(root *Node, l *ShiftLog) *Node {
	c := compactor{l: l}
	n := c.node(root)
	if c.alias {
		return nil
	}
	return n
}

type compactor struct {
	l       *ShiftLog
	nodes   []Node
	content []*Node
	alias   bool
}

func (c *compactor) node(n *Node) *Node {
	if n == nil {
		return nil
	}
	if len(c.nodes) == 0 {
		c.nodes = make([]Node, 256)
	}
	m := &c.nodes[0]
	c.nodes = c.nodes[1:]
	*m = *n
	m.gen = 0
	m.setRange(c.l.R(n))
	if n.ext != nil && n.ext.alias != nil {
		c.alias = true
	}
	if n.Content != nil {
		k := len(n.Content)
		if len(c.content) < max(k, 1) { // (an empty list stays non-nil)
			c.content = make([]*Node, max(k, 1024))
		}
		m.Content = c.content[:k:k]
		c.content = c.content[k:]
		for i, ch := range n.Content {
			m.Content[i] = c.node(ch)
		}
	}
	return m
}
