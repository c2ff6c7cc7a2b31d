package analysis

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/workspace"
)

// $refs into other files.
//
// A document analyzed with a Loader follows relative file $refs: the file
// is read through the loader (which confines it and prefers open editor
// buffers), parsed with the syntax layer once per file version (cached on
// the workspace.File), and the pointer resolves to its node. The model then
// uses that node as if it were local: servers, schemes and security lists
// defined in another file are checked and shown like local ones.
//
// Nodes of other files carry their file's id (syntax.MarkFile), and
// Document.R gives them a range beyond any local offset (fileRange). After
// the checks, relocate turns every diagnostic that landed in another file
// into one on the local $ref that leads there, with the place in the other
// file as related information; related places in other files keep their
// file (syntax.Related.Path).

// Loader reads the files that $refs name. *workspace.Cache is one.
type Loader interface {
	// Load returns the current text of the file at path (absolute,
	// cleaned), or an error, a *workspace.Error when the file is refused
	// or missing.
	Load(path string) (*workspace.File, error)
}

// Options say where a document lives and how to read the files it
// references.
type Options struct {
	// Path is the document's absolute file path; "" (an unsaved buffer)
	// means relative file $refs cannot be followed.
	Path string
	// Loader reads referenced files; nil means file $refs are not followed
	// (they are neither checked nor reported, as before multi-file support).
	Loader Loader
}

// AnalyzeWith is Analyze for a document at o.Path whose file $refs are
// followed through o.Loader.
func AnalyzeWith(text []byte, o Options) *Document {
	return analyze(text, nil, &incState{opts: o})
}

// Seed returns an empty document that only carries options: Update(seed,
// nil, text) is AnalyzeWith(text, o). Editors keep it as the "previous
// version" of a document that has none yet.
func Seed(o Options) *Document {
	return &Document{inc: incState{opts: o}}
}

// Options returns the options the document was analyzed with.
func (d *Document) Options() Options { return d.inc.opts }

// Codes of $refs that leave the document.
const (
	CodeRefOutside  = "ref-outside-workspace"
	CodeRefTooLarge = "ref-file-too-large"
	CodeRefRemote   = "ref-remote"
)

// extFile is a referenced file, parsed: shared by every document that
// reads this version of the file, and never modified once built.
type extFile struct {
	id   uint32
	path string
	tree *syntax.Tree
	root *syntax.Node
	text []byte
	refs map[*syntax.Node]*Ref // its $refs by holder: templates, never resolved

	// The line index is built when a position in the file is first
	// needed (a problem there, go-to-definition): most referenced files
	// never need one, and a workspace keeps a thousand of them.
	mapperOnce sync.Once
	mapper     *syntax.Mapper
}

// lineMapper returns the file's position mapper.
func (x *extFile) lineMapper() *syntax.Mapper {
	x.mapperOnce.Do(func() { x.mapper = syntax.NewMapper(x.text) })
	return x.mapper
}

// nextFileID numbers parsed file versions for syntax.MarkFile.
var nextFileID atomic.Uint32

type extFileKey struct{}

// parsedFile returns the parsed form of a file version, building it once.
func parsedFile(f *workspace.File) *extFile {
	return f.Derived(extFileKey{}, func(f *workspace.File) any {
		t := syntax.ParseTree(f.Text)
		id := nextFileID.Add(1)
		if id > syntax.MaxFileID { // after 2^31 file versions: start over
			nextFileID.Store(1)
			id = 1
		}
		root := t.Root()
		// A file version's text never changes (workspace.File), and the
		// tree keeps it anyway: let the scalar values alias it.
		syntax.ShareText(root, unsafe.String(unsafe.SliceData(f.Text), len(f.Text)))
		syntax.MarkFile(root, id)
		x := &extFile{id: id, path: f.Path, tree: t, root: root, text: f.Text, refs: map[*syntax.Node]*Ref{}}
		for _, r := range collectRefs(root) {
			x.refs[r.Holder] = r
		}
		return x
	}).(*extFile)
}

