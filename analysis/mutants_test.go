package analysis

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/mutants"
)

// TestMutants makes each mistake of internal/mutants in its real corpus
// document and asserts exactly one new diagnostic, of the expected code,
// on the expected node (the key of an unknown property, the wrong value,
// the key of the object that lacks a required field), whether the text is
// analyzed afresh or updated from the original by the edit.
func TestMutants(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip("corpus missing")
	}
	if len(mutants.All) < 30 {
		t.Fatalf("only %d mutants", len(mutants.All))
	}
	originals := map[string]*Document{}
	for _, m := range mutants.All {
		t.Run(m.Name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(corpusDir, m.Source))
			if err != nil {
				t.Fatal(err)
			}
			orig := originals[m.Source]
			if orig == nil {
				orig = Analyze(src)
				originals[m.Source] = orig
			}
			text, err := m.Apply(src)
			if err != nil {
				t.Fatal(err)
			}
			d := Analyze(text)
			// What the original already had (by code and message: the
			// positions moved) is not the mutant's doing.
			had := map[string]int{}
			for _, g := range orig.Diagnostics {
				had[g.Code+"\x00"+g.Message]++
			}
			var added []syntax.Diagnostic
			for _, g := range d.Diagnostics {
				k := g.Code + "\x00" + g.Message
				if had[k] > 0 {
					had[k]--
					continue
				}
				added = append(added, g)
			}
			if len(added) != 1 {
				t.Fatalf("%d new diagnostics, want 1:\n%s", len(added), describe(d, added))
			}
			g := added[0]
			want := expectedRange(t, d, m.Pointer, m.Where)
			if g.Code != m.Code || g.Range != want {
				t.Fatalf("got %s at %q (%v), want %s at %q (%v): %s", g.Code, d.Text[g.Range.Start:g.Range.End], g.Range,
					m.Code, d.Text[want.Start:want.End], want, g.Message)
			}
			// The same through Update, from the original, by the edit.
			at := bytes.Index(src, []byte(m.Find))
			u := Update(orig, []syntax.Edit{{Start: at, End: at + len(m.Find), Text: m.Repl}}, text)
			if !reflect.DeepEqual(u.Diagnostics, d.Diagnostics) {
				t.Fatalf("Update differs from Analyze:\n%s\nwant\n%s", describe(u, u.Diagnostics), describe(d, d.Diagnostics))
			}
		})
	}
}

// expectedRange finds the node a pointer names, independently of the
// schema check's own lookup: the key node for "key" and "parent-key", the
// value node for "value".
func expectedRange(t *testing.T, d *Document, pointer, where string) syntax.Range {
	t.Helper()
	var key, val *syntax.Node = nil, d.Root
	for _, tok := range strings.Split(pointer, "/")[1:] {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		n := val.Resolve()
		if n != nil && n.Kind == syntax.SequenceNode {
			i, err := strconv.Atoi(tok)
			if err != nil || i >= len(n.Content) {
				t.Fatalf("pointer %s: no item %s", pointer, tok)
			}
			key, val = nil, n.Content[i]
			continue
		}
		k, v := n.Pair(tok)
		if k == nil {
			t.Fatalf("pointer %s: no key %q", pointer, tok)
		}
		key, val = k, v
	}
	if where == "value" || key == nil {
		return d.R(val)
	}
	return d.R(key)
}

func describe(d *Document, ds []syntax.Diagnostic) string {
	var b strings.Builder
	for _, g := range ds {
		fmt.Fprintf(&b, "  %s %q: %s\n", g.Code, d.Text[g.Range.Start:g.Range.End], g.Message)
	}
	return b.String()
}
