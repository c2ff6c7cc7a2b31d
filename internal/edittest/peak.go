package edittest

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"
)

// PeakRSS runs f and returns how far the process's resident memory rose
// above what it held before f (bytes): the kernel's high-water mark
// (VmHWM), reset before f, less the resident size after a collection that
// returned the free memory to the system. ok is false where /proc does
// not allow it (not Linux): benchmarks then report no peak.
func PeakRSS(f func()) (peak int64, ok bool) {
	runtime.GC()
	debug.FreeOSMemory()
	base, ok1 := procStatus("VmRSS:")
	if !ok1 || os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) != nil {
		f()
		return 0, false
	}
	f()
	hwm, ok2 := procStatus("VmHWM:")
	if !ok2 {
		return 0, false
	}
	return hwm - base, true
}

// procStatus returns a "kB" field of /proc/self/status, in bytes.
func procStatus(field string) (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	i := bytes.Index(b, []byte(field))
	if i < 0 {
		return 0, false
	}
	rest := b[i+len(field):]
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
	if err != nil {
		return 0, false
	}
	return kb << 10, true
}

// CPUTime returns the CPU time the process has used so far (user and
// system), which other programs on a loaded machine disturb less than
// the wall clock.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
