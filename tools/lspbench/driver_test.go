package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

func fakeSpec(t *testing.T, mode string) (ServerSpec, string) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	return ServerSpec{Name: "fake-" + mode, Command: []string{os.Args[0], "lspbench-fake-server", mode, report},
		Settings: map[string]any{"fake": map[string]any{"answer": 42}},
		// Under -race, a process sleeps 1 s at exit by default.
		Env: []string{"GORACE=atexit_sleep_ms=0"}}, report
}

func testConfig(t *testing.T, keystrokes int) RunConfig {
	t.Helper()
	return placeConfig(t, docgen.Generate(docgen.Options{TargetBytes: 30_000, Seed: 5}), "yaml", docgen.PlaceOperationDescription, keystrokes)
}

// placeConfig types keystrokes at place id of text, like the command does.
func placeConfig(t *testing.T, text []byte, format, id string, keystrokes int) RunConfig {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc."+format)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	places, err := docgen.Places(text)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := places[id]
	if !ok {
		t.Fatalf("no place %s", id)
	}
	return RunConfig{Text: text, Path: path, LanguageID: languageID(format), Keys: p.Keystrokes(keystrokes, "aé日🙂 "), TypeAt: p.Offset,
		HoverAt: p.Hover, CompleteAt: p.Complete,
		Hovers: 3, Completions: 4, Timeout: 10 * time.Second, OpenTimeout: 20 * time.Second, Quiet: 20 * time.Millisecond}
}

func readReport(t *testing.T, path string) fakeReport {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("fake server wrote no report: %v", err)
	}
	var r fakeReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRunAgainstFakeServer drives the whole measurement loop against a fake
// server process and checks that the text the server ends with (built from
// our incremental UTF-16 didChanges) is the text the tool typed.
func TestRunAgainstFakeServer(t *testing.T) {
	for _, mode := range []string{"versioned", "noversion"} {
		t.Run(mode, func(t *testing.T) {
			spec, reportPath := fakeSpec(t, mode)
			cfg := testConfig(t, 12)
			res, err := Run(t.Context(), spec, cfg)
			if err != nil {
				t.Fatalf("Run: %v (%+v)", err, res)
			}
			if res.Sync != "incremental" || res.Versioned != (mode == "versioned") {
				t.Errorf("sync %q versioned %v", res.Sync, res.Versioned)
			}
			if res.OpenMs <= 0 || len(res.KeystrokeMs) != 12 || res.KeystrokeTimeouts != 0 ||
				len(res.HoverMs) != 3 || res.HoverEmpty != 0 || len(res.CompletionMs) != 4 || res.CompletionEmpty != 0 {
				t.Errorf("unexpected result %+v", res)
			}
			if res.PeakRSSBytes <= 0 {
				t.Errorf("no peak memory")
			}
			rep := readReport(t, reportPath)
			if rep.Text != string(res.finalText) {
				t.Fatalf("server text differs from the client's (len %d vs %d)", len(rep.Text), len(res.finalText))
			}
			want := "aé日🙂 aé日🙂 aé" // 12 keystrokes, cycled
			if strings.Count(rep.Text, want) != 1 || len(rep.Text) != len(cfg.Text)+len(want) {
				t.Fatalf("typed text not found once in the server's document")
			}
			if cfg.TypeAt != docgen.MiddleOperationDescriptionOffset(cfg.Text) || !bytes.HasPrefix(res.finalText[cfg.TypeAt:], []byte(want)) {
				t.Fatalf("typed text not at the typing point")
			}
			if len(rep.Versions) != 13 || rep.Versions[0] != 1 || rep.Versions[12] != 13 {
				t.Errorf("versions %v", rep.Versions)
			}
			if string(rep.Config) != `[{"answer":42}]` {
				t.Errorf("workspace/configuration answered %s", rep.Config)
			}
			if !rep.Shutdown {
				t.Error("no shutdown request before exit")
			}
		})
	}
}

