package analysis_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/internal/markertest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/wstest"
)

// multifileDocs are the documents of the multi-file fixture.
var multifileDocs = []string{"api/orders.yaml", "api/payments-v2.yaml"}

func analyzeIn(t *testing.T, w wstest.Workspace, rel string) (*analysis.Document, *markertest.Case) {
	t.Helper()
	c, err := markertest.ParseDocument(w.Path(rel))
	if err != nil {
		t.Fatal(err)
	}
	cache := workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "the workspace folders", w.Root), 0)
	return analysis.AnalyzeWith(c.Doc, analysis.Options{Path: w.Path(rel), Loader: cache}), c
}

// TestMultiFileMarkers analyses each document of the multi-file fixture
// with a loader confined to the workspace and matches its diagnostics with
// its @diag markers one to one.
func TestMultiFileMarkers(t *testing.T) {
	w := wstest.Setup(t, "../testdata/multifile/ws")
	for _, rel := range multifileDocs {
		t.Run(rel, func(t *testing.T) {
			d, c := analyzeIn(t, w, rel)
			got := make([]markertest.Got, 0, len(d.Diagnostics))
			for _, g := range d.Diagnostics {
				got = append(got, markertest.Got{Code: g.Code, Start: g.Range.Start, End: g.Range.End, Line: d.Mapper.Line(g.Range.Start), Message: g.Message})
			}
			for _, p := range c.MatchDiagnostics(got) {
				t.Error(p)
			}
			if len(c.Diags()) == 0 {
				t.Fatal("no markers")
			}
		})
	}
}

