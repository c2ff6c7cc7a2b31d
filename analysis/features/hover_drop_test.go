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

// hoverSchemesDropV3 is analysis' compDropV3 (compdrop_test.go) without
// its traits: component schemes named by servers and operations, which
// their drop removes alone, the readers kept (compdrop.go).
const hoverSchemesDropV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s0: {host: a.example.com, protocol: mqtt, security: [{$ref: '#/components/securitySchemes/k0'}]}
  s1: {host: b.example.com, protocol: mqtts, security: [{$ref: '#/components/securitySchemes/nope'}]}
  s2: {host: c.example.com, protocol: mqtts}
channels:
  c0:
    address: c0
    messages:
      m: {$ref: '#/components/messages/m'}
operations:
  o0:
    action: send
    channel: {$ref: '#/channels/c0'}
    security: [{$ref: '#/components/securitySchemes/k1'}, {type: http, scheme: basic}]
    messages: [{$ref: '#/channels/c0/messages/m'}]
  o1:
    action: receive
    channel: {$ref: '#/channels/c0'}
    security: [{$ref: '#/components/securitySchemes/k2'}]
  o2: {action: send, channel: {$ref: '#/channels/c0'}, security: [{$ref: '#/components/securitySchemes/k2'}, {$ref: '#/components/messages/m'}]}
  o3: {action: send, channel: {$ref: '#/channels/c0'}, security: []}
components:
  securitySchemes:
    k0: {type: httpApiKey, name: k, in: query}
    k1: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a.example.com/t', availableScopes: {r: read}}}, scopes: [r, w]}
    k2: {type: http, scheme: basic}
    unused: {type: http, scheme: bearer}
  messages:
    m: {payload: {type: string}}
`

// hoverSchemesDropV2 is analysis' compDropV2 without its traits.
const hoverSchemesDropV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  s0: {url: 'mqtt://a.example.com', protocol: mqtt, security: [{k0: []}]}
channels:
  c0:
    servers: [s0]
    publish:
      operationId: p0
      security: [{k1: [r, w]}]
      message: {$ref: '#/components/messages/m'}
  c1:
    subscribe: {operationId: s1, security: [{nope: []}, {k2: [x]}]}
components:
  securitySchemes:
    k0: {type: userPassword}
    k1: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a.example.com/t', scopes: {r: read}}}}
    k2: {type: http, scheme: basic}
  messages:
    m: {payload: {type: string}}
`

// TestHoverAfterSchemesDrop: after the component schemes dropped (the
// securitySchemes or the components key renamed, its colon deleted, text
// after it) and given back, hover at every place is what it is on a cold
// analysis of the same text (but in the broken regions, and where hover
// tells the last version that parsed); with the key renamed (no syntax
// error) an operation's effective security shows its schemes undefined,
// and given back, defined again.
func TestHoverAfterSchemesDrop(t *testing.T) {
	for name, src := range map[string]string{"v3": hoverSchemesDropV3, "v2": hoverSchemesDropV2} {
		doc := []byte(src)
		prev := analysis.Analyze(doc)
		op := bytes.Index(doc, []byte("o1:"))
		if name == "v2" {
			op = bytes.Index(doc, []byte("publish:"))
		}
		before := HoverAt(prev, op)
		if before == nil {
			t.Fatalf("%s: no hover at the operation", name)
		}
		for _, head := range []string{"\ncomponents", "\n  securitySchemes"} {
			at := bytes.Index(doc, []byte(head+":")) + len(head)
			for what, e := range map[string]syntax.Edit{"colon-del": {Start: at, End: at + 1}, "key-x": {Start: at, End: at, Text: "x"}, "end-x": {Start: at + 1, End: at + 1, Text: "x"}} {
				text := e.Apply(doc)
				got := analysis.Update(prev, []syntax.Edit{e}, text)
				back := analysis.Update(got, []syntax.Edit{{Start: e.Start, End: e.Start + len(e.Text), Text: string(doc[e.Start:e.End])}}, doc)
				where := name + " " + strings.TrimSpace(head) + " " + what
				if h := HoverAt(back, op); h == nil || *h != *before {
					t.Errorf("%s undone: hover at the operation %+v, want %+v", where, h, before)
				}
				if what == "key-x" {
					if h := HoverAt(got, op); h == nil || h.Markdown == before.Markdown || !strings.Contains(h.Markdown, "undefined") && !strings.Contains(h.Markdown, "not defined") {
						t.Errorf("%s: hover at the operation after the drop does not show its scheme undefined:\n%+v", where, h)
					}
				}
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
							t.Fatalf("%s %s: hover at %d (%q) differs from a cold analysis:\n got %+v\nwant %+v", where, c.step, off, c.d.Text[max(0, off-10):min(len(c.d.Text), off+10)], h, w)
						}
					}
					if compared < len(c.d.Text)/4 { // (components is a large part of the text)
						t.Errorf("%s %s: hover compared at %d places of %d", where, c.step, compared, len(c.d.Text))
					}
				}
			}
		}
	}
}
