// Command lspbench owns the end-to-end latency benchmark of stdio language
// servers on AsyncAPI documents: it generates documents of the requested
// shapes, sizes and formats (internal/docgen), and for every typing place
// (docgen.Places: component text, a half-typed security item, text after a
// flow mapping, a JSON string, a half-typed JSON member) starts each
// server, opens the document, types the place's keystrokes one by one with
// incremental didChange, and measures keystroke→diagnostics latency, the
// server's CPU per keystroke, hover and completion latency in the typed
// (often broken) state, open→diagnostics of the valid document and of the
// typed state (cold), and peak memory. All servers are measured in the same
// invocation; the Markdown tables show the places side by side and the
// ratios against the first server.
//
//	go run ./tools/lspbench --server /tmp/asyncapi-ls \
//	    --compare "/tmp/yls/node_modules/.bin/yaml-language-server --stdio" \
//	    --shape v3,v26,wide --format yaml,json --places a,b,c,d \
//	    --size 100KB,1MB,5MB --json out.json --md out.md
//
// See tools/lspbench/README.md for the method and how results are paired.
package main

import (
	"bytes"
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
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
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
	shapes, formats, places            string
	cold                               bool
	seed                               int64
	keystrokes, hovers, completions    int
	typed                              string
	timeout, openTimeout               time.Duration
	quiet, settle, pause               time.Duration
	rounds                             int
	jsonOut, mdOut, dir                string
	schemaVersion                      string
	verbose                            bool
	methods                            bool // --methods: every feature method on one document
	times                              int  // calls per method in --methods
}

