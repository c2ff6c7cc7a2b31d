package schema

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

const base300 = `asyncapi: 3.0.0
info:
  title: Orders
  version: 1.0.0
  contact:
    email: team@example.com
servers:
  prod:
    host: broker.example.com
    protocol: kafka
    security:
      - $ref: '#/components/securitySchemes/sasl'
channels:
  orders:
    address: orders
    messages:
      placed:
        $ref: '#/components/messages/placed'
operations:
  placeOrder:
    action: send
    channel:
      $ref: '#/channels/orders'
    tags:
      - name: orders
    x-internal: true
components:
  messages:
    placed:
      contentType: application/json
      payload:
        type: object
        properties:
          id:
            type: string
            pattern: '^(?!x)[a-z]+$'
            minLength: 1
  securitySchemes:
    sasl:
      type: scramSha512
      description: SASL
`

const base260 = `asyncapi: 2.6.0
info:
  title: Orders
  version: 1.0.0
servers:
  prod:
    url: broker.example.com
    protocol: kafka
    security:
      - sasl: []
channels:
  orders:
    publish:
      operationId: placeOrder
      message:
        $ref: '#/components/messages/placed'
components:
  messages:
    placed:
      payload:
        type: object
  securitySchemes:
    sasl:
      type: scramSha512
`

// want is one expected problem: pointer, where, code and a part of the
// message.
type want struct {
	ptr, where, code, msg string
}

func (w want) String() string { return fmt.Sprintf("%s %s %s %q", w.ptr, w.where, w.code, w.msg) }

// edit replaces the first occurrence of old in doc (which must exist).
func edit(t *testing.T, doc, old, new string) string {
	t.Helper()
	if !strings.Contains(doc, old) {
		t.Fatalf("edit: %q not in the document", old)
	}
	return strings.Replace(doc, old, new, 1)
}

func validate(t *testing.T, text string) []Problem {
	t.Helper()
	doc := decode(t, text)
	ver, _ := doc.(map[string]any)["asyncapi"].(string)
	v, err := For(ver)
	if err != nil {
		t.Fatal(err)
	}
	return v.Validate(doc).Problems()
}

func split(ps []Problem) (mine, owned []Problem) {
	for _, p := range ps {
		if p.Owner == "" {
			mine = append(mine, p)
		} else {
			owned = append(owned, p)
		}
	}
	return
}

func check(t *testing.T, got []Problem, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("got %d problems, want %d:\n%s", len(got), len(wants), dump(got))
		return
	}
	for i, w := range wants {
		p := got[i]
		if p.Pointer() != w.ptr || p.Where.String() != w.where || p.Code != w.code || !strings.Contains(p.Message, w.msg) {
			t.Errorf("problem %d:\n got  %s %s %s %q\n want %s", i, p.Pointer(), p.Where, p.Code, p.Message, w)
		}
	}
}

func dump(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %s %s %s %q owner=%s\n", p.Pointer(), p.Where, p.Code, p.Message, p.Owner)
	}
	return b.String()
}

