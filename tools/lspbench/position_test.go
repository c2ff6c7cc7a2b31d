package main

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

func TestPositionAt(t *testing.T) {
	text := []byte("a: b\nc: é日🙂x\r\nlast")
	for _, tc := range []struct {
		off  int
		want Position
	}{
		{0, Position{0, 0}},
		{4, Position{0, 4}},  // before "\n"
		{5, Position{1, 0}},  // line start
		{8, Position{1, 3}},  // before é
		{10, Position{1, 4}}, // after é (2 bytes, 1 unit)
		{13, Position{1, 5}}, // after 日 (3 bytes, 1 unit)
		{17, Position{1, 7}}, // after 🙂 (4 bytes, 2 units)
		{18, Position{1, 8}}, // after x, before \r
		{20, Position{2, 0}}, // after \r\n
		{24, Position{2, 4}}, // end of text
		{99, Position{2, 4}}, // clamped
		{15, Position{1, 5}}, // inside 🙂: start of the rune
	} {
		if got := positionAt(text, tc.off); got != tc.want {
			t.Errorf("positionAt(%d) = %+v, want %+v", tc.off, got, tc.want)
		}
	}
	// offsetAt inverts positionAt at every rune boundary.
	for off := 0; off <= len(text); off++ {
		if off < len(text) && !utf8.RuneStart(text[off]) {
			continue
		}
		if got := offsetAt(text, positionAt(text, off)); got != off {
			t.Errorf("offsetAt(positionAt(%d)) = %d", off, got)
		}
	}
}

// TestKeystrokePosition checks the position of the typing point of a
// generated document against an independent computation (utf16.Encode of
// the line prefix) while characters, including astral ones, are typed.
func TestKeystrokePosition(t *testing.T) {
	doc := docgen.Generate(docgen.Options{TargetBytes: 60_000, Seed: 3})
	off := docgen.MiddleOperationDescriptionOffset(doc)
	for _, ch := range []string{"a", "é", "日", "🙂", "b"} {
		pos := positionAt(doc, off)
		lines := strings.Split(string(doc[:off]), "\n")
		want := Position{Line: len(lines) - 1, Character: len(utf16.Encode([]rune(lines[len(lines)-1])))}
		if pos != want {
			t.Fatalf("before %q: %+v, want %+v", ch, pos, want)
		}
		if !strings.HasPrefix(lines[len(lines)-1], "    description: ") {
			t.Fatalf("typing point not on a description line: %q", lines[len(lines)-1])
		}
		doc = append(doc[:off:off], append([]byte(ch), doc[off:]...)...)
		off += len(ch)
	}
}

// TestAloneIn: the YAML and the JSON document of one size (same base name)
// get folders of their own, so that neither is in the other's workspace.
func TestAloneIn(t *testing.T) {
	y, j := aloneIn("d", "asyncapi-v3-5MB.yaml"), aloneIn("d", "asyncapi-v3-5MB.json")
	if filepath.Dir(y) == filepath.Dir(j) || filepath.Base(y) != "asyncapi-v3-5MB.yaml" || filepath.Base(j) != "asyncapi-v3-5MB.json" {
		t.Errorf("aloneIn: %s and %s", y, j)
	}
}
