package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/asyncapi-ls/asyncapi-ls/server"
	"github.com/sourcegraph/jsonrpc2"
)

// The server runs in a child process (this program again, with
// serveEnv set), so that its memory is measured alone: the benchmark
// client's own allocations (every publication it records) no longer count
// in the server's peak RSS.

// serveEnv, when set in the environment, makes this program the server:
// LSP over stdin/stdout. On SIGUSR1 it collects garbage and writes its live
// heap to stderr as "wsbench-heap <bytes>", and a heap profile to the path
// in memprofileEnv when that is set.
const (
	serveEnv      = "WSBENCH_SERVE"
	memprofileEnv = "WSBENCH_MEMPROFILE"
)

// serveIfChild runs the server and exits when this process is the child.
func serveIfChild() {
	if os.Getenv(serveEnv) == "" {
		return
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for range sig {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if p := os.Getenv(memprofileEnv); p != "" {
				if err := writeHeapProfile(p); err != nil {
					fmt.Fprintln(os.Stderr, "wsbench-error", err)
				}
			}
			fmt.Fprintln(os.Stderr, "wsbench-heap", ms.HeapAlloc)
		}
	}()
	os.Exit(server.Serve(os.Stdin, os.Stdout, io.Discard, "wsbench"))
}

// child is the server process of a session.
type child struct {
	cmd  *exec.Cmd
	heap chan uint64
}

// startChild starts this program as the server and returns the stream to
// talk to it.
func startChild() (*child, jsonrpc2.ObjectStream, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serveEnv+"=1")
	if memprofile != "" {
		abs, err := filepath.Abs(memprofile)
		if err != nil {
			return nil, nil, err
		}
		cmd.Env = append(cmd.Env, memprofileEnv+"="+abs)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	errs, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	ch := &child{cmd: cmd, heap: make(chan uint64, 1)}
	servers.Lock()
	servers.list = append(servers.list, ch)
	servers.Unlock()
	go func() {
		sc := bufio.NewScanner(errs)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "wsbench-heap "); ok {
				n, _ := strconv.ParseUint(rest, 10, 64)
				ch.heap <- n
			} else {
				fmt.Fprintln(os.Stderr, "server:", sc.Text())
			}
		}
	}()
	return ch, jsonrpc2.NewBufferedStream(pipe{out, in}, jsonrpc2.VSCodeObjectCodec{}), nil
}

// liveHeap asks the server for its live heap after a collection.
func (c *child) liveHeap(timeout time.Duration) (uint64, error) {
	if err := c.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		return 0, err
	}
	select {
	case n := <-c.heap:
		return n, nil
	case <-time.After(timeout):
		return 0, fmt.Errorf("timeout waiting for the server's heap figure")
	}
}

// peakRSS is the server's VmHWM so far (0 where /proc is missing).
func (c *child) peakRSS() uint64 { return vmHWM(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid)) }

// cpu is the server's user and system time so far.
func (c *child) cpu() time.Duration { return procCPU(c.cmd.Process.Pid) }

// wait reaps the child after exit, killing it if it does not exit soon.
func (c *child) wait() {
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
	servers.Lock()
	defer servers.Unlock()
	for i, s := range servers.list {
		if s == c {
			servers.list = append(servers.list[:i], servers.list[i+1:]...)
			break
		}
	}
}

// pipe joins the child's stdout and stdin into one stream.
type pipe struct {
	io.ReadCloser
	w io.WriteCloser
}

func (p pipe) Write(b []byte) (int, error) { return p.w.Write(b) }

func (p pipe) Close() error {
	err := p.w.Close()
	if e := p.ReadCloser.Close(); err == nil {
		err = e
	}
	return err
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times (100 on Linux).
const clockTicks = 100

// procCPU reads utime+stime of a process from /proc/<pid>/stat.
func procCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: fields follow its ')'.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 { // state is field 3; utime 14 and stime 15
		return 0
	}
	u, _ := strconv.ParseUint(f[11], 10, 64)
	st, _ := strconv.ParseUint(f[12], 10, 64)
	return time.Duration(u+st) * time.Second / clockTicks
}

// servers are the running child servers, whose CPU time measure adds.
var servers struct {
	sync.Mutex
	list []*child
}
