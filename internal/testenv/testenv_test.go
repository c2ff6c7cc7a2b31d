package testenv

import (
	"flag"
	"runtime/debug"
	"testing"
)

func TestLongAndCount(t *testing.T) {
	for _, c := range []struct {
		ci, long string
		want     bool
	}{
		{"", "", false},
		{"true", "", true},
		{"1", "", true},
		{"false", "", false},
		{"", "1", true},
		{"", "0", false},
		{"false", "1", true},
	} {
		t.Setenv("CI", c.ci)
		t.Setenv("ASYNCAPI_LS_LONG", c.long)
		if got := Long(); got != c.want {
			t.Errorf("CI=%q ASYNCAPI_LS_LONG=%q: Long() = %v, want %v", c.ci, c.long, got, c.want)
		}
		want := 10
		if c.want {
			want = 400
		}
		if got := Count(10, 400); got != want {
			t.Errorf("CI=%q ASYNCAPI_LS_LONG=%q: Count(10, 400) = %d, want %d", c.ci, c.long, got, want)
		}
	}
	t.Setenv("CI", "")
	t.Setenv("ASYNCAPI_LS_LONG", "")
	if got := Count(0, 5); got != 1 {
		t.Errorf("Count(0, 5) = %d in short mode, want 1: a short run still samples", got)
	}
}

func TestLessGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	bench := flag.Lookup("test.bench").Value.String()
	defer flag.Set("test.bench", bench)
	for _, c := range []struct {
		gogc, bench string
		want        int
	}{
		{"", "", lessGCPercent},
		{"50", "", 100}, // the user's GOGC wins
		{"", ".", 100},  // benchmarks measure at the default
	} {
		t.Setenv("GOGC", c.gogc)
		if err := flag.Set("test.bench", c.bench); err != nil {
			t.Fatal(err)
		}
		debug.SetGCPercent(100)
		LessGC()
		if got := debug.SetGCPercent(100); got != c.want {
			t.Errorf("GOGC=%q -test.bench=%q: GC percent %d after LessGC, want %d", c.gogc, c.bench, got, c.want)
		}
	}
}