// extState is what one document's analysis knows of other files.
type extState struct {
	files map[uint32]*extFile
	tried map[string]bool // every path a $ref named, read or not
	// loaded holds each path's load result, so that one analysis reads
	// (and stats) each file once however many $refs name it.
	loaded map[string]loadResult
	// refs are this document's resolutions of other files' $refs, by
	// holder (the templates in extFile.refs are shared and never resolved).
	refs map[*syntax.Node]*Ref
	// metByValidation holds the holders in refs that only the schema
	// validation met (under a $ref's target, where the model does not
	// look): a version whose validation does not run (a syntax error)
	// forgets them, as a cold analysis of it never meets them.
	metByValidation map[*syntax.Node]bool
	edges           []refEdge
}

type loadResult struct {
	f   *workspace.File
	err error
}

// refEdge records that a $ref led into another file: diagnostics inside
// target's subtree are relocated to the $ref.
type refEdge struct {
	from   *Ref
	target *syntax.Node
}

func (d *Document) extState() *extState {
	if d.ext == nil {
		d.ext = &extState{files: map[uint32]*extFile{}, tried: map[string]bool{}, loaded: map[string]loadResult{}, refs: map[*syntax.Node]*Ref{},
			metByValidation: map[*syntax.Node]bool{}}
	}
	return d.ext
}

