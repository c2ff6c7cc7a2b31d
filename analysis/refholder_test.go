package analysis

import (
	stdjson "encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
	"gopkg.in/yaml.v3"
)

// refHolderV3 has a $ref at each place a 3.x model object may be a
// Reference: a server, an operation's channel, a channel's servers
// entries and messages, security requirement entries (of a server, an
// operation, a trait), operation traits, a reply's channel, and a scheme
// in components that is one.
const refHolderV3 = `asyncapi: 3.0.0
info:
  title: t
  version: '1'
servers:
  prod:
    host: h
    protocol: kafka
    security:
      - $ref: '#/components/securitySchemes/key'
  alias:
    $ref: '#/components/servers/shared'
channels:
  orders:
    address: orders
    servers:
      - $ref: '#/servers/prod'
    messages:
      placed:
        $ref: '#/components/messages/placed'
  replies:
    address: replies
operations:
  send:
    action: send
    channel:
      $ref: '#/channels/orders'
    security:
      - $ref: '#/components/securitySchemes/oauth'
    traits:
      - $ref: '#/components/operationTraits/audited'
    reply:
      channel:
        $ref: '#/channels/replies'
  recv:
    action: receive
    channel:
      $ref: '#/channels/replies'
components:
  servers:
    shared:
      host: s
      protocol: kafka
  messages:
    placed:
      payload:
        type: string
  securitySchemes:
    key:
      type: httpApiKey
      name: k
      in: header
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://t
          availableScopes:
            a: a
    again:
      $ref: '#/components/securitySchemes/key'
  operationTraits:
    audited:
      security:
        - $ref: '#/components/securitySchemes/again'
`

// refHolderV2 has them where 2.x has them: operation messages and traits,
// message traits, a channel's parameters, a scheme that is a $ref.
const refHolderV2 = `asyncapi: 2.6.0
info:
  title: t
  version: '1'
servers:
  prod:
    url: h
    protocol: kafka
    security:
      - key: []
channels:
  orders:
    subscribe:
      message:
        $ref: '#/components/messages/placed'
      traits:
        - $ref: '#/components/operationTraits/audited'
      security:
        - key: []
    publish:
      message:
        oneOf:
          - $ref: '#/components/messages/placed'
components:
  messages:
    placed:
      payload:
        type: string
      traits:
        - $ref: '#/components/messageTraits/common'
  messageTraits:
    common:
      headers:
        type: object
  operationTraits:
    audited:
      description: d
  securitySchemes:
    key:
      type: httpApiKey
      in: user
    again:
      $ref: '#/components/securitySchemes/key'
`

