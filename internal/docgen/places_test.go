package docgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// typeAt applies the first n keystrokes of p to doc and returns every
// state (states[0] is doc).
func typeAt(doc []byte, p Place, n int, typed string) [][]byte {
	states := [][]byte{doc}
	cur, off := doc, p.Offset
	for _, k := range p.Keystrokes(n, typed) {
		next := make([]byte, 0, len(cur)+len(k))
		next = append(append(append(next, cur[:off]...), k...), cur[off:]...)
		cur, off = next, off+len(k)
		states = append(states, cur)
	}
	return states
}

func yamlOK(doc []byte) bool {
	var n yaml.Node
	return yaml.Unmarshal(doc, &n) == nil
}

func placesOf(t *testing.T, doc []byte) map[string]Place {
	t.Helper()
	ps, err := Places(doc)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestPlacesExistInEveryShape: YAML documents have o, a, b, c; JSON
// documents d1, d2; minified JSON documents m1, m2; every place is in the middle half of the document.
func TestPlacesExistInEveryShape(t *testing.T) {
	for _, shape := range Shapes() {
		o := Options{TargetBytes: 200_000, Seed: 1, Shape: shape, FlowBindings: true}
		for format, doc := range map[string][]byte{"yaml": Generate(o), "json": GenerateJSON(o), "minjson": GenerateMinJSON(o)} {
			ps := placesOf(t, doc)
			var want []string
			for _, id := range PlaceIDs() {
				if PlaceFormat(id) == format {
					want = append(want, id)
				}
			}
			if len(ps) != len(want) {
				t.Errorf("%s %s: places %v, want %v", shape, format, keys(ps), want)
			}
			for _, id := range want {
				p, ok := ps[id]
				if !ok {
					t.Errorf("%s %s: no place %s", shape, format, id)
					continue
				}
				// Wide documents have few operations: the middle one may sit
				// further from the middle of the text.
				lo, hi := len(doc)/4, 3*len(doc)/4
				if shape == ShapeWide {
					lo, hi = len(doc)/10, 9*len(doc)/10
				}
				if p.Offset < lo || p.Offset > hi {
					t.Errorf("%s %s %s: offset %d of %d not near the middle", shape, format, id, p.Offset, len(doc))
				}
				if len(p.Hover) == 0 || len(p.Complete) == 0 || p.What == "" {
					t.Errorf("%s %s %s: %+v", shape, format, id, p)
				}
			}
		}
	}
	if ps := placesOf(t, Generate(Options{Units: 3, Seed: 1})); ps[PlaceAfterFlowMapping].keys != nil {
		t.Error("place c without flow bindings")
	}
}

func keys(m map[string]Place) []string {
	var out []string
	for _, id := range PlaceIDs() {
		if _, ok := m[id]; ok {
			out = append(out, id)
		}
	}
	return out
}

// TestPlainTextPlacesStayValid: typing text into o, a, s (YAML) and d1 (JSON)
// keeps every state valid and changes only the targeted value.
func TestPlainTextPlacesStayValid(t *testing.T) {
	const typed = "aé日🙂 "
	for _, shape := range Shapes() {
		o := Options{TargetBytes: 80_000, Seed: 6, Shape: shape, FlowBindings: true}
		for _, c := range []struct {
			id  string
			doc []byte
		}{{PlaceOperationDescription, Generate(o)}, {PlaceComponentText, Generate(o)}, {PlaceSchemeText, Generate(o)}, {PlaceJSONString, GenerateJSON(o)},
			{PlaceMinJSONString, GenerateMinJSON(o)}} {
			p := placesOf(t, c.doc)[c.id]
			states := typeAt(c.doc, p, 10, typed)
			isJSON := c.id == PlaceJSONString || c.id == PlaceMinJSONString
			for i, s := range states {
				if (isJSON && !json.Valid(s)) || (!isJSON && !yamlOK(s)) {
					t.Fatalf("%s %s: state %d invalid", shape, c.id, i)
				}
			}
			var before, after any
			_ = yaml.Unmarshal(c.doc, &before)
			_ = yaml.Unmarshal(states[len(states)-1], &after)
			diffs := diffStrings("", before, after)
			if len(diffs) != 1 || !strings.Contains(diffs[0], "aé日🙂 aé日🙂 ") || !strings.HasSuffix(diffs[0], "description") {
				t.Fatalf("%s %s: changed %v", shape, c.id, diffs)
			}
		}
	}
}

// diffStrings lists "new value @ path" for every string that differs.
func diffStrings(path string, a, b any) []string {
	am, aIsMap := a.(map[string]any)
	bm, bIsMap := b.(map[string]any)
	if aIsMap && bIsMap {
		var out []string
		for k, v := range am {
			out = append(out, diffStrings(path+"/"+k, v, bm[k])...)
		}
		for k, v := range bm {
			if _, ok := am[k]; !ok {
				out = append(out, diffStrings(path+"/"+k, nil, v)...)
			}
		}
		return out
	}
	al, aIsList := a.([]any)
	bl, bIsList := b.([]any)
	if aIsList && bIsList {
		var out []string
		for i := 0; i < max(len(al), len(bl)); i++ {
			var x, y any
			if i < len(al) {
				x = al[i]
			}
			if i < len(bl) {
				y = bl[i]
			}
			out = append(out, diffStrings(fmt.Sprintf("%s/%d", path, i), x, y)...)
		}
		return out
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		return []string{fmt.Sprint(b) + " @ " + path}
	}
	return nil
}

// TestSecurityRefPlace: the complete typed line adds one security item
// naming the scheme; half-typed states include broken ones.
func TestSecurityRefPlace(t *testing.T) {
	for _, shape := range Shapes() {
		doc := Generate(Options{TargetBytes: 80_000, Seed: 6, Shape: shape, FlowBindings: true})
		p := placesOf(t, doc)[PlaceSecurityRef]
		line := strings.TrimLeft(strings.Join(p.Keystrokes(200, ""), ""), "\n ")
		line = line[:strings.IndexByte(line, '\n')]
		n := 1 + len([]rune(line)) // Enter, then one keystroke per rune
		states := typeAt(doc, p, n, "")
		broken := 0
		for _, s := range states[1 : len(states)-1] {
			if !yamlOK(s) {
				broken++
			}
		}
		if broken == 0 {
			t.Errorf("%s: no half-typed state is broken", shape)
		}
		final := states[len(states)-1]
		if !yamlOK(final) || !bytes.Contains(final, []byte(strings.TrimSpace(line)+"\n")) {
			t.Fatalf("%s: final state wrong:\n%s", shape, final[p.Offset-200:p.Offset+200])
		}
		// The new item is the second one of that operation's list.
		var before, after any
		_ = yaml.Unmarshal(doc, &before)
		_ = yaml.Unmarshal(final, &after)
		if d := diffStrings("", before, after); len(d) == 0 || !strings.Contains(strings.Join(d, " "), "/security/1") {
			t.Fatalf("%s: diff %v", shape, d)
		}
		if p.Complete[0] != Cursor {
			t.Errorf("%s: first completion not at the cursor", shape)
		}
		wantRef := "- $ref: '#/components/securitySchemes/"
		if shape == ShapeV26 {
			wantRef = "- apiKeyHeader: []"
			if strings.Contains(line, "bearerJwt") {
				wantRef = "- bearerJwt: []"
			}
		}
		if !strings.HasPrefix(line, wantRef) {
			t.Errorf("%s: typed line %q", shape, line)
		}
	}
}

// TestAfterFlowMappingPlace: every keystroke after the `}` leaves a
// syntax error.
func TestAfterFlowMappingPlace(t *testing.T) {
	for _, shape := range Shapes() {
		doc := Generate(Options{TargetBytes: 80_000, Seed: 6, Shape: shape, FlowBindings: true})
		p := placesOf(t, doc)[PlaceAfterFlowMapping]
		if !bytes.HasSuffix(doc[:p.Offset], []byte(FlowBindingsLine)) {
			t.Fatalf("%s: offset not after the flow mapping", shape)
		}
		states := typeAt(doc, p, 13, "")
		for i, s := range states[1:] {
			if yamlOK(s) {
				t.Fatalf("%s: state %d parses", shape, i+1)
			}
		}
		if !bytes.Contains(states[13], []byte(FlowBindingsLine+"x y z x y z x\n")) {
			t.Errorf("%s: typed text wrong", shape)
		}
	}
}

// TestJSONMemberPlace: the member is broken until its final comma; then
// the createdAt property schema has a description; further members are
// x-note-N.
func TestJSONMemberPlace(t *testing.T) {
	for _, shape := range Shapes() {
		for _, minified := range []bool{false, true} {
			testJSONMemberPlace(t, shape, minified)
		}
	}
}

// testJSONMemberPlace checks d2 (pretty-printed: Enter first) or m2
// (minified: one line, no Enter).
func testJSONMemberPlace(t *testing.T, shape Shape, minified bool) {
	o := Options{TargetBytes: 80_000, Seed: 6, Shape: shape}
	doc, id, enter := GenerateJSON(o), PlaceJSONMember, 1
	if minified {
		doc, id, enter = GenerateMinJSON(o), PlaceMinJSONMember, 0
	}
	p := placesOf(t, doc)[id]
	member := `"description": "Typed in lspbench é日🙂",`
	n := enter + len([]rune(member))
	n2 := n + enter + len([]rune(`"x-note-2": "Typed in lspbench é日🙂",`))
	states := typeAt(doc, p, n2, "")
	if minified && bytes.IndexByte(states[n2], '\n') >= 0 {
		t.Fatalf("%s: a line break typed into minified JSON", shape)
	}
	for i := 1 + enter; i < n; i++ {
		if json.Valid(states[i]) {
			t.Fatalf("%s: half-typed state %d is valid JSON: %q", shape, i, states[i][p.Offset:p.Offset+i+20])
		}
	}
	if !json.Valid(states[enter]) || !json.Valid(states[n]) || !json.Valid(states[n2]) {
		t.Fatalf("%s: Enter or complete members do not give valid JSON", shape)
	}
	var before, after any
	_ = json.Unmarshal(doc, &before)
	_ = json.Unmarshal(states[n2], &after)
	d := diffStrings("", before, after)
	if len(d) != 2 || !strings.HasSuffix(d[0], "/properties/createdAt/description") && !strings.HasSuffix(d[1], "/properties/createdAt/description") ||
		!strings.Contains(d[0]+d[1], "/properties/createdAt/x-note-2") {
		t.Fatalf("%s: changes %v", shape, d)
	}
}

// TestPlaceRequestsAfterTyping: hover and completion targets land on the
// same text after typing (AfterTyping), and Cursor lands after the typed
// text.
func TestPlaceRequestsAfterTyping(t *testing.T) {
	for _, shape := range Shapes() {
		o := Options{TargetBytes: 80_000, Seed: 6, Shape: shape, FlowBindings: true}
		for _, doc := range [][]byte{Generate(o), GenerateJSON(o), GenerateMinJSON(o)} {
			for id, p := range placesOf(t, doc) {
				states := typeAt(doc, p, 25, "xyz")
				final := states[len(states)-1]
				inserted := len(final) - len(doc)
				for _, off := range append(append([]int{}, p.Hover...), p.Complete...) {
					got := p.AfterTyping(off, inserted)
					if off == Cursor {
						if !bytes.HasSuffix(final[:got], []byte(p.Keystrokes(25, "xyz")[24])) {
							t.Errorf("%s %s: cursor maps to %d", shape, id, got)
						}
						continue
					}
					if !bytes.Equal(doc[off:off+6], final[got:got+6]) {
						t.Errorf("%s %s: %q became %q", shape, id, doc[off:off+6], final[got:got+6])
					}
				}
				if id == PlaceSecurityRef || id == PlaceOperationDescription {
					// The first hover is on the edited operation's key.
					h := p.Hover[0]
					if h > p.Offset || doc[h-2] != ' ' && doc[h-2] != '"' {
						t.Errorf("%s %s: first hover at %q", shape, id, doc[h-2:h+10])
					}
				}
			}
		}
	}
}

// TestNewScopePlace: the place n types whole scope lines into the scheme's
// first flow: after each line the document is valid again and the flow
// has one more scope, with nothing else changed.
func TestNewScopePlace(t *testing.T) {
	for _, shape := range Shapes() {
		doc := Generate(Options{TargetBytes: 80_000, Seed: 6, Shape: shape})
		p, ok := placesOf(t, doc)[PlaceNewScope]
		if !ok {
			t.Fatalf("%s: no place n", shape)
		}
		line := "'lspbench:scope1': Typed scope"
		n := 2 * (1 + len([]rune(line))) // Enter and the line, twice
		states := typeAt(doc, p, n, "")
		for _, i := range []int{n / 2, n} {
			if !yamlOK(states[i]) {
				t.Fatalf("%s: invalid after %d keystrokes:\n%s", shape, i, states[i][p.Offset-200:p.Offset+200])
			}
		}
		var before, after any
		_ = yaml.Unmarshal(doc, &before)
		_ = yaml.Unmarshal(states[n], &after)
		diffs := diffStrings("", before, after)
		if len(diffs) != 2 || !strings.HasSuffix(diffs[0], "lspbench:scope1") && !strings.HasSuffix(diffs[1], "lspbench:scope1") {
			t.Fatalf("%s: changed %v", shape, diffs)
		}
	}
}
