package syntax

import (
	"sync"
	"sync/atomic"
)

// Errors typed into a valid text parsed whole.
//
// A valid YAML text parsed whole because aliases or explicit keys link its
// regions (linkedRegions) has, once an edit breaks it, the cold parse of a
// broken such text: its broken regions found region by region
// (locateBroken), the rest the text without them parsed whole. That is a
// region update (blankedRegion) exactly when locateBroken's pass over the
// old text finds no broken region outside the edited one and no doubt: a
// run of an enclosing mapping's complete entries that are clean alone
// parses alone or names another region's anchor, which the pass counts as
// parsed, so how the edit regroups the entries into fragments does not
// matter, and the edited region is then found as blankedRegion finds it.
// Not always so: a quoted string over a less indented line is valid to the
// whole parse, broken to the pass (TestUpdateTreeQuoteOverKeys).
//
// The pass costs about one whole parse, and it is a property of the text
// alone: it runs once, when the first error is typed (located.get), and
// its result is carried by the region updates that keep the text valid
// (next): the entries outside the edited region keep their verdicts, and a
// region that parses region by region without regionParser.whole's
// leniency is clean in the pass too (its fragments parse alone, as the
// pass parses them, with no anchor, alias or explicit key, which would
// have been a doubt). A broken text parsed whole has its pass in its
// broken regions (its cold parse ran it, with no doubt): when an edit
// fixes the last of them, the new text's pass is clean. So in a session
// only the first error typed into such a text pays for the pass; after
// it, typing that breaks and fixes the text again is local.

// located is the result of locateBroken's pass over a valid text parsed
// whole (Tree.located), computed on first use.
type located struct {
	once sync.Once
	done atomic.Bool // the pass has run (or the result was carried)
	text []byte      // the text, until the pass has run
	// doubt: the pass met a doubt (locateBroken's ok false); errs: the
	// broken regions it found (in no particular order once carried: only
	// within reads them, a containment test).
	doubt bool
	errs  []Range
	// stop ends a pass that runs (Tree.StopLocate) at its next fragment:
	// the pass then counts as a doubt but not as done, so that no update
	// carries it (next) and within declines.
	stop atomic.Bool
}

// stoppedDoubt is the doubt of a pass that stop ended.
const stoppedDoubt = "the pass was stopped"

// locatePassed, when set (tests), is called for each pass located runs.
var locatePassed func()

// lazyLocated is the pass over text, run on first use.
func lazyLocated(text []byte) *located { return &located{text: text} }

// knownLocated is a pass's result known without running it.
func knownLocated(errs []Range) *located {
	l := &located{errs: errs}
	l.once.Do(func() {})
	l.done.Store(true)
	return l
}

// get runs the pass if it has not run, and returns l.
func (l *located) get() *located {
	l.once.Do(func() {
		if locatePassed != nil {
			locatePassed()
		}
		errs, ok := locatePass(l.text, true, &l.stop)
		l.text = nil
		if l.stop.Load() {
			l.doubt = true
			return
		}
		l.doubt = !ok
		for _, e := range errs {
			l.errs = append(l.errs, e.region)
		}
		l.done.Store(true)
	})
	return l
}

// within reports whether the pass (run now if it has not) met no doubt
// and found no broken region but inside [start, end).
func (l *located) within(start, end int) bool {
	if l == nil {
		return false
	}
	l.get()
	if l.doubt {
		return false
	}
	for _, e := range l.errs {
		if e.Start < start || e.End > end {
			return false
		}
	}
	return true
}

// next returns the pass over text, made from the text l was of by
// re-parsing the region [start, end) of it (delta the change of its
// length): lenient says the region parsed only with regionParser.whole's
// leniency (its verdict is then not known), and region holds the broken
// regions the re-parse found in it (blankedRegion's, in text), which are
// the pass's there. The pass's broken regions outside the region are kept
// (shifted after it), those inside it replaced; one that overlaps it
// without lying inside it, a region parsed leniently or a pass that has
// not run yet leave the pass to run on text when needed.
func (l *located) next(text []byte, start, end, delta int, lenient bool, region []brokenRegion) *located {
	if l == nil {
		return nil
	}
	if lenient || !l.done.Load() {
		return lazyLocated(text)
	}
	if l.doubt {
		// A doubt (a marker, a BOM, NEL, LS or PS, invalid UTF-8) is in
		// no region an update re-parses (wholeCause): it stays.
		return l
	}
	var errs []Range
	for _, e := range l.errs {
		switch {
		case e.End <= start:
			errs = append(errs, e)
		case e.Start >= end:
			errs = append(errs, shiftRange(e, delta))
		case e.Start < start || e.End > end:
			return lazyLocated(text)
		}
	}
	for _, b := range region {
		errs = append(errs, b.region)
	}
	return knownLocated(errs)
}

// LocatePending reports whether t's region-wise pass (a valid text parsed
// whole: anchors, aliases, explicit keys) has not run yet, so that the
// first error typed into t would run it.
func (t *Tree) LocatePending() bool {
	return t != nil && t.located != nil && !t.located.done.Load()
}

// Locate runs t's pending region-wise pass now (a no-op when none is
// pending). The pass costs about a whole parse; run while the editor is
// idle, it spares that cost to the first error typed later, which the
// updates that keep the text valid carry it to (next). Safe to call while
// an update of t runs: both wait for the one pass.
func (t *Tree) Locate() {
	if t.LocatePending() {
		t.located.get()
	}
}

// StopLocate ends t's pass if it runs (Locate in another goroutine), at
// its next fragment, or keeps it from running: for a tree that an update
// has superseded, whose pass nothing would read. An update of t that
// needed the pass would then decline (a whole parse), so stop it only
// once t's successor exists.
func (t *Tree) StopLocate() {
	if t != nil && t.located != nil {
		t.located.stop.Store(true)
	}
}
