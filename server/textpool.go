package server

import (
	"unsafe"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
)

// textPool recycles the memory of a document's superseded texts. An edit
// makes a new text (texts are immutable: snapshots, the analysis of the
// next version and the workspace overlay read them without locks), and a
// new allocation per keystroke of a whole 5 MB text was most of what a
// keystroke allocated: the collector, held to the soft memory limit, ran
// every keystroke or two, and every fresh allocation's pages faulted in.
// The pool writes each new text into the memory of a text that nothing
// reads anymore.
//
// Nothing reads a text anymore when it is none of the document's live
// texts (liveTexts: the current text, the one under analysis, the last
// given to the workspace overlay, the snapshot's and its last good
// version's), no request or re-publication that may hold an older snapshot
// is running (store.readers), and the workspace never handed it to a
// reader (workspace.File.HandedOut: another document's tree aliases the
// text of a file it reads). A text that fails the last two tests is
// forgotten, not recycled: the collector frees it when its readers are
// done. The pool's owner holds document.mu around every call.
type textPool struct {
	// owned: the buffers the pool made that are, or may be, in use.
	owned []*pooledText
	// free: buffers that nothing reads; the next texts are written there.
	free []*pooledText
	made int // buffers allocated, for tests
}

// pooledText is one buffer of the pool.
type pooledText struct {
	buf []byte // the whole capacity
	// overlay is the workspace overlay made of the text in buf, if any
	// (the last one: a buffer holds one text at a time).
	overlay *workspace.File
}

// maxFreeTexts bounds the free buffers a document keeps. Typing needs
// one: a keystroke's text is written in the buffer of the text before
// the snapshot's, which the analysis of the one before freed. (A change of
// several edits needs one more for its intermediate text, and then
// allocates it: a free buffer is a whole text that the memory limit does
// not count, and each one more narrows the collector's room by that much.)
const maxFreeTexts = 1

// poisonRetired makes the pool overwrite every buffer it frees (tests):
// a reader that still held the text would read bytes no text has, and
// the tests comparing what it computed would fail instead of passing by
// luck while the buffer still holds its old text.
var poisonRetired bool

// buffer returns a slice of length n from a free buffer, or a new buffer
// with room to grow by typing (a deletion then an insertion, or text typed
// anywhere, keeps fitting in it).
func (p *textPool) buffer(n int) []byte {
	for i, t := range p.free {
		if cap(t.buf) >= n {
			p.free = append(p.free[:i], p.free[i+1:]...)
			t.overlay = nil
			p.owned = append(p.owned, t)
			return t.buf[:n]
		}
	}
	p.made++
	t := newPooledText(n)
	p.owned = append(p.owned, t)
	return t.buf[:n]
}

// newPooledText makes a buffer for a text of n bytes, with room to grow by
// typing.
func newPooledText(n int) *pooledText {
	return &pooledText{buf: make([]byte, 0, n+n/64+4096)}
}

// spareTexts makes the k buffers that typing into a text of n bytes takes
// (the opened text is not the pool's: the first keystroke's text and the
// second's need one each, then they take turns), with every page written:
// made by the first keystrokes, each fresh 5 MB buffer cost 20-30 ms of
// page faults, and the first two keystrokes of a 5 MB document took 80 and
// 150 ms. The caller adds them with addSpares (document.mu held): making
// them needs no lock.
func spareTexts(n, k int) []*pooledText {
	out := make([]*pooledText, k)
	for i := range out {
		out[i] = newPooledText(n)
		clear(out[i].buf[:cap(out[i].buf)])
	}
	return out
}

// addSpares puts buffers of spareTexts on the free list, beyond its bound.
func (p *textPool) addSpares(spares []*pooledText) {
	p.made += len(spares)
	p.free = append(p.free, spares...)
}

// setOverlay records that text, when it is a pool buffer, became the
// workspace overlay f.
func (p *textPool) setOverlay(text []byte, f *workspace.File) {
	if t := p.find(text); t != nil {
		t.overlay = f
	}
}

func (p *textPool) find(text []byte) *pooledText {
	for _, t := range p.owned {
		if sameBase(t.buf, text) {
			return t
		}
	}
	return nil
}

// sweep frees the owned buffers that hold none of live. readersBusy: a
// request or a re-publication is running and may hold an older snapshot,
// so the buffers that are not live are forgotten instead.
func (p *textPool) sweep(live [][]byte, readersBusy bool) {
	kept := p.owned[:0]
	for _, t := range p.owned {
		switch {
		case isLive(t.buf, live):
			kept = append(kept, t)
		case readersBusy || (t.overlay != nil && t.overlay.HandedOut()) || len(p.free) >= maxFreeTexts:
			// forgotten: the collector frees it once nothing reads it
		default:
			if poisonRetired {
				b := t.buf[:cap(t.buf)]
				for i := range b {
					b[i] = 0xFF
				}
			}
			p.free = append(p.free, t)
		}
	}
	clear(p.owned[len(kept):])
	p.owned = kept
}

func isLive(buf []byte, live [][]byte) bool {
	for _, l := range live {
		if sameBase(buf, l) {
			return true
		}
	}
	return false
}

// sameBase: a and b start at the same byte of memory (a pool buffer and a
// text written in it; a text is always written from the buffer's start).
func sameBase(a, b []byte) bool {
	return cap(a) > 0 && cap(b) > 0 && unsafe.SliceData(a) == unsafe.SliceData(b)
}
