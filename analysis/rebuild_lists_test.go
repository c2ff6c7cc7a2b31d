package analysis

// Tests of what a unit rebuild makes for the new version (its lists, its
// reason when no model is reused) and of which units a rename reaches
// (session 17, branch mutmodel).

import (
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// TestUnitRebuildListsAtTheirSize: the lists a unit rebuild makes anew
// for the version it builds, which live as long as that version, are
// allocated at their size: the $refs (the region's made again, the
// others shared) and the runs of the section whose changed unit became
// two entries.
func TestUnitRebuildListsAtTheirSize(t *testing.T) {
	t.Parallel()
	prev := Analyze(overlayChainDoc(3))
	for _, c := range []struct{ name, at, ins string }{
		{"the $refs of a region that held some", "    messages:", " # c"},
		{"the runs of a unit that became two", "  c1:\n", "  c2:\n"},
	} {
		e := edited(t, prev.Text, c.at, 0, c.ins)
		d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		runs := d.runs[secChannels]
		if !d.inc.modelReused || cap(d.Refs) != len(d.Refs) || cap(runs) != len(runs) {
			t.Errorf("%s: partial %v (%q); %d $refs in %d, %d channel runs in %d; want each at its size",
				c.name, d.inc.modelReused, d.inc.modelWhy, len(d.Refs), cap(d.Refs), len(runs), cap(runs))
		}
	}
}

// TestRefEditsOnlyWhenRefsChange: a unit rebuild records how it changed
// the list of $refs (refEdits, through which the index of $refs by
// target maps the full build's indexes, up to maxRefEdits of them) only
// when its region held or holds $refs: an edit of a unit without any
// records none.
func TestRefEditsOnlyWhenRefsChange(t *testing.T) {
	t.Parallel()
	prev := Analyze(overlayChainDoc(3))
	for _, c := range []struct {
		name, at, ins string
		edits         int
	}{
		{"a channel without $refs", "address: b", "x", 0},
		{"the messages of a channel", "    messages:", " # c", 1},
	} {
		e := edited(t, prev.Text, c.at, 0, c.ins)
		d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if !d.inc.modelReused || len(d.refEdits) != c.edits {
			t.Errorf("%s edited: partial %v (%q), %d $ref edits recorded; want %d", c.name, d.inc.modelReused, d.inc.modelWhy, len(d.refEdits), c.edits)
		}
	}
}

// TestNoAsyncAPIKeyNamedAsModelReason: an edit re-parsed as a region that
// leaves the text without its asyncapi key builds no model and names that
// as why no unit was reused (the typing sweep's reasons); a text parsed
// whole, by Analyze or by an update that re-parses it all, reused no model
// to begin with and names no such reason.
func TestNoAsyncAPIKeyNamedAsModelReason(t *testing.T) {
	t.Parallel()
	prev := Analyze(overlayChainDoc(1))
	for _, c := range []struct {
		name, at string
		del      int
		why      string
	}{
		{"the key renamed (a region)", "asyncapi", 1, "no asyncapi key: no model is built"},
		{"the key's line deleted (parsed whole)", "asyncapi: 3.0.0\n", len("asyncapi: 3.0.0\n"), ""},
	} {
		e := edited(t, prev.Text, c.at, c.del, "")
		d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if d.inc.modelWhy != c.why || (d.inc.path == pathRegion) != (c.why != "") {
			t.Errorf("%s: path %d, model reason %q; want %q", c.name, d.inc.path, d.inc.modelWhy, c.why)
		}
		if cold := Analyze(d.Text); cold.inc.modelWhy != "" {
			t.Errorf("%s: a cold analysis names %q", c.name, cold.inc.modelWhy)
		}
	}
}

// TestServerRenamedSparesSchemeNamesakes: a root server renamed to or
// from a name that a security scheme also has rebuilds the units that
// name servers by that name (or run on every server), not those whose
// requirements name the scheme (names of servers and of schemes are
// looked up apart: a scheme's users are forced when a scheme is renamed
// or given back). 2.6: a channel on another server whose operation's
// requirement names the scheme is kept.
func TestServerRenamedSparesSchemeNamesakes(t *testing.T) {
	t.Parallel()
	const doc = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  prod: {url: h, protocol: ws}
  other: {url: h, protocol: ws}
channels:
  c0:
    servers: [other]
    publish:
      security:
        - prod: []
components:
  securitySchemes:
    prod: {type: userPassword}
`
	prev := Analyze([]byte(doc))
	e := edited(t, prev.Text, "\n  prod", 0, "x")
	got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, prev.Text)}, prev.Text)
	for _, d := range []*Document{got, back} {
		if !d.inc.modelReused || d.inc.units != 1 {
			t.Errorf("partial %v (%q), %d units rebuilt; want the server alone", d.inc.modelReused, d.inc.modelWhy, d.inc.units)
		}
	}
}
