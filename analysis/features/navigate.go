package features

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Navigation: references, highlights and rename of the things a local
// $ref can point at (servers, channels, operations, components of every
// kind, messages of a channel, any mapping entry deeper down), plus the
// names that AsyncAPI 2.x writes without a $ref: scheme names as
// requirement keys and server names in a channel's servers list.
//
// A symbol is identified by its JSON pointer, as decoded tokens. A $ref
// uses a symbol when its decoded pointer starts with the symbol's tokens:
// '#/components/schemas/A/properties/b' uses components.schemas.A, and a
// rename of A rewrites that token of it.

// OccurrenceKind tells a declaration from a use.
type OccurrenceKind int

// Occurrence kinds.
const (
	Declaration OccurrenceKind = iota + 1
	Reference
)

// Occurrence is one place where a symbol is declared or used.
type Occurrence struct {
	Range syntax.Range
	Kind  OccurrenceKind
}

// TextEdit replaces Range of the document's text with NewText.
type TextEdit struct {
	Range   syntax.Range
	NewText string
}

// RenameTarget is what prepareRename answers: the range of the name under
// the cursor and the name itself.
type RenameTarget struct {
	Range       syntax.Range
	Placeholder string
}

// symbol is a named place of the document.
type symbol struct {
	tokens []string     // decoded JSON pointer tokens from the root
	key    *syntax.Node // the declaring key, nil when the name is undeclared
	parent *syntax.Node // the mapping that holds key
	at     syntax.Range // the range under the cursor that named it
}

func (s *symbol) name() string { return s.tokens[len(s.tokens)-1] }

// use is one occurrence of a symbol, with what a rename must rewrite.
type symbolUse struct {
	occ Occurrence
	// exactly one of these is set
	ref    *analysis.Ref
	scalar *syntax.Node // a key or a 2.x name that is the whole name
}

// References returns the declaration (when includeDeclaration) and every
// use of the symbol at off, in document order; nil when off names nothing.
func References(d *analysis.Document, off int, includeDeclaration bool) []Occurrence {
	sym := symbolAt(d, off)
	if sym == nil {
		return nil
	}
	var out []Occurrence
	for _, u := range uses(d, sym) {
		if u.occ.Kind == Declaration && !includeDeclaration {
			continue
		}
		out = append(out, u.occ)
	}
	return out
}

// Highlights returns the occurrences of the symbol at off, the declaration
// included; nil when off names nothing.
func Highlights(d *analysis.Document, off int) []Occurrence {
	return References(d, off, true)
}

// PrepareRename answers whether the symbol at off can be renamed: the
// range under the cursor and the current name, or an error that says why
// not (shown to the user).
func PrepareRename(d *analysis.Document, off int) (RenameTarget, error) {
	sym := symbolAt(d, off)
	if sym == nil {
		return RenameTarget{}, fmt.Errorf("nothing to rename here: place the cursor on the name of a server, channel, operation, security scheme or component, or on a $ref to one")
	}
	if sym.key == nil {
		return RenameTarget{}, fmt.Errorf("%q is not declared in this document, so it cannot be renamed", sym.name())
	}
	if !renamable(sym.tokens) {
		return RenameTarget{}, fmt.Errorf("only servers, channels, operations, security schemes, components and channel messages can be renamed, not %s", analysis.PointerTo(sym.tokens...))
	}
	return RenameTarget{Range: sym.at, Placeholder: sym.name()}, nil
}

