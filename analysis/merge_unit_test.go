package analysis

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// A unit of a section that merges entries in (`<<`) rebuilt alone: build
// makes the keys the section writes units first, then those its merge
// keys bring in (pairsMerged), so the unit that holds a place is found by
// its key (Document.mergeIdx, mergedUnitAt), not by its pair's position.
// An edit inside a written entry, or inside an entry merged in from a
// block mapping (`<<:` with the entries below it), rebuilds that unit and
// its dependents; a unit of such a section that depends on what changed
// (it $refs a server edited, its requirement names a scheme edited) is
// rebuilt alone too. An entry renamed, added or dropped there may shadow
// another or stop shadowing it: the model is built whole, as it is for an
// edit of a merge key's own entry (`<<: {…}` in flow style is one entry)
// and for an entry merged in that a written key shadows (no unit is made
// of it). Every step equals a cold analysis (checkUpdate, which compares
// Document.merges too).

// withBlockMerge returns doc with the first n entries of the section whose
// key line is head (one entry a line, indented by pad) moved under a merge
// key written as a block mapping; with shadow, the entry after them is
// also merged in, empty, and stays written (the written one shadows it).
func withBlockMerge(t testing.TB, doc, head string, n int, shadow bool) string {
	t.Helper()
	at := strings.Index(doc, head+"\n")
	if at < 0 {
		t.Fatalf("no %q", head)
	}
	start := at + len(head) + 1
	lines := strings.SplitAfter(doc[start:], "\n")
	pad := lines[0][:len(lines[0])-len(strings.TrimLeft(lines[0], " "))]
	var b strings.Builder
	b.WriteString(doc[:start] + pad + "<<:\n")
	for _, l := range lines[:n] {
		b.WriteString("  " + l)
	}
	if shadow {
		next := strings.TrimLeft(lines[n], " ")
		b.WriteString(pad + "  " + next[:strings.Index(next, ":")] + ": {}\n")
	}
	b.WriteString(strings.Join(lines[n:], ""))
	return b.String()
}

// checkMergeIndex fails unless d's index of each section that merges
// entries in names every unit by its key node as one made from d's tree
// does.
func checkMergeIndex(t testing.TB, d *Document) {
	t.Helper()
	for sec := range numSections {
		if !sec.inVersion(d.Version) {
			continue
		}
		want := newMergeIndex(d.merges[sec], d.sectionMap(sec))
		got := d.mergeIdx[sec]
		if (want == nil) != (got == nil) {
			t.Fatalf("section %d: index %v, want %v", sec, got != nil, want != nil)
		}
		if want == nil {
			continue
		}
		if got.units() != want.units() {
			t.Fatalf("section %d: %d units indexed, want %d", sec, got.units(), want.units())
		}
		for k, i := range want.base {
			if j, ok := got.unit(k); !ok || j != i {
				t.Fatalf("section %d: key %q names unit %d (%v), want %d", sec, k.Value, j, ok, i)
			}
		}
	}
}

// mergeDocs are documents whose model sections merge entries in, each
// section of mergeBaseV3 and mergeBaseV2 in turn: flow merges (withMerge)
// and block merges (withBlockMerge), with a shadowed entry or not.
func mergeDocs(t testing.TB) map[string]string {
	heads := map[string][]string{
		mergeBaseV3: {"\nservers:", "\nchannels:", "\noperations:", "\n  securitySchemes:", "\n  operationTraits:", "\n  servers:"},
		mergeBaseV2: {"\nservers:", "\nchannels:", "\n  securitySchemes:", "\n  operationTraits:"},
	}
	out := map[string]string{}
	for base, hs := range heads {
		version := base[len("asyncapi: ") : len("asyncapi: ")+5]
		for _, head := range hs {
			for _, mode := range []mergeMode{mergeFirst, mergeShadow, mergeTwo} {
				out[fmt.Sprintf("%s%s flow %v", version, head, mode)] = withMerge(t, base, head, mode)
			}
			out[fmt.Sprintf("%s%s block one", version, head)] = withBlockMerge(t, base, head, 1, false)
			out[fmt.Sprintf("%s%s block shadow", version, head)] = withBlockMerge(t, base, head, 1, true)
		}
	}
	return out
}

