package server

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/uri"
)

// posOf is the LSP position of anchor+delta in an ASCII text.
func posOf(t *testing.T, text, anchor string, delta int) map[string]any {
	t.Helper()
	i := strings.Index(text, anchor)
	if i < 0 {
		t.Fatalf("no %q in the text", anchor)
	}
	i += delta
	return map[string]any{"line": strings.Count(text[:i], "\n"), "character": i - strings.LastIndex(text[:i], "\n") - 1}
}

// lspRange is declared in symbols_test.go.

// rangeText returns the text an LSP range covers (ASCII, one line).
func rangeText(text string, r lspRange) string {
	line := strings.Split(text, "\n")[r.Start.Line]
	return line[r.Start.Character:r.End.Character]
}

func navClient(t *testing.T, uri, text string) *testClient {
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	c.open(uri, text)
	return c
}

func TestReferencesOverJSONRPC(t *testing.T) {
	uri := "file:///refs.yaml"
	c := navClient(t, uri, demoV3)
	var locs []struct {
		URI   string
		Range lspRange
	}
	params := map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(t, demoV3, "    oauth:", 5), "context": map[string]any{"includeDeclaration": true}}
	c.mustCall("textDocument/references", params, &locs)
	var got []string
	for _, l := range locs {
		if l.URI != uri {
			t.Errorf("location in %s", l.URI)
		}
		got = append(got, rangeText(demoV3, l.Range))
	}
	if strings.Join(got, ",") != "oauth,oauth" || locs[0].Range.Start.Line != 19 || locs[1].Range.Start.Line != 25 {
		t.Errorf("references of oauth = %v %+v, want the $ref token on line 19 and the key on line 25", got, locs)
	}
	params["context"] = map[string]any{"includeDeclaration": false}
	c.mustCall("textDocument/references", params, &locs)
	if len(locs) != 1 || locs[0].Range.Start.Line != 19 {
		t.Errorf("references without the declaration = %+v", locs)
	}
	// Nothing at a plain value: an empty list, not an error.
	params["position"] = posOf(t, demoV3, "host: broker", 8)
	c.mustCall("textDocument/references", params, &locs)
	if len(locs) != 0 {
		t.Errorf("references at a host value = %+v", locs)
	}
}

func TestDocumentHighlightOverJSONRPC(t *testing.T) {
	uri := "file:///hl.yaml"
	c := navClient(t, uri, demoV3)
	var hl []struct {
		Range lspRange
		Kind  int
	}
	c.mustCall("textDocument/documentHighlight", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(t, demoV3, "'#/channels/orders'", 13)}, &hl)
	sort.Slice(hl, func(i, j int) bool { return hl[i].Range.Start.Line < hl[j].Range.Start.Line })
	if len(hl) != 2 || hl[0].Kind != 3 || hl[1].Kind != 2 || rangeText(demoV3, hl[0].Range) != "orders" || hl[1].Range.Start.Line != 17 {
		t.Errorf("highlights of the orders channel = %+v, want the key (write) and the $ref token (read)", hl)
	}
}

