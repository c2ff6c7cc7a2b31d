package mutants

import (
	"os"
	"strings"
	"testing"
)

// TestApply: every mutant applies to its corpus document and changes it
// (the analysis and schema tests check what each one is reported as).
func TestApply(t *testing.T) {
	const dir = "../../../shared/corpus"
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip("corpus missing")
	}
	names := map[string]bool{}
	for _, m := range All {
		if names[m.Name] {
			t.Errorf("duplicate name %s", m.Name)
		}
		names[m.Name] = true
		if m.Where != "key" && m.Where != "value" && m.Where != "parent-key" {
			t.Errorf("%s: where %q", m.Name, m.Where)
		}
		if !strings.HasPrefix(m.Pointer, "/") {
			t.Errorf("%s: pointer %q", m.Name, m.Pointer)
		}
		if _, err := m.Load(dir); err != nil {
			t.Error(err)
		}
	}
	if _, err := (Mutant{Name: "x", Find: "a", Repl: "b"}).Apply([]byte("aa")); err == nil {
		t.Error("an ambiguous Find must be an error")
	}
}