func main() {
	var o options
	fs := flag.NewFlagSet("lspbench", flag.ExitOnError)
	fs.Var(&o.servers, "server", "command line of a stdio language server (repeatable; the first one is the baseline of the ratios)")
	fs.Var(&o.compares, "compare", "like --server, listed after all --server values (repeatable)")
	fs.Var(&o.names, "name", "display name of the i-th server, in --server then --compare order (repeatable; default: program base name)")
	fs.Var(&o.names, "server-name", "alias of --name")
	fs.Var(&o.settings, "settings", `settings of the i-th server: "auto" (default: yaml-language-server gets the AsyncAPI JSON schema of the document's version, others nothing), "none", a JSON object, or @file.json (repeatable)`)
	fs.StringVar(&o.sizes, "size", "1MB", "comma-separated document sizes, e.g. 100KB,1MB,5MB (KB/MB are 1024-based; plain numbers are bytes)")
	fs.StringVar(&o.shapes, "shape", "v3", "comma-separated document shapes: v3 (AsyncAPI 3.0), v26 (AsyncAPI 2.6), wide (3.0, many channels and components, few operations), or all")
	fs.StringVar(&o.formats, "format", "yaml,json", "comma-separated formats of the generated documents: yaml (places o, a, b, c, s, n), json (places d1, d2), minjson (minified one-line JSON: places m1, m2)")
	fs.StringVar(&o.places, "places", "a,b,c,d", "comma-separated typing places: o (operation description), a (component text), b (half-typed security item), c (after a flow mapping), s (security scheme description), n (new OAuth scope line), d (= d1,d2: JSON string, JSON member), m (= m1,m2: the same in minified JSON), or all")
	fs.BoolVar(&o.cold, "cold", true, "also measure a cold open (fresh server) of the text typing left behind, for the places that leave it broken (b, c, d2)")
	fs.StringVar(&o.docs, "doc", "", "comma-separated existing YAML/JSON files to measure instead of generated documents (places located like in generated ones)")
	fs.Int64Var(&o.seed, "seed", 1, "docgen seed")
	fs.IntVar(&o.keystrokes, "keystrokes", 40, "keystrokes per place, one didChange each")
	fs.StringVar(&o.typed, "type", "typing é日🙂 ", "characters typed (cycled) at the plain-text places o, a, d1; non-ASCII exercises UTF-16 positions")
	fs.IntVar(&o.hovers, "hovers", 20, "hover requests after typing (the edited element, then operations around it)")
	fs.IntVar(&o.completions, "completions", 20, "completion requests after typing (at the cursor for b, c, d2, and in security items around it)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "per keystroke (→diagnostics) and per request timeout")
	fs.DurationVar(&o.openTimeout, "open-timeout", 120*time.Second, "timeout of initialize and of didOpen → first diagnostics")
	fs.DurationVar(&o.quiet, "quiet", 500*time.Millisecond, "after the first diagnostics, wait until the server has published nothing for this long before typing")
	fs.DurationVar(&o.settle, "settle", 0, "after each keystroke's diagnostics, wait this long (late extra publishes are counted, not paired)")
	fs.DurationVar(&o.pause, "pause", 0, "extra pause between keystrokes")
	fs.IntVar(&o.rounds, "rounds", 1, "repeat the measurement; server order alternates each round")
	fs.StringVar(&o.jsonOut, "json", "", "write raw numbers and the summary to this JSON file")
	fs.StringVar(&o.mdOut, "md", "", "also write the Markdown tables to this file")
	fs.StringVar(&o.dir, "dir", "", "keep documents, schema and server stderr logs in this directory (default: a temporary one, removed)")
	fs.StringVar(&o.schemaVersion, "schema", "", "AsyncAPI JSON schema given to yaml-language-server (spec-json-schemas name, e.g. 3.0.0-without-$id; default: the document's version, 3.0.0 or 2.6.0)")
	fs.BoolVar(&o.methods, "methods", false, "instead of typing: open one generated v3 YAML document (--size, default 5MB here) in the first server and time every feature method --times times")
	fs.IntVar(&o.times, "times", 10, "calls per method in --methods")
	fs.BoolVar(&o.verbose, "v", false, "log progress, server log messages and failures to stderr")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: lspbench --server CMD [--compare CMD]... [flags]\n\n")
		fs.PrintDefaults()
	}
	_ = fs.Parse(os.Args[1:])
	if o.methods && !flagSet(fs, "size") {
		o.sizes = "5MB"
	}
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

// document is one input: a generated document of one shape, size and
// format, or a file.
type document struct {
	Label   string `json:"label"`
	Group   string `json:"group"` // shape and size: the documents of one table
	Shape   string `json:"shape"`
	Format  string `json:"format"`
	Version string `json:"asyncapi"`
	Bytes   int    `json:"bytes"`
	Path    string `json:"path"`
	// Places maps place IDs to what is typed where in this document.
	Places map[string]string `json:"places"`
	text   []byte
	places map[string]docgen.Place
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
	Places    []string     `json:"places"`
	Runs      []*Result    `json:"runs"`
	Summary   []summaryRow `json:"summary"`
}

// brokenPlaces leave the document syntactically broken after typing: their
// typed state gets a cold open too.
var brokenPlaces = map[string]bool{docgen.PlaceSecurityRef: true, docgen.PlaceAfterFlowMapping: true, docgen.PlaceJSONMember: true,
	docgen.PlaceMinJSONMember: true}

// parsePlaces expands "d" to d1,d2 and "all" to every place.
func parsePlaces(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case f == "all":
			for _, id := range docgen.PlaceIDs() {
				add(id)
			}
		case f == "d":
			add(docgen.PlaceJSONString)
			add(docgen.PlaceJSONMember)
		case f == "m":
			add(docgen.PlaceMinJSONString)
			add(docgen.PlaceMinJSONMember)
		case slices.Contains(docgen.PlaceIDs(), f):
			add(f)
		default:
			return nil, fmt.Errorf("unknown place %q (want o, a, b, c, s, n, d, d1, d2, m, m1, m2 or all)", f)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no --places")
	}
	// Report order is the canonical order.
	slices.SortFunc(out, func(a, b string) int {
		return slices.Index(docgen.PlaceIDs(), a) - slices.Index(docgen.PlaceIDs(), b)
	})
	return out, nil
}

func parseShapes(s string) ([]docgen.Shape, error) {
	var out []docgen.Shape
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case f == "all":
			out = append(out, docgen.Shapes()...)
		case slices.Contains(docgen.Shapes(), docgen.Shape(f)):
			out = append(out, docgen.Shape(f))
		default:
			return nil, fmt.Errorf("unknown shape %q (want v3, v26, wide or all)", f)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no --shape")
	}
	return slices.Compact(out), nil
}

