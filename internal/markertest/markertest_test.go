package markertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `A case.
Second line of prose.
-- doc.yaml --
asyncapi: 3.0.0 #@diag(asyncapi-version, "3.0.0", re"not.*know") @diag(other)
info:
  title: "x #@ not a marker" #@hover("title", h1) @nohover("x")
  version: 'a, b'  #@complete("ver", version, "a b") @diag(c, "'a, b'")
-- settings.json --
{"x": 1}
-- @h1 --
**title**
-- @other --
old
`

func TestParse(t *testing.T) {
	c, err := ParseBytes("dir/sample.txtar", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "sample" || c.Comment != "A case.\nSecond line of prose." || c.DocName != "doc.yaml" || c.JSON {
		t.Errorf("header: %+v", c)
	}
	if string(c.Settings) != "{\"x\": 1}\n" || c.Goldens["h1"] != "**title**\n" || c.Goldens["other"] != "old\n" {
		t.Errorf("sections: %q %q", c.Settings, c.Goldens)
	}
	doc := string(c.Doc)
	type want struct {
		kind, code, text string
		line, offset     int
	}
	wants := []want{
		{Diag, "asyncapi-version", "3.0.0", 0, strings.Index(doc, "3.0.0")},
		{Diag, "other", "", 0, 0},
		{Hover, "", "title", 2, strings.Index(doc, "title")},
		{NoHover, "", "x", 2, strings.Index(doc, "x #@")},
		{Complete, "", "ver", 3, strings.Index(doc, "  version") + 2 + 3},
		{Diag, "c", "'a, b'", 3, strings.Index(doc, "'a, b'")},
	}
	if len(c.Markers) != len(wants) {
		t.Fatalf("markers: %+v", c.Markers)
	}
	for i, w := range wants {
		m := c.Markers[i]
		if m.Kind != w.kind || m.Code != w.code || m.Text != w.text || m.Line != w.line || m.Offset() != w.offset {
			t.Errorf("marker %d = %+v (offset %d), want %+v", i, m, m.Offset(), w)
		}
	}
	if m := c.Markers[0]; m.Message == nil || !m.Message.MatchString("does not know") || doc[m.Start:m.End] != "3.0.0" {
		t.Errorf("diag 0: %+v", m)
	}
	if m := c.Markers[1]; m.HasText || doc[m.Start:m.End] != strings.SplitN(doc, "\n", 2)[0] {
		t.Errorf("line marker range: %+v", m)
	}
	if m := c.Markers[2]; m.Golden != "h1" {
		t.Errorf("hover golden %q", m.Golden)
	}
	if m := c.Markers[4]; strings.Join(m.Labels, "|") != "version|a b" {
		t.Errorf("labels %q", m.Labels)
	}
	if len(c.Diags()) != 3 {
		t.Errorf("Diags() = %d", len(c.Diags()))
	}
}

func TestParseJSON(t *testing.T) {
	c, err := ParseBytes("j.txtar", []byte("-- doc.json --\n{\n  \"asyncapi\": 3\n}\n-- markers --\n# comment\n2: @diag(asyncapi-version, \"3\") @diag(x)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.JSON || len(c.Markers) != 2 || string(c.Doc[c.Markers[0].Start:c.Markers[0].End]) != "3" || c.Markers[1].Line != 1 {
		t.Errorf("%+v", c.Markers)
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{
		"no sections",
		"-- doc.yaml --\na: 1 #@diag(x, \"nope\")\n",
		"-- doc.yaml --\na: 1 #@diag(x\n",
		"-- doc.yaml --\na: 1 #@frob(x)\n",
		"-- doc.yaml --\na: 1 #@hover(a, b)\n",
		"-- doc.yaml --\na: 1\n-- markers --\n1: @diag(x)\n",
		"-- doc.json --\n{}\n-- markers --\n5: @diag(x)\n",
		"-- doc.yaml --\n-- doc.json --\n",
		"-- doc.yaml --\n-- other --\n",
		"-- doc.yaml --\na: 1 #@diag(x, re\"(\")\n",
	} {
		if _, err := ParseBytes("bad.txtar", []byte(bad)); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

func TestUpdateGoldens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.txtar")
	if err := os.WriteFile(path, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := UpdateGoldens(path, map[string]string{"other": "new\n", "zz": "added"}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	want := strings.Replace(sample, "-- @other --\nold\n", "-- @other --\nnew\n", 1) + "-- @zz --\nadded\n"
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
	c, err := Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Goldens["zz"] != "added\n" {
		t.Errorf("reparse: %v %q", err, c.Goldens)
	}
}

// TestHoverWithoutSectionIsNotGolden: a @hover marker whose golden section
// is missing leaves no entry in Goldens, so a runner reports it instead of
// comparing the hover with "" (which would assert "no hover" silently).
func TestHoverWithoutSectionIsNotGolden(t *testing.T) {
	c, err := ParseBytes("case.txtar", []byte("-- doc.yaml --\nasyncapi: 3.0.0 #@hover(\"asyncapi\", missing)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Hovers()) != 1 {
		t.Fatalf("hovers: %+v", c.Hovers())
	}
	if _, ok := c.Goldens["missing"]; ok {
		t.Fatal("a hover marker without a section must not get a golden")
	}
}
