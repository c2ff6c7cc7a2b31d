package analysis

import (
	"slices"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

// farRefsFiles are the files farRefsMain reads: a server whose security
// $refs a scheme of a third file (with a problem, relocated onto the
// $ref that leads there), one without security, a server that only
// another file's $ref reaches.
var farRefsFiles = map[string]string{
	"shared/servers.yaml": `prod:
  host: prod.example.com
  protocol: mqtt
  bogus: 1
  security:
    - $ref: 'schemes.yaml#/oauth'
    - $ref: 'schemes.yaml#/deep'
plain:
  host: plain.example.com
  protocol: mqtt
both:
  host: both.example.com
  protocol: mqtt
  security:
    - $ref: 'others.yaml#/key'
`,
	"shared/schemes.yaml": `oauth:
  type: oauth2
  flows:
    clientCredentials:
      availableScopes:
        write: write
deep:
  type: oauth2
  flows:
    $ref: 'flows.yaml#/f'
`,
	"shared/flows.yaml": `f:
  clientCredentials:
    tokenUrl: https://auth.example.com/token
    availableScopes:
      read: read
`,
	"shared/anchored.yaml": `base: &b
  host: a.example.com
  protocol: mqtt
  security:
    - $ref: 'schemes.yaml#/oauth'
copy: *b
`,
	"shared/others.yaml": `key:
  type: httpApiKey
  name: X-Key
  in: body
`,
	"shared/cyc.yaml": "a:\n  $ref: '#/b'\nb:\n  $ref: '#/a'\n",
	"shared/chans.yaml": `ch:
  address: ch
  servers:
    - $ref: 'servers.yaml#/both'
`,
}

// farRefsMain has one $ref (the server prod) into a target of another
// file that holds a $ref, which nothing else reaches.
const farRefsMain = `asyncapi: 3.0.0
info:
  title: Far refs
  version: 1.0.0
servers:
  prod:
    $ref: 'shared/servers.yaml#/prod'
  local:
    host: local.example.com
    protocol: ws
channels:
  c:
    address: c
    servers:
      - $ref: '#/servers/local'
operations:
  op:
    action: send
    channel:
      $ref: '#/channels/c'
    description: sends
`

// farRefsScheme gives farRefsMain a component scheme whose target
// servers.yaml#/prod's security names too.
const farRefsScheme = "components:\n  securitySchemes:\n    o:\n      $ref: 'shared/schemes.yaml#/oauth'\n"

// TestFarRefsUnitRebuild: a $ref whose target in another file holds
// $refs, edited to another target, broken, deleted or made inline, when
// nothing else reaches that target, rebuilds its unit alone: the other
// files' $refs met under the old target (and the files they read) are
// forgotten, those under the new one met, each edit equal to a cold
// analysis (the relocated diagnostics, the files read and the edges
// included); the schema validation takes the $ref's mapping again, not the
// whole document (schemaChanges).
func TestFarRefsUnitRebuild(t *testing.T) {
	opts := writeWorkspace(t, farRefsFiles)
	const value = "'shared/servers.yaml#/prod'"
	for _, c := range []struct {
		name, find, repl string
		schemes          bool // schemes.yaml still read
	}{
		{"to a target without $refs", value, "'shared/servers.yaml#/plain'", false},
		{"broken", value, "'shared/servers.yaml#/prodx'", false},
		{"to another file's target", value, "'shared/others.yaml#/key'", false},
		{"to a target whose $ref leads to a third file", value, "'shared/servers.yaml#/both'", false},
		{"typed beside", "    $ref: " + value + "\n", "    $ref: " + value + "\n    x-a: 1\n", true},
		{"made inline", "    $ref: " + value + "\n", "    host: h.example.com\n    protocol: mqtt\n", false},
		// the server lacks its protocol: the schema validation reports it
		// on the mapping, which it takes again whole
		{"made inline, incomplete", "    $ref: " + value + "\n", "    host: h.example.com\n", false},
		{"deleted with its server", "  prod:\n    $ref: " + value + "\n", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := checkUpdateWith(t, Seed(opts), nil, []byte(farRefsMain))
			if !slices.ContainsFunc(prev.Files(), func(p string) bool { return strings.HasSuffix(p, "schemes.yaml") }) {
				t.Fatalf("the document reads %v, not schemes.yaml", prev.Files())
			}
			if !hasRelocated(prev, "schemes.yaml") {
				t.Fatalf("no diagnostic relocated from schemes.yaml: %v", prev.Diagnostics)
			}
			at := strings.Index(farRefsMain, c.find)
			e := syntax.Edit{Start: at, End: at + len(c.find), Text: c.repl}
			got := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.path != pathRegion || !got.inc.modelReused {
				t.Fatalf("the model was built whole: path %d, %q", got.inc.path, got.inc.modelWhy)
			}
			if got.inc.schemaWhole {
				t.Fatal("the whole document was validated against the schema")
			}
			if bogus := slices.ContainsFunc(got.Diagnostics, func(dg syntax.Diagnostic) bool {
				return relocated(dg) && strings.Contains(dg.Message, "bogus")
			}); bogus != c.schemes { // prod's unknown key, which the schema validation reports
				t.Fatalf("prod's unknown key reported %v, want %v", bogus, c.schemes)
			}
			reads := slices.ContainsFunc(got.Files(), func(p string) bool { return strings.HasSuffix(p, "schemes.yaml") })
			// flows.yaml, two files away: the $ref of schemes.yaml#/deep
			// is met under prod's (farRefsUnder follows on)
			if deep := slices.ContainsFunc(got.Files(), func(p string) bool { return strings.HasSuffix(p, "flows.yaml") }); deep != c.schemes {
				t.Fatalf("flows.yaml read %v, want %v", deep, c.schemes)
			}
			if reads != c.schemes || hasRelocated(got, "schemes.yaml") != c.schemes {
				t.Fatalf("schemes.yaml read %v (want %v), its problem relocated %v", reads, c.schemes, hasRelocated(got, "schemes.yaml"))
			}
			// and back: the $ref made again to lead to prod
			back := syntax.Edit{Start: at, End: at + len(c.repl), Text: c.find}
			again := checkUpdateWith(t, got, []syntax.Edit{back}, back.Apply(got.Text))
			if again.inc.path != pathRegion || !again.inc.modelReused {
				t.Fatalf("back: the model was built whole: path %d, %q", again.inc.path, again.inc.modelWhy)
			}
			if !hasRelocated(again, "schemes.yaml") {
				t.Fatalf("back: no diagnostic relocated from schemes.yaml: %v", again.Diagnostics)
			}
		})
	}
}

