package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/santhosh-tekuri/jsonschema/v6"
	yaml "go.yaml.in/yaml/v4"
)

// diagAt renders a config diagnostic as "line:col-line:col code: message"
// (1-based lines, 1-based UTF-16 columns).
func diagAt(res Result, d syntax.Diagnostic) string {
	r := res.Mapper.PosRange(d.Range)
	return fmt.Sprintf("%d:%d-%d:%d %s: %s", r.Start.Line+1, r.Start.Character+1, r.End.Line+1, r.End.Character+1, d.Code, d.Message)
}

func TestParse(t *testing.T) {
	cases := []struct {
		name, text string
		want       *Config // Path/Dir not compared
		diags      []string
	}{
		{"empty file is the default", "", &Config{}, nil},
		{"comments only", "# nothing yet\n", &Config{}, nil},
		{"all sections", `severity:
  security-unused-scheme: off
  security-empty-requirement: error
rules:
  security-unused-scheme:
    ignore: [legacyKey, "shared"]
ignore:
  - generated/**
  - '**/*.draft.yaml'
`, &Config{
			Severity: map[string]string{"security-unused-scheme": "off", "security-empty-requirement": "error"},
			Rules:    map[string]RuleOptions{"security-unused-scheme": {"ignore": []string{"legacyKey", "shared"}}},
			Ignore:   []string{"generated/**", "**/*.draft.yaml"},
		}, nil},
		{"json", `{"severity": {"ref-unresolved": "warning"}, "ignore": ["x/**"]}`,
			&Config{Severity: map[string]string{"ref-unresolved": "warning"}, Ignore: []string{"x/**"}}, nil},
		{"syntax error: defaults, position of the error", "severity:\n  ref-unresolved: [warning\n", &Config{},
			[]string{"2:19-2:19 config-syntax: config file is not valid YAML/JSON: did not find expected ',' or ']' while parsing a flow sequence that starts at line 2; using the default configuration"}},
		{"syntax error in the middle", "a: b\n c: d\n", &Config{},
			[]string{"2:3-2:3 config-syntax: config file is not valid YAML/JSON: mapping values are not allowed in this context; using the default configuration"}},
		{"not a mapping", "- severity\n", &Config{},
			[]string{"1:1-1:11 config-syntax: config file must be a mapping with keys severity, rules, ignore; using the default configuration"}},
		{"unknown key and code, bad severity: the rest applies", `severity:
  security-unused-schem: off
  ref-unresolved: fatal
  yaml-syntax: warning
colour: red
`, &Config{Severity: map[string]string{"yaml-syntax": "warning"}}, []string{
			`2:3-2:24 config-invalid: severity: unknown diagnostic code "security-unused-schem" (did you mean security-unused-scheme?)`,
			"3:19-3:24 config-invalid: severity of ref-unresolved must be one of error, warning, information, hint, off",
			`5:1-5:7 config-invalid: unknown key "colour": a config file has severity, rules and ignore`,
		}},
		{"severity aliases are not accepted (the schema's enum)", "severity: {ref-unresolved: warn}\n", &Config{Severity: map[string]string{}},
			[]string{"1:28-1:32 config-invalid: severity of ref-unresolved must be one of error, warning, information, hint, off"}},
		{"rule without options, unknown option, wrong type", `rules:
  ref-unresolved: {ignore: [a]}
  security-unused-scheme:
    ignore: legacy
    except: [x]
`, &Config{Rules: map[string]RuleOptions{"security-unused-scheme": {}}}, []string{
			"2:3-2:17 config-invalid: rule ref-unresolved has no options",
			"4:13-4:19 config-invalid: security-unused-scheme.ignore must be a list of strings",
			`5:5-5:11 config-invalid: rule security-unused-scheme has no option "except" (it has ignore)`,
		}},
		{"bad ignore items", "ignore: ['ok/**', '[', 3]\n", &Config{Ignore: []string{"ok/**"}}, []string{
			"1:24-1:25 config-invalid: ignore: every item must be a string",
			`1:19-1:22 config-invalid: ignore: "[" is not a valid glob pattern`,
		}},
		{"ignore not a list", "ignore: generated\n", &Config{}, []string{"1:9-1:18 config-invalid: ignore must be a list of strings"}},
		{"positions count UTF-16 units after non-ASCII text", "# é😀\nseverity: {\"é😀\": off}\n", &Config{Severity: map[string]string{}},
			[]string{`2:12-2:17 config-invalid: severity: unknown diagnostic code "é😀"`}},
		{"CRLF", "severity:\r\n  nope: off\r\n", &Config{Severity: map[string]string{}},
			[]string{`2:3-2:7 config-invalid: severity: unknown diagnostic code "nope"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Parse("/repo/.asyncapi-ls.yaml", []byte(c.text))
			got := *res.Config
			if got.Path != "/repo/.asyncapi-ls.yaml" || got.Dir != filepath.Dir("/repo/.asyncapi-ls.yaml") {
				t.Errorf("Path %q Dir %q", got.Path, got.Dir)
			}
			got.Path, got.Dir = "", ""
			if !reflect.DeepEqual(&got, c.want) {
				t.Errorf("config = %#v\nwant     %#v", got, *c.want)
			}
			var diags []string
			for _, d := range res.Diagnostics {
				diags = append(diags, diagAt(res, d))
				if d.Severity != syntax.SeverityError {
					t.Errorf("severity %v", d.Severity)
				}
			}
			if strings.Join(diags, "\n") != strings.Join(c.diags, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(diags, "\n"), strings.Join(c.diags, "\n"))
			}
		})
	}
}

func TestIgnored(t *testing.T) {
	dir := t.TempDir()
	c := &Config{Dir: dir, Ignore: []string{"generated", "**/*.draft.yaml", "specs/old/**"}}
	cases := map[string]bool{
		"generated/a.yaml":         true,
		"generated/deep/b.yaml":    true,
		"x/generated/a.yaml":       false,
		"specs/a.draft.yaml":       true,
		"a.draft.yaml":             true,
		"specs/old/v1/api.yaml":    true,
		"specs/new/api.yaml":       false,
		"../outside/a.draft.yaml":  false,
		"specs/old":                true,
		"specs/oldish/api.yaml":    false,
		"generated.yaml":           false,
		"specs/new/x.draft.yml":    false,
		"specs/new/x.draft.yaml/y": true, // under a matched path
	}
	for rel, want := range cases {
		if got := c.Ignored(filepath.Join(dir, filepath.FromSlash(rel))); got != want {
			t.Errorf("Ignored(%s) = %v, want %v", rel, got, want)
		}
	}
	var none *Config
	if none.Ignored(filepath.Join(dir, "generated/a.yaml")) {
		t.Error("nil config ignores nothing")
	}
}

func TestApply(t *testing.T) {
	text := []byte(`asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  prod:
    url: x
    protocol: kafka
    security:
      - {}
channels: {}
components:
  securitySchemes:
    legacyKey:
      type: userPassword
    spare:
      type: userPassword
`)
	doc := analysis.Analyze(text)
	codes := func(ds []syntax.Diagnostic) string {
		var out []string
		for _, d := range ds {
			out = append(out, fmt.Sprintf("%s:%s@%d", d.Code, d.Severity, doc.Mapper.Position(d.Range.Start).Line+1))
		}
		return strings.Join(out, " ")
	}
	if got := codes(doc.Diagnostics); got != "security-empty-requirement:warning@8 security-unused-scheme:hint@12 security-unused-scheme:hint@14" {
		t.Fatalf("the document's own diagnostics changed: %s", got)
	}
	cfg := Parse("c.yaml", []byte(`
severity: {security-empty-requirement: error}
rules: {security-unused-scheme: {ignore: [legacyKey]}}
`)).Config
	cases := []struct {
		name      string
		cfg       *Config
		overrides map[string]string
		want      string
	}{
		{"nothing", nil, nil, "security-empty-requirement:warning@8 security-unused-scheme:hint@12 security-unused-scheme:hint@14"},
		{"config: severity and rule option", cfg, nil, "security-empty-requirement:error@8 security-unused-scheme:hint@14"},
		{"editor overrides alone", nil, map[string]string{"security-unused-scheme": "off"}, "security-empty-requirement:warning@8"},
		{"the config wins over the editor for codes it sets", cfg,
			map[string]string{"security-empty-requirement": "off", "security-unused-scheme": "information"},
			"security-empty-requirement:error@8 security-unused-scheme:information@14"},
	}
	for _, c := range cases {
		if got := codes(c.cfg.Apply(doc, doc.Diagnostics, c.overrides)); got != c.want {
			t.Errorf("%s: %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	mk := func(rel, text string) string {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	top := mk("repo/.asyncapi-ls.yml", "")
	mk("repo/.git/HEAD", "")
	nested := mk("repo/a/b/.asyncapi-ls.json", "{}")
	yamlWins := mk("repo/c/.asyncapi-ls.yaml", "")
	mk("repo/c/.asyncapi-ls.json", "{}")
	mk(".asyncapi-ls.yaml", "") // above the repository: never used
	mk("repo/a/b/c/d/doc.yaml", "")
	cases := []struct{ dir, stop, want string }{
		{"repo/a/b/c/d", "", nested},
		{"repo/a", "", top},
		{"repo/c", "", yamlWins},
		{"repo/a", "repo/a", ""}, // the workspace root stops the search
		{"", "", filepath.Join(root, ".asyncapi-ls.yaml")},
	}
	for _, c := range cases {
		stop := ""
		if c.stop != "" {
			stop = filepath.Join(root, c.stop)
		}
		if got := Find(filepath.Join(root, c.dir), stop); got != c.want {
			t.Errorf("Find(%s, %q) = %s, want %s", c.dir, c.stop, got, c.want)
		}
	}
	var l Loader
	res, p := l.For(filepath.Join(root, "repo/a/b/c/d/doc.yaml"), "")
	if p != nested || res == nil || len(res.Diagnostics) != 0 {
		t.Errorf("Loader.For = %v, %s", res, p)
	}
	if err := os.WriteFile(nested, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, _ := l.For(filepath.Join(root, "repo/a/b/c/d/doc.yaml"), ""); len(res.Diagnostics) != 0 {
		t.Error("the loader caches until Forget")
	}
	l.Forget()
	if res, _ := l.For(filepath.Join(root, "repo/a/b/c/d/doc.yaml"), ""); len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != CodeSyntax {
		t.Errorf("after Forget: %+v", res.Diagnostics)
	}
	if r := Load(filepath.Join(root, "missing.yaml")); len(r.Diagnostics) != 1 || !strings.Contains(r.Diagnostics[0].Message, "cannot read the config file") {
		t.Errorf("unreadable: %+v", r.Diagnostics)
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	s, err := c.Compile("../schemas/asyncapi-ls-config.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSchemaAgreesWithLoader validates example configs with the shipped
// JSON Schema and with Parse: both accept or both reject each one. The
// loader is stricter in one known way, checked apart: glob syntax.
func TestSchemaAgreesWithLoader(t *testing.T) {
	schema := compileSchema(t)
	files, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/*.json")
	files = append(files, more...)
	if len(files) < 8 {
		t.Fatalf("only %d example configs", len(files))
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := yaml.Unmarshal(text, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		v = jsonValue(v)
		schemaOK := schema.Validate(v) == nil
		res := Parse(f, text)
		loaderOK := len(res.Diagnostics) == 0
		wantOK := strings.HasPrefix(filepath.Base(f), "valid-")
		if schemaOK != wantOK || loaderOK != wantOK {
			t.Errorf("%s: schema accepts: %v, loader accepts: %v (%v), want %v", f, schemaOK, loaderOK, res.Diagnostics, wantOK)
		}
	}
	text := []byte("ignore: ['[']\n")
	var v any
	_ = yaml.Unmarshal(text, &v)
	if schema.Validate(jsonValue(v)) != nil || len(Parse("x", text).Diagnostics) != 1 {
		t.Error("a malformed glob: the schema cannot see it, the loader reports it")
	}
}

// TestSchemaKnowsEveryCode: the schema's list of codes (editors complete
// them) is the analysis codes table, and its rules are the loader's rule options.
func TestSchemaKnowsEveryCode(t *testing.T) {
	raw, err := os.ReadFile("../schemas/asyncapi-ls-config.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties struct {
			Severity struct {
				PropertyNames struct{ Enum []string }
			}
			Rules struct {
				Properties map[string]struct {
					Properties map[string]json.RawMessage
				}
			}
		}
		Definitions struct{ Severity struct{ Enum []string } }
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	codes := analysis.Codes()
	got := append([]string(nil), s.Properties.Severity.PropertyNames.Enum...)
	sort.Strings(got)
	if !reflect.DeepEqual(got, codes) {
		t.Errorf("schema severity codes %v\nanalysis.Codes() %v\n(update schemas/asyncapi-ls-config.schema.json)", got, codes)
	}
	if !reflect.DeepEqual(s.Definitions.Severity.Enum, Severities()) {
		t.Errorf("schema severities %v, loader %v", s.Definitions.Severity.Enum, Severities())
	}
	if len(s.Properties.Rules.Properties) != len(RulesWithOptions()) {
		t.Errorf("schema rules %v, loader %v", s.Properties.Rules.Properties, RulesWithOptions())
	}
	for _, code := range RulesWithOptions() {
		specs := OptionsOf(code)
		props := s.Properties.Rules.Properties[code].Properties
		if len(props) != len(specs) {
			t.Errorf("rule %s: schema options %v, loader %v", code, props, specs)
		}
		for _, o := range specs {
			if _, ok := props[o.Name]; !ok {
				t.Errorf("rule %s: option %s missing from the schema", code, o.Name)
			}
		}
	}
}

// jsonValue turns yaml-decoded values into what encoding/json produces, as
// the validator expects.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
