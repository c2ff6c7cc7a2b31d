package analysis

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
	"github.com/asyncapi-ls/asyncapi-ls/internal/edittest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/markertest"
	"github.com/asyncapi-ls/asyncapi-ls/internal/testenv"
	"github.com/asyncapi-ls/asyncapi-ls/internal/wstest"
)

// Unit rebuilds of documents whose $refs lead into other files
// (model_inc.go, "$refs that leave the document"): every update is
// compared with a cold AnalyzeWith of the same text and files, the model
// and its links (diffDocs), the diagnostics relocated from the other files
// included, and what the document knows of those files (diffExt).

// filesMain is a 3.x document of the common multi-file layout: its
// components name schemes, servers and messages of shared files (one
// through a chain of two files), the operations $ref those components
// locally, and a few $refs miss (a missing file, a bad pointer, a broken
// file).
const filesMain = `asyncapi: 3.0.0
info:
  title: Files
  version: 1.0.0
  description: the main document
servers:
  prod:
    $ref: 'shared/servers.yaml#/prod'
  edge:
    host: edge.example.com
    protocol: wss
    security:
      - $ref: '#/components/securitySchemes/oauth'
      - $ref: '#/components/securitySchemes/key'
  local:
    host: local.example.com
    protocol: ws
channels:
  orders:
    address: orders
    servers:
      - $ref: '#/servers/prod'
    messages:
      placed:
        $ref: 'shared/messages.yaml#/placed'
  users:
    address: users
    servers:
      - $ref: '#/servers/edge'
    messages:
      joined:
        $ref: 'shared/messages.yaml#/missing'
  audit:
    address: audit
    servers:
      - $ref: '#/servers/local'
  spare:
    address: spare
    servers:
      - $ref: 'shared/servers.yaml#/prod'
operations:
  sendOrder:
    action: send
    channel:
      $ref: '#/channels/orders'
    description: sends an order
    security:
      - $ref: '#/components/securitySchemes/oauth'
  joinUser:
    action: receive
    channel:
      $ref: '#/channels/users'
    summary: a user joins
    security:
      - $ref: '#/components/securitySchemes/key'
      - $ref: '#/components/securitySchemes/chained'
  auditAll:
    action: receive
    channel:
      $ref: '#/channels/audit'
    description: local only
    x-msg: {$ref: 'shared/messages.yaml#/placed'}
    security:
      - $ref: '#/components/securitySchemes/local'
  broken:
    action: send
    channel:
      $ref: '#/channels/audit'
    security:
      - $ref: '#/components/securitySchemes/gone'
  scopedOp:
    action: send
    channel:
      $ref: '#/channels/audit'
    description: asks for a scope the scheme lacks
    security:
      - $ref: '#/components/securitySchemes/scoped'
  directOp:
    action: send
    channel:
      $ref: '#/channels/orders'
    description: names a scheme of another file directly
    security:
      - $ref: 'shared/more.yaml#/weak'
  certA:
    action: send
    channel:
      $ref: '#/channels/audit'
    description: the first to name cert
    security:
      - $ref: 'shared/more.yaml#/cert'
  certB:
    action: send
    channel:
      $ref: '#/channels/audit'
    description: the second to name cert
    security:
      - $ref: 'shared/more.yaml#/cert'
components:
  securitySchemes:
    oauth:
      $ref: 'shared/schemes.yaml#/oauth'
    key:
      $ref: 'shared/schemes.yaml#/key'
    chained:
      $ref: 'shared/schemes.yaml#/chained'
    gone:
      $ref: 'shared/nothere.yaml#/x'
    bad:
      $ref: 'shared/schemes.yaml#/nope'
    cert:
      $ref: 'shared/broken.yaml#/cert'
    scoped:
      $ref: 'shared/schemes.yaml#/scoped'
    local:
      type: userPassword
      description: a local scheme
`

// filesShared are the files filesMain reads: schemes (one of them with
// problems, reported on the $ref), a chain into a third file, servers
// whose security $refs the schemes file, messages, a file that does not
// parse.
var filesShared = map[string]string{
	"shared/schemes.yaml": `oauth:
  type: oauth2
  flows:
    clientCredentials:
      availableScopes:
        orders:write: write
key:
  type: httpApiKey
  name: X-Key
  in: body
chained:
  $ref: 'more.yaml#/deep'
scoped:
  type: oauth2
  flows:
    implicit:
      authorizationUrl: https://auth.example.com
      availableScopes:
        read: read
  scopes: [read, admin]
`,
	"shared/more.yaml": `deep:
  type: X509
  description: two files away
cert:
  type: X509
  description: named by two operations
weak:
  type: httpApiKey
  name: k
  in: body
`,
	"shared/servers.yaml": `prod:
  host: prod.example.com
  protocol: mqtt
  security:
    - $ref: 'schemes.yaml#/oauth'
    - $ref: 'schemes.yaml#/nothing'
`,
	"shared/messages.yaml": `placed:
  payload:
    type: object
`,
	"shared/broken.yaml": "cert:\n  type: X509\n  description: [never closed\n",
}

