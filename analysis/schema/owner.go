package schema

// Ownership: which schema problems another check of asyncapi-ls already
// reports, so that each mistake is reported once. The rules mirror where
// package analysis looks (its model and checks):
//
//   - `asyncapi` itself: asyncapi-version.
//   - any `$ref` value: ref-unresolved (and the security/channel checks that
//     claim their $refs).
//   - root `security`: security-root-level.
//   - a security list (servers, operations, operation traits; in 2.x the
//     publish/subscribe operations) and everything inside it, except in
//     3.x the fields of an inline scheme that the scheme checks ignore:
//     security-requirement-shape, security-operation-not-supported, and
//     the scheme checks below.
//   - a security scheme (components.securitySchemes, 3.x inline schemes):
//     its `type` and the fields the scheme checks validate (name, in,
//     scheme, bearerFormat, flows, openIdConnectUrl, 3.x scopes), and a
//     missing required field: security-scheme-type/-field. A misspelled
//     `description` or an unknown key inside a flow stays a schema problem.
//   - root channel `servers` (the list and its entries):
//     channel-server-undefined and channel-server-duplicate.
func owner(major int, p Problem, root Value) string {
	path := p.Path
	switch {
	case len(path) == 0:
		return ""
	case len(path) == 1 && path[0] == "asyncapi":
		return OwnerVersion
	case path[len(path)-1] == "$ref":
		return OwnerRef
	case len(path) == 1 && path[0] == "security":
		return OwnerSecurity
	case len(path) >= 3 && path[0] == "channels" && path[2] == "servers" && p.Code != CodeUnknownProperty:
		return OwnerChannel // channel-server-undefined (not a list, bad entries) and -duplicate
	case len(path) >= 3 && path[0] == "components" && path[1] == "securitySchemes":
		return schemeOwner(major, path[3:], p, valueAt(root, path[:3]))
	}
	if n := securityList(major, path); n > 0 {
		rest := path[n:]
		if len(rest) == 0 || major < 3 {
			return OwnerSecurity
		}
		return schemeOwner(major, rest[1:], p, valueAt(root, path[:n+1]))
	}
	return ""
}

// securityList returns the length of the prefix of path that is a
// security list the model knows, or 0.
func securityList(major int, path []string) int {
	at := func(n int, tokens ...string) bool {
		if len(path) < n {
			return false
		}
		for i, t := range tokens {
			if t != "*" && path[i] != t {
				return false
			}
		}
		return path[n-1] == "security"
	}
	if at(3, "servers", "*") || at(4, "components", "operationTraits", "*") {
		return map[bool]int{true: 3, false: 4}[at(3, "servers", "*")]
	}
	if major >= 3 {
		switch {
		case at(4, "components", "servers", "*"):
			return 4
		case at(3, "operations", "*"):
			return 3
		case at(4, "components", "operations", "*"):
			return 4
		case at(5, "operations", "*", "traits", "*"):
			return 5
		case at(6, "components", "operations", "*", "traits", "*"):
			return 6
		}
		return 0
	}
	if len(path) >= 4 && path[0] == "channels" && (path[2] == "publish" || path[2] == "subscribe") {
		switch {
		case at(4, "channels", "*", path[2]):
			return 4
		case at(6, "channels", "*", path[2], "traits", "*"):
			return 6
		}
	}
	return 0
}

var schemeFields = map[string]bool{"type": true, "name": true, "in": true, "scheme": true, "bearerFormat": true, "flows": true, "openIdConnectUrl": true}

var flowFields = map[string]bool{"authorizationUrl": true, "tokenUrl": true, "refreshUrl": true, "scopes": true, "availableScopes": true}

// schemeOwner decides for a problem at rest inside a security scheme
// object whose value is scheme.
func schemeOwner(major int, rest []string, p Problem, scheme Value) string {
	if scheme != nil && scheme.Kind() == Object {
		if _, ref := scheme.Get("$ref"); ref {
			return OwnerSecurity // a reference: checked where it points
		}
	}
	if len(rest) == 0 {
		return OwnerSecurity // not a mapping, no type, a missing field
	}
	f := rest[0]
	if !schemeFields[f] && !(major >= 3 && f == "scopes") {
		return ""
	}
	if f == "flows" && len(rest) == 3 && p.Code == CodeUnknownProperty && !flowFields[rest[2]] {
		return ""
	}
	return OwnerSecurity
}
