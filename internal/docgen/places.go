package docgen

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Typing places of tools/lspbench. A place is a cursor position in a
// generated document (YAML or JSON, any shape) and the keystrokes typed
// there, each one inserted at the cursor, which then moves after it. Every
// place is located near the middle of the document.
const (
	// PlaceOperationDescription types plain text into the one-line
	// description of an operation (the original lspbench place).
	PlaceOperationDescription = "o"
	// PlaceComponentText types plain text into the double-quoted
	// description of a component message (YAML).
	PlaceComponentText = "a"
	// PlaceSecurityRef presses Enter after the first item of an
	// operation's security list and types a new item character by
	// character: `- $ref: '#/components/securitySchemes/apiKeyHeader'` in
	// 3.x, a requirement map `- apiKeyHeader: []` in 2.x. Most
	// intermediate states are half-typed (unclosed quote, half a name).
	PlaceSecurityRef = "b"
	// PlaceAfterFlowMapping types "x y z " right after the closing `}` of
	// an operation's one-line `bindings: {amqp: {ack: true}}` (see
	// Options.FlowBindings): every keystroke leaves a YAML syntax error.
	PlaceAfterFlowMapping = "c"
	// PlaceJSONString types plain text inside the string value of an
	// operation's "description" (JSON).
	PlaceJSONString = "d1"
	// PlaceJSONMember presses Enter after the first member ("type") of the
	// createdAt property schema in a component message's payload (or a
	// component schema) and types `"description": "Typed in lspbench é日🙂",`
	// character by character (JSON): until the final comma the object is
	// broken (unclosed string, missing colon, missing comma). Further
	// members are `"x-note-N": …`.
	PlaceJSONMember = "d2"
	// PlaceSchemeText types plain text into the one-line description of
	// the OAuth security scheme that most operations name first (YAML):
	// every operation, channel and server that uses it depends on it.
	PlaceSchemeText = "s"
	// PlaceNewScope presses Enter after the last scope of that scheme's
	// first OAuth flow (`availableScopes` in 3.x, `scopes` in 2.x) and types
	// `'lspbench:scopeN': Typed scope` character by character (YAML): every
	// keystroke changes the scopes its users' requirements are checked
	// against.
	PlaceNewScope = "n"
	// PlaceMinJSONString is PlaceJSONString in a minified (one-line) JSON
	// document (GenerateMinJSON).
	PlaceMinJSONString = "m1"
	// PlaceMinJSONMember types `"description": "Typed in lspbench é日🙂",`
	// character by character (no Enter) right after the first member
	// ("type") of the createdAt property schema of a minified JSON
	// document: broken until the final comma, as PlaceJSONMember.
	PlaceMinJSONMember = "m2"
)

var placeIDs = []string{PlaceOperationDescription, PlaceComponentText, PlaceSecurityRef, PlaceAfterFlowMapping,
	PlaceSchemeText, PlaceNewScope, PlaceJSONString, PlaceJSONMember, PlaceMinJSONString, PlaceMinJSONMember}

// PlaceIDs lists every place in report order (a copy).
func PlaceIDs() []string { return slices.Clone(placeIDs) }

// PlaceFormat says which document format a place needs: "json" for the
// d places, "minjson" (minified JSON) for the m places, "yaml" for the
// others.
func PlaceFormat(id string) string {
	switch {
	case strings.HasPrefix(id, "d"):
		return "json"
	case strings.HasPrefix(id, "m"):
		return "minjson"
	}
	return "yaml"
}

// Cursor in Place.Complete or Place.Hover stands for the cursor after the
// last keystroke.
const Cursor = -1

// Place is one located typing place.
type Place struct {
	ID string
	// What says in one line what is typed where.
	What string
	// Offset is the byte offset of the cursor before the first keystroke.
	Offset int
	// Hover and Complete are byte offsets, in the document before typing,
	// of the hover and completion requests made after typing (or Cursor).
	// The first entries are at the edited element, the others at
	// operations around it.
	Hover, Complete []int
	// keys returns the first n keystrokes; typed is the text of the plain
	// text places.
	keys func(n int, typed string) []string
}

// Keystrokes returns the first n keystrokes of the place; the plain-text
// places type typed (cycled, one rune per keystroke), the others their own
// sequence (repeated as needed).
func (p Place) Keystrokes(n int, typed string) []string { return p.keys(n, typed) }

