package syntax

// One diagnostic per error in a broken compact JSON region.
//
// A region a cold parse confines may hold several errors (the scans resync
// only where a member reads on, and errors close together share one
// region). regionErrors reads the region's members as JSON again, and at
// each place that does not read recovers the way the error the user typed
// there would be undone:
//
//   - a '{' followed by a value, not a member (`"k":{"v",…`, `[1,{{…}`): the
//     '{' left out, the value read in its place;
//   - a key followed by a value without its ':' (`"k""v"`): the ':' put in;
//   - an array item that is a key (`"k":["v","n":1`), or a closing bracket
//     of the other kind (`"k":["v"}`): the array's (or object's) bracket
//     never closed, the container ended before that item's ',' (or the
//     bracket), which the container around it reads;
//   - a ',' before a closing bracket: that ',' (typed before the next
//     member);
//   - a string followed by text with no separator (`"k":"x"value"`,
//     `"k":"x{"a":1}`, `"k":"x5,"n":1`): a quote typed before a value,
//     the typed string never closed; the value after the typed text is read
//     (a bracketed value, a number or a literal inside the string), or the
//     text up to the next quote is the rest of the string.
//
// Each recovery is one diagnostic, where the user typed. A region the
// scans read a level off (a '[' or '{' typed before it made the members
// after it a nested container's, or a bracket closed its container early)
// is read on in the containers around it: where its container closes
// inside it, the members after go on in the parent, and each member is
// read as a member or an item as it reads (a key and its ':', or a
// value); the containers it opens and the region does not close are
// closed by the text after it, with nothing to tell about them.
//
// The reading stops at the first place none of those explains. Its
// diagnostics then stand for the errors before that place, each at a
// place no JSON reading of what precedes it gets past. The region's own
// diagnostic (regionDiag) is kept when the reading finds nothing, when it
// finds one error and explains the whole region as it was read (the same
// place: regionDiag's message knows the region), where it is at the place
// of one found (its message), and besides those found when the region was
// read a level off (what the reading does not tell about). The reading
// depends on the region's text only, as regionDiag does, so a region an
// update keeps has the same diagnostics (regionDiags, in
// jsoncompactbroken.go, combines the two).

// maxErrorDepth bounds the nesting the reading follows.
const maxErrorDepth = 200

// maxTypedBefore bounds the text typed before a value inside a string
// (`"x{…`) the reading looks past, and maxValueTries the values it tries
// reading there in a region (each may read far before it fails: the
// bound keeps the reading linear in the region).
const (
	maxTypedBefore = 16
	maxValueTries  = 32
)

// errorReader reads a region's members, recovering from typed errors.
type errorReader struct {
	text   []byte
	end    int // the region's content end (regionEnd)
	ds     []Diagnostic
	depth  int
	tries  int  // values tried inside strings
	trying bool // (reading one)
	nest   int  // the containers open inside the region
	cut    bool // the region ended inside one
	// loose: the region's container closed inside it, or a member read as
	// another container's (the region read a level off)
	loose bool
	// opener is the offset of the last '{' left out (a '{' followed by a
	// value): an array whose last item it was is that same typed error
	// (`[1,{`), so its '[' never closed has no diagnostic of its own.
	opener int
	// open is the offset of the region's container bracket, closed is
	// whether the reading has closed it (inside the region).
	open   int
	closed bool
	first  bool // the region starts at its container's first member
	// tail is the closing brackets after the region's content, keyAfter
	// whether a ',' and a key follow them (regionTail); level is how many
	// of those the containers the region ends in have taken (-1: the
	// text after the region is not read, or no longer)
	tail     []byte
	keyAfter bool
	level    int
}

// regionErrors returns one diagnostic per error the reading recovers
// from, in text order, up to where it stops (stop), and whether it explains the
// whole region (it read up to the region's end; the containers it opened
// and the region does not close are closed by the text after the region,
// which the scans read a level off).
func regionErrors(text []byte, r compactRegion, end int) (ds []Diagnostic, stop int, whole, loose bool) {
	er := &errorReader{text: text, end: end, opener: -1, open: r.open}
	er.first = firstMember(text, r)
	er.tail, er.keyAfter, _ = regionTail(text, end)
	i, ok := er.members(r.from, -1, r.obj) // (ok: at the region's end)
	return er.ds, i, ok, er.loose
}

func (er *errorReader) skip(i int) int {
	for i < er.end && jsonBlank(er.text[i]) {
		i++
	}
	return i
}

func (er *errorReader) add(at int, d Diagnostic) {
	er.ds = append(er.ds, Diagnostic{})
	copy(er.ds[at+1:], er.ds[at:])
	er.ds[at] = d
}

