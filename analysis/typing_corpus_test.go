package analysis

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
)

// Typing into real documents: half-typed snippets (an unclosed quote, an
// open flow collection, a key without its colon, a key that repeats a
// sibling, a missing JSON comma) typed keystroke by keystroke on a new
// line after lines of the corpus documents, through Update. At every
// keystroke, no error that the document did not have lies outside the
// lines being typed: a syntax error is reported where the user types, and
// nothing it breaks is reported again elsewhere. At the end of a JSON
// snippet the document has exactly one new error.

var typingSnippetsYAML = []string{
	"summary: 'it''s half", "description: \"unclosed", "tags: [a, b", "x-thing: {a: 1", "newkey",
	"- $ref: '#/comp", "bindings: {kafka: {", "security:\n  - $ref: '#/components/securitySchemes/",
	"scopes: ['a:b', ", "x: [{a: 1}, {b: ", "- name: \"x", "key: value: other", "x: 'a' b",
	"- [a, b", "k: v\n  deeper: 1", "y: *nope",
}

var typingSnippetsJSON = []string{
	`"summary": "half`, `"tags": [1, 2`, `"x": {"a": 1`, `"newkey"`, `"k": `,
	`"security": [{"$ref": "#/comp`, `"a": 1 "b": 2`, `"x": tru`, `"y": [{"a": 1} {"b"`,
}

func TestTypingIntoCorpusKeepsErrorsOnTheTypedLines(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(1))
	trials := testenv.Count(4, 30)
	for _, f := range corpusFiles(t, "") {
		orig, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base := Analyze(orig)
		if base.Tree == nil || !base.IsAsyncAPI {
			continue
		}
		json := base.Tree.IsJSON
		before := map[string]bool{}
		for _, dg := range base.Diagnostics {
			if dg.Severity == syntax.SeverityError {
				before[dg.Code+dg.Message] = true
			}
		}
		lines := strings.SplitAfter(string(orig), "\n")
		offsets := make([]int, len(lines)+1)
		for i, l := range lines {
			offsets[i+1] = offsets[i] + len(l)
		}
		for trial := 0; trial < trials; trial++ {
			li := rng.Intn(len(lines))
			content := strings.TrimRight(lines[li], "\r\n")
			if !typingSpot(json, lines, li) {
				continue
			}
			indent := content[:len(content)-len(strings.TrimLeft(content, " \t"))]
			var sn string
			if json {
				sn = typingSnippetsJSON[rng.Intn(len(typingSnippetsJSON))]
			} else {
				// an item after an item, a key after a key
				item := strings.HasPrefix(strings.TrimSpace(content), "- ")
				for sn == "" || strings.HasPrefix(sn, "- ") != item {
					sn = typingSnippetsYAML[rng.Intn(len(typingSnippetsYAML))]
				}
			}
			typed := "\n" + indent + strings.ReplaceAll(sn, "\n", "\n"+indent)
			at := offsets[li] + len(content)
			where := fmt.Sprintf("%s: after line %d, typing %q", filepath.Base(f), li+1, typed)
			d, text := base, orig
			for k := 0; k < len(typed); k++ {
				e := syntax.Edit{Start: at + k, End: at + k, Text: typed[k : k+1]}
				text = e.Apply(text)
				d = Update(d, []syntax.Edit{e}, text)
				firstLine, lastLine := d.Mapper.Line(at), d.Mapper.Line(at+k+1)
				typedLine := func(off int) bool { l := d.Mapper.Line(off); return l >= firstLine && l <= lastLine }
				if duplicatesTyped(d, typedLine) {
					// the typed key repeats a sibling: the duplicate is
					// reported where the key was there first, and the model
					// reads the first of the two
					continue
				}
				added := 0
				for _, dg := range d.Diagnostics {
					if dg.Severity != syntax.SeverityError || before[dg.Code+dg.Message] {
						continue
					}
					added++
					if !typedLine(dg.Range.Start) {
						l := d.Mapper.Line(dg.Range.Start)
						t.Errorf("%s: after %q, an error on line %d, outside the typed lines %d-%d: %s %s",
							where, typed[:k+1], l+1, firstLine+1, lastLine+1, dg.Code, dg.Message)
						break
					}
				}
				if json && k == len(typed)-1 && added != 1 {
					t.Errorf("%s: %d new errors, want 1", where, added)
				}
			}
		}
	}
}

// typingSpot reports whether a new line may be typed after line li: one
// that ends a block-mapping entry or item with a scalar (YAML: not a key
// whose value follows, not in a block scalar or a flow collection over
// several lines), or a JSON member followed by a comma.
func typingSpot(json bool, lines []string, li int) bool {
	l := strings.TrimRight(lines[li], "\r\n")
	t := strings.TrimSpace(l)
	if !strings.HasSuffix(lines[li], "\n") || t == "" {
		return false
	}
	if json {
		return strings.HasSuffix(t, ",") && strings.HasPrefix(t, "\"") && strings.Contains(t, "\":") // a member, not an item
	}
	if strings.HasPrefix(t, "#") || strings.HasSuffix(t, ":") || strings.ContainsAny(t[len(t)-1:], "|>-[{,") {
		return false
	}
	ind := len(l) - len(strings.TrimLeft(l, " "))
	for _, n := range lines[li+1:] {
		if nt := strings.TrimSpace(n); nt != "" && !strings.HasPrefix(nt, "#") {
			// a key, not an item, goes at the column of the line; a compact
			// sequence's items there would follow it
			nind := len(n) - len(strings.TrimLeft(n, " "))
			if nind > ind || nind == ind && strings.HasPrefix(nt, "- ") != strings.HasPrefix(t, "- ") {
				return false // the line's entry or item goes on below it
			}
			break
		}
	}
	// inside a block scalar or a multi-line flow collection: a line above
	// at a smaller indentation opened it
	for i := li - 1; i >= 0 && ind > 0; i-- {
		p := strings.TrimRight(lines[i], "\r\n")
		pt := strings.TrimSpace(p)
		if pt == "" || strings.HasPrefix(pt, "#") {
			continue
		}
		pind := len(p) - len(strings.TrimLeft(p, " "))
		if pind >= ind {
			continue
		}
		if strings.HasSuffix(pt, "|") || strings.HasSuffix(pt, ">") || strings.HasSuffix(pt, "|-") || strings.HasSuffix(pt, ">-") ||
			strings.HasSuffix(pt, "[") || strings.HasSuffix(pt, "{") || strings.HasSuffix(pt, ",") {
			return false
		}
		ind = pind
	}
	return true
}

// duplicatesTyped reports whether a duplicate-key error involves a typed
// line (as the key or as the one it repeats).
func duplicatesTyped(d *Document, typedLine func(int) bool) bool {
	for _, dg := range d.Diagnostics {
		if syntax.IsDuplicateKey(dg) && (typedLine(dg.Range.Start) || len(dg.Related) > 0 && typedLine(dg.Related[0].Range.Start)) {
			return true
		}
	}
	return false
}