// TestCodes: one case per code (and the quiet collapses), each a single
// mistake in a valid document that must give exactly one problem of ours
// at the right node; near misses must give none.
func TestCodes(t *testing.T) {
	cases := []struct {
		name      string
		base      string
		old, new  string
		want      []want
		wantOwned []string // "owner pointer" of problems another check reports
	}{
		{name: "valid 3.0.0 (x- extension, ECMA-262 look-ahead pattern, $ref everywhere)", base: base300},
		{name: "valid 2.6.0", base: base260},
		{name: "unknown property with suggestion", base: base300, old: "    x-internal: true\n", new: "    x-internal: true\n    summry: Place\n",
			want: []want{{"/operations/placeOrder/summry", "key", CodeUnknownProperty, "did you mean `summary`?"}}},
		{name: "unknown property without suggestion lists the allowed ones", base: base300, old: "    address: orders\n", new: "    address: orders\n    zzz: 1\n",
			want: []want{{"/channels/orders/zzz", "key", CodeUnknownProperty, "allowed: `address`"}}},
		{name: "near miss: x- extension key", base: base300, old: "    address: orders\n", new: "    address: orders\n    x-zzz: 1\n"},
		{name: "required field missing, on the parent key", base: base300, old: "    action: send\n", new: "",
			want: []want{{"/operations/placeOrder", "parent-key", CodeRequired, "missing the required field `action`"}}},
		{name: "misspelled required key is one mistake", base: base300, old: "    action: send\n", new: "    acton: send\n",
			want: []want{{"/operations/placeOrder/acton", "key", CodeUnknownProperty, "did you mean `action` (required here)?"}}},
		{name: "root required field", base: base300, old: "info:\n  title: Orders\n  version: 1.0.0\n  contact:\n    email: team@example.com\n", new: "",
			want: []want{{"", "parent-key", CodeRequired, "`info`"}}},
		{name: "wrong type: number for string", base: base300, old: "    host: broker.example.com", new: "    host: 42",
			want: []want{{"/servers/prod/host", "value", CodeType, "`host` must be a string, not a number"}}},
		{name: "scalar where a list belongs", base: base300, old: "    tags:\n      - name: orders\n", new: "    tags: orders\n",
			want: []want{{"/operations/placeOrder/tags", "value", CodeType, "must be a list, not a string"}}},
		{name: "scalar where a Reference belongs", base: base300, old: "    channel:\n      $ref: '#/channels/orders'\n", new: "    channel: orders\n",
			want: []want{{"/operations/placeOrder/channel", "value", CodeType, "must be a mapping"}}},
		{name: "enum with suggestion", base: base300, old: "action: send", new: "action: sned",
			want: []want{{"/operations/placeOrder/action", "value", CodeEnum, `did you mean "send"?`}}},
		{name: "enum inside a payload schema (draft-07 type)", base: base300, old: "            type: string", new: "            type: strin",
			want: []want{{"/components/messages/placed/payload/properties/id/type", "value", CodeEnum, `did you mean "string"?`}}},
		{name: "format", base: base300, old: "email: team@example.com", new: "email: team-at-example",
			want: []want{{"/info/contact/email", "value", CodeFormat, "not a valid email"}}},
		{name: "other rule: schema-value", base: base300, old: "minLength: 1", new: "minLength: -1",
			want: []want{{"/components/messages/placed/payload/properties/id/minLength", "value", CodeValue, "minLength"}}},
		{name: "unknown key in a security scheme is ours", base: base300, old: "      description: SASL", new: "      descripton: SASL",
			want: []want{{"/components/securitySchemes/sasl/descripton", "key", CodeUnknownProperty, "did you mean `description`?"}}},
		{name: "scheme type: security-scheme-type explains it", base: base300, old: "type: scramSha512", new: "type: scramSha513",
			wantOwned: []string{"security /components/securitySchemes/sasl/type"}},
		{name: "scheme field of another type: security-scheme-field explains it", base: base300, old: "      description: SASL", new: "      in: user",
			wantOwned: []string{"security /components/securitySchemes/sasl/in"}},
		{name: "2.x requirement in a 3.x server: security-requirement-shape explains it", base: base300,
			old: "      - $ref: '#/components/securitySchemes/sasl'", new: "      - sasl: []",
			wantOwned: []string{"security /servers/prod/security/0"}},
		{name: "root security: security-root-level explains it", base: base300, old: "servers:\n", new: "security: []\nservers:\n",
			wantOwned: []string{"security /security"}},
		{name: "patch version: asyncapi-version explains it", base: base300, old: "asyncapi: 3.0.0", new: "asyncapi: 3.0.7",
			wantOwned: []string{"version /asyncapi"}},
		{name: "near miss: a $ref where the schema wants a string", base: base300, old: "    address: orders\n", new: "    address: orders\n    description:\n      $ref: './README.md'\n"},
		{name: "2.6 unknown key in an operation", base: base260, old: "      operationId: placeOrder\n", new: "      operationId: placeOrder\n      sumary: x\n",
			want: []want{{"/channels/orders/publish/sumary", "key", CodeUnknownProperty, "did you mean `summary`?"}}},
		{name: "2.6 channel name that is no URI template (propertyNames)", base: base260, old: "  orders:\n", new: "  orders{:\n",
			want: []want{{"/channels", "value", CodeValue, "`channels`: invalid propertyName 'orders{'"}}},
		{name: "near miss: 2.6 channel name with a template variable", base: base260, old: "  orders:\n", new: "  orders/{id}:\n"},
		{name: "2.6 requirement not a list of scopes: security-requirement-shape explains it", base: base260, old: "      - sasl: []", new: "      - sasl: read",
			wantOwned: []string{"security /servers/prod/security/0/sasl"}},
		{name: "2.3 operation security: security-operation-not-supported explains it", base: base260,
			old: "asyncapi: 2.6.0\n", new: "asyncapi: 2.3.0\n",
			// (no operation security in the base: only the version changes, nothing is reported)
		},
		{name: "2.3 operation security is reported once, by the security check", base: strings.Replace(base260, "asyncapi: 2.6.0", "asyncapi: 2.3.0", 1),
			old: "      operationId: placeOrder\n", new: "      operationId: placeOrder\n      security:\n        - sasl: []\n",
			wantOwned: []string{"security /channels/orders/publish/security"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := c.base
			if c.old != "" {
				text = edit(t, text, c.old, c.new)
			}
			mine, owned := split(validate(t, text))
			check(t, mine, c.want)
			var gotOwned []string
			for _, p := range owned {
				gotOwned = append(gotOwned, p.Owner+" "+p.Pointer())
			}
			if strings.Join(gotOwned, "\n") != strings.Join(c.wantOwned, "\n") {
				t.Errorf("owned problems:\n got  %q\n want %q\n%s", gotOwned, c.wantOwned, dump(owned))
			}
		})
	}
}