// TestMergeUnitRebuild names the edits that are rebuilt per unit in a
// section that merges entries in, and those still built whole.
func TestMergeUnitRebuild(t *testing.T) {
	t.Parallel()
	chans := withMerge(t, mergeBaseV3, "\nchannels:", mergeShadow)
	blockChans := withBlockMerge(t, mergeBaseV3, "\nchannels:", 1, true)
	blockSchemesV2 := withBlockMerge(t, mergeBaseV2, "\n  securitySchemes:", 1, false)
	blockServersV3 := withBlockMerge(t, mergeBaseV3, "\nservers:", 1, false)
	// the shadowed entry merged in holds a $ref (it makes no unit: the
	// $ref is outside the units, as in info)
	shadowRef := strings.Replace(blockChans, "    a: {}\n", "    a: {servers: [{$ref: '#/servers/prod'}]}\n", 1)
	// both channels on one server: rebuilt together, the one merged in
	// (later in build order) first in the text
	bothProd := strings.Replace(blockChans, "x: {address: x, servers: [{$ref: '#/servers/edge'}]}", "x: {address: x, servers: [{$ref: '#/servers/prod'}]}", 1)
	// an operation reads a message of the channel merged in by its path
	msgPath := strings.Replace(strings.Replace(blockChans, "x: {address: x,", "x: {address: x, messages: {m: {payload: {type: string}}},", 1),
		"o: {action: send,", "o: {action: send, messages: [{$ref: '#/channels/x/messages/m'}],", 1)
	// schemes written beside a block merge: the pair of a unit is not at
	// its index (a scheme edited as its users do not read is forwarded)
	blockSchemesV3 := withBlockMerge(t, mergeBaseV3, "\n  securitySchemes:", 1, false)
	for _, c := range []struct {
		name, src, find, ins string
		del                  int
		units                int // rebuilt, when partial (0: built whole)
		// (the scheme merged in, v2: the server, channel and trait that
		// name it, and channel a, whose undefined-scheme hint lists the
		// names)
	}{
		// a written unit (its index in build order is not its pair's)
		{"written channel", chans, "{address: a, ", "z", 0, 2},
		{"written channel's server $ref retargeted", chans, "{$ref: '#/servers/pro", "", 1, 2},
		// merged in from a block mapping: its own entry is the region
		{"channel merged in", blockChans, "x: {address: x", "z", 0, 2},
		{"scheme merged in, v2", blockSchemesV2, "merged: {type: userPassword", ", description: d", 0, 5},
		{"server merged in, v3", blockServersV3, "edge: {host: b.example.com", "z", 0, 4},
		// a unit of the section depends on the edit: rebuilt alone (with
		// the server, the operation on that channel and q, which runs on
		// every server)
		{"a server a merged channel $refs", blockChans, "edge: {host: b", "z", 0, 4},
		{"a server a written channel $refs", chans, "prod: {host: a", "z", 0, 4},
		{"a server a shadowed entry merged in $refs", shadowRef, "prod: {host: a", "z", 0, 4},
		{"a server both channels $ref", bothProd, "prod: {host: a", "z", 0, 6},
		{"a message an operation reads by its path", msgPath, "{payload: {type: string", ", format: z", 0, 2},
		{"v3 scheme written beside a block merge", blockSchemesV3, "key: {type: httpApiKey, name: k, in: header", ", description: d", 0, 6},
		// built whole: the merge key's entry (flow), a shadowed entry, an
		// entry merged in renamed, a written one renamed (also to the
		// name of one merged in: the units change places, as many)
		{"flow merge's entry", chans, "{address: x, ", "z", 0, 0},
		{"shadowed entry merged in", blockChans, "    a: {", "address: s", 0, 0},
		{"entry merged in renamed", blockChans, "    x", "y", 0, 0},
		{"written entry renamed", chans, "\n  a", "b", 0, 0},
		{"written entry renamed to one merged in", chans, "{a: {}}]\n  ", "x", 1, 0},
		// (the schema side: the entry merged in that a written one
		// shadowed is validated as a whole walk does, opaque)
		{"written server renamed, one merged in no longer shadowed", withMerge(t, mergeBaseV2, "\nservers:", mergeShadow), "\n  p", "z", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := []byte(c.src)
			at := bytes.Index(doc, []byte(c.find)) + len(c.find)
			if at < len(c.find) {
				t.Fatalf("no %q", c.find)
			}
			ed := syntax.Edit{Start: at, End: at + c.del, Text: c.ins}
			prev := Analyze(doc)
			got := checkMergeEditAndUndo(t, prev, doc, ed)
			if got.inc.path != pathRegion {
				t.Fatalf("path %d (%s), want a region re-parse", got.inc.path, got.inc.reason)
			}
			if partial := c.units > 0; got.inc.modelReused != partial || partial && got.inc.units != c.units {
				t.Fatalf("partial %v (%s), %d units rebuilt; want partial %v, %d units", got.inc.modelReused, got.inc.modelWhy, got.inc.units, partial, c.units)
			}
		})
	}
}

