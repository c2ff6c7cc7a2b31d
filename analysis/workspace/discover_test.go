package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"asyncapi: 3.0.0\ninfo: {}\n", true},
		{"\xef\xbb\xbfasyncapi: '2.6.0'\n", true},
		{"# comment\n\n---\nasyncapi: 3.0.0\n", true},
		{"info:\n  title: x\nasyncapi: 3.0.0\n", true},
		{"\"asyncapi\": 3.0.0\n", true},
		{"'asyncapi' : 3.0.0\n", true},
		{"asyncapi:\r\n  3.0.0\r\n", true},
		{"--- asyncapi: 3.0.0\n", true},
		{`{"asyncapi": "3.0.0", "info": {}}`, true},
		{"{\n  \"info\": {\"asyncapi\": 1, \"x\": [\"asyncapi\"]},\n  \"asyncapi\":\"2.6.0\"\n}", true},
		{"{asyncapi: 3.0.0, info: {}}", true},
		{`{"a": "asyncapi: x", "asyncapi": "3.0.0"}`, true},
		{`{"a": "say \"hi\"", "asyncapi": "3.0.0"}`, true},
		// near misses
		{"openapi: 3.1.0\n", false},
		{"info:\n  asyncapi: 3.0.0\n", false},      // not at the root
		{"asyncapiVersion: 3.0.0\n", false},        // another key
		{"asyncapi:3.0.0\n", false},                // one plain scalar, not a key
		{"# asyncapi: 3.0.0\nopenapi: 3\n", false}, // a comment
		{"components:\n  schemas: {}\n", false},
		{`{"info": {"asyncapi": "3.0.0"}}`, false},         // depth 2
		{`{"x": ["asyncapi", 1], "y": "asyncapi"}`, false}, // values
		{`{"asyncapi`, false},                              // cut off
		{"", false},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.text)); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestDiscover(t *testing.T) {
	dir := tree(t, map[string]string{
		"a/api.yaml":                  "asyncapi: 3.0.0\n",
		"a/api.json":                  `{"asyncapi": "2.6.0"}`,
		"a/shared/security.yaml":      "components: {}\n",
		"b/deep/er/orders.yml":        "# orders\nasyncapi: 2.6.0\n",
		"b/openapi.yaml":              "openapi: 3.1.0\n",
		"b/notes.txt":                 "asyncapi: 3.0.0\n",
		"b/big.yaml":                  "asyncapi: 3.0.0\n" + strings.Repeat("#", 200),
		"node_modules/x/asyncapi.yml": "asyncapi: 3.0.0\n",
		".git/asyncapi.yaml":          "asyncapi: 3.0.0\n",
		"other/api.yaml":              "asyncapi: 3.0.0\n",
	})
	symlink(t, filepath.Join(dir, "other"), filepath.Join(dir, "a", "linked"))
	var calls, lastFound int
	got, err := Discover(context.Background(), OS, []string{filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "a"), filepath.Join(dir, "node_modules"), filepath.Join(dir, ".git")},
		DiscoverOptions{MaxSize: 100, Progress: func(scanned, found int) { calls++; lastFound = found }})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	// A root named explicitly is walked even if discovery would skip it
	// below another root; symlinked directories are not followed.
	want := ".git/asyncapi.yaml,a/api.json,a/api.yaml,b/deep/er/orders.yml,node_modules/x/asyncapi.yml"
	if strings.Join(rel, ",") != want {
		t.Errorf("Discover = %v\nwant %s", rel, want)
	}
	if calls == 0 || lastFound != len(got) {
		t.Errorf("progress: %d calls, last found %d", calls, lastFound)
	}

	capped, err := Discover(context.Background(), OS, []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}, DiscoverOptions{MaxDocuments: 2, MaxSize: 100})
	if err != ErrTooManyDocuments || len(capped) != 2 {
		t.Errorf("capped Discover = %v, %v", capped, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Discover(ctx, OS, []string{dir}, DiscoverOptions{}); err != context.Canceled {
		t.Errorf("cancelled Discover: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a", "linked", "api.yaml")); err != nil {
		t.Fatal("the symlink under test is broken:", err)
	}
}
