package analysis

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// BenchmarkTypingSweep types at one line of every kind a generated document
// has (a kind is the line's key path with names replaced by '*': every
// key that appears at most a few times in the document is a name) and
// at each of them makes the edits a user makes there, valid and broken:
// text at the line's end, a quote, a '[' or a '{' opened before the value,
// the key's colon deleted, a new line with a bare word below, and, in
// JSON, a member's comma deleted and a new member half typed. Each
// sub-benchmark is one edit of the valid document (its Update from the
// cold analysis), so that a slow path anywhere in the document shows up
// here rather than only at the places the other benchmarks chose.
//
//	ASYNCAPI_LS_SWEEP=5MB go test -run='^$' -bench=TypingSweep -benchtime=3x ./analysis
//
// Without ASYNCAPI_LS_SWEEP the sweep runs on 200 KB documents. At the
// end it logs the whole-model builds counted by format, the edited line's
// root key and the reason ("yaml servers: a section dropped as a block
// reaches too many units").
func BenchmarkTypingSweep(b *testing.B) {
	size := 200 << 10
	if s := os.Getenv("ASYNCAPI_LS_SWEEP"); s != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(s, "MB"), "KB"))
		if err != nil {
			b.Fatalf("ASYNCAPI_LS_SWEEP=%q: want a size like 5MB or 300KB", s)
		}
		size = n << 20
		if strings.HasSuffix(s, "KB") {
			size = n << 10
		}
	}
	// The whole-model builds by the edited line's root key and reason
	// (logged at the end): which kinds of edit a bound or a missing path
	// leaves whole.
	// (by sub-benchmark: one may run more than once)
	whole := map[string]string{}
	// (in a sub-benchmark of its own, run last: a benchmark that has
	// sub-benchmarks prints no log of its own)
	defer b.Run("whole-model-builds", func(b *testing.B) {
		for b.Loop() {
		}
		count := map[string]int{}
		for _, k := range whole {
			count[k]++
		}
		for _, k := range slices.Sorted(maps.Keys(count)) {
			b.Logf("%4d %s", count[k], k)
		}
	})
	for _, shape := range docgen.Shapes() {
		for _, format := range []string{"yaml", "json"} {
			// The document is made inside its own sub-benchmark, so that
			// a -bench filter that skips it skips its generation too.
			b.Run(fmt.Sprintf("%s-%s", shape, format), func(b *testing.B) {
				opts := docgen.Options{TargetBytes: size, Seed: 1, Shape: shape}
				var doc []byte
				if format == "yaml" {
					doc = docgen.Generate(opts)
				} else {
					doc = docgen.GenerateJSON(opts)
				}
				prev := Analyze(doc)
				for _, s := range sweepEdits(doc, format == "json") {
					text := s.edit.Apply(doc)
					b.Run(s.kind+"/"+s.what, func(b *testing.B) {
						var d *Document
						for b.Loop() {
							d = Update(prev, []syntax.Edit{s.edit}, text)
						}
						if d.InternalError() != "" {
							b.Fatalf("internal error: %s", d.InternalError())
						}
						switch {
						case d.inc.path != pathRegion:
							b.Logf("parsed whole (line %d): %s", s.line, d.inc.reason)
						case !d.inc.modelReused:
							b.Logf("model rebuilt whole (line %d): %s", s.line, d.inc.modelWhy)
							whole[b.Name()] = format + " " + strings.SplitN(s.kind, ".", 2)[0] + ": " + d.inc.modelWhy
						}
					})
				}
			})
		}
	}
}

// sweepEdit is one edit of the sweep at a line of a kind.
type sweepEdit struct {
	kind, what string
	line       int
	edit       syntax.Edit
}

var (
	yamlKeyLine = regexp.MustCompile(`^( *)(- )?([^\s:#'"{\[][^:#]*|'[^']*'|"[^"]*"):( |$)`)
	jsonKeyLine = regexp.MustCompile(`^( *)"((?:[^"\\]|\\.)*)": ?`)
)

