package analysis

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// blockFindings is a document whose section blocks reach every unit (each
// channel names a root server or, in 3.x, one in five none, each operation
// $refs its channel and a scheme; in 2.x each operation names a scheme),
// with findings in and
// between units: a server and a scheme that do not resolve, an unused
// scheme, a channel whose server is undefined.
func blockFindings(v3 bool, channels int) string {
	var b strings.Builder
	if v3 {
		b.WriteString("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers:\n")
		b.WriteString("  s0: {host: a.example.com, protocol: https}\n  s1: {host: b.example.com, protocol: wss, security: [{$ref: '#/components/securitySchemes/none'}]}\nchannels:\n")
		for i := range channels {
			fmt.Fprintf(&b, "  c%d:\n    address: c%d\n", i, i)
			if i%5 != 4 { // (else its operation runs on every server)
				fmt.Fprintf(&b, "    servers: [{$ref: '#/servers/s%d'}]\n", i%3) // s2: undefined
			}
		}
		b.WriteString("operations:\n")
		for i := range channels {
			fmt.Fprintf(&b, "  o%d:\n    action: send\n    channel: {$ref: '#/channels/c%d'}\n    security: [{$ref: '#/components/securitySchemes/k%d'}]\n", i, i, i%2)
		}
		b.WriteString("components:\n  securitySchemes:\n    k0: {type: httpApiKey, name: k, in: query}\n    k1: {type: http, scheme: basic}\n    unused: {type: http, scheme: bearer}\n")
		return b.String()
	}
	b.WriteString("asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nservers:\n")
	b.WriteString("  s0: {url: mqtt://a.example.com, protocol: mqtt}\n  s1: {url: ws://b.example.com, protocol: ws, security: [{none: []}]}\nchannels:\n")
	for i := range channels {
		fmt.Fprintf(&b, "  c%d:\n    servers: [s%d]\n    publish:\n      operationId: o%d\n      security: [{k%d: []}]\n", i, i%3, i, i%2)
	}
	b.WriteString("components:\n  securitySchemes:\n    k0: {type: userPassword}\n    k1: {type: apiKey, in: user}\n    unused: {type: userPassword}\n")
	return b.String()
}

// TestLargeBlocksEqualCold: with maxBlock and maxRecheck lifted, every
// model section's key line broken and fixed (its colon deleted: a block
// dropped and given back; in YAML a comment after it: replaced; in JSON a
// member typed after its '{') in documents whose blocks reach every unit,
// 2.x and 3.x, YAML and JSON, each step equal to a cold analysis and made
// as a block: the diagnostics the rebuilt units make merged with those
// kept (sortKept), the unused-scheme counts made again (countUses).
func TestLargeBlocksEqualCold(t *testing.T) {
	rb, rr := maxBlock, maxRecheck
	defer func() { maxBlock, maxRecheck = rb, rr }()
	maxBlock = func(int) int { return math.MaxInt }
	maxRecheck = func(int) int { return math.MaxInt }
	channels := testenv.Count(8, 300)
	for _, v3 := range []bool{true, false} {
		for _, json := range []bool{false, true} {
			name := fmt.Sprintf("v3=%v json=%v", v3, json)
			text := []byte(blockFindings(v3, channels))
			if json {
				var err error
				if text, err = docgen.ToJSON(text); err != nil {
					t.Fatal(err)
				}
			}
			prev := Analyze(text)
			if len(prev.Diagnostics) < 4 {
				t.Fatalf("%s: %d findings, want some in and between units", name, len(prev.Diagnostics))
			}
			for _, head := range []string{"servers", "channels", "operations", "components", "securitySchemes"} {
				if head == "operations" && !v3 {
					continue
				}
				line := "\n" + head + ":"
				if json {
					line = "\n  \"" + head + "\":"
				}
				if head == "securitySchemes" {
					line = strings.Replace(line, "\n", "\n  ", 1)
				}
				at := bytes.Index(text, []byte(line))
				if at < 0 {
					t.Fatalf("%s: no %q", name, line)
				}
				colon := at + len(line) - 1
				edits := map[string]syntax.Edit{"colon-del": {Start: colon, End: colon + 1}}
				if json {
					edits["member"] = syntax.Edit{Start: colon + 3, End: colon + 3, Text: "\n    \"x\": "}
				} else {
					edits["comment"] = syntax.Edit{Start: colon + 1, End: colon + 1, Text: " # note"}
				}
				for what, e := range edits {
					got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(text))
					back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, text)}, text)
					t.Logf("%s %s %s: %d of %d units rebuilt (%d copied) (%s), back %d (%d copied) (%s)", name, head, what, got.inc.units, prev.unitCount(), got.inc.copied, got.inc.modelWhy, back.inc.units, back.inc.copied, back.inc.modelWhy)
					if !got.inc.modelReused || !back.inc.modelReused {
						t.Fatalf("%s %s %s: partial model %v (%q), back %v (%q); want both", name, head, what, got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy)
					}
					if got.inc.units < channels/2 && got.inc.dropped == 0 { // (dropped alone: compdrop.go)
						t.Errorf("%s %s %s: %d of %d units rebuilt, want a block of at least %d", name, head, what, got.inc.units, prev.unitCount(), channels/2)
					}
				}
			}
		}
	}
}

