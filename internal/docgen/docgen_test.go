package docgen

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	specjsonschemas "github.com/asyncapi/spec-json-schemas/v6"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

var (
	schemaOnce sync.Once
	schemas    map[string]*jsonschema.Schema
	schemaErr  error
)

// asyncAPI300 compiles the official AsyncAPI 3.0.0 JSON schema once.
func asyncAPI300(t *testing.T) *jsonschema.Schema { return officialSchema(t, "3.0.0") }

// officialSchema returns the official JSON schema of an AsyncAPI version
// (3.0.0 or 2.6.0), compiled once (specjsonschemas.Get has a data race:
// all of them are loaded in one sync.Once).
func officialSchema(t *testing.T, version string) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		schemas = map[string]*jsonschema.Schema{}
		for _, v := range []string{"3.0.0", "2.6.0"} {
			raw, err := specjsonschemas.Get(v)
			if err != nil {
				schemaErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
			if err != nil {
				schemaErr = err
				return
			}
			c := jsonschema.NewCompiler()
			name := "asyncapi-" + v + ".json"
			if err := c.AddResource(name, doc); err != nil {
				schemaErr = err
				return
			}
			if schemas[v], schemaErr = c.Compile(name); schemaErr != nil {
				return
			}
		}
	})
	if schemaErr != nil {
		t.Fatalf("compile AsyncAPI schemas: %v", schemaErr)
	}
	if schemas[version] == nil {
		t.Fatalf("no schema for %s", version)
	}
	return schemas[version]
}

func TestSizesAndYAML(t *testing.T) {
	for _, target := range []int{10_000, 100_000, 1_000_000} {
		t.Run(fmt.Sprint(target), func(t *testing.T) {
			doc := Generate(Options{TargetBytes: target, Seed: 1})
			if d := len(doc) - target; d*10 > target || -d*10 > target {
				t.Fatalf("size %d not within 10%% of %d", len(doc), target)
			}
			if !utf8.Valid(doc) {
				t.Fatal("not valid UTF-8")
			}
			var n yaml.Node
			if err := yaml.Unmarshal(doc, &n); err != nil {
				t.Fatalf("yaml.v3: %v", err)
			}
			if n.Kind != yaml.DocumentNode || len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
				t.Fatalf("unexpected root")
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	a := Generate(Options{TargetBytes: 50_000, Seed: 7})
	b := Generate(Options{TargetBytes: 50_000, Seed: 7})
	c := Generate(Options{TargetBytes: 50_000, Seed: 8})
	if !bytes.Equal(a, b) {
		t.Fatal("same options gave different documents")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same document")
	}
}

func TestSchemaValid(t *testing.T) {
	sch := asyncAPI300(t)
	for _, o := range []Options{
		{TargetBytes: 100_000, Seed: 3},
		{Units: 1, Seed: 4},
		{TargetBytes: 1, Seed: 5}, // smallest document
	} {
		doc := Generate(o)
		var v any
		if err := yaml.Unmarshal(doc, &v); err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Fatalf("%+v: not valid AsyncAPI 3.0.0: %v", o, err)
		}
	}
}

func TestSchemaRejectsBrokenDocument(t *testing.T) {
	// Guards against a validator setup that accepts everything.
	sch := asyncAPI300(t)
	doc := Generate(Options{Units: 2, Seed: 1})
	doc = bytes.Replace(doc, []byte("    action: "), []byte("    action: publish\n    x: "), 1)
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err == nil {
		t.Fatal("a document with action: publish validated")
	}
}

// TestSecurityConsistent checks the invariants the analysis relies on to
// report no security finding: every component scheme is used, every $ref
// resolves, every scope used by an oauth2 scheme is declared by it.
func TestSecurityConsistent(t *testing.T) {
	for _, o := range []Options{{TargetBytes: 200_000, Seed: 11}, {Units: 1, Seed: 2}} {
		checkSecurityV3(t, Generate(o))
	}
}

func checkSecurityV3(t *testing.T, doc []byte) {
	t.Helper()
	{
		var root map[string]any
		if err := yaml.Unmarshal(doc, &root); err != nil {
			t.Fatal(err)
		}
		used := map[string]bool{}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch v := v.(type) {
			case map[string]any:
				if ref, ok := v["$ref"].(string); ok {
					if resolve(root, ref) == nil {
						t.Errorf("%s: unresolved $ref %q", path, ref)
					}
					if name, ok := strings.CutPrefix(ref, "#/components/securitySchemes/"); ok {
						used[name] = true
					}
				}
				if v["type"] == "oauth2" {
					checkScopes(t, path, v)
				}
				for k, c := range v {
					walk(path+"/"+k, c)
				}
			case []any:
				for i, c := range v {
					walk(fmt.Sprintf("%s/%d", path, i), c)
				}
			}
		}
		walk("", root)
		schemes := resolve(root, "#/components/securitySchemes").(map[string]any)
		if len(schemes) != len(schemeNames) {
			t.Errorf("%d schemes, want %d", len(schemes), len(schemeNames))
		}
		for _, name := range schemeNames {
			if schemes[name] == nil {
				t.Errorf("scheme %s not declared", name)
			}
			if !used[name] {
				t.Errorf("scheme %s never used", name)
			}
		}
	}
}

func checkScopes(t *testing.T, path string, s map[string]any) {
	t.Helper()
	declared := map[string]bool{}
	flows, _ := s["flows"].(map[string]any)
	for _, f := range flows {
		avail, _ := f.(map[string]any)["availableScopes"].(map[string]any)
		for k := range avail {
			declared[k] = true
		}
	}
	scopes, _ := s["scopes"].([]any)
	if len(scopes) == 0 {
		t.Errorf("%s: oauth2 scheme without scopes", path)
	}
	for _, sc := range scopes {
		if !declared[sc.(string)] {
			t.Errorf("%s: scope %v not declared", path, sc)
		}
	}
}

func resolve(root map[string]any, ref string) any {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var cur any = root
	for _, part := range strings.Split(p, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

func TestContainsVariety(t *testing.T) {
	doc := string(Generate(Options{TargetBytes: 30_000, Seed: 1}))
	for _, want := range []string{"é", "日本", "description: |", `\"`, "reply:", "action: send", "action: receive",
		"type: oauth2\n        description: Inline", "tokenUrl:", "availableScopes:", "type: httpApiKey",
		"scheme: bearer", "type: userPassword", "type: scramSha256", "openIdConnectUrl:"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q", want)
		}
	}
	hasEmoji := false
	for _, r := range doc {
		if r > 0xFFFF {
			hasEmoji = true
			break
		}
	}
	if !hasEmoji {
		t.Error("document has no astral-plane character")
	}
}
