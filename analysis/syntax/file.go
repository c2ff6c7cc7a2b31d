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
