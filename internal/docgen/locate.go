package docgen

import "bytes"

// Operation gives byte offsets of landmarks of one operation in a document
// laid out like Generate's output (two-space indentation, block style).
type Operation struct {
	Name string
	// KeyOffset is the offset of the first byte of the operation's key.
	KeyOffset int
	// DescriptionStart and DescriptionEnd delimit the plain single-line
	// value of the operation's `description:` (End is exclusive, before the
	// newline). Both are -1 when the operation has no description.
	DescriptionStart, DescriptionEnd int
	// SecurityRefOffset is the offset just after
	// "#/components/securitySchemes/" in the operation's first security
	// $ref, or -1 when there is none.
	SecurityRefOffset int
}

// Operations lists the operations of a document laid out like Generate's
// output, in document order. It scans lines; it does not parse YAML.
func Operations(doc []byte) []Operation {
	var ops []Operation
	in := false
	var cur *Operation
	inSecurity := false
	for off := 0; off < len(doc); {
		end := bytes.IndexByte(doc[off:], '\n')
		if end < 0 {
			end = len(doc)
		} else {
			end += off
		}
		line := doc[off:end]
		switch {
		case len(line) > 0 && line[0] != ' ' && line[0] != '#':
			in = bytes.Equal(bytes.TrimRight(line, " \r"), []byte("operations:"))
			cur = nil
		case !in:
		case len(line) > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ' && line[2] != '#':
			name := line[2:]
			if i := bytes.IndexByte(name, ':'); i >= 0 {
				name = name[:i]
			}
			ops = append(ops, Operation{Name: string(name), KeyOffset: off + 2,
				DescriptionStart: -1, DescriptionEnd: -1, SecurityRefOffset: -1})
			cur = &ops[len(ops)-1]
			inSecurity = false
		case cur != nil && bytes.HasPrefix(line, []byte("    ")) && len(line) > 4 && line[4] != ' ':
			inSecurity = bytes.HasPrefix(line, []byte("    security:"))
			const desc = "    description: "
			if bytes.HasPrefix(line, []byte(desc)) && cur.DescriptionStart < 0 {
				v := bytes.TrimRight(line, " \r")
				cur.DescriptionStart, cur.DescriptionEnd = off+len(desc), off+len(v)
			}
		case cur != nil && inSecurity && cur.SecurityRefOffset < 0:
			const p = "#/components/securitySchemes/"
			if i := bytes.Index(line, []byte(p)); i >= 0 {
				cur.SecurityRefOffset = off + i + len(p)
			}
		}
		off = end + 1
	}
	return ops
}

// MiddleOperation returns the operation with a description whose key is
// closest to the middle of doc.
func MiddleOperation(doc []byte) (Operation, bool) {
	best, found := Operation{}, false
	mid := len(doc) / 2
	for _, op := range Operations(doc) {
		if op.DescriptionStart < 0 {
			continue
		}
		if !found || abs(op.KeyOffset-mid) < abs(best.KeyOffset-mid) {
			best, found = op, true
		}
	}
	return best, found
}

// MiddleOperationDescriptionOffset returns a byte offset inside the
// `description:` value of the operation closest to the middle of doc (at a
// rune boundary, roughly in the middle of the value), where an editor can
// type characters. It returns -1 if doc has no such operation.
func MiddleOperationDescriptionOffset(doc []byte) int {
	op, ok := MiddleOperation(doc)
	if !ok {
		return -1
	}
	off := (op.DescriptionStart + op.DescriptionEnd) / 2
	for off > op.DescriptionStart && doc[off]&0xC0 == 0x80 { // UTF-8 continuation byte
		off--
	}
	return off
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
