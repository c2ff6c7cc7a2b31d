package analysis

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// holderDocs are documents whose every mapping and sequence a $ref may be
// held in: block and flow collections side by side, sequences of
// mappings, empty values before and after a holder, JSON, and nesting
// deeper than any section path.
func holderDocs() map[string]string {
	var deep strings.Builder
	for i := range 80 {
		deep.WriteString(strings.Repeat("  ", i) + "k" + strconv.Itoa(i) + ":\n")
	}
	deep.WriteString(strings.Repeat("  ", 80) + "$ref: '#/x'\n")
	return map[string]string{
		"incV3":   incV3,
		"incV2":   incV2,
		"incJSON": incJSON,
		"deep":    "asyncapi: 3.0.0\n" + deep.String(),
		"sequences": "asyncapi: 3.0.0\nx-a:\n  - e:\n    f: {g: [{h: 1}, {i: }, [{j: {k: 2}}]]}\n  -\n  - - l: m\n    - {}\n" +
			"  - n:\n      o:\n      p: {$ref: '#/x-a/0'}\n",
		"json nested": `{"asyncapi": "3.0.0", "x-a": [{"b": {}}, {"c": [[], {"d": {"$ref": "#/x-a"}}]}], "x-e": {"f": null, "g": {"h": []}}}`,
	}
}

// TestHolderTokensNameTheNode: the path the schema validation is given
// for a $ref's holder (holderTokens, holderPath) leads from the root to
// that very node, and holderOf finds the mapping that holds a key, in a
// cold build and in one updated by an edit after the node (whose ranges
// are read through the shift log).
func TestHolderTokensNameTheNode(t *testing.T) {
	for name, doc := range holderDocs() {
		t.Run(name, func(t *testing.T) {
			cold := Analyze([]byte(doc))
			e := syntax.Edit{Start: len(doc), End: len(doc), Text: "\n"}
			if strings.HasPrefix(doc, "{") {
				e = syntax.Edit{Start: 1, End: 1, Text: " "}
			}
			for _, d := range []*Document{cold, Update(cold, []syntax.Edit{e}, e.Apply(cold.Text))} {
				n := checkHolders(t, d, d.Root, nil, 0)
				if n < 3 {
					t.Fatalf("only %d holders checked", n)
				}
			}
		})
	}
}

// checkHolders checks n and the collections under it (path: the tokens
// that lead to n) and returns how many it checked.
func checkHolders(t *testing.T, d *Document, n *syntax.Node, path []string, count int) int {
	t.Helper()
	if n == nil || n.Kind != syntax.MappingNode && n.Kind != syntax.SequenceNode {
		return count
	}
	if got := d.holderTokens(n); !slices.Equal(got, path) {
		t.Fatalf("holderTokens of the node at %v: %q, want %q", d.R(n), got, path)
	}
	count++
	if n.Kind == syntax.SequenceNode {
		for i, v := range n.Content {
			count = checkHolders(t, d, v, append(path[:len(path):len(path)], strconv.Itoa(i)), count)
		}
		return count
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if got := d.holderOf(n.Content[i]); got != n {
			t.Fatalf("holderOf the key %q at %v: the node at %v, want the one at %v", n.Content[i].Value, d.R(n.Content[i]), holderRange(d, got), d.R(n))
		}
		count = checkHolders(t, d, n.Content[i+1], append(path[:len(path):len(path)], n.Content[i].Value), count)
	}
	return count
}

func holderRange(d *Document, n *syntax.Node) any {
	if n == nil {
		return nil
	}
	return d.R(n)
}

// manySchemes is a 3.x document whose securitySchemes mapping is large
// enough for its keys to be indexed (keyIndex) when $refs resolve into it.
func manySchemes(n int) string {
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers:\n  prod:\n    host: h\n    protocol: https\n" +
		"    security:\n      - $ref: '#/components/securitySchemes/s17'\n      - $ref: '#/components/securitySchemes/s3'\n" +
		"components:\n  securitySchemes:\n")
	for i := range n {
		fmt.Fprintf(&b, "    s%d:\n      type: httpApiKey\n      name: k\n      in: header\n      description: d%d\n", i, i)
	}
	return b.String()
}

