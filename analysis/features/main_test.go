package features

import (
	"os"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// TestMain runs the tests with a lazier garbage collector (testenv.LessGC).
func TestMain(m *testing.M) {
	testenv.LessGC()
	os.Exit(m.Run())
}
