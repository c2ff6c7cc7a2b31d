package config

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/internal/pathglob"
	yaml "go.yaml.in/yaml/v4"
)

// FileNames are the names of a config file, in order of preference when a
// folder holds more than one.
var FileNames = []string{".asyncapi-ls.yaml", ".asyncapi-ls.yml", ".asyncapi-ls.json"}

// IsConfigFile reports whether a path names a config file.
func IsConfigFile(name string) bool {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	for _, n := range FileNames {
		if base == n {
			return true
		}
	}
	return false
}

// Diagnostic codes of the config file itself.
const (
	// CodeSyntax: the file is not YAML/JSON or not a mapping; every
	// setting stays at its default.
	CodeSyntax = "config-syntax"
	// CodeInvalid: one entry is unknown or has a wrong value; that entry
	// is ignored, the rest applies.
	CodeInvalid = "config-invalid"
)

// codes lists the config file's diagnostic codes with their severities.
var codes = map[string]syntax.Severity{
	CodeSyntax:  syntax.SeverityError,
	CodeInvalid: syntax.SeverityError,
}

// Codes returns the config file's diagnostic codes, sorted.
func Codes() []string { return slices.Sorted(maps.Keys(codes)) }

// DefaultSeverity returns the severity of a config diagnostic code; ok is
// false for an unknown code.
func DefaultSeverity(code string) (s syntax.Severity, ok bool) {
	s, ok = codes[code]
	return s, ok
}

// severities are the values a `severity` entry may take.
var severities = []string{"error", "warning", "information", "hint", "off"}

// Severities returns the values a `severity` entry may take.
func Severities() []string { return slices.Clone(severities) }

// Config is the content of one config file. The zero value (and nil) is
// the default configuration.
type Config struct {
	// Path is the file it was read from ("" for defaults); Dir is its
	// folder, the base of the Ignore patterns. Both use the OS separator.
	Path, Dir string
	// Severity maps a diagnostic code to a severity name or "off".
	Severity map[string]string
	// Rules holds the options of each rule that was given some.
	Rules map[string]RuleOptions
	// Ignore lists slash-separated glob patterns (`**` allowed), relative
	// to Dir, of documents that are not checked.
	Ignore []string
}

// RuleOptions are one rule's validated options by name.
type RuleOptions map[string]any

// OptionKind is the type of a rule option's value.
type OptionKind int

// Option kinds.
const (
	StringList OptionKind = iota + 1
)

// Option describes one option a rule accepts.
type Option struct {
	Name string
	Kind OptionKind
	Doc  string
}

// ruleOptions declares the options every rule accepts: the loader
// validates `rules` against it, Apply reads it, and the JSON Schema in
// schemas/ must agree (a test checks). A rule that is not listed has no
// options.
var ruleOptions = map[string][]Option{
	analysis.CodeUnusedScheme: {
		{Name: "ignore", Kind: StringList, Doc: "names of security schemes that may stay unused (shared libraries of schemes, schemes kept for later)"},
	},
}

// OptionsOf returns the options a rule accepts (none for most rules).
func OptionsOf(code string) []Option { return slices.Clone(ruleOptions[code]) }

// RulesWithOptions returns the codes of the rules that accept options.
func RulesWithOptions() []string { return slices.Sorted(maps.Keys(ruleOptions)) }

// Strings returns a string-list option of a rule (nil when not set).
func (c *Config) Strings(code, option string) []string {
	if c == nil {
		return nil
	}
	v, _ := c.Rules[code][option].([]string)
	return v
}

// Result is what Parse found: the usable settings, and the problems of
// the file positioned with Mapper (a mapper of the config text).
type Result struct {
	Config      *Config
	Diagnostics []syntax.Diagnostic
	Mapper      *syntax.Mapper
}

