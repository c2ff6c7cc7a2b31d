package analysis

// Tests of the root channels of a 3.x document dropped or given back
// (chandrop.go), each named by the rule it specifies: what the path
// remakes, when it gives way to a full build or to the paths before, and
// how much it does (session 17, branch mutchan: each kills a mutant of
// chandrop.go that lived before).

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// chanDoc is chanV3 with each old string of pairs replaced by the new one
// after it.
func chanDoc(t *testing.T, pairs ...string) string {
	t.Helper()
	doc := chanV3
	for i := 0; i < len(pairs); i += 2 {
		out := strings.Replace(doc, pairs[i], pairs[i+1], 1)
		if out == doc {
			t.Fatalf("no %q", pairs[i])
		}
		doc = out
	}
	return doc
}

// chanBreak is the root channels' key line broken: its colon deleted
// (given back, the colon is typed back after the servers, which are
// re-parsed with the channels) or an x typed after it (given back alone).
func chanBreak(t *testing.T, text []byte, colonDel bool) syntax.Edit {
	t.Helper()
	at := bytes.Index(text, []byte("\nchannels:"))
	if at < 0 {
		t.Fatalf("no channels key in\n%s", text)
	}
	colon := at + len("\nchannels")
	if colonDel {
		return syntax.Edit{Start: colon, End: colon + 1}
	}
	return syntax.Edit{Start: colon + 1, End: colon + 1, Text: "x"}
}

// chanRoundTrip analyses doc, breaks its channels' key line and fixes it
// again, each step checked against a cold analysis.
func chanRoundTrip(t *testing.T, doc string, colonDel bool) (prev, dropped, back *Document) {
	t.Helper()
	prev = Analyze([]byte(doc))
	brk := chanBreak(t, prev.Text, colonDel)
	dropped = checkUpdate(t, prev, []syntax.Edit{brk}, brk.Apply(prev.Text))
	back = checkUpdate(t, dropped, []syntax.Edit{editBetween(dropped.Text, prev.Text)}, prev.Text)
	return prev, dropped, back
}

// swappedAll reports why d is not the channels path's partial model with
// n operations swapped ("" when it is).
func swappedAll(d *Document, n int) string {
	if !d.inc.modelReused || d.inc.chanSwapped != n {
		return fmt.Sprintf("partial %v (%q), %d operations swapped; want %d swapped", d.inc.modelReused, d.inc.modelWhy, d.inc.chanSwapped, n)
	}
	return ""
}

// codeCount is how many of d's diagnostics have code.
func codeCount(d *Document, code string) int {
	n := 0
	for _, dg := range d.Diagnostics {
		if dg.Code == code {
			n++
		}
	}
	return n
}

// TestChannelsGivenBackRemakesRootAndServerFindings: the channels given
// back after the servers (the colon typed back: the servers re-parsed
// with them and built) report what a cold analysis does of the document
// as a whole: the root-level security (made again for every version, as
// the root is) and a server's cleartext credentials (its audit, run for
// the servers built).
func TestChannelsGivenBackRemakesRootAndServerFindings(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "servers:\n", "security: [{basic: []}]\nservers:\n",
		"  s1: {host: b.example.com, protocol: ws}", "  s1: {host: b.example.com, protocol: ws, security: [{$ref: '#/components/securitySchemes/k2'}]}")
	prev, dropped, back := chanRoundTrip(t, doc, true)
	for _, d := range []*Document{dropped, back} {
		if why := swappedAll(d, len(prev.Operations)); why != "" {
			t.Fatal(why)
		}
	}
	if codeCount(back, CodeSecurityRootLevel) != 1 || codeCount(back, CodeInsecureTransport) != codeCount(prev, CodeInsecureTransport) {
		t.Errorf("given back: %d root security findings, %d cleartext ones; want 1, %d", codeCount(back, CodeSecurityRootLevel), codeCount(back, CodeInsecureTransport), codeCount(prev, CodeInsecureTransport))
	}
}

