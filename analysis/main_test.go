package analysis

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// TestMain turns off Update's recovery from panics in the incremental
// path: in this package's tests such a panic is a failure, never a silent
// fall back to a full analysis; and runs them with a lazier garbage
// collector (testenv.LessGC).
func TestMain(m *testing.M) {
	recoverUpdatePanics = false
	testenv.Main(m)
}
