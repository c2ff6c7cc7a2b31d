// Command lspbench owns the end-to-end latency benchmark of stdio language
// servers on AsyncAPI documents: it generates a document of the requested
// size (internal/docgen), starts each server, opens the document, types
// characters one by one into the description of the middle operation with
// incremental didChange, and measures open→diagnostics and
// keystroke→diagnostics latency, hover and completion latency, the server's
// CPU per keystroke and its peak memory. All servers are measured in the
// same invocation and the table shows ratios against the first one.
//
//	go run ./tools/lspbench --server /tmp/asyncapi-ls \
//	    --compare "/tmp/yls/node_modules/.bin/yaml-language-server --stdio" \
//	    --size 100KB,1MB,5MB --keystrokes 40 --json out.json
//
// See tools/lspbench/README.md for the method and how results are paired.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	specjsonschemas "github.com/asyncapi/spec-json-schemas/v6"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " | ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

type options struct {
	servers, compares, names, settings listFlag
	sizes, docs                        string
	seed                               int64
	keystrokes, hovers, completions    int
	typed                              string
	timeout, openTimeout               time.Duration
	quiet, settle, pause               time.Duration
	rounds                             int
	jsonOut, dir                       string
	schemaVersion                      string
	verbose                            bool
}

func main() {
	var o options
	fs := flag.NewFlagSet("lspbench", flag.ExitOnError)
	fs.Var(&o.servers, "server", "command line of a stdio language server (repeatable; the first one is the baseline of the ratios)")
	fs.Var(&o.compares, "compare", "like --server, listed after all --server values (repeatable)")
	fs.Var(&o.names, "name", "display name of the i-th server, in --server then --compare order (repeatable; default: program base name)")
	fs.Var(&o.names, "server-name", "alias of --name")
	fs.Var(&o.settings, "settings", `settings of the i-th server: "auto" (default: yaml-language-server gets the AsyncAPI JSON schema, others nothing), "none", a JSON object, or @file.json (repeatable)`)
	fs.StringVar(&o.sizes, "size", "1MB", "comma-separated document sizes, e.g. 100KB,1MB,5MB (KB/MB are 1024-based; plain numbers are bytes)")
	fs.StringVar(&o.docs, "doc", "", "comma-separated existing YAML files to measure instead of generated documents (typing needs an operation with a one-line description)")
	fs.Int64Var(&o.seed, "seed", 1, "docgen seed")
	fs.IntVar(&o.keystrokes, "keystrokes", 40, "characters typed, one didChange each")
	fs.StringVar(&o.typed, "type", "typing é日🙂 ", "characters typed (cycled); non-ASCII exercises UTF-16 positions")
	fs.IntVar(&o.hovers, "hovers", 20, "hover requests (on operation keys around the middle)")
	fs.IntVar(&o.completions, "completions", 20, "completion requests (inside operations' security $ref values)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "per keystroke (→diagnostics) and per request timeout")
	fs.DurationVar(&o.openTimeout, "open-timeout", 120*time.Second, "timeout of initialize and of didOpen → first diagnostics")
	fs.DurationVar(&o.quiet, "quiet", 500*time.Millisecond, "after the first diagnostics, wait until the server has published nothing for this long before typing")
	fs.DurationVar(&o.settle, "settle", 0, "after each keystroke's diagnostics, wait this long (late extra publishes are counted, not paired)")
	fs.DurationVar(&o.pause, "pause", 0, "extra pause between keystrokes")
	fs.IntVar(&o.rounds, "rounds", 1, "repeat the measurement; server order alternates each round")
	fs.StringVar(&o.jsonOut, "json", "", "write raw numbers and the summary to this JSON file")
	fs.StringVar(&o.dir, "dir", "", "keep documents, schema and server stderr logs in this directory (default: a temporary one, removed)")
	fs.StringVar(&o.schemaVersion, "schema", "3.0.0", "AsyncAPI JSON schema file given to yaml-language-server (spec-json-schemas name, e.g. 3.0.0 or 3.0.0-without-$id)")
	fs.BoolVar(&o.verbose, "v", false, "log progress, server log messages and failures to stderr")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: lspbench --server CMD [--compare CMD]... [flags]\n\n")
		fs.PrintDefaults()
	}
	_ = fs.Parse(os.Args[1:])
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "lspbench: unexpected arguments %q (quote server command lines)\n", fs.Args())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lspbench:", err)
		os.Exit(1)
	}
}

// document is one generated input.
type document struct {
	Label      string `json:"label"`
	Bytes      int    `json:"bytes"`
	Operations int    `json:"operations"`
	Path       string `json:"path"`
	text       []byte
}

