package workspace

import (
	"strings"
	"testing"
)

func TestGraph(t *testing.T) {
	g := NewGraph()
	// doc1 -> sec, srv; srv -> sec; doc2 -> srv; a <-> b (a cycle); doc3 -> a
	g.Set("doc1", []string{"sec", "srv"})
	g.Set("srv", []string{"sec"})
	g.Set("doc2", []string{"srv"})
	g.Set("a", []string{"b"})
	g.Set("b", []string{"a"})
	g.Set("doc3", []string{"a"})
	tests := []struct {
		name string
		got  []string
		want string
	}{
		{"Deps(doc1)", g.Deps("doc1"), "sec,srv"},
		{"Dependents(sec)", g.Dependents("sec"), "doc1,srv"},
		{"Affected(sec)", g.Affected("sec"), "doc1,doc2,srv"},
		{"Affected(srv)", g.Affected("srv"), "doc1,doc2"},
		{"Affected(b) across a cycle", g.Affected("b"), "a,b,doc3"},
		{"Affected(nobody)", g.Affected("nobody"), ""},
		{"Affected(sec, a)", g.Affected("sec", "a"), "a,b,doc1,doc2,doc3,srv"},
	}
	for _, tt := range tests {
		if got := strings.Join(tt.got, ","); got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, got, tt.want)
		}
	}

	g.Set("doc1", []string{"srv"}) // doc1 no longer references sec directly
	if got := strings.Join(g.Dependents("sec"), ","); got != "srv" {
		t.Errorf("after Set: Dependents(sec) = %q", got)
	}
	g.Remove("doc2")
	if got := strings.Join(g.Affected("srv"), ","); got != "doc1" {
		t.Errorf("after Remove: Affected(srv) = %q", got)
	}
	g.Set("doc1", nil)
	if got := g.Dependents("srv"); len(got) != 0 || g.Len() != 4 { // srv, a, b, doc3
		t.Errorf("after Set(nil): Dependents(srv) = %v, Len = %d", got, g.Len())
	}
}
