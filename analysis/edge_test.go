package analysis

import (
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/markertest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// unknownDoc has a server and an operation that cannot be read, and
// channels whose servers are unknown or all undefined.
const unknownDoc = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  missing: {$ref: '#/components/servers/nope'}
  shared: {$ref: 'servers.yaml#/prod'}
  broken: 42
channels:
  all: {address: all}
  notAList: {servers: {$ref: '#/servers/missing'}}
  onlyUndefined: {servers: [{$ref: '#/servers/staging'}]}
operations:
  onAll: {action: receive, channel: {$ref: '#/channels/all'}}
  onNotAList: {action: receive, channel: {$ref: '#/channels/notAList'}}
  onUndefined: {action: receive, channel: {$ref: '#/channels/onlyUndefined'}}
  lost: {$ref: '#/components/operations/gone'}
`

// TestReportMarksUnknownSecurity: the JSON report never shows a server or
// operation that cannot be read as one without security: it marks it
// unresolved, external or invalid, and a channel's unusable servers list
// is marked too.
func TestReportMarksUnknownSecurity(t *testing.T) {
	d := Analyze([]byte(unknownDoc))
	data, err := json.Marshal(d.SecurityReport())
	if err != nil {
		t.Fatal(err)
	}
	var ops []map[string]any
	if err := json.Unmarshal(data, &ops); err != nil {
		t.Fatal(err)
	}
	byName := map[string]map[string]any{}
	for _, o := range ops {
		byName[o["name"].(string)] = o
	}
	servers := byName["onAll"]["servers"].([]any)
	want := map[string]string{"missing": "unresolved", "shared": "external", "broken": "invalid"}
	if len(servers) != len(want) {
		t.Fatalf("onAll runs on %d servers, want %d: %s", len(servers), len(want), data)
	}
	for _, s := range servers {
		s := s.(map[string]any)
		if flag := want[s["name"].(string)]; s[flag] != true {
			t.Errorf("server %v: want %q: true in %v", s["name"], flag, s)
		}
	}
	if o := byName["onNotAList"]; o["channelServersInvalid"] != true || len(o["servers"].([]any)) != 0 {
		t.Errorf("onNotAList: want channelServersInvalid and no servers, got %v", o)
	}
	if o := byName["onUndefined"]; len(o["servers"].([]any)) != 0 || len(o["undefinedServers"].([]any)) != 1 {
		t.Errorf("onUndefined: want no servers and one undefined server, got %v", o)
	}
	if o := byName["lost"]; o["unresolved"] != true {
		t.Errorf("lost: want unresolved: true, got %v", o)
	}
	text := ReportText("doc", d.SecurityReport()) + ReportMarkdown("doc", d.SecurityReport())
	for _, s := range []string{"unknown: unresolved", "unknown: external", "unknown: invalid", "servers is not a list", "names no defined root server: #/servers/staging"} {
		if strings.Count(text, s) < 2 {
			t.Errorf("text and Markdown reports should both say %q:\n%s", s, text)
		}
	}
}

// TestIncrementalOnMarkerDocuments runs random edits on every marker
// document (the edge cases of the spec, the audit rules) and compares each
// Update with a cold Analyze.
func TestIncrementalOnMarkerDocuments(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../testdata/markers/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no marker documents: %v", err)
	}
	steps := testenv.Count(12, 80)
	for _, f := range files {
		c, err := markertest.Parse(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(c.Name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(c.Doc)), 9))
			prev := Analyze(c.Doc)
			for i := 0; i < steps; i++ {
				e := edittest.RandomEdit(rng, prev.Text)
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				if i%4 == 3 {
					undo := edittest.TrimEdit(prev.Text, c.Doc)
					prev = checkUpdate(t, prev, []syntax.Edit{undo}, c.Doc)
				}
			}
		})
	}
}

// TestReportMarksUnknownServersV2: the same in 2.x, where channels name
// servers: a root server whose $ref does not resolve is unresolved, and a
// server that is not a mapping is invalid.
func TestReportMarksUnknownServersV2(t *testing.T) {
	d := Analyze([]byte(`asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  missing: {$ref: '#/components/servers/nope'}
  broken: [1, 2]
  fine: {url: f.example.com, protocol: secure-mqtt}
channels:
  c:
    servers: [missing, broken, fine]
    publish: {operationId: send}
`))
	report := d.SecurityReport()
	if len(report) != 1 || len(report[0].Servers) != 3 {
		t.Fatalf("want one operation on three servers, got %+v", report)
	}
	got := map[string][3]bool{}
	for _, s := range report[0].Servers {
		got[s.Name] = [3]bool{s.Unresolved, s.External, s.Invalid}
	}
	want := map[string][3]bool{"missing": {true, false, false}, "broken": {false, false, true}, "fine": {}}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("server %s: (unresolved, external, invalid) = %v, want %v", name, got[name], w)
		}
	}
	text := ReportText("doc", report)
	for _, want := range []string{"unknown: unresolved", "unknown: invalid"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text report does not say %q:\n%s", want, text)
		}
	}
}