func TestRenameOverJSONRPC(t *testing.T) {
	uri := "file:///rename.yaml"
	c := navClient(t, uri, demoV3)
	pos := posOf(t, demoV3, "securitySchemes/saslScram'", 17)
	var prep struct {
		Range       lspRange
		Placeholder string
	}
	c.mustCall("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos}, &prep)
	if prep.Placeholder != "saslScram" || prep.Range.Start.Line != 9 {
		t.Errorf("prepareRename = %+v", prep)
	}
	var edit struct {
		Changes map[string][]struct {
			Range   lspRange
			NewText string
		}
	}
	c.mustCall("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos, "newName": "scram"}, &edit)
	edits := edit.Changes[uri]
	sort.Slice(edits, func(i, j int) bool { return edits[i].Range.Start.Line > edits[j].Range.Start.Line })
	text := demoV3
	for _, e := range edits {
		if e.Range.Start.Line != e.Range.End.Line {
			t.Fatalf("multi-line edit %+v", e)
		}
		text = applyEdit(text, e.Range.Start.Line, e.Range.Start.Character, e.Range.End.Character, e.NewText)
	}
	if len(edits) != 2 || !strings.Contains(text, "'#/components/securitySchemes/scram'") || !strings.Contains(text, "    scram:\n") {
		t.Errorf("rename edits %+v give:\n%s", edits, text)
	}
	// A name that exists is refused with a message for the user.
	err := c.call("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos, "newName": "oauth"}, &edit)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("rename to an existing name: %v", err)
	}
	err = c.call("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(t, demoV3, "type: scramSha256", 8)}, &prep)
	if err == nil || !strings.Contains(err.Error(), "nothing to rename") {
		t.Errorf("prepareRename on a value: %v", err)
	}
}

func TestNavigationCapabilities(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	var res struct {
		Capabilities struct {
			ReferencesProvider        bool
			DocumentHighlightProvider bool
			RenameProvider            struct{ PrepareProvider bool }
		}
	}
	c.mustCall("initialize", map[string]any{"capabilities": map[string]any{}}, &res)
	caps := res.Capabilities
	if !caps.ReferencesProvider || !caps.DocumentHighlightProvider || !caps.RenameProvider.PrepareProvider {
		t.Errorf("capabilities %+v", caps)
	}
}

type lspCodeAction struct {
	Title       string
	Kind        string
	IsPreferred bool
	Diagnostics []struct {
		Code  string
		Range lspRange
	}
	Edit struct {
		Changes map[string][]struct {
			Range   lspRange
			NewText string
		}
	}
}

// applyLSPEdits applies single-line edits of an action (bottom up).
func applyLSPEdits(t *testing.T, text, uri string, a lspCodeAction) string {
	t.Helper()
	edits := a.Edit.Changes[uri]
	sort.Slice(edits, func(i, j int) bool {
		if edits[i].Range.Start.Line != edits[j].Range.Start.Line {
			return edits[i].Range.Start.Line > edits[j].Range.Start.Line
		}
		return edits[i].Range.Start.Character > edits[j].Range.Start.Character
	})
	for _, e := range edits {
		if e.Range.Start.Line != e.Range.End.Line {
			t.Fatalf("multi-line edit %+v", e)
		}
		text = applyEdit(text, e.Range.Start.Line, e.Range.Start.Character, e.Range.End.Character, e.NewText)
	}
	return text
}

const fixV2 = `asyncapi: 2.6.0
info: {title: t, version: '1'}
servers:
  s:
    url: h
    protocol: ws
    security:
      - o: [raed]
components:
  securitySchemes:
    o:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://a.example.com/t
          scopes:
            read: r
`

func TestCodeActionQuickFixOverJSONRPC(t *testing.T) {
	uri := "file:///fix.yaml"
	c := navClient(t, uri, fixV2)
	c.waitDiagnostics(uri, 1)
	line := strings.Count(fixV2[:strings.Index(fixV2, "raed")], "\n")
	rng := map[string]any{"start": map[string]any{"line": line, "character": 12}, "end": map[string]any{"line": line, "character": 12}}
	// The client's copy of the diagnostics is ignored (glsp loses its code):
	// send a wrong one.
	params := map[string]any{"textDocument": map[string]any{"uri": uri}, "range": rng,
		"context": map[string]any{"diagnostics": []any{map[string]any{"range": rng, "message": "stale", "code": "nonsense"}}}}
	var actions []lspCodeAction
	c.mustCall("textDocument/codeAction", params, &actions)
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.Title)
		if a.Kind != "quickfix" || len(a.Diagnostics) != 1 || a.Diagnostics[0].Code != "security-undefined-scope" {
			t.Errorf("action %+v", a)
		}
	}
	want := []string{`Change to "read"`, `Declare scope "raed" in flow clientCredentials of scheme o`}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Fatalf("titles %q, want %q", titles, want)
	}
	if !actions[0].IsPreferred || actions[1].IsPreferred {
		t.Errorf("the single did-you-mean is the preferred fix: %+v", actions)
	}
	if got := applyLSPEdits(t, fixV2, uri, actions[0]); !strings.Contains(got, "- o: [read]") {
		t.Errorf("fixed text:\n%s", got)
	}
	if got := applyLSPEdits(t, fixV2, uri, actions[1]); !strings.HasSuffix(got, "            read: r\n            raed: ''\n") {
		t.Errorf("declared text:\n%s", got)
	}
	// only: refactor excludes quick fixes.
	params["context"] = map[string]any{"diagnostics": []any{}, "only": []string{"refactor"}}
	c.mustCall("textDocument/codeAction", params, &actions)
	if len(actions) != 0 {
		t.Errorf("only refactor: %+v", actions)
	}
}

