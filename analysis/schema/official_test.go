package schema

import (
	"bytes"
	"go/build"
	"io/fs"
	"slices"
	"testing"

	specjsonschemas "github.com/asyncapi/spec-json-schemas/v6"
)

// TestOfficialSchemasAreTheModules: the embedded schemas are the schema
// module's files byte for byte, one for each of Versions and no other (an
// upgrade of the module shows here, and official/ is copied again).
func TestOfficialSchemasAreTheModules(t *testing.T) {
	for _, v := range Versions {
		want, err := specjsonschemas.Get(v)
		if err != nil || want == nil {
			t.Fatalf("the module has no schema %s: %v", v, err)
		}
		got, err := Raw(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("official/%s.json differs from the module's (%d and %d bytes)", v, len(got), len(want))
		}
	}
	files, err := fs.Glob(official, "official/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(Versions) {
		t.Errorf("official/ embeds %d files, want one per version (%d): %v", len(files), len(Versions), files)
	}
	for _, bad := range []string{"1.2.0", "2.7.0", "3.0.0-without-$id", "../doc.go", ""} {
		if b, err := Raw(bad); err == nil {
			t.Errorf("Raw(%q) = %d bytes, want an error", bad, len(b))
		}
	}
}

// TestSchemaModuleNotImported: the package itself does not import the
// schema module, whose Get keeps all of its 31 files on the heap for the
// life of the process (Raw).
func TestSchemaModuleNotImported(t *testing.T) {
	p, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(p.Imports, "github.com/asyncapi/spec-json-schemas/v6") {
		t.Fatal("package schema imports spec-json-schemas: its Get fills a package map of every schema")
	}
	if !slices.Contains(p.TestImports, "github.com/asyncapi/spec-json-schemas/v6") {
		t.Fatal("the test of official/ against the module is gone")
	}
}
