package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/internal/docgen"
)

// Mode --methods: every feature method of the server, timed on one
// generated document (issue 10: what each method answers on a 5 MB
// document and how long it takes).

// methodCall is one request of the --methods mode: a label for the table,
// the LSP method and its params.
type methodCall struct {
	Label  string
	Method string
	Params any
	Where  string // what the position is, for the table
}

// MethodResult is what one method answered and how long it took.
type MethodResult struct {
	Label    string    `json:"label"`
	Method   string    `json:"method"`
	Where    string    `json:"where"`
	Ms       []float64 `json:"ms"`
	Answer   string    `json:"answer"`
	Bytes    int       `json:"result_bytes"`
	Failures int       `json:"failures"`
	Error    string    `json:"error,omitempty"`
}

var schemeRefRE = regexp.MustCompile(`#/components/securitySchemes/([A-Za-z0-9_.-]+)`)

// methodCalls builds the requests of the --methods mode on a v3 YAML
// document laid out like docgen's output. firstDiag is the range of a
// diagnostic of the open (nil if it had none).
func methodCalls(text []byte, uri string, firstDiag json.RawMessage) ([]methodCall, error) {
	op, ok := docgen.MiddleOperation(text)
	if !ok || op.SecurityRefOffset < 0 {
		return nil, fmt.Errorf("no operation with a security $ref in the document")
	}
	// The security scheme referenced most often, and its key.
	counts := map[string]int{}
	for _, m := range schemeRefRE.FindAllSubmatch(text, -1) {
		counts[string(m[1])]++
	}
	var scheme string
	for name, n := range counts {
		if n > counts[scheme] || n == counts[scheme] && name < scheme {
			scheme = name
		}
	}
	keyAt := bytes.Index(text, []byte("\n    "+scheme+":\n"))
	if scheme == "" || keyAt < 0 {
		return nil, fmt.Errorf("no component security scheme referenced by operations")
	}
	keyAt += len("\n    ")
	doc := map[string]string{"uri": uri}
	at := func(off int) map[string]any {
		return map[string]any{"textDocument": doc, "position": positionAt(text, off)}
	}
	keyPos := at(keyAt + 1) // inside the key
	opRange := map[string]any{"start": positionAt(text, op.KeyOffset), "end": positionAt(text, op.DescriptionEnd)}
	codeActionRange, codeActionWhere := any(opRange), "operation "+op.Name+" (no diagnostic)"
	if len(firstDiag) > 0 {
		codeActionRange, codeActionWhere = firstDiag, "range of the first diagnostic"
	}
	opLine := positionAt(text, op.KeyOffset).Line
	first := max(0, opLine-30)
	window := map[string]any{"start": Position{first, 0}, "end": Position{first + 60, 0}}
	whole := map[string]any{"start": Position{0, 0}, "end": positionAt(text, len(text))}
	rename := at(keyAt + 1)
	rename["newName"] = scheme + "Renamed"
	refs := at(keyAt + 1)
	refs["context"] = map[string]bool{"includeDeclaration": true}
	completion := at(op.SecurityRefOffset)
	completion["context"] = map[string]any{"triggerKind": 1}
	secRef := "$ref of the first security item of " + op.Name
	schemeWhere := "key of scheme " + scheme + fmt.Sprintf(" (%d $refs)", counts[scheme])
	return []methodCall{
		{"hover", "textDocument/hover", at(op.KeyOffset), "key of operation " + op.Name},
		{"completion", "textDocument/completion", completion, "after #/components/securitySchemes/ in the " + secRef},
		{"definition", "textDocument/definition", at(op.SecurityRefOffset), secRef},
		{"references", "textDocument/references", refs, schemeWhere},
		{"documentHighlight", "textDocument/documentHighlight", keyPos, schemeWhere},
		{"prepareRename", "textDocument/prepareRename", keyPos, schemeWhere},
		{"rename", "textDocument/rename", rename, schemeWhere + " → " + scheme + "Renamed"},
		{"documentSymbol", "textDocument/documentSymbol", map[string]any{"textDocument": doc}, "whole document"},
		{"workspace/symbol", "workspace/symbol", map[string]any{"query": "send"}, `query "send"`},
		{"documentLink", "textDocument/documentLink", map[string]any{"textDocument": doc}, "whole document"},
		{"codeAction", "textDocument/codeAction", map[string]any{"textDocument": doc, "range": codeActionRange,
			"context": map[string]any{"diagnostics": []any{}}}, codeActionWhere},
		{"inlayHint (document)", "textDocument/inlayHint", map[string]any{"textDocument": doc, "range": whole}, "whole document"},
		{"inlayHint (60 lines)", "textDocument/inlayHint", map[string]any{"textDocument": doc, "range": window},
			fmt.Sprintf("lines %d–%d", first+1, first+60)},
		{"codeLens", "textDocument/codeLens", map[string]any{"textDocument": doc}, "whole document"},
		{"executeCommand", "workspace/executeCommand", map[string]any{"command": "asyncapi-ls.effectiveSecurity",
			"arguments": []any{uri}}, "asyncapi-ls.effectiveSecurity"},
	}, nil
}

