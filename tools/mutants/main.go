// Command mutants writes the mutated corpus documents of internal/mutants
// to a directory, one file per mutant, plus index.tsv (file, code, pointer,
// where), so that other checkers can be run on the same mistakes
// (tools/peernoise does that for Spectral and @asyncapi/parser).
//
//	go run ./tools/mutants -corpus ../shared/corpus -out /tmp/mutants
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/internal/mutants"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "directory of the shared corpus")
	out := flag.String("out", "", "directory to write the mutants to (created)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: mutants -corpus DIR -out DIR")
		os.Exit(2)
	}
	if err := run(*corpus, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mutants:", err)
		os.Exit(1)
	}
}

func run(corpus, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var index strings.Builder
	index.WriteString("file\tsource\tcode\tpointer\twhere\n")
	for _, m := range mutants.All {
		text, err := m.Load(corpus)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, m.FileName()), text, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&index, "%s\t%s\t%s\t%s\t%s\n", m.FileName(), m.Source, m.Code, m.Pointer, m.Where)
	}
	if err := os.WriteFile(filepath.Join(out, "index.tsv"), []byte(index.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %d mutants to %s\n", len(mutants.All), out)
	return nil
}
