package syntax

// Trees of other files. A document's $refs may lead into trees parsed from
// other files; those trees are never updated, so their nodes' generation is
// free to say which file they belong to. A node of the document's own text
// has file 0.

// fileBit marks a generation that is a file id: ShiftLog never reaches it,
// so ShiftLog.R returns the ranges of such nodes unchanged.
const fileBit = 1 << 31

// MaxFileID is the largest id MarkFile accepts.
const MaxFileID = fileBit - 1

// MarkFile stamps every node under root, a tree parsed from another file
// (and never updated), with id (1..MaxFileID). Call it before the tree is
// shared.
func MarkFile(root *Node, id uint32) {
	if root == nil || id == 0 || id > MaxFileID {
		return
	}
	stack := []*Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil || n.gen == fileBit|id {
			continue
		}
		n.gen = fileBit | id
		stack = append(stack, n.Content...)
	}
}

// FileOf returns the id MarkFile stamped on n, or 0 for a node of the
// document's own text (and for nil).
func FileOf(n *Node) uint32 {
	if n == nil || n.gen&fileBit == 0 {
		return 0
	}
	return n.gen &^ fileBit
}

// ShareText points the value of every scalar that appears verbatim at its
// place in text (plain scalars, and quoted ones without escapes) into text
// itself, so that the tree keeps no copy of it. It is for trees kept long
// whose text is kept anyway (the files other documents reference): their
// scalar copies were about a tenth of a workspace's memory. text must be
// the text the tree was parsed from, not yet shifted by edits, and must
// never change afterwards: the values alias it.
func ShareText(root *Node, text string) {
	if root == nil {
		return
	}
	stack := []*Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil {
			continue
		}
		stack = append(stack, n.Content...)
		if n.Kind != ScalarNode || n.ext != nil || n.Value == "" {
			continue // aliases and nodes with properties: the range starts at them
		}
		s, e := int(n.start), int(n.end)
		if n.Style == DoubleQuotedStyle || n.Style == SingleQuotedStyle {
			s, e = s+1, e-1
		}
		if 0 <= s && s <= e && e <= len(text) && text[s:e] == n.Value {
			n.Value = text[s:e]
		}
	}
}