// TestChannelsSwappedSchemeUsesCounted: a scheme is used by the $refs
// that land on it, wherever written: one in a channel (the region's) and
// an operation's $ref through that channel (resolved again). The channels
// dropped, given back and dropped again, every scheme's count of uses is
// a cold analysis's (the drop takes both uses, the give-back gives both).
func TestChannelsSwappedSchemeUsesCounted(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "  c2: {address: c2,", "  c2: {address: c2, x-k: {$ref: '#/components/securitySchemes/k3'},",
		"  o2: {action: send, channel: {$ref: '#/channels/c2'},", "  o2: {action: send, channel: {$ref: '#/channels/c2'}, messages: [{$ref: '#/channels/c2/x-k'}],",
		"    k2: {type: http, scheme: basic}\n", "    k2: {type: http, scheme: basic}\n    k3: {type: http, scheme: bearer}\n")
	counts := func(d *Document) string {
		var out []string
		for _, s := range d.Schemes {
			out = append(out, fmt.Sprintf("%s %d", s.Name, d.useCount[s]))
		}
		return strings.Join(out, ", ")
	}
	d := Analyze([]byte(doc))
	if !strings.Contains(counts(d), "k3 2") {
		t.Fatalf("uses %s; want k3 used twice", counts(d))
	}
	brk := chanBreak(t, d.Text, false)
	for i, text := range [][]byte{brk.Apply(d.Text), d.Text, brk.Apply(d.Text)} {
		d = checkUpdate(t, d, []syntax.Edit{editBetween(d.Text, text)}, text)
		if why := swappedAll(d, 6); why != "" {
			t.Fatalf("step %d: %s", i, why)
		}
		if got, want := counts(d), counts(Analyze(text)); got != want {
			t.Errorf("step %d: uses %s, want %s", i, got, want)
		}
	}
}

// TestChannelsGivenBackLeadingOutBuiltWhole: a $ref of the channels given
// back that leads out of the document (to a component that $refs a
// remote file) is followed only by a full build, which reports the
// remote reference not followed: the give-back is built whole.
func TestChannelsGivenBackLeadingOutBuiltWhole(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "      m: {$ref: '#/components/messages/m'}\n", "      m: {$ref: '#/components/messages/m'}\n      r: {$ref: '#/components/messages/remote'}\n",
		"    m: {payload: {type: string}}\n", "    m: {payload: {type: string}}\n    remote: {$ref: 'https://example.com/m.yaml'}\n")
	for _, colonDel := range []bool{true, false} {
		prev, dropped, back := chanRoundTrip(t, doc, colonDel)
		if why := swappedAll(dropped, len(prev.Operations)); why != "" {
			t.Errorf("dropped: %s", why)
		}
		if back.inc.modelReused || back.inc.modelWhy != "a $ref of the region leads out of the document" {
			t.Errorf("given back: partial %v (%q); want built whole, the region's $ref leading out", back.inc.modelReused, back.inc.modelWhy)
		}
	}
}

// TestChannelsGivenBackOperationInChannelBuiltWhole: an operation whose
// channel $ref lands inside a channel but not on one (its messages) has
// its channel modelled on the fly by a build, which the give-back does
// not do: dropped, the operation is swapped (its $ref unresolved); given
// back, the document is built whole.
func TestChannelsGivenBackOperationInChannelBuiltWhole(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "  o5:", "  o6: {action: send, channel: {$ref: '#/channels/c2/messages'}}\n  o5:")
	for _, colonDel := range []bool{true, false} {
		prev, dropped, back := chanRoundTrip(t, doc, colonDel)
		if why := swappedAll(dropped, len(prev.Operations)); why != "" {
			t.Errorf("dropped: %s", why)
		}
		if back.inc.modelReused || back.Operations[len(back.Operations)-2].Channel == nil {
			t.Errorf("given back: partial %v (%q), o6 on %v; want built whole, o6 on a channel modelled on the fly", back.inc.modelReused, back.inc.modelWhy, back.Operations[len(back.Operations)-2].Channel)
		}
	}
}

// TestChannelsSwappedKeepsOtherOperationsFindings: an operation that
// reads the channels only through its messages (its channel a component
// one) is among the operations the block reaches, not swapped: its own
// findings (credentials sent in cleartext to its channel's server) stay,
// as a cold analysis makes them.
func TestChannelsSwappedKeepsOtherOperationsFindings(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "  o5:", "  o7: {action: send, channel: {$ref: '#/components/channels/cc'}, messages: [{$ref: '#/channels/c0/messages/m'}], security: [{type: http, scheme: basic}]}\n  o5:",
		"  messages:\n    m:", "  channels:\n    cc: {address: cc, servers: [{$ref: '#/servers/s1'}]}\n  messages:\n    m:")
	o7 := strings.Index(doc, "  o7:")
	inO7 := func(d *Document) int {
		n := 0
		for _, dg := range d.Diagnostics {
			if dg.Code == CodeInsecureTransport && dg.Range.Start > o7 && dg.Range.Start < o7+200 {
				n++
			}
		}
		return n
	}
	prev, dropped, back := chanRoundTrip(t, doc, false)
	if inO7(prev) == 0 {
		t.Fatal("no cleartext finding in o7")
	}
	for _, d := range []*Document{dropped, back} {
		if why := swappedAll(d, len(prev.Operations)); why != "" {
			t.Fatal(why)
		}
		if inO7(d) != inO7(prev) {
			t.Errorf("%d cleartext findings in o7, want %d", inO7(d), inO7(prev))
		}
	}
}

