package schema

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// label names the value at path for a message: its key, or list[i].
func label(path []string) string {
	if len(path) == 0 {
		return "the document"
	}
	last := path[len(path)-1]
	if _, err := strconv.Atoi(last); err == nil && len(path) > 1 {
		return fmt.Sprintf("`%s[%s]`", path[len(path)-2], last)
	}
	return "`" + last + "`"
}

// objectName derives a readable object name from a schema location.
// Bundled schemas keep every definition under
// "#/definitions/<its $id URL>", so ".../definitions/http:~1~1asyncapi.com
// ~1definitions~13.0.0~1operation.json/properties/reply" is "reply" and
// ".../bindings/kafka/0.5.0/server.json" is "kafka server binding".
func objectName(loc string) string {
	file, frag, _ := strings.Cut(loc, "#")
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	toks := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	name, rest := "", toks
	for i := len(toks) - 2; i >= 0; i-- {
		if toks[i] == "definitions" {
			name = fileName(strings.ReplaceAll(strings.ReplaceAll(toks[i+1], "~1", "/"), "~0", "~"))
			rest = toks[i+2:]
			break
		}
	}
	if name == "" {
		if strings.HasPrefix(file, "asyncapi-ls:") {
			name = "document root"
		} else {
			name = fileName(file)
		}
	}
	if len(rest) >= 2 && rest[len(rest)-2] == "properties" {
		return rest[len(rest)-1]
	}
	return name
}

func fileName(u string) string {
	if strings.Contains(u, "json-schema.org") {
		return "schema"
	}
	segs := strings.Split(strings.TrimSuffix(u, ".json"), "/")
	name := segs[len(segs)-1]
	if len(segs) >= 4 && segs[len(segs)-4] == "bindings" {
		return segs[len(segs)-3] + " " + name + " binding"
	}
	if friendly, ok := friendlyNames[name]; ok {
		return friendly
	}
	return name
}

// friendlyNames renames schema files whose names are not what the
// specification calls the object.
var friendlyNames = map[string]string{
	"messageObject": "message", "channelItem": "channel", "Reference": "reference",
	"userPassword": "userPassword security scheme", "apiKey": "apiKey security scheme",
	"X509": "X509 security scheme", "symmetricEncryption": "symmetricEncryption security scheme",
	"asymmetricEncryption":        "asymmetricEncryption security scheme",
	"NonBearerHTTPSecurityScheme": "http security scheme", "BearerHTTPSecurityScheme": "http (bearer) security scheme",
	"APIKeyHTTPSecurityScheme": "httpApiKey security scheme", "oauth2Flows": "oauth2 security scheme",
	"openIdConnect": "openIdConnect security scheme", "SaslPlainSecurityScheme": "plain security scheme",
	"SaslScramSecurityScheme": "SCRAM security scheme", "SaslGssapiSecurityScheme": "gssapi security scheme",
	"oauth2Flow": "OAuth flow",
}

func article(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "integer":
		return "an integer"
	case "boolean":
		return "a boolean (true or false)"
	case "null":
		return "null"
	}
	return "a " + t
}

func typeProblem(path []string, got any, want []string) Problem {
	var ws []string
	for _, w := range want {
		if w == "number" || w == "integer" {
			// "a number or an integer" says nothing more than "a number"
			if w == "integer" && contains(want, "number") {
				continue
			}
		}
		ws = append(ws, article(w))
	}
	gt := jsonType(got)
	if gt == "integer" && !contains(want, "integer") {
		gt = "number"
	}
	return Problem{Path: path, Code: CodeType,
		Message: fmt.Sprintf("%s must be %s, not %s", label(path), orList(ws), article(gt))}
}

func requiredProblem(path []string, missing []string, object string) Problem {
	var qs []string
	for _, m := range missing {
		qs = append(qs, "`"+m+"`")
	}
	field := "field"
	if len(missing) > 1 {
		field = "fields"
	}
	where := label(path)
	if object != "" && object != "document root" && "`"+object+"`" != where {
		where += " (" + object + ")"
	}
	return Problem{Path: path, Where: WhereParentKey, Code: CodeRequired,
		Message: fmt.Sprintf("%s is missing the required %s %s", where, field, andList(qs)),
		missing: missing, object: object}
}

func unknownProblem(path []string, s *jsonschema.Schema) Problem {
	k := path[len(path)-1]
	msg := fmt.Sprintf("unknown field `%s`", k)
	var allowed []string
	if s != nil {
		for p := range s.Properties {
			allowed = append(allowed, p)
		}
		sort.Strings(allowed)
		if name := objectName(s.Location); name != "" && name != "document root" {
			msg += " in " + name
		} else if len(path) == 1 {
			msg += " at the document root"
		}
	}
	if sg := suggest(k, allowed); sg != "" {
		msg += fmt.Sprintf("; did you mean `%s`?", sg)
	} else if len(allowed) > 0 && len(allowed) <= 16 {
		var qs []string
		for _, a := range allowed {
			qs = append(qs, "`"+a+"`")
		}
		msg += "; allowed: " + strings.Join(qs, ", ")
		if s != nil && len(s.PatternProperties) > 0 {
			msg += " and x- extensions"
		}
	}
	return Problem{Path: path, Where: WhereKey, Code: CodeUnknownProperty, Message: msg}
}

func enumProblem(path []string, got any, want []any) Problem {
	msg := fmt.Sprintf("%s: %s is not allowed; use %s", label(path), display(got), listValues(want))
	if s, ok := got.(string); ok {
		var cands []string
		for _, w := range want {
			if ws, ok := w.(string); ok {
				cands = append(cands, ws)
			}
		}
		if sg := suggest(s, cands); sg != "" {
			msg += fmt.Sprintf("; did you mean %q?", sg)
		}
	}
	return Problem{Path: path, Code: CodeEnum, Message: msg}
}

func listValues(vals []any) string {
	var ds []string
	for i, v := range vals {
		if i == 12 {
			ds = append(ds, fmt.Sprintf("… (%d more)", len(vals)-12))
			break
		}
		ds = append(ds, display(v))
	}
	if len(ds) == 1 {
		return ds[0]
	}
	return "one of " + strings.Join(ds, ", ")
}

func display(v any) string {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) > 60 {
			x = string([]rune(x)[:57]) + "..."
		}
		return strconv.Quote(x)
	case nil:
		return "null"
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprint(v)
}

func orList(ws []string) string {
	switch len(ws) {
	case 0:
		return "something else"
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

func andList(ws []string) string {
	if len(ws) <= 1 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns the candidate closest to s when it is close enough to be
// a plausible typo: equal ignoring case, or within an edit distance of
// about a third of its length.
func suggest(s string, cands []string) string {
	best, bestD := "", 1<<30
	for _, c := range cands {
		if strings.EqualFold(c, s) {
			return c
		}
		d := EditDistance(strings.ToLower(s), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(1, min(utf8.RuneCountInString(s), utf8.RuneCountInString(best))/3)
	if best != "" && bestD <= limit {
		return best
	}
	return ""
}

// EditDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours cost 1 (the
// "did you mean" of every check).
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
