package syntax_test

import (
	"bytes"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// typedError is one error manyErrorTextsTyped typed: its kind and the span
// of the text where the user typed it (for a ':' deleted, the key before it).
type typedError struct {
	kind     string
	from, to int
}

// manyErrorTextsTyped returns manyErrorTexts' 1,000 texts (the same
// generator and seed), each with the errors typed into it.
func manyErrorTextsTyped(tb testing.TB) ([][]byte, [][]typedError) {
	doc := compactJSON(tb, docgen.Generate(docgen.Options{Units: 3, Seed: 8}))
	var colons []int
	for i := 1; i < len(doc); i++ {
		if doc[i] == ':' && doc[i-1] == '"' {
			colons = append(colons, i)
		}
	}
	r := rand.New(rand.NewSource(3))
	kinds := []string{"[", "{", `"x`, "", "[1,{"} // "": the ':' deleted
	var texts [][]byte
	var errs [][]typedError
	for _, k := range manyErrorCounts {
		for range 100 {
			at := r.Perm(len(colons))[:k]
			slices.Sort(at)
			text := bytes.Clone(doc)
			es := make([]typedError, k)
			for i := len(at) - 1; i >= 0; i-- { // from the end: the offsets before stay
				c := colons[at[i]]
				kind := kinds[r.Intn(len(kinds))]
				if kind == "" {
					text = slices.Delete(text, c, c+1)
					es[i] = typedError{kind, bytes.LastIndexByte(doc[:c-1], '"'), c}
				} else {
					text = slices.Insert(text, c+1, []byte(kind)...)
					es[i] = typedError{kind, c + 1, c + 1 + len(kind)}
				}
			}
			shift := 0 // the errors before one move it
			for i := range es {
				es[i].from += shift
				es[i].to += shift
				if es[i].kind == "" {
					shift--
				} else {
					shift += len(es[i].kind)
				}
			}
			texts = append(texts, text)
			errs = append(errs, es)
		}
	}
	return texts, errs
}

// TestCompactTypedPlaceCounts: over TestCompactRegionsManyErrors' texts
// confined to regions, how many regions holding a typed error have their
// diagnostic where the user typed one (inside the typed text, or on the
// key whose ':' was deleted), and how many typed errors of each kind have one. Session
// 13: a '{' followed by a value, not a member, inside a region whose
// brackets do not balance has the diagnostic (a `[1,{` read a level off:
// the typed '{'), not the bracket never closed or closing nothing where
// the region's scan ends: 4,362 of 6,118 regions against 4,048 of 6,117, `[1,{`
// 1,321 of 2,807 errors against 1,107. Session 14: a region has one
// diagnostic per error its members tell apart (regionErrors: read with
// each typed error undone, and, where the region was read a level off,
// with its members going on in the containers around it, up to where that
// reading stops), a quote typed before a string value has it at the
// typed string, and an array whose second item is a key at its '['
// (outside the region, at its container's bracket, counted with it):
// 12,051 of 13,700 errors against 4,315, 5,868 of 6,356 regions against
// 4,362 of 6,118, 2,215 diagnostics at no typed error against 3,138
// (none of them one regionErrors added, checked here: each is the
// region's one diagnostic before it; and none at a place where main had
// none, checked by hand). Session 15: a string the region does not close,
// an array closed by a '}' (in the region, before its first item; or
// right after the region), an array the region ends in with a ',' and a
// key after it, an item that is a key without its ':', the text glued to
// a typed string up to its first quote not escaped, a literal inside a
// typed string, and the reading's one error in place of the region's
// own diagnostic elsewhere: 13,424 errors, 6,288 regions, 1,981
// diagnostics at no typed error (checked: no more than that).
func TestCompactTypedPlaceCounts(t *testing.T) {
	t.Parallel()
	texts, errs := manyErrorTextsTyped(t)
	// (the same texts as manyErrorTexts)
	if plain := manyErrorTexts(t); len(plain) != len(texts) || !bytes.Equal(plain[17], texts[17]) {
		t.Fatal("not manyErrorTexts' texts")
	}
	at, all := map[string]int{}, map[string]int{}
	for i, text := range texts {
		if syntax.CompactRegions(text) == nil {
			continue
		}
		ds := syntax.ParseTree(text).Diagnostics
		for _, e := range errs[i] {
			all[e.kind]++
			if slices.ContainsFunc(ds, func(d syntax.Diagnostic) bool {
				return !strings.Contains(d.Message, "duplicate key") && d.Range.Start >= e.from && d.Range.Start < e.to
			}) {
				at[e.kind]++
			}
		}
	}
	// Per region: of the regions holding a typed error, those with a
	// diagnostic at one of them (a typed error the region holds, or the
	// one at its container's bracket a diagnostic points to), and the
	// diagnostics at no typed error.
	regions, regionsAt, several, elsewhere, added, diags := 0, 0, 0, 0, 0, 0
	for i, text := range texts {
		rs := syntax.CompactRegionsDiagnosed(text)
		if rs == nil {
			continue
		}
		var fromRegions []syntax.Diagnostic
		for _, x := range rs {
			fromRegions = append(fromRegions, x.Diags...)
		}
		ds := slices.DeleteFunc(syntax.ParseTree(text).Diagnostics, func(d syntax.Diagnostic) bool { return strings.Contains(d.Message, "duplicate key") })
		if len(ds) != len(fromRegions) {
			t.Fatalf("text %d: %d diagnostics, its regions have %d", i, len(ds), len(fromRegions))
		}
		for _, x := range rs {
			if len(x.Diags) > 1 {
				several++
			}
			held, at := false, false
			for _, d := range x.Diags {
				diags++
				typed := false
				for _, e := range errs[i] {
					in := d.Range.Start >= e.from && d.Range.Start < e.to
					typed = typed || in
					if e.to > x.Start-1 && e.from < x.End || in && d.Range.Start >= x.Open {
						held = true
						at = at || in
					}
				}
				if !typed {
					elsewhere++
					if d.Range.Start != x.One.Range.Start {
						// (a diagnostic regionErrors adds is where an
						// error was typed)
						added++
					}
				}
			}
			if held {
				regions++
				if at {
					regionsAt++
				}
			}
		}
	}
	t.Logf("%d diagnostics, %d at no typed error (%d of them added to a region's one); %d regions with several", diags, elsewhere, added, several)
	t.Logf("regions holding a typed error: %d of %d with the diagnostic at one", regionsAt, regions)
	sum, n := 0, 0
	for _, k := range []string{"[", "{", `"x`, "", "[1,{"} {
		t.Logf("%q: %d of %d at the typed place", k, at[k], all[k])
		sum, n = sum+at[k], n+all[k]
	}
	t.Logf("all: %d of %d", sum, n)
	// (main before session 13: 4,048 regions, 1,107 `[1,{`; before
	// session 14: 4,362 of 6,118 regions, 1,321 `[1,{`, 4,315 errors)
	// (before session 15: 5,868 regions, 2,657 `[1,{`, 12,051 errors,
	// 2,215 diagnostics at no typed error)
	if regionsAt < 6288 || at["[1,{"] < 2793 || at["["] < 2527 || sum < 13424 {
		t.Errorf("%d regions with the diagnostic at a typed error, %d `[1,{` and %d errors at the typed place (want 6,288, 2,793 and 13,424; `[` %d, want 2,527)", regionsAt, at["[1,{"], sum, at["["])
	}
	if elsewhere > 1981 {
		t.Errorf("%d diagnostics at no typed error (want at most 1,981)", elsewhere)
	}
	if added > 0 {
		t.Errorf("%d diagnostics regionErrors added are at no typed error", added)
	}
}

// TestCompactOpenerInRegion: a `[1,{` typed before a value (an object, an
// array, a number, a string followed by ',' or by the '}' it takes as its
// own) makes a region whose brackets do not balance; its one diagnostic
// is at the typed '{', "followed by a value, not a member" (session 12:
// "never closed", at that '{' or at the typed '['). Typing a member at the
// region's start equals a cold parse at every keystroke.
func TestCompactOpenerInRegion(t *testing.T) {
	for _, src := range []string{
		`{"a":{"p":1,"q":[1,{{"s":1,"t":2},"r":2},"z":{"y":3}}`,
		`{"a":{"p":1,"q":[1,{["s"],"r":2},"z":{"y":3}}`,
		`{"a":{"p":1,"q":[1,{5,"r":2},"z":{"y":3}}`,
		`{"a":{"p":1,"q":[1,{"s","r":2},"z":{"y":3}}`,
		`{"a":{"p":1,"q":[1,{"s"},"r":2},"z":{"y":3}}`,
		`{"a":{"b":{"c":1},"q":[1,{"P","t":"u"},"d":2},"e":3}`,
		`{"x":{"o":{"q":[1,{"P","t":"u"},"d":{"k":1}},"e":{"f":3}},"g":[1,2]}`,
		`{"x":{"o":{"p":1,"q":[1,{"P","t":"u"}},"e":{"f":3}},"g":[1,2]}`,
	} {
		text := []byte(src)
		rs := syntax.CompactRegions(text)
		ds := syntax.ParseTree(text).Diagnostics
		if len(rs) != 1 || len(ds) != 1 {
			t.Errorf("%s: regions %v, diagnostics %v, want one each", src, rs, ds)
			continue
		}
		if want := strings.Index(src, `[1,{`) + 3; ds[0].Range.Start != want || !strings.Contains(ds[0].Message, "this { is followed by a value, not a member") {
			t.Errorf("%s: %q at %q, want at %q", src, ds[0].Message, src[ds[0].Range.Start:], src[want:])
		}
		typeComparingCold(t, src, text, typingMember(`"k":[1,{"w":2}],`, rs[0].Start, false), map[string]int{})
	}
}

// TestUpdateTreeCompactDocumentsRandom: random one-byte edits (bytes of
// JSON's syntax and a letter, typed, deleted or replaced) into broken
// compact roots with and without documents after them: every keystroke's
// update equals a cold parse (the updates decline what they cannot keep
// equal: a text with documents after its root is parsed cold).
func TestUpdateTreeCompactDocumentsRandom(t *testing.T) {
	t.Parallel()
	bases := []string{
		`{"a":{"b":1,,"c":2},"d":3}`,
		`{"a":{"b":1,,"c":2},"d":3}{"e":{"f":4}}{"g":5}`,
		`{"a":[1,},"d":{"x":[1,2]}}{"b":2}{"c":3}`,
		`{"a":1,}{"b":{"c":[1,{"d":2}]}}`,
		`{"a":{"p":1,"q":[1,{"s","r":2},"z":{"y":3}}`,
	}
	alpha := []byte(`,[]{}":x1`)
	r := rand.New(rand.NewSource(13))
	reasons := map[string]int{}
	total, taken := 0, 0
	for range testenv.Count(300, 3000) {
		src := bases[r.Intn(len(bases))]
		text := []byte(src)
		var edits []syntax.Edit
		for range 1 + r.Intn(6) {
			at := 1 + r.Intn(len(text)-2)
			e := syntax.Edit{Start: at, End: at}
			switch r.Intn(3) {
			case 0:
				e.Text = string(alpha[r.Intn(len(alpha))])
			case 1:
				e.End++
			default:
				e.End, e.Text = at+1, string(alpha[r.Intn(len(alpha))])
			}
			edits = append(edits, e)
			text = e.Apply(text)
		}
		n, k := typeComparingCold(t, src, []byte(src), edits, reasons)
		total, taken = total+n, taken+k
	}
	t.Logf("%d of %d keystrokes updated; declined %v", taken, total, reasons)
}

// TestCompactArrayKeyItem: a '[' typed before a value makes the members
// after it the array's items; the first of them that is a key fails. Its
// diagnostic is at that '[', "never closed": inside the region when the
// region is the member holding the '[', outside it when the region starts
// at that key (in the generated document, with a ':' deleted further on:
// the region's diagnostic then depends on the array holding one item
// before the region, outsideDiag). Typing between the '[' and the region
// (deleting that first item byte by byte and typing it again, typing an
// item before it) equals a cold parse at every keystroke.
func TestCompactArrayKeyItem(t *testing.T) {
	doc := compactJSON(t, docgen.Generate(docgen.Options{Units: 3, Seed: 8}))
	gen := bytes.Clone(doc)
	for _, b := range []struct {
		at    string
		typed string
	}{ // (from the end: the places before stay)
		{`oauth2/token"}},"scopes":|["events:read"`, ""},
		{`"id":{"description":|"Identifier of the session «0»"`, "["},
	} {
		gen = typeAtBar(t, gen, b.at, b.typed)
	}
	for _, c := range []struct {
		src     string
		outside bool
	}{
		{`{"a":{"p":1,"q":["v","r":2},"z":{"y":3}}`, false},
		{`{"a":{"p":1,"q":[{"s":1},"r":2},"z":{"y":3}}`, false},
		{`{"a":{"p":1,"q":[["s"],"r":2,"t":3},"z":{"y":3}}`, false},
		{`{"a":{"p":1,"q":[5,"r":{"u":[1]}},"z":{"y":3}}`, false},
		{string(gen), true},
	} {
		src, text := c.src, []byte(c.src)
		open := strings.Index(src, ":[") + 1
		if c.outside {
			open = strings.Index(src, `"id":{"description":["Identifier`) + len(`"id":{"description":`)
		}
		rs := syntax.CompactRegionsDiagnosed(text)
		k := slices.IndexFunc(rs, func(x syntax.CompactRegion) bool { return x.Open == open || x.Start < open && open < x.End })
		if k < 0 || len(rs[k].Diags) != 1 {
			t.Errorf("%.60s: regions %v, want one at the '[' with one diagnostic", src, rs)
			continue
		}
		if d := rs[k].Diags[0]; d.Range.Start != open || (rs[k].Open == open) != c.outside || !strings.Contains(d.Message, "this [ is never closed") {
			t.Errorf("%.60s: %q at %.40q, want at %.40q (region %.40q, its container's bracket at %d)", src, d.Message, src[d.Range.Start:], src[open:], src[rs[k].Start:rs[k].End], rs[k].Open)
		}
		item := strings.Index(src[open:], `,"`) + open // the first item's end
		reasons := map[string]int{}
		var edits []syntax.Edit // (by characters: the text stays UTF-8)
		for k := item; k > open+1; {
			_, n := utf8.DecodeLastRuneInString(src[:k])
			k -= n
			edits = append(edits, syntax.Edit{Start: k, End: k + n})
		}
		for k, c := range src[open+1 : item] {
			edits = append(edits, syntax.Edit{Start: open + 1 + k, End: open + 1 + k, Text: string(c)})
		}
		typeComparingCold(t, src[:20], text, edits, reasons)
		typeComparingCold(t, src[:20], text, typingMember(`7,`, open+1, false), reasons)
	}
}

// TestCompactRegionErrors: a region holding several errors of the kinds
// users type has one diagnostic per error, each where it was typed
// (regionErrors): a '{' before a value, a key without its ':', a '['
// never closed, a quote typed before a value (a string, a bracketed value
// or a number inside the typed string), a ',' before a closing bracket, a
// closing bracket of the other kind; blanks between tokens are read as
// JSON reads them. Typing a member at the region's start equals a cold
// parse at every keystroke.
func TestCompactRegionErrors(t *testing.T) {
	type diag struct{ at, msg string } // the diagnostic starts at the one place of at
	for _, c := range []struct {
		src   string
		diags []diag
	}{
		{`{"a":{"p":{"v","q""w","r":["x","s":"y"z"},"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"q"`, "expected ':'"}, {`["x"`, "this [ is never closed"}, {`"y"z`, "the \" that seems to close it"}}},
		{`{"a": {"p": {"v" , "q" "w"}, "b": 2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"q"`, "expected ':'"}}},
		// (a number inside the typed string, but text after it: the
		// string's closer opens the text after it)
		{`{"a":{"p":"x1"value","m""n"},"b":2}`, []diag{
			{`"x1"`, "the \" that seems to close it"}, {`"m"`, "expected ':'"}}},
		// (the region ends inside the typed string: the reading stops
		// there, and the region's own diagnostic is at that string)
		{`{"a":{"p":{"v","q":"x5,"r":1},"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"x5`, "this quoted string is never closed"}}},
		{`{"a":{"p":{"v","q":"x5,"r":1,"s""t"},"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"x5`, "it takes in the value after it"}, {`"s"`, "expected ':'"}}},
		{`{"a":{"p":{"v","q":"x{"s":1},"r":1},"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"x{`, "it takes in the value after it"}}},
		// (session 15: the text glued to the typed string holds a ',':
		// it runs to the first quote not escaped, followed by the
		// region's end or a closing bracket)
		{`{"a":{"p":{"v","q":"x"a, b"},"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"x"a`, "the \" that seems to close it"}}},
		{`{"a":{"p":{"v","q":["x"a, b"]},"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"x"a`, "the \" that seems to close it"}}},
		// (a value tried inside the typed string is read within the
		// region: a string in it that the region does not close is not
		// that value, and the text glued to the typed string runs to its
		// first quote)
		{`{"a":{"q":"x{"s":"y,"r":1},"b":2}`, []diag{
			{`"x{`, "the \" that seems to close it"}}},
		// (after a value tried inside a typed string, a string the region
		// does not close has its own diagnostic)
		{`{"a":{"p":{"v","q":"x5,"r":"y{,"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"x5`, "it takes in the value after it"}, {`"y{`, "this quoted string is never closed"}}},
		{`{"a":{"p":{"v","q":[1,],"r""s"},"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`,]`, "a ',' with no item after it"}, {`"r"`, "expected ':'"}}},
		{`{"a":{"p":{"v","q":[{"s":1],"r""t"},"b":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`{"s"`, "this { is never closed"}, {`"r"`, "expected ':'"}}},
		// (the region starts at the object's first member, a value: the
		// diagnostic at its '{' is outside the region, and typing a member
		// between them changes it)
		{`{"a":{"p":1,"q":{"v","r""w"},"z":2}`, []diag{
			{`{"v"`, "this { is followed by a value"}, {`"r"`, "expected ':'"}}},
	} {
		text := []byte(c.src)
		rs := syntax.CompactRegions(text)
		ds := syntax.ParseTree(text).Diagnostics
		if len(rs) != 1 || len(ds) != len(c.diags) {
			t.Errorf("%s: regions %v, diagnostics %v, want one region and %d", c.src, rs, ds, len(c.diags))
			continue
		}
		for i, w := range c.diags {
			if strings.Count(c.src, w.at) != 1 {
				t.Fatalf("%s: not one place", w.at)
			}
			if at := strings.Index(c.src, w.at); ds[i].Range.Start != at || !strings.Contains(ds[i].Message, w.msg) {
				t.Errorf("%s: diagnostic %d %q at %q, want %q at %q", c.src, i, ds[i].Message, c.src[ds[i].Range.Start:], w.msg, c.src[at:])
			}
		}
		typeComparingCold(t, c.src, text, typingMember(`"k":[1,{"w":2}],`, rs[0].Start, false), map[string]int{})
		if o := strings.Index(c.src, `{"v"`); o >= 0 {
			typeComparingCold(t, c.src, text, typingMember(`"n":1,`, o+1, false), map[string]int{})
		}
	}
}