func TestCodeActionFollowsSeverityOverrides(t *testing.T) {
	uri := "file:///off.yaml"
	c, _ := newPipeClient(t, nil)
	c.initialize(map[string]any{"severityOverrides": map[string]string{"security-undefined-scope": "off"}})
	c.open(uri, fixV2)
	line := strings.Count(fixV2[:strings.Index(fixV2, "raed")], "\n")
	rng := map[string]any{"start": map[string]any{"line": line, "character": 12}, "end": map[string]any{"line": line, "character": 12}}
	var actions []lspCodeAction
	c.mustCall("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": rng, "context": map[string]any{"diagnostics": []any{}}}, &actions)
	if len(actions) != 0 {
		t.Errorf("a fix for a diagnostic turned off: %+v", actions)
	}
}

// initializeWith sends initialize with the given client capabilities.
func initializeWith(c *testClient, caps, options any) {
	var res json.RawMessage
	c.mustCall("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": caps, "initializationOptions": options}, &res)
	c.notify("initialized", map[string]any{})
}

type lspInlayHint struct {
	Position    struct{ Line, Character int }
	Label       string
	Tooltip     struct{ Kind, Value string }
	PaddingLeft bool
}

type lspCodeLens struct {
	Range   lspRange
	Command struct {
		Title, Command string
		Arguments      []string
	}
}

func TestInlayHintsAndCodeLensOverJSONRPC(t *testing.T) {
	uri := "file:///hints.yaml"
	whole := map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 1000, "character": 0}}
	hintParams := map[string]any{"textDocument": map[string]any{"uri": uri}, "range": whole}
	lensParams := map[string]any{"textDocument": map[string]any{"uri": uri}}
	inlayCaps := map[string]any{"textDocument": map[string]any{"inlayHint": map[string]any{}}}

	t.Run("client with inlay hints: hints on, lenses off", func(t *testing.T) {
		c, _ := newPipeClient(t, nil)
		var res struct {
			Capabilities struct {
				InlayHintProvider bool
				CodeLensProvider  *struct{}
			}
		}
		c.mustCall("initialize", map[string]any{"capabilities": inlayCaps}, &res)
		if !res.Capabilities.InlayHintProvider || res.Capabilities.CodeLensProvider == nil {
			t.Errorf("capabilities %+v", res.Capabilities)
		}
		c.notify("initialized", map[string]any{})
		c.open(uri, demoV3)
		var hints []lspInlayHint
		c.mustCall("textDocument/inlayHint", hintParams, &hints)
		if len(hints) != 1 {
			t.Fatalf("hints %+v", hints)
		}
		h := hints[0]
		if h.Position.Line != 14 || h.Position.Character != len("  sendOrder:") || h.Label != "security: saslScram AND (oauth[orders:write] | missingScheme (undefined))" || !h.PaddingLeft {
			t.Errorf("hint %+v", h)
		}
		if h.Tooltip.Kind != "markdown" || !strings.Contains(h.Tooltip.Value, "Effective security") {
			t.Errorf("tooltip %+v", h.Tooltip)
		}
		var lenses []lspCodeLens
		c.mustCall("textDocument/codeLens", lensParams, &lenses)
		if len(lenses) != 0 {
			t.Errorf("lenses for a client with inlay hints: %+v", lenses)
		}
		// A range that misses the operation key: no hint.
		c.mustCall("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri},
			"range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 3, "character": 0}}}, &hints)
		if len(hints) != 0 {
			t.Errorf("hints outside the range: %+v", hints)
		}
	})
	t.Run("client without inlay hints: lenses on", func(t *testing.T) {
		c := navClient(t, uri, demoV3)
		var lenses []lspCodeLens
		c.mustCall("textDocument/codeLens", lensParams, &lenses)
		if len(lenses) != 1 || lenses[0].Range.Start.Line != 14 || lenses[0].Command.Title != "security: saslScram AND (oauth[orders:write] | missingScheme (undefined))" ||
			lenses[0].Command.Command != EffectiveSecurityCommand || len(lenses[0].Command.Arguments) != 1 || lenses[0].Command.Arguments[0] != uri {
			t.Errorf("lenses %+v", lenses)
		}
	})
	t.Run("settings: inlayHints off, codeLens on", func(t *testing.T) {
		c, _ := newPipeClient(t, nil)
		initializeWith(c, inlayCaps, map[string]any{"inlayHints": false, "codeLens": true})
		c.open(uri, demoV3)
		var hints []lspInlayHint
		c.mustCall("textDocument/inlayHint", hintParams, &hints)
		var lenses []lspCodeLens
		c.mustCall("textDocument/codeLens", lensParams, &lenses)
		if len(hints) != 0 || len(lenses) != 1 {
			t.Errorf("hints %+v lenses %+v", hints, lenses)
		}
		// and back through didChangeConfiguration
		c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"asyncapi-ls": map[string]any{"inlayHints": true, "codeLens": false}}})
		c.mustCall("textDocument/inlayHint", hintParams, &hints)
		c.mustCall("textDocument/codeLens", lensParams, &lenses)
		if len(hints) != 1 || len(lenses) != 0 {
			t.Errorf("after the change: hints %+v lenses %+v", hints, lenses)
		}
	})
}