// Files returns, sorted, every file the document's $refs named (read,
// refused or missing): the files whose changes can change its analysis.
func (d *Document) Files() []string {
	if d.ext == nil {
		return nil
	}
	out := make([]string, 0, len(d.ext.tried))
	for p := range d.ext.tried {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// FileOf returns the path and mapper of the other file n belongs to, or ""
// for a node of the document itself.
func (d *Document) FileOf(n *syntax.Node) (string, *syntax.Mapper) {
	id := syntax.FileOf(n)
	if id == 0 || d.ext == nil || d.ext.files[id] == nil {
		return "", nil
	}
	f := d.ext.files[id]
	return f.path, f.lineMapper()
}

// fileShift places the ranges of other files' nodes beyond every offset of
// the document (texts are below 2 GB): file id << 32 plus the offset.
const fileShift = 32

func fileRange(id uint32, r syntax.Range) syntax.Range {
	base := int(uint64(id) << fileShift)
	return syntax.Range{Start: base + r.Start, End: base + r.End}
}

// splitRange undoes fileRange: id 0 is a range of the document itself.
func splitRange(r syntax.Range) (uint32, syntax.Range) {
	id := uint32(uint64(r.Start) >> fileShift)
	if id == 0 {
		return 0, r
	}
	base := int(uint64(id) << fileShift)
	return id, syntax.Range{Start: r.Start - base, End: r.End - base}
}

// refDisplay is how messages name a referenced file: relative to the
// document, in slash form.
func (d *Document) refDisplay(path string) string {
	if d.inc.opts.Path != "" {
		if rel, err := filepath.Rel(filepath.Dir(d.inc.opts.Path), path); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(path)
}

// followExternal resolves, after the local resolution, every $ref of the
// document that is not local or whose local chain reaches a $ref that is
// not: those chains continue across files.
func (d *Document) followExternal() {
	for _, r := range d.Refs {
		switch {
		case !r.Local:
			d.follow(r, 0)
		case r.Resolved != nil:
			if next := d.refByHolder[r.Resolved]; next != nil && !next.Local {
				d.follow(r, 0)
			}
		}
	}
}

// clone returns a copy of x that a document rebuilt from the one x
// belongs to (model_inc.go) may extend: the lazy resolutions of other
// files' $refs (foreignRef) add to the copy, never to x.
func (x *extState) clone() *extState {
	return &extState{files: cloneMap(x.files, 0), tried: cloneMap(x.tried, 0), loaded: cloneMap(x.loaded, 0),
		refs: cloneMap(x.refs, 0), metByValidation: cloneMap(x.metByValidation, 0), edges: slices.Clone(x.edges)}
}

// sameFiles reports whether every file x read (or failed to read) loads
// now as it did then: the same version, or the same error. A document
// rebuilt unit by unit keeps what its $refs found in those files.
func (x *extState) sameFiles(l Loader) bool {
	if l == nil {
		return len(x.loaded) == 0
	}
	for path, was := range x.loaded {
		f, err := l.Load(path)
		if f != was.f || (err == nil) != (was.err == nil) || err != nil && err.Error() != was.err.Error() {
			return false
		}
	}
	return true
}

// leadsOut reports whether r's resolution read another file or ended in
// one: dropping it, or resolving it again, changes what the document
// knows of other files (the files read, the edges relocate follows).
func (r *Ref) leadsOut() bool {
	return r.followed || syntax.FileOf(r.Resolved) != 0
}

// relocated reports whether dg is a diagnostic that relocate moved from
// another file onto a $ref here (its first related place is the original).
func relocated(dg syntax.Diagnostic) bool {
	return len(dg.Related) > 0 && dg.Related[0].Path != "" && strings.HasPrefix(dg.Related[0].Message, relocatedHere)
}

const relocatedHere = "the problem is here, in "

// leavesFile reports whether a $ref of the document names something
// outside it (a file or a URL), or a local one leads into another file
// (BenchmarkKeystrokeFileRefs measures the full model build such a
// document took, rebuildLeavingUnits).
func (d *Document) leavesFile() bool {
	if d.ext != nil {
		return true
	}
	for _, r := range d.Refs {
		if !r.Local {
			return true
		}
	}
	return false
}

// basePath returns the path of the file a node belongs to.
func (d *Document) basePath(file uint32) string {
	if file == 0 {
		return d.inc.opts.Path
	}
	return d.ext.files[file].path
}

// follow resolves r, written in file (0: the document), through chains
// of $refs in any files, and records where it leads.
func (d *Document) follow(r *Ref, file uint32) {
	r.Resolved, r.Err, r.code, r.followed, r.missingIn, r.File, r.Fragment, r.paths = nil, "", "", false, 0, "", "", nil
	seen := []*syntax.Node{r.Holder}
	cur, curFile := r, file
	for {
		n, nFile, err := d.hop(r, cur, curFile)
		if err != nil {
			if cur != r {
				r.Err = fmt.Sprintf("it leads to %s, and %s", cur.Target, r.Err)
			}
			return
		}
		var next *Ref
		if nFile == 0 {
			next = d.refAt(n) // (a rebuilt document's changed $refs are in its overlay)
		} else {
			next = d.ext.files[nFile].refs[n]
		}
		if next == nil {
			r.Resolved = n
			if nFile != 0 {
				d.ext.edges = append(d.ext.edges, refEdge{from: r, target: n})
				r.File = d.ext.files[nFile].path
				r.Fragment = workspace.ParseRef(cur.Target).Fragment
			}
			return
		}
		for _, s := range seen {
			if s == n {
				r.Err = "the chain of $refs is circular (" + r.Target + " leads back to itself)"
				r.code = CodeRefUnresolved
				return
			}
		}
		seen = append(seen, n)
		cur, curFile = next, nFile
	}
}

// hop resolves one $ref, cur, written in file: the node it names and that
// node's file. On failure it sets r.Err and r.code and returns an error.
func (d *Document) hop(r, cur *Ref, file uint32) (*syntax.Node, uint32, error) {
	fail := func(code, format string, args ...any) (*syntax.Node, uint32, error) {
		r.Err, r.code = fmt.Sprintf(format, args...), code
		return nil, 0, errors.New(r.Err)
	}
	t := workspace.ParseRef(cur.Target)
	switch t.Kind {
	case workspace.RefLocal:
		root := d.Root
		idx := d.keyIdx
		if file != 0 {
			root, idx = d.ext.files[file].root, nil
		}
		n, err := resolvePointerIndexed(root, t.Fragment, idx)
		if err != nil {
			return fail(CodeRefUnresolved, "%s", err)
		}
		return n, file, nil
	case workspace.RefExternal:
		return fail(CodeRefRemote, "%s references are never fetched: only files of the workspace are followed", t.Scheme)
	case workspace.RefInvalid:
		code := CodeRefUnresolved
		if strings.Contains(t.Reason, "absolute") {
			code = CodeRefOutside
		}
		return fail(code, "%s", t.Reason)
	}
	base := d.basePath(file)
	switch {
	case d.inc.opts.Loader == nil:
		r.Err = "other files are not read for this document (it is outside the workspace)"
		return nil, 0, errors.New(r.Err)
	case base == "":
		r.Err = "the document has no file location, so relative file references cannot be followed"
		return nil, 0, errors.New(r.Err)
	}
	r.followed = true
	path := workspace.Join(base, t.Path)
	x := d.extState()
	x.tried[path] = true
	r.paths = append(r.paths, path)
	lr, ok := x.loaded[path]
	if !ok {
		lr.f, lr.err = d.inc.opts.Loader.Load(path)
		x.loaded[path] = lr
	}
	f, err := lr.f, lr.err
	if err != nil {
		var we *workspace.Error
		code := CodeRefUnresolved
		if errors.As(err, &we) {
			switch we.Kind {
			case workspace.Outside, workspace.SymlinkEscape:
				code = CodeRefOutside
			case workspace.TooLarge:
				code = CodeRefTooLarge
			}
		}
		return fail(code, "%s: %s", d.refDisplay(path), err)
	}
	pf := parsedFile(f)
	x.files[pf.id] = pf
	frag := t.Fragment
	if frag == "" {
		frag = "#"
	}
	n, err := resolvePointerIndexed(pf.root, frag, nil)
	if err != nil {
		msg := fmt.Sprintf("in %s, %s", d.refDisplay(path), err)
		if len(pf.tree.Diagnostics) > 0 {
			msg += fmt.Sprintf(" (the file is not valid YAML/JSON: %s)", pf.tree.Diagnostics[0].Message)
		}
		if cur == r {
			r.missingIn = pf.id
		}
		return fail(CodeRefUnresolved, "%s", msg)
	}
	return n, pf.id, nil
}

// foreignRef returns this document's resolution of the $ref held by n, a
// node of another file, or nil when n holds none.
func (d *Document) foreignRef(n *syntax.Node) *Ref {
	id := syntax.FileOf(n)
	if d.ext == nil || d.ext.files[id] == nil {
		return nil
	}
	if r, ok := d.ext.refs[n]; ok {
		if !d.validating {
			delete(d.ext.metByValidation, n) // the model meets it too
		}
		return r
	}
	tmpl := d.ext.files[id].refs[n]
	if tmpl == nil {
		return nil
	}
	r := &Ref{Holder: tmpl.Holder, Value: tmpl.Value, Target: tmpl.Target, Local: tmpl.Local}
	d.ext.refs[n] = r
	if d.validating {
		d.ext.metByValidation[n] = true
	}
	d.follow(r, id)
	return r
}

// forgetValidationRefs drops what only the schema validation met in other
// files (metByValidation, and the files and edges their resolutions
// named) from a document whose validation does not run, so that it knows
// what a cold analysis of its text knows. The next validation is whole
// (validateSchema keeps no pending result for a document that leaves
// the file), so it meets them again.
func (d *Document) forgetValidationRefs() {
	x := d.ext
	if x == nil || len(x.metByValidation) == 0 {
		return
	}
	gone := map[*Ref]bool{}
	for n := range x.metByValidation {
		gone[x.refs[n]] = true
		delete(x.refs, n)
	}
	clear(x.metByValidation)
	x.edges = slices.DeleteFunc(x.edges, func(e refEdge) bool { return gone[e.from] })
	d.refreshExt()
}

// relocate moves every diagnostic whose range lies in another file to the
// local $ref that leads there (the other place becomes related
// information), and gives related places in other files their file.
func (d *Document) relocate() {
	if d.ext == nil || len(d.ext.files) == 0 {
		return
	}
	d.reportBrokenFiles()
	d.Diagnostics = d.relocateDiagnostics(d.Diagnostics)
}

// relocateDiagnostics is relocate for a list of diagnostics (it reuses
// the list): the checks' diagnostics, then the schema validation's.
func (d *Document) relocateDiagnostics(list []syntax.Diagnostic) []syntax.Diagnostic {
	if d.ext == nil || len(d.ext.files) == 0 {
		return list
	}
	seen := map[string]bool{}
	out := list[:0]
	for _, dg := range list {
		if id, r := splitRange(dg.Range); id != 0 {
			f := d.ext.files[id]
			rel := syntax.Related{Range: r, Message: relocatedHere + d.refDisplay(f.path), Path: f.path, Mapper: f.lineMapper()}
			dg.Range = d.localRange(id, r)
			dg.Message += fmt.Sprintf(" (in %s)", d.refDisplay(f.path))
			dg.Related = append([]syntax.Related{rel}, dg.Related...)
		}
		d.fileRelated(&dg)
		// Several places in another file may map to the same $ref with
		// the same message: keep one.
		key := fmt.Sprintf("%d:%d:%s:%s", dg.Range.Start, dg.Range.End, dg.Code, dg.Message)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, dg)
	}
	return out
}

// fileRelated gives dg's related places in other files their file.
func (d *Document) fileRelated(dg *syntax.Diagnostic) {
	if len(dg.Related) == 0 {
		return
	}
	rel := make([]syntax.Related, len(dg.Related))
	for i, r := range dg.Related {
		if id, rr := splitRange(r.Range); id != 0 && r.Path == "" {
			if f := d.ext.files[id]; f != nil {
				r.Range, r.Path, r.Mapper = rr, f.path, f.lineMapper()
			}
		}
		rel[i] = r
	}
	dg.Related = rel
}

// relatedInFiles is fileRelated for each diagnostic of list that has a
// related place in another file.
func (d *Document) relatedInFiles(list []syntax.Diagnostic) {
	if d.ext == nil || len(d.ext.files) == 0 {
		return
	}
	for i := range list {
		for _, r := range list[i].Related {
			if id, _ := splitRange(r.Range); id != 0 && r.Path == "" {
				d.fileRelated(&list[i])
				break
			}
		}
	}
}

// reportBrokenFiles reports, once per file, the first syntax error of every
// other file the document reads (its tree is partial, so what the $refs
// found there may be incomplete); relocate moves it to the $ref.
func (d *Document) reportBrokenFiles() {
	ids := make([]uint32, 0, len(d.ext.files))
	for id, f := range d.ext.files {
		if len(f.tree.Diagnostics) > 0 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return d.ext.files[ids[i]].path < d.ext.files[ids[j]].path })
	for _, id := range ids {
		first := d.ext.files[id].tree.Diagnostics[0]
		d.Diagnostics = append(d.Diagnostics, newDiag(syntax.CodeYAMLSyntax, fileRange(id, first.Range),
			"a file this document reads is not valid YAML/JSON: "+first.Message))
	}
}

// localRange finds the $ref of the document through which the range r of
// file id was reached: the edge whose target contains r (the innermost),
// followed back until a $ref of the document itself. It returns that
// $ref's value range.
func (d *Document) localRange(id uint32, r syntax.Range) syntax.Range {
	for range len(d.ext.edges) + 1 {
		var best *refEdge
		for i := range d.ext.edges {
			e := &d.ext.edges[i]
			if syntax.FileOf(e.target) != id {
				continue
			}
			tr := e.target.Range()
			if tr.Start <= r.Start && r.End <= tr.End && (best == nil || tr.Len() < best.target.Range().Len()) {
				best = e
			}
		}
		if best == nil { // outside every target (should not happen): the first edge into the file
			for i := range d.ext.edges {
				if syntax.FileOf(d.ext.edges[i].target) == id {
					best = &d.ext.edges[i]
					break
				}
			}
		}
		if best == nil {
			return syntax.Range{}
		}
		vr := d.R(best.from.Value)
		if id, r = splitRange(vr); id == 0 {
			return vr
		}
	}
	return syntax.Range{}
}

// TargetKey returns the key node that names what a $ref into another file
// resolves to (the last token of its pointer), with the file's path and
// mapper; nil when the $ref does not resolve into another file or its
// target is not a mapping entry (the whole file, a list item).
func (d *Document) TargetKey(r *Ref) (*syntax.Node, string, *syntax.Mapper) {
	if r == nil || r.File == "" || r.Resolved == nil || d.ext == nil {
		return nil, "", nil
	}
	f := d.ext.files[syntax.FileOf(r.Resolved)]
	if f == nil {
		return nil, "", nil
	}
	i := strings.LastIndex(r.Fragment, "/")
	if i < 1 {
		return nil, f.path, f.lineMapper()
	}
	parent, err := resolvePointerIndexed(f.root, r.Fragment[:i], nil)
	if err != nil {
		return nil, f.path, f.lineMapper()
	}
	var key *syntax.Node
	parent.Pairs(func(k, v *syntax.Node) {
		if key == nil && v.Resolve() == r.Resolved {
			key = k
		}
	})
	return key, f.path, f.lineMapper()
}