// AfterTyping maps an offset of the document before typing to the document
// after inserting inserted bytes at the place (Cursor maps to the cursor).
func (p Place) AfterTyping(off, inserted int) int {
	switch {
	case off == Cursor:
		return p.Offset + inserted
	case off >= p.Offset:
		return off + inserted
	}
	return off
}

func runeKeys(n int, typed string) []string {
	rs := []rune(typed)
	if len(rs) == 0 {
		rs = []rune("x")
	}
	out := make([]string, n)
	for i := range out {
		out[i] = string(rs[i%len(rs)])
	}
	return out
}

// lineKeys: Enter (newline + indentation, as an editor's auto-indent sends
// it in one change), then line(k) one rune at a time, for k = 0, 1, …
func lineKeys(indent string, line func(k int) string) func(int, string) []string {
	return func(n int, _ string) []string {
		var out []string
		for k := 0; len(out) < n; k++ {
			out = append(out, "\n"+indent)
			for _, r := range line(k) {
				out = append(out, string(r))
			}
		}
		return out[:n]
	}
}

// memberKeys: member(k) one rune at a time, for k = 0, 1, … (no Enter).
func memberKeys(member func(k int) string) func(int, string) []string {
	return func(n int, _ string) []string {
		var out []string
		for k := 0; len(out) < n; k++ {
			for _, r := range member(k) {
				out = append(out, string(r))
			}
		}
		return out[:n]
	}
}

