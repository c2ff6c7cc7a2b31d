package server

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// TestMain holds every server test to the promise the server makes to
// analysis.UpdateApplied (checkApplied), and to the text pool's (a text
// it recycles is overwritten with bytes no text has: poisonRetired), with
// a lazier garbage collector (testenv.LessGC).
func TestMain(m *testing.M) {
	checkApplied = true
	poisonRetired = true
	testenv.Main(m)
}