// report is the --json output.
type report struct {
	Tool      string       `json:"tool"`
	Started   time.Time    `json:"started"`
	GoVersion string       `json:"go_version"`
	CPUs      int          `json:"cpus"`
	Config    any          `json:"config"`
	Servers   []ServerSpec `json:"servers"`
	Documents []document   `json:"documents"`
	Runs      []*Result    `json:"runs"`
	Summary   []summaryRow `json:"summary"`
}

func run(ctx context.Context, o options, out io.Writer) error {
	cmds := append(append([]string{}, o.servers...), o.compares...)
	if len(cmds) == 0 {
		return errors.New("no --server given")
	}
	if o.rounds < 1 {
		o.rounds = 1
	}
	sizes, err := parseSizes(o.sizes)
	if err != nil {
		return err
	}
	dir := o.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "lspbench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return err
	}
	var logw io.Writer
	if o.verbose {
		logw = os.Stderr
	}

	schemaPath := ""
	specs := make([]ServerSpec, len(cmds))
	for i, c := range cmds {
		argv, err := splitCommand(c)
		if err != nil || len(argv) == 0 {
			return fmt.Errorf("server %d: bad command line %q: %v", i+1, c, err)
		}
		specs[i] = ServerSpec{Name: filepath.Base(argv[0]), Command: argv}
		for _, a := range argv {
			if strings.Contains(filepath.Base(a), "yaml-language-server") {
				specs[i].Name = "yaml-language-server"
			}
		}
		if i < len(o.names) && o.names[i] != "" {
			specs[i].Name = o.names[i]
		}
		setting := "auto"
		if i < len(o.settings) && o.settings[i] != "" {
			setting = o.settings[i]
		}
		switch {
		case setting == "none":
		case setting == "auto":
			if specs[i].Name == "yaml-language-server" || strings.Contains(c, "yaml-language-server") {
				if schemaPath == "" {
					if schemaPath, err = writeSchema(dir, o.schemaVersion); err != nil {
						return err
					}
				}
				specs[i].Settings = yamlLanguageServerSettings(fileURI(schemaPath))
			}
		default:
			raw := []byte(setting)
			if p, ok := strings.CutPrefix(setting, "@"); ok {
				if raw, err = os.ReadFile(p); err != nil {
					return err
				}
			}
			if err := json.Unmarshal(raw, &specs[i].Settings); err != nil {
				return fmt.Errorf("--settings for server %d: %w", i+1, err)
			}
		}
	}
	seen := map[string]int{}
	for i := range specs { // names are table keys: make them unique
		seen[specs[i].Name]++
		if n := seen[specs[i].Name]; n > 1 {
			specs[i].Name += "#" + strconv.Itoa(n)
		}
	}

	rep := &report{Tool: "lspbench", Started: time.Now().UTC(), GoVersion: runtime.Version(), CPUs: runtime.NumCPU(),
		Config: map[string]any{"sizes": o.sizes, "seed": o.seed, "keystrokes": o.keystrokes, "typed": o.typed,
			"hovers": o.hovers, "completions": o.completions, "timeout": o.timeout.String(), "open_timeout": o.openTimeout.String(),
			"quiet": o.quiet.String(), "settle": o.settle.String(), "pause": o.pause.String(), "rounds": o.rounds,
			"schema": o.schemaVersion},
		Servers: specs}

	var docs []document
	if o.docs != "" {
		for _, p := range strings.Split(o.docs, ",") {
			text, err := os.ReadFile(strings.TrimSpace(p))
			if err != nil {
				return err
			}
			label := filepath.Base(strings.TrimSpace(p))
			docs = append(docs, document{Label: label, Bytes: len(text), Operations: len(docgen.Operations(text)),
				Path: filepath.Join(dir, label), text: text})
		}
	} else {
		for _, size := range sizes {
			text := docgen.Generate(docgen.Options{TargetBytes: size.bytes, Seed: o.seed})
			docs = append(docs, document{Label: size.label, Bytes: len(text), Operations: len(docgen.Operations(text)),
				Path: filepath.Join(dir, "asyncapi-"+size.label+".yaml"), text: text})
		}
	}
	for _, doc := range docs {
		text := doc.text
		if err := os.WriteFile(doc.Path, text, 0o644); err != nil {
			return err
		}
		rep.Documents = append(rep.Documents, doc)
		for round := 0; round < o.rounds; round++ {
			order := make([]int, len(specs))
			for i := range order {
				order[i] = i
			}
			if round%2 == 1 {
				slices.Reverse(order)
			}
			for _, si := range order {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				spec := specs[si]
				fmt.Fprintf(os.Stderr, "lspbench: %s on %s (%d bytes), round %d/%d\n", spec.Name, doc.Label, len(text), round+1, o.rounds)
				cfg := RunConfig{Text: text, Path: doc.Path, LanguageID: "yaml", Keystrokes: o.keystrokes, Typed: o.typed,
					Hovers: o.hovers, Completions: o.completions, Timeout: o.timeout, OpenTimeout: o.openTimeout,
					Quiet: o.quiet, Settle: o.settle, Pause: o.pause, Log: logw,
					StderrPath: filepath.Join(dir, fmt.Sprintf("%s-%s-r%d.stderr.log", sanitize(spec.Name), sanitize(doc.Label), round+1))}
				res, err := Run(ctx, spec, cfg)
				res.Round, res.Document = round+1, doc.Label
				if err != nil {
					res.Error = err.Error()
					fmt.Fprintf(os.Stderr, "lspbench: %s: %v (server stderr: %s)\n", spec.Name, err, tail(cfg.StderrPath, 400))
				}
				rep.Runs = append(rep.Runs, res)
			}
		}
	}
	rep.Summary = summarize(specs, rep.Documents, rep.Runs)
	printTable(out, rep, o)
	if o.jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	failed := 0
	for _, r := range rep.Runs {
		if r.Error != "" {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d runs failed (see the notes above)", failed, len(rep.Runs))
	}
	return nil
}

