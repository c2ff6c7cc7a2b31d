package features

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
)

// cursorDoc analyzes a document with one "|" marking the cursor.
func cursorDoc(t *testing.T, marked string) (*analysis.Document, int) {
	t.Helper()
	off := strings.Index(marked, "|")
	if off < 0 {
		t.Fatal("no | cursor in the document")
	}
	return analysis.Analyze([]byte(marked[:off] + marked[off+1:])), off
}

// occurrenceTexts renders occurrences as "D:text" / "R:text" in order.
func occurrenceTexts(d *analysis.Document, occ []Occurrence) []string {
	var out []string
	for _, o := range occ {
		k := "R"
		if o.Kind == Declaration {
			k = "D"
		}
		out = append(out, k+":"+string(d.Text[o.Range.Start:o.Range.End]))
	}
	return out
}

const navV3 = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  prod:
    host: h
    protocol: kafka
    security:
      - $ref: '#/components/securitySchemes/sasl'
channels:
  orders:
    address: orders
    servers:
      - $ref: '#/servers/prod'
    messages:
      placed:
        $ref: "#/components/messages/placed"
  user/signup:
    address: user.signup
operations:
  send:
    action: send
    channel:
      $ref: '#/channels/orders'
    messages:
      - $ref: '#/channels/orders/messages/placed'
    reply:
      channel:
        $ref: '#/channels/user~1signup'
  listen:
    action: receive
    channel:
      $ref: '#/channels/user~1signup'
components:
  messages:
    placed:
      payload:
        $ref: '#/components/schemas/Order/properties/id'
  schemas:
    Order:
      type: object
      properties:
        id: {type: string}
  securitySchemes:
    sasl:
      type: scramSha256
`

const navV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  prod:
    url: h
    protocol: mqtt
    security:
      - key: []
  test:
    url: t
    protocol: mqtt
channels:
  events:
    servers: [prod, test]
    publish:
      security:
        - key: []
components:
  securitySchemes:
    key: {type: apiKey, in: user}
`

func mark(doc, anchor string, delta int) string {
	i := strings.Index(doc, anchor)
	if i < 0 {
		panic("no anchor " + anchor)
	}
	i += delta
	return doc[:i] + "|" + doc[i:]
}

func TestReferences(t *testing.T) {
	cases := []struct {
		name, doc string
		want      []string
	}{
		{"scheme key (3.x)", mark(navV3, "    sasl:", 5), []string{"R:sasl", "D:sasl"}},
		{"scheme $ref (3.x)", mark(navV3, "securitySchemes/sasl'", 17), []string{"R:sasl", "D:sasl"}},
		{"server from a channel $ref", mark(navV3, "'#/servers/prod'", 12), []string{"D:prod", "R:prod"}},
		{"channel key", mark(navV3, "  orders:\n", 3), []string{"D:orders", "R:orders", "R:orders"}},
		{"escaped channel name", mark(navV3, "  user/signup:", 4), []string{"D:user/signup", "R:user~1signup", "R:user~1signup"}},
		{"channel message through a deeper $ref", mark(navV3, "      placed:\n        $ref", 7), []string{"D:placed", "R:placed"}},
		{"double-quoted $ref to a message", mark(navV3, `messages/placed"`, 10), []string{"R:placed", "D:placed"}},
		{"schema used through a deeper pointer", mark(navV3, "    Order:", 5), []string{"R:Order", "D:Order"}},
		{"cursor on the first token of a $ref names the section", mark(navV3, "'#/channels/orders'", 4), []string{"D:channels", "R:channels", "R:channels", "R:channels", "R:channels"}},
		{"2.x requirement key", mark(navV2, "      - key: []", 9), []string{"R:key", "R:key", "D:key"}},
		{"2.x scheme declaration", mark(navV2, "    key: {type", 5), []string{"R:key", "R:key", "D:key"}},
		{"2.x channel server name", mark(navV2, "[prod, test]", 8), []string{"D:test", "R:test"}},
		{"2.x server key", mark(navV2, "  prod:", 3), []string{"D:prod", "R:prod"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, off := cursorDoc(t, tc.doc)
			got := occurrenceTexts(d, References(d, off, true))
			if !slices.Equal(got, tc.want) {
				t.Errorf("references = %q, want %q", got, tc.want)
			}
			var noDecl []string
			for _, w := range tc.want {
				if !strings.HasPrefix(w, "D:") {
					noDecl = append(noDecl, w)
				}
			}
			if got := occurrenceTexts(d, References(d, off, false)); !slices.Equal(got, noDecl) {
				t.Errorf("references without the declaration = %q, want %q", got, noDecl)
			}
		})
	}
}

func TestReferencesNothingHere(t *testing.T) {
	for _, doc := range []string{mark(navV3, "host: h", 7), mark(navV3, "asyncapi: 3", 12), "not: asyncapi|\n"} {
		d, off := cursorDoc(t, doc)
		if got := References(d, off, true); len(got) != 0 && !strings.HasPrefix(doc, "asyncapi: 3") {
			t.Errorf("references at a value = %v, want none", got)
		}
		if _, err := PrepareRename(d, off); err == nil {
			t.Errorf("prepareRename at %q accepted", doc[max(0, strings.Index(doc, "|")-10):strings.Index(doc, "|")])
		}
	}
}

// applyEdits applies non-overlapping edits to text.
func applyEdits(text []byte, edits []TextEdit) string {
	sorted := slices.Clone(edits)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Range.Start > sorted[j].Range.Start })
	out := string(text)
	for _, e := range sorted {
		out = out[:e.Range.Start] + e.NewText + out[e.Range.End:]
	}
	return out
}

