// Command asyncapi-ls is a language server and linter for the security of
// AsyncAPI 2.x and 3.x documents.
//
//	asyncapi-ls [serve | --stdio]        serve LSP on stdin/stdout (default)
//	asyncapi-ls check [--format text|json|sarif|github] [--fail-on LEVEL] FILE|DIR|GLOB...
//	asyncapi-ls security [--format text|json|markdown] FILE
//
// Both the server and check read the project's .asyncapi-ls.yaml (package
// config).
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `asyncapi-ls: security-aware language server and linter for AsyncAPI 2.x/3.x

Usage:
  asyncapi-ls [serve] [--stdio]          serve the Language Server Protocol on stdin/stdout
  asyncapi-ls check [--format text|json|sarif|github] [--fail-on error|warning|information|hint|never] FILE|DIR|GLOB...
                                          report diagnostics; folders are searched for AsyncAPI documents,
                                          globs may use **; exit 1 on a problem at the --fail-on level
                                          (default error), 2 on usage errors and unreadable files
  asyncapi-ls security [--format text|json|markdown] FILE
                                          show the effective security of every operation
  asyncapi-ls --version | --help

Server flags --stdio and --clientProcessId=N are accepted for editor clients.
Settings: the nearest .asyncapi-ls.yaml (.yml, .json) above each document.
Rule pages: https://github.com/asyncapi-ls/asyncapi-ls/tree/main/docs/rules
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		for _, a := range args {
			switch {
			case a == "--version" || a == "-version" || a == "-v":
				fmt.Fprintln(stdout, "asyncapi-ls", version)
				return 0
			case a == "--help" || a == "-help" || a == "-h":
				fmt.Fprint(stdout, usage)
				return 0
			case a == "--stdio" || strings.HasPrefix(a, "--clientProcessId"):
			default:
				fmt.Fprintf(stderr, "asyncapi-ls: unknown flag %s\n\n%s", a, usage)
				return 2
			}
		}
		return server.Serve(stdin, stdout, stderr, version)
	case "check":
		return runCheck(args, stdout, stderr)
	case "security":
		return runSecurity(args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version":
		fmt.Fprintln(stdout, "asyncapi-ls", version)
		return 0
	}
	fmt.Fprintf(stderr, "asyncapi-ls: unknown command %q\n\n%s", cmd, usage)
	return 2
}