func toIndentedJSON(t testing.TB, doc string) string {
	var v any
	if err := yaml.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	out, err := stdjson.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// refKeys returns the $ref keys of d's tree, in the order of the text.
func refKeys(d *Document) []*syntax.Node {
	var out []*syntax.Node
	var walk func(n *syntax.Node, depth int)
	walk = func(n *syntax.Node, depth int) {
		if n == nil || n.Kind == syntax.AliasNode || depth > 200 {
			return
		}
		if n.Kind == syntax.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i]; k.Kind == syntax.ScalarNode && k.Value == "$ref" {
					out = append(out, k)
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(d.Root, 0)
	sort.Slice(out, func(i, j int) bool { return d.R(out[i]).Start < d.R(out[j]).Start })
	return out
}

// refKeyEdits returns the edits that break the $ref key k of d (and that
// its fix, the text given back, then undoes): a character typed into the
// key, its colon deleted, a member typed beside it (after its value), and
// its name typed over (`$ref` to `$def`). None when k's colon is not
// where a key line has it.
func refKeyEdits(d *Document, k *syntax.Node) map[string]syntax.Edit {
	text := d.Text
	r := d.R(k)
	nameEnd := r.End
	if text[r.End-1] == '"' || text[r.End-1] == '\'' {
		nameEnd-- // inside the quotes
	}
	colon := r.End
	for colon < len(text) && text[colon] == ' ' {
		colon++
	}
	if colon >= len(text) || text[colon] != ':' {
		return nil
	}
	lineEnd := colon
	for lineEnd < len(text) && text[lineEnd] != '\n' {
		lineEnd++
	}
	lineStart := r.Start
	for lineStart > 0 && text[lineStart-1] != '\n' {
		lineStart--
	}
	indent := strings.Repeat(" ", r.Start-lineStart)
	out := map[string]syntax.Edit{
		"key-x":     {Start: nameEnd, End: nameEnd, Text: "x"},
		"colon-del": {Start: colon, End: colon + 1},
		"key-name":  {Start: nameEnd - 2, End: nameEnd - 1, Text: "d"},
	}
	if !d.Tree.IsJSON {
		if text[r.Start] == '"' || text[r.Start] == '\'' {
			out["key-name"] = syntax.Edit{Start: r.Start + 2, End: r.Start + 3, Text: "d"}
		} else {
			out["key-name"] = syntax.Edit{Start: r.Start + 1, End: r.Start + 2, Text: "d"}
		}
	}
	{
		member := "\n" + indent + "x: 1"
		if d.Tree.IsJSON {
			member = ",\n" + indent + `"x": 1`
			if text[lineEnd-1] == ',' {
				lineEnd--
			}
		}
		out["member"] = syntax.Edit{Start: lineEnd, End: lineEnd, Text: member}
	}
	return out
}

// refKeyCounts counts the updates of breakFixRefKeys: at $refs in units
// (edits, partial of them rebuilt per unit) and at $refs that are a
// unit's own value (a server, a scheme that is a Reference: units,
// unitsPartial), and why the others were built whole ("unit " before the
// latter's).
type refKeyCounts struct {
	edits, partial, units, unitsPartial int
	whys                                map[string]int
}

func (c *refKeyCounts) add(o refKeyCounts) {
	c.edits, c.partial, c.units, c.unitsPartial = c.edits+o.edits, c.partial+o.partial, c.units+o.units, c.unitsPartial+o.unitsPartial
	if c.whys == nil {
		c.whys = map[string]int{}
	}
	for k, v := range o.whys {
		c.whys[k] += v
	}
}

// breakFixRefKeys breaks each $ref key of doc with each of refKeyEdits
// and fixes it again (the inverse edit), each update compared with a cold
// analysis, and counts them. Unless all, the edits take turns: each $ref
// key is broken one way.
func breakFixRefKeys(t *testing.T, doc *Document, all bool) refKeyCounts {
	return breakFixRefKeysEvery(t, doc, all, 1)
}

// breakFixRefKeysEvery is breakFixRefKeys on every stride-th $ref key only
// (one edit kind each, in turn, unless all).
func breakFixRefKeysEvery(t *testing.T, doc *Document, all bool, stride int) (c refKeyCounts) {
	t.Helper()
	c.whys = map[string]int{}
	secMaps := [numSections]*syntax.Node{}
	for sec := range numSections {
		if sec.inVersion(doc.Version) {
			secMaps[sec] = doc.sectionMap(sec).Resolve()
		}
	}
	isUnit := func(k *syntax.Node) bool {
		for _, m := range secMaps {
			if m == nil || m.Kind != syntax.MappingNode {
				continue
			}
			for i := 1; i < len(m.Content); i += 2 {
				if v := m.Content[i].Resolve(); v != nil && v.Kind == syntax.MappingNode && slices.Contains(v.Content, k) {
					return true
				}
			}
		}
		return false
	}
	for j, k := range refKeys(doc) {
		if j%stride != 0 {
			continue
		}
		j /= stride
		es := refKeyEdits(doc, k)
		names := make([]string, 0, len(es))
		for n := range es {
			names = append(names, n)
		}
		sort.Strings(names)
		if !all && len(names) > 0 {
			names = names[j%len(names) : j%len(names)+1]
		}
		unit := isUnit(k)
		for _, n := range names {
			brk := es[n]
			got := checkUpdate(t, doc, []syntax.Edit{brk}, brk.Apply(doc.Text))
			fix := syntax.Edit{Start: brk.Start, End: brk.Start + len(brk.Text), Text: string(doc.Text[brk.Start:brk.End])}
			back := checkUpdate(t, got, []syntax.Edit{fix}, doc.Text)
			for i, d := range []*Document{got, back} {
				reused := d.inc.modelReused && d.inc.path == pathRegion
				switch {
				case unit:
					c.units++
				default:
					c.edits++
				}
				switch {
				case reused && unit:
					c.unitsPartial++
				case reused:
					c.partial++
				default:
					why := fmt.Sprintf("%s %s: %s%s", n, []string{"break", "fix"}[i], d.inc.modelWhy, d.inc.reason)
					if unit {
						why = "unit " + why
					}
					c.whys[why]++
				}
			}
		}
	}
	return c
}

// TestRefKeyBreakFix: at every place a model object may be a Reference,
// in YAML and JSON, 2.x and 3.x, the $ref key typed into, renamed, its
// colon deleted, a member typed beside it, and each given back: the
// object turns from a Reference into an inline one and back, and what
// the other units read through it changes with it. Each update equals a
// cold analysis, and each is a unit rebuild.
func TestRefKeyBreakFix(t *testing.T) {
	for _, c := range []struct{ name, doc string }{
		{"v3", refHolderV3}, {"v2", refHolderV2},
	} {
		for _, json := range []bool{false, true} {
			doc := c.doc
			name := c.name + "-yaml"
			if json {
				doc, name = toIndentedJSON(t, doc), c.name+"-json"
			}
			t.Run(name, func(t *testing.T) {
				d := Analyze([]byte(doc))
				if !d.modelOK {
					t.Fatalf("no model: %v", d.Diagnostics)
				}
				c := breakFixRefKeys(t, d, true)
				t.Logf("%d updates at $refs in units, %d at $refs that are units", c.edits, c.units)
				if c.edits < 30 || c.units < 8 {
					t.Errorf("%d and %d updates: the document lost its $refs", c.edits, c.units)
				}
				// (the $refs that are units: refCover)
				if c.partial != c.edits || c.unitsPartial != c.units {
					t.Errorf("%d of %d and %d of %d updates rebuilt per unit; built whole: %v", c.partial, c.edits, c.unitsPartial, c.units, c.whys)
				}
			})
		}
	}
}

// TestRefKeyBreakFixOnCorpus: the $ref keys of the corpus documents
// broken and fixed as in TestRefKeyBreakFix, each update equal to a cold
// analysis: by default every eighth key with one of its edits each, in
// turn; in CI (testenv.Long) all four edits on every key (11,976 updates,
// 11,819 partial, on session 9's corpus).
func TestRefKeyBreakFixOnCorpus(t *testing.T) {
	t.Parallel()
	long := testenv.Long()
	stride, want := 8, 250
	if long {
		stride, want = 1, 10000
	}
	var all refKeyCounts
	forCorpusModels(t, func(t *testing.T, doc *Document) {
		// The default run takes every eighth $ref key, one edit kind
		// each; CI and ASYNCAPI_LS_LONG=1 every key, every kind.
		all.add(breakFixRefKeysEvery(t, doc, long, stride))
	})
	t.Logf("%d updates at $refs in units, %d with a partial model; %d at $refs that are units, %d with a partial model; built whole: %v", all.edits, all.partial, all.units, all.unitsPartial, all.whys)
	// (session 12, CI: 11,976 of 11,976; 11,947 before)
	if all.edits < want || all.partial*1000 < all.edits*999 {
		t.Errorf("%d updates, %d partial: want at least %d, 99.9%% partial", all.edits, all.partial, want)
	}
	// (session 11: 45 of 48 in CI, an operation that models its channel
	// on the fly built whole; session 12: every one, newChannel)
	if all.units < want/250 || all.unitsPartial < all.units {
		t.Errorf("%d updates at $refs that are units, %d partial: want at least %d, all partial", all.units, all.unitsPartial, want/250)
	}
}

// TestRefHolderRegion: which region re-parses refHolderRegion widens, and
// to which entry: the region's own mapping that holds a $ref (its key
// edited, a member typed beside it), the pairs that bring one back, an
// ancestor that holds one (the outermost), and not an edit of the $ref's
// value alone, an edit far from any $ref, or one whose $ref the root
// holds.
func TestRefHolderRegion(t *testing.T) {
	const doc = `asyncapi: 3.0.0
info:
  title: t
  version: '1'
channels:
  c:
    address: c
operations:
  op:
    action: send
    channel:
      $ref: '#/channels/c'
      x-note:
        deep: 1
    x-other:
      $ref: '#/channels/c'
      x-inner:
        $ref: '#/channels/c'
        y: 1
    x-ref:
      $reff: '#/channels/c'
`
	for _, c := range []struct {
		name      string
		find, ins string   // the text typed after find
		del       int      // bytes deleted after find (before the insertion)
		wantKeys  []string // the keys from the root to the region's entry, after
		cut       int      // levels cut off (below)
	}{
		{"the $ref key typed into", "      $ref", "x", 0, []string{"operations", "op", "channel"}, 1},
		{"the $ref key's colon deleted", "      $ref", "", 1, []string{"operations", "op", "channel"}, 1},
		{"the $ref value edited", "      $ref: '#/channels/c", "x", 0, []string{"operations", "op", "channel", "$ref"}, 0},
		// (a region is at most four levels deep: x-note's entry, x-inner's)
		{"a sibling of the $ref edited", "        deep: 1", "2", 0, []string{"operations", "op", "channel"}, 1},
		{"under two $ref holders: the outermost", "        y: 1", "2", 0, []string{"operations", "op", "x-other"}, 1},
		{"the inner $ref's value edited", "        $ref: '#/channels/c", "x", 0, []string{"operations", "op", "x-other"}, 1},
		{"a key given its $ref name back", "x-ref:\n      $ref", "", 1, []string{"operations", "op", "x-ref"}, 1},
		{"no $ref near", "    action: send", "x", 0, []string{"operations", "op", "action"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := Analyze([]byte(doc))
			at := strings.Index(doc, c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			at += len(c.find)
			e := syntax.Edit{Start: at, End: at + c.del, Text: c.ins}
			u, why := syntax.UpdateTree(prev.Text, prev.Tree, prev.shifts, e, e.Apply(prev.Text))
			if u == nil {
				t.Fatalf("no region re-parse: %s", why)
			}
			levels, pairs, below := refHolderRegion(u.Tree.Docs[0], u.Levels, u.Pairs)
			var keys []string
			for _, l := range levels {
				keys = append(keys, l.Map.Content[2*l.Index].Value)
			}
			if !slices.Equal(keys, c.wantKeys) || len(below) != c.cut {
				t.Fatalf("region %v (%d cut off), want %v (%d)", keys, len(below), c.wantKeys, c.cut)
			}
			if c.cut == 0 {
				if !slices.Equal(pairs, u.Pairs) {
					t.Fatal("the pairs changed, the region did not")
				}
				return
			}
			if len(pairs) != 2 || pairs[0] != levels[len(levels)-1].Map.Content[2*levels[len(levels)-1].Index] || pairs[1] != u.Tree.Docs[0].Key("operations").Key("op").Key(keys[len(keys)-1]) {
				t.Fatalf("pairs %v: want the widened entry of the new tree", pairs)
			}
		})
	} // The root holds a $ref: nothing to widen to (a full build).
	root := Analyze([]byte("$ref: '#/x'\nasyncapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\n"))
	at := strings.Index(string(root.Text), "title: t") + len("title: t")
	e := syntax.Edit{Start: at, End: at, Text: "x"}
	u, why := syntax.UpdateTree(root.Text, root.Tree, root.shifts, e, e.Apply(root.Text))
	if u == nil {
		t.Fatalf("no region re-parse: %s", why)
	}
	if levels, _, below := refHolderRegion(u.Tree.Docs[0], u.Levels, u.Pairs); len(levels) != len(u.Levels) || below != nil {
		t.Fatalf("%d levels (%d cut off), want %d, none cut off", len(levels), len(below), len(u.Levels))
	}
}