// TestSortKept: sortKept sorts as sortDiagnostics does, those that compare
// equal kept in their order (the rebuilt units' before the kept ones,
// which come before those made after), whether the kept ones are sorted
// (merged) or not (sorted with the rest); the list given is not changed.
func TestSortKept(t *testing.T) {
	dg := func(start int, code string, tag int) syntax.Diagnostic {
		// (the tag tells apart those that compare equal)
		return syntax.Diagnostic{Range: syntax.Range{Start: start, End: start + 1}, Code: code, Message: "m", Tags: []syntax.Tag{syntax.Tag(tag)}}
	}
	late := dg(5, "a", 12)
	late.Message = "n"
	made := []syntax.Diagnostic{dg(9, "b", 0), dg(3, "a", 1), dg(5, "a", 2), dg(3, "a", 3), dg(12, "a", 4), late}
	kept := []syntax.Diagnostic{dg(1, "a", 5), dg(3, "a", 6), dg(5, "a", 7), dg(5, "b", 8), dg(20, "a", 9)}
	after := []syntax.Diagnostic{dg(5, "a", 10), dg(0, "a", 11)}
	for _, c := range []struct {
		name string
		kept []syntax.Diagnostic
	}{{"kept sorted", kept}, {"kept unsorted", append(kept[3:], kept[:3]...)}} {
		list := slices.Concat(made, c.kept, after)
		orig := slices.Clone(list)
		want := slices.Clone(list)
		sortDiagnostics(want)
		got := sortKept(list, len(made), len(made)+len(c.kept))
		if !slices.EqualFunc(got, want, func(a, b syntax.Diagnostic) bool {
			return a.Range == b.Range && a.Code == b.Code && a.Tags[0] == b.Tags[0]
		}) {
			t.Errorf("%s: got %v, want %v", c.name, got, want)
		}
		if !slices.EqualFunc(list, orig, func(a, b syntax.Diagnostic) bool { return a.Tags[0] == b.Tags[0] }) {
			t.Errorf("%s: the list given was changed", c.name)
		}
		if c.name != "kept sorted" {
			continue
		}
		// by place, code, message, then as listed
		var tags []syntax.Tag
		for _, d := range got {
			tags = append(tags, d.Tags[0])
		}
		if want := []syntax.Tag{11, 5, 1, 3, 6, 2, 7, 10, 12, 8, 0, 4, 9}; !slices.Equal(tags, want) {
			t.Errorf("%s: order %v, want %v", c.name, tags, want)
		}
	}
}

