package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestSchemaAcrossSyntaxErrors: a line typed character by character goes
// through versions with a syntax error, which are not validated against
// the schema; the first version without one validates again only the
// entries replaced since the last validated version (not the whole
// document), and says what a cold analysis says. A version change in
// between validates the whole document.
func TestSchemaAcrossSyntaxErrors(t *testing.T) {
	for _, c := range []struct {
		name      string
		doc       string
		after     string // the line is typed after this text
		line      string
		whole     bool // the last version is validated whole
		broken    bool // some version on the way has a syntax error
		version   string
		versionTo string
	}{
		{"scope line", forwardDoc(5, false), "'events:write': Write events\n", "            'events:admin': Admin\n", false, true, "", ""},
		{"unknown server field", forwardDoc(5, false), "    protocol: mqtt\n", "    'bogus': 1\n", false, true, "", ""},
		{"field that fixes a required one", strings.Replace(incV3, "    action: send\n", "", 1), "  sendOrder:\n", "    'action': send\n", false, true, "", ""},
		{"version changed while broken", forwardDoc(5, false), "    protocol: mqtt\n", "    'bogus': 1\n", true, true, "asyncapi: 3.0.0", "asyncapi: 3.1.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := Analyze([]byte(c.doc))
			at := strings.Index(c.doc, c.after)
			if at < 0 {
				t.Fatalf("no %q", c.after)
			}
			at += len(c.after)
			broken := false
			for i, r := range c.line {
				s := string(r)
				e := syntax.Edit{Start: at, End: at, Text: s}
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				at += len(s)
				if len(prev.Tree.Diagnostics) > 0 {
					broken = true
					if i == 3 && c.versionTo != "" {
						v := strings.Index(string(prev.Text), c.version)
						e := syntax.Edit{Start: v, End: v + len(c.version), Text: c.versionTo}
						prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
						at += len(c.versionTo) - len(c.version)
					}
				}
			}
			if broken != c.broken {
				t.Fatalf("a version with a syntax error on the way: %v, want %v", broken, c.broken)
			}
			if len(prev.Tree.Diagnostics) > 0 || prev.inc.path != pathRegion {
				t.Fatalf("the last version: syntax %v, path %d (%q)", prev.Tree.Diagnostics, prev.inc.path, prev.inc.reason)
			}
			if prev.inc.schemaWhole != c.whole {
				t.Fatalf("the last version validated whole: %v, want %v", prev.inc.schemaWhole, c.whole)
			}
		})
	}
}
