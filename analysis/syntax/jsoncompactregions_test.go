package syntax

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"testing"
)

// TestCompactRegionsInvariants: over random broken compact JSON texts
// (bytes of JSON's syntax and a word inserted, deleted or replaced, up to
// four times, in documents with nested arrays and objects), every region a
// cold parse confines an error to lies inside its container, after the
// member it starts at, in text order, inside the root's brackets: the
// guards the scans leave out (a frame's member before its bracket, a
// region's end before its start, one that overlaps the previous one,
// runFitsBlanked's scans past the root's brackets) would be dead.
func TestCompactRegionsInvariants(t *testing.T) {
	t.Parallel()
	bases := []string{
		`{"a":[1,[2,3],{"d":"e"}],"b":{"p":1,"q":[true,null]},"c":"s","f":{"g":{"h":[1,2]}},"z":0}`,
		`{"a":1,"b":"x","c":[{"k":"v"},{"k":[]}],"d":{},"e":[[1],[2,[3]]],"f":-1.5e3}`,
		`{"a": [1, 2], "b": {"c": "d", "e": [true, {"f": 1}]}, "g": "h"}`,
	}
	alpha := []byte(`,,,[]{}":x1 `)
	r := rand.New(rand.NewSource(1))
	confined := 0
	for range 20000 {
		b := []byte(bases[r.Intn(len(bases))])
		for range 1 + r.Intn(4) {
			at := 1 + r.Intn(len(b)-2)
			switch r.Intn(3) {
			case 0:
				b = append(b[:at], append([]byte{alpha[r.Intn(len(alpha))]}, b[at:]...)...)
			case 1:
				b = append(b[:at], b[at+1:]...)
			default:
				b[at] = alpha[r.Intn(len(alpha))]
			}
		}
		rs, ok := coldCompactRegions(b)
		if !ok {
			continue
		}
		confined++
		// The run-by-run parse reads the regions blanked without a blanked
		// copy of the text, and checks each run alone: it parses only a
		// text that is valid JSON blanked.
		if compactColdRoot(b, rs, compactRootStart(b)) != nil && !json.Valid(blankCompactRegions(b, rs)) {
			t.Fatalf("%s: parsed run by run, but not valid JSON with its regions blanked", b)
		}
		prev, root := 0, bytes.IndexByte(b, '{')
		end := bytes.LastIndexByte(b, '}')
		for _, x := range rs {
			open := byte('[')
			if x.obj {
				open = '{'
			}
			if b[x.open] != open || x.from <= x.open || x.to < x.from || x.start() <= x.open || x.start() < prev || x.start() <= root || x.to > end {
				t.Fatalf("%s: region %+v (after %d)", b, x, prev)
			}
			if x.comma >= 0 && (b[x.comma] != ',' || x.comma >= x.from) {
				t.Fatalf("%s: region %+v: its ',' is not one before it", b, x)
			}
			prev = x.to
		}
	}
	if confined < 5000 {
		t.Errorf("only %d of 20000 texts confined", confined)
	}
	t.Logf("%d of 20000 texts confined", confined)
}