// timeMethods makes every call n times, in turn (call 1 of every method,
// then call 2, …), and describes the last answer of each.
func timeMethods(ctx context.Context, c *conn, calls []methodCall, n int, timeout time.Duration) []MethodResult {
	out := make([]MethodResult, len(calls))
	for i, mc := range calls {
		out[i] = MethodResult{Label: mc.Label, Method: mc.Method, Where: mc.Where}
	}
	for round := 0; round < n; round++ {
		for i, mc := range calls {
			rctx, cancel := context.WithTimeout(ctx, timeout)
			t := time.Now()
			r, at, err := c.call(rctx, mc.Method, mc.Params)
			cancel()
			if err != nil {
				out[i].Failures++
				out[i].Error = err.Error()
				if c.isClosed() {
					return out
				}
				continue
			}
			out[i].Ms = append(out[i].Ms, ms(at.Sub(t)))
			out[i].Bytes = len(r)
			out[i].Answer = describeAnswer(mc.Method, r)
		}
	}
	return out
}

// describeAnswer says what a result holds, in the terms of its method.
func describeAnswer(method string, r json.RawMessage) string {
	t := bytes.TrimSpace(r)
	if len(t) == 0 || string(t) == "null" {
		return "null"
	}
	var list []json.RawMessage
	isList := json.Unmarshal(t, &list) == nil
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(t, &obj)
	switch method {
	case "textDocument/hover":
		var h struct {
			Contents struct {
				Value string `json:"value"`
			} `json:"contents"`
		}
		_ = json.Unmarshal(t, &h)
		return fmt.Sprintf("hover of %s characters", commas(len([]rune(h.Contents.Value))))
	case "textDocument/completion":
		if !isList {
			_ = json.Unmarshal(obj["items"], &list)
		}
		labels := []string{}
		for i := 0; i < len(list) && i < 3; i++ {
			var it struct {
				Label string `json:"label"`
			}
			_ = json.Unmarshal(list[i], &it)
			labels = append(labels, it.Label)
		}
		return fmt.Sprintf("%s items (%s…)", commas(len(list)), strings.Join(labels, ", "))
	case "textDocument/definition", "textDocument/references":
		if !isList {
			return "1 location"
		}
		return plural(len(list), "location")
	case "textDocument/documentHighlight":
		return plural(len(list), "highlight")
	case "textDocument/prepareRename":
		var p struct {
			Placeholder string `json:"placeholder"`
		}
		_ = json.Unmarshal(t, &p)
		if p.Placeholder != "" {
			return fmt.Sprintf("range, placeholder %q", p.Placeholder)
		}
		return "range"
	case "textDocument/rename":
		ranges, files := countEdits(obj)
		return fmt.Sprintf("WorkspaceEdit touching %s in %s", plural(ranges, "range"), plural(files, "file"))
	case "textDocument/documentSymbol":
		total, top := countSymbols(list)
		return fmt.Sprintf("outline of %s (%s top-level)", plural(total, "symbol"), commas(top))
	case "workspace/symbol":
		return plural(len(list), "symbol")
	case "textDocument/documentLink":
		return plural(len(list), "link")
	case "textDocument/codeAction":
		titles := []string{}
		for i := 0; i < len(list) && i < 2; i++ {
			var a struct {
				Title string `json:"title"`
			}
			_ = json.Unmarshal(list[i], &a)
			titles = append(titles, fmt.Sprintf("%q", a.Title))
		}
		if len(list) == 0 {
			return "0 actions"
		}
		return plural(len(list), "action") + " (" + strings.Join(titles, ", ") + ")"
	case "textDocument/inlayHint":
		return plural(len(list), "hint")
	case "textDocument/codeLens":
		return plural(len(list), "lens")
	case "workspace/executeCommand":
		var e struct {
			Markdown   string            `json:"markdown"`
			Operations []json.RawMessage `json:"operations"`
		}
		_ = json.Unmarshal(t, &e)
		return fmt.Sprintf("%s, Markdown of %s characters", plural(len(e.Operations), "operation"), commas(len([]rune(e.Markdown))))
	}
	if isList {
		return plural(len(list), "item")
	}
	return "object"
}

