// Package rules ships the documentation page of every diagnostic code
// (docs/rules/<code>.md, embedded) and the stable URL of each page, which
// every diagnostic carries as its LSP codeDescription.href and SARIF
// helpUri.
//
// A test makes each code in analysis.Codes and config.Codes have a page,
// each page a code, and each page's examples produce (bad) or not produce
// (good) its code: adding a code without its page fails the build.
//
// Who may depend on it: server (convert.go), main (the CLI reports). It
// depends on the standard library only.
package rules

import (
	"embed"
	"strings"
)

// BaseURL is where the pages are published; a code's page is
// BaseURL + code + ".md". Never change it: editors and CI results keep
// these links.
const BaseURL = "https://github.com/asyncapi-ls/asyncapi-ls/blob/main/docs/rules/"

//go:embed *.md
var pages embed.FS

// URL returns the documentation page of a diagnostic code.
func URL(code string) string { return BaseURL + code + ".md" }

// Page returns the Markdown page of a code ("" if there is none).
func Page(code string) string {
	b, err := pages.ReadFile(code + ".md")
	if err != nil {
		return ""
	}
	return string(b)
}

// Summary returns the one-sentence summary of a code: the first paragraph
// of its page after the title and the metadata line.
func Summary(code string) string {
	for _, para := range strings.Split(Page(code), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" || strings.HasPrefix(para, "#") || strings.HasPrefix(para, ">") {
			continue
		}
		return strings.Join(strings.Fields(para), " ")
	}
	return ""
}

// Codes lists the codes that have a page.
func Codes() []string {
	entries, _ := pages.ReadDir(".")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".md"); ok && name != "README" {
			out = append(out, name)
		}
	}
	return out
}
