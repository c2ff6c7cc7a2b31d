package syntax

// BlankedSpan is blankedSpan over regions given as [start, end) ranges
// (each a region's blanked text, no ',' of its own): the span [s, e) of
// text with them blanked, and whether it is text's own bytes (no copy).
func BlankedSpan(text []byte, regions []Range, s, e int) (span []byte, own bool) {
	rs := make([]compactRegion, len(regions))
	for i, r := range regions {
		rs[i] = compactRegion{from: r.Start, to: r.End, comma: -1}
	}
	span = blankedSpan(text, rs, s, e)
	return span, len(span) > 0 && &span[0] == &text[s]
}
