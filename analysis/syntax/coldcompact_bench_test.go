package syntax_test

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
)

// BenchmarkCompactColdOpen: the cold parse of a 5 MB minified JSON
// document, valid and broken (`"d` typed after a `"type":"string",` in its
// middle: one broken member), each the way ParseTree parses it now (runs:
// the text, or the broken text with its region blanked, parsed run by run)
// and the way it did before (whole: yaml.v3 over the whole text). Besides
// ns/op, cpu-ns/op is the process's CPU time per parse (the collector's
// included; other programs disturb it less), and peak-x how far the
// process's resident memory rose during one parse after the timed ones,
// in multiples of the document's size (the open's memory peak).
//
//	go test -run='^$' -bench='CompactColdOpen' -benchtime=5x ./analysis/syntax
func BenchmarkCompactColdOpen(b *testing.B) {
	valid := docgen.GenerateMinJSON(docgen.Options{TargetBytes: 5 << 20, Seed: 1})
	key := []byte(`"type":"string",`)
	at := len(valid)/2 + bytes.Index(valid[len(valid)/2:], key) + len(key)
	if at < len(valid)/2 {
		b.Fatal("no string schema in the second half")
	}
	broken := syntax.Edit{Start: at, End: at, Text: `"d`}.Apply(valid)
	if syntax.CompactRegions(broken) == nil {
		b.Fatal("the broken text's error is not confined")
	}
	for _, c := range []struct {
		name  string
		parse func() *syntax.Tree
	}{
		{"valid/runs", func() *syntax.Tree { return syntax.ParseCompactCold(valid) }},
		{"valid/whole", func() *syntax.Tree { return syntax.ParseTreeWhole(valid) }},
		{"broken/runs", func() *syntax.Tree { return syntax.ParseCompactBrokenInRuns(broken, true) }},
		{"broken/whole", func() *syntax.Tree { return syntax.ParseCompactBrokenInRuns(broken, false) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(valid)))
			parse := func() {
				if t := c.parse(); t == nil || t.Root() == nil {
					b.Fatal("not parsed that way")
				}
			}
			cpu := edittest.CPUTime()
			for b.Loop() {
				parse()
			}
			b.ReportMetric(float64(edittest.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
			if peak, ok := edittest.PeakRSS(parse); ok { // (after the timed loop)
				b.ReportMetric(float64(peak)/float64(len(valid)), "peak-x")
			}
		})
	}
}

// manyBrokenMembers returns a 1 MB minified JSON document with n broken
// members spread evenly (each typed after a `"type":"string",`: a ':'
// without its value, a key without its ':', a missing ',', a string
// followed by more, in turn) and the offset of the middle one's end.
func manyBrokenMembers(tb testing.TB, n int) ([]byte, int) {
	doc := docgen.GenerateMinJSON(docgen.Options{TargetBytes: 1 << 20, Seed: 1})
	key := []byte(`"type":"string",`)
	var at []int
	for i := 0; ; {
		k := bytes.Index(doc[i:], key)
		if k < 0 {
			break
		}
		i += k + len(key)
		at = append(at, i)
	}
	if len(at) < n {
		tb.Fatalf("%d string schemas, want %d", len(at), n)
	}
	var b bytes.Buffer
	prev, mid := 0, 0
	for k := range n {
		p := at[k*len(at)/n]
		b.Write(doc[prev:p])
		prev = p
		fmt.Fprintf(&b, []string{`"x-a%d":,`, `"x-b%d",`, `"x-c%d":1 `, `"x-d%d":"s"x,`}[k%4], k)
		if k == n/2 {
			mid = b.Len() - 1
		}
	}
	b.Write(doc[prev:])
	return b.Bytes(), mid
}

// BenchmarkCompactBrokenRegions: a 1 MB minified JSON document with 1,
// 16, 100 and 1000 broken members: the cold parse (each member its own
// region, ParseTree) and a keystroke in the middle one (UpdateTree). The
// cost per region stays flat (no path quadratic in the regions): cold
// ns/op grows by the regions' own work, not by their product with the
// text or with each other.
//
//	go test -run='^$' -bench='CompactBrokenRegions' -benchtime=5x ./analysis/syntax
func BenchmarkCompactBrokenRegions(b *testing.B) {
	for _, n := range []int{1, 16, 100, 1000} {
		text, mid := manyBrokenMembers(b, n)
		if d := len(syntax.ParseTree(text).Diagnostics); d != n {
			b.Fatalf("%d regions: %d diagnostics", n, d)
		}
		benchColdKeystroke(b, n, text, mid, false)
	}
}