func TestDocumentLinkOverJSONRPC(t *testing.T) {
	uri := "file:///specs/api.yaml"
	text := `asyncapi: 3.0.0
info: {title: t, version: '1', externalDocs: {url: 'https://example.com/docs'}}
operations:
  o:
    security:
      - $ref: '../shared/schemes.yaml#/components/securitySchemes/k'
      - $ref: '#/components/securitySchemes/k'
components:
  securitySchemes:
    k: {type: X509}
`
	c := navClient(t, uri, text)
	var links []struct {
		Range   lspRange
		Target  string
		Tooltip string
	}
	c.mustCall("textDocument/documentLink", map[string]any{"textDocument": map[string]any{"uri": uri}}, &links)
	var got []string
	for _, l := range links {
		got = append(got, rangeText(text, l.Range)+" -> "+l.Target)
	}
	want := []string{"https://example.com/docs -> https://example.com/docs", "'../shared/schemes.yaml#/components/securitySchemes/k' -> file:///shared/schemes.yaml"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// After incremental edits (the tree is updated in place and shared nodes
// keep their old offsets), references and rename still answer the current
// text's positions.
func TestReferencesAfterIncrementalEdits(t *testing.T) {
	uri := "file:///inc.yaml"
	c := navClient(t, uri, demoV3)
	text := demoV3
	for v, edit := range []struct {
		line    int
		newText string
	}{{0, "# a comment\n"}, {12, "    description: the orders\n"}} {
		pos := map[string]any{"line": edit.line, "character": 0}
		c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": v + 2},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": edit.newText}}})
		lines := strings.SplitAfter(text, "\n")
		text = strings.Join(lines[:edit.line], "") + edit.newText + strings.Join(lines[edit.line:], "")
	}
	var locs []struct{ Range lspRange }
	c.mustCall("textDocument/references", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": posOf(t, text, "    oauth:", 5), "context": map[string]any{"includeDeclaration": true}}, &locs)
	var got []string
	for _, l := range locs {
		got = append(got, fmt.Sprintf("%d:%s", l.Range.Start.Line, rangeText(text, l.Range)))
	}
	if strings.Join(got, ",") != "21:oauth,27:oauth" {
		t.Errorf("references after edits = %v, want the $ref on line 21 and the key on line 27", got)
	}
}

