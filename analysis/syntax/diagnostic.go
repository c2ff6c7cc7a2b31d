package syntax

// Severity of a diagnostic. The values are LSP's, so conversion is trivial.
type Severity int

// Severities.
const (
	SeverityError       Severity = 1
	SeverityWarning     Severity = 2
	SeverityInformation Severity = 3
	SeverityHint        Severity = 4
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInformation:
		return "information"
	case SeverityHint:
		return "hint"
	}
	return "unknown"
}

// ParseSeverity turns a user setting into a severity; ok is false for
// anything else. "off" is reported as ok with severity 0.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return SeverityError, true
	case "warning", "warn":
		return SeverityWarning, true
	case "information", "info":
		return SeverityInformation, true
	case "hint":
		return SeverityHint, true
	case "off", "none", "ignore":
		return 0, true
	}
	return 0, false
}

// Tag marks a diagnostic for special rendering (LSP DiagnosticTag values).
type Tag int

// TagUnnecessary renders the range faded out (an unused scheme).
const TagUnnecessary Tag = 1

// Related points at another place that explains a diagnostic, such as the
// scheme whose flows lack a scope.
type Related struct {
	Range   Range
	Message string
	// Path is set when the place is in another file (the target of a
	// $ref): its absolute path, and Mapper converts Range, which is then an
	// offset range into that file's text.
	Path   string
	Mapper *Mapper
}

// Diagnostic is one problem found in a document.
type Diagnostic struct {
	Range    Range
	Severity Severity
	Code     string
	Message  string
	Related  []Related
	Tags     []Tag
}

// CodeYAMLSyntax is the code of every diagnostic of the syntax layer: the
// text is not well-formed YAML or JSON, or has a duplicate key.
const CodeYAMLSyntax = "yaml-syntax"

// syntaxError is a diagnostic of the syntax layer; they are all errors.
func syntaxError(r Range, msg string) Diagnostic {
	return Diagnostic{Range: r, Severity: SeverityError, Code: CodeYAMLSyntax, Message: msg}
}
