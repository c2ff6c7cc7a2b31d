package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procCPU returns the CPU time consumed so far by all live threads of pid,
// from /proc/<pid>/task/*/schedstat (nanosecond resolution). Threads that
// already exited are not counted. ok is false when /proc is unavailable.
func procCPU(pid int) (time.Duration, bool) {
	tasks, err := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/schedstat")
	if err != nil || len(tasks) == 0 {
		return 0, false
	}
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // thread exited meanwhile
		}
		f := bytes.Fields(b)
		if len(f) == 0 {
			continue
		}
		ns, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err == nil {
			total += ns
		}
	}
	return time.Duration(total), true
}

// procStatusKB reads a "Name:   N kB" field of /proc/<pid>/status.
func procStatusKB(pid int, field string) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				return 0, false
			}
			n, err := strconv.ParseInt(f[0], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// memPoller samples VmRSS of a process until stopped and keeps the maximum;
// peak() combines it with the kernel's own high-water mark (VmHWM).
type memPoller struct {
	pid  int
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	max  int64 // kB
}

func startMemPoller(pid int, every time.Duration) *memPoller {
	p := &memPoller{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			p.sample()
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *memPoller) sample() {
	if kb, ok := procStatusKB(p.pid, "VmRSS"); ok {
		p.mu.Lock()
		p.max = max(p.max, kb)
		p.mu.Unlock()
	}
}

// peak stops the poller and returns the peak resident set in bytes
// (max of VmHWM and the sampled VmRSS), 0 if unknown. Call it while the
// process is still alive.
func (p *memPoller) peak() int64 {
	hwm, _ := procStatusKB(p.pid, "VmHWM")
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return max(hwm, p.max) * 1024
}