// TestMultiFileRelatedInOtherFile: a diagnostic caused by another file sits
// on the local $ref, and its first related place is in that file, at the
// node that is wrong.
func TestMultiFileRelatedInOtherFile(t *testing.T) {
	w := wstest.Setup(t, "../testdata/multifile/ws")
	d, _ := analyzeIn(t, w, "api/orders.yaml")
	var found bool
	for _, g := range d.Diagnostics {
		if g.Code != analysis.CodeUndefinedScope {
			continue
		}
		found = true
		if len(g.Related) == 0 || g.Related[0].Path != w.Path("shared/security.yaml") || g.Related[0].Mapper == nil {
			t.Fatalf("related = %+v", g.Related)
		}
		text := g.Related[0].Mapper.Text()
		if got := string(text[g.Related[0].Range.Start:g.Related[0].Range.End]); got != "orders:delete" {
			t.Errorf("related range covers %q, want the scope in the shared file", got)
		}
		if !strings.Contains(g.Message, "(in ../shared/security.yaml)") {
			t.Errorf("message does not name the file: %s", g.Message)
		}
	}
	if !found {
		t.Fatal("no undefined-scope diagnostic")
	}
	// Two files away (orders.yaml -> servers.yaml -> security.yaml): on the
	// local $ref, related place in the file where the problem is.
	found = false
	for _, g := range d.Diagnostics {
		if g.Code == analysis.CodeSchemeField && strings.Contains(g.Message, "tokenUrl") {
			found = true
			if got := string(d.Text[g.Range.Start:g.Range.End]); got != "'../shared/servers.yaml#/legacy'" {
				t.Errorf("placed on %q", got)
			}
			if len(g.Related) == 0 || g.Related[0].Path != w.Path("shared/security.yaml") {
				t.Errorf("related = %+v", g.Related)
			}
		}
	}
	if !found {
		t.Fatal("no diagnostic for the scheme two files away")
	}
	want := []string{"shared/broken.yaml", "shared/cycle-a.yaml", "shared/cycle-b.yaml", "shared/escape.yaml", "shared/huge.yaml", "shared/missing.yaml", "shared/payloads.json", "shared/schemes.json", "shared/security.yaml", "shared/servers.yaml"}
	for i := range want {
		want[i] = w.Path(want[i])
	}
	// Refused files count too: the outside path a $ref climbs to.
	want = append(want, workspace.Join(w.Path("api/orders.yaml"), "../../../outside/secret.yaml"))
	sort.Strings(want)
	got := d.Files()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Files() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMultiFileIndex: a $ref that resolves into another file says which
// file and pointer (the cross-file index), and TargetKey finds the key
// that names the target there.
func TestMultiFileIndex(t *testing.T) {
	w := wstest.Setup(t, "../testdata/multifile/ws")
	d, _ := analyzeIn(t, w, "api/orders.yaml")
	tests := []struct {
		ref, file, fragment, key string
	}{
		{"../shared/security.yaml#/components/securitySchemes/ordersWrite", "shared/security.yaml", "#/components/securitySchemes/ordersWrite", "ordersWrite"},
		{"../shared/schemes.json#/apiKey", "shared/schemes.json", "#/apiKey", `"apiKey"`},
		// a chain: viaChain is a local $ref inside security.yaml
		{"../shared/security.yaml#/components/securitySchemes/viaChain", "shared/security.yaml", "#/components/securitySchemes/saslScram", "saslScram"},
		{"../shared/servers.yaml#/production", "shared/servers.yaml", "#/production", "production"},
		{"#/channels/orders", "", "", ""},
		{"../shared/missing.yaml#/components/securitySchemes/oauth", "", "", ""},
	}
	for _, tt := range tests {
		var r *analysis.Ref
		for _, x := range d.Refs {
			if x.Target == tt.ref {
				r = x
				break
			}
		}
		if r == nil {
			t.Fatalf("no $ref %s", tt.ref)
		}
		wantFile := ""
		if tt.file != "" {
			wantFile = w.Path(tt.file)
		}
		if r.File != wantFile || r.Fragment != tt.fragment {
			t.Errorf("%s: File %q Fragment %q, want %q %q", tt.ref, r.File, r.Fragment, wantFile, tt.fragment)
		}
		key, path, m := d.TargetKey(r)
		switch {
		case tt.key == "" && key != nil:
			t.Errorf("%s: TargetKey = %v", tt.ref, key)
		case tt.key != "" && (key == nil || path != wantFile):
			t.Errorf("%s: TargetKey = %v in %q", tt.ref, key, path)
		case tt.key != "":
			rg := key.Range()
			if got := string(m.Text()[rg.Start:rg.End]); got != tt.key {
				t.Errorf("%s: key text %q, want %q", tt.ref, got, tt.key)
			}
		}
	}
}

// TestMultiFileUpdateEqualsAnalyze: editing a document whose $refs lead
// into other files, the incremental Update gives the diagnostics of a full
// AnalyzeWith of the same text, keystroke after keystroke (including edits
// that break and repair a $ref into another file).
func TestMultiFileUpdateEqualsAnalyze(t *testing.T) {
	w := wstest.Setup(t, "../testdata/multifile/ws")
	path := w.Path("api/orders.yaml")
	cache := workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", w.Root), 0)
	opts := analysis.Options{Path: path, Loader: cache}
	d0, _ := analyzeIn(t, w, "api/orders.yaml")
	text := d0.Text
	prev := analysis.Update(analysis.Seed(opts), nil, text)
	type edit struct{ find, insert string }
	edits := []edit{
		{"title: Orders", "X"},                             // a plain scalar
		{"ordersWrite'", "Z"},                              // breaks a $ref into another file...
		{"ordersWriteZ", ""},                               // (no-op find: nothing inserted)
		{"securitySchemes/ordersWriteZ", "\x00"},           // ...and repairs it (delete Z)
		{"action: send\n    channel", "  # comment\n    "}, // inside an operation
		{"      - $ref: '../shared/schemes.json#/apiKey'\n", "      - $ref: '../shared/schemes.json#/legacyKey'\n"},
	}
	for i, e := range edits {
		at := strings.Index(string(text), e.find)
		if at < 0 {
			continue
		}
		var se syntax.Edit
		switch {
		case e.insert == "\x00": // delete the last byte of find
			se = syntax.Edit{Start: at + len(e.find) - 1, End: at + len(e.find)}
		case strings.HasSuffix(e.find, "\n") && strings.HasSuffix(e.insert, "\n"): // replace the line
			se = syntax.Edit{Start: at, End: at + len(e.find), Text: e.insert}
		default:
			se = syntax.Edit{Start: at + len(e.find), End: at + len(e.find), Text: e.insert}
		}
		text = se.Apply(text)
		got := analysis.Update(prev, []syntax.Edit{se}, text)
		want := analysis.AnalyzeWith(text, opts)
		if g, w := diagString(got), diagString(want); g != w {
			t.Fatalf("edit %d (%q): Update differs from AnalyzeWith\n--- Update\n%s--- AnalyzeWith\n%s", i, e.find, g, w)
		}
		if got.Options() != opts {
			t.Fatalf("edit %d: options lost", i)
		}
		prev = got
	}
}

func diagString(d *analysis.Document) string {
	var b strings.Builder
	for _, g := range d.Diagnostics {
		fmt.Fprintf(&b, "%d-%d %s %s", g.Range.Start, g.Range.End, g.Code, g.Message)
		for _, r := range g.Related {
			fmt.Fprintf(&b, " [%s %d-%d %s]", r.Path, r.Range.Start, r.Range.End, r.Message)
		}
		b.WriteString("\n")
	}
	return b.String()
}