// nameMaps are the keys whose mapping's keys are names.
var nameMaps = map[string]bool{
	"channels": true, "operations": true, "messages": true, "schemas": true, "securitySchemes": true,
	"servers": true, "scopes": true, "availableScopes": true, "parameters": true, "variables": true,
	"properties": true, "serverVariables": true, "operationTraits": true, "messageTraits": true,
	"replies": true, "replyAddresses": true, "correlationIds": true, "tags": true, "externalDocs": true,
}

// sweepEdits picks, for every kind of key line, the one nearest the middle
// of the document and lists the edits made there.
func sweepEdits(doc []byte, json bool) []sweepEdit {
	type line struct {
		start, end int
		indent     int
		key        string
		path       []string
	}
	var lines []line
	var stack []line
	count := map[string]int{}
	for off := 0; off < len(doc); {
		end := bytes.IndexByte(doc[off:], '\n')
		if end < 0 {
			end = len(doc)
		} else {
			end += off
		}
		l := line{start: off, end: end}
		s := string(doc[off:end])
		var m []string
		if json {
			m = jsonKeyLine.FindStringSubmatch(s)
		} else {
			m = yamlKeyLine.FindStringSubmatch(s)
		}
		if m != nil {
			l.indent = len(m[1])
			if !json && m[2] != "" {
				l.indent += 2
			}
			if json {
				l.key = m[2]
			} else {
				l.key = strings.Trim(m[3], `'"`)
			}
			for len(stack) > 0 && stack[len(stack)-1].indent >= l.indent {
				stack = stack[:len(stack)-1]
			}
			for _, p := range stack {
				l.path = append(l.path, p.key)
			}
			l.path = append(l.path, l.key)
			stack = append(stack, l)
			count[l.key]++
			lines = append(lines, l)
		}
		off = end + 1
	}
	// A key seen at most this often is a name (of a channel, a message, a
	// scheme...), not a keyword of the format.
	names := max(3, len(lines)/2000)
	best := map[string]line{}
	var kinds []string
	for _, l := range lines {
		parts := make([]string, len(l.path))
		for i, k := range l.path {
			parts[i] = k
			if i > 0 && (count[k] <= names || nameMaps[l.path[i-1]]) {
				parts[i] = "*"
			}
		}
		// The root key and the last three keys: deeper paths of the same
		// ending are the same kind of place.
		if len(parts) > 4 {
			parts = append([]string{parts[0], "…"}, parts[len(parts)-3:]...)
		}
		kind := strings.Join(parts, ".")
		b, ok := best[kind]
		if !ok {
			kinds = append(kinds, kind)
		}
		if !ok || distance(l.start, len(doc)/2) < distance(b.start, len(doc)/2) {
			best[kind] = l
		}
	}
	sort.Strings(kinds)
	var out []sweepEdit
	for _, kind := range kinds {
		l := best[kind]
		s := string(doc[l.start:l.end])
		lineNo := bytes.Count(doc[:l.start], []byte("\n")) + 1
		add := func(what string, at, end int, text string) {
			out = append(out, sweepEdit{kind: kind, what: what, line: lineNo, edit: syntax.Edit{Start: at, End: end, Text: text}})
		}
		colon := l.start + strings.Index(s, ":")
		if json {
			colon = l.start + len(jsonKeyLine.FindString(s)) - 1
			for doc[colon] != ':' {
				colon--
			}
		}
		value := colon + 1
		for value < l.end && doc[value] == ' ' {
			value++
		}
		indent := strings.Repeat(" ", l.indent)
		add("end-x", l.end, l.end, "x")
		if json {
			add("key-x", colon-1, colon-1, "x")
			add("quote", value, value, `"`)
			add("colon-del", colon, colon+1, "")
			if l.end > l.start && doc[l.end-1] == ',' {
				add("comma-del", l.end-1, l.end, "")
			}
			add("member-half", l.end, l.end, "\n"+indent+`"x`)
			add("member-colon", l.end, l.end, "\n"+indent+`"x": `)
			continue
		}
		add("quote", value, value, "'")
		add("bracket", value, value, "[")
		add("brace", value, value, "{")
		add("colon-del", colon, colon+1, "")
		add("colon-glued", colon+1, colon+1, "x")
		add("bare-line", l.end, l.end, "\n"+indent+"x")
		add("item-line", l.end, l.end, "\n"+indent+"- ")
	}
	return out
}

func distance(a, b int) int { return max(a-b, b-a) }
