package analysis

// Tests of the root servers' paths (srvdep.go, srvlook.go) written for
// their mutants (session 17, branch mutsrv): each names the rule a
// surviving mutant broke.

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestServersReadersOnAnotherFile: channels on a cleartext root server
// whose operations are $refs into another file, where they ask for an API
// key: their audits report there (insecure-transport), and a build moves
// those findings onto the $ref that leads there (markFar, relocate). The
// servers' colon deleted and typed back (the readers shared, srvlook.go)
// and the server renamed and back (the readers copied with the server
// checks only, srvdep.go): a reader that reported on the other file before
// is not shared nor spared its other checks (farUnit), and one that
// reports there only now is not either (its findings would stay on the
// other file's text): each step equal to a cold analysis.
func TestServersReadersOnAnotherFile(t *testing.T) {
	t.Parallel()
	opts := writeWorkspace(t, map[string]string{
		"shared/ops.yaml": "pub:\n  operationId: pub\n  security:\n    - key: []\nown:\n  operationId: own\n  security:\n    - key: []\n",
	})
	doc := `asyncapi: 2.6.0
info:
  title: far
  version: '1'
servers:
  broker:
    url: mqtt://broker.example.com
    protocol: mqtt
  secure:
    url: mqtts://broker.example.com
    protocol: mqtts
channels:
  events:
    servers: [broker]
    publish:
      $ref: 'shared/ops.yaml#/pub'
  more:
    servers: [broker, secure]
    publish:
      $ref: 'shared/ops.yaml#/pub'
  alone:
    servers: [broker]
    publish:
      $ref: 'shared/ops.yaml#/own'
components:
  securitySchemes:
    key:
      type: httpApiKey
      name: k
      in: query
`
	d := checkUpdateWith(t, Seed(opts), nil, []byte(doc))
	if len(d.far) != 3 || !withCode(d.Diagnostics, CodeInsecureTransport) {
		t.Fatalf("%d objects reported on another file, want the three channels' operations: %v", len(d.far), d.Diagnostics)
	}
	for _, s := range []struct {
		what, at string
		del      int
		ins      string
	}{
		{"the servers' colon deleted", "\nservers:", 1, ""},
		{"typed back", "\nservers", 0, ":"},
		{"the cleartext server renamed", "\n  broker", 0, "x"},
		{"its name back", "\n  brokerx", 1, ""},
		{"the servers' key renamed", "\nservers", 0, "x"},
		{"its name back", "\nserversx", 1, ""},
	} {
		ed := edited(t, d.Text, s.at, s.del, s.ins)
		d = checkUpdateWith(t, d, []syntax.Edit{ed}, ed.Apply(d.Text))
		t.Logf("%s: partial %v (%q), %d units, %d shared, %d copied", s.what, d.inc.modelReused, d.inc.modelWhy, d.inc.units, d.inc.srvShared, d.inc.copied)
	}
	if string(d.Text) != doc {
		t.Errorf("the steps do not lead back to the document:\n%s", d.Text)
	}
}

// TestUnitRebuildPanicAnalysedAfresh: a panic in the unit rebuild (an
// assertion of the servers' paths, say: shareServerDeps) is one of the
// incremental path's, as a panic in the region re-parse is
// (TestUpdateInternalErrorIsReported): users get a Document from a full
// analysis, with InternalError set, not the partial model with an
// "internal error" diagnostic that analyze's own recovery makes of a
// full build's panic; with recovery off (this package's tests) it
// reaches the caller.
func TestUnitRebuildPanicAnalysedAfresh(t *testing.T) {
	prev := Analyze([]byte(incV3))
	e := syntax.Edit{Start: strings.Index(incV3, "Sends an order"), End: strings.Index(incV3, "Sends an order"), Text: "x"}
	text := e.Apply(prev.Text)
	if d := checkUpdate(t, prev, []syntax.Edit{e}, text); !d.inc.modelReused {
		t.Fatalf("the edit rebuilds no unit (%q)", d.inc.modelWhy)
	}
	recheck := maxRecheck
	maxRecheck = func(int) int { panic("injected in the unit rebuild") }
	defer func() { maxRecheck = recheck }()

	recoverUpdatePanics = true
	got := Update(prev, []syntax.Edit{e}, text)
	recoverUpdatePanics = false
	maxRecheck = recheck
	if s := diffDocs(Analyze(text), got); s != "" {
		t.Fatalf("the recovered Document differs from a full analysis: %s", s)
	}
	if ie := got.InternalError(); !strings.HasPrefix(ie, "internal error: injected in the unit rebuild") {
		t.Fatalf("InternalError = %q, want the panic", ie)
	}

	maxRecheck = func(int) int { panic("injected in the unit rebuild") }
	panicked := func() (p any) {
		defer func() { p = recover() }()
		Update(prev, []syntax.Edit{e}, text)
		return nil
	}()
	if panicked == nil {
		t.Fatal("with recovery off, a panic in the unit rebuild must reach the caller")
	}
}
