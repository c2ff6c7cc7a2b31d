package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestJSONTypedOutsideMembers: in pretty-printed JSON, text typed where
// no member starts yet — a new member after an object's last one (no
// ',' before it yet), a character right after a member's ',' — is an
// error of that member's region, reported where the user types: the
// update is region-local and equals a cold analysis (checkUpdate).
func TestJSONTypedOutsideMembers(t *testing.T) {
	doc := `{
  "asyncapi": "3.0.0",
  "info": {
    "title": "t",
    "version": "1"
  },
  "components": {
    "schemas": {
      "a": {
        "type": "integer",
        "minimum": 0
      },
      "b": {
        "type": "string"
      }
    }
  }
}
`
	prev := Analyze([]byte(doc))
	for _, c := range []struct {
		name, after, ins string
		want             []string // "text at the range: message"
	}{
		{"a new member's key half typed after the last member", `"minimum": 0`, "\n        \"x",
			[]string{`0: missing ',' after this value (the next member follows)`, `"x: this quoted string is never closed`}},
		{"a new member without value after the last member", `"minimum": 0`, "\n        \"x\": ",
			[]string{`0: missing ',' after this value (the next member follows)`, `:: a value must follow this ':'`}},
		{"a character right after a member's ','", `"type": "integer",`, "x",
			[]string{`x: a member must start with its "key" in double quotes`}},
		{"a word typed after a member's ','", `"type": "integer",`, " next",
			[]string{`next: a member must start with its "key" in double quotes`}},
		{"a quote typed after a member's ','", `"type": "integer",`, ` "x`,
			[]string{`"x: this quoted string is never closed`}},
		// YAML's explicit key: the next member reads as its key, valid
		// YAML that JSON does not have (parsed whole, reported as such)
		{"a '?' typed after a member's ','", `"type": "integer",`, `? `, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			i := strings.Index(doc, c.after) + len(c.after)
			e := syntax.Edit{Start: i, End: i, Text: c.ins}
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if c.want == nil {
				return
			}
			if got.inc.path != pathRegion {
				t.Fatalf("parsed whole: %s", got.inc.reason)
			}
			var diags []string
			for _, d := range got.Diagnostics {
				diags = append(diags, string(got.Text[d.Range.Start:d.Range.End])+": "+strings.TrimPrefix(d.Message, "syntax error: "))
			}
			if strings.Join(diags, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(diags, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