func TestRunTimesOutOnSilentServer(t *testing.T) {
	spec, _ := fakeSpec(t, "silent")
	cfg := testConfig(t, 3)
	cfg.Timeout = 150 * time.Millisecond
	start := time.Now()
	res, err := Run(t.Context(), spec, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.KeystrokeTimeouts != 3 || len(res.KeystrokeMs) != 0 {
		t.Fatalf("timeouts %d, samples %v", res.KeystrokeTimeouts, res.KeystrokeMs)
	}
	if len(res.HoverMs) != 3 {
		t.Fatalf("hovers %v", res.HoverMs)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestRunReportsCrash(t *testing.T) {
	spec, _ := fakeSpec(t, "crash")
	res, err := Run(t.Context(), spec, testConfig(t, 3))
	if err == nil {
		t.Fatalf("no error from a crashing server: %+v", res)
	}
	if res.OpenMs <= 0 {
		t.Fatalf("open not measured before the crash")
	}
}

// TestCLITwoServers runs the command's main path with two servers in one
// invocation, two shapes, both formats and every place, and checks the
// Markdown tables and the JSON report.
func TestCLITwoServers(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GORACE", "atexit_sleep_ms=0") // inherited by the fake servers
	_, r1 := fakeSpec(t, "versioned")
	_, r2 := fakeSpec(t, "noversion")
	quote := func(s string) string { return "'" + s + "'" }
	o := options{
		servers:  listFlag{quote(os.Args[0]) + " lspbench-fake-server versioned " + quote(r1)},
		compares: listFlag{quote(os.Args[0]) + " lspbench-fake-server noversion " + quote(r2)},
		names:    listFlag{"fast", "other"},
		settings: listFlag{`{"fake":{"answer":1}}`, "none"},
		sizes:    "20KB", shapes: "v3,v26", formats: "yaml,json,minjson", places: "all", cold: true,
		seed: 1, keystrokes: 4, hovers: 2, completions: 2, typed: "xy",
		timeout: 10 * time.Second, openTimeout: 20 * time.Second, quiet: 10 * time.Millisecond, rounds: 2,
		jsonOut: filepath.Join(dir, "out.json"), mdOut: filepath.Join(dir, "out.md"), dir: filepath.Join(dir, "work"),
	}
	var out bytes.Buffer
	if err := run(t.Context(), o, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	table := out.String()
	for _, want := range []string{"### v3 20KB (yaml ", "### v26 20KB (yaml ",
		"| metric | server | o (yaml) | a (yaml) | b (yaml) | c (yaml) | s (yaml) | n (yaml) | d1 (json) | d2 (json) | m1 (minjson) | m2 (minjson) |",
		"| keystroke→diagnostics (ms), median / p90 / max | fast |", "|  | other |", "(×1.00)",
		"| open→diagnostics, typed state (cold) (ms) | fast |", "| peak RSS (MiB) | fast |",
		"- b (yaml): Enter, then `- $ref: '#/components/securitySchemes/", "- d2 (json): Enter, then `\"description\"",
		"- m2 (minjson): `\"description\""} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if md, err := os.ReadFile(o.mdOut); err != nil || string(md) != table {
		t.Errorf("--md file differs from the output (%v)", err)
	}
	var rep report
	b, err := os.ReadFile(o.jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	// 2 shapes x (6 YAML places + 2 JSON places + 2 minified JSON places) x 2 rounds x 2 servers.
	if len(rep.Runs) != 2*10*2*2 || len(rep.Documents) != 6 {
		t.Fatalf("%d runs, %d documents", len(rep.Runs), len(rep.Documents))
	}
	for _, r := range rep.Runs {
		if r.Error != "" || len(r.KeystrokeMs) != 4 || len(r.HoverMs) != 2 || len(r.CompletionMs) != 2 {
			t.Errorf("run %+v", r)
		}
		if (r.ColdTypedMs > 0) != brokenPlaces[r.Place] {
			t.Errorf("place %s: cold open of the typed state %v", r.Place, r.ColdTypedMs)
		}
	}
	for _, row := range rep.Summary {
		if row.Server == "fast" && row.N > 0 && row.Ratio != 1 {
			t.Errorf("baseline ratio %v in %+v", row.Ratio, row)
		}
		if row.Metric == "keystroke→diagnostics" && row.N != 8 {
			t.Errorf("keystroke samples %d, want 8 (4 keystrokes x 2 rounds): %+v", row.N, row)
		}
	}
	if rep.Servers[0].Settings["fake"] == nil || rep.Servers[1].Settings != nil {
		t.Errorf("settings %+v", rep.Servers)
	}
}

// TestRunTypesEveryPlace: at every place of every shape and format, the
// text the fake server ends with is the text docgen's keystrokes give, and
// the hover and completion requests land where the place says, moved by
// the typed text (the cursor included).
func TestRunTypesEveryPlace(t *testing.T) {
	// The runs wait on fake servers more than they compute: in parallel
	// they overlap their waits (the README's quick command).
	t.Parallel()
	for _, shape := range docgen.Shapes() {
		gen := docgen.Options{TargetBytes: 25_000, Seed: 2, Shape: shape, FlowBindings: true}
		for _, format := range []string{"yaml", "json", "minjson"} {
			text := docgen.Generate(gen)
			switch format {
			case "json":
				text = docgen.GenerateJSON(gen)
			case "minjson":
				text = docgen.GenerateMinJSON(gen)
			}
			for _, id := range docgen.PlaceIDs() {
				if docgen.PlaceFormat(id) != format {
					continue
				}
				t.Run(fmt.Sprint(shape, "/", id), func(t *testing.T) {
					t.Parallel()
					spec, reportPath := fakeSpec(t, "versioned")
					cfg := placeConfig(t, text, format, id, 45)
					cfg.Hovers, cfg.Completions = len(cfg.HoverAt), len(cfg.CompleteAt)
					res, err := Run(t.Context(), spec, cfg)
					if err != nil {
						t.Fatal(err)
					}
					want := append([]byte{}, text[:cfg.TypeAt]...)
					want = append(append(want, strings.Join(cfg.Keys, "")...), text[cfg.TypeAt:]...)
					rep := readReport(t, reportPath)
					if rep.Text != string(want) || string(res.finalText) != string(want) {
						t.Fatal("typed text differs from the place's keystrokes")
					}
					if len(res.KeystrokeMs) != 45 {
						t.Fatalf("%d keystrokes measured", len(res.KeystrokeMs))
					}
					inserted := len(want) - len(text)
					var got, exp []Position
					for _, r := range rep.Requests {
						got = append(got, r.Position)
					}
					places, _ := docgen.Places(text)
					p := places[id]
					for _, off := range append(append([]int{}, p.Hover...), p.Complete...) {
						exp = append(exp, positionAt(want, p.AfterTyping(off, inserted)))
					}
					if fmt.Sprint(got) != fmt.Sprint(exp) {
						t.Fatalf("requests at %v, want %v", got, exp)
					}
					if p.Complete[0] == docgen.Cursor && exp[len(p.Hover)] != positionAt(want, cfg.TypeAt+inserted) {
						t.Fatal("first completion not at the cursor")
					}
				})
			}
		}
	}
}

func TestParseShapesFormatsPlaces(t *testing.T) {
	if p, err := parsePlaces("d,b, a,d1"); err != nil || strings.Join(p, ",") != "a,b,d1,d2" {
		t.Errorf("places %v %v", p, err)
	}
	if p, err := parsePlaces("m,d1"); err != nil || strings.Join(p, ",") != "d1,m1,m2" {
		t.Errorf("places %v %v", p, err)
	}
	if p, _ := parsePlaces("all"); len(p) != len(docgen.PlaceIDs()) {
		t.Errorf("all places %v", p)
	}
	if _, err := parsePlaces("a,e"); err == nil {
		t.Error("place e accepted")
	}
	if s, err := parseShapes("wide,v26"); err != nil || fmt.Sprint(s) != "[wide v26]" {
		t.Errorf("shapes %v %v", s, err)
	}
	if s, _ := parseShapes("all"); len(s) != 3 {
		t.Errorf("all shapes %v", s)
	}
	if _, err := parseShapes("v4"); err == nil {
		t.Error("shape v4 accepted")
	}
	if f, err := parseFormats("json, yaml,json"); err != nil || fmt.Sprint(f) != "[json yaml]" {
		t.Errorf("formats %v %v", f, err)
	}
	if _, err := parseFormats("toml"); err == nil {
		t.Error("format toml accepted")
	}
	if docVersion(docgen.GenerateJSON(docgen.Options{Units: 1, Shape: docgen.ShapeV26})) != "2.6.0" ||
		docVersion(docgen.Generate(docgen.Options{Units: 1, Shape: docgen.ShapeV26})) != "2.6.0" ||
		docVersion(docgen.Generate(docgen.Options{Units: 1})) != "3.0.0" {
		t.Error("docVersion")
	}
}

func TestParseSizesAndSplit(t *testing.T) {
	s, err := parseSizes("100KB, 1MB,1.5MiB,512,2k")
	if err != nil {
		t.Fatal(err)
	}
	want := []int{100 << 10, 1 << 20, 3 << 19, 512, 2 << 10}
	for i, w := range want {
		if s[i].bytes != w {
			t.Errorf("size %d: %d, want %d", i, s[i].bytes, w)
		}
	}
	if _, err := parseSizes("5GB"); err == nil {
		t.Error("5GB accepted")
	}
	args, err := splitCommand(`node "/a b/yls.js" --stdio 'x y' z\ w`)
	if err != nil || strings.Join(args, "|") != "node|/a b/yls.js|--stdio|x y|z w" {
		t.Errorf("split: %q %v", args, err)
	}
	if _, err := splitCommand(`a "b`); err == nil {
		t.Error("unterminated quote accepted")
	}
}

func TestYAMLLanguageServerSettings(t *testing.T) {
	s := yamlLanguageServerSettings("file:///tmp/s.json")
	if v := lookupSection(s, "yaml.validate"); v != true {
		t.Errorf("yaml.validate = %v", v)
	}
	if v := lookupSection(s, "yaml.schemas"); v == nil {
		t.Error("no yaml.schemas")
	}
	if lookupSection(s, "editor") != nil || lookupSection(s, "yaml.nope.deeper") != nil {
		t.Error("unknown sections must be null")
	}
}
