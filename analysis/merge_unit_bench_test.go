package analysis

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// mergedChannels is a 3.x document of n channels, the first of which a
// merge key brings in (`<<:` and a block mapping below it), each on one
// of two servers, and n operations on them.
func mergedChannels(n int) []byte {
	var b strings.Builder
	b.WriteString("asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers:\n  prod: {host: a.example.com, protocol: mqtt}\n  edge: {host: b.example.com, protocol: wss}\nchannels:\n  <<:\n")
	for i := range n {
		if i == 1 {
			b.WriteString("  # written\n")
		}
		pad := "  "
		if i == 0 {
			pad = "    "
		}
		srv := "prod"
		if i%2 == 1 {
			srv = "edge"
		}
		fmt.Fprintf(&b, "%sc%d: {address: c%d, description: channel %d, servers: [{$ref: '#/servers/%s'}]}\n", pad, i, i, i, srv)
	}
	b.WriteString("operations:\n")
	for i := range n {
		fmt.Fprintf(&b, "  o%d: {action: send, channel: {$ref: '#/channels/c%d'}}\n", i, i)
	}
	return []byte(b.String())
}

// BenchmarkMergeUnitKeystroke times a keystroke in a section that merges
// entries in (a written channel's description, the merged channel's;
// ASYNCAPI_LS_MERGEUNIT sets how many channels, default 2000), CPU time,
// medians of 5: before the per-unit rebuild through merges they built the
// model whole. Run the same file in a test binary of the code before and
// compare the lines.
func BenchmarkMergeUnitKeystroke(b *testing.B) {
	for _, size := range envSizes("ASYNCAPI_LS_MERGEUNIT", "2000") {
		var n int
		if _, err := fmt.Sscan(size, &n); err != nil {
			b.Fatalf("ASYNCAPI_LS_MERGEUNIT=%q: want numbers of channels", size)
		}
		doc := mergedChannels(n)
		prev := Analyze(doc)
		for _, c := range []struct{ name, find string }{
			{"written channel", fmt.Sprintf("description: channel %d", n/2)},
			{"merged channel", "description: channel 0"},
		} {
			b.Run(fmt.Sprintf("%d/%s", n, strings.ReplaceAll(c.name, " ", "-")), func(b *testing.B) {
				at := bytes.Index(doc, []byte(c.find)) + len(c.find)
				e := syntax.Edit{Start: at, End: at, Text: "z"}
				text := e.Apply(doc)
				d, cpu := medianUpdateCPU(prev, e, text)
				b.Logf("MERGEUNIT %d | %s | %.3f ms | %s", n, c.name, ms(cpu), rebuiltHow(d))
				for b.Loop() {
				}
			})
		}
	}
}
