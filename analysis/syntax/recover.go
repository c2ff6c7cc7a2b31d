package syntax

import (
	"bytes"
	"os"
	"runtime/debug"
)

// The parses here run yaml.v3 (and yaml/v4 for an error's mark) on whole
// texts and on fragments of them, and those parsers panic on some inputs:
// the parse recovers and falls back (a whole parse, a region left
// broken). A panic of this module's own code recovered the same way would
// be a bug turned into a silent fallback, so tests make it fail
// (FailOwnPanicsEnv, which testenv.Main sets); users keep the fallback.

// FailOwnPanicsEnv is the environment variable that, set to 1, makes a
// recovered panic raised outside the YAML parsers panic again.
const FailOwnPanicsEnv = "ASYNCAPI_LS_FAIL_OWN_PANICS"

// rethrowOwn is called with what recover returned in a parse that falls
// back when a YAML parser panics. It panics again with p when tests ask
// for it and p was not raised in a YAML parser's code.
func rethrowOwn(p any) {
	if p == nil || os.Getenv(FailOwnPanicsEnv) != "1" {
		return
	}
	if !raisedInYAMLParser(debug.Stack()) {
		panic(p)
	}
}

// raisedInYAMLParser reports whether the innermost frame below the panic in
// stack (debug.Stack() in a deferred recover) that is not the runtime's is
// a YAML parser's.
func raisedInYAMLParser(stack []byte) bool {
	lines := bytes.Split(stack, []byte("\n"))
	at := -1
	for i, l := range lines {
		if bytes.HasPrefix(l, []byte("panic(")) {
			at = i // the last one: a panic raised while recovering
		}
	}
	if at < 0 {
		return false
	}
	// Frames are a function line then a tab-indented file line.
	for _, l := range lines[at+1:] {
		if len(l) == 0 || l[0] == '\t' || bytes.HasPrefix(l, []byte("runtime.")) || bytes.HasPrefix(l, []byte("panic(")) {
			continue
		}
		return bytes.HasPrefix(l, []byte("gopkg.in/yaml")) || bytes.HasPrefix(l, []byte("go.yaml.in/yaml"))
	}
	return false
}
