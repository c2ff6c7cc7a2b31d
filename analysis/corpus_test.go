package analysis

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// corpusDir is the shared corpus of real documents (present in CI; see
// ../shared/corpus/README.md). Its files are read in place, never copied.
const corpusDir = "../../shared/corpus"

func corpusFiles(t *testing.T, sub string) []string {
	t.Helper()
	dir := filepath.Join(corpusDir, sub)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing in CI: %v", err)
		}
		t.Skipf("corpus not found at %s", dir)
	}
	var out []string
	for _, pat := range []string{"*.yaml", "*.yml", "*.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range m {
			if !strings.HasSuffix(f, ".yaml.json") {
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatalf("no documents in %s", dir)
	}
	return out
}

// forCorpusModels runs run, as a subtest named after the file, on the
// analysis of every corpus document that has a model.
func forCorpusModels(t *testing.T, run func(t *testing.T, doc *Document)) {
	t.Helper()
	for _, f := range corpusFiles(t, "") {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc := Analyze(text)
		if !doc.modelOK {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) { run(t, doc) })
	}
}

// analyzeGuarded runs Analyze in a goroutine and fails on a panic or when
// it takes longer than 10 s (a hang, not a performance assertion).
func analyzeGuarded(t *testing.T, name string, text []byte) *Document {
	t.Helper()
	type result struct {
		d     *Document
		panic any
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{panic: p}
			}
		}()
		d := Analyze(text)
		d.SecurityReport()
		ch <- result{d: d}
	}()
	select {
	case r := <-ch:
		if r.panic != nil {
			t.Fatalf("%s: panic: %v", name, r.panic)
		}
		return r.d
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: Analyze did not finish within 10 s", name)
	}
	return nil
}

// TestCorpus analyzes every corpus document: no panic, no hang, every
// diagnostic range inside the text, and every document recognised as
// AsyncAPI.
func TestCorpus(t *testing.T) {
	files := append(corpusFiles(t, "."), corpusFiles(t, "peer-tests")...)
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d := analyzeGuarded(t, f, text)
		if !d.IsAsyncAPI {
			t.Errorf("%s: not recognised as an AsyncAPI document", f)
		}
		for _, g := range d.Diagnostics {
			if g.Range.Start < 0 || g.Range.Start > g.Range.End || g.Range.End > len(text) {
				t.Errorf("%s: %s has a bad range %v", f, g.Code, g.Range)
			}
			if strings.Contains(g.Message, "internal error") || strings.Contains(g.Message, "please report") {
				t.Errorf("%s: %s", f, g.Message)
			}
		}
	}
}

// peerCode maps the peers' rule names (Spectral's and @asyncapi/parser's
// security rules) and message prefixes to our codes.
func peerCode(rule, msg string) string {
	switch {
	case rule == "asyncapi2-unused-securityScheme":
		return CodeUnusedScheme
	case strings.Contains(msg, "undefined security scheme"):
		return CodeUndefinedScheme
	case strings.Contains(msg, "Non-existing security scope"):
		return CodeUndefinedScope
	}
	return "?" + rule
}

// peerDifferences lists, per peer-test file, every difference between what
// the peer's test expects and what we report: "+code line:col" only we
// report it, "-code line:col" only the peer does, "~code line:col a->b" we
// both report it with different severities. Lines and columns are 1-based.
// The test fails when our output moves away from this table.
var peerDifferences = map[string][]string{
	// @asyncapi/parser's unused-scheme rule has severity 2 (information);
	// ours is a hint, rendered faded as unnecessary code. Their fixtures
	// are minimal: the schemes lack `type`, which the spec requires, so we
	// also report security-scheme-type on each.
	"parser-tests-unusedsec__02-possible-scheme-is-unused-server-case.yaml": {
		"+security-scheme-type 8:5", "+security-scheme-type 9:5", "~security-unused-scheme 9:5 information->hint",
	},
	// Also a 2.0.0 document with publish.security, which exists only from
	// 2.4.0: the peer ignores the version; we report it (and still count
	// the scheme as used, as the peer does).
	"parser-tests-unusedsec__03-possible-scheme-is-unused-operation-case.yaml": {
		"+security-operation-not-supported 5:7", "+security-scheme-type 9:5", "+security-scheme-type 10:5",
		"~security-unused-scheme 10:5 information->hint",
	},
	// As above; and the server names someScheme1, which is not declared
	// (the fixture declares someSchema): the peer's unused-scheme test does
	// not check names, we report the undefined name.
	"parser-tests-unusedsec__04-possible-scheme-is-unused-both-cases.yaml": {
		"+security-undefined-scheme 5:9", "+security-operation-not-supported 9:7", "+security-scheme-type 13:5",
		"+security-scheme-type 14:5", "+security-scheme-type 15:5",
		"~security-unused-scheme 14:5 information->hint", "~security-unused-scheme 15:5 information->hint",
	},
	// Spectral's "valid" fixtures have an implicit flow without
	// authorizationUrl, which the spec REQUIRES for implicit: we report it,
	// and the implicit flow itself (deprecated by RFC 9700, a warning).
	"spectral-tests-opsec__03-valid-case-oauth2.yaml":  {"+security-scheme-field 13:9", "+security-deprecated-flow 13:9"},
	"spectral-tests-srvsec__03-valid-case-oauth2.yaml": {"+security-scheme-field 12:9", "+security-deprecated-flow 12:9"},
	// The only declared scheme lacks `type` and is used by nothing (the
	// operation names only the undefined one): we report both.
	"spectral-tests-opsec__04-invalid-case-publish-operation.yaml": {"+security-scheme-type 9:5", "+security-unused-scheme 9:5"},
	"spectral-tests-srvsec__04-invalid-case.yaml":                  {"+security-scheme-type 8:5", "+security-unused-scheme 8:5"},
	// Flows without their required URLs (implicit: authorizationUrl;
	// password and clientCredentials: tokenUrl); the implicit and password
	// flows are deprecated (RFC 9700, warnings).
	"spectral-tests-opsec__07-invalid-case-oauth2-multiple-flows-and-not-defined-scopes.yaml": {
		"+security-scheme-field 15:9", "+security-scheme-field 19:9", "+security-scheme-field 23:9",
		"+security-deprecated-flow 15:9", "+security-deprecated-flow 19:9",
	},
	"spectral-tests-srvsec__06-invalid-case-oauth2-multiple-flows-and-not-defined-scopes.yaml": {
		"+security-scheme-field 14:9", "+security-scheme-field 18:9", "+security-scheme-field 22:9",
		"+security-deprecated-flow 14:9", "+security-deprecated-flow 18:9",
	},
	// notDefinedFlow is not an OAuth flow: the peer just ignores it; we
	// report it (the schema rejects it too). Plus the implicit URL, and the
	// implicit flow (deprecated).
	"spectral-tests-opsec__08-invalid-case-oauth2-not-valid-flow.yaml":  {"+security-scheme-field 14:9", "+security-scheme-field 18:9", "+security-deprecated-flow 14:9"},
	"spectral-tests-opsec__09-invalid-case-multiple-securities.yaml":    {"+security-scheme-field 15:9", "+security-scheme-field 19:9", "+security-deprecated-flow 15:9"},
	"spectral-tests-srvsec__07-invalid-case-oauth2-not-valid-flow.yaml": {"+security-scheme-field 13:9", "+security-scheme-field 17:9", "+security-deprecated-flow 13:9"},
}

