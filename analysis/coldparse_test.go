package analysis

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// checkRegionParse compares the region-wise parse of text, for several
// fragment sizes, with the whole-text parse; it returns how many sizes took
// the region-wise path.
func checkRegionParse(t *testing.T, name string, text []byte) int {
	t.Helper()
	want := syntax.ParseTreeWhole(text)
	taken := 0
	for _, chunk := range []int{1, 100, 2000, 0} {
		got, ok := syntax.ParseTreeInRegions(text, chunk)
		if !ok {
			continue
		}
		taken++
		abs := func(n *syntax.Node) syntax.Range { return n.Range() }
		if s := edittest.DiffTrees(want, abs, got, abs); s != "" {
			t.Fatalf("%s (chunk %d): region-wise parse differs from the whole-text parse: %s\ntext:\n%s", name, chunk, s, text)
		}
	}
	return taken
}

// TestRegionParse: the region-wise cold parse gives the same tree (every
// node's kind, style, tag, value, anchor and range) and the same
// diagnostics as a parse of the whole text, on generated documents, the
// hand-written documents of the incremental tests, every corpus document,
// and random edits of them; and it is taken for generated documents.
func TestRegionParse(t *testing.T) {
	t.Parallel()
	docs := map[string][]byte{}
	for name, s := range testDocs() {
		docs[name] = []byte(s)
	}
	for i, units := range []int{1, 5, 40} {
		docs["docgen-units-"+string(rune('a'+i))] = docgen.Generate(docgen.Options{Units: units, Seed: int64(i + 1)})
	}
	docs["docgen-300KB"] = docgen.Generate(docgen.Options{TargetBytes: 300_000, Seed: 9})
	var files []string
	if _, err := os.Stat(corpusDir); err == nil || os.Getenv("CI") != "" {
		files = append(corpusFiles(t, "."), corpusFiles(t, "peer-tests")...)
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs["corpus/"+filepath.Base(f)] = text
	}
	if len(files) == 0 {
		t.Logf("corpus not found at %s: generated and hand-written documents only", corpusDir)
	}
	taken, corpusTaken := 0, 0
	for name, text := range docs {
		n := checkRegionParse(t, name, text)
		if n > 0 {
			taken++
			if len(name) > 7 && name[:7] == "corpus/" {
				corpusTaken++
			}
		} else if name[:min(6, len(name))] == "docgen" || name == "v3" || name == "gen3" {
			t.Errorf("%s: the region-wise parse was not taken", name)
		}
	}
	t.Logf("%d of %d documents parsed region-wise (%d of %d corpus files)", taken, len(docs), corpusTaken, len(files))

	// Random edits (broken documents included): whenever the region-wise
	// parse is taken, it is equal.
	steps := testenv.Count(60, 300)
	rng := rand.New(rand.NewPCG(7, 11))
	for name, s := range testDocs() {
		text := []byte(s)
		edited := 0
		for i := 0; i < steps; i++ {
			e := edittest.RandomEdit(rng, text)
			next := e.Apply(text)
			if checkRegionParse(t, name+" edited", next) > 0 {
				edited++
				text = next
			} else if rng.IntN(4) > 0 {
				text = []byte(s) // back to a document the region-wise path takes
			} else {
				text = next
			}
		}
		t.Logf("%s: %d of %d edited texts parsed region-wise", name, edited, steps)
	}
}

// TestRegionParseAnalyze: Analyze of a text large enough for the
// region-wise path (several fragments) equals Analyze with the whole-text
// parse.
func TestRegionParseAnalyze(t *testing.T) {
	text := docgen.Generate(docgen.Options{TargetBytes: 4 * syntax.RegionChunk, Seed: 4})
	if _, ok := syntax.ParseTreeInRegions(text, 0); !ok {
		t.Fatal("the region-wise parse was not taken")
	}
	got := Analyze(text)
	want := analyze(text, nil, &incState{tree: syntax.ParseTreeWhole(text)})
	if s := diffDocs(want, got); s != "" {
		t.Fatal(s)
	}
}

// TestRegionParseExplicitKey: an explicit key without a value line gets an
// empty value positioned at the next token, which lies past its region, so
// regions holding one are parsed with their parent (found by
// TestRegionParse's random edits).
func TestRegionParseExplicitKey(t *testing.T) {
	for _, s := range []string{
		"a:\n  b:\n    ? c:\n        d: 1\n  e: 1\n",
		"a:\n  b:\n    x: 1\n    ? c\n  e: 1\n",
		"a:\n  b:\n    - ? c\n  e: 1\n",
	} {
		checkRegionParse(t, s, []byte(s))
		prev := Analyze([]byte(s))
		at := len("a:\n  b:\n")
		e := syntax.Edit{Start: at, End: at, Text: "    y: 2\n"}
		checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	}
}