// Rename returns the edits that rename the symbol at off to newName:
// its key and every use ($ref pointers, 2.x requirement keys, 2.x channel
// server names). It refuses an empty name and a name the parent mapping
// already has.
func Rename(d *analysis.Document, off int, newName string) ([]TextEdit, error) {
	if _, err := PrepareRename(d, off); err != nil {
		return nil, err
	}
	sym := symbolAt(d, off)
	if newName == "" {
		return nil, fmt.Errorf("the new name is empty")
	}
	if newName == sym.name() {
		return nil, nil
	}
	if k, _ := sym.parent.Pair(newName); k != nil {
		return nil, fmt.Errorf("%q already exists in %s", newName, analysis.PointerTo(sym.tokens[:len(sym.tokens)-1]...))
	}
	json := isJSON(d)
	var edits []TextEdit
	for _, u := range uses(d, sym) {
		switch {
		case u.scalar != nil:
			edits = append(edits, TextEdit{Range: d.R(u.scalar), NewText: quoteScalar(u.scalar, newName, json)})
		case u.ref != nil:
			edits = append(edits, renameInRef(d, u.ref, len(sym.tokens)-1, newName, json))
		}
	}
	return edits, nil
}

// renamable lists the kinds of symbol rename handles: names other parts
// of the document refer to by name or pointer.
func renamable(tokens []string) bool {
	switch {
	case len(tokens) == 2:
		return tokens[0] == "servers" || tokens[0] == "channels" || tokens[0] == "operations"
	case len(tokens) == 3:
		return tokens[0] == "components"
	case len(tokens) == 4:
		return tokens[0] == "channels" && tokens[2] == "messages"
	}
	return false
}

// symbolAt finds the symbol named at off: a local $ref (the pointer up to
// the token under the cursor), a mapping key, a 2.x requirement key or a
// 2.x channel server name.
func symbolAt(d *analysis.Document, off int) *symbol {
	if d == nil || d.Root == nil || !d.IsAsyncAPI {
		return nil
	}
	for _, r := range d.Refs {
		if !r.Local || !d.R(r.Value).Contains(off) {
			continue
		}
		toks, spans := pointerTokens(d, r)
		if len(toks) == 0 {
			return nil
		}
		n := len(toks)
		for i, sp := range spans {
			if sp.Contains(off) {
				n = i + 1
				break
			}
		}
		return declared(d, toks[:n], d.R(r.Value))
	}
	if !d.Version.V3() {
		for _, sec := range d.SecurityLists() {
			for _, alt := range sec.Alternatives {
				for _, e := range alt.Entries {
					if e.Ref == nil && e.Node != nil && e.Node.Kind == syntax.ScalarNode && d.R(e.Node).Contains(off) {
						return declared(d, []string{"components", "securitySchemes", e.Name}, d.R(e.Node))
					}
				}
			}
		}
		for _, ch := range allChannels(d) {
			for _, sr := range d.ServersOf(ch) {
				if sr.Ref == nil && sr.Node != nil && sr.Node.Kind == syntax.ScalarNode && d.R(sr.Node).Contains(off) {
					return declared(d, []string{"servers", sr.Name}, d.R(sr.Node))
				}
			}
		}
	}
	if toks, ok := keyPathAt(d, off); ok {
		return declared(d, toks, syntax.Range{})
	}
	return nil
}

// declared completes a symbol with its key, when the document has it.
func declared(d *analysis.Document, toks []string, at syntax.Range) *symbol {
	s := &symbol{tokens: toks, at: at}
	parent := d.Root
	for _, t := range toks[:len(toks)-1] {
		parent = step(parent, t)
		if parent == nil {
			return s
		}
	}
	if parent.Kind != syntax.MappingNode {
		return s
	}
	s.parent = parent
	s.key, _ = parent.Pair(toks[len(toks)-1])
	if s.key != nil && s.at == (syntax.Range{}) {
		s.at = d.R(s.key)
	}
	return s
}

// step goes one pointer token down from n.
func step(n *syntax.Node, tok string) *syntax.Node {
	n = n.Resolve()
	if n == nil {
		return nil
	}
	switch n.Kind {
	case syntax.MappingNode:
		return n.Key(tok).Resolve()
	case syntax.SequenceNode:
		var i int
		if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(n.Content) || fmt.Sprint(i) != tok {
			return nil
		}
		return n.Content[i].Resolve()
	}
	return nil
}

