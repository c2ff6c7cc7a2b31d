package analysis

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// diagAt describes one expected diagnostic: its code and the 1-based line
// and column (UTF-16) where its range starts, and the exact text it covers
// ("" = don't check).
type diagAt struct {
	code      string
	line, col int
	text      string
}

func (w diagAt) String() string { return fmt.Sprintf("%s@%d:%d %q", w.code, w.line, w.col, w.text) }

func gotDiags(d *Document) []diagAt {
	var out []diagAt
	for _, g := range d.Diagnostics {
		p := d.Mapper.Position(g.Range.Start)
		out = append(out, diagAt{g.Code, p.Line + 1, p.Character + 1, rangeText(d.Text, g.Range)})
	}
	return out
}

func sameDiags(got, want []diagAt) bool {
	order := func(l []diagAt) {
		sort.SliceStable(l, func(i, j int) bool {
			if l[i].line != l[j].line {
				return l[i].line < l[j].line
			}
			return l[i].col < l[j].col
		})
	}
	order(got)
	order(want)
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		w := want[i]
		if got[i].code != w.code || got[i].line != w.line || got[i].col != w.col || (w.text != "" && got[i].text != w.text) {
			return false
		}
	}
	return true
}

// TestSyntaxErrors checks where syntax errors of typical half-typed states
// land, and that the rest of the document survives where possible.
func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		name     string
		doc      string
		want     []diagAt
		survives string // a root key that must still be in the tree ("" = none)
	}{
		{"missing colon before a sibling", "asyncapi: 3.0.0\ninfo:\n  title\n  version: '1'\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 3, 3, "title"}}, "channels"},
		{"missing colon, two words", "asyncapi: 3.0.0\ninfo:\n  title My API\n  version: '1'\n",
			[]diagAt{{"yaml-syntax", 3, 3, "title"}}, "info"},
		{"missing colon before a dedent", "asyncapi: 3.0.0\ninfo:\n  version: '1'\n  title\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 4, 3, "title"}}, "channels"},
		{"unterminated double quote", "asyncapi: 3.0.0\ninfo:\n  title: \"abc\n  version: '1'\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 3, 10, `"abc`}}, "channels"},
		{"unterminated quote in JSON", "{\"asyncapi\": \"3.0.0\",\n \"info\": {\"title\": \"abc\n }\n}\n",
			// one diagnostic: the member is the broken region
			[]diagAt{{"yaml-syntax", 2, 20, `"abc`}}, "asyncapi"},
		{"bad indentation, deeper", "asyncapi: 3.0.0\ninfo:\n  title: a\n   version: 1\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 4, 11, ":"}}, "channels"},
		{"bad indentation, shallower", "asyncapi: 3.0.0\ninfo:\n  title: a\n version: 1\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 4, 2, "version:"}}, "channels"},
		{"unclosed flow sequence", "asyncapi: 3.0.0\nservers: [a, b\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 2, 10, "["}}, "channels"},
		{"unclosed flow mapping", "asyncapi: 3.0.0\nservers: {a: 1\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 2, 10, "{"}}, "channels"},
		{"tab indentation", "asyncapi: 3.0.0\n\tx: 1\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 2, 1, ""}}, "channels"},
		{"stray closing bracket", "asyncapi: 3.0.0\nx: [1, 2]]\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 2, 10, "]"}}, "channels"},
		{"reserved indicator", "asyncapi: 3.0.0\nx: @foo\nchannels: {}\n",
			[]diagAt{{"yaml-syntax", 2, 4, "@foo"}}, "channels"},
		{"JSON missing colon", "{\"asyncapi\": \"3.0.0\",\n \"info\": {\"title\" \"x\"}\n}\n",
			[]diagAt{{"yaml-syntax", 2, 11, `"title"`}}, "asyncapi"}, // on the key that lacks its ':'

		{"JSON trailing garbage", "{\"asyncapi\": \"3.0.0\"} x\n",
			[]diagAt{{"yaml-syntax", 1, 23, "x"}}, ""},
		{"JSON second document", "{\"asyncapi\": \"3.0.0\"}\n{\"x\": 1}\n",
			[]diagAt{{"yaml-syntax", 2, 1, `{"x":`}}, "asyncapi"},
		{"JSON stray bracket", "{\"asyncapi\": \"3.0.0\"}\n]\n",
			[]diagAt{{"yaml-syntax", 2, 1, "]"}}, "asyncapi"},
		{"error after emoji counts UTF-16", "asyncapi: 3.0.0\ninfo: {t: \"😀\" @}\n",
			[]diagAt{{"yaml-syntax", 2, 16, "@}"}}, ""},
		{"LS inside a block scalar is a break for yaml.v3", "asyncapi: 3.0.0\na: |\n  x\u2028y\nb: after\n",
			[]diagAt{{"yaml-syntax", 3, 5, "y"}}, "b"},
		{"duplicate keys", "asyncapi: 3.0.0\ninfo: {}\nx:\n  a: 1\n  a: 2\ninfo: {}\n",
			[]diagAt{{"yaml-syntax", 5, 3, "a"}, {"yaml-syntax", 6, 1, "info"}}, "x"},
		{"invalid UTF-8", "asyncapi: 2.6.0\ninfo: {title: \"a\xffb\"}\nservers:\n  s:\n    host: h\n    protocol: ws\n    security: [{nope: []}]\n",
			[]diagAt{{"yaml-syntax", 2, 17, "\xff"}, {"security-undefined-scheme", 7, 17, "nope"}}, "servers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Analyze([]byte(c.doc))
			got := gotDiags(d)
			if !sameDiags(got, c.want) {
				t.Errorf("diagnostics\n got %v\nwant %v", got, c.want)
			}
			for _, g := range d.Diagnostics {
				if g.Severity != syntax.SeverityError || g.Message == "" {
					t.Errorf("diagnostic %+v lacks severity or message", g)
				}
			}
			if c.survives != "" && d.Root.Key(c.survives) == nil {
				t.Errorf("key %q lost after recovery", c.survives)
			}
		})
	}
}

func TestDuplicateKeyRelated(t *testing.T) {
	text := "asyncapi: 3.0.0\nk: 1\nk: 2\n"
	d := Analyze([]byte(text))
	if len(d.Diagnostics) != 1 || len(d.Diagnostics[0].Related) != 1 {
		t.Fatalf("got %+v", d.Diagnostics)
	}
	if r := d.Diagnostics[0].Related[0].Range; rangeText(d.Text, r) != "k" || r.Start != 16 {
		t.Errorf("related %v", r)
	}
	// many keys take the map path
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "k%d: 1\n", i%39)
	}
	if got := gotDiags(Analyze([]byte(b.String()))); !sameDiags(got, []diagAt{{"yaml-syntax", 41, 1, "k0"}}) {
		t.Errorf("got %v", got)
	}
}

// TestNotAsyncAPI: without a root asyncapi key a text gets no diagnostics,
// however broken it is.
func TestNotAsyncAPI(t *testing.T) {
	for _, text := range []string{
		"", "\n", "foo: [\n", "openapi: 3.0.0\nsecurity: [x]\n", "- a\n- b\n", "\xff\xfe",
		"{\"openapi\": \"3.0.0\",", "a: b\n  c: d\n", "# asyncapi: 3.0.0\nx: [", "x: {asyncapi: 3.0.0}\n",
		"asyncapi_x: 1\nsecurity: []\n",
	} {
		d := Analyze([]byte(text))
		if len(d.Diagnostics) != 0 || d.IsAsyncAPI {
			t.Errorf("%q: IsAsyncAPI=%v, diagnostics %v", text, d.IsAsyncAPI, gotDiags(d))
		}
	}
	// ... but a broken text that says asyncapi at the top is ours.
	for _, text := range []string{"asyncapi: 3.0.0\nx: [\n", "{\"asyncapi\": \"3.0.0\",\n", "\xef\xbb\xbf" + "asyncapi: '2.6.0'\n\tx"} {
		d := Analyze([]byte(text))
		if !d.IsAsyncAPI || len(d.Diagnostics) == 0 {
			t.Errorf("%q: IsAsyncAPI=%v, diagnostics %v", text, d.IsAsyncAPI, gotDiags(d))
		}
	}
}

// TestHostileDocuments: alias cycles, billion laughs and very deep nesting
// finish without a panic (a hang would fail the test run's timeout).
func TestHostileDocuments(t *testing.T) {
	t.Parallel()
	laughs := "asyncapi: 3.0.0\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += fmt.Sprintf("%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	laughs += "components:\n  securitySchemes: *i\nservers: *i\nchannels: *i\noperations: *i\n"
	deepFlow := "asyncapi: 3.0.0\nx: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"
	var deepBlock strings.Builder
	deepBlock.WriteString("asyncapi: 3.0.0\n")
	for i := 0; i < 5000; i++ {
		deepBlock.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	tooDeep := "asyncapi: 3.0.0\nx: " + strings.Repeat("{a: ", 12000) + strings.Repeat("}", 12000) + "\n"
	docs := map[string]string{
		"alias cycle":               "asyncapi: 3.0.0\na: &a [*a]\nb: &b {k: *b}\n<<: *b\nservers: *a\ncomponents: *b\n",
		"merge cycle":               "asyncapi: 3.0.0\nm: &m\n  <<: *m\n  x: 1\ncomponents:\n  <<: *m\n  securitySchemes: {<<: *m}\n",
		"billion laughs":            laughs,
		"5000 nested flow seqs":     deepFlow,
		"5000 nested block maps":    deepBlock.String(),
		"12000 nested flow maps":    tooDeep,
		"ref cycle":                 "asyncapi: 3.0.0\nservers:\n  s: {$ref: '#/servers/t'}\n  t: {$ref: '#/servers/s'}\n",
		"self ref":                  "asyncapi: 3.0.0\ncomponents:\n  securitySchemes:\n    a: {$ref: '#/components/securitySchemes/a'}\n",
		"ref into alias cycle":      "asyncapi: 3.0.0\nx: &x [*x]\ny: {$ref: '#/x/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0'}\n",
		"security via alias cycle":  "asyncapi: 2.6.0\ns: &s [*s]\nservers:\n  a: {url: x, protocol: ws, security: *s}\n",
		"operation traits as cycle": "asyncapi: 3.0.0\noperations:\n  o: &o {action: send, traits: [*o], security: [*o]}\n",
	}
	for name, text := range docs {
		t.Run(name, func(t *testing.T) {
			d := Analyze([]byte(text))
			for _, g := range d.Diagnostics {
				if strings.Contains(g.Message, "internal error") || strings.Contains(g.Message, "please report") {
					t.Errorf("internal failure: %s", g.Message)
				}
				if g.Range.Start < 0 || g.Range.Start > g.Range.End || g.Range.End > len(text) {
					t.Errorf("bad range %v", g.Range)
				}
			}
			for _, op := range d.Operations {
				d.EffectiveSecurity(op)
			}
			d.SecurityReport()
		})
	}
}

// rangeText returns the text of r, or says that r is not in text.
func rangeText(text []byte, r syntax.Range) string {
	if r.Start < 0 || r.End > len(text) || r.Start > r.End {
		return fmt.Sprintf("<bad range %d,%d>", r.Start, r.End)
	}
	return string(text[r.Start:r.End])
}
