package server

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// Settings are the user's options, from initializationOptions or
// workspace/didChangeConfiguration. The server never asks the client for
// them with a blocking workspace/configuration call.
type Settings struct {
	// SeverityOverrides maps a diagnostic code to error, warning,
	// information, hint or off.
	SeverityOverrides map[string]string `json:"severityOverrides,omitempty"`
	// ShowHints turns hint-level diagnostics (unused schemes) on or off.
	ShowHints *bool `json:"showHints,omitempty"`
	// InlayHints turns the effective-security inlay hints after operation
	// keys on (the default) or off.
	InlayHints *bool `json:"inlayHints,omitempty"`
	// CodeLens turns the same line as a code lens on or off; by default it
	// is on only for clients without inlay hints.
	CodeLens *bool `json:"codeLens,omitempty"`
}

// parseSettings accepts the settings object itself or one nested under
// "asyncapi-ls" (how VS Code and most clients send a section). found is
// false when raw holds nothing of ours (eglot, for one, sends
// {"settings": {}} on connect): the current settings must then stay. It
// returns warnings for values it cannot use, which the user should see.
func parseSettings(raw json.RawMessage) (s Settings, found bool, warnings []string) {
	if len(raw) == 0 || string(raw) == "null" {
		return s, false, nil
	}
	var wrapper map[string]json.RawMessage
	if json.Unmarshal(raw, &wrapper) == nil {
		found = false
		for _, key := range []string{"asyncapi-ls", "asyncapiLs", "asyncapi"} {
			if inner, ok := wrapper[key]; ok {
				raw, found = inner, true
				break
			}
		}
		for _, key := range []string{"severityOverrides", "showHints", "inlayHints", "codeLens"} {
			if _, ok := wrapper[key]; ok {
				found = true
			}
		}
		if !found {
			return s, false, nil
		}
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return Settings{}, false, []string{"asyncapi-ls: ignoring settings that are not valid: " + err.Error()}
	}
	codes := make([]string, 0, len(s.SeverityOverrides))
	for c := range s.SeverityOverrides {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, code := range codes {
		sev := s.SeverityOverrides[code]
		if _, known := analysis.DefaultSeverity(code); !known {
			warnings = append(warnings, fmt.Sprintf("asyncapi-ls: severityOverrides: unknown diagnostic code %q", code))
			delete(s.SeverityOverrides, code)
			continue
		}
		if _, ok := syntax.ParseSeverity(sev); !ok {
			warnings = append(warnings, fmt.Sprintf("asyncapi-ls: severityOverrides: %q for %s is not one of error, warning, information, hint, off", sev, code))
			delete(s.SeverityOverrides, code)
		}
	}
	return s, true, warnings
}

// apply filters and re-grades diagnostics according to the settings.
func (s Settings) apply(diags []syntax.Diagnostic) []syntax.Diagnostic {
	showHints := s.ShowHints == nil || *s.ShowHints
	if len(s.SeverityOverrides) == 0 && showHints {
		return diags
	}
	out := make([]syntax.Diagnostic, 0, len(diags))
	for _, d := range diags {
		if o, ok := s.SeverityOverrides[d.Code]; ok {
			sev, _ := syntax.ParseSeverity(o)
			if sev == 0 {
				continue
			}
			d.Severity = sev
		}
		if d.Severity == syntax.SeverityHint && !showHints {
			continue
		}
		out = append(out, d)
	}
	return out
}
