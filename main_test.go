package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/config"
	"github.com/asyncapi-ls/asyncapi-ls/docs/rules"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckExitCodesAndTextFormat(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string // substring of stdout
		err  string // substring of stderr
	}{
		{[]string{"check", "testdata/examples/orders-v3.yaml"}, 0, "", ""},
		{[]string{"check", "testdata/examples/payments-v2.yaml"}, 1, "testdata/examples/payments-v2.yaml:29:11: error: operation onPaymentCompleted: security scheme \"missing_auth\" is not defined", ""},
		{[]string{"check", "testdata/examples/orders-v3.yaml", "testdata/examples/payments-v2.yaml"}, 1, "[security-empty-requirement]", ""},
		{[]string{"check", "go.mod"}, 0, "", ""}, // not AsyncAPI: nothing to say
		{[]string{"check", "does-not-exist.yaml"}, 2, "", "does-not-exist.yaml"},
		{[]string{"check"}, 2, "", "no files"},
		{[]string{"check", "--format", "xml", "x.yaml"}, 2, "", "unknown format"},
		{[]string{"frobnicate"}, 2, "", "unknown command"},
		{[]string{"--version"}, 0, "asyncapi-ls", ""},
		{[]string{"--help"}, 0, "Usage:", ""},
		{[]string{"security"}, 2, "", "usage"},
		{[]string{"security", "go.mod"}, 2, "", "not an AsyncAPI document"},
	}
	for _, tc := range cases {
		code, out, errs := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.err) {
			t.Errorf("asyncapi-ls %s: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				strings.Join(tc.args, " "), code, out, errs, tc.code, tc.out, tc.err)
		}
	}
}

func TestCheckJSONIsTheLSPDiagnostic(t *testing.T) {
	code, out, _ := runCLI("check", "--format", "json", "testdata/editors/demo.yaml", "testdata/examples/orders-v3.yaml")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var files []struct {
		File        string
		Diagnostics []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &files); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(files) != 2 || len(files[0].Diagnostics) != 1 || len(files[1].Diagnostics) != 0 {
		t.Fatalf("unexpected shape: %s", out)
	}
	d := files[0].Diagnostics[0]
	want := map[string]any{"code": "security-undefined-scheme", "severity": 1.0, "source": "asyncapi-ls",
		"range": map[string]any{"start": map[string]any{"line": 20.0, "character": 14.0}, "end": map[string]any{"line": 20.0, "character": 58.0}}}
	for k, v := range want {
		if fmt.Sprint(d[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %v, want %v", k, d[k], v)
		}
	}
	if files[1].Diagnostics == nil {
		t.Error("a clean file must have [] diagnostics, not null")
	}
}

func TestSecurityReportFormats(t *testing.T) {
	code, out, _ := runCLI("security", "--format", "json", "testdata/examples/orders-v3.yaml")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		File       string
		Operations []struct {
			Name, Action, Channel string
			Range                 map[string]map[string]int
			Servers               []struct {
				Name         string
				Requirements [][]struct {
					Scheme, Type string
					Scopes       []string
				}
			}
			Operation [][]struct {
				Scheme, Type string
				Scopes       []string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Operations) != 2 {
		t.Fatalf("operations: %s", out)
	}
	op := rep.Operations[0]
	if op.Name != "placeOrder" || op.Action != "send" || op.Channel != "orders" || op.Range["start"]["line"] != 30 {
		t.Errorf("operation = %+v", op)
	}
	if len(op.Servers) != 1 || op.Servers[0].Name != "production" || op.Servers[0].Requirements[0][0].Scheme != "saslScram" {
		t.Errorf("servers = %+v", op.Servers)
	}
	if got := op.Operation[0][0]; got.Scheme != "#/operations/placeOrder/security/0" || got.Type != "oauth2" || strings.Join(got.Scopes, ",") != "orders:write" {
		t.Errorf("operation layer = %+v", got)
	}
	if audit := rep.Operations[1]; len(audit.Servers) != 2 {
		t.Errorf("a channel without servers applies to every server: %+v", audit.Servers)
	}
	for _, format := range []string{"text", "markdown"} {
		code, out, _ := runCLI("security", "--format", format, "testdata/examples/orders-v3.yaml")
		if code != 0 || !strings.Contains(out, "placeOrder") || !strings.Contains(out, "saslScram") || !strings.Contains(out, "never replaces") {
			t.Errorf("%s report: exit %d\n%s", format, code, out)
		}
	}
}

// TestBinaryServesLSPOverStdio builds the real binary and talks to it the
// way an editor does.
func TestBinaryServesLSPOverStdio(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "asyncapi-ls")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	demo, err := os.ReadFile("testdata/editors/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{}, {"serve"}, {"--stdio", "--clientProcessId=12345"}} {
		t.Run(strings.Join(append([]string{"args"}, args...), " "), func(t *testing.T) {
			cmd := exec.Command(bin, args...)
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			r := bufio.NewReader(stdout)
			send := func(msg map[string]any) {
				msg["jsonrpc"] = "2.0"
				b, _ := json.Marshal(msg)
				fmt.Fprintf(stdin, "Content-Length: %d\r\n\r\n%s", len(b), b)
			}
			recv := func(pred func(map[string]any) bool) map[string]any {
				deadline := time.Now().Add(20 * time.Second)
				for time.Now().Before(deadline) {
					m := readFrame(t, r)
					if pred(m) {
						return m
					}
				}
				t.Fatal("timed out")
				return nil
			}
			byID := func(id int) func(map[string]any) bool {
				return func(m map[string]any) bool { return m["id"] == float64(id) }
			}
			send(map[string]any{"id": 1, "method": "initialize", "params": map[string]any{"capabilities": map[string]any{}}})
			recv(byID(1))
			send(map[string]any{"method": "initialized", "params": map[string]any{}})
			uri := "file:///tmp/demo.yaml"
			send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 1, "text": string(demo)}}})
			diag := recv(func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" })
			if !strings.Contains(fmt.Sprint(diag), "security-undefined-scheme") {
				t.Errorf("diagnostics: %v", diag)
			}
			send(map[string]any{"id": 2, "method": "textDocument/hover", "params": map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 14, "character": 4}}})
			if h := recv(byID(2)); !strings.Contains(fmt.Sprint(h), "Effective security") {
				t.Errorf("hover: %v", h)
			}
			send(map[string]any{"id": 3, "method": "shutdown"})
			recv(byID(3))
			send(map[string]any{"method": "exit"})
			if err := cmd.Wait(); err != nil {
				t.Errorf("exit after shutdown: %v (stderr %s)", err, stderr.String())
			}
			if strings.Contains(stderr.String(), "panic") {
				t.Errorf("stderr: %s", stderr.String())
			}
		})
	}
	// exit without shutdown: code 1
	cmd := exec.Command(bin)
	cmd.Stdin = strings.NewReader("Content-Length: 17\r\n\r\n{\"method\":\"exit\"}")
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit without shutdown: %v, want exit status 1", err)
	}
}