// TestUnitRebuildSharesKeyIndexes: an edit inside one entry of a large
// mapping path-copies the mappings above it, whose keys stay where they
// were: the new copies take over their key indexes (no $ref resolution
// indexes their keys again), while a mapping whose keys the edit changed
// does not keep a stale one (the renamed scheme is found under its new
// name only).
func TestUnitRebuildSharesKeyIndexes(t *testing.T) {
	doc := manySchemes(20)
	schemes := func(d *Document) *syntax.Node { return d.Root.Key("components").Key("securitySchemes") }
	for _, c := range []struct {
		name, find, ins string
		off, del        int
		shared          bool
	}{
		{"description of a scheme", "description: d5\n", "x", 15, 0, true},
		{"scheme renamed", "    s17:\n", "x", 7, 0, false},
		{"scheme renamed as another was", "    s16:\n", "", 6, 1, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := Analyze([]byte(doc))
			if _, ok := prev.keyIdx[schemes(prev)]; !ok {
				t.Fatal("the securitySchemes mapping has no key index after a cold build")
			}
			at := strings.Index(doc, c.find) + c.off
			e := syntax.Edit{Start: at, End: at + c.del, Text: c.ins}
			got := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if !got.inc.modelReused {
				t.Fatalf("the model was built whole: %q", got.inc.modelWhy)
			}
			if schemes(got) == schemes(prev) {
				t.Fatal("the securitySchemes mapping was not path-copied")
			}
			old, now := prev.keyIdx[schemes(prev)], got.keyIdx[schemes(got)]
			if shared := now != nil && reflect.ValueOf(now).Pointer() == reflect.ValueOf(old).Pointer(); shared != c.shared {
				t.Fatalf("key index shared: %v, want %v", shared, c.shared)
			}
			if _, ok := got.keyIdx[schemes(prev)]; ok {
				t.Fatal("the previous version's mapping, not in the new tree, keeps its key index")
			}
		})
	}
}

// TestUnitRebuildRefIntoFileAndBack: a message $refs a root entry whose
// own $ref is edited from a local target to another file's node and back.
// Each edit rebuilds part of the model; the message's $ref, resolved
// again, is validated as that file's content while it leads there (a
// message with a `type` field: a schema problem), and afterwards names no
// file any more (a bug before: it kept the file of its earlier resolution,
// which navigation reads). Through a scheme of another file, which a kept
// unit's $ref may not land on, the first edit builds the model whole.
func TestUnitRebuildRefIntoFileAndBack(t *testing.T) {
	opts := filesWorkspace(t)
	doc := strings.Replace(filesMain, "        $ref: 'shared/messages.yaml#/missing'\n", "        $ref: '#/x-alias'\n", 1) +
		"x-alias: {$ref: '#/x-local'}\nx-local: {name: n}\n"
	problem := func(d *Document) bool {
		for _, dg := range d.Diagnostics {
			if dg.Code == CodeSchemaUnknownProperty && strings.Contains(dg.Message, "`type` in message") {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		target    string
		intoFirst bool // the first edit rebuilds part of the model
	}{{"shared/messages.yaml#/placed/payload", true}, {"shared/schemes.yaml#/oauth", false}} {
		t.Run(c.target, func(t *testing.T) {
			prev := checkUpdateWith(t, Seed(opts), nil, []byte(doc))
			at := strings.LastIndex(doc, "'#/x-local'") + 1
			for i, e := range []syntax.Edit{{Start: at, End: at + len("#/x-local"), Text: c.target}, {Start: at, End: at + len(c.target), Text: "#/x-local"}} {
				prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				if reused := prev.inc.modelReused; reused != (i == 1 || c.intoFirst) {
					t.Fatalf("edit %d: the model partly rebuilt %v (%q)", i, reused, prev.inc.modelWhy)
				}
				if got := problem(prev); got != (i == 0) {
					t.Fatalf("edit %d: the schema problem of the message from another file %v", i, got)
				}
				var file string
				for _, r := range prev.Refs {
					if r.Target == "#/x-alias" {
						file = r.File
					}
				}
				if want, _, _ := strings.Cut(c.target, "#"); i == 1 && file != "" || i == 0 && !strings.HasSuffix(file, want) {
					t.Fatalf("edit %d: the message's $ref names the file %q", i, file)
				}
			}
		})
	}
}