// filesWorkspace writes filesShared under a new directory and returns the
// options of a document api.yaml there.
func filesWorkspace(t testing.TB) Options {
	return writeWorkspace(t, filesShared)
}

// writeWorkspace writes files (by slash-separated relative path) under a
// new directory and returns the options of a document api.yaml there.
func writeWorkspace(t testing.TB, files map[string]string) Options {
	dir := t.TempDir()
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Options{Path: filepath.Join(dir, "api.yaml"), Loader: workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", dir), 0)}
}

// checkUpdateWith is checkUpdate for a document with options: Update
// against a cold AnalyzeWith, and what each knows of other files.
func checkUpdateWith(t testing.TB, prev *Document, edits []syntax.Edit, text []byte) *Document {
	t.Helper()
	got := Update(prev, edits, text)
	want := AnalyzeWith(text, prev.Options())
	for _, dg := range want.Diagnostics {
		if strings.Contains(dg.Message, "internal error") {
			t.Fatalf("AnalyzeWith failed after edits %+v: %s\nnew text:\n%s", edits, dg.Message, text)
		}
	}
	s := cmp.Or(diffDocs(want, got), edittest.DiffParseMode(want.Tree, got.Tree))
	if s == "" {
		s = diffExt(want, got)
	}
	if s != "" {
		t.Fatalf("Update differs from AnalyzeWith after edits %+v (path %d, model reused %v %q): %s\nprevious text:\n%s\nnew text:\n%s",
			edits, got.inc.path, got.inc.modelReused, got.inc.modelWhy, s, prev.Text, text)
	}
	return got
}

// diffExt compares what two documents know of other files: the files
// their $refs named, the $refs' cross-file index (File, Fragment), and
// the edges from a $ref into another file (which relocate follows back).
func diffExt(w, g *Document) string {
	if a, b := strings.Join(w.Files(), "\n"), strings.Join(g.Files(), "\n"); a != b {
		return fmt.Sprintf("Files(): want\n%s\ngot\n%s", a, b)
	}
	for i, r := range w.Refs {
		if c := g.Refs[i]; r.File != c.File || r.Fragment != c.Fragment || r.followed != c.followed || r.code != c.code || r.missingIn != c.missingIn {
			return fmt.Sprintf("ref %d %s: want file %q %q followed %v code %q missing in %d, got %q %q %v %q %d",
				i, r.Target, r.File, r.Fragment, r.followed, r.code, r.missingIn, c.File, c.Fragment, c.followed, c.code, c.missingIn)
		}
	}
	edges := func(d *Document) []string {
		if d.ext == nil {
			return nil
		}
		var out []string
		for _, e := range d.ext.edges {
			if syntax.FileOf(e.from.Holder) == 0 { // the document's own $refs: in their order
				out = append(out, fmt.Sprint(d.R(e.from.Value), "->", d.R(e.target)))
			}
		}
		// The other files' $refs are resolved when first met (a check, the
		// schema validation): which ones, not their order, is what
		// relocate reads.
		var foreign []string
		for _, e := range d.ext.edges {
			if syntax.FileOf(e.from.Holder) != 0 {
				foreign = append(foreign, fmt.Sprint(d.R(e.from.Value), "->", d.R(e.target)))
			}
		}
		sort.Strings(foreign)
		return append(out, slices.Compact(foreign)...)
	}
	if a, b := strings.Join(edges(w), "\n"), strings.Join(edges(g), "\n"); a != b {
		return fmt.Sprintf("edges: want\n%s\ngot\n%s", a, b)
	}
	return ""
}

// allowedModelFallbacks are the reasons for which an update of a document
// with file $refs may rebuild the whole model (model_inc.go): the edit
// reaches what a unit rebuild does not splice.
var allowedModelFallbacks = []string{
	// the structure around the edit
	"the region is not under the root",
	"no asyncapi key: no model is built",
	"a section dropped as a block reaches too many units",
	"a section given back as a block reaches too many units",
	"a section given back changed its entries", // an entry given back is a $ref (addRestored)
	"an anchor or alias on the way to a model section",
	"an ancestor of the region holds a $ref",
	"the region's mapping now holds a $ref",
	"a new key is not a plain scalar",
	"the region holds a model section",
	"the region's entry has no key",
	"the region is in a duplicate section key",
	"the model sections differ from their runs",
	"a section changed its entries",
	"a rebuilt unit is a $ref",
	"a rebuilt unit was a $ref",
	// a unit that is a $ref whose target refCover cannot cover
	"a rebuilt unit is a $ref into the region",
	"a rebuilt unit is a $ref to a $ref",
	"a unit's $ref target holds other units",
	"a unit's $ref target holds a model section",
	"a unit's $ref target outside the units straddles the region",
	"a $ref outside the units lands on a unit's $ref target",
	"a unit's $ref through other $refs lands on the region's ancestor",
	"a unit's $ref lands on a $ref now",
	"a dependent unit changed the length of its runs",
	"a rebuilt unit made an inline scheme other units share",
	"a $ref outside the units names an inline scheme a rebuilt unit made",
	"a rebuilt unit depends on something outside it",
	"a diagnostic outside its unit",
	"a diagnostic outside the units",
	"a requirement outside the units",
	"a channel outside the units",
	"an operation outside the units",
	"a 2.x requirement outside the units",
	"a 2.x channel outside the units",
	"a diagnostic straddles the edit",
	"a kept diagnostic explains a rebuilt unit",
	"too many units depend on the change",
	"too many units to check again",
	"a $ref of a kept unit lands on a scheme, server or channel",
	// what leaves the document
	"the edit replaces a $ref whose target in another file holds $refs",
	"a $ref's target in another file holds $refs another $ref reaches",
	"a $ref resolved again lands where another file's $refs were forgotten",
	"a $ref resolved again led to $refs in another file",
	// the $refs that reach what the edit forgets, or that another file's
	// $ref on a unit's target leads from (coverFar, farReaders)
	"a $ref outside the units reaches $refs in another file the edit forgets",
	"a $ref that reaches $refs the edit forgets leads into a file with anchors",
	"a $ref outside the units reaches another file's $ref that lands on a unit's $ref target",
	"a $ref's target in another file with anchors reaches a unit's $ref target",
	"a kept diagnostic is in a file no longer read",
	"two diagnostics on one place differ only in their related places",
	"a rebuilt unit reported on another file",
	"a rebuilt unit reports on another file",
	"a file the document reads changed",
}

func checkModelFallback(t testing.TB, d *Document, versionChanged bool) {
	t.Helper()
	if d.inc.path != pathRegion || d.inc.modelReused || d.inc.modelWhy == "" {
		return
	}
	if d.inc.modelWhy == "the version or the previous model differs" && versionChanged {
		return
	}
	if !slices.Contains(allowedModelFallbacks, d.inc.modelWhy) {
		t.Fatalf("the model was rebuilt whole for a reason not allowed: %q", d.inc.modelWhy)
	}
}

// TestUnitRebuildFilesPlaces: typing in the places of filesMain that hold
// no $ref into another file, nor depend on one that changes, rebuilds
// only some units, each keystroke equal to a cold analysis.
func TestUnitRebuildFilesPlaces(t *testing.T) {
	opts := filesWorkspace(t)
	for _, c := range []struct {
		name, find string
		units      int // units rebuilt per keystroke
	}{
		{"operation description", "description: sends an order", 1},
		{"operation summary beside an external chain", "summary: a user joins", 1},
		{"operation on local servers", "description: local only", 1},
		{"local scheme", "description: a local scheme", 1}, // auditAll, which uses it, is kept (forwarded)
		{"server with a local security list", "    protocol: wss", 3},
		{"channel whose message is in another file", "    address: users", 2},
		{"info", "description: the main document", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := Update(Seed(opts), nil, []byte(filesMain))
			if len(prev.Files()) < 5 {
				t.Fatalf("the document reads %v", prev.Files())
			}
			at := strings.Index(filesMain, c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			at += len(c.find)
			for _, s := range []string{"x", "y", " ", "é"} {
				e := syntax.Edit{Start: at, End: at, Text: s}
				prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				if !prev.inc.modelReused {
					t.Fatalf("typing %q rebuilt the whole model: %q", s, prev.inc.modelWhy)
				}
				if prev.inc.units != c.units {
					t.Fatalf("typing %q rebuilt %d units, want %d", s, prev.inc.units, c.units)
				}
				at += len(s)
			}
		})
	}
}

// TestUnitRebuildFilesReach: which edits of a document with file $refs
// rebuild part of the model and which the whole, and why; each equal to
// a cold analysis.
func TestUnitRebuildFilesReach(t *testing.T) {
	opts := filesWorkspace(t)
	for _, c := range []struct {
		name        string
		find        string
		off, del    int
		ins         string
		partial     bool
		why         string
		units, chkd int
	}{
		{"a local $ref typed into a security list", "      - $ref: '#/components/securitySchemes/local'\n", 0, 0, "      - $ref: '#/components/securitySchemes/local'\n", true, "", 1, 1},
		{"a field added to an operation", "    description: local only\n", 0, 0, "    title: t\n", true, "", 1, 1},
		{"a field added to the local scheme", "      type: userPassword\n", 0, 0, "      description2: d\n", true, "", 1, 1}, // its users kept (forwarded)
		// local, audit on it, the five operations on audit, and spare
		// (its server is in another file: it is checked again)
		{"a server renamed", "  local:\n    host", 2, 5, "here", true, "", 8, 8},
		// edge holds the problem of the scheme oauth in schemes.yaml (on
		// its $ref, the first of those that lead there)
		{"a server that shows another unit's problem", "  edge:\n    host: edge.example.com", 28, 0, "x", true, "", 3, 2},
		// the problem of the scheme scoped (in schemes.yaml) is on
		// scopedOp's $ref
		{"an operation that shows another unit's problem", "    description: asks for", 0, 0, "    title: t\n", true, "", 1, 1},
		// what leaves the document changes: the $refs are followed, the
		// files and edges gathered again
		{"an external $ref typed", "    description: local only\n", 0, 0, "    x-ext:\n      $ref: 'shared/more.yaml#/deep'\n", true, "", 1, 1},
		{"a $ref to a missing file typed", "    description: local only\n", 0, 0, "    x-ext:\n      $ref: 'shared/more.yml#/deep'\n", true, "", 1, 1},
		{"a local $ref that leads out typed", "    description: local only\n", 0, 0, "    x-chain:\n      $ref: '#/components/securitySchemes/oauth'\n", true, "", 1, 1},
		{"a $ref into another file in the region", "      - $ref: '#/components/securitySchemes/oauth'\n  joinUser", 0, 0, "      - $ref: '#/components/securitySchemes/local'\n", true, "", 1, 1},
		{"a $ref into another file deleted", "      - $ref: '#/components/securitySchemes/key'\n      - $ref: '#/components/securitySchemes/chained'", 0, 49, "", true, "", 1, 1},
		{"an external $ref broken", "    x-msg: {$ref: 'shared/messages.yaml#/placed'}", 48, 0, "x", true, "", 1, 1},
		{"an external $ref's file broken", "    x-msg: {$ref: 'shared/messages.yaml#/placed'}", 28, 0, "x", true, "", 1, 1},
		{"an external $ref made one to a broken file", "    x-msg: {$ref: 'shared/messages.yaml#/placed'}", 18, 30, "shared/broken.yaml#/cert'}", true, "", 1, 1},
		// certA made the inline scheme of more.yaml#/cert, which certB
		// shares: certA is not built again alone; certB is rebuilt and
		// checked with it (appendInlineSharers), and certA makes it anew
		{"an operation whose inline scheme another shares", "    description: the first to name cert", 0, 0, "    title: t\n", true, "", 2, 2},
		// certA names another scheme: certB, rebuilt with it, makes the
		// inline scheme of cert now (one more in its runs: inlineMoves)
		{"an operation's shared inline scheme no longer named", "cert'\n  certB:", 0, 4, "weak", true, "", 2, 2},
		// directOp names cert, whose inline scheme certA (after it) made:
		// certA and certB are rebuilt and checked with it, and directOp
		// makes it now (newInlineNames)
		{"an operation names an inline scheme a later one made", "weak'\n  certA:", 0, 4, "cert", true, "", 3, 3},
		{"an operation that shares another's inline scheme", "    description: the second to name cert", 0, 0, "    title: t\n", true, "", 1, 1},
		// users, and joinUser on it (relinked)
		{"an external $ref of a message fixed", "shared/messages.yaml#/missing'", 22, 7, "placed", true, "", 2, 1},
		// the channel orders is rebuilt, and sendOrder and directOp on it;
		// directOp made its scheme of more.yaml itself (not a component):
		// built again, it makes it anew (ownInline)
		{"an external $ref of a channel edited", "shared/messages.yaml#/placed", 27, 0, "x", true, "", 3, 1},
		// sendOrder and scopedOp have kept diagnostics relocated from
		// schemes.yaml: relinked, they keep them; certA, which made the
		// inline scheme of more.yaml#/cert that certB shares, may be
		// built again (not relinked): both are checked (session 14:
		// appendInlineSharers for a unit not checked for sure; 6 and 1
		// before, and a full build when certA was not relinked)
		{"a channel whose operations show problems of other files", "    address: audit\n", 0, 0, "    title: t\n", true, "", 6, 3},
		// prod's target in servers.yaml holds $refs, which the model met;
		// the channel orders reaches it too (through #/servers/prod), and
		// spare (its server $ref lands there): both are checked again
		// and their $refs' targets validated again (coverFar), with prod
		// and the two operations on orders
		{"a $ref whose target holds $refs edited", "    $ref: 'shared/servers.yaml#/prod'", 33, 0, "x", true, "", 5, 5},
		// and so do the server prod and the channel orders, rebuilt
		{"a $ref whose target holds $refs deleted", "      - $ref: 'shared/servers.yaml#/prod'\n", 0, 41, "", true, "", 5, 5},
		// servers.yaml#/prod's security names oauth's target: the units
		// whose targets reach that $ref (prod, orders and spare) are
		// rebuilt and checked with oauth (farReaders), and prod makes
		// the inline scheme of schemes.yaml#/oauth now (newFarInline); with
		// them the operations that name oauth or key, and those on orders
		{"a component scheme another file's $ref names, edited", "      $ref: 'shared/schemes.yaml#/oauth'\n    key:", 34, 5, "key", true, "", 10, 9},
		// key's new target is where chained's chain lands: chained is
		// rebuilt with it (knownTarget, coverFile), and the operations that
		// name either
		{"a component scheme made a $ref to where another's chain lands", "      $ref: 'shared/schemes.yaml#/key'\n    chained:", 20, 17, "more.yaml#/deep", true, "", 5, 4},
		// directOp's scheme is in more.yaml, not a component: its problem
		// there is directOp's, made again (farKeys)
		{"an operation that reported on another file", "    description: names a scheme", 0, 0, "    title: t\n", true, "", 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := Update(Seed(opts), nil, []byte(filesMain))
			at := strings.Index(filesMain, c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			e := syntax.Edit{Start: at + c.off, End: at + c.off + c.del, Text: c.ins}
			got := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.path != pathRegion {
				t.Fatalf("not a region re-parse: %q", got.inc.reason)
			}
			if got.inc.modelReused != c.partial || !c.partial && got.inc.modelWhy != c.why {
				t.Fatalf("partial model %v (%q), want %v (%q)", got.inc.modelReused, got.inc.modelWhy, c.partial, c.why)
			}
			if c.partial && (got.inc.units != c.units || got.inc.checked != c.chkd) {
				t.Fatalf("%d units rebuilt, %d checked again; want %d and %d", got.inc.units, got.inc.checked, c.units, c.chkd)
			}
		})
	}
}

// filesWalks is a 3.x document whose units walk into other files as
// other units let them: an operation that names a scheme of another file
// makes its inline scheme (reading its flows through a $ref into a third
// file) unless a component scheme or an earlier unit models that node; a
// server of another file names the same scheme.
const filesWalks = `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  prod:
    $ref: 'shared/servers.yaml#/prod'
  local:
    host: local.example.com
    protocol: ws
    security:
      - $ref: 'shared/schemes.yaml#/oauth'
channels:
  orders:
    address: orders
    servers:
      - $ref: '#/servers/prod'
  spare:
    address: spare
    servers:
      - $ref: '#/servers/local'
      - $ref: 'shared/servers.yaml#/prod'
operations:
  a:
    action: send
    channel: {$ref: '#/channels/orders'}
    description: names the file's scheme
    security:
      - $ref: 'shared/schemes.yaml#/oauth'
  b:
    action: send
    channel: {$ref: '#/channels/spare'}
    description: names the component
    security:
      - $ref: '#/components/securitySchemes/oauth'
  c:
    action: receive
    channel: {$ref: '#/channels/spare'}
    description: names a key
    security:
      - $ref: 'shared/schemes.yaml#/key'
components:
  securitySchemes:
    oauth:
      $ref: 'shared/schemes.yaml#/oauth'
    key:
      type: userPassword
      description: local
`

var filesWalksShared = map[string]string{
	"shared/schemes.yaml": `oauth:
  type: oauth2
  flows:
    $ref: 'flows.yaml#/cc'
key:
  type: httpApiKey
  name: k
  in: header
`,
	"shared/flows.yaml": `cc:
  clientCredentials:
    tokenUrl: http://t.example.com
    availableScopes:
      a: a
`,
	"shared/servers.yaml": `prod:
  host: prod.example.com
  protocol: mqtt
  security:
    - $ref: 'schemes.yaml#/oauth'
`,
}

// TestUnitRebuildFilesDifferential makes random edits of documents with
// file $refs (filesMain, and the multi-file fixture's orders.yaml), among
// them edits that type, break (a missing file, a bad pointer) and delete
// $refs into other files and edits that leave a syntax error, and
// compares every update with a cold analysis; a share of them must
// rebuild only some units, and a full model build needs an allowed reason.
func TestUnitRebuildFilesDifferential(t *testing.T) {
	t.Parallel()
	steps := testenv.Count(200, 1000)
	w := wstest.Setup(t, "../testdata/multifile/ws")
	fixture, err := os.ReadFile(w.Path("api/orders.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fixtureOpts := Options{Path: w.Path("api/orders.yaml"), Loader: workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", w.Root), 0)}
	for _, c := range []struct {
		name     string
		doc      []byte
		opts     Options
		minShare float64 // of the edits, those with a partial model
		refs     []string
	}{
		// main: 88% at CI counts since session 13 (coverFar, farReaders)
		{"main", []byte(filesMain), filesWorkspace(t), 0.8, []string{
			"shared/schemes.yaml#/oauth", "shared/schemes.yaml#/key", "shared/more.yaml#/deep", "shared/messages.yaml#/placed",
			"shared/nothere.yaml#/x", "shared/schemes.yaml#/nope", "shared/broken.yaml#/cert", "#/components/securitySchemes/chained"}},
		// session 14: units rebuilt for another reason that walk into
		// other files (an inline scheme of a file's node whose flows are
		// a $ref into a third file, found or made as other units name
		// it); 79 % partial at CI counts
		{"walks", []byte(filesWalks), writeWorkspace(t, filesWalksShared), 0.6, []string{
			"shared/schemes.yaml#/oauth", "shared/schemes.yaml#/key", "shared/flows.yaml#/cc", "#/components/securitySchemes/oauth",
			"shared/servers.yaml#/prod", "#/servers/local", "#/components/securitySchemes/key"}},
		{"fixture", fixture, fixtureOpts, 0.25, []string{
			"../shared/security.yaml#/components/securitySchemes/ordersWrite", "../shared/schemes.json#/apiKey", "../shared/missing.yaml#/x"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(c.doc)), 17))
			start := checkUpdateWith(t, Seed(c.opts), nil, c.doc)
			prev := start
			var st pathStats
			whys := map[string]int{}
			for i := 0; i < steps; i++ {
				var e syntax.Edit
				switch k := rng.IntN(10); {
				case k < 3:
					e = edittest.RandomEdit(rng, prev.Text)
				case k < 5:
					se, ok := structuredEdit(rng, prev)
					if !ok {
						continue
					}
					e = se
				case k < 6:
					se, ok := edittest.InvalidEdit(prev.Text, rng.IntN(edittest.InvalidEditKinds), rng.IntN(len(prev.Text)+1))
					if !ok {
						continue
					}
					e = se
				default:
					e = fileRefEdit(rng, prev.Text, c.refs)
				}
				vBefore := prev.Version
				prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
				checkFallback(t, prev)
				checkModelFallback(t, prev, prev.Version != vBefore)
				st.add(prev)
				if !prev.inc.modelReused {
					whys[prev.inc.modelWhy]++
				}
				if broken(prev) || rng.IntN(5) == 0 {
					back := edittest.TrimEdit(prev.Text, start.Text)
					prev = checkUpdateWith(t, prev, []syntax.Edit{back}, start.Text)
				}
			}
			share := float64(st.modelReused) / float64(max(1, st.edits))
			t.Logf("%d edits: %d region re-parses, %d with a partial model (%.0f%%); full parses %v; full models %v", st.edits, st.region, st.modelReused, 100*share, st.reasons, whys)
			if share < c.minShare {
				t.Errorf("only %.0f%% of the edits rebuilt part of the model, want at least %.0f%%", 100*share, 100*c.minShare)
			}
		})
	}
}

