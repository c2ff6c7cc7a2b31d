package server

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// TestMain holds every server test to the promise the server makes to
// analysis.UpdateApplied (checkApplied), with a lazier garbage collector
// (testenv.LessGC).
func TestMain(m *testing.M) {
	checkApplied = true
	testenv.Main(m)
}