// TestCompactRegionTail: a region the scans read a level off that ends in
// an array, with a ',' and a key right after it (the container's next
// member), has the array's '[' never closed: no reading puts that key in
// the array (regionTail; session 14 said nothing about it). The
// diagnostic depends on the text after the region, so an edit there (each
// byte of the key and its ':' deleted and typed again, a closing bracket
// typed before it) equals a cold parse at every keystroke.
func TestCompactRegionTail(t *testing.T) {
	for _, c := range []struct{ src, at string }{
		{`{"s":{"f":{"c":{"a":{"r":[1,{"R","w":"P"},"u":"h"}},"o":"x","p":{"d":["Q","f":{"z":1}},"t":"y"},"x":1}`, `["Q"`},
		{`{"s":{"f":{"c":{"a":{"r":[1,{"R","w":"P"},"u":"h"}},"o":"x","p":{"d":[["Q"],"f":{"z":1}},"t":"y"},"x":1}`, `[["Q"]`},
	} {
		text := []byte(c.src)
		rs := syntax.CompactRegionsDiagnosed(text)
		if len(rs) != 1 {
			t.Fatalf("%s: regions %v, want one", c.src, rs)
		}
		want := strings.Index(c.src, c.at)
		if !slices.ContainsFunc(rs[0].Diags, func(d syntax.Diagnostic) bool {
			return d.Range.Start == want && strings.Contains(d.Message, "this [ is never closed")
		}) {
			t.Errorf("%s: diagnostics %v, want one at %q", c.src, rs[0].Diags, c.src[want:])
		}
		var edits []syntax.Edit
		end := rs[0].End
		for k := end; k < end+5; k++ {
			edits = append(edits, syntax.Edit{Start: k, End: k + 1}, syntax.Edit{Start: k, End: k, Text: c.src[k : k+1]})
		}
		edits = append(edits, syntax.Edit{Start: end, End: end, Text: "]"}, syntax.Edit{Start: end, End: end + 1})
		reasons := map[string]int{}
		n, k := typeComparingCold(t, c.src, text, edits, reasons)
		t.Logf("%d of %d keystrokes updated; declined %v", k, n, reasons)
	}
}

