package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/internal/wstest"
)

// fileRefDoc is a document whose $refs lead into other files, with the
// options that read them.
type fileRefDoc struct {
	name string
	text []byte
	opts Options
	// targets replace the values of its $refs into other files (another
	// file, another fragment of the same file, a local pointer)
	targets []string
}

// fileRefDocs returns filesMain, the multi-file fixture's documents and
// the corpus documents that $ref other files (those files are missing:
// their $refs report it).
func fileRefDocs(t *testing.T) []fileRefDoc {
	t.Helper()
	out := []fileRefDoc{{"main", []byte(filesMain), filesWorkspace(t), []string{
		"shared/schemes.yaml#/oauth", "shared/schemes.yaml#/key", "shared/more.yaml#/deep", "shared/more.yaml#/weak",
		"shared/messages.yaml#/placed", "shared/nothere.yaml#/x", "#/components/securitySchemes/local"}}}
	w := wstest.Setup(t, "../testdata/multifile/ws")
	wsLoader := workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", w.Root), 0)
	for _, f := range []string{"orders.yaml", "payments-v2.yaml", "schema.yaml"} {
		text, err := os.ReadFile(w.Path("api/" + f))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fileRefDoc{f, text, Options{Path: w.Path("api/" + f), Loader: wsLoader}, []string{
			"../shared/security.yaml#/components/securitySchemes/ordersWrite", "../shared/schemes.json#/apiKey",
			"../shared/schemes.json#/legacyKey", "../shared/servers.yaml#/open", "../shared/missing.yaml#/x"}})
	}
	corpus, err := filepath.Abs(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	corpusLoader := workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", corpus), 0)
	for _, f := range corpusFiles(t, "") {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d := AnalyzeWith(text, Options{Path: f, Loader: corpusLoader})
		if !d.modelOK || len(d.Files()) == 0 {
			continue
		}
		out = append(out, fileRefDoc{filepath.Base(f), text, d.Options(), []string{"other.yaml#/x", "json-schemas/x.json"}})
	}
	return out
}

// fileRefEdits returns the common edits of a document with file $refs:
// a character typed at the end of each line (text typed in each unit,
// those that $ref another file among them), and at each $ref into
// another file a character typed into its value and its value replaced by
// each of targets.
func fileRefEdits(d *Document, targets []string) map[string][]syntax.Edit {
	out := map[string][]syntax.Edit{}
	text := d.Text
	for off := 0; off < len(text); {
		end := off
		for end < len(text) && text[end] != '\n' {
			end++
		}
		line := string(text[off:end])
		at := end
		if i := strings.Index(line, " #"); i >= 0 {
			at = off + i // before a comment
		}
		if strings.TrimSpace(line) != "" {
			out["typed"] = append(out["typed"], syntax.Edit{Start: at, End: at, Text: "x"})
		}
		off = end + 1
	}
	for _, r := range d.Refs {
		if r.Local || syntax.FileOf(r.Holder) != 0 {
			continue
		}
		v := d.R(r.Value)
		s, e := v.Start, v.End
		if q := text[s]; q == '\'' || q == '"' {
			s, e = s+1, e-1
		}
		out["ref-typed"] = append(out["ref-typed"], syntax.Edit{Start: e, End: e, Text: "x"})
		for _, tg := range targets {
			if tg != r.Target {
				out["ref-replaced"] = append(out["ref-replaced"], syntax.Edit{Start: s, End: e, Text: tg})
			}
		}
	}
	return out
}

// TestFileRefSweep makes the common edits of documents with file $refs
// (fileRefEdits) on the document as it is, each equal to a cold analysis,
// and lists the reasons for which the model was built whole.
func TestFileRefSweep(t *testing.T) {
	whys := map[string]int{}
	total, partial := 0, 0
	for _, c := range fileRefDocs(t) {
		t.Run(c.name, func(t *testing.T) {
			prev := checkUpdateWith(t, Seed(c.opts), nil, c.text)
			edits := fileRefEdits(prev, c.targets)
			kinds := make([]string, 0, len(edits))
			for k := range edits {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			for _, k := range kinds {
				for _, e := range edits[k] {
					var got *Document
					if os.Getenv("ZZSOFT") != "" {
						got = Update(prev, []syntax.Edit{e}, e.Apply(prev.Text))
						want := AnalyzeWith(got.Text, prev.Options())
						s := diffDocs(want, got)
						if s == "" {
							s = diffExt(want, got)
						}
						if s != "" {
							fmt.Printf("DIFF %s %s line %d %q: %.300s\n", c.name, k, prev.Mapper.Line(e.Start)+1, e.Text, s)
						}
					} else {
						got = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
					}
					if got.inc.path != pathRegion {
						continue
					}
					total++
					if got.inc.modelReused {
						partial++
						continue
					}
					whys[fmt.Sprintf("%s: %s", k, got.inc.modelWhy)]++
					if os.Getenv("ZZ") != "" {
						fmt.Printf("%s %s line %d: %s\n", c.name, k, prev.Mapper.Line(e.Start)+1, got.inc.modelWhy)
					}
				}
			}
		})
	}
	var lines []string
	for k, v := range whys {
		lines = append(lines, fmt.Sprintf("%4d %s", v, k))
	}
	sort.Strings(lines)
	t.Logf("%d region re-parses, %d with a partial model; built whole:\n%s", total, partial, strings.Join(lines, "\n"))
}
