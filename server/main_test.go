package server

import (
	"os"
	"testing"
)

// TestMain holds every server test to the promise the server makes to
// analysis.UpdateApplied (checkApplied).
func TestMain(m *testing.M) {
	checkApplied = true
	os.Exit(m.Run())
}
