package syntax

import (
	"os"
	"testing"
)

func TestRaisedInYAMLParser(t *testing.T) {
	frames := func(fs ...string) []byte {
		s := "goroutine 7 [running]:\nruntime/debug.Stack()\n\t/go/src/runtime/debug/stack.go:26 +0x5e\n" +
			"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax.rethrowOwn(...)\n\t/x/recover.go:1\n" +
			"panic({0x1, 0x2})\n\t/go/src/runtime/panic.go:787 +0x132\n"
		for _, f := range fs {
			s += f + "\n\t/some/file.go:1 +0x1\n"
		}
		return []byte(s)
	}
	for _, c := range []struct {
		name  string
		stack []byte
		want  bool
	}{
		{"yaml.v3", frames("gopkg.in/yaml%2ev3.(*parser).parse(0xc0)", "github.com/asyncapi-ls/asyncapi-ls/analysis/syntax.decodeFrom()"), true},
		{"yaml v4", frames("go.yaml.in/yaml/v4.(*decoder).unmarshal(0xc0)"), true},
		{"runtime frames skipped", frames("runtime.goPanicIndex(0x3, 0x2)", "gopkg.in/yaml%2ev3.yaml_parser_scan(0xc0)"), true},
		{"own code", frames("runtime.goPanicIndex(0x3, 0x2)", "github.com/asyncapi-ls/asyncapi-ls/analysis/syntax.(*regionParser).parse(0xc0)", "gopkg.in/yaml%2ev3.(*parser).parse(0xc0)"), false},
		{"no panic frame", []byte("goroutine 1 [running]:\nmain.main()\n"), false},
		// a panic raised while recovering another: the last panic counts
		{"panic in a deferred call", append(frames("gopkg.in/yaml%2ev3.(*parser).parse(0xc0)"),
			"panic({0x3, 0x4})\n\t/go/src/runtime/panic.go:787\ngithub.com/asyncapi-ls/asyncapi-ls/analysis/syntax.parseTree.func1()\n\t/x.go:1\n"...), false},
	} {
		if got := raisedInYAMLParser(c.stack); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// TestRethrowOwn: under the tests (testenv.Main sets FailOwnPanicsEnv) a
// panic of this module's code that a parse recovers is raised again; a
// user's server keeps the fallback.
func TestRethrowOwn(t *testing.T) {
	if os.Getenv(FailOwnPanicsEnv) != "1" {
		t.Fatalf("%s is not set: testenv.Main sets it for every test binary", FailOwnPanicsEnv)
	}
	recovered := func() (again any) {
		defer func() { again = recover() }()
		func() {
			defer func() { rethrowOwn(recover()) }()
			var s []int
			_ = s[len(s)+1] // index out of range, in this package's code
		}()
		return nil
	}
	if recovered() == nil {
		t.Fatal("a panic of this module's code was recovered silently under the tests")
	}
	t.Setenv(FailOwnPanicsEnv, "0")
	if p := recovered(); p != nil {
		t.Fatalf("with %s off the panic was raised again: %v", FailOwnPanicsEnv, p)
	}
}
