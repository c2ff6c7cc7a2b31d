package docgen

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

func TestOperationsMatchYAML(t *testing.T) {
	doc := Generate(Options{TargetBytes: 40_000, Seed: 9})
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	var names []string
	top := root.Content[0]
	for i := 0; i < len(top.Content); i += 2 {
		if top.Content[i].Value == "operations" {
			ops := top.Content[i+1]
			for j := 0; j < len(ops.Content); j += 2 {
				names = append(names, ops.Content[j].Value)
			}
		}
	}
	got := Operations(doc)
	if len(got) != len(names) || len(got) < 5 {
		t.Fatalf("found %d operations, yaml.v3 has %d", len(got), len(names))
	}
	for i, op := range got {
		if op.Name != names[i] {
			t.Fatalf("op %d: %q, want %q", i, op.Name, names[i])
		}
		if !bytes.HasPrefix(doc[op.KeyOffset:], []byte(op.Name+":\n")) {
			t.Fatalf("op %s: key offset wrong", op.Name)
		}
		if !bytes.HasSuffix(doc[:op.DescriptionStart], []byte("    description: ")) || doc[op.DescriptionEnd] != '\n' {
			t.Fatalf("op %s: description range wrong", op.Name)
		}
		if !bytes.HasSuffix(doc[:op.SecurityRefOffset], []byte("#/components/securitySchemes/")) {
			t.Fatalf("op %s: security offset wrong", op.Name)
		}
	}
}

func TestMiddleOperationDescriptionOffset(t *testing.T) {
	for _, size := range []int{10_000, 300_000} {
		doc := Generate(Options{TargetBytes: size, Seed: 2})
		off := MiddleOperationDescriptionOffset(doc)
		op, ok := MiddleOperation(doc)
		if !ok || off <= op.DescriptionStart || off >= op.DescriptionEnd {
			t.Fatalf("offset %d outside description [%d,%d)", off, op.DescriptionStart, op.DescriptionEnd)
		}
		if !utf8.RuneStart(doc[off]) {
			t.Fatal("offset not at a rune boundary")
		}
		// Typing there keeps the document valid YAML and only changes the
		// description of that operation.
		edited := append(append(append([]byte{}, doc[:off]...), "xyz"...), doc[off:]...)
		var before, after map[string]any
		if err := yaml.Unmarshal(doc, &before); err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(edited, &after); err != nil {
			t.Fatal(err)
		}
		d0 := before["operations"].(map[string]any)[op.Name].(map[string]any)["description"].(string)
		d1 := after["operations"].(map[string]any)[op.Name].(map[string]any)["description"].(string)
		if d1 == d0 || strings.ReplaceAll(d1, "xyz", "") != d0 {
			t.Fatalf("description %q -> %q", d0, d1)
		}
		// Roughly in the middle of the document.
		if size >= 100_000 && (op.KeyOffset < len(doc)/4 || op.KeyOffset > 3*len(doc)/4) {
			t.Fatalf("middle operation at %d of %d", op.KeyOffset, len(doc))
		}
	}
	if MiddleOperationDescriptionOffset([]byte("asyncapi: 3.0.0\n")) != -1 {
		t.Fatal("want -1 without operations")
	}
}
