// Package testenv tells tests how thorough to be. Randomized and
// differential tests run a small sample by default, so that a plain
// `go test ./...` stays quick on a shared machine, and their full
// iteration counts in CI (CI set) or when ASYNCAPI_LS_LONG=1.
//
// Who may depend on it: tests only.
package testenv

import "os"

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
