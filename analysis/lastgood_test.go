package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

const lastGoodDoc = `asyncapi: 3.0.0
info:
  title: T
  version: 1.0.0
operations:
  op:
    action: send
    security:
      - $ref: '#/components/securitySchemes/k'
  other:
    action: receive
    channel:
      $ref: '#/channels/c'
channels:
  c:
    address: c
components:
  securitySchemes:
    k:
      type: X509
`

// typeAt returns the document after inserting s at the end of the line
// holding marker (one edit, as a keystroke batch would send it).
func typeAt(t *testing.T, prev *Document, marker, s string) *Document {
	t.Helper()
	text := string(prev.Text)
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatalf("no %q", marker)
	}
	i += len(marker)
	next := text[:i] + s + text[i:]
	return Update(prev, []syntax.Edit{{Start: i, End: i, Text: s}}, []byte(next))
}

func TestLastGood(t *testing.T) {
	good := Analyze([]byte(lastGoodDoc))
	if good.SyntaxBroken() || good.LastGood() != nil {
		t.Fatal("a good document is not broken and has no last good version")
	}
	// an open bracket: the parser recovers
	b1 := typeAt(t, good, "'#/components/securitySchemes/k'\n", "      - scopes: [a, \n")
	if !b1.SyntaxBroken() || b1.LastGood() != good {
		t.Fatalf("broken %v, last good is the version before: %v", b1.SyntaxBroken(), b1.LastGood() == good)
	}
	// still broken: the last good version stays the same (no chain)
	b2 := typeAt(t, b1, "scopes: [a, ", "b")
	if b2.LastGood() != good {
		t.Error("a second broken version must keep the same last good version")
	}
	// fixed
	fixed := typeAt(t, b2, "scopes: [a, b", "]")
	if fixed.SyntaxBroken() || fixed.LastGood() != nil {
		t.Errorf("fixed text: broken %v (%v), last good %v\n%s", fixed.SyntaxBroken(), fixed.BrokenAt(), fixed.LastGood() != nil, fixed.Text)
	}
}

// TestOpenQuote: a quote left open on the typed line is broken, at the
// quote, by the syntax layer's own diagnostic (the only one: no second
// detection in this package). Near
// misses: a closed quote, a quoted string continued on a deeper line (as
// YAML means it), a quote inside a comment.
func TestOpenQuote(t *testing.T) {
	good := Analyze([]byte(lastGoodDoc))
	open := typeAt(t, good, "'#/components/securitySchemes/k'\n", "      - $ref: '#/comp\n")
	if !open.SyntaxBroken() || open.LastGood() != good {
		t.Fatalf("open quote: broken %v, last good %v (tree diagnostics %v)", open.SyntaxBroken(), open.LastGood() == good, open.Tree.Diagnostics)
	}
	if b := open.BrokenAt(); len(b) != 1 || !strings.HasPrefix(string(open.Text[b[0].Range.Start:]), "'#/comp") {
		t.Errorf("broken at %v, want the open quote", b)
	}
	for name, s := range map[string]string{
		"closed quote":          "      - $ref: '#/components/securitySchemes/k'\n",
		"continued deeper":      "      - description: 'a long\n          text'\n",
		"quote in a comment":    "      # it's fine\n",
		"doubled quote escaped": "      - description: 'it''s'\n",
	} {
		d := typeAt(t, good, "'#/components/securitySchemes/k'\n", s)
		if d.SyntaxBroken() {
			t.Errorf("%s: counted as broken: %v", name, d.BrokenAt())
		}
	}
}

// TestLastGoodSame: the text a broken version shares with its last good
// version at its start ends at the first edit made since that version,
// over every broken version in between; a good version has none.
func TestLastGoodSame(t *testing.T) {
	good := Analyze([]byte(lastGoodDoc))
	if good.LastGoodSame() != 0 {
		t.Fatalf("a good document shares %d bytes with no last good version", good.LastGoodSame())
	}
	marker := "'#/components/securitySchemes/k'\n"
	b1 := typeAt(t, good, marker, "      - scopes: [a, \n")
	first := strings.Index(lastGoodDoc, marker) + len(marker)
	if b1.LastGoodSame() != first {
		t.Fatalf("after one edit at %d: same %d", first, b1.LastGoodSame())
	}
	// a later edit further on: the shared start still ends at the first
	b2 := typeAt(t, b1, "scopes: [a, ", "b")
	if b2.LastGoodSame() != first {
		t.Errorf("after an edit further on: same %d, want %d", b2.LastGoodSame(), first)
	}
	// an edit before it: the shared start ends there now
	b3 := typeAt(t, b2, "  title: T", "x")
	if want := strings.Index(lastGoodDoc, "  title: T") + len("  title: T"); b3.LastGoodSame() != want {
		t.Errorf("after an edit before the first: same %d, want %d", b3.LastGoodSame(), want)
	}
	if b3.LastGood() != good {
		t.Fatal("the last good version changed while the text stayed broken")
	}
}
