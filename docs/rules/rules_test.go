package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/config"
	"github.com/asyncapi-ls/asyncapi-ls/docs/rules"
)

// allCodes is every diagnostic code asyncapi-ls can publish: the analysis
// codes table and the config file's codes. Adding a code there without a
// page here fails TestEveryCodeHasAPage.
func allCodes() map[string]syntax.Severity {
	out := map[string]syntax.Severity{}
	for _, c := range analysis.Codes() {
		out[c], _ = analysis.DefaultSeverity(c)
	}
	for _, c := range config.Codes() {
		out[c], _ = config.DefaultSeverity(c)
	}
	return out
}

func TestEveryCodeHasAPage(t *testing.T) {
	codes := allCodes()
	for code := range codes {
		if rules.Page(code) == "" {
			t.Errorf("diagnostic code %s has no page: write docs/rules/%s.md (why it matters, bad/good examples, how to fix, how to turn it off)", code, code)
		}
	}
	for _, code := range rules.Codes() {
		if _, ok := codes[code]; !ok {
			t.Errorf("docs/rules/%s.md documents a code that does not exist", code)
		}
	}
	index, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for code, sev := range codes {
		if !strings.Contains(string(index), "| `"+code+"` | "+sev.String()+" | ["+code+"]("+code+".md) |") {
			t.Errorf("docs/rules/README.md lacks the row of %s (default %s)", code, sev)
		}
	}
}

var required = []string{"## Why it matters", "## Examples", "## How to fix", "## How to turn it off"}

// example is a fenced block of a page: ```yaml bad or ```yaml good (also
// json). Bad ones must produce the page's code, good ones must not, nor
// any error or warning.
type example struct {
	lang, kind, text string
}

var fence = regexp.MustCompile("(?ms)^```(yaml|json) (bad|good)\n(.*?)^```")

func examples(page string) []example {
	var out []example
	for _, m := range fence.FindAllStringSubmatch(page, -1) {
		out = append(out, example{m[1], m[2], m[3]})
	}
	return out
}

func TestPagesHaveTheirSectionsAndWorkingExamples(t *testing.T) {
	codes := make([]string, 0)
	for c := range allCodes() {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, code := range codes {
		page := rules.Page(code)
		if page == "" {
			continue // reported by TestEveryCodeHasAPage
		}
		t.Run(code, func(t *testing.T) {
			if !strings.HasPrefix(page, "# "+code+"\n") {
				t.Errorf("the page must start with the title # %s", code)
			}
			for _, h := range required {
				if !strings.Contains(page, "\n"+h+"\n") {
					t.Errorf("missing section %q", h)
				}
			}
			if s := rules.Summary(code); len(s) < 20 || !strings.HasSuffix(s, ".") {
				t.Errorf("summary (first paragraph, used by SARIF) %q is not a sentence", s)
			}
			if !strings.Contains(page, "severity:\n  "+code+": off") {
				t.Errorf("\"How to turn it off\" must show the config lines `severity:\\n  %s: off`", code)
			}
			exs := examples(page)
			kinds := map[string]int{}
			for i, ex := range exs {
				kinds[ex.kind]++
				got := diagnose(t, code, ex.text)
				has := false
				for _, d := range got {
					if d.Code == code {
						has = true
					}
				}
				switch {
				case ex.kind == "bad" && !has:
					t.Errorf("bad example %d does not produce %s (it gives %v):\n%s", i+1, code, got, ex.text)
				case ex.kind == "good":
					for _, d := range got {
						if d.Code == code || d.Severity <= syntax.SeverityWarning {
							t.Errorf("good example %d gives %s: %s\n%s", i+1, d.Code, d.Message, ex.text)
						}
					}
				}
			}
			if kinds["bad"] == 0 || kinds["good"] == 0 {
				t.Errorf("a page needs at least one bad and one good example; has %v", kinds)
			}
		})
	}
}

// diagnose runs an example through what checks it: the config loader for
// config codes, the analysis otherwise; ref-file-too-large examples are
// documents in a folder that holds shared/huge.yaml (6 MiB) and
// shared/small.yaml, read through a loader as the CLI and the server do.
func diagnose(t *testing.T, code, text string) []syntax.Diagnostic {
	if _, ok := config.DefaultSeverity(code); ok {
		return config.Parse(".asyncapi-ls.yaml", []byte(text)).Diagnostics
	}
	if code == analysis.CodeRefTooLarge {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "shared"), 0o755); err != nil {
			t.Fatal(err)
		}
		huge := "Order:\n  payload:\n    type: object\n" + strings.Repeat("# padding padding padding padding padding padding padding\n", (6<<20)/58)
		for name, body := range map[string]string{"huge.yaml": huge, "small.yaml": "Order:\n  payload:\n    type: object\n"} {
			if err := os.WriteFile(filepath.Join(dir, "shared", name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cache := workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", dir), 0)
		return analysis.AnalyzeWith([]byte(text), analysis.Options{Path: filepath.Join(dir, "doc.yaml"), Loader: cache}).Diagnostics
	}
	return analysis.Analyze([]byte(text)).Diagnostics
}
