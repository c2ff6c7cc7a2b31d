package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

func TestGitHubEscaping(t *testing.T) {
	text := []byte("ab\r\ncdé😀fg\n")
	m := syntax.NewMapper(text)
	files := []File{{Path: `dir/x,y:z%.yaml`, Mapper: m, Diagnostics: []syntax.Diagnostic{
		{Range: syntax.Range{Start: 4, End: 14}, Severity: syntax.SeverityWarning, Code: "c,o:de", Message: "100% sure\r\nsecond line, with: colon"},
		{Range: syntax.Range{Start: 0, End: 0}, Severity: syntax.SeverityHint, Code: "h", Message: "empty range"},
		{Range: syntax.Range{Start: 1, End: 6}, Severity: syntax.SeverityInformation, Code: "i", Message: "two lines"},
	}}}
	var b bytes.Buffer
	if err := GitHub(&b, files, "."); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		// "cdé😀fg": columns 1..7 in UTF-16 (😀 is two units); endColumn is inclusive.
		"::warning file=dir/x%2Cy%3Az%25.yaml,line=2,col=1,endLine=2,endColumn=7,title=c%2Co%3Ade::100%25 sure%0D%0Asecond line, with: colon",
		"::notice file=dir/x%2Cy%3Az%25.yaml,line=1,col=1,endLine=1,endColumn=1,title=h::empty range",
		"::notice file=dir/x%2Cy%3Az%25.yaml,line=1,col=2,endLine=2,endColumn=2,title=i::two lines",
		"1 file checked: 1 warning, 1 information, 1 hint in 1 file",
		"",
	}, "\n")
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestSummary(t *testing.T) {
	d := func(s syntax.Severity) syntax.Diagnostic { return syntax.Diagnostic{Severity: s} }
	cases := []struct {
		files []File
		want  string
	}{
		{nil, "no AsyncAPI documents found: no problems"},
		{[]File{{}}, "1 file checked: no problems"},
		{[]File{{}, {}, {}}, "3 files checked: no problems"},
		{[]File{{Diagnostics: []syntax.Diagnostic{d(1), d(1), d(2)}}, {}, {}}, "3 files checked: 2 errors, 1 warning in 1 file"},
		{[]File{{Diagnostics: []syntax.Diagnostic{d(3), d(3), d(4)}}, {Diagnostics: []syntax.Diagnostic{d(1)}}, {Config: true, Diagnostics: []syntax.Diagnostic{d(1)}}},
			"2 files checked: 2 errors, 2 information, 1 hint in 3 files"},
	}
	for _, c := range cases {
		if got := Summary(c.files); got != c.want {
			t.Errorf("Summary = %q, want %q", got, c.want)
		}
	}
}

func TestFailsOn(t *testing.T) {
	files := []File{{Diagnostics: []syntax.Diagnostic{{Severity: syntax.SeverityWarning}}}}
	for threshold, want := range map[syntax.Severity]bool{0: false, syntax.SeverityError: false, syntax.SeverityWarning: true, syntax.SeverityHint: true} {
		if got := FailsOn(files, threshold); got != want {
			t.Errorf("FailsOn(warning, %v) = %v", threshold, got)
		}
	}
}

func TestSARIFLevels(t *testing.T) {
	for s, want := range map[syntax.Severity]string{1: "error", 2: "warning", 3: "note", 4: "note"} {
		if got := SARIFLevel(s); got != want {
			t.Errorf("%v -> %s, want %s", s, got, want)
		}
	}
}