// members reads the members (obj) or items from i of the container whose
// opening bracket is at o (-1: the region's own container, read up to the
// region's end), and returns the offset after its closing bracket, or, for
// a container read as never closed, where its parent reads on.
func (er *errorReader) members(i, o int, obj bool) (int, bool) {
	text := er.text
	if o >= 0 {
		er.nest++
		defer func() { er.nest-- }()
	}
	comma := -1 // the ',' before i
	last := -1  // where the last item starts
	for n := 0; ; n++ {
		i = er.skip(i)
		if i >= er.end {
			if o < 0 {
				return i, n > 0 && comma < 0
			}
			if obj || er.nest > 1 || comma >= 0 || er.cut || er.loose {
				// The region ends inside containers it opened: it was read a
				// level off (the scans' levels, not these, end it), and the
				// text after it closes them. Nothing to tell about them,
				// but where the closing brackets right after the region
				// close the innermost ones and a ',' and a key follow: an
				// array the key would be an item of is never closed
				// (`"k":["v",` before `"n":1`).
				er.cut = true
				switch {
				case comma >= 0 || er.level < 0:
					er.level = -1
				case er.level < len(er.tail) && closes(text[o], er.tail[er.level]):
					er.level++
				case er.level < len(er.tail):
					// a closing bracket of the other kind right after the
					// region: this container's bracket never closed, the
					// closer its parent's (`"k":["v"` before `},…`)
					if er.opener != last {
						er.ds = append(er.ds, unclosedBracket(text, o))
					}
					er.level = -1
				case er.level == len(er.tail) && er.keyAfter && !obj:
					if er.opener != last {
						er.ds = append(er.ds, unclosedBracket(text, o))
					}
					er.level = -1
				default:
					er.level = -1
				}
				return i, true
			}
			// an array the region's last member ends in: its '[' never
			// closed (`"k":["v"` before the container's '}')
			if er.opener != last {
				er.ds = append(er.ds, unclosedBracket(text, o))
			}
			return i, true
		}
		if c := text[i]; c == '}' || c == ']' {
			if o < 0 && n > 0 && comma < 0 {
				// The region's container closes inside it: the region was
				// read a level off, and its members go on in the parent
				// (whose kind each member tells). A closing bracket of
				// the other kind: the container's bracket (outside the
				// region) is never closed (`"k":[{"a":1}},…`).
				if !er.closed && er.first && text[er.open] == '[' && c == '}' && er.opener != last {
					er.add(0, unclosedBracket(text, er.open))
				}
				er.loose, er.closed = true, true
				i = er.skip(i + 1)
				comma = -1
				if i < er.end && text[i] == ',' {
					comma = i
					i++
				}
				continue
			}
			if o < 0 {
				return i, false
			}
			if comma >= 0 {
				// a ',' before the closing bracket (typed before the next
				// member)
				what := "item"
				if obj {
					what = "member"
				}
				er.ds = append(er.ds, syntaxError(Range{comma, comma + 1}, "syntax error: a ',' with no "+what+" after it"))
			}
			if closes(text[o], c) {
				return i + 1, true
			}
			// a closing bracket of the other kind: this container's
			// bracket never closed, the closer its parent's (`"k":["v"}`)
			if er.opener != last {
				er.ds = append(er.ds, unclosedBracket(text, o))
			}
			return i, true
		}
		if n > 0 && comma < 0 {
			return i, false // a ',' missing: not one of the typed errors
		}
		member := obj
		if o < 0 && member != memberAt(text, i, er.end) {
			// (the region's own container as the scans read it; read a
			// level off, its members are another container's)
			member, er.loose = !member, true
		}
		switch {
		case member:
			if text[i] != '"' {
				return i, false
			}
			ke, _ := jsonStringEnd(text, i)
			if ke < 0 || ke > er.end {
				return i, false
			}
			v := er.skip(ke)
			switch {
			case v < er.end && text[v] == ':':
				v = er.skip(v + 1)
			case v < er.end && valueStart(text[v]):
				er.ds = append(er.ds, syntaxError(Range{i, ke}, "syntax error: could not find expected ':' after this key"))
			default:
				return i, false
			}
			p, ok := er.value(v)
			if !ok {
				return p, false
			}
			i = p
		case o >= 0 && comma >= 0 && memberAt(text, i, er.end):
			// an item that is a key (followed by its ':', or by a value:
			// its ':' missing too): the '[' never closed, the item its
			// parent's member after the ',' before it
			if er.opener != last {
				er.ds = append(er.ds, unclosedBracket(text, o))
			}
			return comma, true
		default:
			last = i
			p, ok := er.value(i)
			if !ok {
				return p, false
			}
			i = p
		}
		i = er.skip(i)
		comma = -1
		if i < er.end && text[i] == ',' {
			comma = i
			i++
		}
	}
}

// memberAt reports whether a member starts at i: a string followed by
// ':', or by a value (its ':' missing).
func memberAt(text []byte, i, end int) bool {
	if text[i] != '"' {
		return false
	}
	ke, _ := jsonStringEnd(text, i)
	if ke < 0 || ke > end {
		return false
	}
	for ke < end && jsonBlank(text[ke]) {
		ke++
	}
	return ke < end && (text[ke] == ':' || valueStart(text[ke]))
}

// valueStart reports whether c starts a JSON value.
func valueStart(c byte) bool {
	return c == '"' || c == '{' || c == '[' || c == '-' || '0' <= c && c <= '9' || c == 't' || c == 'f' || c == 'n'
}