func parseFormats(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		switch f = strings.TrimSpace(f); f {
		case "":
		case "yaml", "json", "minjson":
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		default:
			return nil, fmt.Errorf("unknown format %q (want yaml, json or minjson)", f)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no --format")
	}
	return out, nil
}

var asyncAPI2 = regexp.MustCompile(`(?m)^\s*"?asyncapi"?\s*:\s*["']?2\.`)

// docVersion is the AsyncAPI version whose schema yaml-language-server
// gets: 2.6.0 for 2.x documents, 3.0.0 otherwise.
func docVersion(text []byte) string {
	head := text[:min(len(text), 4096)]
	if asyncAPI2.Match(head) {
		return "2.6.0"
	}
	return "3.0.0"
}

// aloneIn is the path of a document named name in a folder of its own
// under dir. The folder is the workspace folder the server is given: a
// server that analyzes the documents of its workspace (asyncapi-ls does)
// would otherwise also analyze the other generated documents and typed
// states, and its open, keystroke and memory figures would not be those of
// the one document measured.
func aloneIn(dir, name string) string {
	// the extension is part of the folder's name: the YAML and the JSON
	// document of one size have the same base name
	return filepath.Join(dir, strings.ReplaceAll(name, ".", "-"), name)
}

func writeAlone(path string, text []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, text, 0o644)
}

