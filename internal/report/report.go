// Package report writes the results of `asyncapi-ls check` for people and
// for CI: plain text with a summary line, GitHub Actions workflow
// commands, and SARIF 2.1.0 (code scanning). The JSON format, which is the
// LSP Diagnostic itself, is written by the CLI through server's
// conversion.
//
// Lines and columns are 1-based here, columns in UTF-16 code units as
// editors and LSP count them (SARIF says so with columnKind).
//
// Who may depend on it: main (the CLI) and tests.
package report

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// File is one checked file and its diagnostics (already filtered and
// re-graded by the configuration).
type File struct {
	// Path is as the user gave or the walk found it (OS separators).
	Path        string
	Mapper      *syntax.Mapper
	Diagnostics []syntax.Diagnostic
	// Config marks a config file reported for its own problems; it is
	// not counted among the checked documents.
	Config bool
}

// span is a diagnostic's 1-based region.
type span struct{ line, col, endLine, endCol int }

func spanOf(m *syntax.Mapper, r syntax.Range) span {
	pr := m.PosRange(r)
	return span{pr.Start.Line + 1, pr.Start.Character + 1, pr.End.Line + 1, pr.End.Character + 1}
}

// slash is a path as CI tools want it: forward slashes.
func slash(p string) string { return filepath.ToSlash(p) }

// relativeTo returns path relative to root, with forward slashes, when it
// is inside root; otherwise path itself (absolute if it can be made so).
func relativeTo(path, root string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return slash(path)
	}
	if rootAbs, err := filepath.Abs(root); err == nil {
		if rel, err := filepath.Rel(rootAbs, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return slash(rel)
		}
	}
	return slash(abs)
}

// Text writes `file:line:col: severity: message [code]` lines, then the
// summary line.
func Text(w io.Writer, files []File) error {
	ew := &errWriter{w: w}
	for _, f := range files {
		for _, d := range f.Diagnostics {
			s := spanOf(f.Mapper, d.Range)
			ew.printf("%s:%d:%d: %s: %s [%s]\n", f.Path, s.line, s.col, d.Severity, d.Message, d.Code)
		}
	}
	ew.printf("%s\n", Summary(files))
	return ew.err
}

// Summary is one line: how many documents were checked and what was
// found, e.g. "3 files checked: 2 errors, 1 warning in 1 file".
func Summary(files []File) string {
	docs, withProblems := 0, 0
	counts := map[syntax.Severity]int{}
	for _, f := range files {
		if !f.Config {
			docs++
		}
		if len(f.Diagnostics) > 0 {
			withProblems++
		}
		for _, d := range f.Diagnostics {
			counts[d.Severity]++
		}
	}
	head := plural(docs, "file") + " checked"
	if docs == 0 {
		head = "no AsyncAPI documents found"
	}
	var parts []string
	for _, s := range []syntax.Severity{syntax.SeverityError, syntax.SeverityWarning, syntax.SeverityInformation, syntax.SeverityHint} {
		if n := counts[s]; n > 0 {
			parts = append(parts, plural(n, s.String()))
		}
	}
	if len(parts) == 0 {
		return head + ": no problems"
	}
	return fmt.Sprintf("%s: %s in %s", head, strings.Join(parts, ", "), plural(withProblems, "file"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if word == "information" {
		return fmt.Sprintf("%d information", n)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// GitHub writes one workflow command per diagnostic, which GitHub Actions
// turns into annotations on the pull request, then the summary line (a
// plain log line). Paths inside root (the working folder, which is the
// repository in a workflow) are written relative to it, as GitHub matches
// them against the repository's files.
func GitHub(w io.Writer, files []File, root string) error {
	ew := &errWriter{w: w}
	for _, f := range files {
		for _, d := range f.Diagnostics {
			s := spanOf(f.Mapper, d.Range)
			cmd := "notice"
			switch d.Severity {
			case syntax.SeverityError:
				cmd = "error"
			case syntax.SeverityWarning:
				cmd = "warning"
			}
			// GitHub's endColumn is inclusive: the last character's column
			// (an empty range marks the character at its start).
			endCol := max(s.endCol-1, 1)
			if s.endLine == s.line {
				endCol = max(endCol, s.col)
			}
			ew.printf("::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n",
				cmd, escapeProperty(relativeTo(f.Path, root)), s.line, s.col, s.endLine, endCol,
				escapeProperty(d.Code), escapeData(d.Message))
		}
	}
	ew.printf("%s\n", Summary(files))
	return ew.err
}

// escapeData escapes a workflow command's message as the Actions toolkit
// does (%, CR, LF).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value: also ':'
// and ',', which would end it.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// FailsOn reports whether any diagnostic is at least as severe as
// threshold (1 error ... 4 hint); 0 never fails.
func FailsOn(files []File, threshold syntax.Severity) bool {
	if threshold == 0 {
		return false
	}
	for _, f := range files {
		for _, d := range f.Diagnostics {
			if d.Severity >= syntax.SeverityError && d.Severity <= threshold {
				return true
			}
		}
	}
	return false
}

// Sort orders files by path (as compared with forward slashes), so the
// output is the same whatever the order of work.
func Sort(files []File) {
	sort.SliceStable(files, func(i, j int) bool { return slash(files[i].Path) < slash(files[j].Path) })
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