// value reads the value at i and returns the offset after it.
func (er *errorReader) value(i int) (int, bool) {
	text := er.text
	if i >= er.end || er.depth >= maxErrorDepth {
		return i, false
	}
	er.depth++
	defer func() { er.depth-- }()
	switch c := text[i]; {
	case c == '"':
		return er.str(i)
	case c == '{':
		if v := er.skip(i + 1); v < er.end && er.valueAt(v) {
			// a '{' followed by a value: left out
			er.ds = append(er.ds, openerBeforeValueAt(i))
			p, ok := er.value(v)
			er.opener = i
			return p, ok
		}
		return er.members(i+1, i, true)
	case c == '[':
		return er.members(i+1, i, false)
	}
	if j := jsonAtomEnd(text, i); j > i && j <= er.end {
		return j, true
	}
	return i, false
}

// valueAt reports whether what follows a '{' at v is a value, not a
// member: a bracketed value, a number or a literal, or a string followed
// by ',', a closing bracket or the region's end.
func (er *errorReader) valueAt(v int) bool {
	text := er.text
	if text[v] != '"' {
		return valueStart(text[v])
	}
	j, _ := jsonStringEnd(text, v)
	if j < 0 || j > er.end {
		return false
	}
	j = er.skip(j)
	return j >= er.end || text[j] == ',' || isCloser(text[j])
}

// str reads the string at i, or a string never closed: one followed by
// text with no separator.
func (er *errorReader) str(i int) (int, bool) {
	text := er.text
	j, _ := jsonStringEnd(text, i)
	if (j < 0 || j > er.end) && er.trying {
		return i, false
	}
	if j < 0 || j > er.end {
		// A string the region does not close: the scans read the text
		// after the region as members, so it is never closed (a quote
		// typed before a value, `"x{` at the region's end); the
		// containers open are closed by the text after the region.
		er.ds = append(er.ds, syntaxError(boundedToken(text, i, er.end), "syntax error: this quoted string is never closed"))
		er.cut, er.level = true, -1
		return er.end, true
	}
	if j == er.end || text[j] == ',' || text[j] == ':' || isCloser(text[j]) || jsonBlank(text[j]) {
		return j, true
	}
	// Text glued to the string: the quote was typed before a value. The
	// value is inside the string when a bracket, a number or a literal
	// there reads to a separator (`"x{"a":1}`, `"x5,"n"`).
	at := len(er.ds)
	for k := i + 1; k < min(j-1, i+1+maxTypedBefore) && er.tries < maxValueTries; k++ {
		if c := text[k]; c != '{' && c != '[' && c != '-' && (c < '0' || c > '9') && jsonAtomEnd(text, k) <= k {
			continue
		}
		er.tries++
		opener, cut := er.opener, er.cut
		er.trying = true
		p, ok := er.value(k)
		er.trying = false
		if q := er.skip(p); ok && (q >= er.end || text[q] == ',' || isCloser(text[q])) {
			er.add(at, syntaxError(Range{i, k}, "syntax error: this quoted string is never closed: it takes in the value after it (a quote typed before the value?)"))
			return p, true
		}
		er.ds, er.opener, er.cut = er.ds[:at], opener, cut // (not that value)
		break
	}
	if q := gluedQuotedEnd(text, j, er.end); q >= 0 {
		er.ds = append(er.ds, syntaxError(Range{i, j}, "syntax error: this quoted string is never closed (the \" that seems to close it opens the text after it: a quote typed before a value?)"))
		return q, true
	}
	return j, false
}

// regionTail reads the text after a region's content (from end, its
// trailing ',' included): the closing brackets right after it, whether a
// ',' and a key (a string and its ':') follow them, and the offset after
// what it read. A region's diagnostics depend on that text too, so an
// update that keeps the region with an edit there computes them again
// (tailReach).
func regionTail(text []byte, end int) (closers []byte, keyAfter bool, stop int) {
	k := end
	for k < len(text) && len(closers) < maxErrorDepth {
		for k < len(text) && jsonBlank(text[k]) {
			k++
		}
		if k >= len(text) || !isCloser(text[k]) {
			break
		}
		closers = append(closers, text[k])
		k++
	}
	if k >= len(text) || text[k] != ',' {
		return closers, false, min(k+1, len(text))
	}
	for k++; k < len(text) && jsonBlank(text[k]); k++ {
	}
	if k >= len(text) || text[k] != '"' {
		return closers, false, min(k+1, len(text))
	}
	ke, _ := jsonStringEnd(text, k)
	if ke < 0 {
		return closers, false, len(text)
	}
	for ke < len(text) && jsonBlank(text[ke]) {
		ke++
	}
	return closers, ke < len(text) && text[ke] == ':', min(ke+1, len(text))
}

// tailReach is the offset after the text past the region that its
// diagnostics depend on (regionTail).
func tailReach(text []byte, r compactRegion) int {
	_, _, stop := regionTail(text, regionEnd(text, r))
	return stop
}