func newDocument(label, group, shape, format, path string, text []byte) (document, error) {
	places, err := docgen.Places(text)
	if err != nil {
		return document{}, fmt.Errorf("%s: locating places: %w", label, err)
	}
	d := document{Label: label, Group: group, Shape: shape, Format: format, Version: docVersion(text), Bytes: len(text),
		Path: path, Places: map[string]string{}, text: text, places: places}
	for id, p := range places {
		d.Places[id] = p.What
	}
	return d, nil
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
	shapes, err := parseShapes(o.shapes)
	if err != nil {
		return err
	}
	formats, err := parseFormats(o.formats)
	if err != nil {
		return err
	}
	placeIDs, err := parsePlaces(o.places)
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
			specs[i].autoSchema = specs[i].Name == "yaml-language-server" || strings.Contains(c, "yaml-language-server")
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
	if o.methods {
		return runMethods(ctx, o, specs, sizes[0], dir, logw, out)
	}
	schemaPaths := map[string]string{} // schema name → file
	settingsFor := func(spec ServerSpec, d document) (map[string]any, error) {
		if !spec.autoSchema {
			return spec.Settings, nil
		}
		name := o.schemaVersion
		if name == "" {
			name = d.Version
		}
		if schemaPaths[name] == "" {
			p, err := writeSchema(dir, name)
			if err != nil {
				return nil, err
			}
			schemaPaths[name] = p
		}
		return yamlLanguageServerSettings(fileURI(schemaPaths[name])), nil
	}

	rep := &report{Tool: "lspbench", Started: time.Now().UTC(), GoVersion: runtime.Version(), CPUs: runtime.NumCPU(),
		Config: map[string]any{"sizes": o.sizes, "shapes": o.shapes, "formats": o.formats, "places": o.places, "cold": o.cold,
			"seed": o.seed, "keystrokes": o.keystrokes, "typed": o.typed,
			"hovers": o.hovers, "completions": o.completions, "timeout": o.timeout.String(), "open_timeout": o.openTimeout.String(),
			"quiet": o.quiet.String(), "settle": o.settle.String(), "pause": o.pause.String(), "rounds": o.rounds,
			"schema": o.schemaVersion},
		Servers: specs, Places: placeIDs}

	var docs []document
	if o.docs != "" {
		for _, p := range strings.Split(o.docs, ",") {
			p = strings.TrimSpace(p)
			text, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			label := filepath.Base(p)
			format := "yaml"
			if strings.EqualFold(filepath.Ext(p), ".json") {
				format = "json"
				if bytes.IndexByte(bytes.TrimSpace(text), '\n') < 0 {
					format = "minjson"
				}
			}
			d, err := newDocument(label, label, "file", format, aloneIn(dir, label), text)
			if err != nil {
				return err
			}
			docs = append(docs, d)
		}
	} else {
		for _, shape := range shapes {
			for _, size := range sizes {
				for _, format := range formats {
					if !slices.ContainsFunc(placeIDs, func(id string) bool { return docgen.PlaceFormat(id) == format }) {
						continue // no selected place types into this format
					}
					gen := docgen.Options{TargetBytes: size.bytes, Seed: o.seed, Shape: shape, FlowBindings: true}
					text := docgen.Generate(gen)
					ext := format
					switch format {
					case "json":
						text = docgen.GenerateJSON(gen)
					case "minjson":
						text, ext = docgen.GenerateMinJSON(gen), "min.json"
					}
					group := string(shape) + " " + size.label
					d, err := newDocument(group+" "+format, group, string(shape), format,
						aloneIn(dir, fmt.Sprintf("asyncapi-%s-%s.%s", shape, sanitize(size.label), ext)), text)
					if err != nil {
						return err
					}
					docs = append(docs, d)
				}
			}
		}
	}
	if len(docs) == 0 {
		return errors.New("no document has a selected place (check --format against --places)")
	}
	for _, doc := range docs {
		if err := writeAlone(doc.Path, doc.text); err != nil {
			return err
		}
		rep.Documents = append(rep.Documents, doc)
		for _, pid := range placeIDs {
			if docgen.PlaceFormat(pid) != doc.Format {
				continue
			}
			place, ok := doc.places[pid]
			if !ok {
				fmt.Fprintf(os.Stderr, "lspbench: %s has no place %s; skipped\n", doc.Label, pid)
				continue
			}
			keys := place.Keystrokes(o.keystrokes, o.typed)
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
					if spec.Settings, err = settingsFor(spec, doc); err != nil {
						return err
					}
					fmt.Fprintf(os.Stderr, "lspbench: %s on %s (%d bytes), place %s, round %d/%d\n", spec.Name, doc.Label, len(doc.text), pid, round+1, o.rounds)
					logName := func(what string) string {
						return filepath.Join(dir, fmt.Sprintf("%s-%s-%s-r%d%s.stderr.log", sanitize(spec.Name), sanitize(doc.Label), pid, round+1, what))
					}
					cfg := RunConfig{Text: doc.text, Path: doc.Path, LanguageID: languageID(doc.Format), Keys: keys, TypeAt: place.Offset,
						HoverAt: place.Hover, CompleteAt: place.Complete, Hovers: o.hovers, Completions: o.completions,
						Timeout: o.timeout, OpenTimeout: o.openTimeout, Quiet: o.quiet, Settle: o.settle, Pause: o.pause, Log: logw,
						StderrPath: logName("")}
					res, err := Run(ctx, spec, cfg)
					res.Round, res.Document, res.Shape, res.Format, res.Place = round+1, doc.Label, doc.Shape, doc.Format, pid
					if err != nil {
						res.Error = err.Error()
						fmt.Fprintf(os.Stderr, "lspbench: %s: %v (server stderr: %s)\n", spec.Name, err, tail(cfg.StderrPath, 400))
					} else if o.cold && brokenPlaces[pid] && res.finalText != nil {
						// The same text, opened by a fresh server: what a user
						// pays on opening a file saved half-typed.
						base := filepath.Base(doc.Path)
						typedPath := aloneIn(dir, strings.TrimSuffix(base, filepath.Ext(base))+"-typed-"+pid+filepath.Ext(base))
						if err := writeAlone(typedPath, res.finalText); err != nil {
							return err
						}
						ccfg := RunConfig{Text: res.finalText, Path: typedPath, LanguageID: languageID(doc.Format), Timeout: o.timeout,
							OpenTimeout: o.openTimeout, Log: logw, StderrPath: logName("-cold")}
						cres, cerr := Run(ctx, spec, ccfg)
						if cerr != nil {
							res.Error = "cold open of the typed state: " + cerr.Error()
							fmt.Fprintf(os.Stderr, "lspbench: %s: %s\n", spec.Name, res.Error)
						} else {
							res.ColdTypedMs, res.ColdTypedDiag = cres.OpenMs, cres.OpenDiags
						}
					}
					rep.Runs = append(rep.Runs, res)
				}
			}
		}
	}
	rep.Summary = summarize(specs, rep.Documents, placeIDs, rep.Runs)
	var md bytes.Buffer
	printTables(&md, rep, o)
	if _, err := out.Write(md.Bytes()); err != nil {
		return err
	}
	if o.mdOut != "" {
		if err := os.WriteFile(o.mdOut, md.Bytes(), 0o644); err != nil {
			return err
		}
	}
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
			"schemas":     map[string]any{schemaURI: []string{"*.yaml", "*.yml", "*.json"}},
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