// TestFarRefsReachedElsewhere: the other files' $refs under a replaced
// $ref's target are forgotten with those under the targets of the
// document's $refs that reach them, whose units are rebuilt (coverFar);
// where the rebuild cannot tell which are met, the model is built whole.
// Each update equal to a cold analysis.
func TestFarRefsReachedElsewhere(t *testing.T) {
	opts := writeWorkspace(t, farRefsFiles)
	for _, c := range []struct {
		name, text, find, repl, why string
	}{
		// the server both, which another server $refs too: a unit $ref
		// whose target another shares; refCover rebuilds that one too
		// (coverFile), whose rebuild makes the inline scheme both's
		// security names, which only the rebuilt units read
		// (farReadersRebuilt): the first of them makes it anew
		{"a kept $ref of the document", strings.Replace(farRefsMain, "  local:\n", "  twin:\n    $ref: 'shared/servers.yaml#/both'\n  local:\n", 1),
			"'shared/servers.yaml#/prod'", "'shared/servers.yaml#/both'", ""},
		// the target left: twin, whose $ref reaches the $refs forgotten,
		// is rebuilt and checked, its target validated again (coverFar)
		{"a kept $ref of the document, the target left", strings.Replace(farRefsMain, "  local:\n", "  twin:\n    $ref: 'shared/servers.yaml#/both'\n  local:\n", 1) + "    x-s:\n      $ref: 'shared/servers.yaml#/both'\n",
			"      $ref: 'shared/servers.yaml#/both'\n", "      $ref: 'shared/servers.yaml#/plain'\n", ""},
		// an alias of anchored.yaml may lead to what the target holds
		{"a target in a file with anchors", farRefsMain + "  x-s:\n    $ref: 'shared/anchored.yaml#/base'\n",
			"'shared/anchored.yaml#/base'", "'shared/servers.yaml#/plain'", "the edit replaces a $ref whose target in another file holds $refs"},
		// a scheme of the document outside components, named anew by a
		// rebuilt operation (newFarInline: in another file only)
		{"an inline scheme of the document", strings.Replace(farRefsMain, "    description: sends\n", "    description: sends\n    security:\n      - $ref: '#/x-local/none'\n", 1) + "x-local:\n  s:\n    type: httpApiKey\n    name: k\n    in: header\n",
			"'#/x-local/none'", "'#/x-local/s'", "a rebuilt unit depends on something outside it"},
		// a scheme of another file that a $ref of the document names
		// elsewhere (newFarInline: none may)
		{"an inline scheme another $ref names", strings.Replace(farRefsMain, "    description: sends\n", "    description: sends\n    security:\n      - $ref: 'shared/others.yaml#/none'\n", 1) + "x-k:\n  $ref: 'shared/others.yaml#/key'\n",
			"'shared/others.yaml#/none'", "'shared/others.yaml#/key'", "a rebuilt unit depends on something outside it"},
		// the channel ch of chans.yaml lists the server both: c2, whose
		// target holds that $ref, is rebuilt and checked (farReaders)
		{"a $ref in another file that lands there", strings.NewReplacer("  local:\n", "  extra:\n    $ref: 'shared/servers.yaml#/both'\n  local:\n", "channels:\n", "channels:\n  c2:\n    $ref: 'shared/chans.yaml#/ch'\n").Replace(farRefsMain),
			"'shared/servers.yaml#/both'", "'shared/servers.yaml#/plain'", ""},
		// a scheme of the document whose target holds a $ref that prod's
		// target reaches too (servers.yaml#/prod's second security entry
		// lands there, and schemes.yaml#/deep holds flows' $ref): the
		// scheme is rebuilt and checked (coverFar), and so is every unit
		// that reaches its target (farReaders)
		{"a unit $ref whose target holds $refs the edit forgets", farRefsMain + "components:\n  securitySchemes:\n    d:\n      $ref: 'shared/schemes.yaml#/deep'\n",
			"'shared/servers.yaml#/prod'", "'shared/servers.yaml#/plain'", ""},
		// one held outside the units, whose target (the file) holds the $ref of
		// flows.yaml that prod's target reaches: no unit rebuilt meets
		// it again
		{"a $ref outside the units", strings.Replace(farRefsMain, "servers:\n", "x-top:\n  $ref: 'shared/schemes.yaml'\nservers:\n", 1),
			"'shared/servers.yaml#/prod'", "'shared/servers.yaml#/plain'", "a $ref outside the units reaches $refs in another file the edit forgets"},
		// the operation's x-all reaches every $ref of servers.yaml, both's
		// security among them, which twin's target holds: forgotten with
		// prod's, twin is rebuilt too (coverFar's second round)
		{"a $ref that reaches them, and one that reaches what that one reaches", strings.Replace(farRefsMain, "  local:\n", "  twin:\n    $ref: 'shared/servers.yaml#/both'\n  local:\n", 1) + "    x-all:\n      $ref: 'shared/servers.yaml'\n",
			"'shared/servers.yaml#/prod'", "'shared/servers.yaml#/plain'", ""},
		// prod's security in servers.yaml names the scheme o's target:
		// x-top, outside the units, reaches that $ref (farReaders)
		{"a unit $ref's target another file's $ref names, reached from outside the units", strings.Replace(farRefsMain, "servers:\n", "x-top:\n  $ref: 'shared/servers.yaml#/prod'\nservers:\n", 1) + farRefsScheme,
			"'shared/schemes.yaml#/oauth'", "'shared/others.yaml#/key'", "a $ref outside the units reaches another file's $ref that lands on a unit's $ref target"},
		// and so does anchored.yaml#/base, whose file has anchors
		{"a unit $ref's target another file's $ref names, reached from a file with anchors", farRefsMain + "    x-s:\n      $ref: 'shared/anchored.yaml#/base'\n" + farRefsScheme,
			"'shared/schemes.yaml#/oauth'", "'shared/others.yaml#/key'", "a $ref's target in another file with anchors reaches a unit's $ref target"},
		// s0, before prod in build order, makes the inline scheme of
		// schemes.yaml#/deep, which prod's security in servers.yaml
		// names too: s0 is rebuilt with prod, checked, and makes it
		// anew
		{"an inline scheme another file's $ref names", strings.Replace(farRefsMain, "servers:\n", "servers:\n  s0:\n    host: s0.example.com\n    protocol: mqtt\n    description: first\n    security:\n      - $ref: 'shared/schemes.yaml#/deep'\n", 1),
			"    description: first\n", "    description: firstx\n", ""},
		// and the channel c2, whose server $ref lands on prod's target,
		// reads that $ref too (farReadersRebuilt counts every unit whose
		// $refs' targets reach it): rebuilt and checked with prod
		// (coverFile), it lets s0 make the scheme anew
		{"an inline scheme another file's $ref names, read by two units", strings.NewReplacer("servers:\n", "servers:\n  s0:\n    host: s0.example.com\n    protocol: mqtt\n    description: first\n    security:\n      - $ref: 'shared/schemes.yaml#/deep'\n",
			"channels:\n", "channels:\n  c2:\n    address: c2\n    servers:\n      - $ref: 'shared/servers.yaml#/prod'\n").Replace(farRefsMain),
			"    description: first\n", "    description: firstx\n", ""},
		// o made a $ref to a circular chain of cyc.yaml, which x-c
		// reads: knownTarget finds no node
		{"a unit $ref made one to a circular chain", farRefsMain + "    x-c:\n      $ref: 'shared/cyc.yaml#/a'\n" + farRefsScheme,
			"'shared/schemes.yaml#/oauth'", "'shared/cyc.yaml#/a'", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := checkUpdateWith(t, Seed(opts), nil, []byte(c.text))
			at := strings.LastIndex(c.text, c.find)
			if at < 0 {
				t.Fatalf("no %q", c.find)
			}
			e := syntax.Edit{Start: at, End: at + len(c.find), Text: c.repl}
			got := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.path != pathRegion {
				t.Fatalf("not a region re-parse: path %d", got.inc.path)
			}
			if c.why == "" {
				if !got.inc.modelReused {
					t.Fatalf("the model was built whole: %q", got.inc.modelWhy)
				}
				return
			}
			if got.inc.modelReused || got.inc.modelWhy != c.why {
				t.Fatalf("partial model %v (%q), want the whole (%q)", got.inc.modelReused, got.inc.modelWhy, c.why)
			}
		})
	}
}

