package analysis

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func dump(t *Tree, n *Node, ind int) {
	if n == nil {
		fmt.Println(strings.Repeat(" ", ind), "<nil>")
		return
	}
	fmt.Printf("%s%v %d %q tag=%s val=%q\n", strings.Repeat(" ", ind), n.Range, n.Kind, string(t.Text[n.Range.Start:n.Range.End]), n.Tag, n.Value)
	for _, c := range n.Content {
		dump(t, c, ind+2)
	}
}

func TestDump(t *testing.T) {
	src, _ := os.ReadFile(os.Getenv("DUMP"))
	tr := ParseTree(src)
	for _, d := range tr.Docs {
		dump(tr, d, 0)
	}
	for _, d := range tr.Diagnostics {
		fmt.Printf("diag %v %q %s\n", d.Range, src[d.Range.Start:d.Range.End], d.Message)
	}
}
