package workspace

import (
	"path/filepath"
	"testing"
)

func TestParseRef(t *testing.T) {
	tests := []struct {
		ref  string
		want RefTarget
	}{
		{"#/components/securitySchemes/oauth", RefTarget{Kind: RefLocal, Fragment: "#/components/securitySchemes/oauth"}},
		{"#", RefTarget{Kind: RefLocal, Fragment: "#"}},
		{"../shared/security.yaml#/components/securitySchemes/oauth", RefTarget{Kind: RefFile, Path: "../shared/security.yaml", Fragment: "#/components/securitySchemes/oauth"}},
		{"./server.yaml", RefTarget{Kind: RefFile, Path: "./server.yaml"}},
		{"schemas/user.json#", RefTarget{Kind: RefFile, Path: "schemas/user.json", Fragment: "#"}},
		{"my%20schemes.yaml#/a%20b", RefTarget{Kind: RefFile, Path: "my schemes.yaml", Fragment: "#/a%20b"}},
		{"caf%C3%A9.yaml", RefTarget{Kind: RefFile, Path: "café.yaml"}},
		{"file:shared/x.yaml#/a", RefTarget{Kind: RefFile, Path: "shared/x.yaml", Fragment: "#/a"}},
		{"FILE:./x.yaml", RefTarget{Kind: RefFile, Path: "./x.yaml"}},
		{"https://example.com/schemas.yaml#/Foo", RefTarget{Kind: RefExternal, Scheme: "https", Fragment: "#/Foo"}},
		{"HTTP://example.com/x.json", RefTarget{Kind: RefExternal, Scheme: "http"}},
		{"urn:uuid:1234", RefTarget{Kind: RefExternal, Scheme: "urn"}},
		// near misses of a scheme: not schemes
		{"a:b.yaml", RefTarget{Kind: RefFile, Path: "a:b.yaml"}}, // one letter: a drive, not a scheme
		{"ab:c.yaml", RefTarget{Kind: RefExternal, Scheme: "ab"}},
		{"1x:y.yaml", RefTarget{Kind: RefFile, Path: "1x:y.yaml"}},
		{"dir/x:y.yaml", RefTarget{Kind: RefFile, Path: "dir/x:y.yaml"}},
		// refused
		{"", RefTarget{Kind: RefInvalid, Reason: "the reference is empty"}},
		{"/etc/passwd", RefTarget{Kind: RefInvalid, Reason: "an absolute path names a fixed location; write a path relative to this document"}},
		{"%2Fetc%2Fpasswd", RefTarget{Kind: RefInvalid, Reason: "an absolute path names a fixed location; write a path relative to this document"}},
		{"C:/specs/x.yaml", RefTarget{Kind: RefInvalid, Reason: "an absolute path names a fixed location; write a path relative to this document"}},
		{`c:\specs\x.yaml`, RefTarget{Kind: RefInvalid, Reason: "an absolute path names a fixed location; write a path relative to this document"}},
		{"file:///etc/passwd#/x", RefTarget{Kind: RefInvalid, Fragment: "#/x", Reason: "an absolute file: URI names a fixed location; write a path relative to this document"}},
		{"file://host/share/x.yaml", RefTarget{Kind: RefInvalid, Reason: "an absolute file: URI names a fixed location; write a path relative to this document"}},
		{"x.yaml?v=1", RefTarget{Kind: RefInvalid, Reason: "a query ('?') in a file reference is not supported"}},
		{"bad%zz.yaml", RefTarget{Kind: RefInvalid, Reason: `bad percent-encoding in the path: "%zz" is not a valid escape`}},
		{"a%00b.yaml", RefTarget{Kind: RefInvalid, Reason: "the path contains a NUL byte"}},
		// an empty path before '#' is this document
		{"#/a", RefTarget{Kind: RefLocal, Fragment: "#/a"}},
		{"file:#/a", RefTarget{Kind: RefLocal, Fragment: "#/a"}},
	}
	for _, tt := range tests {
		if got := ParseRef(tt.ref); got != tt.want {
			t.Errorf("ParseRef(%q) = %+v, want %+v", tt.ref, got, tt.want)
		}
	}
}

func TestJoin(t *testing.T) {
	base := filepath.FromSlash("/ws/api/orders/asyncapi.yaml")
	tests := []struct{ ref, want string }{
		{"../shared/security.yaml", "/ws/api/shared/security.yaml"},
		{"./servers.yaml", "/ws/api/orders/servers.yaml"},
		{"sub/../x.json", "/ws/api/orders/x.json"},
		{"../../../../../etc/passwd", "/etc/passwd"},
		{"my schemes.yaml", "/ws/api/orders/my schemes.yaml"},
	}
	for _, tt := range tests {
		if got := Join(base, tt.ref); got != filepath.FromSlash(tt.want) {
			t.Errorf("Join(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}