// fileRefEdit makes an edit that typing into a document with file $refs
// makes: a character typed in a $ref's value (a pointer or a file name
// that misses), a $ref value replaced by another (one that leads into
// another file, or not), a security entry with a $ref typed or deleted,
// or a character typed in a description near one.
func fileRefEdit(rng *rand.Rand, text []byte, refs []string) syntax.Edit {
	var vals [][2]int
	for off := 0; ; {
		i := strings.Index(string(text[off:]), "$ref: '")
		if i < 0 {
			break
		}
		s := off + i + len("$ref: '")
		e := strings.IndexByte(string(text[s:]), '\'')
		if e < 0 {
			break
		}
		vals = append(vals, [2]int{s, s + e})
		off = s + e
	}
	if len(vals) == 0 {
		return syntax.Edit{Start: 0, End: 0, Text: "#"}
	}
	v := vals[rng.IntN(len(vals))]
	switch rng.IntN(5) {
	case 0: // a character typed into the value
		at := v[0] + rng.IntN(v[1]-v[0]+1)
		return syntax.Edit{Start: at, End: at, Text: string("xy#/."[rng.IntN(5)])}
	case 1: // the value replaced
		return syntax.Edit{Start: v[0], End: v[1], Text: refs[rng.IntN(len(refs))]}
	case 2: // a list item with a $ref typed after the line
		eol := strings.IndexByte(string(text[v[1]:]), '\n')
		if eol < 0 {
			return syntax.Edit{Start: v[1], End: v[1], Text: "z"}
		}
		ls := strings.LastIndexByte(string(text[:v[0]]), '\n') + 1
		indent := string(text[ls:v[0]])
		indent = indent[:len(indent)-len(strings.TrimLeft(indent, " -"))]
		line := indent + "- $ref: '" + refs[rng.IntN(len(refs))] + "'\n"
		return syntax.Edit{Start: v[1] + eol + 1, End: v[1] + eol + 1, Text: line}
	case 3: // its line deleted
		ls := strings.LastIndexByte(string(text[:v[0]]), '\n') + 1
		eol := strings.IndexByte(string(text[v[1]:]), '\n')
		if eol < 0 {
			return syntax.Edit{Start: ls, End: len(text)}
		}
		return syntax.Edit{Start: ls, End: v[1] + eol + 1}
	default: // a description near it
		i := strings.Index(string(text[v[1]:]), "description: ")
		if i < 0 {
			return syntax.Edit{Start: v[1], End: v[1], Text: "q"}
		}
		at := v[1] + i + len("description: ")
		return syntax.Edit{Start: at, End: at, Text: "d"}
	}
}