type peerExpectation struct {
	Rule           string `json:"rule"`
	ExpectedErrors []struct {
		Message  string `json:"message"`
		Path     string `json:"path"`
		Severity int    `json:"severity"`
	} `json:"expectedErrors"`
}

// peerNode follows a dotted peer path in our tree and returns the ranges
// a diagnostic about it may have: the key it ends at and its value.
func peerNode(root *syntax.Node, path string) []syntax.Range {
	n := root
	var key *syntax.Node
	for _, p := range strings.Split(path, ".") {
		if items := n.Items(); items != nil {
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(items) {
				return nil
			}
			n, key = items[i], nil
			continue
		}
		k, v := n.Pair(p)
		if k == nil {
			return nil
		}
		n, key = v, k
	}
	out := []syntax.Range{n.Range()}
	if key != nil {
		out = append(out, key.Range())
	}
	return out
}

var spectralSeverity = map[int]syntax.Severity{0: syntax.SeverityError, 1: syntax.SeverityWarning, 2: syntax.SeverityInformation, 3: syntax.SeverityHint}

// TestPeerTests compares our diagnostics with the errors Spectral's and
// @asyncapi/parser's own tests expect for the same documents.
func TestPeerTests(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range corpusFiles(t, "peer-tests") {
		base := filepath.Base(f)
		seen[base] = true
		t.Run(base, func(t *testing.T) {
			text, _ := os.ReadFile(f)
			raw, err := os.ReadFile(f + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var exp peerExpectation
			if err := json.Unmarshal(raw, &exp); err != nil {
				t.Fatal(err)
			}
			d := analyzeGuarded(t, f, text)
			pos := func(r syntax.Range) string {
				p := d.Mapper.Position(r.Start)
				return fmt.Sprintf("%d:%d", p.Line+1, p.Character+1)
			}
			used := make([]bool, len(d.Diagnostics))
			var diffs []string
			for _, e := range exp.ExpectedErrors {
				code := peerCode(exp.Rule, e.Message)
				ranges := peerNode(d.Root, e.Path)
				if ranges == nil {
					t.Fatalf("peer path %s not found in our tree", e.Path)
				}
				found := false
				for i, g := range d.Diagnostics {
					if used[i] || g.Code != code || (g.Range != ranges[0] && (len(ranges) < 2 || g.Range != ranges[1])) {
						continue
					}
					used[i], found = true, true
					if want := spectralSeverity[e.Severity]; want != g.Severity {
						diffs = append(diffs, fmt.Sprintf("~%s %s %s->%s", code, pos(g.Range), want, g.Severity))
					}
					break
				}
				if !found {
					diffs = append(diffs, fmt.Sprintf("-%s %s", code, pos(ranges[0])))
				}
			}
			for i, g := range d.Diagnostics {
				// The peers' tests run only their security rules, on
				// fragments without info or channels: schema diagnostics
				// are compared with theirs elsewhere (tools/peernoise).
				if !used[i] && !isSchemaCode(g.Code) {
					diffs = append(diffs, fmt.Sprintf("+%s %s", g.Code, pos(g.Range)))
				}
			}
			want := append([]string(nil), peerDifferences[base]...)
			sort.Strings(diffs)
			sort.Strings(want)
			if strings.Join(diffs, "\n") != strings.Join(want, "\n") {
				t.Errorf("differences from the peer changed\n got %q\nwant %q", diffs, want)
			}
		})
	}
	for name := range peerDifferences {
		if !seen[name] {
			t.Errorf("peerDifferences names %s, which is not in the corpus", name)
		}
	}
}
