package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/internal/wstest"
	"go.lsp.dev/uri"
)

// TestCheckFollowsRefsInTheRepository: check and security read the files a
// document's $refs name inside its repository (a .git directory marks the
// fixture's root as one) and nothing outside it.
func TestCheckFollowsRefsInTheRepository(t *testing.T) {
	w := wstest.Setup(t, "testdata/multifile/ws")
	if err := os.Mkdir(filepath.Join(w.Root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	doc := w.Path("api/orders.yaml")
	code, out, errs := runCLI("check", "--format", "json", doc)
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	var files []struct {
		Diagnostics []struct {
			Code               string
			Message            string
			RelatedInformation []struct{ Location struct{ URI string } }
		}
	}
	if err := json.Unmarshal([]byte(out), &files); err != nil || len(files) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	count := map[string]int{}
	for _, d := range files[0].Diagnostics {
		count[d.Code]++
		if d.Code == "security-undefined-scope" {
			if len(d.RelatedInformation) == 0 || d.RelatedInformation[0].Location.URI != string(uri.File(w.Path("shared/security.yaml"))) {
				t.Errorf("related information of %s: %+v", d.Message, d.RelatedInformation)
			}
		}
		if strings.Contains(d.Message, "padding") || strings.Contains(d.Message, "secret") && d.Code != "ref-outside-workspace" {
			t.Errorf("a refused file was read: %s", d.Message)
		}
	}
	want := map[string]int{"security-undefined-scope": 1, "security-scheme-field": 2, "security-ref-target": 1, "yaml-syntax": 1, "security-undefined-scheme": 1,
		"ref-unresolved": 2, "ref-outside-workspace": 2, "ref-remote": 1, "ref-file-too-large": 1}
	for c, n := range want {
		if count[c] != n {
			t.Errorf("%s: %d diagnostics, want %d (all: %v)", c, count[c], n, count)
		}
	}

	code, out, errs = runCLI("security", doc)
	if code != 0 || !strings.Contains(out, "production (kafka-secure)") || !strings.Contains(out, "saslScram (scramSha512)") {
		t.Errorf("security: exit %d\n%s%s", code, out, errs)
	}
}

// TestCheckWithoutRepositoryStaysInTheDirectory: outside a repository only
// the checked document's directory is read: a $ref that climbs out of it is
// refused.
func TestCheckWithoutRepositoryStaysInTheDirectory(t *testing.T) {
	w := wstest.Setup(t, "testdata/multifile/ws")
	_, out, _ := runCLI("check", w.Path("api/payments-v2.yaml"))
	if !strings.Contains(out, "[ref-outside-workspace]") || strings.Contains(out, "orders:admin") {
		t.Errorf("check outside a repository:\n%s", out)
	}
}

// TestCheckFolderIsTheRoot: checking a folder allows $refs anywhere below
// it (no repository needed) and nothing above it.
func TestCheckFolderIsTheRoot(t *testing.T) {
	w := wstest.Setup(t, "testdata/multifile/ws")
	_, out, errs := runCLI("check", w.Root)
	for _, want := range []string{"orders:admin", "orders:delete", "[ref-outside-workspace]", "payments-v2.yaml", "orders.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("check %s lacks %q:\n%s%s", w.Root, want, out, errs)
		}
	}
	if strings.Contains(out, "servers-v2.yaml: the path leads outside") {
		t.Errorf("a file inside the checked folder was refused:\n%s", out)
	}
}