// TestMergeUnitRebuildSweep types a character at, and deletes the byte
// at, every place of each section that merges entries in (every third
// place by default, every place in CI), and undoes it: each step equals
// a cold analysis. Of the edits re-parsed as a region, those whose region
// is not a flow merge's own entry (`<<: {…}`, whose key is no plain
// scalar) keep a partial model more than three times in four (the others:
// renames, the section's key line).
func TestMergeUnitRebuildSweep(t *testing.T) {
	t.Parallel()
	// Every offset in CI; the default run (the README's quick command)
	// every seventh, so that its places fall at other columns line by line.
	step := 7
	if testenv.Long() {
		step = 1
	}
	region, partial, mergeEntry := 0, 0, 0
	whys := map[string]int{}
	for name, src := range mergeDocs(t) {
		doc := []byte(src)
		prev := Analyze(doc)
		secs := 0
		for sec := range numSections {
			if !prev.merges[sec] {
				continue
			}
			secs++
			m := prev.sectionMap(sec)
			from, to := prev.R(m).Start, prev.R(m).End
			for at := from; at < to; at += step {
				for _, ed := range []syntax.Edit{{Start: at, End: at, Text: "z"}, {Start: at, End: at + 1}} {
					t.Run(fmt.Sprintf("%s/%d/%q", name, at, ed.Text), func(t *testing.T) {
						got := checkMergeEditAndUndo(t, prev, doc, ed)
						if got.inc.path == pathRegion {
							region++
							switch {
							case got.inc.modelReused:
								partial++
							case got.inc.modelWhy == "a new key is not a plain scalar":
								mergeEntry++
							default:
								whys[got.inc.modelWhy]++
							}
						}
					})
				}
			}
		}
		if secs != 1 {
			t.Fatalf("%s: %d sections merge entries in, want 1", name, secs)
		}
	}
	t.Logf("%d edits re-parsed as a region in sections that merge entries in, %d of them a flow merge's entry; %d with a partial model; the others built whole: %v", region, mergeEntry, partial, whys)
	if 4*partial <= 3*(region-mergeEntry) {
		t.Errorf("%d of %d region edits outside a flow merge's entry kept a partial model, want more than three in four", partial, region-mergeEntry)
	}
}

// TestMergeUnitKeystrokes types a description into a written channel and
// into one merged in, a character at a time, past the index's overlay
// (maxMergeOver), each update from the one before: each equals a cold
// analysis, keeps a partial model, and indexes the units as a tree made
// afresh does.
func TestMergeUnitKeystrokes(t *testing.T) {
	t.Parallel()
	doc := withBlockMerge(t, mergeBaseV3, "\nchannels:", 1, false)
	for _, find := range []string{"a: {address: a", "x: {address: x"} {
		t.Run(find, func(t *testing.T) {
			d := Analyze([]byte(doc))
			at := strings.Index(doc, find) + len(find)
			text := doc[:at] + ", description: " + doc[at:]
			d = checkUpdate(t, d, []syntax.Edit{editBetween([]byte(doc), []byte(text))}, []byte(text))
			at += len(", description: ")
			for i := range 2*maxMergeOver + 3 {
				e := syntax.Edit{Start: at + i, End: at + i, Text: string(rune('a' + i%26))}
				d = checkUpdate(t, d, []syntax.Edit{e}, e.Apply(d.Text))
				checkFallback(t, d)
				checkMergeIndex(t, d)
				if d.inc.path != pathRegion || !d.inc.modelReused && !d.inc.compacted {
					// (a tree copied with absolute ranges has new nodes
					// only: built afresh, its index too)
					t.Fatalf("keystroke %d: path %d, partial %v (%s)", i, d.inc.path, d.inc.modelReused, d.inc.modelWhy)
				}
			}
		})
	}
}

// TestMergeIndexOverlay: a key node re-parsed in place names its unit in
// an overlay of the previous index, which is shared; past maxMergeOver
// the index is made again from the section (its old key nodes gone).
func TestMergeIndexOverlay(t *testing.T) {
	d := Analyze([]byte(withBlockMerge(t, mergeBaseV3, "\nchannels:", 1, false)))
	m := d.sectionMap(secChannels)
	x := d.mergeIdx[secChannels]
	if x == nil || x.units() != 2 {
		t.Fatalf("index %v, want 2 channels", x)
	}
	a := m.Resolve().Content[2] // the written channel (after `<<`), unit 0
	if x.with(m, a, 0) != x {
		t.Fatal("a key node that names its unit already: the index is not shared")
	}
	y := x
	for i := range maxMergeOver {
		k := &syntax.Node{Kind: syntax.ScalarNode, Value: fmt.Sprint("k", i)}
		y = y.with(m, k, 1)
		if j, ok := y.unit(k); !ok || j != 1 || len(y.over) != i+1 || y.units() != 2 {
			t.Fatalf("overlay %d: unit %d %v, %d overlaid, %d units", i, j, ok, len(y.over), y.units())
		}
		if _, ok := x.unit(k); ok {
			t.Fatal("the previous index changed")
		}
	}
	y = y.with(m, &syntax.Node{Kind: syntax.ScalarNode, Value: "full"}, 1)
	if len(y.over) != 0 || y.units() != 2 {
		t.Fatalf("past maxMergeOver: %d overlaid, %d units; want an index made again", len(y.over), y.units())
	}
	if j, ok := y.unit(a); !ok || j != 0 {
		t.Fatalf("made again: the written channel is unit %d (%v)", j, ok)
	}
}

// checkMergeEditAndUndo makes ed on prev (the analysis of doc) and undoes
// it, each step equal to a cold analysis, within the allowed fallbacks,
// with a merge index equal to one built from scratch; it returns the
// edit's analysis.
func checkMergeEditAndUndo(t *testing.T, prev *Document, doc []byte, ed syntax.Edit) *Document {
	t.Helper()
	got := checkUpdate(t, prev, []syntax.Edit{ed}, ed.Apply(doc))
	checkFallback(t, got)
	checkMergeIndex(t, got)
	back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
	checkFallback(t, back)
	checkMergeIndex(t, back)
	return got
}
