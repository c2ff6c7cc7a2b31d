package schema

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/mutants"
)

// TestMutants: every schema mistake of internal/mutants gives exactly one
// problem of ours, of the expected code, at the expected node; a mistake
// that a security check owns gives none of ours.
func TestMutants(t *testing.T) {
	corpus(t) // skips (or fails in CI) without the corpus
	if len(mutants.All) < 30 {
		t.Fatalf("only %d mutants", len(mutants.All))
	}
	seen := map[string]bool{}
	for _, m := range mutants.All {
		t.Run(m.Name, func(t *testing.T) {
			if seen[m.Name] {
				t.Fatalf("duplicate mutant name")
			}
			seen[m.Name] = true
			text, err := m.Load(corpusDir)
			if err != nil {
				t.Fatal(err)
			}
			mine, owned := split(validate(t, string(text)))
			if !strings.HasPrefix(m.Code, "schema-") {
				if len(mine) != 0 {
					t.Fatalf("%s is explained by %s, but the schema also reports:\n%s", m.Name, m.Code, dump(mine))
				}
				if len(owned) == 0 {
					t.Fatalf("no owned problem: did the mutant change anything?")
				}
				return
			}
			if len(mine) != 1 {
				t.Fatalf("got %d problems, want 1:\n%s", len(mine), dump(mine))
			}
			p := mine[0]
			if p.Code != m.Code || p.Pointer() != m.Pointer || p.Where.String() != m.Where {
				t.Fatalf("got %s %s %s (%s), want %s %s %s", p.Code, p.Pointer(), p.Where, p.Message, m.Code, m.Pointer, m.Where)
			}
		})
	}
}
