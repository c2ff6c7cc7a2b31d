package schema

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// decode turns YAML/JSON text into the values Validate takes, the way a
// JSON parser would see them: timestamps stay strings, keys are strings.
func decode(t testing.TB, text string) any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	if len(n.Content) == 0 {
		return nil
	}
	return nodeValue(n.Content[0], 0)
}

func nodeValue(n *yaml.Node, depth int) any {
	if depth > 200 {
		return nil
	}
	switch n.Kind {
	case yaml.AliasNode:
		return nodeValue(n.Alias, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				continue
			}
			m[k.Value] = nodeValue(v, depth+1)
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, len(n.Content))
		for i, c := range n.Content {
			l[i] = nodeValue(c, depth+1)
		}
		return l
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			b, _ := strconv.ParseBool(strings.ToLower(n.Value))
			return b
		case "!!int":
			if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
				return int(i)
			}
			var f float64
			yaml.Unmarshal([]byte(n.Value), &f)
			return f
		case "!!float":
			var f float64
			if err := yaml.Unmarshal([]byte(n.Value), &f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return n.Value
			}
			return f
		}
		return n.Value
	}
	return nil
}
