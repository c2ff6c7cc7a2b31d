package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// TestMethodsAgainstFakeServer: --methods sends every feature method
// --times times at the positions it names, parses each answer into what
// the table says, and writes the table to stdout and --md.
func TestMethodsAgainstFakeServer(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GORACE", "atexit_sleep_ms=0")
	_, reportPath := fakeSpec(t, "versioned")
	o := options{
		servers: listFlag{"'" + os.Args[0] + "' lspbench-fake-server versioned '" + reportPath + "'"},
		names:   listFlag{"fake"}, sizes: "30KB", seed: 3, methods: true, times: 2,
		shapes: "v3", formats: "yaml,json", places: "a,b,c,d", // the flags' defaults, unused by --methods
		timeout: 10 * time.Second, openTimeout: 20 * time.Second, quiet: 10 * time.Millisecond,
		mdOut: filepath.Join(dir, "out.md"), jsonOut: filepath.Join(dir, "out.json"), dir: filepath.Join(dir, "work"),
	}
	var out bytes.Buffer
	if err := run(t.Context(), o, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	table := out.String()
	for _, want := range []string{
		"#### Every method on one document: fake, v3 YAML 30KB (",
		"| method | at | median (ms) | max (ms) | answer | result bytes |",
		"| hover | key of operation ", "| hover of 13 characters | ",
		"| 1 items (oauthCorp…) |",
		"| definition | $ref of the first security item of ", "| 1 location |",
		"| references | key of scheme ", "| 3 locations |",
		"| 2 highlights |",
		`| range, placeholder "bearerJwt" |`,
		"| WorkspaceEdit touching 2 ranges in 1 file |",
		"| outline of 3 symbols (1 top-level) |",
		`| workspace/symbol | query "send" |`, "| 2 symbols |",
		"| 1 link |",
		"| codeAction | range of the first diagnostic |", `| 1 action ("Fix it") |`,
		"| inlayHint (document) | whole document |", "| inlayHint (60 lines) | lines ", "| 2 hints |",
		"| 1 lens |",
		"| executeCommand | asyncapi-ls.effectiveSecurity |", "| 2 operations, Markdown of 5 characters |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if md, err := os.ReadFile(o.mdOut); err != nil || string(md) != table {
		t.Errorf("--md file differs from the output (%v)", err)
	}

	// What the server was asked, and where.
	rep := readReport(t, reportPath)
	text := docgen.Generate(docgen.Options{TargetBytes: 30 * 1024, Seed: 3, Shape: docgen.ShapeV3})
	if rep.Text != string(text) {
		t.Fatal("the server was given another document than the generated one")
	}
	op, _ := docgen.MiddleOperation(text)
	perMethod := map[string][]fakeRequest{}
	for _, r := range rep.Requests {
		perMethod[r.Method] = append(perMethod[r.Method], r)
	}
	want := map[string]int{"textDocument/inlayHint": 4}
	for m := range fakeAnswers {
		if want[m] == 0 {
			want[m] = 2
		}
		if len(perMethod[m]) != want[m] {
			t.Errorf("%s sent %d times, want %d", m, len(perMethod[m]), want[m])
		}
	}
	if got := perMethod["textDocument/hover"][0].Position; got != positionAt(text, op.KeyOffset) {
		t.Errorf("hover at %v, want the key of %s", got, op.Name)
	}
	for _, m := range []string{"textDocument/completion", "textDocument/definition"} {
		if got := perMethod[m][0].Position; got != positionAt(text, op.SecurityRefOffset) {
			t.Errorf("%s at %v, want in the security $ref of %s", m, got, op.Name)
		}
	}
	for _, m := range []string{"textDocument/references", "textDocument/documentHighlight", "textDocument/prepareRename", "textDocument/rename"} {
		p := perMethod[m][0].Position
		line := strings.Split(string(text), "\n")[p.Line]
		if !strings.HasPrefix(line, "    ") || !strings.HasSuffix(line, ":") || p.Character != 5 {
			t.Errorf("%s at %v (%q), want inside a security scheme key", m, p, line)
			continue
		}
		scheme := strings.TrimSuffix(strings.TrimSpace(line), ":")
		if !bytes.Contains(text, []byte("#/components/securitySchemes/"+scheme+"'")) {
			t.Errorf("%s on scheme %s, which no operation references", m, scheme)
		}
	}
	var params struct {
		NewName   string          `json:"newName"`
		Query     string          `json:"query"`
		Range     json.RawMessage `json:"range"`
		Command   string          `json:"command"`
		Arguments []string        `json:"arguments"`
	}
	_ = json.Unmarshal(perMethod["textDocument/rename"][0].Params, &params)
	if !strings.HasSuffix(params.NewName, "Renamed") {
		t.Errorf("rename to %q", params.NewName)
	}
	_ = json.Unmarshal(perMethod["workspace/symbol"][0].Params, &params)
	if params.Query != "send" {
		t.Errorf("workspace/symbol query %q", params.Query)
	}
	_ = json.Unmarshal(perMethod["textDocument/codeAction"][0].Params, &params)
	if string(params.Range) != `{"end":{"line":0,"character":1},"start":{"line":0,"character":0}}` {
		t.Errorf("codeAction on %s, want the fake's diagnostic range", params.Range)
	}
	_ = json.Unmarshal(perMethod["workspace/executeCommand"][0].Params, &params)
	if params.Command != "asyncapi-ls.effectiveSecurity" || len(params.Arguments) != 1 || !strings.HasSuffix(params.Arguments[0], "/methods.yaml") {
		t.Errorf("executeCommand %s %q", params.Command, params.Arguments)
	}
	var ranges []string
	for _, r := range perMethod["textDocument/inlayHint"][:2] {
		_ = json.Unmarshal(r.Params, &params)
		ranges = append(ranges, string(params.Range))
	}
	whole := fmt.Sprintf(`{"end":{"line":%d,"character":0},"start":{"line":0,"character":0}}`, bytes.Count(text, []byte("\n")))
	if ranges[0] != whole || !strings.Contains(ranges[1], `"character":0}`) || ranges[1] == whole {
		t.Errorf("inlayHint ranges %q, want the whole document then a window", ranges)
	}
}

func TestDescribeAnswer(t *testing.T) {
	for _, c := range []struct{ method, result, want string }{
		{"textDocument/hover", `null`, "null"},
		{"textDocument/completion", `[{"label":"a"},{"label":"b"}]`, "2 items (a, b…)"},
		{"textDocument/definition", `{"uri":"file:///a","range":{}}`, "1 location"},
		{"textDocument/rename", `{"documentChanges":[{"edits":[{},{},{}]},{"edits":[{}]}]}`, "WorkspaceEdit touching 4 ranges in 2 files"},
		{"textDocument/documentSymbol", `[{"children":[{"children":[{}]}]},{}]`, "outline of 4 symbols (2 top-level)"},
		{"textDocument/codeAction", `[]`, "0 actions"},
		{"textDocument/codeLens", `[{},{}]`, "2 lenses"},
		{"textDocument/references", `[` + strings.Repeat(`{},`, 1233) + `{}]`, "1,234 locations"},
	} {
		if got := describeAnswer(c.method, json.RawMessage(c.result)); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.method, c.result, got, c.want)
		}
	}
}
