package analysis

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// coverOf returns a cover of prev as rebuildUnits makes one, or nil when
// rebuildUnits would not rebuild units of prev.
func coverOf(prev *Document) *refCover {
	if !prev.modelOK {
		return nil
	}
	var secMaps [numSections]*syntax.Node
	for sec := range numSections {
		if !sec.inVersion(prev.Version) {
			continue
		}
		secMaps[sec] = prev.sectionMap(sec)
		if prev.merges[sec] || len(prev.runs[sec]) != pairCount(secMaps[sec]) || prev.refAt(secMaps[sec].Resolve()) != nil {
			return nil
		}
	}
	return newRefCover(prev, prev.Root, &regionChange{prev: prev}, secMaps, syntax.Range{})
}

// TestUnitRefListMatchesIndex: for every unit of every corpus document (and
// of generated ones), the units that are $refs into it, answered from the
// cover's list of the units that are $refs, are those the index by target
// finds (appendRefUnitsIndexed), and more only where a unit's value is an
// alias of a $ref mapping (the index finds the unit that holds it).
func TestUnitRefListMatchesIndex(t *testing.T) {
	t.Parallel()
	docs := map[string][]byte{}
	for _, f := range corpusFiles(t, "") {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = text
	}
	for _, shape := range docgen.Shapes() {
		docs[string(shape)] = docgen.Generate(docgen.Options{TargetBytes: 60 << 10, Seed: 1, Shape: shape})
	}
	docs["unit refs"] = []byte(unitRefsDoc(40))
	docs["more unit refs than maxUnitRefs"] = []byte(unitRefsDoc(8*maxUnitRefs + 8))
	listed, found, tooMany := 0, 0, 0
	for name, text := range docs {
		prev := Analyze(text)
		c := coverOf(prev)
		if c == nil {
			continue
		}
		c.unitRefs.asked = unitRefsAfter // the next question lists them
		for sec := range numSections {
			if c.secMaps[sec] == nil {
				continue
			}
			for i := range len(prev.runs[sec]) {
				id := unitID{sec, i}
				k, _ := c.u.unitPair(c.secMaps, id)
				path := unitPath(sec, k.Value)
				want := c.appendRefUnitsIndexed(nil, path)
				got, ok := c.refUnitsListed(nil, path)
				if !ok {
					if !c.unitRefs.tooMany {
						t.Fatalf("%s: the list was not used, and is not too long", name)
					}
					tooMany++
					continue
				}
				for _, w := range want {
					if !slices.Contains(got, w) {
						t.Errorf("%s: %s: the index finds unit %v, the list does not (list: %v)", name, path, w, got)
					}
				}
				for _, g := range got {
					if !slices.Contains(want, g) && c.unitValue(g).Kind != syntax.AliasNode {
						t.Errorf("%s: %s: the list finds unit %v, the index does not", name, path, g)
					}
				}
				found += len(got)
			}
		}
		if len(c.unitRefs.ids) > 0 {
			listed++
		}
	}
	// (not vacuous: documents with units that are $refs, found)
	if listed < 2 || found < 5 || tooMany == 0 {
		t.Fatalf("%d documents listed units that are $refs, %d found, %d questions over maxUnitRefs: want some of each", listed, found, tooMany)
	}
	t.Logf("%d documents with units that are $refs, %d units found through the list, %d questions over maxUnitRefs", listed, found, tooMany)
}

// unitRefsDoc is a 3.0 document of n channels and n operations, every
// eighth operation a $ref to a component operation, every channel on
// both root servers.
func unitRefsDoc(n int) string {
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\nservers:\n  prod:\n    host: prod.example.com\n    protocol: mqtts\n  dev:\n    host: dev.example.com\n    protocol: mqtt\n")
	b.WriteString("channels:\n")
	for i := range n {
		fmt.Fprintf(&b, "  c%d:\n    address: a/%d\n    servers:\n      - $ref: '#/servers/prod'\n      - $ref: '#/servers/dev'\n", i, i)
	}
	b.WriteString("operations:\n")
	for i := range n {
		if i%8 == 3 {
			fmt.Fprintf(&b, "  o%d:\n    $ref: '#/components/operations/shared'\n", i)
			continue
		}
		fmt.Fprintf(&b, "  o%d:\n    action: send\n    channel:\n      $ref: '#/channels/c%d'\n", i, i)
	}
	b.WriteString("components:\n  operations:\n    shared:\n      action: receive\n      channel:\n        $ref: '#/channels/c1'\n")
	return b.String()
}

// TestUnitRefListBlocks: with maxBlock and maxRecheck lifted, the key line
// of each root section of unitRefsDoc broken (its colon deleted) and
// fixed, every step equal to a cold analysis; the break (a block of every
// channel, or every operation, with their dependents) answers the cover's
// questions from its list of the units that are $refs. (The fix adds the
// section's units back without asking for them: addRestored.)
func TestUnitRefListBlocks(t *testing.T) {
	rb, rr := maxBlock, maxRecheck
	defer func() { maxBlock, maxRecheck = rb, rr }()
	maxBlock = func(int) int { return math.MaxInt }
	maxRecheck = func(int) int { return math.MaxInt }
	text := []byte(unitRefsDoc(80))
	prev := Analyze(text)
	for _, head := range []string{"servers", "channels", "operations"} {
		at := bytes.Index(text, []byte("\n"+head+":"))
		colon := at + len(head) + 1
		e := syntax.Edit{Start: colon, End: colon + 1}
		got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(text))
		back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, text)}, text)
		for step, d := range map[string]*Document{"broken": got, "fixed": back} {
			if !d.inc.modelReused {
				t.Errorf("%s %s: built whole: %s", head, step, d.inc.modelWhy)
				continue
			}
			if step == "broken" && d.inc.unitRefs == 0 {
				t.Errorf("%s %s: %d units rebuilt, no question answered from the list", head, step, d.inc.units)
			}
		}
	}
}
