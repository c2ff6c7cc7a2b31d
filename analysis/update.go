package analysis

import "fmt"

// Update analyses text, the result of applying edits (in order) to the text
// of prev. It is the entry point for editors: where it can, it re-parses
// only the part of the document the edits touch, and its result is always
// identical to Analyze(text). With prev == nil it is Analyze.
func Update(prev *Document, edits []Edit, text []byte) *Document {
	if prev == nil || prev.Tree == nil {
		return Analyze(text)
	}
	d, reason := safeRegionUpdate(prev, edits, text)
	if d == nil {
		d = Analyze(text)
		d.inc.reason = reason
	}
	return d
}

func safeRegionUpdate(prev *Document, edits []Edit, text []byte) (d *Document, reason string) {
	defer func() {
		if p := recover(); p != nil {
			d, reason = nil, fmt.Sprintf("internal error: %v", p)
		}
	}()
	return regionUpdate(prev, edits, text)
}
