package syntax

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestUpdateMapper(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"a\r\nb\rc\n\nd", "", "\r", "\n\r\n\r\r\n", "asyncapi: 3.0.0\ninfo:\n  title: Demo\n  version: 1.0.0\nchannels:\n  user:\n    address: user/{id}\n"}
	for _, s := range texts {
		text := []byte(s)
		m := NewMapper(text)
		for i := 0; i < 300; i++ {
			p := rng.IntN(len(text) + 1)
			q := min(len(text), p+rng.IntN(3))
			ins := []string{"", "\r", "\n", "\r\n", "x", "\n\r"}[rng.IntN(6)]
			e := Edit{p, q, ins}
			next := e.Apply(text)
			got := UpdateMapper(m, e, next)
			if want := NewMapper(next); !reflect.DeepEqual(want.lineStarts, got.lineStarts) {
				t.Fatalf("edit %+v of %q: want %v, got %v", e, text, want.lineStarts, got.lineStarts)
			}
			text, m = next, got
		}
	}
}
