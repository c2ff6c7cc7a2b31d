// Package markertest reads marker-style test cases: one txtar-like file per
// case holding a document whose expected results are written as markers
// next to the lines they are about.
//
// File layout (testdata/markers/<name>.txtar):
//
//	Prose first: what the case is about (Case.Comment).
//	-- doc.yaml --            (or -- doc.json --): the document, byte for byte
//	-- settings.json --       optional: server settings for the case
//	-- before.yaml --         optional (or before.json): the text the editor had
//	                          before the document; runners analyze it first and
//	                          then make it the document with the smallest
//	                          single edit (as typing would),
//	                          so that hovers and completions on a broken
//	                          document can use the last good version
//	-- markers --             only for doc.json: "<1-based line>: @diag(...)"
//	-- @name --               golden text (hover Markdown, reports, ...)
//
// Markers are YAML comments at the end of a line, starting with "#@";
// several may share a line ("#@diag(a) @diag(b)"):
//
//	@diag(CODE)                 a diagnostic CODE whose range starts on this line
//	@diag(CODE, "text")         ... whose range is exactly the first "text" on this line
//	@diag(CODE, "text", re"x")  ... and whose message matches the regexp x
//	@diag(CODE, re"x")          line form with a message regexp
//	@hover("text", name)        hover at the start of "text"; expected Markdown in -- @name --
//	@nohover("text")            no hover at the start of "text"
//	@complete("text", a, b)     completion right after "text"; the labels must be exactly a, b
//
// Strings are Go double-quoted strings; labels may be bare words or quoted.
// The text of a marker is searched in the part of the line before the
// marker comment. Offsets are absolute byte offsets into Case.Doc.
package markertest

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Marker kinds.
const (
	Diag     = "diag"
	Hover    = "hover"
	NoHover  = "nohover"
	Complete = "complete"
)

// Marker is one expectation attached to a line of the document.
type Marker struct {
	Kind string
	Line int // 0-based line of the document (lines end at "\n")
	// Start and End delimit the marker's text in Case.Doc. Without a text
	// (a line-form @diag) they are the line's start and end.
	Start, End int
	HasText    bool
	Text       string
	Code       string         // @diag
	Message    *regexp.Regexp // @diag re"...", or nil
	Golden     string         // @hover: the golden section name, without "@"
	Labels     []string       // @complete
	Where      string         // "file:line" for error messages
}

// Offset is where a request for the marker is made: the start of the text
// for hovers, just after it for completions.
func (m Marker) Offset() int {
	if m.Kind == Complete {
		return m.End
	}
	return m.Start
}

// Case is one parsed case file.
type Case struct {
	Path     string
	Name     string // file name without directory and extension
	Comment  string // the prose before the first section
	DocName  string // "doc.yaml" or "doc.json"
	Doc      []byte
	JSON     bool
	Settings []byte            // nil when absent
	Before   []byte            // the text before the document (nil when absent)
	Goldens  map[string]string // "-- @name --" sections, keyed by name without "@"
	Markers  []Marker
}

// Diags returns the @diag markers.
func (c *Case) Diags() []Marker { return c.filter(Diag) }

func (c *Case) filter(kind string) []Marker {
	var out []Marker
	for _, m := range c.Markers {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

type section struct {
	name string
	data []byte
}

// parseArchive splits a txtar archive: prose, then "-- name --" sections.
// Each section's data runs to the next header line, final newline included.
func parseArchive(data []byte) (comment []byte, secs []section) {
	var cur *section
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line = data[:i+1]
		}
		data = data[len(line):]
		if name, ok := header(line); ok {
			secs = append(secs, section{name: name})
			cur = &secs[len(secs)-1]
			continue
		}
		if cur == nil {
			comment = append(comment, line...)
		} else {
			cur.data = append(cur.data, line...)
		}
	}
	return comment, secs
}

func header(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < 7 {
		return "", false
	}
	return strings.TrimSpace(s[3 : len(s)-3]), true
}

