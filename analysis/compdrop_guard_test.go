package analysis

// The guards of the component schemes dropped or given back alone
// (compdrop.go), each with a document that reaches it (session 17,
// branch mutsec: each kills a mutant that lived or was not covered).

import (
	"bytes"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// schemesDropped types a character after the colon of doc's head (the
// securitySchemes key line) and returns the analysis before and the
// update, checked against a cold analysis.
func schemesDropped(t *testing.T, doc, head string) (prev, got *Document) {
	t.Helper()
	prev = Analyze([]byte(doc))
	at := bytes.Index(prev.Text, []byte(head))
	if at < 0 {
		t.Fatalf("no %q", head)
	}
	at += len(head)
	e := syntax.Edit{Start: at, End: at, Text: "x"}
	return prev, checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
}

// TestSchemesDropReaderNotKept: the securitySchemes key line broken in a
// 3.0 document where a $ref outside the section reads a scheme's path and
// its unit cannot be kept as it is: a server $ref of a component channel
// that an operation models on the fly (the channel's check claims it and
// reports where it lands), an operation that is itself a $ref to a node
// inside a scheme (its whole model is read through it). The drop takes
// the general path (no unit dropped alone), equal to a cold analysis, and
// so do a keystroke after it and the key given back.
func TestSchemesDropReaderNotKept(t *testing.T) {
	t.Parallel()
	claimed := strings.Replace(compDropV3, "  o3: {", "  o4: {action: send, channel: {$ref: '#/components/channels/cc'}}\n  o3: {", 1)
	claimed = strings.Replace(claimed, "\n  messages:", "\n  channels:\n    cc: {address: cc, servers: [{$ref: '#/components/securitySchemes/k0/type'}]}\n  messages:", 1)
	unitRef := strings.Replace(compDropV3, "  o3: {", "  o5: {$ref: '#/components/securitySchemes/k2/x-op'}\n  o3: {", 1)
	unitRef = strings.Replace(unitRef, "k2: {type: http, scheme: basic}", "k2: {type: http, scheme: basic, x-op: {action: send}}", 1)
	for _, c := range []struct{ name, doc string }{
		{"a claimed server $ref of a component channel modelled on the fly", claimed},
		{"an operation that is a $ref into a scheme", unitRef},
	} {
		prev, got := schemesDropped(t, c.doc, "\n  securitySchemes:")
		if !got.inc.modelReused || got.inc.dropped != 0 {
			t.Errorf("%s: partial %v (%q), %d units dropped alone; want the general path", c.name, got.inc.modelReused, got.inc.modelWhy, got.inc.dropped)
		}
		k := edited(t, got.Text, "o0:", 0, "z")
		next := checkUpdate(t, got, []syntax.Edit{k}, k.Apply(got.Text))
		checkUpdate(t, next, []syntax.Edit{editBetween(next.Text, got.Text)}, got.Text)
		checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
	}
}

// TestSchemesGivenBackNotAsBuilt: component schemes given back to a
// document whose schemes were dropped alone take the general path, equal
// to a cold analysis, when the schemes given back are not what the kept
// entries name: a scheme given back that is a $ref (to an operation's
// inline scheme, which the scheme models then), an entry typed while the
// schemes were away whose $ref lands on a node inside a scheme given back
// that a build makes an inline scheme of (entriesAsBuilt).
func TestSchemesGivenBackNotAsBuilt(t *testing.T) {
	t.Parallel()
	head := "\n  securitySchemes:"
	t.Run("a scheme that is a $ref", func(t *testing.T) {
		_, got := schemesDropped(t, compDropV3, head)
		want := []byte(strings.Replace(compDropV3, "unused: {type: http, scheme: bearer}", "unused: {$ref: '#/operations/o0/security/1'}", 1))
		back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, want)}, want)
		if got.inc.dropped == 0 || !back.inc.modelReused || back.inc.givenBack != 0 {
			t.Errorf("%d dropped alone; given back: partial %v (%q), %d alone; want the general path", got.inc.dropped, back.inc.modelReused, back.inc.modelWhy, back.inc.givenBack)
		}
	})
	t.Run("an entry on an inline scheme inside a scheme", func(t *testing.T) {
		doc := strings.Replace(compDropV3, "k2: {type: http, scheme: basic}", "k2: {type: http, scheme: basic, x-in: {type: http, scheme: bearer}}", 1)
		const entry = "security: [{$ref: '#/components/securitySchemes/k2/x-in'}]}"
		_, got := schemesDropped(t, doc, head)
		typed := []byte(strings.Replace(string(got.Text), "security: []}", entry, 1))
		mid := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, typed)}, typed)
		want := []byte(strings.Replace(doc, "security: []}", entry, 1))
		back := checkUpdate(t, mid, []syntax.Edit{editBetween(mid.Text, want)}, want)
		if got.inc.dropped == 0 || back.inc.givenBack != 0 {
			t.Errorf("%d dropped alone; given back: partial %v (%q), %d alone; want the general path", got.inc.dropped, back.inc.modelReused, back.inc.modelWhy, back.inc.givenBack)
		}
	})
}

