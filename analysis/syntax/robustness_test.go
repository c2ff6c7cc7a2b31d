package syntax

import (
	"strings"
	"testing"
)

// mergeBomb nests merge keys of aliases ten wide and eight deep: a naive
// lookup through merges visits 10^8 mappings. Lookups are bounded by
// maxMergeVisits, so this stays instant (the test would take minutes
// otherwise).
func TestMergeKeyFanOutIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\na0: &a0 {x: 1}\n")
	for i := 1; i <= 8; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " {<<: [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]}\n")
	}
	b.WriteString("components: {<<: [*a8, *a8, *a8]}\nservers: {<<: [*a8, *a8]}\n")
	budget := maxMergeVisits
	root := ParseTree([]byte(b.String())).Root()
	if root.Key("components") == nil {
		t.Fatal("not parsed")
	}
	if k, _ := root.Key("components").pair("missing", 0, &budget); k != nil || budget > 0 {
		t.Errorf("a lookup of a missing key should stop when its budget is spent (budget left %d)", budget)
	}
}
