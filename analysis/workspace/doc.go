// Package workspace owns the files of a multi-file AsyncAPI workspace, below
// the analysis engine: how a $ref names another file, which files may be read
// (confinement to roots, a size limit), a cache of file texts where open
// editor buffers win over the disk, the dependency graph between documents and
// the files they reference, and discovery of AsyncAPI documents under roots.
//
// It knows nothing about YAML trees, the AsyncAPI model or LSP: the analysis
// package asks it for bytes and attaches its own parsed form to a cached file
// version (File.Derived). Who may depend on it: analysis, server, main (the
// CLI), tests. It depends only on the standard library.
//
// Invariants:
//   - Paths are absolute, cleaned, in the host's form (filepath); refs are
//     URI references and are decoded into paths here and nowhere else.
//   - Nothing outside the roots is ever read: a path that climbs out, an
//     absolute ref, or a symlink whose target leaves the roots is refused
//     with a reason, before any read. http(s) refs are never fetched.
//   - A File is immutable: a changed text is a new File, so anything derived
//     from one version stays valid for that version.
package workspace
