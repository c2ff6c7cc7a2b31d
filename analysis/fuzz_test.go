package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers:\n  s: {host: h, protocol: ws, security: [{$ref: '#/components/securitySchemes/k'}]}\ncomponents:\n  securitySchemes:\n    k: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://a', availableScopes: {r: r}}}, scopes: [r, x]}\n",
	"asyncapi: 2.6.0\nservers:\n  s:\n    url: u\n    protocol: ws\n    security:\n      - a: [x]\n        b: []\n      - {}\nchannels:\n  c:\n    servers: [s, t]\n    publish:\n      security: [{a: []}]\n      traits: [{security: [{b: []}]}]\ncomponents:\n  securitySchemes:\n    a: {type: oauth2, flows: {password: {tokenUrl: /t, scopes: {}}}}\n    b: {type: userPassword}\n",
	`{"asyncapi":"3.1.0","info":{"title":"\ud83d\ude00","version":"1"},"channels":{"a\/b":{"servers":[{"$ref":"#/servers/x"}]}},"operations":{"o":{"action":"send","channel":{"$ref":"#/channels/a~1b"},"security":[{"sec":[]}]}}}`,
	"asyncapi: 3.0.0\r\ninfo:\r\n  title: \"é\r\n  version: '1'\r\n",
	"\xef\xbb\xbfasyncapi: 2.0.0\nsecurity: [x]\na: &a [*a]\nb: |+\n  x\u2028y\n\n",
	"asyncapi: 3.0.0\ninfo:\n  title\n  version: 1\nservers: [a, b\n",
	"asyncapi: '2.3.0'\nx: \xff\xfe\n  - : :\n",
	"asyncapi: 3.0\ncomponents: {securitySchemes: {a: {$ref: '#/components/securitySchemes/b'}, b: {$ref: '#/components/securitySchemes/a'}}}\n",
	"asyncapi: 2.6.0\nk: !!null\nl: &x\nm: >2-\n   a\n  b\n",
}

// FuzzAnalyze: on any bytes, Analyze does not panic (nor recover from an
// internal panic), every diagnostic range lies within the text, and the
// Mapper round-trips offsets at rune boundaries.
func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		orig := string(text)
		d := Analyze(text)
		if string(text) != orig {
			t.Fatal("Analyze modified its input")
		}
		for _, g := range d.Diagnostics {
			if g.Range.Start < 0 || g.Range.Start > g.Range.End || g.Range.End > len(text) {
				t.Fatalf("%s: bad range %v for %d bytes", g.Code, g.Range, len(text))
			}
			if strings.Contains(g.Message, "internal error") || strings.Contains(g.Message, "please report") {
				t.Fatalf("internal failure: %s", g.Message)
			}
			if sev, ok := DefaultSeverity(g.Code); !ok || g.Severity != sev && g.Severity == 0 {
				t.Fatalf("unknown code or severity: %+v", g)
			}
			for _, r := range g.Related {
				if r.Range.Start < 0 || r.Range.Start > r.Range.End || r.Range.End > len(text) {
					t.Fatalf("%s: bad related range %v", g.Code, r.Range)
				}
			}
			p := d.Mapper.PosRange(g.Range)
			if p.End.Line < p.Start.Line || (p.End.Line == p.Start.Line && p.End.Character < p.Start.Character) {
				t.Fatalf("%s: positions out of order %v", g.Code, p)
			}
		}
		if d.IsAsyncAPI {
			for _, op := range d.Operations {
				d.EffectiveSecurity(op)
			}
			d.SecurityReport()
		}
		m := d.Mapper
		hasBOM := len(text) >= 3 && string(text[:3]) == "\xef\xbb\xbf"
		for off := 0; off <= len(text); {
			inCRLF := off > 0 && off < len(text) && text[off-1] == '\r' && text[off] == '\n'
			if !inCRLF && !(hasBOM && off < 3) {
				if got := m.Offset(m.Position(off)); got != off {
					t.Fatalf("Offset(Position(%d)) = %d (%v)", off, got, m.Position(off))
				}
			}
			if off == len(text) {
				break
			}
			_, size := utf8.DecodeRune(text[off:])
			off += size
		}
	})
}
