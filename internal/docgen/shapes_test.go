package docgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

func shapeVersion(s Shape) string {
	if s == ShapeV26 {
		return "2.6.0"
	}
	return "3.0.0"
}

// decodeYAML and decodeJSON give the values the schema validator checks.
func decodeYAML(t *testing.T, doc []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		t.Fatalf("yaml.v3: %v", err)
	}
	return v
}

func decodeJSON(t *testing.T, doc []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	return v
}

// TestShapesValidAgainstOfficialSchema: every shape, in YAML and in JSON,
// small and large, with and without flow bindings, validates against the
// official JSON schema of its AsyncAPI version.
func TestShapesValidAgainstOfficialSchema(t *testing.T) {
	for _, shape := range Shapes() {
		for _, o := range []Options{
			{Units: 1, Seed: 4},
			{TargetBytes: 60_000, Seed: 3, FlowBindings: true},
			{TargetBytes: 1, Seed: 5},
		} {
			o.Shape = shape
			sch := officialSchema(t, shapeVersion(shape))
			y := Generate(o)
			if err := sch.Validate(decodeYAML(t, y)); err != nil {
				t.Errorf("%+v YAML: not valid AsyncAPI %s: %v", o, shapeVersion(shape), err)
			}
			j := GenerateJSON(o)
			if !json.Valid(j) {
				t.Fatalf("%+v: invalid JSON", o)
			}
			if err := sch.Validate(decodeJSON(t, j)); err != nil {
				t.Errorf("%+v JSON: not valid AsyncAPI %s: %v", o, shapeVersion(shape), err)
			}
			if !strings.HasPrefix(string(y), "asyncapi: "+shapeVersion(shape)+"\n") {
				t.Errorf("%+v: header %q", o, y[:20])
			}
		}
	}
}

// TestShapeSchemaRejectsVersionMismatch guards the validation above: a 2.6
// document does not pass as 3.0.0 and the 3.0 one not as 2.6.
func TestShapeSchemaRejectsVersionMismatch(t *testing.T) {
	v26 := Generate(Options{Units: 2, Seed: 1, Shape: ShapeV26})
	v26as3 := bytes.Replace(v26, []byte("asyncapi: 2.6.0"), []byte("asyncapi: 3.0.0"), 1)
	if officialSchema(t, "3.0.0").Validate(decodeYAML(t, v26as3)) == nil {
		t.Error("a 2.6-shaped document validated as 3.0.0")
	}
	v3 := Generate(Options{Units: 2, Seed: 1, Shape: ShapeWide})
	v3as26 := bytes.Replace(v3, []byte("asyncapi: 3.0.0"), []byte("asyncapi: 2.6.0"), 1)
	if officialSchema(t, "2.6.0").Validate(decodeYAML(t, v3as26)) == nil {
		t.Error("a 3.0-shaped document validated as 2.6.0")
	}
}

func TestShapesSizesAndDeterminism(t *testing.T) {
	for _, shape := range Shapes() {
		for _, target := range []int{100_000, 1_000_000} {
			t.Run(fmt.Sprint(shape, target), func(t *testing.T) {
				o := Options{TargetBytes: target, Seed: 2, Shape: shape, FlowBindings: true}
				y, j := Generate(o), GenerateJSON(o)
				for _, doc := range [][]byte{y, j} {
					if d := len(doc) - target; d*10 > target || -d*10 > target {
						t.Errorf("size %d not within 10%% of %d", len(doc), target)
					}
					if !utf8.Valid(doc) {
						t.Error("not valid UTF-8")
					}
				}
				if target == 100_000 {
					if !bytes.Equal(y, Generate(o)) || !bytes.Equal(j, GenerateJSON(o)) {
						t.Error("same options gave different documents")
					}
					o.Seed++
					if bytes.Equal(y, Generate(o)) {
						t.Error("different seeds gave the same document")
					}
				}
			})
		}
	}
}

// TestDefaultShapeIsV3 pins that the zero Options keep the original 3.0.0
// shape (the engine's tests rely on it) and that FlowBindings only adds
// bindings lines.
func TestDefaultShapeIsV3(t *testing.T) {
	a := Generate(Options{Units: 20, Seed: 3})
	if !bytes.Equal(a, Generate(Options{Units: 20, Seed: 3, Shape: ShapeV3})) {
		t.Fatal("zero Shape differs from ShapeV3")
	}
	b := Generate(Options{Units: 20, Seed: 3, FlowBindings: true})
	line := []byte("    " + FlowBindingsLine + "\n")
	if n := bytes.Count(b, line); n != 3 { // operations 0, 8, 16
		t.Fatalf("%d flow bindings lines, want 3", n)
	}
	if !bytes.Equal(a, bytes.ReplaceAll(b, line, nil)) {
		t.Fatal("FlowBindings changed more than the bindings lines")
	}
	if bytes.Contains(a, []byte("bindings")) {
		t.Fatal("bindings without FlowBindings")
	}
}