// TestUnitRebuildFilesChanged: a file the document reads changes between
// two edits of the document: the model is built whole (what its $refs
// found there is stale), and equal to a cold analysis.
func TestUnitRebuildFilesChanged(t *testing.T) {
	opts := filesWorkspace(t)
	prev := Update(Seed(opts), nil, []byte(filesMain))
	at := strings.Index(filesMain, "description: local only") + len("description: local only")
	e := syntax.Edit{Start: at, End: at, Text: "x"}
	prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	if !prev.inc.modelReused {
		t.Fatalf("the first edit rebuilt the whole model: %q", prev.inc.modelWhy)
	}
	schemes := filepath.Join(filepath.Dir(opts.Path), "shared", "schemes.yaml")
	opts.Loader.(*workspace.Cache).SetOverlay(schemes, 1, []byte(strings.Replace(filesShared["shared/schemes.yaml"], "in: body", "in: header", 1)))
	e = syntax.Edit{Start: at + 1, End: at + 1, Text: "y"}
	got := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
	if got.inc.modelReused || got.inc.modelWhy != "a file the document reads changed" {
		t.Fatalf("partial model %v (%q), want a full build: a file changed", got.inc.modelReused, got.inc.modelWhy)
	}
	if len(got.Diagnostics) == len(prev.Diagnostics) {
		t.Fatal("the fixed scheme in the other file changed no diagnostic")
	}
}

