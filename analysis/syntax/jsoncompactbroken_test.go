package syntax

import (
	"fmt"
	"testing"
)

func TestCompactBrokenCold(t *testing.T) {
	for _, src := range []string{
		`{"a":1,"b":"x"y":2,"c":3}`,
		`{"a":1,"b":{"c":1,"d":"x,"e":2},"f":3}`,
		`{"a":1,"b":{"c":1,"d":"str""e":2},"f":3}`,
		`{"a":1,"b":{"c":1,"d""e":2},"f":3}`,
		`{"a":1,"b":{"c":1,"d":"e":2},"f":3}`,
		`{"a":1,"b":{"c":1,""e":2},"f":3}`,
		`{"a":1,"b":{"c":1,"d":[1,2,],"e":2},"f":3}`,
		`{"a":1,"b":{"c":1,"d":1"e":2},"f":3}`,
		`{"a":1,"b":"x}`,
		`{"a":1,"b":[1,2,{"x":"y}],"c":3}`,
	} {
		tr := ParseTree([]byte(src))
		fmt.Println(src, tr.compactBroken != nil)
		for _, d := range tr.Diagnostics {
			fmt.Printf("   %q %v %s\n", src[d.Range.Start:d.Range.End], d.Range, d.Message)
		}
		if r := tr.Root(); r != nil {
			fmt.Println("   ", dumpNode(r))
		}
	}
}

func dumpNode(n *Node) string {
	switch n.Kind {
	case MappingNode:
		s := "{"
		for i := 0; i+1 < len(n.Content); i += 2 {
			s += n.Content[i].Value + ":" + dumpNode(n.Content[i+1]) + " "
		}
		return s + "}"
	case SequenceNode:
		s := "["
		for _, c := range n.Content {
			s += dumpNode(c) + " "
		}
		return s + "]"
	}
	if n.Broken() {
		return "BROKEN"
	}
	return n.Value
}