// TestWideShape: many channels and components, few operations.
func TestWideShape(t *testing.T) {
	doc := Generate(Options{Units: 40, Seed: 1, Shape: ShapeWide})
	var root struct {
		Channels   map[string]any `yaml:"channels"`
		Operations map[string]any `yaml:"operations"`
		Components struct {
			Schemas  map[string]any            `yaml:"schemas"`
			Messages map[string]map[string]any `yaml:"messages"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	if len(root.Channels) != 40 || len(root.Components.Schemas) != 40 || len(root.Components.Messages) != 40 || len(root.Operations) != 4 {
		t.Fatalf("channels %d schemas %d messages %d operations %d", len(root.Channels), len(root.Components.Schemas),
			len(root.Components.Messages), len(root.Operations))
	}
	for name, m := range root.Components.Messages {
		ref, _ := m["payload"].(map[string]any)["$ref"].(string)
		if ref != "#/components/schemas/"+name {
			t.Fatalf("message %s payload %v", name, m["payload"])
		}
	}
	checkSecurityV3(t, doc)
}

// TestV26SecurityConsistent: every 2.x requirement names a declared scheme,
// every scheme is used, oauth2 requirements request declared scopes and the
// others request none.
func TestV26SecurityConsistent(t *testing.T) {
	for _, o := range []Options{{TargetBytes: 150_000, Seed: 11, Shape: ShapeV26}, {Units: 1, Seed: 2, Shape: ShapeV26}} {
		var root map[string]any
		if err := yaml.Unmarshal(Generate(o), &root); err != nil {
			t.Fatal(err)
		}
		schemes := resolve(root, "#/components/securitySchemes").(map[string]any)
		used := map[string]bool{}
		check := func(where string, reqs any) {
			list, ok := reqs.([]any)
			if !ok || len(list) == 0 {
				t.Errorf("%s: no security requirements", where)
				return
			}
			for _, r := range list {
				for name, scopes := range r.(map[string]any) {
					s, ok := schemes[name].(map[string]any)
					if !ok {
						t.Errorf("%s: undefined scheme %s", where, name)
						continue
					}
					used[name] = true
					declared := map[string]bool{}
					flows, _ := s["flows"].(map[string]any)
					for _, f := range flows {
						for k := range f.(map[string]any)["scopes"].(map[string]any) {
							declared[k] = true
						}
					}
					for _, sc := range scopes.([]any) {
						if s["type"] != "oauth2" || !declared[sc.(string)] {
							t.Errorf("%s: scope %v not allowed on %s", where, sc, name)
						}
					}
				}
			}
		}
		for name, srv := range root["servers"].(map[string]any) {
			check("server "+name, srv.(map[string]any)["security"])
		}
		ops := 0
		for name, ch := range root["channels"].(map[string]any) {
			for _, verb := range []string{"publish", "subscribe"} {
				if op, ok := ch.(map[string]any)[verb].(map[string]any); ok {
					ops++
					check(name+" "+verb, op["security"])
					ref := op["message"].(map[string]any)["$ref"].(string)
					if resolve(root, ref) == nil {
						t.Errorf("%s: unresolved %s", name, ref)
					}
				}
			}
		}
		if ops != len(root["channels"].(map[string]any)) {
			t.Errorf("%d operations in %d channels", ops, len(root["channels"].(map[string]any)))
		}
		for _, name := range schemeNames {
			if !used[name] {
				t.Errorf("%+v: scheme %s never used", o, name)
			}
		}
	}
}

func TestToJSONKeepsOrderAndTypes(t *testing.T) {
	got, err := ToJSON([]byte("b: 1\na: 'x \"y\" <é>'\nc: [true, null, 1.5, '2']\nd: {}\ne: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"b\": 1,\n  \"a\": \"x \\\"y\\\" <é>\",\n  \"c\": [\n    true,\n    null,\n    1.5,\n    \"2\"\n  ],\n  \"d\": {},\n  \"e\": []\n}\n"
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
