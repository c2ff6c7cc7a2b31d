package analysis

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkBlockDropCost measures the cap on a block drop (maxBlock):
// every edit of the typing sweep (sweep_bench_test.go) at the components
// line and the section lines under it (componentsDrop, blockDrop of the
// schemes), and, to compare, at the channels, operations and root
// servers lines, is timed with the cap forced (a full build) and lifted
// (the units dropped, those that $ref or name them checked again; and
// maxRecheck lifted), alternately in one run, 5 times each (medians), and
// logged with the share of the document's units it rebuilds, how many of
// those are the block's own (the units of the sections it drops; the
// others depend on them), and whether maxBlock gives up.
//
//	ASYNCAPI_LS_BLOCKDROP=200KB,1MB go test -run='^$' -bench=BlockDropCost -benchtime=1x -v ./analysis
//
// Times are the process's CPU time, as in BenchmarkRecheckBailout.
func BenchmarkBlockDropCost(b *testing.B) {
	sizes := envSizes("ASYNCAPI_LS_BLOCKDROP", "200KB")
	rule, recheck := maxBlock, maxRecheck
	defer saveBlockBounds()()
	defer func() { maxRecheck = recheck }()
	full := func(int) int { return -1 }
	never := func(int) int { return math.MaxInt }
	// (a block of root servers reaches every unit that names one, which
	// maxRecheck would stop: lifted, so the block is timed)
	maxRecheck = never
	kinds := map[string]bool{"components": true, "components.*": true, "channels": true, "operations": true, "servers": true}
	for _, size := range sizes {
		bytes := benchDocBytes(b, "ASYNCAPI_LS_BLOCKDROP", size)
		for _, shape := range docgen.Shapes() {
			for _, format := range []string{"yaml", "json"} {
				b.Run(fmt.Sprintf("%s-%s-%s", size, shape, format), func(b *testing.B) {
					opts := docgen.Options{TargetBytes: bytes, Seed: 1, Shape: shape}
					doc := docgen.Generate(opts)
					if format == "json" {
						doc = docgen.GenerateJSON(opts)
					}
					prev := Analyze(doc)
					total := prev.unitCount()
					sums := map[string][2]time.Duration{}
					for _, s := range sweepEdits(doc, format == "json") {
						if !kinds[s.kind] {
							continue
						}
						text := s.edit.Apply(doc)
						edits := []syntax.Edit{s.edit}
						setBlockBound(never)
						d := Update(prev, edits, text)
						if !d.inc.modelReused || d.inc.units == 0 {
							continue
						}
						setBlockBound(full)
						if Update(prev, edits, text).inc.modelReused {
							continue // not a block drop: the cap does not apply
						}
						var fulls, drops []time.Duration
						for range 5 {
							setBlockBound(full)
							t := cpuTime()
							Update(prev, edits, text)
							fulls = append(fulls, cpuTime()-t)
							setBlockBound(never)
							t = cpuTime()
							Update(prev, edits, text)
							drops = append(drops, cpuTime()-t)
						}
						slices.Sort(fulls)
						slices.Sort(drops)
						f, a := fulls[2], drops[2]
						sum := sums[s.kind]
						sums[s.kind] = [2]time.Duration{sum[0] + f, sum[1] + a}
						own := 0 // the units of the sections the edit drops
						for sec := range numSections {
							if sp := sectionPaths[sec]; strings.HasPrefix(s.kind, "components") && sp[0] == "components" || s.kind == sp[0] && len(sp) == 1 {
								own += len(prev.runs[sec])
							}
						}
						b.Logf("%-13s %-12s full %7.2f ms  drop %7.2f ms  ratio %.2f  rebuilt %d of %d units (%.0f %%; %d the block's own), %d checked; maxBlock %d gives up %v",
							s.kind, s.what, ms(f), ms(a), float64(a)/float64(f), d.inc.units, total, 100*float64(d.inc.units)/float64(total), own, d.inc.checked, rule(total), d.inc.units > rule(total))
					}
					for _, k := range []string{"components", "components.*", "channels", "operations", "servers"} {
						if s, ok := sums[k]; ok {
							b.Logf("%-13s in all: full %.1f ms, drop %.1f ms, ratio %.2f", k, ms(s[0]), ms(s[1]), float64(s[1])/float64(s[0]))
						}
					}
					for b.Loop() {
					}
				})
			}
		}
	}
}