// TestCompactOpenerTypedWithBracket: a '[' typed with the '{' after it
// (`[{`, `[1,{`) before a value is one typed error: its diagnostic is at
// the '{' followed by a value, and the '[' has none of its own, where the
// reading would otherwise find that '[' never closed: a '}' closing it
// inside a region that starts at its first item (a region read a level
// off: the `[1,{` typed later leaves the brackets unbalanced), or a ','
// and a key right after a region read a level off that ends in it (as in
// TestCompactRegionTail). A '[' typed alone there has its diagnostic.
func TestCompactOpenerTypedWithBracket(t *testing.T) {
	const opener, unclosed = "this { is followed by a value", "this [ is never closed"
	type diag struct{ at, msg string }
	for _, c := range []struct {
		src   string
		diags []diag
	}{
		{`{"c":{"p":{"s":[{{"t":"b"}}}},"x":{"o":{"s":["r"]}},"v":{"t":{"s":[{"r":[1,{"b"}]}}}`,
			[]diag{{`{{"t"`, opener}, {`{"b"`, opener}}},
		{`{"c":{"p":{"s":[{"t":"b"}}}},"x":{"o":{"s":["r"]}},"v":{"t":{"s":[{"r":[1,{"b"}]}}}`,
			[]diag{{`[{"t"`, unclosed}, {`}}},"x"`, "this } closes nothing"}, {`{"b"`, opener}}},
		{`{"s":{"f":{"c":{"a":{"r":[1,{"R","w":"P"},"u":"h"}},"o":"x","p":{"d":[1,{"Q","f":{"z":1}},"t":"y"},"x":1}`,
			[]diag{{`{"R"`, opener}, {`{"Q"`, opener}}},
		{`{"s":{"f":{"c":{"a":{"r":[1,{"R","w":"P"},"u":"h"}},"o":"x","p":{"d":["Q","f":{"z":1}},"t":"y"},"x":1}`,
			[]diag{{`{"R"`, opener}, {`["Q"`, unclosed}}},
	} {
		ds := syntax.ParseTree([]byte(c.src)).Diagnostics
		if len(ds) != len(c.diags) {
			t.Errorf("%s: diagnostics %v, want %d", c.src, ds, len(c.diags))
			continue
		}
		for i, w := range c.diags {
			if strings.Count(c.src, w.at) != 1 {
				t.Fatalf("%s: not one place", w.at)
			}
			if at := strings.Index(c.src, w.at); ds[i].Range.Start != at || !strings.Contains(ds[i].Message, w.msg) {
				t.Errorf("%s: diagnostic %d %q at %q, want %q at %q", c.src, i, ds[i].Message, c.src[ds[i].Range.Start:], w.msg, c.src[at:])
			}
		}
	}
}

