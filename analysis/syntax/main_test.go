package syntax

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
