package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
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

// parseCommand reads a subcommand's --format flag, which must be one of
// formats (the first is the default); ok is false after a usage error,
// already reported on stderr.
func parseCommand(cmd string, args []string, formats []string, stderr io.Writer) (fs *flag.FlagSet, format string, ok bool) {
	fs = flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := fs.String("format", formats[0], "output format: "+strings.Join(formats, ", "))
	if err := fs.Parse(args); err != nil {
		return nil, "", false
	}
	for _, known := range formats {
		if *f == known {
			return fs, *f, true
		}
	}
	fmt.Fprintf(stderr, "asyncapi-ls %s: unknown format %q (use %s)\n", cmd, *f, strings.Join(formats, ", "))
	return nil, "", false
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs, format, ok := parseCommand("check", args, []string{"text", "json"}, stderr)
	if !ok {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "asyncapi-ls check: no files given\nusage: asyncapi-ls check [--format text|json] FILE...")
		return 2
	}
	exit := 0
	results := []fileDiagnostics{}
	for _, name := range fs.Args() {
		text, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "asyncapi-ls check: %v\n", err)
			exit = 2
			continue
		}
		doc := analysis.Analyze(text)
		for _, d := range doc.Diagnostics {
			if d.Severity == syntax.SeverityError && exit == 0 {
				exit = 1
			}
		}
		if format == "json" {
			results = append(results, fileDiagnostics{File: name, Diagnostics: server.DiagnosticsToLSP(fileURI(name), doc.Mapper, doc.Diagnostics)})
			continue
		}
		for _, d := range doc.Diagnostics {
			p := doc.Mapper.Position(d.Range.Start)
			fmt.Fprintf(stdout, "%s:%d:%d: %s: %s [%s]\n", name, p.Line+1, p.Character+1, d.Severity, d.Message, d.Code)
		}
	}
	if format == "json" {
		if err := writeJSON(stdout, results); err != nil {
			fmt.Fprintf(stderr, "asyncapi-ls check: %v\n", err)
			return 2
		}
	}
	return exit
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

func runSecurity(args []string, stdout, stderr io.Writer) int {
	fs, format, ok := parseCommand("security", args, []string{"text", "json", "markdown"}, stderr)
	if !ok {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: asyncapi-ls security [--format text|json|markdown] FILE")
		return 2
	}
	name := fs.Arg(0)
	text, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(stderr, "asyncapi-ls security: %v\n", err)
		return 2
	}
	doc := analysis.Analyze(text)
	if !doc.IsAsyncAPI {
		fmt.Fprintf(stderr, "asyncapi-ls security: %s is not an AsyncAPI document (no root asyncapi key)\n", name)
		return 2
	}
	report := doc.SecurityReport()
	switch format {
	case "json":
		if err := writeJSON(stdout, securityFile{File: name, Operations: report}); err != nil {
			return 2
		}
	case "markdown":
		fmt.Fprint(stdout, analysis.ReportMarkdown(name, report))
	default:
		fmt.Fprint(stdout, analysis.ReportText(name, report))
	}
	return 0
}
