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
var multifileDocs = []string{"api/orders.yaml", "api/payments-v2.yaml", "api/schema.yaml"}

func analyzeIn(t *testing.T, w wstest.Workspace, rel string) (*analysis.Document, *markertest.Case) {
	t.Helper()
	c, err := markertest.ParseDocument(w.Path(rel))
	if err != nil {
		t.Fatal(err)
	}
	cache := workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "the workspace folders", w.Root), 0)
	return analysis.AnalyzeWith(c.Doc, analysis.Options{Path: w.Path(rel), Loader: cache}), c
}

// TestMultiFileMarkers analyzes each document of the multi-file fixture
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

// TestSchemaAcrossFilesAsInOneFile: schema validation of content reached
// through file $refs finds exactly what it finds when the same content is
// written in the document (same codes, same messages but for the file
// they name), each on the $ref with its place in the other file as the
// first related information.
func TestSchemaAcrossFilesAsInOneFile(t *testing.T) {
	w := wstest.Setup(t, "../testdata/multifile/ws")
	across, _ := analyzeIn(t, w, "api/schema.yaml")
	inline := analysis.Analyze([]byte(`asyncapi: 3.0.0
info:
  title: Schema validation in one file
  version: 1.0.0
servers:
  production:
    host: broker.example.com:9093
    protocol: kafka-secure
    protocolVersion: 3
    descripton: the production brokers
  staging:
    protocol: kafka-secure
    description: no host
  backup:
    host: backup.example.com:9093
    protocol: kafka-secure
    protocolVersion: '3.6'
    description: the backup brokers
channels:
  orders:
    address: orders
    messages:
      orderPlaced:
        name: orderPlaced
        contentType: application/json
        summary:
          - not a string
        payload:
          type: object
      orderShipped:
        name: orderShipped
        contentType: application/json
        payload:
          type: object
operations:
  placeOrder:
    action: send
    channel:
      $ref: '#/channels/orders'
`))
	list := func(d *analysis.Document, check func(syntax.Diagnostic)) []string {
		var out []string
		for _, g := range d.Diagnostics {
			if strings.HasPrefix(g.Code, "schema-") {
				check(g)
				msg, _, _ := strings.Cut(g.Message, " (in ../shared/")
				out = append(out, g.Code+": "+msg)
			}
		}
		sort.Strings(out)
		return out
	}
	want := list(inline, func(syntax.Diagnostic) {})
	got := list(across, func(g syntax.Diagnostic) {
		text := string(across.Tree.Text[g.Range.Start:g.Range.End])
		if !strings.HasPrefix(text, "'../shared/schema-") {
			t.Errorf("%s %q is on %q, want the $ref", g.Code, g.Message, text)
		}
		if len(g.Related) == 0 || !strings.HasSuffix(g.Related[0].Path, "/shared/"+strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(text, "#", 2)[0], "'../shared/"), "'")) || g.Related[0].Mapper == nil {
			t.Errorf("%s %q: related %+v, want the place in the other file first", g.Code, g.Message, g.Related)
		}
	})
	if len(want) != 4 {
		t.Fatalf("the one-file document has %d schema problems, want 4: %q", len(want), want)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("across files:\n%s\nin one file:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
