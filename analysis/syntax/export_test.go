package syntax

import "testing"

// ParseJSONInChunks is ParseTree's member-by-member parse of a JSON text
// in runs of about chunk bytes (ParseTree's are regionChunk), or nil when
// the text is not parsed that way.
func ParseJSONInChunks(text []byte, chunk int) *Tree {
	root, broken, notes, why := parseJSONTolerant(text, chunk)
	if why != "" {
		return nil
	}
	t := &Tree{Text: text, Docs: []*Node{root}, IsJSON: true, regional: true, broken: broken, notes: notes}
	t.Diagnostics = treeDiagnostics(append(broken[:len(broken):len(broken)], notes...), duplicateKeys(root, nil))
	return t
}

// CompactRegions returns the blanked spans (a region's ',' included) of
// the broken regions a cold parse confines the errors of a compact JSON
// text to, or nil when it does not confine them (the text is then parsed
// whole).
func CompactRegions(text []byte) []Range {
	rs, ok := coldCompactRegions(text)
	if !ok {
		return nil
	}
	var out []Range
	for _, r := range rs {
		out = append(out, Range{r.start(), r.to})
	}
	return out
}

// CompactRegion is a broken region of a compact JSON text: its range, the
// offset of its container's opening bracket, and its diagnostics.
type CompactRegion struct {
	Range
	Open  int
	Diags []Diagnostic
	// One is the region's one diagnostic before regionErrors (regionDiag).
	One Diagnostic
}

// CompactRegionsDiagnosed is CompactRegions with each region's container
// bracket and diagnostics.
func CompactRegionsDiagnosed(text []byte) []CompactRegion {
	rs, ok := coldCompactRegions(text)
	if !ok {
		return nil
	}
	var out []CompactRegion
	for _, r := range rs {
		_, ds, _ := regionNodes(text, r, 0)
		one, _ := regionDiag(text, r, regionEnd(text, r))
		out = append(out, CompactRegion{Range{r.start(), r.to}, r.open, ds, one})
	}
	return out
}

// ParseCompactCold is ParseTree's run-by-run parse of a valid compact JSON
// text (coldcompact.go), or nil when the text is not parsed that way.
func ParseCompactCold(text []byte) *Tree {
	t := &Tree{Text: text, IsJSON: true}
	if !parseCompactCold(t, text) {
		return nil
	}
	return t
}

// CompactReadings returns the blanked spans of the two readings of a
// broken compact JSON text that coldCompactRegions chooses between: a ','
// too many confined alone (stray), and resyncs that run past it (past);
// nil for a reading that does not confine the errors.
func CompactReadings(text []byte) (stray, past []Range) {
	spans := func(rs []compactRegion, ok bool) []Range {
		if !ok {
			return nil
		}
		out := []Range{}
		for _, r := range rs {
			out = append(out, Range{r.start(), r.to})
		}
		return out
	}
	return spans(compactRegionsResyncing(text, true, readPlain)), spans(compactRegionsResyncing(text, false, readPlain))
}

// ParseCompactBrokenInRuns is ParseTree's parse of a broken compact JSON
// text whose errors are confined (jsoncompactbroken.go), with the blanked
// text parsed run by run only (runs) or whole only (the path before
// session 8), or nil when it is not parsed that way.
func ParseCompactBrokenInRuns(text []byte, runs bool) *Tree {
	t := &Tree{Text: text, IsJSON: true}
	parse := blankedRootWhole
	if runs {
		parse = compactColdRoot
	}
	if !parseCompactBrokenBy(t, text, parse) {
		return nil
	}
	return t
}

// CompactColdRun is the size of the runs of members the cold parse of a
// compact JSON text parses at once.
const CompactColdRun = compactColdRun

// CompactColdParses returns the sizes of the parses ParseTree makes of a
// compact JSON text run by run (coldcompact.go), in order (none when it
// is parsed otherwise).
func CompactColdParses(text []byte) []int {
	var sizes []int
	compactColdParsed = func(n int) { sizes = append(sizes, n) }
	defer func() { compactColdParsed = nil }()
	ParseTree(text)
	return sizes
}

// FailRead returns how many bytes the failed whole parse of a broken text
// parsed whole had read when it failed (Tree.failRead; 0 when unknown).
func FailRead(t *Tree) int { return t.failRead }

// WholeChecks returns how many whole parses f made UpdateTree run to learn
// that a new text's whole parse fails.
func WholeChecks(f func()) int {
	n := 0
	wholeChecked = func() { n++ }
	defer func() { wholeChecked = nil }()
	f()
	return n
}

// FromChecks returns how many parses from the edited region (failsFrom),
// instead of whole parses, f made UpdateTree run to learn that a new
// text's whole parse fails.
func FromChecks(f func()) int {
	n := 0
	fromChecked = func() { n++ }
	defer func() { fromChecked = nil }()
	f()
	return n
}

// LocatePasses returns how many region-wise passes over a valid text
// parsed whole (located.go) f made UpdateTree run.
func LocatePasses(f func()) int {
	n := 0
	locatePassed = func() { n++ }
	defer func() { locatePassed = nil }()
	f()
	return n
}

// JSONRunsParsed is ParseJSONInChunks's runs of members, each parsed as
// one fragment, in the order they were parsed (jsonFragment).
func JSONRunsParsed(text []byte, chunk int) []Range {
	var runs []Range
	jsonFragmentParsed = func(fs, fe int) { runs = append(runs, Range{fs, fe}) }
	defer func() { jsonFragmentParsed = nil }()
	if ParseJSONInChunks(text, chunk) == nil {
		return nil
	}
	return runs
}

// LocatePassPairs runs locatePass's parse of text (its region-wise pass,
// strict) and returns how many pairs it holds when it ends, and whether
// it went through.
func LocatePassPairs(text []byte) (pairs int, ok bool) {
	bs, be, why := yamlBody(text)
	col, found := firstContentColumn(text, bs, be)
	if why != "" || !found {
		return 0, false
	}
	p := &regionParser{text: text, lines: yamlLineStarts(text), chunk: regionChunk, tolerant: true, locate: true, strict: true}
	p.b = &treeBuilder{src: text, release: true}
	ps, ok := p.mapping(bs, be, col, 0)
	return len(ps), ok && p.doubt == ""
}

// CompactAllocs returns the allocations of one compact copy of t's root
// (shift.go) with no shift log.
func CompactAllocs(t *Tree) float64 {
	return testing.AllocsPerRun(10, func() { compact(t.Docs[0], nil) })
}