// envSizes are the document sizes a benchmark runs on: the
// comma-separated list in the environment variable env ("200KB,1MB"), or
// def.
func envSizes(env, def string) []string {
	if s := os.Getenv(env); s != "" {
		return strings.Split(s, ",")
	}
	return []string{def}
}

// benchDocBytes reads one of envSizes' sizes ("200KB", "1MB") as bytes.
func benchDocBytes(b *testing.B, env, size string) int {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(size, "MB"), "KB"))
	if err != nil {
		b.Fatalf("%s=%q: want sizes like 200KB,1MB", env, size)
	}
	if strings.HasSuffix(size, "KB") {
		return n << 10
	}
	return n << 20
}

// BenchmarkBlockShare measures a block's cost against a full build by the
// share of the document's units it reaches: the channels' key line broken
// (its colon deleted: blockDrop) and fixed (blockRestore) in a 3.0
// document of n operations and n/10 channels, a share of the operations
// $ref'ing one of those (the others a component channel, which is no
// unit). The block is the channels, dropped or given back, and the
// operations on them, checked again. Timed as BenchmarkBlockDropCost
// does, with maxBlock and maxRecheck lifted or a full build forced.
//
//	ASYNCAPI_LS_BLOCKSHARE=5000 go test -run='^$' -bench=BlockShare -benchtime=1x -v ./analysis
func BenchmarkBlockShare(b *testing.B) {
	n := 5000
	if s := os.Getenv("ASYNCAPI_LS_BLOCKSHARE"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("ASYNCAPI_LS_BLOCKSHARE=%q: want a number of operations", s)
		}
	}
	rb, rr := maxBlock, maxRecheck
	defer func() { maxBlock, maxRecheck = rb, rr }()
	for _, pct := range []int{0, 5, 10, 20, 30, 40, 50, 60, 75, 100} {
		var t strings.Builder
		t.WriteString("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n")
		for i := range n / 10 {
			fmt.Fprintf(&t, "  c%d:\n    address: c%d\n", i, i)
		}
		t.WriteString("operations:\n")
		for i := range n {
			channel := "components/channels/x"
			if i*100 < n*pct {
				channel = fmt.Sprintf("channels/c%d", i%(n/10))
			}
			fmt.Fprintf(&t, "  o%d:\n    action: send\n    channel: {$ref: '#/%s'}\n", i, channel)
		}
		t.WriteString("components:\n  channels:\n    x: {address: x}\n")
		text := []byte(t.String())
		at := strings.Index(t.String(), "\nchannels:") + len("\nchannels:") - 1
		brk := syntax.Edit{Start: at, End: at + 1}
		broken := brk.Apply(text)
		fix := editBetween(broken, text)
		maxBlock = func(int) int { return math.MaxInt }
		maxRecheck = func(int) int { return math.MaxInt }
		orig := Analyze(text)
		mid := Update(orig, []syntax.Edit{brk}, broken)
		for _, s := range []struct {
			name string
			prev *Document
			e    syntax.Edit
			text []byte
		}{{"drop", orig, brk, broken}, {"restore", mid, fix, text}} {
			maxBlock = func(int) int { return math.MaxInt }
			d := Update(s.prev, []syntax.Edit{s.e}, s.text)
			if !d.inc.modelReused {
				// (the drop's overlays past maxOverlay: a full build starts afresh)
				b.Logf("%3d %% %-7s built whole (%s)", pct, s.name, d.inc.modelWhy)
				continue
			}
			var fulls, incs []time.Duration
			for range 5 {
				maxBlock = func(int) int { return -1 }
				c := cpuTime()
				Update(s.prev, []syntax.Edit{s.e}, s.text)
				fulls = append(fulls, cpuTime()-c)
				maxBlock = func(int) int { return math.MaxInt }
				c = cpuTime()
				Update(s.prev, []syntax.Edit{s.e}, s.text)
				incs = append(incs, cpuTime()-c)
			}
			slices.Sort(fulls)
			slices.Sort(incs)
			total := s.prev.unitCount()
			b.Logf("%3d %% %-7s full %7.2f ms  block %7.2f ms  ratio %.2f  rebuilt %d of %d units (%.0f %%), %d checked",
				pct, s.name, ms(fulls[2]), ms(incs[2]), float64(incs[2])/float64(fulls[2]), d.inc.units, total, 100*float64(d.inc.units)/float64(total), d.inc.checked)
		}
	}
	for b.Loop() {
	}
}
