package server

import (
	"encoding/json"
	"flag"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/markertest"
)

var update = flag.Bool("update", false, "rewrite the golden sections (hover Markdown) of marker cases")

// TestMarkersThroughTheServer runs every marker case through a real server
// over JSON-RPC: the document is opened, the published diagnostics must
// match the @diag markers one to one, every @hover must return its golden
// Markdown, every @nohover nothing, and every @complete exactly its labels.
func TestMarkersThroughTheServer(t *testing.T) {
	var files []string
	for _, dir := range []string{"../testdata/markers", "../testdata/docs-page"} {
		f, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f...)
	}
	if len(files) == 0 {
		t.Fatal("no marker cases found")
	}
	var hovers, completions int
	for _, f := range files {
		c, err := markertest.Parse(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(c.Name, func(t *testing.T) {
			h, n := runMarkerCase(t, c)
			hovers += h
			completions += n
		})
	}
	if hovers == 0 || completions == 0 {
		t.Errorf("the marker cases hold %d hovers and %d completions: both must be tested", hovers, completions)
	}
}

func runMarkerCase(t *testing.T, c *markertest.Case) (hovers, completions int) {
	cl, _ := newPipeClient(t, nil)
	var options any
	if c.Settings != nil {
		if err := json.Unmarshal(c.Settings, &options); err != nil {
			t.Fatalf("settings.json: %v", err)
		}
	}
	cl.initialize(options)
	uri := "file:///markers/" + c.DocName
	version := int32(1)
	if c.Before == nil {
		cl.open(uri, string(c.Doc))
	} else {
		// the editor had the before text, and the document is an edit of it
		cl.open(uri, string(c.Before))
		cl.waitDiagnostics(uri, 1) // analyzed before the edit, as while typing
		e := edittest.TrimEdit(c.Before, c.Doc)
		bm := syntax.NewMapper(c.Before)
		version = 2
		cl.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{map[string]any{"range": bm.PosRange(syntax.Range{Start: e.Start, End: e.End}), "text": e.Text}},
		})
	}
	m := syntax.NewMapper(c.Doc)
	// A document that is not AsyncAPI gets no publication at all.
	var got []markertest.Got
	if len(c.Diags()) > 0 || analysis.Analyze(c.Doc).IsAsyncAPI {
		p := cl.waitDiagnostics(uri, version)
		for _, raw := range p.Diagnostics {
			var d struct {
				Code    string
				Message string
				Range   syntax.PosRange
			}
			if err := json.Unmarshal(raw, &d); err != nil {
				t.Fatal(err)
			}
			r := m.Range(d.Range)
			got = append(got, markertest.Got{Code: d.Code, Start: r.Start, End: r.End, Line: d.Range.Start.Line, Message: d.Message})
		}
	}
	for _, problem := range c.MatchDiagnostics(got) {
		t.Error(problem)
	}
	position := func(off int) map[string]any {
		p := m.Position(off)
		return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": p.Line, "character": p.Character}}
	}
	updates := map[string]string{}
	for _, mk := range c.Hovers() {
		hovers++
		var h *struct{ Contents struct{ Value string } }
		cl.mustCall("textDocument/hover", position(mk.Offset()), &h)
		gotMD := ""
		if h != nil {
			gotMD = h.Contents.Value
		}
		want, ok := c.Goldens[mk.Golden]
		switch {
		case *update:
			updates[mk.Golden] = gotMD
		case !ok:
			t.Errorf("%s: no golden section -- @%s -- (run go test ./server -run TestMarkersThroughTheServer -update)", mk.Where, mk.Golden)
		case strings.TrimSpace(gotMD) != strings.TrimSpace(want):
			t.Errorf("%s: hover on %q\n--- got\n%s\n--- want\n%s", mk.Where, mk.Text, gotMD, want)
		}
	}
	if len(updates) > 0 {
		if err := markertest.UpdateGoldens(c.Path, updates); err != nil {
			t.Fatal(err)
		}
	}
	for _, mk := range c.NoHovers() {
		var h json.RawMessage
		cl.mustCall("textDocument/hover", position(mk.Offset()), &h)
		if string(h) != "null" {
			t.Errorf("%s: want no hover on %q, got %s", mk.Where, mk.Text, h)
		}
	}
	for _, mk := range c.Completions() {
		completions++
		var list struct {
			Items []struct {
				Label    string
				TextEdit struct {
					Range   syntax.PosRange
					NewText string
				}
			}
		}
		cl.mustCall("textDocument/completion", position(mk.Offset()), &list)
		var labels []string
		for _, it := range list.Items {
			labels = append(labels, it.Label)
			if r := m.Range(it.TextEdit.Range); r.Start > mk.End || r.End < mk.End {
				t.Errorf("%s: item %q edits %v, which does not contain the cursor", mk.Where, it.Label, it.TextEdit.Range)
			}
		}
		want := append([]string(nil), mk.Labels...)
		sort.Strings(labels)
		sort.Strings(want)
		if strings.Join(labels, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: completion after %q\n got: %q\nwant: %q", mk.Where, mk.Text, labels, want)
		}
	}
	return hovers, completions
}
