package schema

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

const corpusDir = "../../../shared/corpus"

// corpus returns the top-level corpus documents and which of them
// SOURCES.tsv marks as meant to be valid.
func corpus(t *testing.T) (files []string, valid map[string]bool) {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "SOURCES.tsv"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("corpus missing: %v", err)
		}
		t.Skipf("corpus missing: %v", err)
	}
	defer f.Close()
	valid = map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 7 || cols[0] == "local_file" {
			continue
		}
		intent := cols[6]
		if strings.Contains(intent, "valid") && !strings.Contains(intent, "INVALID") && !strings.Contains(intent, "minimal fragment") {
			valid[cols[0]] = true
		}
	}
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".json")) {
			files = append(files, n)
		}
	}
	return files, valid
}

func corpusDoc(t *testing.T, name string) (any, *Validator) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	doc := decode(t, string(b))
	ver, _ := doc.(map[string]any)["asyncapi"].(string)
	v, err := For(ver)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc, v
}

// TestCorpusValid: no schema problem of ours on any document its source
// says is valid (problems other checks own are theirs to report), and no
// crash on the others.
func TestCorpusValid(t *testing.T) {
	files, valid := corpus(t)
	if len(valid) < 20 {
		t.Fatalf("only %d documents marked valid; SOURCES.tsv format changed?", len(valid))
	}
	for _, name := range files {
		doc, v := corpusDoc(t, name)
		mine, _ := split(v.Validate(doc).Problems())
		if valid[name] && len(mine) > 0 {
			t.Errorf("%s (valid): %d schema problems:\n%s", name, len(mine), dump(mine))
		}
	}
}

// TestRevalidateEqualsValidate: after replacing one entry (a channel, an
// operation, a component, a scheme, the info object) by a damaged copy,
// Revalidate with that path gives exactly what a full Validate gives, and
// looks at far fewer sub-values.
func TestRevalidateEqualsValidate(t *testing.T) {
	files, _ := corpus(t)
	docs := map[string]string{"docgen": string(docgen.Generate(docgen.Options{TargetBytes: 200_000, Seed: 3}))}
	for _, name := range files {
		b, _ := os.ReadFile(filepath.Join(corpusDir, name))
		docs[name] = string(b)
	}
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	slices.Sort(names)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range names {
		doc := decode(t, docs[name])
		root, ok := doc.(map[string]any)
		if !ok {
			continue
		}
		ver, _ := root["asyncapi"].(string)
		v, err := For(ver)
		if err != nil {
			continue
		}
		prev := v.Validate(doc)
		for i := 0; i < 6; i++ {
			path := randomEntry(rng, root)
			if path == nil {
				break
			}
			next, changed := damage(rng, root, path)
			inc := v.Revalidate(prev, next, [][]string{changed})
			full := v.Validate(next)
			if a, b := dump(inc.Problems()), dump(full.Problems()); a != b {
				t.Fatalf("%s: after damaging %s, incremental:\n%s\nfull:\n%s", name, Pointer(changed), a, b)
			}
			if name == "docgen" && len(changed) == 2 && inc.Validated*10 > full.Validated {
				t.Errorf("%s: incremental validated %d sub-values, full %d", name, inc.Validated, full.Validated)
			}
			root, prev = next.(map[string]any), inc
		}
	}
}

// randomEntry picks an entry of a top-level map ("/operations/x") or a
// top-level key.
func randomEntry(rng *rand.Rand, root map[string]any) []string {
	keys := sortedKeys(root)
	if len(keys) == 0 {
		return nil
	}
	k := keys[rng.IntN(len(keys))]
	if m, ok := root[k].(map[string]any); ok && len(m) > 0 && rng.IntN(4) > 0 {
		sub := sortedKeys(m)
		return []string{k, sub[rng.IntN(len(sub))]}
	}
	return []string{k}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// damage returns a copy of root (sharing everything but the maps on the way
// to path) where the value at path is damaged one of several ways, and the
// path that changed.
func damage(rng *rand.Rand, root map[string]any, path []string) (any, []string) {
	out := clone(root)
	parent := out
	for _, k := range path[:len(path)-1] {
		c := clone(parent[k].(map[string]any))
		parent[k] = c
		parent = c
	}
	last := path[len(path)-1]
	switch rng.IntN(5) {
	case 0: // a scalar where a mapping belongs
		parent[last] = "oops"
	case 1: // remove it
		delete(parent, last)
	case 2: // add an unknown key inside
		if m, ok := parent[last].(map[string]any); ok {
			m = clone(m)
			m["unknownKey"] = 1
			parent[last] = m
		} else {
			parent[last] = map[string]any{"unknownKey": 1}
		}
	case 3: // drop a key inside
		if m, ok := parent[last].(map[string]any); ok && len(m) > 0 {
			m = clone(m)
			delete(m, sortedKeys(m)[rng.IntN(len(m))])
			parent[last] = m
		}
	default: // a new entry beside it
		parent[last+"Copy"] = parent[last]
		return out, append(append([]string(nil), path[:len(path)-1]...), last+"Copy")
	}
	return out, path
}

func clone(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
