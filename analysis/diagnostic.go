package analysis

// Diagnostic codes. They are a public contract: users filter and override
// severities by these names, so never rename one.
const (
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

func newDiag(code string, r Range, msg string) Diagnostic {
	d := Diagnostic{Range: r, Severity: Codes[code], Code: code, Message: msg}
	if code == CodeUnusedScheme {
		d.Tags = []Tag{TagUnnecessary}
	}
	return d
}
