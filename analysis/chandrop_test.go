package analysis

import (
	"bytes"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// chanV3 is a 3.0 document whose root operations $ref their channels and
// their channels' messages: servers with security (one cleartext, one
// open), channels with servers lists (two servers, an undefined one, a
// duplicate, none at all, a list that is no list), messages that $ref
// components; operations on them with a reply channel, component and
// inline schemes, a trait, a channel that does not resolve, no security
// (inconsistent servers), an empty override, cleartext credentials.
const chanV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  s0: {host: a.example.com, protocol: https, security: [{$ref: '#/components/securitySchemes/k0'}]}
  s1: {host: b.example.com, protocol: ws}
channels:
  c0:
    address: c0
    servers: [{$ref: '#/servers/s0'}, {$ref: '#/servers/s1'}]
    messages:
      m: {$ref: '#/components/messages/m'}
  c1: {address: c1, servers: [{$ref: '#/servers/gone'}, {$ref: '#/servers/s1'}, {$ref: '#/servers/s1'}]}
  c2: {address: c2, messages: {n: {payload: {type: string}}}}
  c3: {address: c3, servers: {$ref: '#/servers/s0'}}
operations:
  o0:
    action: send
    channel: {$ref: '#/channels/c0'}
    messages: [{$ref: '#/channels/c0/messages/m'}]
    reply: {channel: {$ref: '#/channels/c2'}, messages: [{$ref: '#/channels/c2/messages/n'}]}
    traits: [{$ref: '#/components/operationTraits/t0'}]
  o1:
    action: receive
    channel: {$ref: '#/channels/c1'}
    security: [{type: http, scheme: basic}]
  o2: {action: send, channel: {$ref: '#/channels/c2'}, security: [{$ref: '#/components/securitySchemes/k2'}]}
  o3: {action: send, channel: {$ref: '#/channels/missing'}, security: [{$ref: '#/components/securitySchemes/nope'}]}
  o4: {action: send, channel: {$ref: '#/channels/c0'}, security: []}
  o5: {action: receive, channel: {$ref: '#/channels/c3'}}
components:
  securitySchemes:
    k0: {type: httpApiKey, name: k, in: query}
    k1: {type: http, scheme: bearer}
    k2: {type: http, scheme: basic}
  operationTraits:
    t0: {security: [{$ref: '#/components/securitySchemes/k1'}]}
  messages:
    m: {payload: {type: string}}
`

// TestChannelsSwapped: the root channels of a 3.x document dropped as a
// block (the `channels` key line broken: its colon deleted, text, a quote
// or a bracket after it, a list item below it, its key renamed; in JSON a
// member typed after its '{') and given back are the channels alone,
// dropped or built, with the operations on them swapped (chanBlock),
// neither rebuilt nor relinked: each step equal to a cold analysis; then,
// from the swapped model, an operation's channel $ref edited and a
// channel renamed (the $refs found by the index by target, which must
// know the $refs the block resolved again). The near misses take the
// paths before (none swapped): a component operation, a component
// message or a trait that $refs into the channels, a channel that is a
// $ref, an operation that is a $ref, an alias; given back, an operation
// with no channel (its audit reads the servers, re-parsed with the
// channels). 3.0 and the wide shape, YAML and JSON.
func TestChannelsSwapped(t *testing.T) {
	t.Parallel()
	type edit struct {
		what     string
		off, del int // from the section key's colon
		ins      string
	}
	yamlEdits := []edit{{"colon-del", 0, 1, ""}, {"end-x", 1, 0, "x"}, {"quote", 1, 0, " '"}, {"bracket", 1, 0, " ["}, {"item-line", 1, 0, "\n- "}, {"key-x", -1, 0, "x"}}
	jsonEdits := []edit{{"colon-del", 0, 1, ""}, {"quote", 1, 0, ` "`}, {"key-x", -1, 0, "x"}, {"member-colon", 3, 0, "\n    \"x\": "}}
	replace := func(t *testing.T, doc, old, new string) string {
		t.Helper()
		out := strings.Replace(doc, old, new, 1)
		if out == doc {
			t.Fatalf("no %q", old)
		}
		return out
	}
	gen := func(shape docgen.Shape, json bool) string { return string(genSmall(shape, json)(t)) }
	ch, ops, srv := strings.Index(chanV3, "channels:\n"), strings.Index(chanV3, "operations:\n"), strings.Index(chanV3, "servers:\n")
	channelsFirst := chanV3[:srv] + chanV3[ch:ops] + chanV3[srv:ch] + chanV3[ops:]
	comp := strings.Index(chanV3, "components:\n")
	channelsLast := chanV3[:ch] + chanV3[ops:comp] + chanV3[ch:ops] + chanV3[comp:]
	const (
		no          = iota // the paths before: none swapped, both steps partial
		noBackWhole        // none swapped; given back, built whole
		noAlias            // none swapped (built whole or not: the document has an alias)
		drop               // swapped when dropped; given back with the servers re-parsed (the colon typed back after them), on the paths before
		both               // swapped both ways
		secondKey          // both, or built whole when the first key goes (its colon deleted, its key renamed)
	)
	cases := []struct {
		name string
		doc  string
		json bool
		want int
	}{
		{"v3", chanV3, false, both},
		{"v3 json", chanV3, true, both},
		// the channels first: given back alone, not after the servers
		{"v3 channels first", channelsFirst, false, both},
		// after the operations: given back with them re-parsed, on the
		// paths before
		{"v3 channels after the operations", channelsLast, false, drop},
		// o6 has no channel: it runs on every server
		{"v3 an operation on every server", replace(t, chanV3, "  o5:", "  o6: {action: send}\n  o5:"), false, drop},
		{"gen v3", gen(docgen.ShapeV3, false), false, both},
		{"gen v3 json", gen(docgen.ShapeV3, true), true, both},
		{"gen wide", gen(docgen.ShapeWide, false), false, both},
		{"gen wide json", gen(docgen.ShapeWide, true), true, both},
		{"component operation", replace(t, chanV3, "  messages:\n    m:", "  operations:\n    co: {action: send, channel: {$ref: '#/channels/c1'}}\n  messages:\n    m:"), false, no},
		{"component message", replace(t, chanV3, "    m: {payload: {type: string}}", "    m: {payload: {type: string}}\n    m2: {$ref: '#/channels/c2/messages/n'}"), false, no},
		// (given back: built whole by the general path, whose rebuilt unit is a $ref)
		{"trait", replace(t, chanV3, "    t0: {security:", "    t1: {$ref: '#/channels/c2/messages/n'}\n    t0: {security:"), false, noBackWhole},
		{"security entry", replace(t, chanV3, "security: [{type: http, scheme: basic}]", "security: [{type: http, scheme: basic}, {$ref: '#/channels/c2/messages/n/payload'}]"), false, no},
		{"a channel that is a $ref", replace(t, replace(t, chanV3, "  c2: {address: c2,", "  c2: {$ref: '#/components/channels/cc'}\n  c9: {address: c2,"), "  messages:\n    m:", "  channels:\n    cc: {address: cc}\n  messages:\n    m:"), false, no},
		{"an operation that is a $ref", replace(t, replace(t, chanV3, "  o5:", "  o6: {$ref: '#/components/operations/co'}\n  o5:"), "  messages:\n    m:", "  operations:\n    co: {action: send, channel: {$ref: '#/channels/c1'}}\n  messages:\n    m:"), false, no},
		// (built whole, but given back where the alias is in the region)
		// o6 is a $ref to a mapping in a channel: dropped, it is read
		// no more (given back: built whole by the general path)
		{"an operation that is a $ref into the channels", replace(t, replace(t, chanV3, "  c2: {address: c2,", "  c2: {address: c2, x-op: {action: send, channel: {$ref: '#/channels/c0'}},"), "  o5:", "  o6: {$ref: '#/channels/c2/x-op'}\n  o5:"), false, noBackWhole},
		// an operation's trait $refs into a channel: an inline trait of it
		// (given back: built whole by the general path)
		{"an operation's trait", replace(t, chanV3, "  o5: {action: receive,", "  o5: {traits: [{$ref: '#/channels/c2/messages/n'}], action: receive,"), false, noBackWhole},
		// a second channels key, which build reads once the first goes
		// (its colon deleted, its key renamed: built whole); with text
		// after it, the first stays, empty: swapped
		{"a second channels key", replace(t, chanV3, "operations:\n", "channels:\n  c9: {address: c9}\noperations:\n"), false, secondKey},
		// operations that merge entries in
		{"operations that merge", replace(t, chanV3, "  o5:", "  <<: {o7: {action: send, channel: {$ref: '#/channels/c0'}}}\n  o5:"), false, no},
		// a root server that is a $ref (given back after the servers)
		{"a server that is a $ref", replace(t, replace(t, chanV3, "  s1: {host: b.example.com, protocol: ws}", "  s1: {$ref: '#/components/servers/cs'}"), "  messages:\n    m:", "  servers:\n    cs: {host: b.example.com, protocol: ws}\n  messages:\n    m:"), false, drop},
		// an operation on a component channel, modelled on the fly with
		// the root servers (given back after the servers)
		{"an operation on a component channel", replace(t, replace(t, chanV3, "  o5:", "  o6: {action: send, channel: {$ref: '#/components/channels/cc'}}\n  o5:"), "  messages:\n    m:", "  channels:\n    cc: {address: cc, servers: [{$ref: '#/servers/s1'}]}\n  messages:\n    m:"), false, drop},
		// o0's channel $ref aliased by o4
		{"an aliased channel $ref", replace(t, replace(t, chanV3, "    channel: {$ref: '#/channels/c0'}\n    messages:", "    channel: &ch {$ref: '#/channels/c0'}\n    messages:"), "  o4: {action: send, channel: {$ref: '#/channels/c0'}", "  o4: {action: send, channel: *ch"), false, noAlias},
		{"an alias", replace(t, replace(t, chanV3, "  c2: {address: c2,", "  c2: &c2 {address: c2,"), "  o5:", "  o6: {action: send, channel: {$ref: '#/channels/c2'}, bindings: *c2}\n  o5:"), false, noAlias},
	}
	for _, c := range cases {
		doc := []byte(c.doc)
		if c.json && !strings.HasPrefix(c.doc, "{") {
			var err error
			if doc, err = docgen.ToJSON(doc); err != nil {
				t.Fatal(err)
			}
		}
		head := "\nchannels:"
		edits := yamlEdits
		if c.json {
			head, edits = "\n  \"channels\":", jsonEdits
		}
		for _, e := range edits {
			t.Run(c.name+"/"+e.what, func(t *testing.T) {
				t.Parallel()
				at := bytes.Index(doc, []byte(head))
				if at < 0 {
					t.Fatalf("no %q", head)
				}
				colon := at + len(head) - 1
				ed := syntax.Edit{Start: colon + e.off, End: colon + e.off + e.del, Text: e.ins}
				prev := Analyze(doc)
				got := checkUpdate(t, prev, []syntax.Edit{ed}, ed.Apply(doc))
				back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
				t.Logf("dropped: %d units, %d swapped, %d dropped (%s); back: %d units, %d swapped (%s)", got.inc.units, got.inc.chanSwapped, got.inc.dropped, got.inc.modelWhy, back.inc.units, back.inc.chanSwapped, back.inc.modelWhy)
				if e.what == "member-colon" && got.inc.chanSwapped == 0 {
					// the section kept its entries after "x": replaced
					// (sectionReplaced), on the general path
					return
				}
				channels := len(prev.runs[secChannels])
				want := c.want
				if want == drop && e.what != "colon-del" {
					want = both // (given back alone: the servers are not re-parsed)
				}
				if want == secondKey {
					if e.what == "colon-del" || e.what == "key-x" {
						if got.inc.modelReused || back.inc.modelReused {
							t.Errorf("partial model %v (%q), back %v (%q); want built whole: the second key is read", got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy)
						}
						return
					}
					want = both
				}
				switch {
				case c.want <= noAlias && (got.inc.chanSwapped != 0 || back.inc.chanSwapped != 0):
					t.Errorf("%d operations swapped, back %d; want none", got.inc.chanSwapped, back.inc.chanSwapped)
				case c.want < noAlias && (!got.inc.modelReused || back.inc.modelReused != (c.want != noBackWhole)):
					t.Errorf("partial model %v (%q), back %v (%q); the paths before: true, %v", got.inc.modelReused, got.inc.modelWhy, back.inc.modelReused, back.inc.modelWhy, c.want != noBackWhole)
				case want > noAlias && (!got.inc.modelReused || got.inc.chanSwapped == 0 || got.inc.dropped != channels):
					t.Errorf("partial model %v (%q), %d operations swapped, %d units dropped; want the %d channels dropped, the operations swapped", got.inc.modelReused, got.inc.modelWhy, got.inc.chanSwapped, got.inc.dropped, channels)
				case want == drop && back.inc.chanSwapped != 0:
					t.Errorf("given back: %d operations swapped, want none", back.inc.chanSwapped)
				case want == both && (!back.inc.modelReused || back.inc.chanSwapped == 0 || len(back.Channels) != channels):
					t.Errorf("given back: partial model %v (%q), %d operations swapped, %d channels; want the %d channels built, the operations swapped", back.inc.modelReused, back.inc.modelWhy, back.inc.chanSwapped, len(back.Channels), channels)
				}
				if want > noAlias && got.inc.chanSwapped > 0 && (got.inc.relinked != 0 || got.inc.copied != 0 || got.inc.units != got.inc.dropped+got.inc.chanSwapped) {
					t.Errorf("%d units, %d relinked, %d copied; want only the %d dropped and the %d swapped", got.inc.units, got.inc.relinked, got.inc.copied, got.inc.dropped, got.inc.chanSwapped)
				}
				// From the swapped models: an operation's channel $ref
				// edited, a channel renamed, and undone.
				if r := bytes.Index(got.Text, []byte("#/channels/")); r >= 0 {
					at := r + len("#/channels/")
					ren := syntax.Edit{Start: at, End: at, Text: "x"}
					next := checkUpdate(t, got, []syntax.Edit{ren}, ren.Apply(got.Text))
					checkUpdate(t, next, []syntax.Edit{editBetween(next.Text, got.Text)}, got.Text)
				}
				if len(back.Channels) > 0 {
					k := back.R(back.Channels[len(back.Channels)/2].Key)
					ren := syntax.Edit{Start: k.End, End: k.End, Text: "x"}
					if c.json {
						ren.Start, ren.End = k.End-1, k.End-1
					}
					next := checkUpdate(t, back, []syntax.Edit{ren}, ren.Apply(back.Text))
					checkUpdate(t, next, []syntax.Edit{editBetween(next.Text, back.Text)}, back.Text)
				}
				// a server renamed: the channels' $refs to it, built with
				// them, found by the index by target
				if len(back.Servers) > 0 && back.Servers[0].Key != nil {
					k := back.R(back.Servers[0].Key)
					ren := syntax.Edit{Start: k.End, End: k.End, Text: "x"}
					if c.json {
						ren.Start, ren.End = k.End-1, k.End-1
					}
					next := checkUpdate(t, back, []syntax.Edit{ren}, ren.Apply(back.Text))
					checkUpdate(t, next, []syntax.Edit{editBetween(next.Text, back.Text)}, back.Text)
				}
			})
		}
	}
}