// summaryRow is one metric of one server at one place of one document.
type summaryRow struct {
	Group    string  `json:"group"`
	Document string  `json:"document"`
	Place    string  `json:"place"`
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
	spread     bool // the cell shows median / p90 / max
	values     func(r *Result) []float64
	note       func(rs []*Result) string
}

var metrics = []metric{
	{"keystroke→diagnostics", "ms", true, func(r *Result) []float64 { return r.KeystrokeMs },
		func(rs []*Result) string {
			return countNote(rs, func(r *Result) int { return r.KeystrokeTimeouts }, "timeouts") +
				countNote(rs, func(r *Result) int { return r.ExtraPublishes }, "extra publishes")
		}},
	{"server CPU per keystroke", "ms", false, func(r *Result) []float64 { return r.KeystrokeCPUMs }, nil},
	{"diagnostics after typing", "", false, func(r *Result) []float64 {
		if len(r.KeystrokeMs) == 0 {
			return nil
		}
		return []float64{float64(r.LastDiags)}
	}, nil},
	{"hover after typing", "ms", false, func(r *Result) []float64 { return r.HoverMs },
		func(rs []*Result) string {
			return countNote(rs, func(r *Result) int { return r.HoverFailed }, "failed") +
				countNote(rs, func(r *Result) int { return r.HoverEmpty }, "empty")
		}},
	{"completion after typing", "ms", false, func(r *Result) []float64 { return r.CompletionMs },
		func(rs []*Result) string {
			return countNote(rs, func(r *Result) int { return r.CompletionFailed }, "failed") +
				countNote(rs, func(r *Result) int { return r.CompletionEmpty }, "empty")
		}},
	{"open→diagnostics, valid document", "ms", false, func(r *Result) []float64 {
		if r.OpenFailed || r.OpenMs == 0 && r.Error != "" {
			return nil
		}
		return []float64{r.OpenMs}
	}, func(rs []*Result) string {
		note := countNote(rs, func(r *Result) int { return b2i(r.OpenFailed) }, "timeouts")
		if len(rs) > 0 && rs[0].OpenMs > 0 && rs[0].OpenDiags > 0 {
			note += fmt.Sprintf("%d diagnostics ", rs[0].OpenDiags)
		}
		return note
	}},
	{"open→diagnostics, typed state (cold)", "ms", false, func(r *Result) []float64 {
		if r.ColdTypedMs == 0 {
			return nil
		}
		return []float64{r.ColdTypedMs}
	}, func(rs []*Result) string {
		if len(rs) > 0 && rs[0].ColdTypedMs > 0 {
			return fmt.Sprintf("%d diagnostics", rs[0].ColdTypedDiag)
		}
		return ""
	}},
	{"peak RSS", "MiB", false, func(r *Result) []float64 {
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

func summarize(specs []ServerSpec, docs []document, places []string, runs []*Result) []summaryRow {
	var rows []summaryRow
	for _, d := range docs {
		for _, pid := range places {
			for _, m := range metrics {
				base := math.NaN()
				for si, s := range specs {
					var rs []*Result
					var vals []float64
					for _, r := range runs {
						if r.Server == s.Name && r.Document == d.Label && r.Place == pid {
							rs = append(rs, r)
							vals = append(vals, m.values(r)...)
						}
					}
					if len(rs) == 0 {
						continue // place not measured on this document
					}
					row := summaryRow{Group: d.Group, Document: d.Label, Place: pid, Server: s.Name, Metric: m.name, Unit: m.unit, N: len(vals)}
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
						if r.Error != "" && m.name == "open→diagnostics, valid document" {
							row.Note = strings.TrimSpace(row.Note + " error: " + truncate(r.Error, 80))
						}
					}
					rows = append(rows, row)
				}
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

// printTables writes one Markdown table per document group (shape and
// size): a row per metric and server, a column per place (YAML and JSON
// places side by side); cells of servers after the first carry the ratio
// to the first server.
func printTables(w io.Writer, rep *report, o options) {
	var groups []string
	for _, d := range rep.Documents {
		if !slices.Contains(groups, d.Group) {
			groups = append(groups, d.Group)
		}
	}
	for _, g := range groups {
		var sizes []string
		type column struct{ place, doc, format string }
		var cols []column
		for _, d := range rep.Documents {
			if d.Group != g {
				continue
			}
			sizes = append(sizes, fmt.Sprintf("%s %d bytes", d.Format, d.Bytes))
		}
		for _, pid := range rep.Places {
			for _, d := range rep.Documents {
				if d.Group == g && slices.ContainsFunc(rep.Summary, func(r summaryRow) bool { return r.Document == d.Label && r.Place == pid }) {
					cols = append(cols, column{pid, d.Label, d.Format})
				}
			}
		}
		fmt.Fprintf(w, "\n### %s (%s); %d keystrokes per place, %d hovers, %d completions, %d round(s)\n\n",
			g, strings.Join(sizes, ", "), o.keystrokes, o.hovers, o.completions, o.rounds)
		if len(cols) == 0 {
			fmt.Fprintln(w, "(no place measured)")
			continue
		}
		fmt.Fprint(w, "| metric | server |")
		for _, c := range cols {
			fmt.Fprintf(w, " %s (%s) |", c.place, c.format)
		}
		fmt.Fprint(w, "\n|---|---|")
		for range cols {
			fmt.Fprint(w, "---|")
		}
		fmt.Fprintln(w)
		for _, m := range metrics {
			for si, s := range rep.Servers {
				label := ""
				if si == 0 {
					label = m.name
					if m.unit != "" {
						label += " (" + m.unit + ")"
					}
					if m.spread {
						label += ", median / p90 / max"
					}
				}
				fmt.Fprintf(w, "| %s | %s |", label, s.Name)
				for _, c := range cols {
					i := slices.IndexFunc(rep.Summary, func(r summaryRow) bool {
						return r.Document == c.doc && r.Place == c.place && r.Server == s.Name && r.Metric == m.name
					})
					fmt.Fprintf(w, " %s |", cell(rep.Summary, i, m, si))
				}
				fmt.Fprintln(w)
			}
		}
	}
	fmt.Fprintf(w, "\nPlaces (first document of each):\n\n")
	for _, pid := range rep.Places {
		for _, d := range rep.Documents {
			if what, ok := d.Places[pid]; ok {
				fmt.Fprintf(w, "- %s (%s): %s\n", pid, d.Format, what)
				break
			}
		}
	}
	fmt.Fprintf(w, "\nCells of servers after the first show (×ratio) = median / median of %s; all servers measured in this run.\n", rep.Servers[0].Name)
}

func cell(rows []summaryRow, i int, m metric, server int) string {
	if i < 0 {
		return ""
	}
	r := rows[i]
	if r.N == 0 {
		if r.Note != "" {
			return "– (" + r.Note + ")"
		}
		return "–"
	}
	v := num(r.Median)
	if m.spread {
		v += " / " + num(r.P90) + " / " + num(r.Max)
	}
	if server > 0 && r.Ratio > 0 && m.unit != "" { // no ratio of counts
		v += " (×" + num(r.Ratio) + ")"
	}
	if r.Note != "" {
		v += " [" + r.Note + "]"
	}
	return strings.ReplaceAll(v, "|", "\\|")
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

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// languageID is the LSP language of a document format (minified JSON is
// JSON).
func languageID(format string) string {
	if format == "minjson" {
		return "json"
	}
	return format
}