func readFrame(t *testing.T, r *bufio.Reader) map[string]any {
	t.Helper()
	length := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			length, _ = strconv.Atoi(v)
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAnalysisHasNoLSPTypes enforces the layering: the analysis packages
// are an editor-neutral library, and only server converts to LSP. The
// syntax layer knows nothing of AsyncAPI, so it must not import analysis.
func TestAnalysisHasNoLSPTypes(t *testing.T) {
	const mod = "github.com/asyncapi-ls/asyncapi-ls/"
	for _, pkg := range []string{"./analysis", "./analysis/syntax", "./analysis/features", "./analysis/workspace"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, banned := range []string{"github.com/tliron/glsp", "go.lsp.dev/", "github.com/sourcegraph/jsonrpc2"} {
				if strings.HasPrefix(dep, banned) {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
			if pkg == "./analysis/syntax" && (dep == mod+"analysis" || dep == mod+"analysis/features") {
				t.Errorf("%s depends on %s", pkg, dep)
			}
			if pkg == "./analysis" && dep == mod+"analysis/features" {
				t.Errorf("%s depends on %s", pkg, dep)
			}
			// The workspace layer reads files; it knows no YAML and no model.
			if pkg == "./analysis/workspace" && strings.HasPrefix(dep, mod) && dep != mod+"analysis/workspace" {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden files of the CLI tests")

// golden compares got with testdata/cli/golden/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "cli", "golden", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -run '%s' -update rewrites it):\n--- got\n%s\n--- want\n%s", p, t.Name(), got, want)
	}
}

// stableSARIF replaces the absolute working folder, which differs per
// machine, and the tool's version in SARIF output.
func stableSARIF(t *testing.T, out string) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := "file://" + filepath.ToSlash(wd) + "/"
	if !strings.Contains(out, root) {
		t.Errorf("SARIF does not name the working folder %s as %%SRCROOT%%", root)
	}
	out = strings.ReplaceAll(out, root, "file:///WORKDIR/")
	return strings.Replace(out, `"version": "`+version+`",`, `"version": "VERSION",`, 1)
}

// TestCheckFormatsGolden runs `check` on a project folder (a config file
// with a severity override, a rule option and an ignore pattern; a
// sub-folder with a broken config file; files a walk must skip) in every
// format.
func TestCheckFormatsGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif", "github"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := runCLI("check", "--format", format, "testdata/cli/project")
			if code != 1 || errs != "" {
				t.Errorf("exit %d, stderr %q", code, errs)
			}
			if format == "sarif" {
				out = stableSARIF(t, out)
			}
			golden(t, "project."+format, out)
		})
	}
}

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	s, err := jsonschema.NewCompiler().Compile("testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSARIFValidatesAgainstTheOfficialSchema validates the SARIF output of
// several runs (errors, a clean file, a broken config, related locations,
// a path with spaces and non-ASCII) against the OASIS schema, and checks
// what code scanning relies on beyond the schema.
func TestSARIFValidatesAgainstTheOfficialSchema(t *testing.T) {
	schema := compileSARIFSchema(t)
	var bad any
	_ = json.Unmarshal([]byte(`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "columnKind": "utf16CodeUnits",
		"results": [{"message": {"text": "m"}, "level": "hint"}]}]}`), &bad)
	if schema.Validate(bad) == nil {
		t.Fatal("the schema accepts a SARIF level that does not exist: it validates nothing")
	}
	odd := filepath.Join(t.TempDir(), "dir with spaces", "ünïcode #1.yaml")
	if err := os.MkdirAll(filepath.Dir(odd), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(odd, []byte("asyncapi: 3.0.0\ninfo: {title: é, version: '1'}\nservers:\n  s: {host: h, protocol: p, security: [{$ref: '#/nope'}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runs := [][]string{
		{"testdata/cli/project"},
		{"testdata/examples/orders-v3.yaml"},
		{"testdata/examples/payments-v2.yaml", "testdata/editors/demo.yaml"},
		{odd},
	}
	for _, args := range runs {
		_, out, errs := runCLI(append([]string{"check", "--format", "sarif", "--fail-on", "never"}, args...)...)
		if errs != "" {
			t.Errorf("%v: stderr %s", args, errs)
		}
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%v: SARIF output does not validate:\n%v", args, err)
		}
		var log struct {
			Runs []struct {
				ColumnKind string
				Tool       struct {
					Driver struct {
						Rules []struct{ ID, HelpURI string }
					}
				}
				Results []struct {
					RuleID    string
					RuleIndex int
					Level     string
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI, URIBaseID string }
							Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
						}
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		r := log.Runs[0]
		if r.ColumnKind != "utf16CodeUnits" {
			t.Errorf("columnKind %q", r.ColumnKind)
		}
		if len(r.Tool.Driver.Rules) != len(analysis.Codes())+len(config.Codes()) {
			t.Errorf("%d rules, want one per code", len(r.Tool.Driver.Rules))
		}
		for _, rule := range r.Tool.Driver.Rules {
			if rule.HelpURI != rules.URL(rule.ID) {
				t.Errorf("rule %s helpUri %s", rule.ID, rule.HelpURI)
			}
		}
		for _, res := range r.Results {
			if r.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("ruleIndex %d is not %s", res.RuleIndex, res.RuleID)
			}
			loc := res.Locations[0].PhysicalLocation
			if loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
				t.Errorf("region %+v is not 1-based", loc.Region)
			}
			if args[0] == odd {
				if !strings.HasPrefix(loc.ArtifactLocation.URI, "file:///") || !strings.HasSuffix(loc.ArtifactLocation.URI, "/dir%20with%20spaces/%C3%BCn%C3%AFcode%20%231.yaml") {
					t.Errorf("outside the working folder: absolute, escaped URI; got %s", loc.ArtifactLocation.URI)
				}
			} else if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(loc.ArtifactLocation.URI, "/") {
				t.Errorf("inside the working folder: relative URI; got %+v", loc.ArtifactLocation)
			}
		}
	}
	// Levels and columns of one known result.
	_, out, _ := runCLI("check", "--format", "sarif", "testdata/cli/project/api/orders.yaml")
	for _, want := range []string{`"level": "note"`, `"startLine": 25`, `"startColumn": 5`, `"endColumn": 8`, `"uri": "testdata/cli/project/api/orders.yaml"`} {
		if !strings.Contains(out, want) {
			t.Errorf("SARIF lacks %s:\n%s", want, out)
		}
	}
}

// TestCheckFailOn: --fail-on sets the lowest severity that makes exit 1.
// The project holds errors and hints; orders.yaml only a hint; a clean
// file nothing.
func TestCheckFailOn(t *testing.T) {
	cases := []struct {
		failOn string
		args   []string
		code   int
	}{
		{"", []string{"testdata/cli/project"}, 1},
		{"error", []string{"testdata/cli/project"}, 1},
		{"never", []string{"testdata/cli/project"}, 0},
		{"error", []string{"testdata/cli/project/api/orders.yaml"}, 0},
		{"warning", []string{"testdata/cli/project/api/orders.yaml"}, 0},
		{"information", []string{"testdata/cli/project/api/orders.yaml"}, 0},
		{"hint", []string{"testdata/cli/project/api/orders.yaml"}, 1},
		{"warning", []string{"testdata/examples/payments-v2.yaml"}, 1},
		{"hint", []string{"testdata/examples/orders-v3.yaml"}, 0},
		{"never", []string{"testdata/examples/orders-v3.yaml", "missing.yaml"}, 2}, // unreadable wins
	}
	for _, c := range cases {
		args := []string{"check"}
		if c.failOn != "" {
			args = append(args, "--fail-on", c.failOn)
		}
		args = append(args, c.args...)
		if code, out, errs := runCLI(args...); code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", args, code, c.code, out, errs)
		}
	}
	if code, _, errs := runCLI("check", "--fail-on", "fatal", "x.yaml"); code != 2 || !strings.Contains(errs, `unknown --fail-on "fatal"`) {
		t.Errorf("bad --fail-on: exit %d, %s", code, errs)
	}
}