// TestChannelsSwappedFiles: a document whose channels read another file,
// or that another file $refs into, takes the paths before (none
// swapped): each step equal to a cold analysis.
func TestChannelsSwappedFiles(t *testing.T) {
	t.Parallel()
	opts := writeWorkspace(t, map[string]string{
		"other.yaml": "m:\n  payload: {type: string}\nback:\n  $ref: 'api.yaml#/channels/c0'\n",
	})
	for _, c := range []struct{ what, doc string }{
		{"a channel's message in the other file", strings.Replace(chanV3, "m: {$ref: '#/components/messages/m'}", "m: {$ref: 'other.yaml#/m'}", 1)},
		{"the other file $refs a channel back", strings.Replace(chanV3, "    m: {payload: {type: string}}", "    m: {payload: {type: string}}\n    b: {$ref: 'other.yaml#/back'}", 1)},
	} {
		if c.doc == chanV3 {
			t.Fatalf("%s: the replacement missed", c.what)
		}
		doc := []byte(c.doc)
		prev := AnalyzeWith(doc, opts)
		at := bytes.Index(doc, []byte("\nchannels:")) + len("\nchannels")
		brk := syntax.Edit{Start: at, End: at + 1}
		got := checkUpdateWith(t, prev, []syntax.Edit{brk}, brk.Apply(doc))
		back := checkUpdateWith(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
		if got.inc.chanSwapped != 0 || back.inc.chanSwapped != 0 {
			t.Errorf("%s: %d operations swapped, back %d; want none (other files)", c.what, got.inc.chanSwapped, back.inc.chanSwapped)
		}
	}
}

// TestChannelsSwappedFindings: after the drop, a swapped operation says
// what a cold analysis says: its channel's $ref and its messages' do not
// resolve, and its audits, which read the channel's servers, are gone (its
// servers are unknown); given back, they are made again.
func TestChannelsSwappedFindings(t *testing.T) {
	t.Parallel()
	doc := []byte(chanV3)
	prev := Analyze(doc)
	codes := func(d *Document, code string) int {
		n := 0
		for _, dg := range d.Diagnostics {
			if dg.Code == code {
				n++
			}
		}
		return n
	}
	for _, code := range []string{CodeInsecureTransport, CodeInconsistentServers, CodeEmptyOverride, CodeChannelServerUndefined, CodeChannelServerDuplicate} {
		if codes(prev, code) == 0 {
			t.Fatalf("no %s finding in the document", code)
		}
	}
	at := bytes.Index(doc, []byte("\nchannels:")) + len("\nchannels")
	brk := syntax.Edit{Start: at, End: at + 1}
	got := checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(doc))
	if got.inc.chanSwapped != len(prev.Operations) {
		t.Fatalf("%d operations swapped, want all %d", got.inc.chanSwapped, len(prev.Operations))
	}
	for _, code := range []string{CodeInconsistentServers, CodeEmptyOverride, CodeChannelServerUndefined, CodeChannelServerDuplicate} {
		if n := codes(got, code); n != 0 {
			t.Errorf("dropped: %d %s findings, want none", n, code)
		}
	}
	for _, op := range got.Operations {
		if op.Channel != nil || op.ChannelProblem != ProblemUnresolved {
			t.Errorf("dropped: operation %s on channel %v (%q), want none, unresolved", op.Name, op.Channel, op.ChannelProblem)
		}
	}
	back := checkUpdate(t, got, []syntax.Edit{editBetween(got.Text, doc)}, doc)
	for _, code := range []string{CodeInsecureTransport, CodeInconsistentServers, CodeEmptyOverride, CodeChannelServerUndefined, CodeChannelServerDuplicate} {
		if codes(back, code) != codes(prev, code) {
			t.Errorf("given back: %d %s findings, want %d", codes(back, code), code, codes(prev, code))
		}
	}
	for i, op := range back.Operations {
		if (op.Channel == nil) != (prev.Operations[i].Channel == nil) || op.Channel != nil && op.Channel.Name != prev.Operations[i].Channel.Name {
			t.Errorf("given back: operation %s on %v, want %v", op.Name, op.Channel, prev.Operations[i].Channel)
		}
	}
}

