package analysis

import (
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// A component scheme added (typed after the last entry, before another,
// or its key's colon typed back) or dropped (its key lost its colon) is a
// unit that grows or goes (model_inc.go: grow, keylessDropsUnit); the
// schemes section whose own key line broke drops its units as a block
// (blockDrop). The unused-scheme counts pair the schemes of two versions
// by object (rebuiltUseCounts), so the schemes after the edit may move.
// What must be checked again: the units that name a scheme that appears
// or disappears (by $ref, or in 2.x by name in a requirement), and those
// whose undefined-scheme errors list the names. Every step is compared
// with a cold analysis (checkUpdate); the counts say that nothing else is
// rebuilt.

// schemesV3: prod uses key, recvUser token, sendOrder the undefined
// later, idle nothing; spare is unused.
const schemesV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  prod:
    host: h.example.com
    protocol: https
    security:
      - $ref: '#/components/securitySchemes/key'
channels:
  users: {address: users}
  orders: {address: orders}
operations:
  recvUser:
    action: receive
    channel: {$ref: '#/channels/users'}
    security:
      - $ref: '#/components/securitySchemes/token'
  sendOrder:
    action: send
    channel: {$ref: '#/channels/orders'}
    security:
      - $ref: '#/components/securitySchemes/later'
  idle:
    action: send
    channel: {$ref: '#/channels/orders'}
components:
  securitySchemes:
    key: {type: httpApiKey, name: k, in: header}
    token: {type: http, scheme: bearer}
    spare: {type: http, scheme: basic}
`

// schemesV2: the same in 2.x, requirements by name: prod names basic,
// a's subscribe names token, b's publish the undefined later; unused is
// unused. (The schemes dropped are not the first in JSON, whose keys
// prettyJSON sorts: a first unit's drop is undone whole, TestFirstUnitDrop.)
const schemesV2 = `asyncapi: '2.6.0'
info: {title: t, version: '1'}
servers:
  prod:
    url: mqtts://broker.example.com
    protocol: secure-mqtt
    security:
      - basic: []
channels:
  a:
    servers: [prod]
    subscribe:
      security:
        - token: []
      message: {payload: {type: string}}
  b:
    publish:
      security:
        - later: []
      message: {payload: {type: string}}
  c:
    publish:
      message: {payload: {type: string}}
components:
  securitySchemes:
    basic: {type: userPassword}
    token: {type: http, scheme: bearer}
    unused: {type: http, scheme: basic}
`

func TestSchemeAddDrop(t *testing.T) {
	type step struct {
		find     string
		off, del int
		ins      string
		units    int // rebuilt
		chkd     int // of them checked again
		// undo: the edit undone rebuilds units too (the colon typed
		// back); a whole entry deleted is an edit of its section, built
		// whole
		undo bool
	}
	drop := func(key string, units, chkd int) [2]step {
		return [2]step{{"\n    " + key + ":", len(key) + 5, 1, "", units, chkd, true}, {`"` + key + `": {`, len(key) + 2, 1, "", units, chkd, true}}
	}
	add := func(before, entry, jsonEntry string, units, chkd int) [2]step {
		return [2]step{{"\n    " + before + ":", 1, 0, "    " + entry + "\n", units, chkd, false}, {`      "` + before + `": {`, 0, 0, "      " + jsonEntry + ",\n", units, chkd, false}}
	}
	cases := []struct {
		name  string
		doc   string
		steps [2]step // YAML, JSON (prettyJSON: keys sorted)
	}{
		// token dropped: recvUser's $ref now misses (an undefined-scheme
		// error), and sendOrder's error lists the names: both checked again
		{"used scheme dropped", schemesV3, drop("token", 3, 3)},
		// spare dropped: nothing names it but sendOrder's error
		{"unused scheme dropped", schemesV3, drop("spare", 2, 2)},
		// later typed before token (one region with it, which becomes two
		// entries: token is made again): sendOrder's $ref lands on later
		// now (no error; later is used), recvUser's on the new token
		{"undefined scheme added", schemesV3, add("token", "later: {type: http, scheme: basic}", `"later": {"type": "http", "scheme": "basic"}`, 3, 3)},
		// more is unused; sendOrder's error lists the names
		{"unused scheme added", schemesV3, add("token", "more: {type: X509}", `"more": {"type": "X509"}`, 3, 3)},
		{"v2 used scheme dropped", schemesV2, drop("token", 3, 3)},
		{"v2 unused scheme dropped", schemesV2, drop("unused", 2, 2)},
		// a names token, b names later (and its error lists the names)
		{"v2 undefined scheme added", schemesV2, add("token", "later: {type: http, scheme: basic}", `"later": {"type": "http", "scheme": "basic"}`, 3, 3)},
		{"v2 unused scheme added", schemesV2, add("token", "more: {type: X509}", `"more": {"type": "X509"}`, 3, 3)},
	}
	for _, c := range cases {
		for j, json := range []bool{false, true} {
			name, doc := c.name, c.doc
			if json {
				name, doc = name+" json", string(prettyJSON(t, []byte(doc)))
			}
			st := c.steps[j]
			t.Run(name, func(t *testing.T) {
				runSchemeStep(t, doc, st.find, st.off, st.del, st.ins, st.units, st.chkd, st.undo)
			})
		}
	}
}

// runSchemeStep applies one edit to doc, compares it (and its undo) with
// a cold analysis, and checks that the model was rebuilt in part: units
// rebuilt, chkd checked again (-1: not asserted); with undoPartial, the
// undo too.
func runSchemeStep(t *testing.T, doc, find string, off, del int, ins string, units, chkd int, undoPartial bool) *Document {
	t.Helper()
	at := strings.Index(doc, find)
	if at < 0 {
		t.Fatalf("no %q", find)
	}
	prev := Analyze([]byte(doc))
	e := syntax.Edit{Start: at + off, End: at + off + del, Text: ins}
	got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	if got.inc.path != pathRegion {
		t.Fatalf("not a region re-parse: %q", got.inc.reason)
	}
	if !got.inc.modelReused {
		t.Fatalf("the model was built whole: %q", got.inc.modelWhy)
	}
	if units >= 0 && (got.inc.units != units || got.inc.checked != chkd) {
		t.Fatalf("%d units rebuilt, %d checked again; want %d and %d", got.inc.units, got.inc.checked, units, chkd)
	}
	undo := editBetween(got.Text, []byte(doc))
	back := checkUpdate(t, got, []syntax.Edit{undo}, []byte(doc))
	if undoPartial && !back.inc.modelReused {
		t.Fatalf("undone: the model was built whole: %q", back.inc.modelWhy)
	}
	return got
}

// TestSectionDropOnCorpus breaks the key line of each model section of
// the real documents of the corpus, and of components (its colon deleted,
// or a character typed after it), then undoes the edit, each step
// compared with a cold analysis. The schemes section and components drop
// their units as a block (blockDrop, componentsDrop) when the units they
// reach are few enough (maxBlock).
func TestSectionDropOnCorpus(t *testing.T) {
	t.Parallel()
	edits, partial := 0, 0
	whys := map[string]int{}
	forCorpusModels(t, func(t *testing.T, doc *Document) {
		text := doc.Text
		var keyNodes []*syntax.Node
		if k, _ := doc.Root.Pair("components"); k != nil {
			keyNodes = append(keyNodes, k)
			if k2, _ := doc.Root.Key("components").Pair("securitySchemes"); k2 != nil {
				keyNodes = append(keyNodes, k2)
			}
		}
		for _, k := range keyNodes {
			colon := doc.R(k).End
			for colon < len(text) && text[colon] == ' ' {
				colon++
			}
			if colon >= len(text) || text[colon] != ':' {
				continue
			}
			for _, e := range []syntax.Edit{{Start: colon, End: colon + 1}, {Start: colon + 1, End: colon + 1, Text: "x"}} {
				got := checkUpdate(t, doc, []syntax.Edit{e}, e.Apply(doc.Text))
				undo := editBetween(got.Text, text)
				checkUpdate(t, got, []syntax.Edit{undo}, text)
				edits++
				if got.inc.modelReused {
					partial++
				} else {
					whys[got.inc.modelWhy]++
				}
			}
		}
	})
	t.Logf("%d edits of the components and securitySchemes key lines: %d with a partial model; built whole: %v", edits, partial, whys)
	if edits < 20 || partial < edits/2 {
		t.Errorf("%d edits, %d with a partial model: want at least 20, half of them partial", edits, partial)
	}
}

// TestComponentsRenamed: the components key renamed (a character typed
// before its colon), or its value replaced by an empty mapping, drops its
// model sections as a block (componentsDrop);
// a near miss: when another components key follows, build reads that one
// now, which is not a drop (built whole).
func TestComponentsRenamed(t *testing.T) {
	got := runSchemeStep(t, incV3, "\ncomponents:", 11, 0, "x", -1, -1, false) // (undone: a section back, built whole)
	if got.inc.units == 0 {
		t.Fatalf("no unit rebuilt")
	}
	// components emptied ({}: its value replaced whole, a paste)
	at0 := strings.Index(incV3, "\ncomponents:") + 12
	runSchemeStep(t, incV3, "\ncomponents:", 12, len(incV3)-at0, " {}\n", -1, -1, false)
	dup := schemesV3 + "components:\n  securitySchemes:\n    other: {type: X509}\n"
	at := strings.Index(dup, "\ncomponents:") + 11
	prev := Analyze([]byte(dup))
	e := syntax.Edit{Start: at, End: at, Text: "x"}
	d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	if d.inc.path != pathRegion {
		t.Fatalf("not a region re-parse: %q", d.inc.reason)
	}
	if d.inc.modelReused {
		t.Fatalf("the first of two components keys renamed: the model was not built whole")
	}
}

// TestSchemeTyped types a new component scheme one character at a time
// after the last one (YAML) or after the first member (JSON), in 2.x and
// 3.x: the name sendOrder's (b's) requirement already names, and other
// near names on the way ("l", "la", ...: each a scheme added, renamed, or
// keyless). Then the same with $refs and requirements that land on a
// scheme beside security lists (an x- extension $ref, 3.x) and a
// duplicate name. Every keystroke equals a cold analysis; most rebuild
// the model in part.
func TestSchemeTyped(t *testing.T) {
	extra := strings.Replace(schemesV3, "  idle:\n", "  idle:\n    x-auth: {$ref: '#/components/securitySchemes/later'}\n", 1)
	cases := []struct {
		name, doc, after, typed string
		json                    bool
	}{
		{"v3", schemesV3, "basic}\n", "    later: {type: http, scheme: basic}\n", false},
		{"v3, an extension $refs it", extra, "basic}\n", "    later: {type: http, scheme: basic}\n", false},
		{"v3, a duplicate name", schemesV3, "basic}\n", "    token: {type: X509}\n", false},
		{"v2", schemesV2, "basic}\n", "    later: {type: http, scheme: basic}\n", false},
		{"v2, a duplicate name", schemesV2, "basic}\n", "    token: {type: X509}\n", false},
		// (typed between two members: typed after the last one, the
		// keystroke that opens the new key's string makes a tree that
		// differs from a cold parse's, in the syntax layer)
		{"v3 json", schemesV3, "\"type\": \"httpApiKey\"\n      },\n", "      \"later\": {\"type\": \"http\", \"scheme\": \"basic\"},\n", true},
		{"v2 json", schemesV2, "\"type\": \"userPassword\"\n      },\n", "      \"later\": {\"type\": \"http\", \"scheme\": \"basic\"},\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := c.doc
			if c.json {
				doc = string(prettyJSON(t, []byte(doc)))
			}
			at := strings.Index(doc, c.after)
			if at < 0 {
				t.Fatalf("no %q", c.after)
			}
			at += len(c.after)
			prev := Analyze([]byte(doc))
			partial := 0
			whys := map[string]int{}
			for i := range len(c.typed) {
				e := syntax.Edit{Start: at + i, End: at + i, Text: c.typed[i : i+1]}
				prev = checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				if prev.inc.modelReused {
					partial++
				} else {
					whys[prev.inc.modelWhy]++
				}
			}
			t.Logf("%d keystrokes: %d with a partial model; built whole: %v", len(c.typed), partial, whys)
			if partial < len(c.typed)*3/4 {
				t.Errorf("%d of %d keystrokes with a partial model, want three quarters", partial, len(c.typed))
			}
		})
	}
}

// TestBlockDropCap: a block drop that reaches exactly maxBlock units is
// made (the cap is inclusive); one unit fewer allowed builds the model
// whole, told before any work. The components line and the schemes line
// of incV3, YAML. (The schemes dropped alone, their readers kept, are
// bound by maxDrop instead, switched off here: compdrop.go.)
func TestBlockDropCap(t *testing.T) {
	defer saveBlockBounds()()
	rule := maxBlock
	maxDrop = func(int) int { return -1 }
	for _, head := range []string{"\ncomponents:", "\n  securitySchemes:"} {
		at := strings.Index(incV3, head) + len(head)
		e := syntax.Edit{Start: at, End: at, Text: "x"}
		prev := Analyze([]byte(incV3))
		maxBlock = rule
		got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if !got.inc.modelReused || got.inc.units < 2 {
			t.Fatalf("%q: a partial model of %d units (%q)", head, got.inc.units, got.inc.modelWhy)
		}
		n := got.inc.units
		maxBlock = func(int) int { return n }
		if got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text)); !got.inc.modelReused {
			t.Errorf("%q: a cap of %d units, as many as the drop reaches: built whole (%q)", head, n, got.inc.modelWhy)
		}
		maxBlock = func(int) int { return n - 1 }
		if got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text)); got.inc.modelReused || got.inc.modelWhy != "a section dropped as a block reaches too many units" {
			t.Errorf("%q: a cap of %d units, one fewer than the drop reaches: partial %v (%q)", head, n-1, got.inc.modelReused, got.inc.modelWhy)
		}
	}
}