// TestUnitRebuildFilesFarDependent: a 2.x channel whose operation lives
// in another file reports there (an API key sent over a cleartext
// server, on the requirement in that file); the channel depends on the
// server, so an edit of the server rebuilds it without checking it again:
// it keeps its diagnostics (relocated onto its $ref) and stays marked as a
// unit that reported on another file, with what it reported, so that
// editing it afterwards checks it again and makes those again (farKeys).
func TestUnitRebuildFilesFarDependent(t *testing.T) {
	opts := filesWorkspace(t)
	if err := os.WriteFile(filepath.Join(filepath.Dir(opts.Path), "shared", "ops.yaml"), []byte("pub:\n  operationId: pub\n  security:\n    - key: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := `asyncapi: 2.6.0
info:
  title: far
  version: '1'
servers:
  broker:
    url: mqtt://broker.example.com
    protocol: mqtt
    description: plain
channels:
  events:
    description: events
    servers: [broker]
    publish:
      $ref: 'shared/ops.yaml#/pub'
components:
  securitySchemes:
    key:
      type: httpApiKey
      name: k
      in: header
`
	prev := Update(Seed(opts), nil, []byte(doc))
	if len(prev.far) == 0 {
		t.Fatalf("no check reported on another file: %v", prev.Diagnostics)
	}
	type step struct {
		find, ins   string
		partial     bool
		why         string
		units, chkd int
	}
	for i, s := range []step{
		{"description: plain", "!", true, "", 2, 1},
		{"description: plain!", "?", true, "", 2, 1},
		// the channel checked again: what it reported in ops.yaml is made
		// again (farKeys)
		{"description: events", "!", true, "", 1, 1},
	} {
		at := strings.Index(string(prev.Text), s.find) + len(s.find)
		e := syntax.Edit{Start: at, End: at, Text: s.ins}
		prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if prev.inc.modelReused != s.partial || !s.partial && prev.inc.modelWhy != s.why {
			t.Fatalf("step %d: partial model %v (%q), want %v (%q)", i, prev.inc.modelReused, prev.inc.modelWhy, s.partial, s.why)
		}
		if s.partial && (prev.inc.units != s.units || prev.inc.checked != s.chkd) {
			t.Fatalf("step %d: %d units rebuilt, %d checked again; want %d and %d", i, prev.inc.units, prev.inc.checked, s.units, s.chkd)
		}
	}
}

// TestUnitRebuildFilesMarkers: what the user sees of the multi-file
// fixture is what its @diag markers say, after typing into it: a
// description, an external $ref typed into a server's security list
// character by character (a missing file, a bad pointer, then a good
// one) and deleted again. Every keystroke equals a cold analysis; the
// last text is the fixture's, and its diagnostics match the markers one
// to one.
func TestUnitRebuildFilesMarkers(t *testing.T) {
	w := wstest.Setup(t, "../testdata/multifile/ws")
	path := w.Path("api/orders.yaml")
	c, err := markertest.ParseDocument(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Path: path, Loader: workspace.NewCache(workspace.OS, workspace.NewRoots(workspace.OS, "", w.Root), 0)}
	prev := checkUpdateWith(t, Seed(opts), nil, c.Doc)
	typeAt := func(at int, s string) {
		for _, r := range s {
			e := syntax.Edit{Start: at, End: at, Text: string(r)}
			prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			at += len(string(r))
		}
	}
	deleteAt := func(at, n int) {
		for range n {
			e := syntax.Edit{Start: at + n - 1, End: at + n}
			prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			n--
		}
	}
	edits, partial := 0, 0
	whys := map[string]int{}
	title := strings.Index(string(c.Doc), "title: Orders") + len("title: Orders")
	typeAt(title, " API")
	deleteAt(title, 4)
	// a channel that operations with schemes of other files are on
	address := strings.Index(string(c.Doc), "address: orders") + len("address: orders")
	for _, s := range []string{".v2", ""} {
		e := syntax.Edit{Start: address, End: address + len(string(prev.Text[address:])) - len(string(c.Doc[address:])), Text: s}
		prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if !prev.inc.modelReused {
			t.Errorf("the channel edit %q rebuilt the whole model: %q", s, prev.inc.modelWhy)
		}
	}
	item := strings.Index(string(prev.Text), "      - $ref: '../shared/security.yaml#/components/securitySchemes/viaChain'\n")
	item += len("      - $ref: '../shared/security.yaml#/components/securitySchemes/viaChain'\n")
	// a new line first (Enter at the end of the line above), then the item
	item--
	line := "\n      - $ref: '../shared/schemes.json#/apiKey'"
	for i := 1; i <= len(line); i++ {
		e := syntax.Edit{Start: item + i - 1, End: item + i - 1, Text: line[i-1 : i]}
		prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		edits++
		if prev.inc.modelReused {
			partial++
		} else {
			whys[prev.inc.modelWhy]++
		}
	}
	deleteAt(item, len(line))
	if string(prev.Text) != string(c.Doc) {
		t.Fatal("the edits did not restore the fixture")
	}
	got := make([]markertest.Got, 0, len(prev.Diagnostics))
	for _, g := range prev.Diagnostics {
		got = append(got, markertest.Got{Code: g.Code, Start: g.Range.Start, End: g.Range.End, Line: prev.Mapper.Line(g.Range.Start), Message: g.Message})
	}
	for _, p := range c.MatchDiagnostics(got) {
		t.Error(p)
	}
	t.Logf("typing the $ref: %d keystrokes, %d with a partial model; full models %v", edits, partial, whys)
}

// TestSchemaRevalidatesRefsIntoFiles: the schema validation of an update
// validates again only the edited entries, and content of other files
// where a $ref reads it; a $ref outside the edit that reads another
// file's node now, or no longer (its local chain broke), is validated
// again too: here an operation's channel $refs a component that leads
// into another file (a scheme, not a channel: a schema problem), and the
// edit breaks the chain far from the operation.
func TestSchemaRevalidatesRefsIntoFiles(t *testing.T) {
	opts := filesWorkspace(t)
	doc := strings.Replace(filesMain, "    channel:\n      $ref: '#/channels/users'\n", "    channel:\n      $ref: '#/components/securitySchemes/chained'\n", 1)
	prev := checkUpdateWith(t, Seed(opts), nil, []byte(doc))
	problem := func(d *Document) bool {
		for _, dg := range d.Diagnostics {
			if dg.Code == CodeSchemaRequired && strings.Contains(dg.Message, "`channel`") {
				return true
			}
		}
		return false
	}
	if !problem(prev) {
		t.Fatalf("no schema problem on the channel that reads a scheme of another file: %v", prev.Diagnostics)
	}
	at := strings.Index(doc, "\ncomponents:") + 1
	for _, e := range []syntax.Edit{{Start: at, End: at, Text: "x"}, {Start: at, End: at + 1}} {
		prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if got, want := problem(prev), e.Text == ""; got != want {
			t.Fatalf("after %+v: schema problem on the channel %v, want %v", e, got, want)
		}
	}
	// The same through a unit rebuild: the channel $refs a root entry
	// that $refs another file; editing that $ref's value resolves the
	// channel's again, and rebuilds the operation.
	doc = strings.Replace(filesMain, "    channel:\n      $ref: '#/channels/users'\n", "    channel:\n      $ref: '#/x-alias'\n", 1) +
		"x-alias: {$ref: 'shared/messages.yaml#/placed'}\n"
	prev = checkUpdateWith(t, Seed(opts), nil, []byte(doc))
	at = strings.LastIndex(doc, "#/placed'}") + len("#/placed")
	for i, e := range []syntax.Edit{{Start: at, End: at, Text: "x"}, {Start: at, End: at + 1}} {
		before := problem(prev)
		prev = checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
		if i == 0 && !prev.inc.modelReused { // (then the channel leads to no channel: a full build)
			t.Fatalf("edit %d rebuilt the whole model: %q", i, prev.inc.modelWhy)
		}
		if problem(prev) == before {
			t.Fatalf("edit %d: the schema problem on the channel stayed %v", i, before)
		}
	}
}

// TestUnitRebuildSharedInlineScheme: two operations $ref one scheme that
// is not a component; the first made its inline scheme, the second shares
// it. An entry typed before the first (the same name: the unit grows into
// two entries) is built again; it must not pick up the previous version's
// scheme object, which the rebuilt unit no longer adds to the model (a
// bug of the growing rebuild before this branch, in a document without
// file $refs as well). Session 12: the second is rebuilt and checked with
// the first (appendInlineSharers), so that the first of them in build
// order makes the scheme anew, and the second finds that one
// (checkUpdateWith compares which object each pointer names).
func TestUnitRebuildSharedInlineScheme(t *testing.T) {
	local := `asyncapi: 3.0.0
info:
  title: t
  version: '1'
x-schemes:
  cert:
    type: X509
operations:
  first:
    action: send
  opA:
    action: send
    security:
      - $ref: '#/x-schemes/cert'
  opB:
    action: send
    security:
      - $ref: '#/x-schemes/cert'
`
	opts := filesWorkspace(t)
	for _, c := range []struct {
		name, doc, find, ins string
		opts                 Options
	}{
		{"local", local, "  opA:", "  opA:\n", Options{}},
		{"another file", filesMain, "  certA:", "  certA:\n", opts},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := checkUpdateWith(t, Seed(c.opts), nil, []byte(c.doc))
			at := strings.Index(c.doc, c.find)
			e := syntax.Edit{Start: at, End: at, Text: c.ins}
			got := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if !got.inc.modelReused || got.inc.units != 2 || got.inc.checked != 2 {
				t.Fatalf("partial model %v (%q), %d units rebuilt, %d checked; want a partial one, 2 and 2", got.inc.modelReused, got.inc.modelWhy, got.inc.units, got.inc.checked)
			}
		})
	}
}
