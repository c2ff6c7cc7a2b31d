package config

import (
	"path/filepath"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/pathglob"
)

// Apply re-grades and filters a document's diagnostics: first the rules'
// options (which drop findings the user accepted), then the severity
// overrides ("off" drops a code). overrides are severities from elsewhere
// (the editor's settings) for codes this config does not set: the config
// file wins, so the editor shows what the CLI in CI reports. A nil Config
// applies overrides alone.
func (c *Config) Apply(doc *analysis.Document, diags []syntax.Diagnostic, overrides map[string]string) []syntax.Diagnostic {
	var sev map[string]string
	var ignoredSchemes []string
	if c != nil {
		sev = c.Severity
		ignoredSchemes = c.Strings(analysis.CodeUnusedScheme, "ignore")
	}
	if len(sev) == 0 && len(overrides) == 0 && len(ignoredSchemes) == 0 {
		return diags
	}
	out := make([]syntax.Diagnostic, 0, len(diags))
	for _, d := range diags {
		if d.Code == analysis.CodeUnusedScheme && len(ignoredSchemes) > 0 && unusedSchemeIgnored(doc, d, ignoredSchemes) {
			continue
		}
		name, ok := sev[d.Code]
		if !ok {
			name, ok = overrides[d.Code]
		}
		if ok {
			s, valid := syntax.ParseSeverity(name)
			if !valid {
				out = append(out, d)
				continue
			}
			if s == 0 {
				continue
			}
			d.Severity = s
		}
		out = append(out, d)
	}
	return out
}

// unusedSchemeIgnored reports whether d is about a scheme whose name the
// rule's `ignore` option lists. The diagnostic sits on the scheme's key.
func unusedSchemeIgnored(doc *analysis.Document, d syntax.Diagnostic, names []string) bool {
	if doc == nil {
		return false
	}
	for _, s := range doc.Schemes {
		if s.Key != nil && doc.R(s.Key) == d.Range {
			return contains(names, s.Name)
		}
	}
	return false
}

// Ignored reports whether the document at name (an OS path, absolute or
// relative to the working folder like Dir) matches an `ignore` pattern.
// Patterns are relative to the config file's folder; a pattern that
// matches a folder ignores everything below it.
func (c *Config) Ignored(name string) bool {
	if c == nil || len(c.Ignore) == 0 {
		return false
	}
	dir, err1 := filepath.Abs(c.Dir)
	file, err2 := filepath.Abs(name)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, pat := range c.Ignore {
		for p := rel; p != "." && p != ""; p = parent(p) {
			if pathglob.Match(pat, p) {
				return true
			}
		}
	}
	return false
}

func parent(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}