// TestChannelsGivenBackServerNamesInlineScheme: a server re-parsed with the
// channels given back whose security $refs a scheme outside components
// (made inline by the server, the first unit that names it) finds the
// previous version's inline scheme, which a rebuilt unit may not share:
// the document is built whole.
func TestChannelsGivenBackServerNamesInlineScheme(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "  s1: {host: b.example.com, protocol: ws}", "  s1: {host: b.example.com, protocol: ws, security: [{$ref: '#/x-schemes/basic'}]}",
		"components:\n", "x-schemes:\n  basic: {type: http, scheme: basic}\ncomponents:\n")
	prev, dropped, back := chanRoundTrip(t, doc, true)
	if why := swappedAll(dropped, len(prev.Operations)); why != "" {
		t.Errorf("dropped: %s", why)
	}
	if back.inc.modelReused {
		t.Errorf("given back: partial (%d swapped); want built whole", back.inc.chanSwapped)
	}
}

// TestChannelsSwappedRootChannelRef: an operation whose channel $ref is
// the document root (no channel: a build models none) is swapped like the
// others, both ways, on the channels path.
func TestChannelsSwappedRootChannelRef(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "  o5:", "  o6: {action: send, channel: {$ref: '#'}}\n  o5:")
	for _, colonDel := range []bool{true, false} {
		prev, dropped, back := chanRoundTrip(t, doc, colonDel)
		for _, d := range []*Document{dropped, back} {
			if why := swappedAll(d, len(prev.Operations)); why != "" {
				t.Errorf("colon deleted %v: %s", colonDel, why)
			}
		}
	}
}

// TestChannelsGivenBackAfterServerRefPartial: given back after the servers
// (the colon typed back), with a root server that is a $ref (to a
// component server, or to another root server, re-parsed with it), the
// channels path does not apply (a unit it builds may not be a $ref), and
// the paths before rebuild the region's units: partial, none swapped.
func TestChannelsGivenBackAfterServerRefPartial(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"#/components/servers/cs", "#/servers/s0"} {
		doc := chanDoc(t, "  s1: {host: b.example.com, protocol: ws}", "  s1: {$ref: '"+target+"'}",
			"  messages:\n    m:", "  servers:\n    cs: {host: b.example.com, protocol: ws}\n  messages:\n    m:")
		_, _, back := chanRoundTrip(t, doc, true)
		if !back.inc.modelReused || back.inc.chanSwapped != 0 {
			t.Errorf("s1 a $ref to %s, given back: partial %v (%q), %d swapped; want partial, none swapped", target, back.inc.modelReused, back.inc.modelWhy, back.inc.chanSwapped)
		}
	}
}

// TestChannelsSwappedRefsWhereEditsPutThem: after the channels are
// dropped or given back, every $ref of the full build's list outside the
// region is where that list and the rebuilds since (refEdits) put it:
// the lookup by target finds it without a search.
func TestChannelsSwappedRefsWhereEditsPutThem(t *testing.T) {
	t.Parallel()
	for _, colonDel := range []bool{true, false} {
		prev := Analyze([]byte(chanV3))
		prev.Warm()
		brk := chanBreak(t, prev.Text, colonDel)
		d := prev
		for i, text := range [][]byte{brk.Apply(prev.Text), prev.Text} {
			d = checkUpdate(t, d, []syntax.Edit{editBetween(d.Text, text)}, text)
			if why := swappedAll(d, len(prev.Operations)); why != "" {
				t.Fatalf("step %d: %s", i, why)
			}
			channels := d.Root.Key("channels")
			for j, r := range d.Refs {
				if channels != nil && d.R(r.Holder).Start >= d.R(channels).Start && d.R(r.Holder).End <= d.R(channels).End {
					continue // the region's
				}
				if _, known := d.targets.at[r.Holder]; !known || j > 0 && d.Refs[j-1].Holder == r.Holder {
					continue
				}
				if _, found := d.appendHeld(nil, r.Holder); !found {
					t.Errorf("colon deleted %v, step %d: the $ref %s at %d is not where the edits put it", colonDel, i, r.Target, j)
				}
			}
		}
	}
}