// TestSortRuns: sortRuns sorts as sortDiagnostics does, those that compare
// equal kept in their order, whether the list is none, one or a few
// ascending runs (merged) or more than maxSortRuns (sorted), with runs of
// ties and runs that overlap; and sortKept sorts them so when none is
// kept (the rebuilt units' alone, or with some made after).
func TestSortRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	for n := range testenv.Count(200, 2000) {
		runs := n % (maxSortRuns + 4) // 0 .. maxSortRuns+3
		var list []syntax.Diagnostic
		for r := range runs {
			at := rng.IntN(20)
			for k := range 1 + rng.IntN(6) {
				at += rng.IntN(3) // (0: a tie, or the same place and another code)
				code := []string{"a", "b"}[rng.IntN(2)]
				list = append(list, syntax.Diagnostic{Range: syntax.Range{Start: at, End: at + 1}, Code: code, Message: "m",
					Tags: []syntax.Tag{syntax.Tag(1000*r + k)}})
				if code == "b" {
					at++ // (keeps the run ascending: "b" sorts after "a" at one place)
				}
			}
		}
		want := slices.Clone(list)
		sortDiagnostics(want)
		same := func(got []syntax.Diagnostic) bool {
			return slices.EqualFunc(got, want, func(a, b syntax.Diagnostic) bool {
				return a.Range == b.Range && a.Code == b.Code && a.Tags[0] == b.Tags[0]
			})
		}
		if got := sortRuns(slices.Clone(list)); !same(got) {
			t.Fatalf("%d runs: sortRuns got %v, want %v", runs, got, want)
		}
		orig := slices.Clone(list)
		for _, from := range []int{len(list), len(list) / 2} { // (none made after, or some)
			got := sortKept(list, from, from)
			if !same(got) {
				t.Fatalf("%d runs, nothing kept, %d made after: sortKept got %v, want %v", runs, len(list)-from, got, want)
			}
			if !slices.EqualFunc(list, orig, func(a, b syntax.Diagnostic) bool { return a.Tags[0] == b.Tags[0] }) {
				t.Fatalf("%d runs, nothing kept: the list given was changed", runs)
			}
		}
	}
}

