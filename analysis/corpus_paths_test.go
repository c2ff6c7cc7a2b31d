package analysis

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
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

// corpusFrames are the frames a document may come in (body.go): each
// wraps the corpus documents (YAML ones only for the markers).
var corpusFrames = []struct {
	name, prefix, suffix string
	yamlOnly             bool
}{
	{name: "markers", prefix: "%YAML 1.1\n# framed\n---\n", suffix: "...\n# end\n", yamlOnly: true},
	{name: "bom", prefix: "\ufeff"},
}

// measureCorpusPaths analyzes every corpus document and types into each
// (checking each edit against a full analysis); with a frame, into the
// framed document, and then each edit must take the path it takes in the
// document without the frame, if it is incremental there.
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
		edits := typingEdits(rng, text, editsPerDoc)
		var paths []updatePath
		for _, e := range edits {
			next := checkUpdate(t, start, []syntax.Edit{e}, e.Apply(text))
			checkFallback(t, next)
			paths = append(paths, next.inc.path)
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
		for _, fr := range corpusFrames {
			if fr.yamlOnly && start.Tree.IsJSON {
				continue
			}
			framed := []byte(fr.prefix + string(text) + fr.suffix)
			fstart := Analyze(framed)
			if fstart.Tree.ParsedByRegion() != start.Tree.ParsedByRegion() {
				t.Errorf("%s in frame %s: parsed by region %v, without the frame %v (%s)", name, fr.name,
					fstart.Tree.ParsedByRegion(), start.Tree.ParsedByRegion(), fstart.Tree.WholeParseReason())
			}
			for i, e := range edits {
				fe := syntax.Edit{Start: e.Start + len(fr.prefix), End: e.End + len(fr.prefix), Text: e.Text}
				next := checkUpdate(t, fstart, []syntax.Edit{fe}, fe.Apply(framed))
				checkFallback(t, next)
				// (A framed text is longer, so an enclosing region may be
				// small enough to re-parse where it is not without it.)
				if paths[i] == pathRegion && next.inc.path != pathRegion {
					t.Errorf("%s in frame %s: edit %+v was not incremental (%q), without the frame it was", name, fr.name, e, next.inc.reason)
				}
			}
		}
	}
	return c
}

// TestCorpusParsePaths measures why corpus documents are parsed whole on
// open and why typing into them is not incremental, and checks that a
// document's frame (a %YAML directive, a leading --- and a trailing ...,
// a BOM) makes neither worse: framed, every corpus document is parsed by
// region and typed into incrementally where it is without the frame.
func TestCorpusParsePaths(t *testing.T) {
	t.Parallel()
	c := measureCorpusPaths(t, testenv.Count(4, 20))
	t.Logf("\n%s", c)
	if c.edits == 0 {
		t.Fatal("no edit was made")
	}
}
