package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/config"
	"github.com/asyncapi-ls/asyncapi-ls/internal/pathglob"
	"github.com/asyncapi-ls/asyncapi-ls/internal/report"
	"github.com/asyncapi-ls/asyncapi-ls/server"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"go.lsp.dev/uri"
)

// fileDiagnostics is the JSON shape of `check --format json`: per file, the
// exact LSP Diagnostic objects the server publishes.
type fileDiagnostics struct {
	File        string                `json:"file"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

// command is a subcommand's parsed flags: --format (one of formats, the
// first is the default) and, for check, --fail-on. Flags may come before,
// between or after the FILE arguments.
type command struct {
	name   string
	format string
	failOn syntax.Severity
	args   []string
}

var failOnLevels = []string{"error", "warning", "information", "hint", "never"}

// parseCommand reads a subcommand's flags; ok is false after a usage
// error, already reported on stderr.
func parseCommand(cmd string, args []string, formats []string, withFailOn bool, stderr io.Writer) (c command, ok bool) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", formats[0], "output format: "+strings.Join(formats, ", "))
	var failOn *string
	if withFailOn {
		failOn = fs.String("fail-on", "error", "lowest severity that makes the exit code 1: "+strings.Join(failOnLevels, ", "))
	}
	c.name = cmd
	for {
		if err := fs.Parse(args); err != nil {
			return c, false
		}
		if fs.NArg() == 0 {
			break
		}
		c.args = append(c.args, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if !contains(formats, *format) {
		fmt.Fprintf(stderr, "asyncapi-ls %s: unknown format %q (use %s)\n", cmd, *format, strings.Join(formats, ", "))
		return c, false
	}
	c.format = *format
	if withFailOn {
		if !contains(failOnLevels, *failOn) {
			fmt.Fprintf(stderr, "asyncapi-ls %s: unknown --fail-on %q (use %s)\n", cmd, *failOn, strings.Join(failOnLevels, ", "))
			return c, false
		}
		c.failOn, _ = syntax.ParseSeverity(*failOn) // "never" is 0
	}
	return c, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeJSON writes v indented; a failure is reported on stderr.
func writeJSON(cmd string, w, stderr io.Writer, v any) bool {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "asyncapi-ls %s: writing the output: %v\n", cmd, err)
		return false
	}
	return true
}

const checkUsage = "usage: asyncapi-ls check [--format text|json|sarif|github] [--fail-on error|warning|information|hint|never] FILE|DIR|GLOB..."

// target is a file to check. explicit files were named on the command
// line; the others were found by walking a folder or expanding a glob, and
// are checked only if they are AsyncAPI documents.
type target struct {
	path     string
	explicit bool
	tree     string // the folder (or a glob's fixed prefix) it was found under; "" for a named file (cliroots.go)
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	c, ok := parseCommand("check", args, []string{"text", "json", "sarif", "github"}, true, stderr)
	if !ok {
		fmt.Fprintln(stderr, checkUsage)
		return 2
	}
	if len(c.args) == 0 {
		fmt.Fprintln(stderr, "asyncapi-ls check: no files given\n"+checkUsage)
		return 2
	}
	exit := 0
	targets, errs := collectTargets(c.args)
	for _, err := range errs {
		fmt.Fprintf(stderr, "asyncapi-ls check: %v\n", err)
		exit = 2
	}
	var configs config.Loader
	files, errs := checkFiles(targets, &configs)
	for _, err := range errs {
		fmt.Fprintf(stderr, "asyncapi-ls check: %v\n", err)
		exit = 2
	}
	// A config file with problems is reported like a document.
	for p, res := range configs.Loaded() {
		if len(res.Diagnostics) > 0 {
			files = append(files, report.File{Path: relPath(p), Mapper: res.Mapper, Diagnostics: res.Diagnostics, Config: true})
		}
	}
	report.Sort(files)
	var err error
	switch c.format {
	case "json":
		out := make([]fileDiagnostics, 0, len(files))
		for _, f := range files {
			out = append(out, fileDiagnostics{File: f.Path, Diagnostics: server.DiagnosticsToLSP(fileURI(f.Path), f.Mapper, f.Diagnostics)})
		}
		if !writeJSON("check", stdout, stderr, out) {
			return 2
		}
	case "sarif":
		err = report.SARIF(stdout, files, knownCodes(), version, ".")
	case "github":
		err = report.GitHub(stdout, files, ".")
	default:
		err = report.Text(stdout, files)
	}
	if err != nil {
		fmt.Fprintf(stderr, "asyncapi-ls check: writing the output: %v\n", err)
		return 2
	}
	if exit == 0 && report.FailsOn(files, c.failOn) {
		exit = 1
	}
	return exit
}

// knownCodes maps every diagnostic code the CLI can print to its default
// severity: the analysis codes and the config file's.
func knownCodes() map[string]syntax.Severity {
	out := map[string]syntax.Severity{}
	for _, c := range analysis.Codes() {
		out[c], _ = analysis.DefaultSeverity(c)
	}
	for _, c := range config.Codes() {
		out[c], _ = config.DefaultSeverity(c)
	}
	return out
}

// collectTargets expands the FILE arguments: files as given, folders
// walked recursively (YAML and JSON files), globs (with **) matched from
// their fixed leading folder. Paths are cleaned and deduplicated.
func collectTargets(args []string) (targets []target, errs []error) {
	seen := map[string]int{}
	var tree string
	add := func(p string, explicit bool) {
		p = filepath.Clean(p)
		if i, ok := seen[p]; ok {
			targets[i].explicit = targets[i].explicit || explicit
			return
		}
		seen[p] = len(targets)
		targets = append(targets, target{path: p, explicit: explicit, tree: tree})
	}
	for _, arg := range args {
		tree = checkedTree(arg)
		st, err := os.Stat(arg)
		switch {
		case err == nil && st.IsDir():
			werr := filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					errs = append(errs, err)
					return nil
				}
				if d.IsDir() {
					if p != arg && skipDir(d.Name()) {
						return filepath.SkipDir
					}
					return nil
				}
				if isDocumentName(p) && d.Type().IsRegular() {
					add(p, false)
				}
				return nil
			})
			if werr != nil {
				errs = append(errs, werr)
			}
		case err == nil || !pathglob.HasMeta(arg):
			add(arg, true) // a missing file is reported when it is read
		default:
			matches, gerr := expandGlob(arg)
			if gerr != nil {
				errs = append(errs, gerr)
			}
			if len(matches) == 0 && gerr == nil {
				errs = append(errs, fmt.Errorf("%s: no file matches", arg))
			}
			for _, m := range matches {
				add(m, false)
			}
		}
	}
	return targets, errs
}

// skipDir names folders a walk does not enter: hidden ones (.git) and
// installed dependencies.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor"
}

func isDocumentName(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return !config.IsConfigFile(p)
	}
	return false
}

// expandGlob returns the files matching a pattern with `**`.
func expandGlob(pattern string) ([]string, error) {
	pat := filepath.ToSlash(pattern)
	if !pathglob.Valid(pat) {
		return nil, fmt.Errorf("%s: malformed glob pattern", pattern)
	}
	base, _ := pathglob.Base(pat)
	var out []string
	err := filepath.WalkDir(filepath.FromSlash(base), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == filepath.FromSlash(base) && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return nil
		}
		if d.IsDir() {
			if p != filepath.FromSlash(base) && skipDir(d.Name()) && !strings.Contains(pat, "/"+d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && pathglob.Match(pat, filepath.ToSlash(p)) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// checkFiles analyzes the targets in parallel (at most GOMAXPROCS at a
// time) and returns their results in the targets' order. A document that
// its config file ignores, or a found file that is not AsyncAPI, is left
// out.
func checkFiles(targets []target, configs *config.Loader) ([]report.File, []error) {
	type result struct {
		file report.File
		keep bool
		err  error
	}
	results := make([]result, len(targets))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(targets), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				t := targets[i]
				cfgRes, _ := configs.For(t.path, "")
				var cfg *config.Config
				if cfgRes != nil {
					cfg = cfgRes.Config
				}
				if !t.explicit && cfg.Ignored(t.path) {
					continue
				}
				text, err := os.ReadFile(t.path)
				if err != nil {
					results[i].err = err
					continue
				}
				doc := analysis.AnalyzeWith(text, refOptions(t.path, t.tree))
				if !t.explicit && !doc.IsAsyncAPI {
					continue
				}
				results[i] = result{keep: true, file: report.File{
					Path: t.path, Mapper: doc.Mapper,
					Diagnostics: cfg.Apply(doc, doc.Diagnostics, nil),
				}}
			}
		}()
	}
	for i := range targets {
		work <- i
	}
	close(work)
	wg.Wait()
	var files []report.File
	var errs []error
	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
		}
		if r.keep {
			files = append(files, r.file)
		}
	}
	return files, errs
}

// relPath shows a path relative to the working folder when it is inside.
func relPath(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return p
}

func fileURI(name string) string {
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	return string(uri.File(abs))
}

// securityFile is the JSON shape of `security --format json`.
type securityFile struct {
	File       string                     `json:"file"`
	Operations []analysis.OperationReport `json:"operations"`
}

const securityUsage = "usage: asyncapi-ls security [--format text|json|markdown] FILE"

func runSecurity(args []string, stdout, stderr io.Writer) int {
	c, ok := parseCommand("security", args, []string{"text", "json", "markdown"}, false, stderr)
	if !ok {
		fmt.Fprintln(stderr, securityUsage)
		return 2
	}
	if len(c.args) != 1 {
		what := "no FILE given"
		if len(c.args) > 1 {
			what = fmt.Sprintf("takes exactly one FILE, got %d (%s)", len(c.args), strings.Join(c.args, " "))
		}
		fmt.Fprintf(stderr, "asyncapi-ls security: %s\n%s\n", what, securityUsage)
		return 2
	}
	name := c.args[0]
	text, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(stderr, "asyncapi-ls security: %v\n", err)
		return 2
	}
	doc := analysis.AnalyzeWith(text, refOptions(name, ""))
	if !doc.IsAsyncAPI {
		fmt.Fprintf(stderr, "asyncapi-ls security: %s is not an AsyncAPI document (no root asyncapi key)\n", name)
		return 2
	}
	rep := doc.SecurityReport()
	var out string
	switch c.format {
	case "json":
		if !writeJSON("security", stdout, stderr, securityFile{File: name, Operations: rep}) {
			return 2
		}
		return 0
	case "markdown":
		out = analysis.ReportMarkdown(name, rep)
	default:
		out = analysis.ReportText(name, rep)
	}
	if _, err := io.WriteString(stdout, out); err != nil {
		fmt.Fprintf(stderr, "asyncapi-ls security: writing the output: %v\n", err)
		return 2
	}
	return 0
}