// yamlLanguageServerSettings associates the AsyncAPI schema with every
// .yaml file and turns validation, hover and completion on; the schema
// store (network) and formatting are off.
func yamlLanguageServerSettings(schemaURI string) map[string]any {
	return map[string]any{
		"yaml": map[string]any{
			"validate":    true,
			"hover":       true,
			"completion":  true,
			"format":      map[string]any{"enable": false},
			"schemaStore": map[string]any{"enable": false},
			"schemas":     map[string]any{schemaURI: []string{"*.yaml", "*.yml"}},
		},
		"redhat": map[string]any{"telemetry": map[string]any{"enabled": false}},
	}
}

func writeSchema(dir, version string) (string, error) {
	raw, err := specjsonschemas.Get(version) // racy: called once, here
	if err != nil {
		return "", err
	}
	if raw == nil {
		return "", fmt.Errorf("spec-json-schemas has no schema %q", version)
	}
	p := filepath.Join(dir, "asyncapi-"+sanitize(version)+".json")
	return p, os.WriteFile(p, raw, 0o644)
}

type sizeSpec struct {
	label string
	bytes int
}

// parseSizes parses "100KB,1MB,5MB" (1024-based units; K, KB, KiB, M, MB,
// MiB; fractional values allowed; plain numbers are bytes).
func parseSizes(s string) ([]sizeSpec, error) {
	var out []sizeSpec
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		i := strings.IndexFunc(part, func(r rune) bool { return unicode.IsLetter(r) })
		num, unit := part, ""
		if i >= 0 {
			num, unit = part[:i], strings.ToUpper(part[i:])
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("bad size %q", part)
		}
		mult := 1.0
		switch unit {
		case "", "B":
		case "K", "KB", "KIB":
			mult = 1 << 10
		case "M", "MB", "MIB":
			mult = 1 << 20
		default:
			return nil, fmt.Errorf("bad size unit in %q", part)
		}
		out = append(out, sizeSpec{label: part, bytes: int(v * mult)})
	}
	if len(out) == 0 {
		return nil, errors.New("no --size")
	}
	return out, nil
}

// splitCommand splits a command line like a POSIX shell would for simple
// cases: whitespace separates words, single and double quotes group,
// backslash escapes outside single quotes. No expansion happens.
func splitCommand(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case quote == '"':
			if r == '"' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return nil, errors.New("unterminated quote or escape")
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return "empty"
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}

// summaryRow is one metric of one server on one document.
type summaryRow struct {
	Document string  `json:"document"`
	Server   string  `json:"server"`
	Metric   string  `json:"metric"`
	Unit     string  `json:"unit"`
	N        int     `json:"n"`
	Median   float64 `json:"median"`
	P90      float64 `json:"p90"`
	Max      float64 `json:"max"`
	// Ratio is Median / the first server's Median (0 when undefined).
	Ratio float64 `json:"ratio_to_first"`
	Note  string  `json:"note,omitempty"`
}

type metric struct {
	name, unit string
	values     func(r *Result) []float64
	note       func(rs []*Result) string
}

