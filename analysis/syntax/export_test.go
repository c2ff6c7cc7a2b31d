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
