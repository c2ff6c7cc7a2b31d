package analysis

import (
	"os"
	"testing"
)

// TestMain turns off Update's recovery from panics in the incremental
// path: in this package's tests such a panic is a failure, never a silent
// fall back to a full analysis.
func TestMain(m *testing.M) {
	recoverUpdatePanics = false
	os.Exit(m.Run())
}
