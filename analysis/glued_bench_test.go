package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// BenchmarkGluedKeystroke: a character typed right after a section key's
// colon (`operations:x`, `  securitySchemes:x`, `  messages:x`) of a 5 MB
// document breaks the whole section; the $refs into it that the broken
// text names are dropped (one scan of the section for all of them).
//
//	go test -run='^$' -bench='GluedKeystroke' -benchtime=3x ./analysis
func BenchmarkGluedKeystroke(b *testing.B) {
	doc := genV3Doc(5 << 20)(b)
	prev := Analyze(doc)
	for _, c := range []struct{ name, at string }{{"operations", "\noperations:"}, {"securitySchemes", "\n  securitySchemes:"}, {"messages", "\n  messages:"}} {
		i := strings.Index(string(doc), c.at+"\n") + len(c.at)
		e := syntax.Edit{Start: i, End: i, Text: "x"}
		text := e.Apply(doc)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				d := Update(prev, []syntax.Edit{e}, text)
				if d.inc.path != pathRegion {
					b.Fatal(d.inc.reason)
				}
			}
		})
	}
}
