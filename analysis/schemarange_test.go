package analysis

import (
	"fmt"
	"strings"
	"testing"
)

// TestSchemaRangeInLargeMappings: a schema problem deep in a mapping of
// many entries (found through the hashed key index, more than 32 pairs)
// is reported where it is, as in a small mapping (a plain lookup).
func TestSchemaRangeInLargeMappings(t *testing.T) {
	for _, n := range []int{3, 40, 300} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var b strings.Builder
			b.WriteString("asyncapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\nchannels:\n  c:\n    address: a\noperations:\n")
			bad := n / 2
			for i := range n {
				action := "send"
				if i == bad {
					action = "publish"
				}
				fmt.Fprintf(&b, "  op%d:\n    action: %s\n    channel:\n      $ref: '#/channels/c'\n", i, action)
			}
			text := b.String()
			d := Analyze([]byte(text))
			var got []string
			for _, dg := range d.Diagnostics {
				if isSchemaCode(dg.Code) {
					got = append(got, text[dg.Range.Start:dg.Range.End])
				}
			}
			if len(got) != 1 || got[0] != "publish" {
				t.Fatalf("schema diagnostics on %q; want one, on the value publish of op%d", got, bad)
			}
		})
	}
}
