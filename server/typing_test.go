package server

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Typing replay: scripts in testdata/typing/*.txt type real snippets into a
// document keystroke by keystroke through a real server (one didChange per
// keystroke), as a user of an editor would, and check at checkpoints what
// that user sees.
//
// A script is prose, then sections:
//
//	-- doc.yaml --   (or doc.json) the document; "<|>" marks where typing starts
//	-- script --     one step per line:
//	  type "text"             keystrokes (a Go string: "\n" is Enter)
//	  complete a, "b c", ...  the completion list the user sees is exactly these labels
//	  complete-has a, ...     ... contains at least these labels
//	  accept "label"          accept that item of the list the user sees
//	  invoke                  ask for completion by hand (Ctrl+Space, <C-x><C-o>)
//	  line "text"             the cursor's line is exactly this
//	  before "text"           the cursor's line up to the cursor is exactly this
//	                          (the rest differs where an editor auto-closed a pair)
//	  hover op "text"         the hover on operation op shows its effective
//	                          security and contains text
//
// Every script runs twice: once as an editor with auto-closing pairs types
// it (an opening quote or bracket inserts its closer, typing the closer
// steps over it), once as plain Neovim does (every character inserted).
//
// What "the list the user sees" means: a completion request starts a
// session when a trigger character of the server is typed, or a word
// character with no session open (quick suggestions); every other
// keystroke filters the session's items, and a session whose items all
// filter out closes (as VS Code hides an empty list). Each item is filtered with the
// text from its edit's start to the cursor (the end of the edit moves with
// the typing), once as Neovim's prefix match does (the filter text starts
// with the pattern), which must show exactly the expected labels, and once
// as VS Code's fuzzy filter does (the pattern's first character matches
// the filter text at its start or after a separator, the rest in order),
// which must show at least them. A fresh request at the checkpoint must
// show the same.
//
// At every checkpoint (complete, accept, line, hover) and at the end:
//   - no error diagnostic lies outside the typed region unless the
//     document had it before typing (at the same place, shifted): checked
//     by TestTypingErrorsStayInTheTypedRegion;
//   - the items of a fresh request at the cursor share one edit start
//     (Neovim completes from one column), on the cursor's line.

const typingCursor = "<|>"

type typingScript struct {
	name, path string
	json       bool
	doc        string // without the cursor mark
	start      int    // byte offset where typing starts
	steps      []typingStep
}

type typingStep struct {
	op     string
	text   string
	labels []string
	line   int // line of the script, for messages
}

func parseTypingScript(path string) (*typingScript, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &typingScript{name: strings.TrimSuffix(filepath.Base(path), ".txt"), path: path}
	var section string
	var doc []string
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") {
			section = strings.TrimSpace(l[3 : len(l)-3])
			if section == "doc.json" {
				s.json = true
			}
			continue
		}
		switch section {
		case "doc.yaml", "doc.json":
			doc = append(doc, l)
		case "script":
			st, err := parseTypingStep(l)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
			}
			if st.op != "" {
				st.line = i + 1
				s.steps = append(s.steps, st)
			}
		case "":
		default:
			return nil, fmt.Errorf("%s:%d: unknown section %q", path, i+1, section)
		}
	}
	text := strings.Join(doc, "\n")
	s.start = strings.Index(text, typingCursor)
	if s.start < 0 || strings.Count(text, typingCursor) != 1 {
		return nil, fmt.Errorf("%s: the document needs exactly one %s", path, typingCursor)
	}
	s.doc = strings.Replace(text, typingCursor, "", 1)
	if len(s.steps) == 0 {
		return nil, fmt.Errorf("%s: no script steps", path)
	}
	return s, nil
}

func parseTypingStep(l string) (typingStep, error) {
	l = strings.TrimSpace(l)
	if l == "" || strings.HasPrefix(l, "#") {
		return typingStep{}, nil
	}
	op, rest, _ := strings.Cut(l, " ")
	rest = strings.TrimSpace(rest)
	st := typingStep{op: op}
	switch op {
	case "invoke":
	case "type", "accept", "line", "before":
		v, err := strconv.Unquote(rest)
		if err != nil {
			return st, fmt.Errorf("%s wants a Go string, got %s", op, rest)
		}
		st.text = v
	case "complete", "complete-has":
		st.labels = []string{}
		for rest != "" {
			var a string
			if rest[0] == '"' {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					return st, err
				}
				a, _ = strconv.Unquote(q)
				rest = rest[len(q):]
			} else {
				i := strings.IndexByte(rest, ',')
				if i < 0 {
					i = len(rest)
				}
				a, rest = strings.TrimSpace(rest[:i]), rest[i:]
			}
			st.labels = append(st.labels, a)
			rest = strings.TrimLeft(strings.TrimSpace(rest), ",")
			rest = strings.TrimSpace(rest)
		}
	case "hover":
		name, q, _ := strings.Cut(rest, " ")
		st.labels = []string{name}
		if q = strings.TrimSpace(q); q != "" {
			v, err := strconv.Unquote(q)
			if err != nil {
				return st, fmt.Errorf("hover wants an operation and a Go string, got %s", rest)
			}
			st.text = v
		}
	default:
		return st, fmt.Errorf("unknown step %q", op)
	}
	return st, nil
}

// typingItem is a completion item as the client holds it.
type typingItem struct {
	Label      string
	FilterText *string
	SortText   *string
	TextEdit   struct {
		Range   syntax.PosRange
		NewText string
	}
	AdditionalTextEdits []struct {
		Range   syntax.PosRange
		NewText string
	}
	InsertTextFormat int
}

func (it typingItem) filter() string {
	if it.FilterText != nil {
		return *it.FilterText
	}
	return it.Label
}

// typingEditor is the client side of a replay: the buffer, the cursor,
// the open completion session.
type typingEditor struct {
	t        *testing.T
	c        *testClient
	s        *typingScript
	uri      string
	autopair bool
	text     string
	cursor   int // byte offset
	version  int32
	region   [2]int // the typed region: [start, end) in the current text
	baseline []diagSpot
	triggers string
	// the session: items and where the cursor was when they came
	session   []typingItem
	sessionAt int
	open      bool
	run       *typingRun
}

// errorf keeps a problem the replay found, by its kind.
func (e *typingEditor) errorf(region bool, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if region {
		e.run.region = append(e.run.region, msg)
	} else {
		e.run.other = append(e.run.other, msg)
	}
}

// typingRun is what one replay of a script found: the text it ended
// with, the errors outside the typed region
// (TestTypingErrorsStayInTheTypedRegion) and the other problems
// (TestTypingReplay).
type typingRun struct {
	text          string
	region, other []string
	done          bool // false: the replay stopped on a fatal error
}

// typingRuns are the replays made, by script and mode: the two tests
// read one replay each (it cost them twice as much to replay every
// script apiece).
var typingRuns = struct {
	sync.Mutex
	m map[typingRunKey]*typingRunOnce
}{m: map[typingRunKey]*typingRunOnce{}}

type typingRunKey struct {
	script   string
	autopair bool
}

type typingRunOnce struct {
	once sync.Once
	run  typingRun
}

// replayed returns the replay of s in a mode, made by the first test that
// asks for it (under its t: a fatal error fails that test, and the other
// one fails saying so).
func replayed(t *testing.T, s *typingScript, autopair bool) *typingRun {
	t.Helper()
	typingRuns.Lock()
	r := typingRuns.m[typingRunKey{s.name, autopair}]
	if r == nil {
		r = &typingRunOnce{}
		typingRuns.m[typingRunKey{s.name, autopair}] = r
	}
	typingRuns.Unlock()
	r.once.Do(func() {
		runTypingScript(t, s, autopair, &r.run)
		r.run.done = true
	})
	if !r.run.done {
		t.Fatalf("the replay of %s (auto-pairs %v) stopped on a fatal error", s.name, autopair)
	}
	return &r.run
}

type diagSpot struct {
	code       string
	start, end int
	message    string
}

func (e *typingEditor) where(st typingStep) string {
	mode := "plain"
	if e.autopair {
		mode = "auto-pairs"
	}
	return fmt.Sprintf("%s:%d (%s)", e.s.path, st.line, mode)
}

func (e *typingEditor) mapper() *syntax.Mapper { return syntax.NewMapper([]byte(e.text)) }

func (e *typingEditor) pos(off int) map[string]any {
	p := e.mapper().Position(off)
	return map[string]any{"line": p.Line, "character": p.Character}
}

// replace sends one didChange that replaces [start, end) with text.
func (e *typingEditor) replace(start, end int, text string) {
	m := e.mapper()
	r := syntax.PosRange{Start: m.Position(start), End: m.Position(end)}
	e.version++
	e.c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": e.uri, "version": e.version},
		"contentChanges": []any{map[string]any{"range": r, "text": text}},
	})
	e.text = e.text[:start] + text + e.text[end:]
	shift := func(o int) int {
		switch {
		case o >= end:
			return o + len(text) - (end - start)
		case o > start:
			return start + len(text)
		}
		return o
	}
	e.cursor = shift(e.cursor)
	e.region[0] = min(e.region[0], start)
	e.region[1] = max(shift(e.region[1]), start+len(text))
}

func isWordChar(r byte) bool {
	return r == '_' || r == '$' || r < 0x80 && (unicode.IsLetter(rune(r)) || unicode.IsDigit(rune(r)))
}

// key types one character as the editor would.
func (e *typingEditor) key(ch byte) {
	next := byte(0)
	if e.cursor < len(e.text) {
		next = e.text[e.cursor]
	}
	closer := map[byte]byte{'[': ']', '{': '}', '"': '"', '\'': '\''}
	isQuote := ch == '"' || ch == '\''
	pairs := closer[ch] != 0 && !(ch == '\'' && e.s.json)
	nextOK := next == 0 || strings.IndexByte(" \n\r]},:", next) >= 0
	afterWord := e.cursor > 0 && isWordChar(e.text[e.cursor-1])
	switch {
	case e.autopair && (ch == ']' || ch == '}' || isQuote) && next == ch:
		e.cursor++ // step over the auto-inserted closer
	case e.autopair && pairs && nextOK && !(isQuote && afterWord):
		e.replace(e.cursor, e.cursor, string([]byte{ch, closer[ch]}))
		e.cursor--
	default:
		e.replace(e.cursor, e.cursor, string(ch))
	}
	switch {
	case ch == '\n':
		e.open = false
	case strings.IndexByte(e.triggers, ch) >= 0 || (!e.open && isWordChar(ch)):
		e.session, e.sessionAt, e.open = e.request(), e.cursor, true
	case e.open && len(e.visible(e.session, vscodeMatch)) == 0:
		e.open = false // an empty list closes; the next word character asks again
	}
}

func (e *typingEditor) request() []typingItem {
	var list struct{ Items []typingItem }
	e.c.mustCall("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": e.uri}, "position": e.pos(e.cursor)}, &list)
	return list.Items
}

// vscodeMatch approximates VS Code's fuzzy filter of completion items:
// the pattern (leading blanks skipped) matches when its first character
// matches the word at its start, after a separator or at a camel-case hump,
// and the rest of it follows in order (case-insensitive).
func vscodeMatch(pattern, word string) bool {
	pattern = strings.TrimLeft(pattern, " \t")
	if pattern == "" {
		return true
	}
	p, w := strings.ToLower(pattern), strings.ToLower(word)
	for i := 0; i < len(w); i++ {
		strong := i == 0 || strings.IndexByte("_-. /\\'\":$<>()[]{}", word[i-1]) >= 0 ||
			(unicode.IsUpper(rune(word[i])) && unicode.IsLower(rune(word[i-1])))
		if w[i] != p[0] || !strong {
			continue
		}
		j := 1
		for k := i + 1; k < len(w) && j < len(p); k++ {
			if w[k] == p[j] {
				j++
			}
		}
		if j == len(p) {
			return true
		}
	}
	return false
}

// neovimMatch is Neovim's prefix match.
func neovimMatch(pattern, word string) bool { return strings.HasPrefix(word, pattern) }

// pattern is the text an item is filtered with: from its edit's start to
// the cursor, or ok=false when the cursor left the edit's line or went
// before it.
func (e *typingEditor) pattern(it typingItem) (string, bool) {
	m := e.mapper()
	r := it.TextEdit.Range
	cur := m.Position(e.cursor)
	if r.Start.Line != cur.Line || r.Start.Character > cur.Character {
		return "", false
	}
	return e.text[m.Offset(r.Start):e.cursor], true
}

// visible is what the user sees of items under one client's filter.
func (e *typingEditor) visible(items []typingItem, match func(pattern, word string) bool) []string {
	out := []string{}
	for _, it := range items {
		if p, ok := e.pattern(it); ok && match(p, it.filter()) {
			out = append(out, it.Label)
		}
	}
	sort.Strings(out)
	return out
}

func (e *typingEditor) diagnostics() []diagSpot {
	p := e.c.waitDiagnostics(e.uri, e.version)
	m := e.mapper()
	var out []diagSpot
	for _, raw := range p.Diagnostics {
		var d struct {
			Code     string
			Message  string
			Severity int
			Range    syntax.PosRange
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			e.t.Fatal(err)
		}
		if d.Severity != 1 {
			continue
		}
		r := m.Range(d.Range)
		out = append(out, diagSpot{d.Code, r.Start, r.End, d.Message})
	}
	return out
}

// checkpoint runs the checks every checkpoint makes.
func (e *typingEditor) checkpoint(st typingStep) {
	e.t.Helper()
	// no new error outside the typed region (whole lines)
	m := e.mapper()
	lo := m.LineStart(m.Line(e.region[0]))
	hi := m.LineEnd(m.Line(e.region[1]))
	delta := len(e.text) - len(e.s.doc)
	for _, d := range e.diagnostics() {
		if d.start <= hi && d.end >= lo {
			continue
		}
		orig := d
		if d.start > hi {
			orig.start, orig.end = d.start-delta, d.end-delta
		}
		found := false
		for _, b := range e.baseline {
			if b.code == orig.code && b.start == orig.start && b.end == orig.end {
				found = true
			}
		}
		if !found {
			p := m.Position(d.start)
			e.errorf(true, "%s: new error outside the typed region (lines %d-%d) at %d:%d: %s %s\n%s", e.where(st),
				m.Line(lo)+1, m.Line(hi)+1, p.Line+1, p.Character+1, d.code, d.message, e.text)
		}
	}
	// a fresh request: one edit start (Neovim completes from one column),
	// and at a complete step the same list as the session shows
	items := e.request()
	for i, it := range items {
		if i > 0 && it.TextEdit.Range.Start != items[0].TextEdit.Range.Start {
			e.errorf(false, "%s: items %q and %q start their edits at different places (%v, %v)", e.where(st), items[0].Label, it.Label, items[0].TextEdit.Range.Start, it.TextEdit.Range.Start)
		}
		if _, ok := e.pattern(it); !ok || it.TextEdit.Range.End.Line != it.TextEdit.Range.Start.Line {
			e.errorf(false, "%s: item %q edits %v, which does not hold the cursor on its line", e.where(st), it.Label, it.TextEdit.Range)
		}
	}
	if st.op == "complete" || st.op == "complete-has" {
		e.expectVisible(st, "a fresh request", items)
	}
}

// expectVisible checks what each client shows of items: Neovim's prefix
// match exactly the expected labels (complete-has: at least them), VS
// Code's fuzzy match at least them (it is broader, ranking the rest lower).
func (e *typingEditor) expectVisible(st typingStep, what string, items []typingItem) {
	e.t.Helper()
	want := append([]string{}, st.labels...)
	sort.Strings(want)
	for _, client := range []struct {
		name  string
		match func(string, string) bool
		exact bool
	}{{"Neovim", neovimMatch, st.op == "complete"}, {"VS Code", vscodeMatch, false}} {
		got := e.visible(items, client.match)
		if client.exact && strings.Join(got, "\n") != strings.Join(want, "\n") {
			e.errorf(false, "%s: %s of %s shows %q, want %q\nline: %q", e.where(st), client.name, what, got, want, e.currentLine())
			continue
		}
		for _, w := range want {
			if !contains(got, w) {
				e.errorf(false, "%s: %s of %s does not show %q (shows %q)\nline: %q", e.where(st), client.name, what, w, got, e.currentLine())
			}
		}
	}
}

func (e *typingEditor) step(st typingStep) {
	e.t.Helper()
	switch st.op {
	case "type":
		for i := 0; i < len(st.text); i++ {
			e.key(st.text[i])
		}
		return
	case "complete", "complete-has":
		e.checkpoint(st)
		if !e.open {
			e.session = nil
		}
		e.expectVisible(st, "the open list", e.session)
	case "accept":
		e.checkpoint(st)
		var pick *typingItem
		for i, it := range e.session {
			if it.Label == st.text {
				if p, ok := e.pattern(it); ok && vscodeMatch(p, it.filter()) && neovimMatch(p, it.filter()) {
					pick = &e.session[i]
				}
			}
		}
		if pick == nil || !e.open {
			e.t.Fatalf("%s: %q is not in the list the user sees", e.where(st), st.text)
		}
		// the edit's end moved with what was typed since the request
		m := e.mapper()
		start := m.Offset(pick.TextEdit.Range.Start)
		end := m.Offset(pick.TextEdit.Range.End) + e.cursor - e.sessionAt
		newText := pick.TextEdit.NewText
		if pick.InsertTextFormat == 2 {
			newText = expandSnippet(newText)
		}
		extra := pick.AdditionalTextEdits
		e.replace(start, max(end, e.cursor), newText)
		e.cursor = start + len(newText)
		if i := strings.Index(pick.TextEdit.NewText, "$0"); i >= 0 && pick.InsertTextFormat == 2 {
			e.cursor = start + len(expandSnippet(pick.TextEdit.NewText[:i]))
		}
		for k := len(extra) - 1; k >= 0; k-- { // additional edits lie before the main one
			m := e.mapper()
			cur := e.cursor
			r := m.Range(extra[k].Range)
			e.replace(r.Start, r.End, extra[k].NewText)
			if r.Start < cur {
				e.cursor = cur + len(extra[k].NewText) - (r.End - r.Start)
			}
		}
		e.open = false
	case "invoke":
		e.session, e.sessionAt, e.open = e.request(), e.cursor, true
	case "line", "before":
		e.checkpoint(st)
		got := e.currentLine()
		if st.op == "before" {
			m := e.mapper()
			got = e.text[m.LineStart(m.Line(e.cursor)):e.cursor]
		}
		if got != st.text {
			e.errorf(false, "%s: %s is %q, want %q", e.where(st), st.op, got, st.text)
		}
	case "hover":
		e.checkpoint(st)
		e.hover(st)
	}
}

func (e *typingEditor) currentLine() string {
	m := e.mapper()
	l := m.Line(e.cursor)
	return e.text[m.LineStart(l):m.LineEnd(l)]
}

// hover checks the hover on an operation's key.
func (e *typingEditor) hover(st typingStep) {
	name := st.labels[0]
	i := -1
	// a 3.x operation key, a JSON key, or a 2.x operationId (YAML or JSON)
	for _, key := range []string{"\n  " + name + ":", "\n    \"" + name + "\"", "operationId: " + name, "\"operationId\": \"" + name + "\""} {
		if j := strings.Index(e.text, key); j >= 0 && i < 0 {
			i = j + strings.Index(key, name)
		}
	}
	if i < 0 {
		e.t.Fatalf("%s: operation %q not found in the text", e.where(st), name)
	}
	var h *struct{ Contents struct{ Value string } }
	e.c.mustCall("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": e.uri}, "position": e.pos(i + 1)}, &h)
	switch {
	case h == nil:
		e.errorf(false, "%s: no hover on operation %s\n%s", e.where(st), name, e.text)
	case !strings.Contains(h.Contents.Value, "### Effective security") || !strings.Contains(h.Contents.Value, st.text):
		e.errorf(false, "%s: hover on operation %s does not show its effective security with %q:\n%s", e.where(st), name, st.text, h.Contents.Value)
	}
}

// expandSnippet drops snippet placeholders: ${1:x} -> x, $1 -> "".
func expandSnippet(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			j := strings.IndexByte(s[i:], ':')
			k := strings.IndexByte(s[i:], '}')
			if j > 0 && j < k {
				b.WriteString(s[i+j+1 : i+k])
			}
			i += k
		case s[i] == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			i++
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// runTypingScript replays s into run.
func runTypingScript(t *testing.T, s *typingScript, autopair bool, run *typingRun) {
	c, _ := newPipeClient(t, nil)
	var init struct {
		Capabilities struct {
			CompletionProvider struct{ TriggerCharacters []string }
		}
	}
	c.mustCall("initialize", map[string]any{
		"processId": nil, "rootUri": nil,
		"capabilities": map[string]any{"textDocument": map[string]any{
			"completion": map[string]any{"completionItem": map[string]any{"snippetSupport": true}},
			"hover":      map[string]any{"contentFormat": []string{"markdown"}},
		}},
	}, &init)
	c.notify("initialized", map[string]any{})
	e := &typingEditor{t: t, c: c, s: s, autopair: autopair, run: run, text: s.doc, cursor: s.start, version: 1,
		region: [2]int{s.start, s.start}, triggers: strings.Join(init.Capabilities.CompletionProvider.TriggerCharacters, "")}
	e.uri = "file:///typing/" + s.name + ".yaml"
	lang := "yaml"
	if s.json {
		e.uri, lang = "file:///typing/"+s.name+".json", "json"
	}
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": e.uri, "languageId": lang, "version": 1, "text": s.doc}})
	e.baseline = e.diagnostics()
	for _, st := range s.steps {
		e.step(st)
	}
	e.checkpoint(typingStep{op: "end", line: s.steps[len(s.steps)-1].line})
	run.text = e.text
}

func typingScripts(t *testing.T) []*typingScript {
	files, err := filepath.Glob("../testdata/typing/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no typing scripts in ../testdata/typing (%v)", err)
	}
	var out []*typingScript
	for _, f := range files {
		s, err := parseTypingScript(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestTypingReplay replays every script of testdata/typing with and
// without auto-closing pairs: completions, accepted lines and hovers.
func TestTypingReplay(t *testing.T) {
	for _, s := range typingScripts(t) {
		t.Run(s.name, func(t *testing.T) {
			plain, paired := replayed(t, s, false), replayed(t, s, true)
			for _, run := range []*typingRun{plain, paired} {
				for _, msg := range run.other {
					t.Error(msg)
				}
			}
			if plain.text == "" || plain.text == s.doc {
				t.Errorf("the replay typed nothing")
			}
			if plain.text != paired.text {
				t.Errorf("the two editors typed different texts:\n--- plain\n%s\n--- auto-pairs\n%s", plain.text, paired.text)
			}
		})
	}
}

// TestTypingErrorsStayInTheTypedRegion replays the same scripts and checks
// at every checkpoint that no new error appears outside the lines being
// typed: a half-typed line must not light up the rest of the document.
// Where the errors land is the syntax layer's business (its error
// placement and recovery), which is why this is a test of its own.
func TestTypingErrorsStayInTheTypedRegion(t *testing.T) {
	for _, s := range typingScripts(t) {
		t.Run(s.name, func(t *testing.T) {
			for _, autopair := range []bool{false, true} {
				for _, msg := range replayed(t, s, autopair).region {
					t.Error(msg)
				}
			}
		})
	}
}

// TestTypingRunKeepsProblemsByKind: a replay keeps an error outside the
// typed region for TestTypingErrorsStayInTheTypedRegion and any other
// problem for TestTypingReplay, which report only their own.
func TestTypingRunKeepsProblemsByKind(t *testing.T) {
	e := &typingEditor{run: &typingRun{}}
	e.errorf(true, "outside %d", 1)
	e.errorf(false, "other %s", "x")
	if got := fmt.Sprint(e.run.region, e.run.other); got != "[outside 1] [other x]" {
		t.Errorf("region, other: %s", got)
	}
}