// TestSchemesGivenBackBound: component schemes given back alone are
// bound by maxDrop (the schemes given back), as their drop is: at the
// bound they go alone, one under it the general path.
func TestSchemesGivenBackBound(t *testing.T) {
	defer saveBlockBounds()()
	_, got := schemesDropped(t, compDropV3, "\n  securitySchemes:")
	n := got.inc.dropped
	for _, c := range []struct{ drop, want int }{{n, n}, {n - 1, 0}} {
		maxDrop = func(int) int { return c.drop }
		back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, []byte(compDropV3))}, []byte(compDropV3))
		if back.inc.givenBack != c.want || !back.inc.modelReused {
			t.Errorf("maxDrop %d: partial %v (%q), %d given back alone; want %d", c.drop, back.inc.modelReused, back.inc.modelWhy, back.inc.givenBack, c.want)
		}
	}
}

// TestSchemesDropReaderInOtherUnits: the securitySchemes key line broken
// where a $ref outside the section reads a scheme's path from a unit the
// drop does not keep readers in: a server's or a trait's unit (only a
// channel's or an operation's $refs are told apart by what their model
// reads: relinker.reads), a unit of a section that merges entries in, a
// holder with duplicate `$ref` keys (the last one wins). The drop takes
// the general path, equal to a cold analysis. (These refusals are
// conservative: with each lifted the drop alone is equal to a cold
// analysis in these documents too; the test pins the scope as built.)
func TestSchemesDropReaderInOtherUnits(t *testing.T) {
	t.Parallel()
	const ext = "{$ref: '#/components/securitySchemes/k0/type'}"
	for _, c := range []struct{ name, doc string }{
		{"a server's unit", strings.Replace(compDropV3, "s2: {host: c.example.com, protocol: mqtts}", "s2: {host: c.example.com, protocol: mqtts, x-k: "+ext+"}", 1)},
		{"a trait's unit", strings.Replace(compDropV3, "t0: {security: [{$ref: '#/components/securitySchemes/k0'}]}", "t0: {security: [{$ref: '#/components/securitySchemes/k0'}], x-k: "+ext+"}", 1)},
		{"a section that merges entries in", strings.Replace(strings.Replace(compDropV3, "\noperations:\n", "\noperations:\n  <<: {om: {action: send, channel: {$ref: '#/channels/c0'}}}\n", 1),
			"o3: {action: send, channel: {$ref: '#/channels/c0'}, security: []}", "o3: {action: send, channel: {$ref: '#/channels/c0'}, security: [], x-k: "+ext+"}", 1)},
		{"duplicate $ref keys", strings.Replace(compDropV3, "info: {title: t, version: '1'}", "info: {title: t, version: '1', x-auth: {$ref: '#/components/securitySchemes/k0/type', $ref: '#/components/messages/m'}}", 1)},
	} {
		prev, got := schemesDropped(t, c.doc, "\n  securitySchemes:")
		if !got.inc.modelReused || got.inc.dropped != 0 {
			t.Errorf("%s: partial %v (%q), %d units dropped alone; want the general path", c.name, got.inc.modelReused, got.inc.modelWhy, got.inc.dropped)
		}
		checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
	}
}
