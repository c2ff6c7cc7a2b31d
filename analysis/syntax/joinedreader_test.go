package syntax

import (
	"bytes"
	"testing"
)

// TestJoinedReader: a joinedReader of a and b gives each read what a
// bytes.Reader of their concatenation gives (yaml.v3's reads then get
// the same bytes), and counts them.
func TestJoinedReader(t *testing.T) {
	text := []byte("0123456789abcdefghij")
	for split := 0; split <= len(text); split++ {
		for _, size := range []int{0, 1, 3, 7, 512} {
			j := &joinedReader{a: text[:split], b: text[split:]}
			r := bytes.NewReader(text)
			for step := 0; step < len(text)+2; step++ {
				p, q := make([]byte, size), make([]byte, size)
				n, err := j.Read(p)
				m, rerr := r.Read(q)
				if n != m || err != rerr || !bytes.Equal(p[:n], q[:m]) {
					t.Fatalf("split %d, reads of %d, read %d: got %d %v %q, want %d %v %q", split, size, step, n, err, p[:n], m, rerr, q[:m])
				}
			}
			if read := len(text) - r.Len(); j.n != read {
				t.Errorf("split %d, reads of %d: counted %d, read %d", split, size, j.n, read)
			}
		}
	}
}