// Turning hints off or on in the settings asks clients that support it to
// re-request inlay hints and code lenses.
func TestSettingsChangeRefreshesHints(t *testing.T) {
	c, _ := newPipeClient(t, nil)
	initializeWith(c, map[string]any{
		"textDocument": map[string]any{"inlayHint": map[string]any{}},
		"workspace":    map[string]any{"inlayHint": map[string]any{"refreshSupport": true}, "codeLens": map[string]any{"refreshSupport": true}},
	}, nil)
	// Unrelated settings: no refresh.
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"asyncapi-ls": map[string]any{"showHints": false}}})
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"asyncapi-ls": map[string]any{"showHints": false, "inlayHints": false}}})
	deadline := time.Now().Add(20 * time.Second)
	for {
		changed := c.changedChan()
		c.mu.Lock()
		reqs := make([]string, 0, len(c.requests))
		for _, r := range c.requests {
			reqs = append(reqs, string(r))
		}
		c.mu.Unlock()
		all := strings.Join(reqs, "\n")
		if strings.Contains(all, "workspace/inlayHint/refresh") && strings.Contains(all, "workspace/codeLens/refresh") {
			if n := strings.Count(all, "workspace/inlayHint/refresh"); n != 1 {
				t.Errorf("%d inlay hint refreshes, want 1 (only the change of inlayHints): %s", n, all)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no refresh requests: %s", all)
		}
		select {
		case <-changed:
		case <-time.After(time.Second):
		}
	}
}

// References and rename of a scheme declared in one document follow the
// $refs that other documents of the workspace make into it.
func TestReferencesAndRenameAcrossDocuments(t *testing.T) {
	dir := t.TempDir()
	schemesURI := string(uri.File(filepath.Join(dir, "shared", "schemes.yaml")))
	apiURI := string(uri.File(filepath.Join(dir, "api", "orders.yaml")))
	schemes := "asyncapi: 3.0.0\ninfo: {title: s, version: '1'}\ncomponents:\n  securitySchemes:\n    sasl: {type: scramSha512}\n"
	api := "asyncapi: 3.0.0\ninfo: {title: a, version: '1'}\nservers:\n  s:\n    host: h\n    protocol: kafka-secure\n    security:\n      - $ref: '../shared/schemes.yaml#/components/securitySchemes/sasl'\n      - $ref: 'other.yaml#/components/securitySchemes/sasl'\n"
	c, _ := newPipeClient(t, nil)
	c.initialize(nil)
	c.open(schemesURI, schemes)
	c.open(apiURI, api)
	pos := posOf(t, schemes, "    sasl:", 5)
	var locs []struct {
		URI   string
		Range lspRange
	}
	c.mustCall("textDocument/references", map[string]any{"textDocument": map[string]any{"uri": schemesURI}, "position": pos, "context": map[string]any{"includeDeclaration": true}}, &locs)
	var got []string
	for _, l := range locs {
		text := schemes
		if l.URI == apiURI {
			text = api
		}
		got = append(got, fmt.Sprintf("%s:%d:%s", filepath.Base(l.URI), l.Range.Start.Line, rangeText(text, l.Range)))
	}
	if strings.Join(got, ",") != "schemes.yaml:4:sasl,orders.yaml:7:sasl" {
		t.Errorf("references = %v", got)
	}
	var edit struct {
		Changes map[string][]struct {
			Range   lspRange
			NewText string
		}
	}
	c.mustCall("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": schemesURI}, "position": pos, "newName": "scram"}, &edit)
	if len(edit.Changes[schemesURI]) != 1 || len(edit.Changes[apiURI]) != 1 || edit.Changes[apiURI][0].NewText != "scram" || edit.Changes[apiURI][0].Range.Start.Line != 7 {
		t.Errorf("rename edits %+v", edit.Changes)
	}
}