// TestChannelsSwappedBound: the path is bound by maxDrop (the units
// dropped or given back, with the servers rebuilt with them), not by
// maxBlock; past it the general path and its bound decide.
func TestChannelsSwappedBound(t *testing.T) {
	defer saveBlockBounds()()
	doc := []byte(chanV3)
	prev := Analyze(doc)
	at := bytes.Index(doc, []byte("\nchannels:")) + len("\nchannels")
	brk := syntax.Edit{Start: at, End: at + 1}
	channels := len(prev.runs[secChannels])
	for _, c := range []struct {
		drop, block int
		swapped     bool
	}{{channels, 0, true}, {channels - 1, 1000, false}} {
		maxDrop = func(int) int { return c.drop }
		maxBlock = func(int) int { return c.block }
		got := checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(doc))
		if (got.inc.chanSwapped > 0) != c.swapped || !got.inc.modelReused {
			t.Errorf("maxDrop %d, maxBlock %d: partial %v (%q), %d swapped; want swapped %v", c.drop, c.block, got.inc.modelReused, got.inc.modelWhy, got.inc.chanSwapped, c.swapped)
		}
	}
	// Given back (after the servers: with them), the channels and the
	// servers count.
	broken := Analyze(brk.Apply(doc))
	units := channels + len(prev.runs[secServers])
	for _, c := range []struct {
		drop, block int
		swapped     bool
	}{{units, 0, true}, {units - 1, 1000, false}} {
		maxDrop = func(int) int { return c.drop }
		maxBlock = func(int) int { return c.block }
		got := checkUpdate(t, broken, []syntax.Edit{editBetween(broken.Text, doc)}, doc)
		if (got.inc.chanSwapped > 0) != c.swapped || !got.inc.modelReused {
			t.Errorf("given back, maxDrop %d, maxBlock %d: partial %v (%q), %d swapped; want swapped %v", c.drop, c.block, got.inc.modelReused, got.inc.modelWhy, got.inc.chanSwapped, c.swapped)
		}
	}
}