var metrics = []metric{
	{"open→diagnostics", "ms", func(r *Result) []float64 {
		if r.OpenFailed || r.OpenMs == 0 && r.Error != "" {
			return nil
		}
		return []float64{r.OpenMs}
	}, func(rs []*Result) string {
		note := countNote(rs, func(r *Result) int { return b2i(r.OpenFailed) }, "timeouts")
		if len(rs) > 0 && rs[0].OpenMs > 0 {
			note += fmt.Sprintf("%d diagnostics ", rs[0].OpenDiags)
		}
		return note
	}},
	{"keystroke→diagnostics", "ms", func(r *Result) []float64 { return r.KeystrokeMs },
		func(rs []*Result) string {
			return countNote(rs, func(r *Result) int { return r.KeystrokeTimeouts }, "timeouts") +
				countNote(rs, func(r *Result) int { return r.ExtraPublishes }, "extra publishes")
		}},
	{"server CPU per keystroke", "ms", func(r *Result) []float64 { return r.KeystrokeCPUMs }, nil},
	{"hover", "ms", func(r *Result) []float64 { return r.HoverMs },
		func(rs []*Result) string {
			return countNote(rs, func(r *Result) int { return r.HoverFailed }, "failed") +
				countNote(rs, func(r *Result) int { return r.HoverEmpty }, "empty")
		}},
	{"completion", "ms", func(r *Result) []float64 { return r.CompletionMs },
		func(rs []*Result) string {
			return countNote(rs, func(r *Result) int { return r.CompletionFailed }, "failed") +
				countNote(rs, func(r *Result) int { return r.CompletionEmpty }, "empty")
		}},
	{"peak RSS", "MiB", func(r *Result) []float64 {
		if r.PeakRSSBytes == 0 || r.OpenMs == 0 { // a server that never served says nothing of its memory
			return nil
		}
		return []float64{float64(r.PeakRSSBytes) / (1 << 20)}
	}, func(rs []*Result) string {
		if len(rs) == 0 || rs[0].PeakRSSBytes == 0 {
			return ""
		}
		return fmt.Sprintf("%.1fx document ", float64(rs[0].PeakRSSBytes)/float64(rs[0].SizeBytes))
	}},
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func countNote(rs []*Result, f func(*Result) int, label string) string {
	n := 0
	for _, r := range rs {
		n += f(r)
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d %s ", n, label)
}

func summarize(specs []ServerSpec, docs []document, runs []*Result) []summaryRow {
	var rows []summaryRow
	for _, d := range docs {
		for _, m := range metrics {
			base := math.NaN()
			for si, s := range specs {
				var rs []*Result
				var vals []float64
				for _, r := range runs {
					if r.Server == s.Name && r.Document == d.Label {
						rs = append(rs, r)
						vals = append(vals, m.values(r)...)
					}
				}
				row := summaryRow{Document: d.Label, Server: s.Name, Metric: m.name, Unit: m.unit, N: len(vals)}
				if len(vals) > 0 {
					row.Median, row.P90, row.Max = percentile(vals, 0.5), percentile(vals, 0.9), slices.Max(vals)
				}
				if si == 0 && len(vals) > 0 {
					base = row.Median
				}
				if len(vals) > 0 && base > 0 {
					row.Ratio = row.Median / base
				}
				if m.note != nil {
					row.Note = strings.TrimSpace(m.note(rs))
				}
				for _, r := range rs {
					if r.Error != "" && m.name == "open→diagnostics" {
						row.Note = strings.TrimSpace(row.Note + " error: " + truncate(r.Error, 80))
					}
				}
				rows = append(rows, row)
			}
		}
	}
	return rows
}

// percentile uses the nearest-rank method (p in (0,1]).
func percentile(v []float64, p float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func printTable(w io.Writer, rep *report, o options) {
	for _, d := range rep.Documents {
		fmt.Fprintf(w, "\n## %s document: %d bytes, %d operations; %d keystrokes, %d hovers, %d completions, %d round(s)\n\n",
			d.Label, d.Bytes, d.Operations, o.keystrokes, o.hovers, o.completions, o.rounds)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "metric\tserver\tn\tmedian\tp90\tmax\tratio\tnotes\t")
		last := ""
		for _, r := range rep.Summary {
			if r.Document != d.Label {
				continue
			}
			name := ""
			if r.Metric != last {
				name = r.Metric + " (" + r.Unit + ")"
				last = r.Metric
			}
			if r.N == 0 {
				fmt.Fprintf(tw, "%s\t%s\t0\t-\t-\t-\t-\t%s\t\n", name, r.Server, r.Note)
				continue
			}
			ratio := "-"
			if r.Ratio > 0 {
				ratio = num(r.Ratio) + "x"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", name, r.Server, r.N,
				num(r.Median), num(r.P90), num(r.Max), ratio, r.Note)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nratio = median / median of %s (first server); all servers measured in this run.\n", rep.Servers[0].Name)
}

func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}