// TestCheckFileArguments: folders are walked (YAML/JSON with a root
// asyncapi key; hidden folders and node_modules skipped; the config's
// ignore applies), globs with ** are expanded, explicit files are always
// checked, paths come out sorted and once, flags go anywhere.
func TestCheckFileArguments(t *testing.T) {
	files := func(out string) string {
		var names []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if i := strings.Index(line, ":"); i > 0 && strings.HasPrefix(line, "testdata/") {
				if n := line[:i]; len(names) == 0 || names[len(names)-1] != n {
					names = append(names, n)
				}
			}
		}
		return strings.Join(names, " ")
	}
	cases := []struct {
		args    []string
		files   string // files with diagnostics, in output order
		summary string // last line
		code    int
		stderr  string
	}{
		{[]string{"testdata/cli/project"},
			"testdata/cli/project/api/orders.yaml testdata/cli/project/api/payments.json testdata/cli/project/broken/.asyncapi-ls.yaml testdata/cli/project/broken/legacy.yml",
			"3 files checked: 3 errors, 2 hints in 4 files", 1, ""},
		{[]string{"testdata/cli/project/**/*.yaml"},
			"testdata/cli/project/api/orders.yaml testdata/cli/project/broken/.asyncapi-ls.yaml",
			"1 file checked: 1 error, 1 hint in 2 files", 1, ""},
		{[]string{"testdata/cli/project/api/*.json", "--format", "text", "testdata/cli/project/api/payments.json"},
			"testdata/cli/project/api/payments.json", "1 file checked: 2 errors in 1 file", 1, ""},
		{[]string{"testdata/cli/project/generated/gen.yaml"}, // ignored by the config, but named: checked
			"testdata/cli/project/generated/gen.yaml", "1 file checked: 1 error in 1 file", 1, ""},
		{[]string{"testdata/cli/project/generated"}, "", "no AsyncAPI documents found: no problems", 0, ""},
		{[]string{"testdata/cli/project/api/notes.yaml"}, "", "1 file checked: no problems", 0, ""},
		{[]string{"testdata/cli/project/**/*.txt"}, "", "no AsyncAPI documents found: no problems", 2, "testdata/cli/project/**/*.txt: no file matches"},
		{[]string{"testdata/cli/project/api/", "./testdata/cli/project/api/orders.yaml"},
			"testdata/cli/project/api/orders.yaml testdata/cli/project/api/payments.json", "2 files checked: 2 errors, 1 hint in 2 files", 1, ""},
		{[]string{"testdata/examples/orders-v3.yaml"}, "", "1 file checked: no problems", 0, ""},
	}
	for _, c := range cases {
		code, out, errs := runCLI(append([]string{"check"}, c.args...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != c.code || files(out) != c.files || lines[len(lines)-1] != c.summary || !strings.Contains(errs, c.stderr) || (c.stderr == "" && errs != "") {
			t.Errorf("check %v: exit %d, stderr %q\n%s\nwant exit %d, files %q, summary %q, stderr %q",
				c.args, code, errs, out, c.code, c.files, c.summary, c.stderr)
		}
	}
	// The same run twice gives the same bytes, whatever the scheduling.
	_, a, _ := runCLI("check", "--format", "json", "testdata")
	_, b, _ := runCLI("check", "--format", "json", "testdata")
	if a != b {
		t.Error("output order is not deterministic")
	}
}

// TestCheckJSONLinksToRulePages: every diagnostic in the JSON output
// carries its page as codeDescription.href.
func TestCheckJSONLinksToRulePages(t *testing.T) {
	_, out, _ := runCLI("check", "--format", "json", "testdata/cli/project")
	var files []struct {
		File        string
		Diagnostics []struct {
			Code            string
			CodeDescription struct{ Href string }
		}
	}
	if err := json.Unmarshal([]byte(out), &files); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		for _, d := range f.Diagnostics {
			n++
			if d.CodeDescription.Href != "https://github.com/asyncapi-ls/asyncapi-ls/blob/main/docs/rules/"+d.Code+".md" {
				t.Errorf("%s: %s has href %q", f.File, d.Code, d.CodeDescription.Href)
			}
		}
	}
	if n != 5 {
		t.Errorf("%d diagnostics, want 5", n)
	}
}

