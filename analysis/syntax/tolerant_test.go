package syntax_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// brokenDocs are valid texts that the broken-text tests break.
func brokenDocs() map[string]string {
	docs := map[string]string{}
	for k, v := range syntaxDocs {
		docs[k] = v
	}
	docs["gen5"] = string(docgen.Generate(docgen.Options{Units: 5, Seed: 2}))
	docs["json"] = "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [1, 2],\n    \"d\": {\"e\": \"f\"},\n    \"g\": {\n      \"h\": \"i\\/j\",\n      \"k\": null\n    }\n  },\n  \"l\": \"m\"\n}\n"
	docs["json-tabs"] = strings.ReplaceAll(docs["json"], "  ", "\t")
	docs["flow"] = "a:\n  b: {c: 1, d: [2, 3]}\n  e: 'x'\nf:\n  g: \"y\"\n  h:\n    i: [j, {k: l}]\n    m: n\no: p\n"
	return docs
}

// TestUpdateTreeBroken applies invalid edits (edittest.InvalidEdit: a
// deleted ':' or ',', an unclosed quote or bracket, text after a '}', a
// tab) and random edits on top of them, and checks every tree UpdateTree
// returns against a cold parse of the same text: the errors are the same
// whichever way the text is reached. Edits into a broken text must be
// taken by region as often as edits into a valid one.
func TestUpdateTreeBroken(t *testing.T) {
	t.Parallel()
	steps := testenv.Count(300, 1500)
	for name, doc := range brokenDocs() {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(doc)), 17))
			start := syntax.ParseTree([]byte(doc))
			tree, shifts, text := start, (*syntax.ShiftLog)(nil), []byte(doc)
			taken, brokenEdits, brokenTaken, reasons := 0, 0, 0, map[string]int{}
			for i := 0; i < steps; i++ {
				e := edittest.RandomEdit(rng, text)
				if rng.IntN(2) == 0 {
					if inv, ok := edittest.InvalidEdit(text, rng.IntN(edittest.InvalidEditKinds), rng.IntN(len(text)+1)); ok {
						e = inv
					}
				}
				next := e.Apply(text)
				want := syntax.ParseTree(next)
				wasBroken := len(tree.BrokenRegions()) > 0
				u, reason := syntax.UpdateTree(text, tree, shifts, e, next)
				if u == nil {
					if !edittest.AllowedFallback(reason) {
						t.Fatalf("UpdateTree declined for a reason not allowed: %q\nedit %+v on\n%s", reason, e, text)
					}
					reasons[reason]++
					tree, shifts = want, nil
				} else {
					taken++
					abs := func(n *syntax.Node) syntax.Range { return n.Range() }
					if s := edittest.DiffTrees(want, abs, u.Tree, u.Shifts.R); s != "" {
						t.Fatalf("UpdateTree differs from a cold parse after edit %+v: %s\nprevious text:\n%s\nnew text:\n%s", e, s, text, next)
					}
					if s := diffRanges(want.BrokenRegions(), u.Tree.BrokenRegions()); s != "" {
						t.Fatalf("broken regions differ after edit %+v: %s\nnew text:\n%s", e, s, next)
					}
					if s := edittest.CheckUnclosedPlacement(want); s != "" {
						t.Fatalf("after edit %+v: %s\nnew text:\n%s", e, s, next)
					}
					tree, shifts = u.Tree, u.Shifts
				}
				if wasBroken {
					brokenEdits++
					if u != nil {
						brokenTaken++
					}
				}
				text = next
				if i%6 == 5 { // back to the start now and then
					text, tree, shifts = []byte(doc), start, nil
				}
			}
			t.Logf("%s: %d edits, %d by region; %d into broken texts, %d of them by region; declined %v", name, steps, taken, brokenEdits, brokenTaken, reasons)
			if brokenEdits > 20 && brokenTaken < brokenEdits/2 {
				t.Errorf("only %d of %d edits into broken texts were taken by region", brokenTaken, brokenEdits)
			}
		})
	}
}

func diffRanges(w, g []syntax.Range) string {
	if fmt.Sprint(w) != fmt.Sprint(g) {
		return fmt.Sprintf("want %v, got %v", w, g)
	}
	return ""
}

