package analysis

import (
	"maps"
	"slices"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

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
	CodeChannelServerDuplicate    = "channel-server-duplicate"
	CodeInsecureTransport         = "security-insecure-transport"
	CodeDeprecatedFlow            = "security-deprecated-flow"
	CodeInsecureURL               = "security-insecure-url"
	CodeAPIKeyInQuery             = "security-apikey-in-query"
	CodeInconsistentServers       = "security-inconsistent-servers"
	CodeEmptyOverride             = "security-empty-override"
	CodeRefUnresolved             = "ref-unresolved"
)

// codes lists every diagnostic code with its default severity.
var codes = map[string]syntax.Severity{
	syntax.CodeYAMLSyntax:         syntax.SeverityError,
	CodeVersion:                   syntax.SeverityError,
	CodeSecurityRootLevel:         syntax.SeverityError,
	CodeRequirementShape:          syntax.SeverityError,
	CodeUndefinedScheme:           syntax.SeverityError,
	CodeRefTarget:                 syntax.SeverityError,
	CodeUndefinedScope:            syntax.SeverityError,
	CodeScopesNotAllowed:          syntax.SeverityError,
	CodeOperationSecurityTooEarly: syntax.SeverityError,
	CodeSchemeType:                syntax.SeverityError,
	CodeSchemeField:               syntax.SeverityError,
	CodeEmptyRequirement:          syntax.SeverityWarning,
	CodeUnusedScheme:              syntax.SeverityHint,
	CodeChannelServerUndefined:    syntax.SeverityError,
	CodeChannelServerDuplicate:    syntax.SeverityWarning,
	CodeInsecureTransport:         syntax.SeverityWarning,
	CodeDeprecatedFlow:            syntax.SeverityWarning,
	CodeInsecureURL:               syntax.SeverityWarning,
	CodeAPIKeyInQuery:             syntax.SeverityWarning,
	CodeInconsistentServers:       syntax.SeverityWarning,
	CodeEmptyOverride:             syntax.SeverityWarning,
	CodeRefUnresolved:             syntax.SeverityError,
	CodeRefOutside:                syntax.SeverityError,
	CodeRefTooLarge:               syntax.SeverityError,
	CodeRefRemote:                 syntax.SeverityHint,
	CodeSchemaUnknownProperty:     syntax.SeverityError,
	CodeSchemaRequired:            syntax.SeverityError,
	CodeSchemaType:                syntax.SeverityError,
	CodeSchemaEnum:                syntax.SeverityError,
	// Formats (uri, email, regex, ...) are checked loosely by other tools
	// and a wrong one rarely breaks code generation: a warning.
	CodeSchemaFormat: syntax.SeverityWarning,
	CodeSchemaValue:  syntax.SeverityError,
}

func newDiag(code string, r syntax.Range, msg string) syntax.Diagnostic {
	d := syntax.Diagnostic{Range: r, Severity: codes[code], Code: code, Message: msg}
	if code == CodeUnusedScheme {
		d.Tags = []syntax.Tag{syntax.TagUnnecessary}
	}
	return d
}

// Codes returns every diagnostic code, sorted.
func Codes() []string {
	return slices.Sorted(maps.Keys(codes))
}

// DefaultSeverity returns the severity a diagnostic code has unless the
// user overrides it; ok is false for an unknown code.
func DefaultSeverity(code string) (s syntax.Severity, ok bool) {
	s, ok = codes[code]
	return s, ok
}
