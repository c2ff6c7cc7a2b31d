package config

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any bytes give a config and diagnostics whose ranges lie in
// the text, never a panic. The seeds (run by go test) are the example
// configs and some broken texts.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"\xef\xbb\xbfseverity: {a: b}", "a: &x [*x]\nseverity: *x", "severity:\r  x: y\r", "ignore: [\xff]", "\"", "rules: {security-unused-scheme: {ignore: [[a]]}}", "severity: {é😀: off}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		res := Parse("/x/.asyncapi-ls.yaml", text)
		if res.Config == nil || res.Mapper == nil {
			t.Fatal("nil config or mapper")
		}
		for _, d := range res.Diagnostics {
			if d.Range.Start < 0 || d.Range.End < d.Range.Start || d.Range.End > len(text) {
				t.Fatalf("range %v outside a %d-byte text: %s", d.Range, len(text), d.Message)
			}
			if d.Message == "" || !utf8.ValidString(d.Code) {
				t.Fatalf("diagnostic %+v", d)
			}
		}
	})
}
