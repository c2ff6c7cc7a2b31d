package syntax

import "bytes"

// The body of a YAML document.
//
// Real documents often open with a BOM, with `---` (after comments or a
// `%YAML` directive), and end with `...`. None of that belongs to a region:
// the regions of the root mapping lie in the document's body, from the
// line after the `---` (or after the BOM) to the line of the `...` (or the
// end of the text). The whole-text parser reaches the body's first line in
// the state a parse of the body alone starts in (expecting the root's
// first key), and leaves the body at its end as a parse of the body alone
// does, so the regions of the body parse alone as they do in the whole
// text. Anything else before or after the body (a `%TAG` directive, which
// changes how tags in the body read; content on the `---` line; a second
// document) is left to the whole-text parser.

// yamlBody returns the body [bs, be) of a one-document YAML text, or why
// the text cannot be split that way.
func yamlBody(text []byte) (bs, be int, why string) {
	if bytes.HasPrefix(text, []byte(bom)) {
		bs = len(bom)
	}
	directive := false
	for i := bs; i < len(text); {
		end := i
		for end < len(text) && !IsBreak(text[end]) {
			end++
		}
		line := text[i:end]
		switch {
		case blankOrComment(line):
		case yaml11Directive(line):
			if directive {
				return 0, 0, "a second %YAML directive"
			}
			directive = true
		case line[0] == '%':
			return 0, 0, "a directive other than %YAML 1.1"
		case isMarker(line, "---"):
			if !blankOrComment(line[3:]) {
				return 0, 0, "content on the --- line"
			}
			bs = nextLine(text, end)
			i = len(text)
			continue
		default:
			if directive {
				return 0, 0, "a directive without ---"
			}
			i = len(text)
			continue
		}
		i = nextLine(text, end)
	}
	// The last line that is neither blank nor a comment: a `...` there
	// ends the body.
	be = len(text)
	for e := len(text); e > bs; {
		ls := e
		for ls > bs && !IsBreak(text[ls-1]) {
			ls--
		}
		if line := text[ls:e]; !blankOrComment(line) {
			if isMarker(line, "...") {
				if !blankOrComment(line[3:]) {
					return 0, 0, "content on the ... line"
				}
				be = ls
			}
			break
		}
		// Back over the line break before the line.
		if e = ls; e > bs {
			e--
			if e > bs && text[e] == '\n' && text[e-1] == '\r' {
				e--
			}
		}
	}
	return bs, be, ""
}

// yaml11Directive reports whether a line is `%YAML 1.1` (and maybe a
// comment): yaml.v3 rejects any other version as incompatible.
func yaml11Directive(line []byte) bool {
	f := bytes.Fields(line)
	return len(f) >= 2 && string(f[0]) == "%YAML" && string(f[1]) == "1.1" && (len(f) == 2 || f[2][0] == '#')
}

// blankOrComment reports whether a line (or its rest) holds only blanks
// and maybe a comment.
func blankOrComment(line []byte) bool {
	line = bytes.TrimLeft(line, " \t")
	return len(line) == 0 || line[0] == '#'
}

// regionLineStart reports whether a region may start at p: at the start
// of a line, or right after the BOM that opens the text.
func regionLineStart(src []byte, p int) bool {
	return lineStartAt(src, p) || afterBOM(src, p)
}

// afterBOM reports whether p is just after the BOM that opens src: the
// first line of a YAML text starts there (yamlLineStarts).
func afterBOM(src []byte, p int) bool {
	return p == len(bom) && bytes.HasPrefix(src, []byte(bom))
}

// rootEnd is the end of the body of a YAML tree's text: the end of the
// region of the root mapping's last entry.
func (t *Tree) rootEnd() int {
	if t.bodyEnd > 0 {
		return t.bodyEnd
	}
	return len(t.Text)
}

// explicitKeyLine returns the start of the first line in [s, e) of src
// that starts with an explicit key (`? k`, `- ? k`), or -1.
func explicitKeyLine(src []byte, s, e int) int {
	for i := s; i < e; {
		j := i
		for j < e && src[j] == ' ' {
			j++
		}
		end := j
		for end < e && !IsBreak(src[end]) {
			end++
		}
		if explicitKey(src[j:end]) {
			return i
		}
		i = nextLine(src[:e], end)
	}
	return -1
}

// explicitKeyBefore reports whether an explicit key lies between the start
// of the top-level entry before the edited one (levels[0]) and the edited
// region (the last level). An explicit key without a value line gets its
// empty value positioned at the next token, which may be the first token
// of the edited region: a parse of the region alone cannot move it. Keys
// further up are followed by a top-level key before the region.
func explicitKeyBefore(old []byte, levels []Level, l *ShiftLog) bool {
	top, q := levels[0], 0
	if top.Index > 0 {
		var ok bool
		if q, ok = keyLineStart(old, top.Map.Content[2*top.Index-2], top.Col, l); !ok {
			return true
		}
	}
	return explicitKeyLine(old, q, levels[len(levels)-1].Start) >= 0
}
