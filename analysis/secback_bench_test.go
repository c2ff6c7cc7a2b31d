package analysis

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// moveBlock returns doc (YAML in block style) with the block of key name
// at indent (its line and the lines below it indented more) moved right
// after the block of key after, at the same indent.
func moveBlock(t testing.TB, doc string, indent int, name, after string) string {
	t.Helper()
	pad := strings.Repeat(" ", indent)
	block := func(lines []string, key string) (int, int) {
		for i, l := range lines {
			if strings.HasPrefix(l, pad+key+":") {
				j := i + 1
				for ; j < len(lines); j++ {
					tr := strings.TrimLeft(lines[j], " ")
					if tr != "" && tr != "\n" && len(lines[j])-len(tr) <= indent {
						break
					}
				}
				return i, j
			}
		}
		t.Fatalf("no %q at indent %d", key, indent)
		return 0, 0
	}
	lines := strings.SplitAfter(doc, "\n")
	a, b := block(lines, name)
	moved := append([]string(nil), lines[a:b]...)
	lines = append(lines[:a:a], lines[b:]...)
	_, e := block(lines, after)
	out := append(append(append([]string(nil), lines[:e]...), moved...), lines[e:]...)
	return strings.Join(out, "")
}

// schemesAfterTraits is a 3.x document of n channels and n operations on
// them, a tenth of which name one of 10 component schemes, written after
// two operation traits; with merge, the first scheme is brought in by a
// merge key (`<<: {…}`).
func schemesAfterTraits(n int, merge bool) []byte {
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers:\n  prod: {host: a.example.com, protocol: mqtt}\nchannels:\n")
	for i := range n {
		fmt.Fprintf(&b, "  c%d: {address: c%d}\n", i, i)
	}
	b.WriteString("operations:\n")
	for i := range n {
		fmt.Fprintf(&b, "  o%d: {action: send, channel: {$ref: '#/channels/c%d'}", i, i)
		if i%10 == 0 {
			fmt.Fprintf(&b, ", security: [{$ref: '#/components/securitySchemes/s%d'}]", i/10%10)
		}
		b.WriteString("}\n")
	}
	b.WriteString("components:\n  operationTraits:\n    t0: {description: d}\n    t1: {description: d}\n  securitySchemes:\n")
	for i := range 10 {
		line := fmt.Sprintf("s%d: {type: httpApiKey, name: k%d, in: header}", i, i)
		if merge && i == 0 {
			line = "<<: {" + line + "}"
		}
		b.WriteString("    " + line + "\n")
	}
	return []byte(b.String())
}

// BenchmarkSectionBackAfterSection times the edits that give root servers
// or component schemes back after a section (a colon typed back), and a
// section that merges entries in replaced (a comment after its key) and
// given back (its key typed back), CPU time, medians of 5. Run the same
// file in a test binary of the code before (which builds them whole) and
// compare the lines. Sizes: ASYNCAPI_LS_SECBACK (default 200KB).
func BenchmarkSectionBackAfterSection(b *testing.B) {
	type benchCase struct {
		name     string
		doc      []byte
		head     string // the key line's text up to its colon
		brk, fix string // "colon": deleted, typed back; "comment": one typed after it; "rename": the key renamed, typed back
	}
	for _, size := range envSizes("ASYNCAPI_LS_SECBACK", "200KB") {
		bytesN := benchDocBytes(b, "ASYNCAPI_LS_SECBACK", size)
		n := bytesN / 100
		var cases []benchCase
		for _, json := range []bool{false, true} {
			doc := schemesAfterTraits(n, false)
			head := "\n  securitySchemes:"
			name := "schemes after traits"
			if json {
				js, err := docgen.ToJSON(doc)
				if err != nil {
					b.Fatal(err)
				}
				doc, head, name = js, "\n    \"securitySchemes\":", name+" json"
			}
			cases = append(cases, benchCase{name, doc, head, "colon", "colon"})
		}
		merged := schemesAfterTraits(n, true)
		cases = append(cases,
			benchCase{"merged schemes", merged, "\n  securitySchemes:", "comment", "comment"},
			benchCase{"merged schemes", merged, "\n  securitySchemes:", "rename", "rename"})
		for _, shape := range []docgen.Shape{docgen.ShapeV26, docgen.ShapeV3} {
			after := "operations"
			if shape == docgen.ShapeV26 {
				after = "channels"
			}
			doc := []byte(moveBlock(b, string(docgen.Generate(docgen.Options{TargetBytes: bytesN, Seed: 1, Shape: shape})), 0, "servers", after))
			cases = append(cases, benchCase{fmt.Sprintf("gen %s servers after %s", shape, after), doc, "\nservers:", "colon", "colon"})
		}
		for _, c := range cases {
			b.Run(size+"/"+strings.ReplaceAll(c.name, " ", "-")+"/"+c.brk, func(b *testing.B) {
				at := bytes.Index(c.doc, []byte(c.head))
				colon := at + len(c.head) - 1
				var brk syntax.Edit
				switch c.brk {
				case "colon":
					brk = syntax.Edit{Start: colon, End: colon + 1}
				case "comment":
					brk = syntax.Edit{Start: colon + 1, End: colon + 1, Text: " # c"}
				case "rename":
					brk = syntax.Edit{Start: colon, End: colon, Text: "x"}
				}
				orig := Analyze(c.doc)
				broken := brk.Apply(c.doc)
				mid := Update(orig, []syntax.Edit{brk}, broken)
				fix := editBetween(broken, c.doc)
				step := func(what string, prev *Document, e syntax.Edit, text []byte) {
					d, cpu := medianUpdateCPU(prev, e, text)
					b.Logf("SECBACK %s | %s | %s %s | %.2f ms | %s", size, c.name, c.brk, what, ms(cpu), rebuiltHow(d))
				}
				if c.brk == "comment" {
					step("break", orig, brk, broken)
				}
				step("fix", mid, fix, c.doc)
				for b.Loop() {
				}
			})
		}
	}
}

// medianUpdateCPU makes the update of prev by e five times and returns
// its result and the median CPU time of the five.
func medianUpdateCPU(prev *Document, e syntax.Edit, text []byte) (*Document, time.Duration) {
	var ts []time.Duration
	var d *Document
	for range 5 {
		t := cpuTime()
		d = Update(prev, []syntax.Edit{e}, text)
		ts = append(ts, cpuTime()-t)
	}
	slices.Sort(ts)
	return d, ts[2]
}

// rebuiltHow says how an update built its model: how many units were
// rebuilt, or why it was built whole.
func rebuiltHow(d *Document) string {
	if !d.inc.modelReused {
		return "built whole: " + d.inc.modelWhy
	}
	return fmt.Sprintf("%d units rebuilt of %d", d.inc.units, d.unitCount())
}
