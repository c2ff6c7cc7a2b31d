package syntax

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
	return spans(compactRegionsResyncing(text, true)), spans(compactRegionsResyncing(text, false))
}
