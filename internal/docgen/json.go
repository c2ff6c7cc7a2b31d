package docgen

import (
	"bytes"
	"encoding/json"
	"fmt"

	"gopkg.in/yaml.v3"
)

// GenerateJSON returns the document Generate would give for opts, as
// pretty-printed JSON (two-space indentation, keys in document order,
// non-ASCII text as UTF-8, never \u escapes except for control
// characters). Its size is near opts.TargetBytes: the YAML document is
// generated once at the target, and once more at the target scaled by the
// JSON/YAML size ratio of the first attempt.
func GenerateJSON(opts Options) []byte {
	y := Generate(opts)
	out, err := ToJSON(y)
	if err != nil {
		panic("docgen: generated YAML does not convert to JSON: " + err.Error())
	}
	if opts.Units > 0 || opts.TargetBytes <= 0 {
		return out
	}
	scaled := opts
	scaled.TargetBytes = int(float64(opts.TargetBytes) * float64(len(y)) / float64(len(out)))
	if out2, err := ToJSON(Generate(scaled)); err == nil {
		out = out2
	}
	return out
}

// ToJSON converts a YAML document (one mapping at the top, no anchors or
// tags beyond the core schema) to indented JSON that keeps the key order.
func ToJSON(doc []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return nil, fmt.Errorf("not a single YAML document")
	}
	var b bytes.Buffer
	b.Grow(len(doc) * 3 / 2)
	if err := writeJSON(&b, root.Content[0], ""); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node, ind string) error {
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{\n")
		for i := 0; i < len(n.Content); i += 2 {
			b.WriteString(ind + "  ")
			if err := writeString(b, n.Content[i].Value); err != nil {
				return err
			}
			b.WriteString(": ")
			if err := writeJSON(b, n.Content[i+1], ind+"  "); err != nil {
				return err
			}
			if i+2 < len(n.Content) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(ind + "}")
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[\n")
		for i, c := range n.Content {
			b.WriteString(ind + "  ")
			if err := writeJSON(b, c, ind+"  "); err != nil {
				return err
			}
			if i+1 < len(n.Content) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(ind + "]")
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return err
		}
		if s, ok := v.(string); ok {
			return writeString(b, s)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(raw)
	default:
		return fmt.Errorf("line %d: YAML node kind %v has no JSON form here", n.Line, n.Kind)
	}
	return nil
}

// writeString writes s as a JSON string without HTML escaping.
func writeString(b *bytes.Buffer, s string) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// GenerateMinJSON is GenerateJSON minified: the whole document on one
// line (as tools write it), of about the same number of bytes.
func GenerateMinJSON(opts Options) []byte {
	out := GenerateJSON(opts)
	var buf bytes.Buffer
	if err := json.Compact(&buf, out); err != nil {
		panic("docgen: generated JSON does not compact: " + err.Error())
	}
	if opts.Units > 0 || opts.TargetBytes <= 0 || buf.Len() == 0 {
		return buf.Bytes()
	}
	scaled := opts
	scaled.TargetBytes = int(float64(opts.TargetBytes) * float64(len(out)) / float64(buf.Len()))
	var buf2 bytes.Buffer
	if json.Compact(&buf2, GenerateJSON(scaled)) == nil {
		return buf2.Bytes()
	}
	return buf.Bytes()
}