// Places locates every place that applies to doc (a generated document of
// any shape; YAML gives o, a, b, c, JSON gives d1, d2 and minified JSON
// m1, m2), keyed by ID. A
// place whose anchor the document lacks is missing from the map (for
// example c without Options.FlowBindings). The error is for a document
// that does not parse at all.
func Places(doc []byte) (map[string]Place, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a mapping document")
	}
	l := &locator{doc: doc, lines: lineStarts(doc)}
	top := root.Content[0]
	isJSON := len(bytes.TrimLeft(doc, " \t\r\n")) > 0 && bytes.TrimLeft(doc, " \t\r\n")[0] == '{'
	minified := isJSON && bytes.IndexByte(bytes.TrimSpace(doc), '\n') < 0
	stringPlace, memberPlace := PlaceJSONString, PlaceJSONMember
	if minified {
		stringPlace, memberPlace = PlaceMinJSONString, PlaceMinJSONMember
	}
	v2 := strings.HasPrefix(scalar(get(top, "asyncapi")), "2.")
	ops := l.operations(top, v2)
	mid := len(doc) / 2
	// nearest is the index of the operation accepted by ok whose key is
	// closest to the offset target, or -1.
	nearest := func(target int, ok func(i int) bool) int {
		best := -1
		for i := range ops {
			if ok(i) && (best < 0 || abs(ops[i].key-target) < abs(ops[best].key-target)) {
				best = i
			}
		}
		return best
	}
	anyOp := func(int) bool { return true }
	// Requests around the operation opIdx (or the middle): its key and
	// security first, then up to four neighbours.
	around := func(opIdx int) (hover, complete []int) {
		if opIdx < 0 {
			opIdx = nearest(mid, anyOp)
		}
		if opIdx < 0 {
			return nil, nil
		}
		for _, d := range []int{0, -1, 1, -2, 2} {
			if j := opIdx + d; j >= 0 && j < len(ops) {
				hover = append(hover, ops[j].hoverAt)
				if ops[j].securityAt >= 0 {
					complete = append(complete, ops[j].securityAt)
				}
			}
		}
		return hover, complete
	}
	places := map[string]Place{}
	add := func(p Place, opIdx int, cursorCompletion bool, extraHover ...int) {
		h, c := around(opIdx)
		p.Hover = append(extraHover, h...)
		if cursorCompletion {
			c = append([]int{Cursor}, c...)
		}
		p.Complete = c
		places[p.ID] = p
	}

	withDesc := func(i int) bool { return ops[i].descStart >= 0 }
	if i := nearest(mid, withDesc); i >= 0 {
		op := ops[i]
		if !isJSON && op.descStyle&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
			off := (op.descStart + op.descEnd) / 2
			for off > op.descStart && !utf8.RuneStart(doc[off]) {
				off--
			}
			add(Place{ID: PlaceOperationDescription, Offset: off, keys: runeKeys,
				What: fmt.Sprintf("plain text into the description of operation %s", op.name)}, i, false)
		}
		if isJSON {
			off := op.descStart
			if sp := bytes.IndexByte(doc[(op.descStart+op.descEnd)/2:op.descEnd], ' '); sp >= 0 {
				off = (op.descStart+op.descEnd)/2 + sp + 1
			}
			add(Place{ID: stringPlace, Offset: off, keys: runeKeys,
				What: fmt.Sprintf("plain text inside the \"description\" string of operation %s", op.name)}, i, false)
		}
	}
	if !isJSON {
		msgs := pairs(get(get(top, "components"), "messages"))
		best, bestOff := -1, 0
		for j := 0; j < len(msgs); j += 2 {
			d := get(msgs[j+1], "description")
			if d == nil || d.Style != yaml.DoubleQuotedStyle {
				continue
			}
			off := l.offset(d)
			if best < 0 || abs(off-mid) < abs(bestOff-mid) {
				best, bestOff = j, off
			}
		}
		if best >= 0 {
			start := bestOff + 1
			off := start
			if sp := bytes.IndexByte(doc[start:l.lineEnd(start)], ' '); sp >= 0 {
				off = start + sp + 1
			}
			add(Place{ID: PlaceComponentText, Offset: off, keys: runeKeys,
				What: fmt.Sprintf("plain text into the quoted description of component message %s", msgs[best].Value)},
				-1, false, l.offset(msgs[best])+1)
		}
		if i := nearest(mid, func(i int) bool { return ops[i].secLineEnd >= 0 }); i >= 0 {
			op := ops[i]
			scheme := "apiKeyHeader"
			if op.firstScheme == scheme {
				scheme = "bearerJwt"
			}
			line := "- $ref: '#/components/securitySchemes/" + scheme + "'"
			if v2 {
				line = "- " + Requirement26(scheme, false)
			}
			add(Place{ID: PlaceSecurityRef, Offset: op.secLineEnd, keys: lineKeys(op.secIndent, func(int) string { return line }),
				What: fmt.Sprintf("Enter, then `%s` char by char, under the security list of operation %s", line, op.name)},
				i, true)
		}
		if i := nearest(mid, func(i int) bool { return ops[i].flowEnd >= 0 }); i >= 0 {
			op := ops[i]
			add(Place{ID: PlaceAfterFlowMapping, Offset: op.flowEnd, keys: func(n int, _ string) []string { return runeKeys(n, "x y z ") },
				What: fmt.Sprintf("`x y z ` right after the `}` of `%s` in operation %s", FlowBindingsLine, op.name)}, i, true)
		}
		schemePlaces(l, top, ops, v2, func(p Place) { add(p, -1, false) })
	} else {
		// The createdAt property schema of the message payload (or
		// component schema) nearest to the middle: {"type": …, "format": …}.
		var owner, prop *yaml.Node
		ownerOff := 0
		for _, section := range []string{"messages", "schemas"} {
			items := pairs(get(get(top, "components"), section))
			for j := 0; j < len(items); j += 2 {
				schema := items[j+1]
				if section == "messages" {
					schema = get(schema, "payload")
				}
				p := get(get(schema, "properties"), "createdAt")
				if p == nil || p.Kind != yaml.MappingNode || len(p.Content) < 4 || get(p, "description") != nil {
					continue
				}
				if off := l.offset(p); owner == nil || abs(off-mid) < abs(ownerOff-mid) {
					owner, prop, ownerOff = items[j], p, off
				}
			}
		}
		if owner != nil {
			keyOff := l.offset(prop.Content[0])
			at := l.lineEnd(l.valueEnd(l.offset(prop.Content[1])))
			indent := string(doc[l.lineStart(keyOff):keyOff])
			member := func(k int) string {
				key := "description"
				if k > 0 {
					key = fmt.Sprintf("x-note-%d", k+1)
				}
				return fmt.Sprintf("%q: \"Typed in lspbench é日🙂\",", key)
			}
			if minified {
				// After the first member's ',' on the one line, no Enter.
				at = l.valueEnd(l.offset(prop.Content[1]))
				if at < len(doc) && doc[at] == ',' {
					at++
				}
				add(Place{ID: memberPlace, Offset: at, keys: memberKeys(member),
					What: fmt.Sprintf("`%s` char by char, after the first member of the createdAt property schema of %s (one line)",
						member(0), owner.Value)},
					-1, true, l.offset(owner)+1)
			} else {
				add(Place{ID: memberPlace, Offset: at, keys: lineKeys(indent, member),
					What: fmt.Sprintf("Enter, then `%s` char by char, after the first member of the createdAt property schema of %s",
						member(0), owner.Value)},
					-1, true, l.offset(owner)+1)
			}
		}
	}
	return places, nil
}

