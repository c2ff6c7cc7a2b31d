// Package config reads the project configuration file `.asyncapi-ls.yaml`
// (also `.asyncapi-ls.yml` and `.asyncapi-ls.json`) that the CLI and the
// language server share: severity overrides per diagnostic code, options
// of rules, and paths of documents that are not checked.
//
// Parse is pure: it takes the file's bytes and returns the settings and
// the file's own diagnostics, positioned on the config file (codes
// config-syntax and config-invalid). A broken file never stops anything:
// what cannot be used is reported and left at its default. Find and
// Loader locate and read files on disk for the CLI and the server.
//
// Who may depend on it: main (the CLI), server, tests. It depends only on
// analysis (the diagnostic codes, the model that rule options look at),
// analysis/syntax (diagnostics, positions) and leaf packages.
package config