// hasRelocated reports whether a diagnostic of d was relocated from the
// file whose path ends with file.
func hasRelocated(d *Document, file string) bool {
	for _, dg := range d.Diagnostics {
		if relocated(dg) && strings.HasSuffix(dg.Related[0].Path, file) {
			return true
		}
	}
	return false
}

// TestUnitRebuildFilesRestored: a section given back whose units are
// $refs into other files (a key's colon typed back, a name repaired) is
// rebuilt per unit when nothing else finds their targets, or when the
// units of the other $refs that land there are rebuilt with them
// (restoredTargets, restoredRefOK); each update equal to a cold analysis.
func TestUnitRebuildFilesRestored(t *testing.T) {
	opts := filesWorkspace(t)
	for _, c := range []struct {
		name, broken, fixed string
		partial             bool
		units, chkd         int
	}{
		// the component schemes, $refs into schemes.yaml, more.yaml and
		// broken.yaml, with every unit that names one
		{"components, its colon's value deleted", "components:x\n", "components:\n", true, 19, 18},
		// the server prod, whose target the channel spare's $ref lands on
		// too (spare rebuilt with it), with every unit that reads servers
		{"servers, its colon's value deleted", "servers:x\n  prod:", "servers:\n  prod:", true, 15, 15},
		// servers given back where an entry outside the units held them:
		// that entry's $refs are the region's (inRegion)
		{"servers, the name repaired", "serversx:\n  prod:", "servers:\n  prod:", true, 15, 15},
		// the operations made the inline schemes of the component
		// schemes' targets, which the schemes given back model now: the
		// region's $refs that land there are replaced (ownInline), and
		// the units that read servers.yaml's $ref to schemes.yaml#/oauth
		// are checked with prod, which made it (session 14; built whole
		// before)
		{"securitySchemes, the name repaired", "  securitySchemesx:\n", "  securitySchemes:\n", true, 19, 18},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := strings.Replace(filesMain, c.fixed, c.broken, 1)
			prev := checkUpdateWith(t, Seed(opts), nil, []byte(text))
			at := strings.Index(text, c.broken)
			e := syntax.Edit{Start: at, End: at + len(c.broken), Text: c.fixed}
			got := checkUpdateWith(t, prev, []syntax.Edit{e}, e.Apply(prev.Text))
			if got.inc.path != pathRegion {
				t.Fatalf("not a region re-parse: %q", got.inc.reason)
			}
			if got.inc.modelReused != c.partial {
				t.Fatalf("partial model %v (%q), want %v", got.inc.modelReused, got.inc.modelWhy, c.partial)
			}
			if c.partial && (got.inc.units != c.units || got.inc.checked != c.chkd) {
				t.Fatalf("%d units rebuilt, %d checked again; want %d and %d", got.inc.units, got.inc.checked, c.units, c.chkd)
			}
			if why := "a rebuilt unit made an inline scheme other units share"; !c.partial && got.inc.modelWhy != why {
				t.Fatalf("built whole because %q, want %q", got.inc.modelWhy, why)
			}
		})
	}
}