// TestChoiceCollapses: failures inside oneOf/anyOf give one problem about
// the alternative the user meant, not one per alternative.
func TestChoiceCollapses(t *testing.T) {
	const doc = `asyncapi: 3.0.0
info: {title: T, version: '1'}
components:
  securitySchemes:
    key:
      type: httpApiKey
      name: X-Key
      in: header
      descripton: typo
    oauth:
      type: oauth2
      flows:
        implicit:
          authorizationUrl: https://a.example.com
          availableScopes: {}
          extra: 1
`
	mine, _ := split(validate(t, doc))
	check(t, mine, []want{
		{"/components/securitySchemes/key/descripton", "key", CodeUnknownProperty, "did you mean `description`?"},
		{"/components/securitySchemes/oauth/flows/implicit/extra", "key", CodeUnknownProperty, "unknown field `extra`"},
	})
}

func TestNormalize(t *testing.T) {
	for in, out := range map[string]string{"2.6.0": "2.6.0", "2.6.0-rc1": "2.6.0", "3.0.2": "3.0.0", "3.1": "3.1.0", " 2.0.0 ": "2.0.0", "2.3.1+build": "2.3.0"} {
		if got, ok := Normalize(in); !ok || got != out {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, ok, out)
		}
	}
	for _, in := range []string{"", "1.2.0", "2.7.0", "3.2.0", "x.y", "3", "3.0.0.0", "v3.0.0"} {
		if got, ok := Normalize(in); ok {
			t.Errorf("Normalize(%q) = %q, want not ok", in, got)
		}
	}
}

// TestEveryVersionCompiles compiles each schema once, from several
// goroutines at the same time (spec-json-schemas' Get is not safe for
// that; Raw and For are).
func TestEveryVersionCompiles(t *testing.T) {
	var wg sync.WaitGroup
	for _, v := range Versions {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := For(v); err != nil {
					t.Errorf("%s: %v", v, err)
				}
			}()
		}
	}
	wg.Wait()
}