// TestChannelsGivenBackMergingOnPathsBefore: channels that merge entries
// in (`<<`) are given back on the paths before (a build reads the merged
// entries as channels), none swapped.
func TestChannelsGivenBackMergingOnPathsBefore(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "  c3: {address: c3,", "  <<: {c9: {address: c9}}\n  c3: {address: c3,")
	for _, colonDel := range []bool{true, false} {
		_, _, back := chanRoundTrip(t, doc, colonDel)
		if back.inc.chanSwapped != 0 {
			t.Errorf("colon deleted %v: given back with %d operations swapped; want none", colonDel, back.inc.chanSwapped)
		}
	}
}

// TestChannelsClaimedRefInOperationOnPathsBefore: a $ref into the channels
// that an operation's build claims, outside its security and traits (a
// server $ref of the channel it models on the fly from its own text),
// belongs to what the build reads: the operation would have to be built
// again, so the block takes the paths before, none swapped.
func TestChannelsClaimedRefInOperationOnPathsBefore(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "  c0:\n    address: c0\n", "  c0:\n    address: c0\n    x-srv: {host: x.example.com, protocol: ws}\n",
		"  o5:", "  o6: {action: send, channel: {$ref: '#/operations/o6/x-ch'}, x-ch: {address: x, servers: [{$ref: '#/channels/c0/x-srv'}]}}\n  o5:")
	for _, colonDel := range []bool{true, false} {
		_, dropped, back := chanRoundTrip(t, doc, colonDel)
		if !dropped.inc.modelReused || dropped.inc.chanSwapped != 0 || back.inc.chanSwapped != 0 {
			t.Errorf("colon deleted %v: partial %v (%q), %d swapped, back %d; want partial, none swapped", colonDel, dropped.inc.modelReused, dropped.inc.modelWhy, dropped.inc.chanSwapped, back.inc.chanSwapped)
		}
	}
}

// TestChannelsSwappedRefsReadingThemNow: the $refs the block reaches are
// those whose resolution reads the channels now. One that read them in
// the full build (info's, through a component message that $refed a
// channel) but whose chain was edited since to land elsewhere is not
// among them: it is held outside the operations, and would refuse the
// path; the operations are swapped.
func TestChannelsSwappedRefsReadingThemNow(t *testing.T) {
	t.Parallel()
	doc := chanDoc(t, "info: {title: t, version: '1'}", "info: {title: t, version: '1', x-r: {$ref: '#/components/messages/hop'}}",
		"    m: {payload: {type: string}}\n", "    m: {payload: {type: string}}\n    hop: {$ref: '#/channels/c0'}\n")
	prev := Analyze([]byte(doc))
	e := edited(t, prev.Text, "hop: {$ref: '#/channels/c0", len("channels/c0"), "components/messages/m")
	d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	for _, colonDel := range []bool{true, false} {
		brk := chanBreak(t, d.Text, colonDel)
		got := checkUpdate(t, d, []syntax.Edit{brk}, brk.Apply(d.Text))
		if why := swappedAll(got, len(prev.Operations)); why != "" {
			t.Errorf("colon deleted %v: %s", colonDel, why)
		}
	}
}

// TestChannelsSwappedLeavesRefsLeavingDocument: an operation's $ref that
// leaves the document (an absolute path, '/channels/c0', typed since the
// full build: it reads no pointer of the document) is not resolved again
// when the channels go: its finding stays, once.
func TestChannelsSwappedLeavesRefsLeavingDocument(t *testing.T) {
	t.Parallel()
	prev := Analyze([]byte(chanV3))
	e := edited(t, prev.Text, "  o4: {action: send,", 0, " x-r: {$ref: '/channels/c0'},")
	d := checkUpdate(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	for _, colonDel := range []bool{true, false} {
		brk := chanBreak(t, d.Text, colonDel)
		got := checkUpdate(t, d, []syntax.Edit{brk}, brk.Apply(d.Text))
		if why := swappedAll(got, len(prev.Operations)); why != "" {
			t.Errorf("colon deleted %v: %s", colonDel, why)
		}
		if n := codeCount(got, CodeRefOutside); n != 1 {
			t.Errorf("colon deleted %v: %d findings of the absolute $ref, want 1", colonDel, n)
		}
	}
}