// benchColdKeystroke runs the cold parse of text (n/cold) and a blank
// typed at mid (n/keystroke, UpdateTree from the cold tree) with their CPU
// time; with wholeOK, a declined update is followed by the whole parse the
// engine makes (whole/op) and the cold tree's diagnostics are reported
// (regions), else a decline fails the benchmark.
func benchColdKeystroke(b *testing.B, n int, text []byte, mid int, wholeOK bool) {
	tree := syntax.ParseTree(text)
	b.Run(fmt.Sprintf("%d/cold", n), func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		cpu := edittest.CPUTime()
		for b.Loop() {
			syntax.ParseTree(text)
		}
		b.ReportMetric(float64(edittest.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
		if wholeOK {
			b.ReportMetric(float64(len(tree.Diagnostics)), "regions")
		}
	})
	e := syntax.Edit{Start: mid, End: mid, Text: " "}
	next := e.Apply(text)
	b.Run(fmt.Sprintf("%d/keystroke", n), func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		cpu := edittest.CPUTime()
		whole := 0
		for b.Loop() {
			if u, why := syntax.UpdateTree(text, tree, nil, e, next); u == nil {
				if !wholeOK {
					b.Fatal(why)
				}
				syntax.ParseTree(next)
				whole++
			}
		}
		b.ReportMetric(float64(edittest.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
		if wholeOK {
			b.ReportMetric(float64(whole)/float64(b.N), "whole/op")
		}
	})
}

// furthestBrokenMembers returns a 1 MB minified JSON document with n
// errors spread evenly that only readFurthest confines (in turn, a quote
// typed before a `"properties":{` object's '{', and a '{' typed before a
// `"description":` string), and the offset right after the middle one.
func furthestBrokenMembers(tb testing.TB, n int) ([]byte, int) {
	doc := docgen.GenerateMinJSON(docgen.Options{TargetBytes: 1 << 20, Seed: 1})
	keys := [][]byte{[]byte(`"properties":`), []byte(`"description":`)}
	typed := []string{`"x`, `{`}
	var at [2][]int
	for j, key := range keys {
		for i := 0; ; {
			k := bytes.Index(doc[i:], key)
			if k < 0 {
				break
			}
			i += k + len(key)
			at[j] = append(at[j], i)
		}
		if len(at[j]) < n/2 {
			tb.Fatalf("%d %s, want %d", len(at[j]), key, n/2)
		}
	}
	var places []int
	for k := range n {
		places = append(places, at[k%2][k*len(at[k%2])/n])
	}
	slices.Sort(places)
	var b bytes.Buffer
	prev, mid := 0, 0
	for k, p := range places {
		b.Write(doc[prev:p])
		prev = p
		kind := 0
		if doc[p] != '{' {
			kind = 1
		}
		b.WriteString(typed[kind])
		if k == n/2 {
			mid = b.Len()
		}
	}
	b.Write(doc[prev:])
	return b.Bytes(), mid
}

// BenchmarkCompactFurthestRegions is BenchmarkCompactBrokenRegions for
// errors that only readFurthest confines (furthestBrokenMembers): the cold
// parse, and a keystroke in the middle one (a whole parse when the update
// declines, as the engine does). regions is how many diagnostics the cold
// parse gives (one per error when confined).
//
//	go test -run='^$' -bench='CompactFurthestRegions' -benchtime=5x ./analysis/syntax
func BenchmarkCompactFurthestRegions(b *testing.B) {
	for _, n := range []int{2, 16, 100, 1000} {
		text, mid := furthestBrokenMembers(b, n)
		benchColdKeystroke(b, n, text, mid, true)
	}
}

// sessionTenWhole are the indexes in manyErrorTexts of the 43 texts that
// session 10's code parsed whole (each holds a bracket never closed).
var sessionTenWhole = []int{164, 231, 412, 423, 425, 454, 472, 524, 547, 566, 567, 568, 582, 584, 595, 600, 608, 620, 629, 658, 665,
	668, 671, 675, 707, 715, 717, 722, 766, 775, 803, 811, 825, 847, 857, 865, 888, 907, 909, 913, 943, 979, 989}

// BenchmarkCompactLeftoverTexts: the cold parse of the 43 texts of
// TestCompactRegionsManyErrors (8 KB each) that session 10 parsed whole,
// all of them per op; regions is how many of them are confined (the rest
// run every reading before the whole parse, readClosers the last).
//
//	go test -run='^$' -bench='CompactLeftoverTexts' -benchtime=20x ./analysis/syntax
func BenchmarkCompactLeftoverTexts(b *testing.B) {
	all := manyErrorTexts(b)
	var texts [][]byte
	confined := 0
	for _, i := range sessionTenWhole {
		texts = append(texts, all[i])
		if syntax.CompactRegions(all[i]) != nil {
			confined++
		}
	}
	cpu := edittest.CPUTime()
	for b.Loop() {
		for _, text := range texts {
			syntax.ParseTree(text)
		}
	}
	b.ReportMetric(float64(edittest.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(confined), "confined")
}

// BenchmarkCompactKeystrokeBesideDocumentRegion: a keystroke three
// quarters into a 5 MB minified JSON document whose broken region, a
// quarter in, holds a '}' followed by a '{' (an array item typed without
// its ',': `"r":[{"x":1}{"y":2}]`). The edit is away from the region, and
// the update does not read the text's end for documents after the root
// (brokenRootEnd: a scan back over three quarters of the text, about
// 4.5 ms, when every broken update ran it); beside main's binary the
// ratio is about 1.
//
//	go test -run='^$' -bench='CompactKeystrokeBesideDocumentRegion' -benchtime=50x ./analysis/syntax
func BenchmarkCompactKeystrokeBesideDocumentRegion(b *testing.B) {
	doc := docgen.GenerateMinJSON(docgen.Options{TargetBytes: 5 << 20, Seed: 1, Shape: docgen.ShapeV3})
	key := []byte(`"type":"string"`)
	q := len(doc) / 4
	at := q + bytes.Index(doc[q:], key) + len(key)
	doc = syntax.Edit{Start: at, End: at, Text: `,"r":[{"x":1}{"y":2}]`}.Apply(doc)
	tree := syntax.ParseTree(doc)
	if len(tree.Diagnostics) != 1 || tree.Root() == nil {
		b.Fatalf("want one broken region, got %v", tree.Diagnostics)
	}
	from := len(doc) * 3 / 4
	k := from + bytes.Index(doc[from:], key) + len(key) - 1
	e := syntax.Edit{Start: k, End: k, Text: "x"}
	next := e.Apply(doc)
	if u, why := syntax.UpdateTree(doc, tree, nil, e, next); u == nil {
		b.Fatalf("declined: %s", why)
	}
	for b.Loop() {
		syntax.UpdateTree(doc, tree, nil, e, next)
	}
}
