package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
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
	for _, pkg := range []string{"./analysis", "./analysis/syntax", "./analysis/features"} {
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
		}
	}
}