func TestPointer(t *testing.T) {
	if got := Pointer([]string{"channels", "a/b", "c~d"}); got != "/channels/a~1b/c~0d" {
		t.Fatalf("Pointer = %q", got)
	}
	if got := Pointer(nil); got != "" {
		t.Fatalf("Pointer(nil) = %q", got)
	}
}

// TestPropertyNames: the walker checks the 2.x channel names (propertyNames)
// one key at a time, with exactly the problems the JSON-schema validator
// gives for the whole channels object, and a re-validation after one
// channel changed checks that channel's name only, keeping the problems of
// the untouched names.
func TestPropertyNames(t *testing.T) {
	text := edit(t, base260, "channels:\n", "channels:\n  'a{':\n    description: one\n  b}:\n    description: two\n  ok/{id}:\n    description: three\n")
	doc := decode(t, text).(map[string]any)
	v, err := For("2.6.0")
	if err != nil {
		t.Fatal(err)
	}
	channels := v.root.Properties["channels"]
	if channels == nil || v.parts[channels] == nil {
		t.Fatal("the 2.6 channels schema is not taken apart by the walker")
	}
	// What the validator says about the whole channels object.
	w := walker{v: v, root: Of(doc), res: &Result{v: v}, seen: map[visit]struct{}{}}
	w.unit(channels, Of(doc["channels"]), []string{"channels"})
	sortProblems(w.out)
	whole := dump(w.out)
	var names []Problem
	full := v.Validate(doc)
	for _, p := range full.Problems() {
		if p.Pointer() == "/channels" {
			names = append(names, p)
		}
	}
	if got := dump(names); got != whole || len(names) != 2 {
		t.Fatalf("walker:\n%s\nvalidator on the whole object:\n%s", got, whole)
	}

	// Rename `b}` (touched) and change `ok/{id}` (touched); `a{` is not.
	next := clone(doc)
	ch := clone(doc["channels"].(map[string]any))
	ch["b/{x}"] = ch["b}"]
	delete(ch, "b}")
	ch["ok/{id}"] = map[string]any{"description": "changed"}
	next["channels"] = ch
	changed := [][]string{{"channels", "b}"}, {"channels", "b/{x}"}, {"channels", "ok/{id}"}}
	inc := v.Revalidate(full, next, changed)
	cold := v.Validate(next)
	if a, b := dump(inc.Problems()), dump(cold.Problems()); a != b {
		t.Fatalf("incremental:\n%s\ncold:\n%s", a, b)
	}
	if !strings.Contains(dump(inc.Problems()), "'a{'") || strings.Contains(dump(inc.Problems()), "'b}'") {
		t.Fatalf("want the problem of `a{` kept and that of `b}` gone:\n%s", dump(inc.Problems()))
	}
	if inc.Validated >= cold.Validated {
		t.Errorf("incremental validated %d sub-values, cold %d", inc.Validated, cold.Validated)
	}
}

// TestPropertyNamesEmptyKey: a channel named by the empty string (what an
// explicit `?` key that is no scalar decodes to) breaks propertyNames, and
// a re-validation after another channel changed keeps that problem as the
// cold validation gives it.
func TestPropertyNamesEmptyKey(t *testing.T) {
	text := edit(t, base260, "channels:\n", "channels:\n  '':\n    description: one\n  ok:\n    description: two\n")
	doc := decode(t, text).(map[string]any)
	v, err := For("2.6.0")
	if err != nil {
		t.Fatal(err)
	}
	full := v.Validate(doc)
	if !strings.Contains(dump(full.Problems()), "invalid propertyName ''") {
		t.Fatalf("want the channel '' rejected:\n%s", dump(full.Problems()))
	}
	next := clone(doc)
	ch := clone(doc["channels"].(map[string]any))
	ch["ok"] = map[string]any{"description": "changed"}
	next["channels"] = ch
	inc := v.Revalidate(full, next, [][]string{{"channels", "ok"}})
	if a, b := dump(inc.Problems()), dump(v.Validate(next).Problems()); a != b {
		t.Fatalf("incremental:\n%s\ncold:\n%s", a, b)
	}
}