// TestGitHubAnnotationEscaping: through the CLI, the file property and
// the message are escaped (internal/report tests CR and LF).
func TestGitHubAnnotationEscaping(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a,b:c%.yaml")
	text := "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nservers:\n  s: {url: u, protocol: p, security: [{\"50%\\nkey,x:y\": []}]}\nchannels: {}\n"
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI("check", "--format", "github", name)
	line := strings.Split(out, "\n")[0]
	// An absolute path inside the working folder is written relative to it,
	// as GitHub matches annotations against the repository's files.
	abs, _ := filepath.Abs("testdata/examples/payments-v2.yaml")
	if _, gh, _ := runCLI("check", "--format", "github", abs); !strings.HasPrefix(gh, "::warning file=testdata/examples/payments-v2.yaml,") {
		t.Errorf("absolute path: %s", gh)
	}
	wantFile := "file=" + strings.NewReplacer("%", "%25", ":", "%3A", ",", "%2C").Replace(filepath.ToSlash(name)) + ","
	if !strings.HasPrefix(line, "::error ") || !strings.Contains(line, wantFile) ||
		!strings.Contains(line, `,line=4,col=40,endLine=4,endColumn=53,title=security-undefined-scheme::`) ||
		!strings.Contains(line, `"50%25\nkey,x:y" is not defined`) {
		t.Errorf("annotation: %s\nwant file property %s", line, wantFile)
	}
	if strings.Count(out, "\n") != 2 {
		t.Errorf("one annotation and the summary, got:\n%s", out)
	}
}