// keyPathAt returns the pointer tokens of the mapping key at off.
func keyPathAt(d *analysis.Document, off int) ([]string, bool) {
	var toks []string
	n := d.Root
	for depth := 0; n != nil && depth < 10000; depth++ {
		next := (*syntax.Node)(nil)
		switch n.Kind {
		case syntax.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Kind == syntax.ScalarNode && d.R(k).Contains(off) {
					return append(toks, k.Value), true
				}
				if v.Kind != syntax.AliasNode && d.R(v).Contains(off) && k.Kind == syntax.ScalarNode {
					toks = append(toks, k.Value)
					next = v
					break
				}
			}
		case syntax.SequenceNode:
			for i, it := range n.Content {
				if it.Kind != syntax.AliasNode && d.R(it).Contains(off) {
					toks = append(toks, fmt.Sprint(i))
					next = it
					break
				}
			}
		}
		n = next
	}
	return nil, false
}

// uses lists the declaration and the uses of sym in document order.
func uses(d *analysis.Document, sym *symbol) []symbolUse {
	var out []symbolUse
	if sym.key != nil {
		out = append(out, symbolUse{occ: Occurrence{Range: d.R(sym.key), Kind: Declaration}, scalar: sym.key})
	}
	for _, r := range d.Refs {
		if !r.Local {
			continue
		}
		toks, _ := pointerTokens(d, r)
		if hasPrefix(toks, sym.tokens) {
			out = append(out, symbolUse{occ: Occurrence{Range: refTokenRange(d, r, len(sym.tokens)-1), Kind: Reference}, ref: r})
		}
	}
	if !d.Version.V3() {
		if len(sym.tokens) == 3 && sym.tokens[0] == "components" && sym.tokens[1] == "securitySchemes" {
			for _, sec := range d.SecurityLists() {
				for _, alt := range sec.Alternatives {
					for _, e := range alt.Entries {
						if e.Ref == nil && e.Node != nil && e.Node.Kind == syntax.ScalarNode && e.Name == sym.tokens[2] {
							out = append(out, symbolUse{occ: Occurrence{Range: d.R(e.Node), Kind: Reference}, scalar: e.Node})
						}
					}
				}
			}
		}
		if len(sym.tokens) == 2 && sym.tokens[0] == "servers" {
			for _, ch := range allChannels(d) {
				for _, sr := range d.ServersOf(ch) {
					if sr.Ref == nil && sr.Node != nil && sr.Node.Kind == syntax.ScalarNode && sr.Name == sym.tokens[1] {
						out = append(out, symbolUse{occ: Occurrence{Range: d.R(sr.Node), Kind: Reference}, scalar: sr.Node})
					}
				}
			}
		}
	}
	sortUses(out)
	// The same node can be reached twice (a security list the model visits
	// from two places): one occurrence, one edit.
	dedup := out[:0]
	for i, u := range out {
		if i > 0 && u.occ.Range == out[i-1].occ.Range {
			continue
		}
		dedup = append(dedup, u)
	}
	return dedup
}

// allChannels returns root channels and 2.x components.channels.
func allChannels(d *analysis.Document) []*analysis.Channel {
	return append(append([]*analysis.Channel(nil), d.Channels...), d.ComponentChannels...)
}

func sortUses(u []symbolUse) {
	for i := 1; i < len(u); i++ {
		for j := i; j > 0 && u[j].occ.Range.Start < u[j-1].occ.Range.Start; j-- {
			u[j], u[j-1] = u[j-1], u[j]
		}
	}
}

func hasPrefix(toks, prefix []string) bool {
	if len(toks) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if toks[i] != p {
			return false
		}
	}
	return true
}

