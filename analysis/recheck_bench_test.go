package analysis

import (
	"fmt"
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
// check again" bail-out: for every edit of the typing sweep
// (sweep_bench_test.go) that hits it, the Update as it is (a full build)
// against the Update with the bail-out off (the units checked again),
// timed alternately in one run, and logs both with the counts the
// threshold reads.
//
//	ASYNCAPI_LS_RECHECK=1MB,5MB go test -run='^$' -bench=RecheckBailout -benchtime=1x ./analysis
//
// Without ASYNCAPI_LS_RECHECK it runs on 1 MB YAML documents.
func BenchmarkRecheckBailout(b *testing.B) {
	sizes := []string{"1MB"}
	if s := os.Getenv("ASYNCAPI_LS_RECHECK"); s != "" {
		sizes = strings.Split(s, ",")
	}
	formats := []string{"yaml"}
	if os.Getenv("ASYNCAPI_LS_RECHECK_JSON") != "" {
		formats = append(formats, "json")
	}
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
					total := 0
					for _, r := range prev.runs {
						total += len(r)
					}
					var sumFull, sumAgain time.Duration
					hits, slower := 0, 0
					for _, s := range sweepEdits(doc, format == "json") {
						text := s.edit.Apply(doc)
						edits := []syntax.Edit{s.edit}
						if d := Update(prev, edits, text); d.inc.modelWhy != "too many units to check again" {
							continue
						}
						hits++
						var full, again []time.Duration
						var d *Document
						for range 5 {
							t := time.Now()
							Update(prev, edits, text)
							full = append(full, time.Since(t))
							recheckAll = true
							t = time.Now()
							d = Update(prev, edits, text)
							again = append(again, time.Since(t))
							recheckAll = false
						}
						slices.Sort(full)
						slices.Sort(again)
						f, a := full[2], again[2]
						sumFull += f
						sumAgain += a
						if a > f {
							slower++
						}
						b.Logf("%-40s %-11s full %7.2f ms  recheck %7.2f ms  ratio %.2f  units %d checked %d forwarded %d of %d  reused %v %s",
							s.kind, s.what, ms(f), ms(a), float64(a)/float64(f), d.inc.units, d.inc.checked, d.inc.forwarded, total, d.inc.modelReused, d.inc.modelWhy)
					}
					b.Logf("%d edits hit the bail-out; full %.1f ms, recheck %.1f ms in all (ratio %.2f); %d slower rechecked", hits, ms(sumFull), ms(sumAgain), float64(sumAgain)/float64(max(sumFull, 1)), slower)
					for b.Loop() {
					}
				})
			}
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