// TestBrokenRegionRemoved: outside its broken regions, the tree of a
// broken text is the tree of the same text with those regions removed
// (error entries aside: their keys are not in the text without them).
func TestBrokenRegionRemoved(t *testing.T) {
	steps := testenv.Count(200, 1000)
	checked := 0
	for name, doc := range brokenDocs() {
		rng := rand.New(rand.NewPCG(uint64(len(doc)), 23))
		for i := 0; i < steps/len(brokenDocs()); i++ {
			text := []byte(doc)
			for n := 1 + rng.IntN(2); n > 0; n-- {
				if inv, ok := edittest.InvalidEdit(text, rng.IntN(edittest.InvalidEditKinds), rng.IntN(len(text)+1)); ok {
					text = inv.Apply(text)
				}
			}
			broken := syntax.ParseTree(text)
			regions := broken.BrokenRegions()
			if len(regions) == 0 {
				continue
			}
			var rest []byte
			removedBefore := func(off int) int { // bytes removed before off
				n := 0
				for _, r := range regions {
					if r.End <= off {
						n += r.Len()
					}
				}
				return n
			}
			p := 0
			for _, r := range regions {
				rest = append(rest, text[p:r.Start]...)
				p = r.End
			}
			rest = append(rest, text[p:]...)
			clean := syntax.ParseTree(rest)
			if len(clean.BrokenRegions()) > 0 || clean.Root() == nil {
				continue // removing the regions broke something else (a parent left without entries, say)
			}
			checked++
			// Keys of error entries whose key line survived (a mapping whose
			// every entry was broken): the text without the regions has them
			// with a null value.
			dropped := map[int]bool{}
			collectBrokenKeys(broken.Root(), func(k *syntax.Node) {
				for _, r := range regions {
					if r.Start <= k.Range().Start && k.Range().Start < r.End {
						return // removed with its region
					}
				}
				dropped[k.Range().Start-removedBefore(k.Range().Start)] = true
			})
			if s := diffOutside(broken.Root(), clean.Root(), removedBefore, dropped, "root"); s != "" {
				t.Fatalf("%s: outside the broken regions %v the tree differs from the text without them: %s\nbroken text:\n%s\nwithout the regions:\n%s", name, regions, s, text, rest)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d broken texts checked", checked)
	}
	t.Logf("%d broken texts checked", checked)
}

func collectBrokenKeys(n *syntax.Node, f func(k *syntax.Node)) {
	if n == nil {
		return
	}
	for i, c := range n.Content {
		if n.Kind == syntax.MappingNode && i%2 == 1 && c.Broken() {
			f(n.Content[i-1])
		}
		collectBrokenKeys(c, f)
	}
}

// diffOutside compares w (of the broken text) with g (of the text without
// its broken regions): pairs whose value is broken are left out of w, and
// pairs whose key is in dropped out of g; scalars must match in kind,
// value and (mapped) range, collections in kind and start.
func diffOutside(w, g *syntax.Node, removedBefore func(int) int, dropped map[int]bool, path string) string {
	if w.Kind == syntax.MappingNode && g.IsNull() {
		// A mapping whose every entry is an error entry: without them,
		// its key has no value.
		all := true
		for i := 1; i < len(w.Content); i += 2 {
			all = all && w.Content[i].Broken()
		}
		if all {
			return ""
		}
	}
	if w.Kind != g.Kind || w.Value != g.Value || w.Range().Start-removedBefore(w.Range().Start) != g.Range().Start {
		return fmt.Sprintf("%s: want {kind %d value %q start %d}, got {kind %d value %q start %d}", path, w.Kind, w.Value, w.Range().Start-removedBefore(w.Range().Start), g.Kind, g.Value, g.Range().Start)
	}
	if w.Kind == syntax.ScalarNode && w.Range().Len() != g.Range().Len() {
		return fmt.Sprintf("%s: range lengths differ: %v and %v", path, w.Range(), g.Range())
	}
	wc, gc := w.Content, g.Content
	if w.Kind == syntax.MappingNode {
		wc, gc = nil, nil
		for i := 0; i+1 < len(w.Content); i += 2 {
			if !w.Content[i+1].Broken() {
				wc = append(wc, w.Content[i], w.Content[i+1])
			}
		}
		for i := 0; i+1 < len(g.Content); i += 2 {
			if !dropped[g.Content[i].Range().Start] {
				gc = append(gc, g.Content[i], g.Content[i+1])
			}
		}
	}
	if len(wc) != len(gc) {
		var wk, gk []string
		for _, c := range wc {
			wk = append(wk, c.Value)
		}
		for _, c := range gc {
			gk = append(gk, c.Value)
		}
		sort.Strings(wk)
		sort.Strings(gk)
		return fmt.Sprintf("%s: %d children [%s], want %d [%s]", path, len(gc), strings.Join(gk, " "), len(wc), strings.Join(wk, " "))
	}
	for i := range wc {
		if s := diffOutside(wc[i], gc[i], removedBefore, dropped, fmt.Sprintf("%s/%d", path, i)); s != "" {
			return s
		}
	}
	return ""
}
