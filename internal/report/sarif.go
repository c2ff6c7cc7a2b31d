package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/docs/rules"
)

// SARIF 2.1.0 objects, only the parts written.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		OriginalURIBaseIDs map[string]artifactLocation `json:"originalUriBaseIds,omitempty"`
		Artifacts          []sarifArtifact             `json:"artifacts"`
		Results            []sarifResult               `json:"results"`
		ColumnKind         string                      `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string        `json:"id"`
		ShortDescription     *sarifMessage `json:"shortDescription,omitempty"`
		HelpURI              string        `json:"helpUri"`
		DefaultConfiguration struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	artifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifArtifact struct {
		Location artifactLocation `json:"location"`
	}
	sarifResult struct {
		RuleID           string          `json:"ruleId"`
		RuleIndex        int             `json:"ruleIndex"`
		Level            string          `json:"level"`
		Message          sarifMessage    `json:"message"`
		Locations        []sarifLocation `json:"locations"`
		RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	}
	sarifLocation struct {
		ID               *int             `json:"id,omitempty"`
		PhysicalLocation physicalLocation `json:"physicalLocation"`
		Message          *sarifMessage    `json:"message,omitempty"`
	}
	physicalLocation struct {
		ArtifactLocation artifactLocation `json:"artifactLocation"`
		Region           region           `json:"region"`
	}
	region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
)

const (
	sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	srcRoot     = "%SRCROOT%"
)

// SARIFLevel maps a severity to a SARIF result level.
func SARIFLevel(s syntax.Severity) string {
	switch s {
	case syntax.SeverityError:
		return "error"
	case syntax.SeverityWarning:
		return "warning"
	}
	return "note" // information and hint
}

// SARIF writes one run with a rule per known code (codes maps each code to
// its default severity) and a result per diagnostic. Paths inside root
// (the working folder) are written relative to it, with uriBaseId
// %SRCROOT%, as code scanning expects; others as absolute file URIs.
func SARIF(w io.Writer, files []File, codes map[string]syntax.Severity, version, root string) error {
	ids := make([]string, 0, len(codes))
	for c := range codes {
		ids = append(ids, c)
	}
	sort.Strings(ids)
	index := map[string]int{}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "asyncapi-ls", Version: version,
			InformationURI: "https://github.com/asyncapi-ls/asyncapi-ls",
			Rules:          make([]sarifRule, 0, len(ids)),
		}},
		Artifacts:  []sarifArtifact{},
		Results:    []sarifResult{},
		ColumnKind: "utf16CodeUnits",
	}
	for i, id := range ids {
		index[id] = i
		r := sarifRule{ID: id, HelpURI: rules.URL(id)}
		if s := rules.Summary(id); s != "" {
			r.ShortDescription = &sarifMessage{Text: s}
		}
		r.DefaultConfiguration.Level = SARIFLevel(codes[id])
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
	}
	rootURI := ""
	if abs, err := filepath.Abs(root); err == nil {
		rootURI = fileURI(abs)
		if !strings.HasSuffix(rootURI, "/") {
			rootURI += "/"
		}
		run.OriginalURIBaseIDs = map[string]artifactLocation{srcRoot: {URI: rootURI}}
	}
	for _, f := range files {
		loc := artifactFor(f.Path, root)
		run.Artifacts = append(run.Artifacts, sarifArtifact{Location: loc})
		for _, d := range f.Diagnostics {
			res := sarifResult{
				RuleID: d.Code, RuleIndex: -1, Level: SARIFLevel(d.Severity),
				Message:   sarifMessage{Text: d.Message},
				Locations: []sarifLocation{{PhysicalLocation: physicalLocation{ArtifactLocation: loc, Region: regionOf(f.Mapper, d.Range)}}},
			}
			if i, ok := index[d.Code]; ok {
				res.RuleIndex = i
			}
			for i, rel := range d.Related {
				id := i + 1
				pl := physicalLocation{ArtifactLocation: loc, Region: regionOf(f.Mapper, rel.Range)}
				if rel.Path != "" && rel.Mapper != nil { // a place in another file (a $ref's target)
					pl = physicalLocation{ArtifactLocation: artifactFor(rel.Path, root), Region: regionOf(rel.Mapper, rel.Range)}
				}
				res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
					ID:               &id,
					PhysicalLocation: pl,
					Message:          &sarifMessage{Text: rel.Message},
				})
			}
			run.Results = append(run.Results, res)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func regionOf(m *syntax.Mapper, r syntax.Range) region {
	s := spanOf(m, r)
	return region{StartLine: s.line, StartColumn: s.col, EndLine: s.endLine, EndColumn: s.endCol}
}

// artifactFor is the location of a file: relative to root when inside it.
func artifactFor(path, root string) artifactLocation {
	p := relativeTo(path, root)
	if filepath.IsAbs(filepath.FromSlash(p)) {
		return artifactLocation{URI: fileURI(filepath.FromSlash(p))}
	}
	return artifactLocation{URI: escapePath(p), URIBaseID: srcRoot}
}

// fileURI is the file: URI of an absolute OS path.
func fileURI(abs string) string {
	p := slash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: C:/x -> /C:/x
	}
	return "file://" + escapePath(p)
}

// escapePath percent-encodes each segment of a slash path.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
		if i == 1 && len(s) == 2 && s[1] == ':' { // keep a drive letter readable
			segs[i] = s
		}
	}
	return strings.Join(segs, "/")
}