// schemePlaces locates the places s and n in the scheme that most
// operations name first.
func schemePlaces(l *locator, top *yaml.Node, ops []locatedOp, v2 bool, add func(Place)) {
	schemes := get(get(top, "components"), "securitySchemes")
	uses := map[string]int{}
	name := ""
	for _, op := range ops {
		if op.firstScheme == "" || get(get(schemes, op.firstScheme), "flows") == nil {
			continue
		}
		uses[op.firstScheme]++
		if name == "" || uses[op.firstScheme] > uses[name] || uses[op.firstScheme] == uses[name] && op.firstScheme < name {
			name = op.firstScheme
		}
	}
	scheme := get(schemes, name)
	if scheme == nil {
		return
	}
	if d := get(scheme, "description"); d != nil && d.Kind == yaml.ScalarNode && !strings.Contains(d.Value, "\n") &&
		d.Style&^(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		start := l.offset(d)
		end := start + len(bytes.TrimRight(l.doc[start:l.lineEnd(start)], " \r"))
		if d.Style != 0 {
			start, end = start+1, l.valueEnd(start)-1
		}
		off := (start + end) / 2
		for off > start && !utf8.RuneStart(l.doc[off]) {
			off--
		}
		add(Place{ID: PlaceSchemeText, Offset: off, keys: runeKeys,
			What: fmt.Sprintf("plain text into the description of security scheme %s (named first by %d operations)", name, uses[name])})
	}
	flows := pairs(get(scheme, "flows"))
	if len(flows) < 2 {
		return
	}
	scopesKey := "availableScopes"
	if v2 {
		scopesKey = "scopes"
	}
	scopes := pairs(get(flows[1], scopesKey))
	if len(scopes) < 2 || get(flows[1], scopesKey).Style&yaml.FlowStyle != 0 {
		return
	}
	lastKey, lastVal := scopes[len(scopes)-2], scopes[len(scopes)-1]
	keyOff := l.offset(lastKey)
	indent := string(l.doc[l.lineStart(keyOff):keyOff])
	at := l.lineEnd(l.valueEnd(l.offset(lastVal)))
	line := func(k int) string { return fmt.Sprintf("'lspbench:scope%d': Typed scope", k+1) }
	add(Place{ID: PlaceNewScope, Offset: at, keys: lineKeys(indent, line),
		What: fmt.Sprintf("Enter, then `%s` char by char, after the last of %s's %s of scheme %s", line(0), flows[0].Value, scopesKey, name)})
}

// located operation (3.x: operations.X; 2.x: channels.X.publish|subscribe).
type locatedOp struct {
	name               string
	key, hoverAt       int // key: offset of the key; hoverAt: inside it
	descStart, descEnd int // description content (without quotes), -1 if none
	descStyle          yaml.Style
	securityAt         int    // completion point in the first security item, -1 if none
	firstScheme        string // scheme the first security item names
	secLineEnd         int    // end of the first security item's line (block list only), -1 if none
	secIndent          string // indentation of that item's "-"
	flowEnd            int    // just after the `}` of a flow-mapping bindings, -1 if none
}