func codes(d *analysis.Document) []string {
	var out []string
	for _, g := range d.Diagnostics {
		out = append(out, g.Code)
	}
	sort.Strings(out)
	return out
}

func TestRename(t *testing.T) {
	cases := []struct {
		name, doc, newName string
		contains           []string // lines the renamed text must have
		absent             []string
	}{
		{"scheme (3.x)", mark(navV3, "    sasl:", 5), "scram",
			[]string{"    scram:", "'#/components/securitySchemes/scram'"}, []string{"sasl"}},
		{"channel with a slash, from a $ref", mark(navV3, "'#/channels/user~1signup'", 14), "user/sign up",
			[]string{"  'user/sign up':", "'#/channels/user~1sign%20up'"}, []string{"user~1signup"}},
		{"server with a plain name", mark(navV3, "  prod:", 3), "production",
			[]string{"  production:", "'#/servers/production'"}, []string{"prod'"}},
		{"schema used by a deeper pointer", mark(navV3, "    Order:", 5), "Purchase",
			[]string{"    Purchase:", "'#/components/schemas/Purchase/properties/id'"}, []string{"Order"}},
		{"channel message", mark(navV3, "      placed:\n        $ref", 7), "created",
			[]string{"      created:", "'#/channels/orders/messages/created'", `"#/components/messages/placed"`}, nil},
		{"operation", mark(navV3, "  listen:", 3), "onSignup", []string{"  onSignup:"}, []string{"listen"}},
		{"2.x scheme: requirement keys follow", mark(navV2, "      - key: []", 9), "apiKey",
			[]string{"      - apiKey: []", "        - apiKey: []", "    apiKey: {type"}, []string{"key:"}},
		{"2.x server: channel servers follow", mark(navV2, "  test:", 3), "staging",
			[]string{"  staging:", "servers: [prod, staging]"}, nil},
		{"a name that must be quoted", mark(navV2, "  test:", 3), "true",
			[]string{"  'true':", "servers: [prod, 'true']"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, off := cursorDoc(t, tc.doc)
			if _, err := PrepareRename(d, off); err != nil {
				t.Fatalf("prepareRename: %v", err)
			}
			edits, err := Rename(d, off, tc.newName)
			if err != nil {
				t.Fatal(err)
			}
			out := applyEdits(d.Text, edits)
			for _, c := range tc.contains {
				if !strings.Contains(out, c) {
					t.Errorf("renamed text lacks %q:\n%s", c, out)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(out, a) {
					t.Errorf("renamed text still has %q:\n%s", a, out)
				}
			}
			after := analysis.Analyze([]byte(out))
			if !slices.Equal(codes(after), codes(d)) {
				t.Errorf("diagnostics changed from %v to %v:\n%s", codes(d), codes(after), out)
			}
		})
	}
}

func TestRenameRefusals(t *testing.T) {
	cases := []struct{ name, doc, newName, want string }{
		{"existing sibling", mark(navV3, "  prod:", 3), "prod2", ""},
		{"name taken", mark(navV2, "  test:", 3), "prod", "already exists"},
		{"empty", mark(navV2, "  test:", 3), "", "empty"},
		{"not a named thing", mark(navV3, "      type: object", 7), "x", "only servers"},
		{"undeclared 2.x scheme", strings.Replace(mark(navV2, "      - key: []", 9), "    key: {type", "    other: {type", 1), "x", "not declared"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, off := cursorDoc(t, tc.doc)
			_, err := Rename(d, off, tc.newName)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("rename refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("rename error = %v, want one with %q", err, tc.want)
			}
		})
	}
}

func TestRenameJSONKeepsDoubleQuotes(t *testing.T) {
	doc := `{"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"},
 "channels": {"a": {"address": "a"}},
 "operations": {"o": {"action": "send", "channel": {"$ref": "#/channels/a"}}}}`
	d, off := cursorDoc(t, mark(doc, `"a": {"address`, 1))
	edits, err := Rename(d, off, "b c")
	if err != nil {
		t.Fatal(err)
	}
	out := applyEdits(d.Text, edits)
	for _, want := range []string{`"b c": {"address"`, `"$ref": "#/channels/b%20c"`} {
		if !strings.Contains(out, want) {
			t.Errorf("renamed JSON lacks %s:\n%s", want, out)
		}
	}
	if after := analysis.Analyze([]byte(out)); len(after.Diagnostics) != len(d.Diagnostics) {
		t.Errorf("diagnostics after rename: %v", after.Diagnostics)
	}
}

func TestDefinitionOfNames(t *testing.T) {
	cases := []struct {
		name, doc, want string // want: the text of the line the definition is on
	}{
		{"2.x requirement key", mark(navV2, "      - key: []", 9), "    key: {type: apiKey, in: user}"},
		{"2.x channel server name", mark(navV2, "[prod, test]", 8), "  test:"},
		{"3.x $ref to a channel message", mark(navV3, "messages/placed'", 10), "      placed:"},
		{"3.x escaped channel name", mark(navV3, "'#/channels/user~1signup'\n  listen", 14), "  user/signup:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, off := cursorDoc(t, tc.doc)
			r, ok := Definition(d, off)
			if !ok {
				t.Fatal("no definition")
			}
			line := d.Mapper.Line(r.Start)
			if got := string(d.Text[d.Mapper.LineStart(line):d.Mapper.LineEnd(line)]); got != tc.want {
				t.Errorf("definition on %q, want %q", got, tc.want)
			}
		})
	}
}