func TestSecurityArguments(t *testing.T) {
	code, _, errs := runCLI("security", "testdata/examples/orders-v3.yaml", "testdata/examples/payments-v2.yaml")
	if code != 2 || !strings.Contains(errs, "takes exactly one FILE, got 2") {
		t.Errorf("two files: exit %d, %q", code, errs)
	}
	code, out, _ := runCLI("security", "testdata/examples/orders-v3.yaml", "--format", "json")
	if code != 0 || !strings.HasPrefix(out, "{") {
		t.Errorf("flag after the file: exit %d\n%s", code, out)
	}
}

// failingWriter fails every write, like stdout closed by `| head`.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestOutputFailureIsReported: exit 2 always comes with a message.
func TestOutputFailureIsReported(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--format", "json", "testdata/examples/orders-v3.yaml"},
		{"check", "--format", "sarif", "testdata/examples/orders-v3.yaml"},
		{"check", "--format", "github", "testdata/examples/payments-v2.yaml"},
		{"check", "testdata/examples/orders-v3.yaml"},
		{"security", "--format", "json", "testdata/examples/orders-v3.yaml"},
		{"security", "testdata/examples/orders-v3.yaml"},
	} {
		var errb bytes.Buffer
		code := run(args, strings.NewReader(""), failingWriter{}, &errb)
		if code != 2 || !strings.Contains(errb.String(), "writing the output: broken pipe") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestReadmeShowsTheRealOutput: the README's example of `check` is the
// golden text output.
func TestReadmeShowsTheRealOutput(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/cli/golden/project.text")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "$ go run . check testdata/cli/project\n"+string(want)+"```") {
		t.Errorf("README.md: the example of `go run . check testdata/cli/project` differs from testdata/cli/golden/project.text:\n%s", want)
	}
}
