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

// BenchmarkRecheckBailout measures the unit rebuild's "too many units to
// check again" bail-out (maxRecheck): every edit of the typing sweep
// (sweep_bench_test.go) that checks more than 64 units again is timed
// with the bail-out forced (a full build) and with it off (the units
// checked again), alternately in one run, and logged with the share of
// the document's units it checks and whether maxRecheck bails out.
//
//	ASYNCAPI_LS_RECHECK=1MB,5MB go test -run='^$' -bench=RecheckBailout -benchtime=1x -v ./analysis
//
// Times are the process's CPU time (the collector's included), which the
// load of a shared machine disturbs less than the wall clock.
//
// Without ASYNCAPI_LS_RECHECK it runs on 1 MB YAML documents
// (ASYNCAPI_LS_RECHECK_JSON=1 adds JSON).
func BenchmarkRecheckBailout(b *testing.B) {
	sizes := envSizes("ASYNCAPI_LS_RECHECK", "1MB")
	formats := []string{"yaml"}
	if os.Getenv("ASYNCAPI_LS_RECHECK_JSON") != "" {
		formats = append(formats, "json")
	}
	rule := maxRecheck
	defer func() { maxRecheck = rule }()
	full := func(int) int { return 64 }
	never := func(int) int { return math.MaxInt }
	// The share of the document checked again, up to all of it: n
	// operations, of which a share $ref the scheme whose type is edited
	// (each operation is one small unit, so that the units are all a full
	// build does: the worst case for checking again).
	b.Run("share", func(b *testing.B) {
		const ops = 20000
		for _, pct := range []int{10, 25, 40, 50, 60, 75, 90, 100} {
			text := opsSharingScheme(ops, ops*pct/100)
			prev := Analyze([]byte(text))
			at := strings.Index(text, "type: X509") + len("type: X509")
			e := syntax.Edit{Start: at, End: at, Text: "x"}
			next := e.Apply(prev.Text)
			var fulls, agains []time.Duration
			var d *Document
			for range 5 {
				maxRecheck = full
				t := cpuTime()
				Update(prev, []syntax.Edit{e}, next)
				fulls = append(fulls, cpuTime()-t)
				maxRecheck = never
				t = cpuTime()
				d = Update(prev, []syntax.Edit{e}, next)
				agains = append(agains, cpuTime()-t)
			}
			slices.Sort(fulls)
			slices.Sort(agains)
			f, a := fulls[2], agains[2]
			b.Logf("%3d %% of %d operations: full %7.2f ms  recheck %7.2f ms  ratio %.2f  checked %d of %d units; bails out %v",
				pct, ops, ms(f), ms(a), float64(a)/float64(f), d.inc.checked, prev.unitCount(), d.inc.checked > rule(prev.unitCount()))
		}
		for b.Loop() {
		}
	})
	for _, size := range sizes {
		n, err := strconv.Atoi(strings.TrimSuffix(size, "MB"))
		if err != nil {
			b.Fatalf("ASYNCAPI_LS_RECHECK=%q: want sizes like 1MB,5MB", size)
		}
		for _, shape := range docgen.Shapes() {
			for _, format := range formats {
				b.Run(fmt.Sprintf("%s-%s-%s", size, shape, format), func(b *testing.B) {
					opts := docgen.Options{TargetBytes: n << 20, Seed: 1, Shape: shape}
					doc := docgen.Generate(opts)
					if format == "json" {
						doc = docgen.GenerateJSON(opts)
					}
					prev := Analyze(doc)
					total := prev.unitCount()
					var sumFull, sumAgain, sumRule time.Duration
					hits, slower, bails := 0, 0, 0
					for _, s := range sweepEdits(doc, format == "json") {
						text := s.edit.Apply(doc)
						edits := []syntax.Edit{s.edit}
						maxRecheck = never
						d := Update(prev, edits, text)
						if !d.inc.modelReused || d.inc.checked <= 64 {
							continue
						}
						hits++
						var fulls, agains []time.Duration
						for range 5 {
							maxRecheck = full
							t := cpuTime()
							if Update(prev, edits, text).inc.modelReused {
								b.Fatalf("%s %s: the forced bail-out did not fire", s.kind, s.what)
							}
							fulls = append(fulls, cpuTime()-t)
							maxRecheck = never
							t = cpuTime()
							Update(prev, edits, text)
							agains = append(agains, cpuTime()-t)
						}
						slices.Sort(fulls)
						slices.Sort(agains)
						f, a := fulls[2], agains[2]
						sumFull += f
						sumAgain += a
						if a > f {
							slower++
						}
						bail := d.inc.checked > rule(total)
						if bail {
							bails++
							sumRule += f
						} else {
							sumRule += a
						}
						b.Logf("%-40s %-11s full %7.2f ms  recheck %7.2f ms  ratio %.2f  checked %d of %d units (%.0f %%), %d rebuilt; bails out %v",
							s.kind, s.what, ms(f), ms(a), float64(a)/float64(f), d.inc.checked, total, 100*float64(d.inc.checked)/float64(total), d.inc.units, bail)
					}
					b.Logf("%d edits check more than 64 units again; full build %.1f ms, recheck %.1f ms in all (ratio %.2f), %d slower rechecked; maxRecheck bails out on %d (%.1f ms in all, ratio %.2f)",
						hits, ms(sumFull), ms(sumAgain), float64(sumAgain)/float64(max(sumFull, 1)), slower, bails, ms(sumRule), float64(sumRule)/float64(max(sumFull, 1)))
					for b.Loop() {
					}
				})
			}
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