// TestCompactRegionTailSeveralRegions: TestCompactRegionTail's edit after
// a region, in a text with two broken regions (each update re-reads the
// regions it keeps, updateSeveral): the '{' of the item right after the
// region `[{"r":"a"` (read a level off: the `[1,{` typed before it and the
// '{' typed before "s" leave the brackets unbalanced) deleted makes that
// item a ',' and a key after the region (now a region of its own), and
// the array's '[' never closed (regionTail); typed back, it is an item
// again. The region is kept, its diagnostics computed again: each
// keystroke an update equal to a cold parse.
func TestCompactRegionTailSeveralRegions(t *testing.T) {
	src := `{"c":{"u":{"s":[1,{[{"r":"a"},{"r":"b"}]}},"m":{"e":["h"],"t":{"s"}}}`
	text := []byte(src)
	if rs := syntax.CompactRegionsDiagnosed(text); len(rs) != 2 || src[rs[0].Start:rs[0].End] != `[{"r":"a"` {
		t.Fatalf("regions %v, want two, the first `[{\"r\":\"a\"`", rs)
	}
	at := strings.Index(src, `{"r":"b"`)
	edits := []syntax.Edit{
		{Start: at, End: at + 1}, {Start: at, End: at, Text: "{"},
		{Start: at, End: at, Text: `"a":`}, {Start: at, End: at + 4},
	}
	if n, k := typeComparingCold(t, src, text, edits, map[string]int{}); k != n {
		t.Errorf("%d of %d keystrokes updated, want all", k, n)
	}
}
