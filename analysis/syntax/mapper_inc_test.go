package syntax

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// starts lists the start of every line of m, as LineStart gives them.
func starts(m *Mapper) []int {
	out := make([]int, m.LineCount())
	for i := range out {
		out[i] = m.LineStart(i)
	}
	return out
}

// checkBlocks fails unless m's blocks cover its lines in order, none empty.
func checkBlocks(t *testing.T, m *Mapper) {
	t.Helper()
	line, prev := 0, -1
	for k, b := range m.blocks {
		if b.first != line || len(b.starts) == 0 || len(b.starts) > maxLineBlock {
			t.Fatalf("block %d: first %d (want %d), %d starts", k, b.first, line, len(b.starts))
		}
		for i := range b.starts {
			if b.at(i) <= prev {
				t.Fatalf("block %d: start %d = %d after %d", k, i, b.at(i), prev)
			}
			prev = b.at(i)
		}
		line += len(b.starts)
	}
	if line != m.lines {
		t.Fatalf("blocks hold %d lines, mapper says %d", line, m.lines)
	}
}

// TestUpdateMapper: the mapper updated for an edit is the mapper of the
// new text, whatever the edit (line breaks of every kind made, joined or
// split); without a previous mapper it is made from the text.
func TestUpdateMapper(t *testing.T) {
	if got, want := UpdateMapper(nil, Edit{0, 0, "a\n"}, []byte("a\nb\n")), NewMapper([]byte("a\nb\n")); !reflect.DeepEqual(starts(want), starts(got)) {
		t.Errorf("without a previous mapper: want %v, got %v", starts(want), starts(got))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"a\r\nb\rc\n\nd", "", "\r", "\n\r\n\r\r\n", "asyncapi: 3.0.0\ninfo:\n  title: Demo\n  version: 1.0.0\nchannels:\n  user:\n    address: user/{id}\n"}
	for _, s := range texts {
		text := []byte(s)
		m := NewMapper(text)
		for i := 0; i < 300; i++ {
			p := rng.IntN(len(text) + 1)
			q := min(len(text), p+rng.IntN(3))
			ins := []string{"", "\r", "\n", "\r\n", "x", "\n\r"}[rng.IntN(6)]
			e := Edit{p, q, ins}
			next := e.Apply(text)
			got := UpdateMapper(m, e, next)
			checkBlocks(t, got)
			if want := NewMapper(next); !reflect.DeepEqual(starts(want), starts(got)) {
				t.Fatalf("edit %+v of %q: want %v, got %v", e, text, starts(want), starts(got))
			}
			text, m = next, got
		}
	}
}

// TestUpdateMapperBlocks edits texts of several blocks of lines: edits
// inside a block, across block boundaries, pastes of thousands of lines
// (the block is cut again) and deletions of whole blocks. Every mapper
// must answer like a fresh one, and the mapper it was made from must
// still answer for its own text (the blocks are shared, never modified).
func TestUpdateMapperBlocks(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	var sb strings.Builder
	for i := 0; i < 5*lineBlockSize; i++ {
		sb.WriteString(strings.Repeat("k", rng.IntN(6)))
		sb.WriteString([]string{"\n", "\r\n", "\r"}[rng.IntN(3)])
	}
	text := []byte(sb.String())
	m := NewMapper(text)
	checkBlocks(t, m)
	if len(m.blocks) < 5 {
		t.Fatalf("%d lines in %d blocks", m.lines, len(m.blocks))
	}
	paste := strings.Repeat("line\n", 3*lineBlockSize)
	for i := 0; i < 400; i++ {
		p := rng.IntN(len(text) + 1)
		var e Edit
		switch rng.IntN(10) {
		case 0: // paste many lines
			e = Edit{p, p, paste}
		case 1: // delete a large part
			e = Edit{p, min(len(text), p+rng.IntN(20000)), ""}
		case 2: // at a block boundary
			b := m.blocks[rng.IntN(len(m.blocks))]
			p = b.at(0) - rng.IntN(2)
			p = max(0, min(p, len(text)))
			e = Edit{p, min(len(text), p+rng.IntN(3)), []string{"", "\n", "\r", "x\r\n"}[rng.IntN(4)]}
		default:
			e = Edit{p, min(len(text), p+rng.IntN(4)), []string{"", "\r", "\n", "\r\n", "x", "\n\r"}[rng.IntN(6)]}
		}
		next := e.Apply(text)
		before := starts(m)
		got := UpdateMapper(m, e, next)
		checkBlocks(t, got)
		want := NewMapper(next)
		if !reflect.DeepEqual(starts(want), starts(got)) {
			t.Fatalf("edit %d {%d %d %q}: line starts differ", i, e.Start, e.End, e.Text)
		}
		for _, off := range []int{0, p, len(next) / 2, len(next), rng.IntN(len(next) + 1)} {
			if w, g := want.Line(off), got.Line(off); w != g {
				t.Fatalf("edit %d: Line(%d) = %d, want %d", i, off, g, w)
			}
		}
		if !reflect.DeepEqual(before, starts(m)) {
			t.Fatalf("edit %d: the previous mapper changed", i)
		}
		if len(got.blocks) > 4*(got.lines/lineBlockSize+1)+20 {
			t.Fatalf("edit %d: %d blocks for %d lines", i, len(got.blocks), got.lines)
		}
		text, m = next, got
	}
	if !bytes.Equal(m.Text(), text) {
		t.Fatal("text")
	}
}