// Parse reads a config file's text. name is its path (kept in Config.Path;
// its folder becomes Config.Dir). It never fails: whatever cannot be used
// is reported in Diagnostics and left at its default.
func Parse(name string, text []byte) Result {
	p := &parser{text: text, res: Result{Mapper: syntax.NewMapper(text)}}
	cfg := &Config{Path: name, Dir: dirOf(name)}
	p.res.Config = cfg
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		r := syntax.Range{}
		msg := err.Error()
		var le *yaml.LoadError
		if errors.As(err, &le) {
			msg = le.Message
			r = p.point(le.Mark.Line, le.Mark.Column)
			if le.ContextMark.Line > 0 {
				msg += " " + le.ContextMsg + fmt.Sprintf(" that starts at line %d", le.ContextMark.Line)
				// Stopped at the end of the text: an unterminated
				// construct; point at where it starts.
				if strings.TrimSpace(string(text[r.Start:])) == "" {
					r = p.point(le.ContextMark.Line, le.ContextMark.Column)
				}
			}
		}
		p.add(CodeSyntax, r, "config file is not valid YAML/JSON: %s; using the default configuration", strings.TrimPrefix(msg, "yaml: "))
		return p.res
	}
	if len(doc.Content) == 0 {
		return p.res // an empty file is the default configuration
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.add(CodeSyntax, p.nodeRange(root), "config file must be a mapping with keys severity, rules, ignore; using the default configuration")
		return p.res
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "severity":
			cfg.Severity = p.severity(v)
		case "rules":
			cfg.Rules = p.rules(v)
		case "ignore":
			cfg.Ignore = p.ignore(v)
		case "$schema":
			// lets editors find the schema; nothing to apply
		default:
			p.add(CodeInvalid, p.nodeRange(k), "unknown key %q: a config file has severity, rules and ignore", k.Value)
		}
	}
	return p.res
}

type parser struct {
	text []byte
	res  Result
}

func (p *parser) add(code string, r syntax.Range, format string, args ...any) {
	p.res.Diagnostics = append(p.res.Diagnostics, syntax.Diagnostic{
		Range: r, Severity: codes[code], Code: code, Message: fmt.Sprintf(format, args...),
	})
}

func (p *parser) severity(v *yaml.Node) map[string]string {
	if !p.isMapping(v, "severity", "a mapping of diagnostic code to "+strings.Join(severities, ", ")) {
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if _, known := analysis.DefaultSeverity(k.Value); !known {
			p.add(CodeInvalid, p.nodeRange(k), "severity: unknown diagnostic code %q%s", k.Value, suggest(k.Value))
			continue
		}
		if val.Kind != yaml.ScalarNode || !contains(severities, val.Value) {
			p.add(CodeInvalid, p.nodeRange(val), "severity of %s must be one of %s", k.Value, strings.Join(severities, ", "))
			continue
		}
		out[k.Value] = val.Value
	}
	return out
}

func (p *parser) rules(v *yaml.Node) map[string]RuleOptions {
	if !p.isMapping(v, "rules", "a mapping of diagnostic code to that rule's options") {
		return nil
	}
	out := map[string]RuleOptions{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if _, known := analysis.DefaultSeverity(k.Value); !known {
			p.add(CodeInvalid, p.nodeRange(k), "rules: unknown diagnostic code %q%s", k.Value, suggest(k.Value))
			continue
		}
		specs := ruleOptions[k.Value]
		if len(specs) == 0 {
			p.add(CodeInvalid, p.nodeRange(k), "rule %s has no options", k.Value)
			continue
		}
		if !p.isMapping(val, "rules."+k.Value, "a mapping of option names ("+optionNames(specs)+")") {
			continue
		}
		opts := RuleOptions{}
		for j := 0; j+1 < len(val.Content); j += 2 {
			ok, ov := val.Content[j], val.Content[j+1]
			spec, found := findOption(specs, ok.Value)
			if !found {
				p.add(CodeInvalid, p.nodeRange(ok), "rule %s has no option %q (it has %s)", k.Value, ok.Value, optionNames(specs))
				continue
			}
			switch spec.Kind {
			case StringList:
				if list, _, good := p.stringList(ov, k.Value+"."+ok.Value); good {
					opts[spec.Name] = list
				}
			}
		}
		out[k.Value] = opts
	}
	return out
}