func (l *locator) operations(top *yaml.Node, v2 bool) []locatedOp {
	var out []locatedOp
	addOp := func(name string, key, val *yaml.Node) {
		if val.Kind != yaml.MappingNode {
			return
		}
		k := l.offset(key)
		op := locatedOp{name: name, key: k, hoverAt: k + 1, descStart: -1, descEnd: -1, securityAt: -1, secLineEnd: -1, flowEnd: -1}
		if d := get(val, "description"); d != nil && d.Kind == yaml.ScalarNode && !strings.Contains(d.Value, "\n") {
			s := l.offset(d)
			op.descStyle = d.Style
			switch {
			case d.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
				op.descStart, op.descEnd = s+1, l.valueEnd(s)-1
			case d.Style == 0:
				op.descStart, op.descEnd = s, s+len(bytes.TrimRight(l.doc[s:l.lineEnd(s)], " \r"))
			}
		}
		if sec := get(val, "security"); sec != nil && sec.Kind == yaml.SequenceNode && len(sec.Content) > 0 {
			first := sec.Content[0]
			if first.Kind == yaml.MappingNode && len(first.Content) >= 2 {
				if ref := get(first, "$ref"); ref != nil {
					const p = "#/components/securitySchemes/"
					if name, ok := strings.CutPrefix(ref.Value, p); ok {
						op.firstScheme = name
						op.securityAt = l.offset(ref) + 1 + len(p)
					}
				} else if v2 {
					op.firstScheme = first.Content[0].Value
					op.securityAt = l.offset(first.Content[0]) + 1
				}
			}
			if sec.Style&yaml.FlowStyle == 0 && !l.json() {
				itemStart := l.offset(first)
				ls := l.lineStart(itemStart)
				line := l.doc[ls:itemStart]
				if dash := bytes.IndexByte(line, '-'); dash >= 0 && len(bytes.TrimLeft(line[:dash], " ")) == 0 &&
					first.Line == lastLine(first) {
					op.secLineEnd, op.secIndent = l.lineEnd(itemStart), string(line[:dash])
				}
			}
		}
		if b := get(val, "bindings"); b != nil && b.Kind == yaml.MappingNode && b.Style&yaml.FlowStyle != 0 && !l.json() {
			op.flowEnd = l.valueEnd(l.offset(b))
		}
		out = append(out, op)
	}
	if v2 {
		chans := pairs(get(top, "channels"))
		for j := 0; j < len(chans); j += 2 {
			for _, verb := range []string{"publish", "subscribe"} {
				if k, v := getPair(chans[j+1], verb); v != nil {
					name := scalar(get(v, "operationId"))
					if name == "" {
						name = chans[j].Value + " " + verb
					}
					addOp(name, k, v)
				}
			}
		}
		return out
	}
	ops := pairs(get(top, "operations"))
	for j := 0; j < len(ops); j += 2 {
		addOp(ops[j].Value, ops[j], ops[j+1])
	}
	return out
}

// lastLine is the line of the last scalar under n (n's own for a scalar).
func lastLine(n *yaml.Node) int {
	for len(n.Content) > 0 {
		n = n.Content[len(n.Content)-1]
	}
	return n.Line
}

func get(m *yaml.Node, key string) *yaml.Node {
	_, v := getPair(m, key)
	return v
}

func getPair(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func pairs(m *yaml.Node) []*yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	return m.Content
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// locator turns yaml.v3 positions (1-based line, column in runes) into
// byte offsets and finds the ends of values by scanning the text.
type locator struct {
	doc   []byte
	lines []int
}

func lineStarts(doc []byte) []int {
	starts := []int{0}
	for i, c := range doc {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func (l *locator) json() bool {
	t := bytes.TrimLeft(l.doc, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

func (l *locator) offset(n *yaml.Node) int {
	off := l.lines[n.Line-1]
	for c := 1; c < n.Column && off < len(l.doc); c++ {
		_, size := utf8.DecodeRune(l.doc[off:])
		off += size
	}
	return off
}

func (l *locator) lineStart(off int) int { return bytes.LastIndexByte(l.doc[:off], '\n') + 1 }

func (l *locator) lineEnd(off int) int {
	if i := bytes.IndexByte(l.doc[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(l.doc)
}

// valueEnd returns the offset just after the value starting at off: a
// quoted string (JSON or YAML escapes), a flow collection (brackets
// matched, quoted strings skipped) or a plain value (up to a comma or the
// end of the line).
func (l *locator) valueEnd(off int) int {
	d := l.doc
	switch d[off] {
	case '"', '\'':
		return l.stringEnd(off)
	case '{', '[':
		depth := 0
		for i := off; i < len(d); i++ {
			switch d[i] {
			case '"', '\'':
				i = l.stringEnd(i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(d)
	}
	end := l.lineEnd(off)
	if i := bytes.IndexByte(d[off:end], ','); i >= 0 {
		end = off + i
	}
	return off + len(bytes.TrimRight(d[off:end], " \r"))
}

// stringEnd returns the offset just after the quoted string at off.
func (l *locator) stringEnd(off int) int {
	d, q := l.doc, l.doc[off]
	for i := off + 1; i < len(d); i++ {
		switch {
		case q == '"' && d[i] == '\\':
			i++
		case d[i] == q && q == '\'' && i+1 < len(d) && d[i+1] == '\'':
			i++
		case d[i] == q:
			return i + 1
		}
	}
	return len(d)
}
