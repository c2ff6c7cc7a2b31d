// Package schema validates AsyncAPI documents against the official JSON
// Schema of their version (2.0.0–2.6.0, 3.0.0, 3.1.0: the files of
// github.com/asyncapi/spec-json-schemas/v6, embedded here, see Raw; validated by
// github.com/santhosh-tekuri/jsonschema/v6) and turns the validator's error
// trees into a few quiet Problems: one per real mistake, at the exact
// instance pointer, with a stable code.
//
// It reads a document through Value, a small read-only view: Of wraps
// plain Go values as decoded from YAML or JSON (map[string]any, []any,
// string, float64, int, bool, nil), and package analysis wraps its syntax
// tree, so a document is validated without being converted whole. It
// knows nothing about text, positions or the analysis model: the caller
// maps the Problems' paths back to ranges.
//
// Quiet mapping, in short:
//   - oneOf/anyOf failures collapse into the one branch the user most
//     likely meant: a Reference branch when `$ref` is present (and never
//     otherwise), the branch whose discriminating constant (a `type` such as
//     `oauth2`) matches, then the branch that declares most of the keys that
//     are there and got deepest. A discriminator that matches no branch is
//     reported once, as schema-enum on that key, with every allowed value.
//   - additionalProperties false → schema-unknown-property on the key;
//     required → schema-required on the object's key, naming the field;
//     type → schema-type; enum/const → schema-enum (with "did you mean");
//     format → schema-format; anything else → schema-value.
//   - Problems that the security-* or ref-* checks of package analysis
//     already explain carry an Owner, so the caller drops them.
//
// How it validates: a walker applies the cheap, common keywords itself
// (type, the object and list keywords, allOf, if/then/else, and a
// oneOf/anyOf that the value's own keys decide, as a Reference without
// $ref or a scheme of another type), and hands only the small sub-values
// under any other schema to the JSON-schema library, whose error tree it
// then explains. Revalidate walks only the subtrees on the way to the
// changed paths and reuses the previous Result's problems of every other
// subtree.
//
// Who may depend on it: package analysis (and tests, tools). It depends on
// the JSON-schema module and the standard library only (its tests check
// official/ against the schema module).
package schema