// TestBlockBoundEarly: a block past maxBlock gives up as soon as the units
// it reaches pass the bound, not once it has found them all (the channels
// of blockFindings name the root servers: a servers block reaches them
// all); dropped and given back. One unit edited is not bound by it.
func TestBlockBoundEarly(t *testing.T) {
	rb, rr := maxBlock, maxRecheck
	defer func() { maxBlock, maxRecheck = rb, rr }()
	maxRecheck = func(int) int { return math.MaxInt }
	text := []byte(blockFindings(true, 20))
	at := bytes.Index(text, []byte("\nservers:")) + len("\nservers:")
	brk := syntax.Edit{Start: at - 1, End: at}
	prev := Analyze(text)
	maxBlock = func(int) int { return math.MaxInt }
	all := Update(prev, []syntax.Edit{brk}, brk.Apply(text))
	broken := Analyze(brk.Apply(text))
	fix := editBetween(broken.Text, text)
	allBack := Update(broken, []syntax.Edit{fix}, text)
	if !all.inc.modelReused || !allBack.inc.modelReused {
		t.Fatalf("without the bound: partial model %v (%q), back %v (%q)", all.inc.modelReused, all.inc.modelWhy, allBack.inc.modelReused, allBack.inc.modelWhy)
	}
	const bound = 10
	// The units that read the servers are shared, not rebuilt (srvlook.go),
	// and not bound by maxBlock: the block is partial under the bound.
	maxBlock = func(int) int { return bound }
	for _, step := range []struct {
		name       string
		from, want *Document
		edit       syntax.Edit
	}{{"dropped", prev, all, brk}, {"given back", broken, allBack, fix}} {
		got := checkUpdate(t, step.from, []syntax.Edit{step.edit}, step.want.Text)
		if !got.inc.modelReused || got.inc.units != step.want.inc.units || got.inc.srvShared != got.inc.units-2 {
			t.Errorf("%s, shared, a bound of %d units: partial model %v (%q), %d units, %d shared; want %d units, all but the 2 servers shared",
				step.name, bound, got.inc.modelReused, got.inc.modelWhy, got.inc.units, got.inc.srvShared, step.want.inc.units)
		}
	}
	// Without the sharing, the dependents are rebuilt and bound.
	serversShared = false
	defer func() { serversShared = true }()
	// (10: found with the channels that $ref the servers; 25: with the
	// operations on those)
	for _, bound := range []int{bound, 25} {
		maxBlock = func(int) int { return bound }
		got := checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(text))
		if got.inc.modelWhy != "a section dropped as a block reaches too many units" || got.inc.reached != bound+1 {
			t.Errorf("dropped: %q after %d units, want the bound's after %d (the block reaches %d)", got.inc.modelWhy, got.inc.reached, bound+1, all.inc.units)
		}
	}
	// A bound of one unit fewer than the block reaches: the last ones
	// are the operations on channels that name no server (they run on
	// every server).
	maxBlock = func(int) int { return all.inc.units - 1 }
	if got := checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(text)); got.inc.modelReused {
		t.Errorf("dropped, a bound of %d units: a partial model of %d units", all.inc.units-1, got.inc.units)
	}
	maxBlock = func(int) int { return bound }
	// A block larger than the bound stops before it looks for the units
	// that depend on it: the 20 channels, not their operations. (With
	// the operations swapped, chandrop.go, the channels' block is not
	// bound by maxBlock: switched off here.)
	channelsSwapped = false
	defer func() { channelsSwapped = true }()
	ch := bytes.Index(text, []byte("\nchannels:")) + len("\nchannels:")
	chBrk := syntax.Edit{Start: ch - 1, End: ch}
	if got := checkUpdate(t, prev, []syntax.Edit{chBrk}, chBrk.Apply(text)); got.inc.modelReused || got.inc.reached != 20 {
		t.Errorf("channels dropped: partial model %v (%q) after %d units, want the bound's after the 20 channels", got.inc.modelReused, got.inc.modelWhy, got.inc.reached)
	}
	// One unit edited is no block: its dependents are bound by maxRecheck
	// only.
	maxBlock = func(int) int { return 0 }
	addr := bytes.Index(text, []byte("address: c1\n")) + len("address: c1")
	one := syntax.Edit{Start: addr, End: addr, Text: "x"}
	if got := checkUpdate(t, prev, []syntax.Edit{one}, one.Apply(text)); !got.inc.modelReused || got.inc.units < 2 {
		t.Errorf("a channel edited, maxBlock 0: partial model %v (%q), %d units rebuilt; want the channel and its operation", got.inc.modelReused, got.inc.modelWhy, got.inc.units)
	}
	maxBlock = func(int) int { return bound }
	back := checkUpdate(t, broken, []syntax.Edit{fix}, text)
	// (the two servers given back count against the bound)
	if back.inc.modelWhy != "a section given back as a block reaches too many units" || back.inc.reached != bound-2+1 {
		t.Errorf("given back: %q after %d units, want the bound's after %d (the block reaches %d)", back.inc.modelWhy, back.inc.reached, bound-2+1, allBack.inc.units)
	}
}

// setBlockBound sets the bounds of a block (maxBlock) and of a section
// dropped with nothing that depends on it (maxDrop) to n: the benchmarks
// that time a block against a full build force both. (A test binary of a
// version without maxDrop defines it to set maxBlock alone.)
func setBlockBound(n func(int) int) { maxBlock, maxDrop = n, n }

// saveBlockBounds returns a function that sets maxBlock and maxDrop back
// to what they are now.
func saveBlockBounds() func() {
	b, d := maxBlock, maxDrop
	return func() { maxBlock, maxDrop = b, d }
}