// pointerTokens decodes a local $ref the way the resolver does (percent
// decoding of the whole fragment, then ~1 and ~0 per token). spans are the
// byte ranges of the tokens in the text when the scalar is written without
// escapes and each raw token decodes to one token; nil otherwise.
func pointerTokens(d *analysis.Document, r *analysis.Ref) ([]string, []syntax.Range) {
	docPart, frag, _ := strings.Cut(r.Target, "#")
	dec := frag
	if u, err := url.PathUnescape(frag); err == nil {
		dec = u
	}
	if !strings.HasPrefix(dec, "/") {
		return nil, nil
	}
	raw := strings.Split(dec[1:], "/")
	toks := make([]string, len(raw))
	for i, t := range raw {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	start, ok := scalarTextStart(d, r.Value)
	rawToks := strings.Split(frag, "/")
	if !ok || len(rawToks) != len(toks)+1 || !strings.HasPrefix(frag, "/") {
		return toks, nil
	}
	spans := make([]syntax.Range, len(toks))
	p := start + len(docPart) + 1 + 1 // the document, '#' and the first '/'
	for i, t := range rawToks[1:] {
		spans[i] = syntax.Range{Start: p, End: p + len(t)}
		p += len(t) + 1
	}
	return toks, spans
}

// scalarTextStart returns where a scalar's value starts in the text when
// the text between the quotes is exactly the value (no escapes, one line).
func scalarTextStart(d *analysis.Document, n *syntax.Node) (int, bool) {
	r := d.R(n)
	q := 0
	if n.Style == syntax.SingleQuotedStyle || n.Style == syntax.DoubleQuotedStyle {
		q = 1
	} else if n.Style != syntax.PlainStyle {
		return 0, false
	}
	if r.Start+q > r.End-q || r.End > len(d.Text) {
		return 0, false
	}
	if string(d.Text[r.Start+q:r.End-q]) != n.Value {
		return 0, false
	}
	return r.Start + q, true
}

// refTokenRange is the range of token i of a $ref in the text, or the
// whole value when the token cannot be located.
func refTokenRange(d *analysis.Document, r *analysis.Ref, i int) syntax.Range {
	if _, spans := pointerTokens(d, r); i < len(spans) {
		return spans[i]
	}
	return d.R(r.Value)
}

// renameInRef rewrites token i of a $ref to name: in place when the token
// is located in the text (keeping how the rest is written), else the whole
// value, re-encoded and quoted as it was.
func renameInRef(d *analysis.Document, r *analysis.Ref, i int, name string, json bool) TextEdit {
	toks, spans := pointerTokens(d, r)
	if i < len(spans) {
		rawTok := string(d.Text[spans[i].Start:spans[i].End])
		enc := encodeToken(name, strings.Contains(rawTok, "%"))
		switch r.Value.Style {
		case syntax.SingleQuotedStyle:
			enc = strings.ReplaceAll(enc, "'", "''")
		case syntax.DoubleQuotedStyle:
			enc = strings.Trim(jsonQuote(enc), `"`)
		case syntax.PlainStyle:
			if !plainSafe(strings.Replace(r.Value.Value, rawTok, enc, 1)) {
				break
			}
			return TextEdit{Range: spans[i], NewText: enc}
		}
		if r.Value.Style != syntax.PlainStyle {
			return TextEdit{Range: spans[i], NewText: enc}
		}
	}
	toks = append([]string(nil), toks...)
	toks[i] = name
	var b strings.Builder
	docPart, _, _ := strings.Cut(r.Target, "#")
	b.WriteString(docPart + "#")
	for _, t := range toks {
		b.WriteString("/")
		b.WriteString(encodeToken(t, false))
	}
	return TextEdit{Range: d.R(r.Value), NewText: quoteScalar(r.Value, b.String(), json)}
}

// encodeToken writes a pointer token: ~ and / escaped as ~0 and ~1, and
// percent-encoded where a URI fragment needs it. With pct (the original
// token was percent-encoded) every character outside the fragment set is
// encoded; otherwise only those the resolver would misread ('%') or that
// no URI may hold (space, '#', '"', control characters).
func encodeToken(s string, pct bool) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
	var b strings.Builder
	for _, c := range []byte(s) {
		if c == '%' || c == ' ' || c == '#' || c == '"' || c < 0x20 || c == 0x7f || (pct && !fragmentSafe(c)) {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// fragmentSafe reports whether c may stand unencoded in a URI fragment
// (RFC 3986 pchar, "/" and "?").
func fragmentSafe(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0
}

var (
	plainRe    = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_.$/{}:-]*$`)
	reservedRe = regexp.MustCompile(`(?i)^(true|false|null|yes|no|on|off|y|n)$`)
)

// flowIndicators end a plain scalar inside a flow collection.
const flowIndicators = "{}[],"

// plainSafe reports whether s can be written as a plain YAML scalar that
// reads back as the same string.
func plainSafe(s string) bool {
	return plainRe.MatchString(s) && !reservedRe.MatchString(s) && !strings.HasSuffix(s, ":")
}

// quoteScalar writes s in n's style when that style can hold it: plain
// stays plain when safe, quotes stay the same kind; JSON is always double
// quoted.
func quoteScalar(n *syntax.Node, s string, json bool) string {
	switch {
	case json || n.Style == syntax.DoubleQuotedStyle:
		return jsonQuote(s)
	case n.Style == syntax.PlainStyle && plainSafe(s) && (!strings.ContainsAny(s, flowIndicators) || strings.ContainsAny(n.Value, flowIndicators)):
		// flow indicators are only safe where the old plain name had them
		// (so it is not in a flow collection)
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// isJSON reports whether the document is written as JSON (its root is a
// flow mapping).
func isJSON(d *analysis.Document) bool {
	return d.Root != nil && d.Root.Style == syntax.FlowStyle
}

// PointerSymbol is a name of one document that others can use through
// $refs into it ("schemes.yaml#/components/securitySchemes/k").
type PointerSymbol struct {
	Tokens []string // decoded JSON pointer tokens
}

// PointerSymbolAt returns the symbol named at off, for searching other documents.
func PointerSymbolAt(d *analysis.Document, off int) (PointerSymbol, bool) {
	sym := symbolAt(d, off)
	if sym == nil {
		return PointerSymbol{}, false
	}
	return PointerSymbol{Tokens: sym.tokens}, true
}

// ExternalReferences returns the $refs of d into another document that use
// sym there; into tells whether a $ref's document part (as written, such
// as "../schemes.yaml") names the document sym is declared in.
func ExternalReferences(d *analysis.Document, sym PointerSymbol, into func(doc string) bool) []Occurrence {
	var out []Occurrence
	for _, r := range externalUses(d, sym, into) {
		out = append(out, Occurrence{Range: refTokenRange(d, r, len(sym.Tokens)-1), Kind: Reference})
	}
	return out
}

// RenameExternal returns the edits of d that follow a rename of sym in the
// document into names: its $refs into that document.
func RenameExternal(d *analysis.Document, sym PointerSymbol, newName string, into func(doc string) bool) []TextEdit {
	var out []TextEdit
	for _, r := range externalUses(d, sym, into) {
		out = append(out, renameInRef(d, r, len(sym.Tokens)-1, newName, isJSON(d)))
	}
	return out
}

func externalUses(d *analysis.Document, sym PointerSymbol, into func(doc string) bool) []*analysis.Ref {
	if d == nil || d.Root == nil || len(sym.Tokens) == 0 {
		return nil
	}
	var out []*analysis.Ref
	for _, r := range d.Refs {
		docPart, _, _ := strings.Cut(r.Target, "#")
		if r.Local || docPart == "" || !into(docPart) {
			continue
		}
		if toks, _ := pointerTokens(d, r); hasPrefix(toks, sym.Tokens) {
			out = append(out, r)
		}
	}
	return out
}