// countEdits counts the text edits of a WorkspaceEdit (changes or
// documentChanges) and the files they touch.
func countEdits(obj map[string]json.RawMessage) (ranges, files int) {
	var changes map[string][]json.RawMessage
	if json.Unmarshal(obj["changes"], &changes) == nil {
		for _, edits := range changes {
			ranges += len(edits)
			files++
		}
	}
	var docChanges []struct {
		Edits []json.RawMessage `json:"edits"`
	}
	if json.Unmarshal(obj["documentChanges"], &docChanges) == nil {
		for _, d := range docChanges {
			ranges += len(d.Edits)
			files++
		}
	}
	return ranges, files
}

// countSymbols counts DocumentSymbols with their children (or a flat list
// of SymbolInformation).
func countSymbols(list []json.RawMessage) (total, top int) {
	var walk func([]json.RawMessage)
	walk = func(l []json.RawMessage) {
		for _, s := range l {
			total++
			var sym struct {
				Children []json.RawMessage `json:"children"`
			}
			_ = json.Unmarshal(s, &sym)
			walk(sym.Children)
		}
	}
	walk(list)
	return total, len(list)
}

func plural(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "s"):
		return commas(n) + " " + noun + "es"
	}
	return commas(n) + " " + noun + "s"
}

// commas writes n with thousands separators (1,234).
func commas(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// runMethods is the --methods mode: one v3 YAML document of the first
// size, the first server, every method --times times.
func runMethods(ctx context.Context, o options, specs []ServerSpec, size sizeSpec, dir string, logw io.Writer, out io.Writer) error {
	text := docgen.Generate(docgen.Options{TargetBytes: size.bytes, Seed: o.seed, Shape: docgen.ShapeV3})
	path := aloneIn(dir, "methods.yaml")
	if err := writeAlone(path, text); err != nil {
		return err
	}
	spec := specs[0]
	var results []MethodResult
	var openErr error
	cfg := RunConfig{
		Text: text, Path: path, LanguageID: "yaml",
		Timeout: o.timeout, OpenTimeout: o.openTimeout, Quiet: o.quiet,
		StderrPath: filepath.Join(dir, "methods-"+sanitize(spec.Name)+".stderr"), Log: logw,
		Requests: 16 * o.times,
		AfterOpen: func(ctx context.Context, c *conn, uri string, text []byte, open diagEvent) error {
			calls, err := methodCalls(text, uri, open.FirstRange)
			if err != nil {
				openErr = err
				return err
			}
			results = timeMethods(ctx, c, calls, o.times, o.timeout)
			return nil
		},
	}
	res, err := Run(ctx, spec, cfg)
	if err != nil {
		if openErr != nil {
			return openErr
		}
		return fmt.Errorf("%s: %w", spec.Name, err)
	}
	var md bytes.Buffer
	fmt.Fprintf(&md, "#### Every method on one document: %s, v3 YAML %s (%s bytes), %d calls per method\n\n",
		spec.Name, size.label, commas(len(text)), o.times)
	fmt.Fprintf(&md, "open→diagnostics %s ms (%s), peak RSS %.1f MiB\n\n", num(res.OpenMs), plural(res.OpenDiags, "diagnostic"),
		float64(res.PeakRSSBytes)/(1<<20))
	md.WriteString("| method | at | median (ms) | max (ms) | answer | result bytes |\n|---|---|---|---|---|---|\n")
	failed := false
	for _, r := range results {
		med, mx := "–", "–"
		if len(r.Ms) > 0 {
			med, mx = num(percentile(r.Ms, 0.5)), num(slices.Max(r.Ms))
		}
		answer := r.Answer
		if r.Failures > 0 {
			failed = true
			answer = strings.TrimSpace(fmt.Sprintf("%s [%d failed: %s]", answer, r.Failures, r.Error))
		}
		fmt.Fprintf(&md, "| %s | %s | %s | %s | %s | %s |\n", r.Label, strings.ReplaceAll(r.Where, "|", `\|`), med, mx,
			strings.ReplaceAll(answer, "|", `\|`), commas(r.Bytes))
	}
	_, _ = out.Write(md.Bytes())
	if o.mdOut != "" {
		if err := os.WriteFile(o.mdOut, md.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if o.jsonOut != "" {
		b, _ := json.MarshalIndent(map[string]any{"server": spec, "bytes": len(text), "times": o.times, "open": res, "methods": results}, "", "  ")
		if err := os.WriteFile(o.jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	if failed {
		return fmt.Errorf("some method calls failed")
	}
	return nil
}
