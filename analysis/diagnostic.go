package analysis

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

// Diagnostic codes. They are a public contract: users filter and override
// severities by these names, so never rename one.
const (
	CodeYAMLSyntax                = "yaml-syntax"
	CodeVersion                   = "asyncapi-version"
	CodeSecurityRootLevel         = "security-root-level"
	CodeRequirementShape          = "security-requirement-shape"
	CodeUndefinedScheme           = "security-undefined-scheme"
	CodeRefTarget                 = "security-ref-target"
	CodeUndefinedScope            = "security-undefined-scope"
	CodeScopesNotAllowed          = "security-scopes-not-allowed"
	CodeOperationSecurityTooEarly = "security-operation-not-supported"
	CodeSchemeType                = "security-scheme-type"
	CodeSchemeField               = "security-scheme-field"
	CodeEmptyRequirement          = "security-empty-requirement"
	CodeUnusedScheme              = "security-unused-scheme"
	CodeChannelServerUndefined    = "channel-server-undefined"
	CodeRefUnresolved             = "ref-unresolved"
)

// Codes lists every diagnostic code with its default severity.
var Codes = map[string]Severity{
	CodeYAMLSyntax:                SeverityError,
	CodeVersion:                   SeverityError,
	CodeSecurityRootLevel:         SeverityError,
	CodeRequirementShape:          SeverityError,
	CodeUndefinedScheme:           SeverityError,
	CodeRefTarget:                 SeverityError,
	CodeUndefinedScope:            SeverityError,
	CodeScopesNotAllowed:          SeverityError,
	CodeOperationSecurityTooEarly: SeverityError,
	CodeSchemeType:                SeverityError,
	CodeSchemeField:               SeverityError,
	CodeEmptyRequirement:          SeverityWarning,
	CodeUnusedScheme:              SeverityHint,
	CodeChannelServerUndefined:    SeverityError,
	CodeRefUnresolved:             SeverityError,
}

// Related points at another place that explains a diagnostic, such as the
// scheme whose flows lack a scope.
type Related struct {
	Range   Range
	Message string
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

func newDiag(code string, r Range, msg string) Diagnostic {
	d := Diagnostic{Range: r, Severity: Codes[code], Code: code, Message: msg}
	if code == CodeUnusedScheme {
		d.Tags = []Tag{TagUnnecessary}
	}
	return d
}
