package features

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// hoverDropV3 is analysis' dropsV3 (drops_test.go): operations that
// nothing $refs, whose drop removes their units alone (dropSections).
const hoverDropV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s0: {host: a.example.com, protocol: https, security: [{$ref: '#/components/securitySchemes/k0'}]}
channels:
  c0:
    address: c0
    servers: [{$ref: '#/servers/s0'}]
    messages:
      m: {$ref: '#/components/messages/m'}
  c1: {address: c1, servers: [{$ref: '#/servers/gone'}]}
operations:
  o0:
    action: send
    channel: {$ref: '#/channels/c0'}
    security: [{$ref: '#/components/securitySchemes/k2'}]
    traits: [{$ref: '#/components/operationTraits/t0'}]
  o1:
    action: receive
    channel: {$ref: '#/channels/missing'}
    security: [{type: http, scheme: basic}]
    messages: [{$ref: '#/channels/c0/messages/m'}]
  o2: {action: send, channel: {$ref: '#/channels/c1'}, security: [{$ref: '#/components/securitySchemes/nope'}]}
components:
  securitySchemes:
    k0: {type: httpApiKey, name: k, in: query}
    k1: {type: http, scheme: bearer}
    k2: {type: http, scheme: basic}
  operationTraits:
    t0: {security: [{$ref: '#/components/securitySchemes/k1'}]}
  operations:
    co: {action: send, channel: {$ref: '#/channels/c1'}, security: [{$ref: '#/components/securitySchemes/k1'}]}
  messages:
    m: {payload: {type: string}}
`

// TestHoverAfterSectionDrop: after a section dropped alone (its key line
// broken: the colon deleted, the key renamed) and after its undo, hover
// at every place of the text is what it is on a cold analysis of the
// same text; while the text is broken, but in its broken regions and
// where hover tells the last version that parsed (which a cold analysis
// does not have: brokenNote).
func TestHoverAfterSectionDrop(t *testing.T) {
	doc := []byte(hoverDropV3)
	prev := analysis.Analyze(doc)
	for _, head := range []string{"\noperations", "\n  operations"} {
		at := bytes.Index(doc, []byte(head+":")) + len(head)
		for what, e := range map[string]syntax.Edit{"colon-del": {Start: at, End: at + 1}, "key-x": {Start: at, End: at, Text: "x"}} {
			text := e.Apply(doc)
			got := analysis.Update(prev, []syntax.Edit{e}, text)
			back := analysis.Update(got, []syntax.Edit{{Start: e.Start, End: e.Start + len(e.Text), Text: string(doc[e.Start:e.End])}}, doc)
			for _, c := range []struct {
				step string
				d    *analysis.Document
			}{{"dropped", got}, {"undone", back}} {
				cold := analysis.Analyze(c.d.Text)
				broken := c.d.Tree.BrokenRegions()
				compared := 0
				for off := range len(c.d.Text) + 1 {
					if slices.ContainsFunc(broken, func(r syntax.Range) bool { return r.Start <= off && off <= r.End }) {
						continue
					}
					h, w := HoverAt(c.d, off), HoverAt(cold, off)
					if h != nil && brokenNote(c.d) != "" && strings.HasSuffix(h.Markdown, brokenNote(c.d)) {
						continue
					}
					compared++
					if (h == nil) != (w == nil) || h != nil && *h != *w {
						t.Fatalf("%s %s %s: hover at %d (%q) differs from a cold analysis:\n got %+v\nwant %+v", strings.TrimSpace(head), what, c.step, off, c.d.Text[max(0, off-10):min(len(c.d.Text), off+10)], h, w)
					}
				}
				if compared < len(c.d.Text)/3 {
					t.Errorf("%s %s %s: hover compared at %d places of %d", strings.TrimSpace(head), what, c.step, compared, len(c.d.Text))
				}
			}
		}
	}
}
