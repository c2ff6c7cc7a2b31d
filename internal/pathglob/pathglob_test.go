package pathglob

import "testing"

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"*.yaml", "a.yaml", true},
		{"*.yaml", "dir/a.yaml", false},
		{"**/*.yaml", "a.yaml", true},
		{"**/*.yaml", "dir/sub/a.yaml", true},
		{"**/*.yaml", "dir/sub/a.json", false},
		{"specs/**", "specs/a/b.yaml", true},
		{"specs/**", "other/a.yaml", false},
		{"specs/**/v3/*.yaml", "specs/v3/a.yaml", true},
		{"specs/**/v3/*.yaml", "specs/x/y/v3/a.yaml", true},
		{"specs/**/v3/*.yaml", "specs/x/y/v2/a.yaml", false},
		{"./generated/**", "generated/x.yaml", true},
		{"a/**/**/b", "a/b", true},
		{"a?c", "abc", true},
		{"[ab].yaml", "c.yaml", false},
		{"[", "[", false}, // malformed: matches nothing
		{"vendor", "vendor", true},
		{"vendor", "vendor/a.yaml", false},
	}
	for _, c := range cases {
		if got := Match(c.pattern, c.name); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestBase(t *testing.T) {
	cases := []struct{ pattern, dir, rest string }{
		{"specs/**/*.yaml", "specs", "**/*.yaml"},
		{"*.json", ".", "*.json"},
		{"a/b/c.yaml", "a/b", "c.yaml"},
		{"/abs/*/x", "/abs", "*/x"},
	}
	for _, c := range cases {
		if dir, rest := Base(c.pattern); dir != c.dir || rest != c.rest {
			t.Errorf("Base(%q) = %q, %q; want %q, %q", c.pattern, dir, rest, c.dir, c.rest)
		}
	}
	if Valid("a/[") || !Valid("a/**/*.y?ml") {
		t.Error("Valid")
	}
}