func formatArchive(comment []byte, secs []section) []byte {
	var b bytes.Buffer
	b.Write(comment)
	for _, s := range secs {
		fmt.Fprintf(&b, "-- %s --\n", s.name)
		b.Write(s.data)
		if len(s.data) > 0 && s.data[len(s.data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// Parse reads and parses one case file.
func Parse(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseBytes(path, data)
}

// ParseDocument reads a plain YAML or JSON document whose expected
// diagnostics are #@ markers (YAML only), such as the documents of a
// multi-file fixture: the case is the document alone.
func ParseDocument(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	name := "doc.yaml"
	if strings.HasSuffix(path, ".json") {
		name = "doc.json"
	}
	return ParseBytes(path, append([]byte("-- "+name+" --\n"), data...))
}

// ParseBytes parses the content of a case file; path is used for names and
// messages only.
func ParseBytes(path string, data []byte) (*Case, error) {
	base := path[strings.LastIndexAny(path, `/\`)+1:]
	c := &Case{Path: path, Name: strings.TrimSuffix(base, ".txtar"), Goldens: map[string]string{}}
	comment, secs := parseArchive(data)
	c.Comment = strings.TrimSpace(string(comment))
	var markers []byte
	hasMarkers := false
	for _, s := range secs {
		switch {
		case s.name == "doc.yaml" || s.name == "doc.yml" || s.name == "doc.json":
			if c.DocName != "" {
				return nil, fmt.Errorf("%s: two documents (%s and %s)", path, c.DocName, s.name)
			}
			c.DocName, c.Doc, c.JSON = s.name, s.data, s.name == "doc.json"
		case s.name == "before.yaml" || s.name == "before.json":
			c.Before = s.data
		case s.name == "settings.json":
			c.Settings = s.data
		case s.name == "markers":
			markers, hasMarkers = s.data, true
		case strings.HasPrefix(s.name, "@"):
			c.Goldens[s.name[1:]] = string(s.data)
		default:
			return nil, fmt.Errorf("%s: unknown section %q", path, s.name)
		}
	}
	if c.DocName == "" {
		return nil, fmt.Errorf("%s: no -- doc.yaml -- or -- doc.json -- section", path)
	}
	lines := splitLines(c.Doc)
	if c.JSON {
		for i, l := range strings.Split(string(markers), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			num, rest, ok := strings.Cut(l, ":")
			n, err := strconv.Atoi(strings.TrimSpace(num))
			if !ok || err != nil || n < 1 || n > len(lines) {
				return nil, fmt.Errorf("%s: markers line %d: want `<line>: @diag(...)` with a line of doc.json, got %q", path, i+1, l)
			}
			ln := lines[n-1]
			if err := c.addMarkers(ln, n-1, ln.end, rest); err != nil {
				return nil, err
			}
		}
		return c, nil
	}
	if hasMarkers {
		return nil, fmt.Errorf("%s: a -- markers -- section is only for doc.json; write YAML markers as #@ comments", path)
	}
	for i, ln := range lines {
		text := string(c.Doc[ln.start:ln.end])
		at := markerStart(text)
		if at < 0 {
			continue
		}
		if err := c.addMarkers(ln, i, ln.start+at, text[at+1:]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

type lineSpan struct{ start, end int } // end excludes the line break

func splitLines(doc []byte) []lineSpan {
	var out []lineSpan
	start := 0
	for i := 0; i <= len(doc); i++ {
		if i == len(doc) || doc[i] == '\n' {
			end := i
			if end > start && doc[end-1] == '\r' {
				end--
			}
			if i == len(doc) && start == len(doc) && len(out) > 0 {
				break // no empty line after the final newline
			}
			out = append(out, lineSpan{start, end})
			start = i + 1
		}
	}
	return out
}

var markerRe = regexp.MustCompile(`(?:^|[ \t])(#@[a-z]+\()`)

// markerStart finds "#@kind(" that begins a comment: at the line start or
// after a blank.
func markerStart(line string) int {
	if m := markerRe.FindStringSubmatchIndex(line); m != nil {
		return m[2]
	}
	return -1
}

var callRe = regexp.MustCompile(`^\s*@([a-z]+)\(`)

// addMarkers parses "@kind(args) @kind(args) ..." for line ln; texts are
// searched in the document before limit.
func (c *Case) addMarkers(ln lineSpan, line, limit int, spec string) error {
	where := fmt.Sprintf("%s:%d", c.Path, line+1)
	if c.JSON {
		where = fmt.Sprintf("%s: doc.json line %d", c.Path, line+1)
	}
	rest := spec
	for strings.TrimSpace(rest) != "" {
		m := callRe.FindStringSubmatch(rest)
		if m == nil {
			return fmt.Errorf("%s: cannot read marker %q", where, strings.TrimSpace(rest))
		}
		args, tail, err := parseArgs(rest[len(m[0]):])
		if err != nil {
			return fmt.Errorf("%s: @%s: %v", where, m[1], err)
		}
		rest = tail
		mk := Marker{Kind: m[1], Line: line, Start: ln.start, End: ln.end, Where: where}
		find := func(a arg) error {
			if !a.quoted {
				return fmt.Errorf("@%s: the text must be a quoted string, got %s", mk.Kind, a.s)
			}
			i := strings.Index(string(c.Doc[ln.start:limit]), a.s)
			if i < 0 || a.s == "" {
				return fmt.Errorf("%s: @%s: text %q not found on this line", where, mk.Kind, a.s)
			}
			mk.HasText, mk.Text, mk.Start, mk.End = true, a.s, ln.start+i, ln.start+i+len(a.s)
			return nil
		}
		switch mk.Kind {
		case Diag:
			if len(args) < 1 || len(args) > 3 || args[0].quoted || args[0].re {
				return fmt.Errorf("%s: want @diag(CODE[, \"text\"][, re\"regexp\"])", where)
			}
			mk.Code = args[0].s
			for _, a := range args[1:] {
				if a.re {
					re, err := regexp.Compile(a.s)
					if err != nil {
						return fmt.Errorf("%s: %v", where, err)
					}
					mk.Message = re
				} else if err := find(a); err != nil {
					return err
				}
			}
		case Hover:
			if len(args) != 2 || args[1].quoted {
				return fmt.Errorf("%s: want @hover(\"text\", name)", where)
			}
			if err := find(args[0]); err != nil {
				return err
			}
			// No placeholder in Goldens: a hover marker whose section is
			// missing must fail its runner, never pass as "no hover".
			mk.Golden = args[1].s
		case NoHover:
			if len(args) != 1 {
				return fmt.Errorf("%s: want @nohover(\"text\")", where)
			}
			if err := find(args[0]); err != nil {
				return err
			}
		case Complete:
			if len(args) < 1 {
				return fmt.Errorf("%s: want @complete(\"text\", label...)", where)
			}
			if err := find(args[0]); err != nil {
				return err
			}
			mk.Labels = []string{}
			for _, a := range args[1:] {
				mk.Labels = append(mk.Labels, a.s)
			}
		default:
			return fmt.Errorf("%s: unknown marker @%s", where, mk.Kind)
		}
		c.Markers = append(c.Markers, mk)
	}
	return nil
}

type arg struct {
	s      string
	quoted bool // "..."
	re     bool // re"..."
}

// parseArgs reads a comma-separated argument list up to the closing ")".
func parseArgs(s string) ([]arg, string, error) {
	var args []arg
	for {
		s = strings.TrimLeft(s, " \t")
		if strings.HasPrefix(s, ")") && len(args) == 0 {
			return nil, s[1:], nil
		}
		var a arg
		switch {
		case strings.HasPrefix(s, `re"`):
			a.re = true
			s = s[2:]
			fallthrough
		case strings.HasPrefix(s, `"`):
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, "", fmt.Errorf("bad string in %q", s)
			}
			a.s, _ = strconv.Unquote(q)
			a.quoted = !a.re
			s = s[len(q):]
		default:
			i := strings.IndexAny(s, ",)")
			if i <= 0 {
				return nil, "", fmt.Errorf("bad argument in %q", s)
			}
			a.s = strings.TrimSpace(s[:i])
			s = s[i:]
		}
		args = append(args, a)
		s = strings.TrimLeft(s, " \t")
		switch {
		case strings.HasPrefix(s, ","):
			s = s[1:]
		case strings.HasPrefix(s, ")"):
			return args, s[1:], nil
		default:
			return nil, "", fmt.Errorf("missing ')' in %q", s)
		}
	}
}

// UpdateGoldens rewrites the golden sections of the case file at path:
// each entry of goldens (name without "@") replaces that section's data, or
// is appended as a new section. Other sections and the prose are kept byte
// for byte. Used by runners when `go test ... -update` is given.
func UpdateGoldens(path string, goldens map[string]string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	comment, secs := parseArchive(data)
	done := map[string]bool{}
	for i := range secs {
		if name, ok := strings.CutPrefix(secs[i].name, "@"); ok {
			if g, ok := goldens[name]; ok {
				secs[i].data = []byte(g)
				done[name] = true
			}
		}
	}
	names := make([]string, 0, len(goldens))
	for name := range goldens {
		if !done[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		secs = append(secs, section{name: "@" + name, data: []byte(goldens[name])})
	}
	out := formatArchive(comment, secs)
	if bytes.Equal(out, data) {
		return nil
	}
	return os.WriteFile(path, out, 0o644)
}
