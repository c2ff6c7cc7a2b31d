// Package testenv tells tests how thorough to be. Randomized and
// differential tests run a small sample by default, so that a plain
// `go test ./...` stays quick on a shared machine, and their full
// iteration counts in CI (CI set) or when ASYNCAPI_LS_LONG=1.
//
// Who may depend on it: tests only.
package testenv

import (
	"flag"
	"os"
	"runtime/debug"
	"testing"
)

// Long reports whether tests should run their full iteration counts: CI
// is set (to anything but "" or "false"), or ASYNCAPI_LS_LONG=1.
func Long() bool {
	if ci := os.Getenv("CI"); ci != "" && ci != "false" {
		return true
	}
	return os.Getenv("ASYNCAPI_LS_LONG") == "1"
}

// Count returns long when Long(), else short: the number of iterations
// of a randomized test. The short sample still runs (never zero).
func Count(short, long int) int {
	if Long() {
		return long
	}
	return max(short, 1)
}

// lessGCPercent is the GOGC of a test binary (LessGC): the collector runs
// a quarter as often as at the default of 100.
const lessGCPercent = 400

// LessGC makes the garbage collector of a test binary run less often
// (lessGCPercent), unless GOGC is set or benchmarks run (they are
// measured at the default, as users run the server). Call it from
// TestMain. Why: the tests allocate a lot (a cold analysis and a diff of
// every step) and keep little, so at the default a quarter of their CPU
// time went to the collector; their heap stays small either way (about
// 200 MB for the analysis package's).
func LessGC() {
	if !flag.Parsed() {
		flag.Parse()
	}
	if os.Getenv("GOGC") != "" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		return
	}
	debug.SetGCPercent(lessGCPercent)
}

// Main is a test binary's TestMain: LessGC, then the tests, with a panic
// of this module's own code that a parse would recover from as it does
// from the YAML parsers' made to fail the test (syntax.FailOwnPanicsEnv).
func Main(m *testing.M) {
	LessGC()
	os.Setenv("ASYNCAPI_LS_FAIL_OWN_PANICS", "1")
	os.Exit(m.Run())
}
