package main

import (
	"bytes"
	"unicode/utf8"
)

// Position is an LSP position: zero-based line and UTF-16 code-unit column.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// positionAt converts a byte offset in text to an LSP position counting
// UTF-16 code units (the default encoding, the only one the tool offers).
// Lines end at "\n" ("\r\n" works too: the "\r" stays in the line's columns
// only for offsets after it). An offset inside a UTF-8 sequence is treated
// as the start of that rune; offsets past the end clamp to the end.
func positionAt(text []byte, offset int) Position {
	if offset > len(text) {
		offset = len(text)
	}
	if offset < 0 {
		offset = 0
	}
	for offset > 0 && offset < len(text) && !utf8.RuneStart(text[offset]) {
		offset--
	}
	lineStart := bytes.LastIndexByte(text[:offset], '\n') + 1
	line := bytes.Count(text[:lineStart], []byte{'\n'})
	return Position{Line: line, Character: utf16Len(text[lineStart:offset])}
}

// utf16Len is the number of UTF-16 code units needed for the UTF-8 text b
// (invalid bytes count as U+FFFD, one unit each).
func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			n++
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		b = b[size:]
	}
	return n
}

// offsetAt is the inverse of positionAt (used by the test's fake server):
// it converts an LSP UTF-16 position to a byte offset, clamping a
// character past the end of the line to the line end.
func offsetAt(text []byte, p Position) int {
	off := 0
	for l := 0; l < p.Line; l++ {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for units := 0; units < p.Character && off < len(text) && text[off] != '\n'; {
		r, size := utf8.DecodeRune(text[off:])
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
		off += size
	}
	return off
}