func (p *parser) ignore(v *yaml.Node) []string {
	list, nodes, ok := p.stringList(v, "ignore")
	if !ok {
		return nil
	}
	out := []string{}
	for i, pat := range list {
		if pat == "" || !pathglob.Valid(pat) {
			p.add(CodeInvalid, p.nodeRange(nodes[i]), "ignore: %q is not a valid glob pattern", pat)
			continue
		}
		out = append(out, pat)
	}
	return out
}

// stringList reads a sequence of strings and their nodes; an item that is
// not a string is reported and dropped; a value that is not a sequence
// makes ok false.
func (p *parser) stringList(v *yaml.Node, what string) (list []string, nodes []*yaml.Node, ok bool) {
	if v.Kind != yaml.SequenceNode {
		p.add(CodeInvalid, p.nodeRange(v), "%s must be a list of strings", what)
		return nil, nil, false
	}
	list = []string{}
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode || item.Tag != "!!str" {
			p.add(CodeInvalid, p.nodeRange(item), "%s: every item must be a string", what)
			continue
		}
		list, nodes = append(list, item.Value), append(nodes, item)
	}
	return list, nodes, true
}

func (p *parser) isMapping(v *yaml.Node, key, want string) bool {
	if v.Kind == yaml.MappingNode {
		return true
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return false // `severity:` with nothing: nothing to apply
	}
	p.add(CodeInvalid, p.nodeRange(v), "%s must be %s", key, want)
	return false
}

func findOption(specs []Option, name string) (Option, bool) {
	for _, o := range specs {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

func optionNames(specs []Option) string {
	names := make([]string, len(specs))
	for i, o := range specs {
		names[i] = o.Name
	}
	return strings.Join(names, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest names the known code closest to a misspelt one.
func suggest(code string) string {
	best, bestDist := "", 4
	for _, c := range analysis.Codes() { // sorted: ties go to the first

		if d := distance(code, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// distance is the Levenshtein distance of two strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// point converts a yaml position (1-based line, 1-based column in runes)
// to an empty byte range.
func (p *parser) point(line, col int) syntax.Range {
	off := p.offset(line, col)
	return syntax.Range{Start: off, End: off}
}

// offset converts a yaml position to a byte offset. yaml counts a "\r\n"
// as one break and a lone "\r" as one, as the Mapper does.
func (p *parser) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	off := p.res.Mapper.LineStart(line - 1)
	if line == 1 && strings.HasPrefix(string(p.text[:min(3, len(p.text))]), "\xef\xbb\xbf") {
		off = 3 // yaml does not count a byte order mark
	}
	end := p.res.Mapper.LineEnd(line - 1)
	for c := 1; c < col && off < end; c++ {
		_, size := utf8.DecodeRune(p.text[off:end])
		off += size
	}
	return off
}

// nodeRange is the range of a node's first token: a scalar's text (with
// its quotes), or a collection's first line up to its end of line.
func (p *parser) nodeRange(n *yaml.Node) syntax.Range {
	start := p.offset(n.Line, n.Column)
	line := p.res.Mapper.Line(start)
	end := p.res.Mapper.LineEnd(line)
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		if e := scalarEnd(p.text, start, end, n); e > start {
			end = e
		}
	}
	for end > start && (p.text[end-1] == ' ' || p.text[end-1] == '\t') {
		end--
	}
	return syntax.Range{Start: start, End: end}
}

// scalarEnd finds where a one-line scalar token that starts at start
// ends: after the closing quote, or after its plain text.
func scalarEnd(text []byte, start, lineEnd int, n *yaml.Node) int {
	if start >= lineEnd {
		return start
	}
	if q := text[start]; q == '"' || q == '\'' {
		for i := start + 1; i < lineEnd; i++ {
			if text[i] == '\\' && q == '"' {
				i++
				continue
			}
			if text[i] == q {
				if q == '\'' && i+1 < lineEnd && text[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return lineEnd
	}
	if strings.HasPrefix(string(text[start:lineEnd]), n.Value) {
		return start + len(n.Value)
	}
	return lineEnd
}

func dirOf(name string) string {
	if name == "" {
		return ""
	}
	return filepath.Dir(name)
}
