// Command wsbench owns the multi-file workspace benchmark: it generates a
// workspace of AsyncAPI documents that reference shared files (security
// schemes, servers, messages), starts the language server as a child process
// (this program again) over JSON-RPC on its stdin/stdout with that
// workspace folder, and measures
//
//   - open: initialize → discovery and analysis of every document finished
//     ($/progress end), then didOpen of every document → every document's
//     first diagnostics;
//
//   - change: a widely shared file (referenced by every document) changes on
//     disk → every open document republished with the change's diagnostics,
//     once with file watchers (workspace/didChangeWatchedFiles) and once with
//     the polling fallback;
//
//   - memory: the server's live heap and the server process's peak RSS
//     (VmHWM), as multiples of the workspace's total text; the client's
//     memory is not counted.
//
//     go run ./tools/wsbench                     # 200 documents, 1,000 shared files
//     go run ./tools/wsbench --docs 20 --shared 100 --keep /tmp/ws
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func main() {
	serveIfChild()
	var l layout
	var keep string
	var timeout time.Duration
	flag.IntVar(&l.docs, "docs", 200, "AsyncAPI documents")
	flag.IntVar(&l.shared, "shared", 1000, "shared files")
	flag.Int64Var(&l.seed, "seed", 1, "generator seed")
	flag.StringVar(&keep, "keep", "", "generate into this directory and keep it (default: a temporary directory)")
	flag.DurationVar(&timeout, "timeout", 60*time.Second, "timeout of each phase")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.StringVar(&memprofile, "memprofile", "", "write a heap profile, every document open, to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wsbench:", err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "wsbench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	res, err := run(l, keep, timeout)
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "wsbench:", err)
		os.Exit(1)
	}
	fmt.Printf("workspace: %d documents, %d shared files, %.1f MB of text; GOMAXPROCS=%d, %s\n",
		l.docs, l.shared, float64(res.TextBytes)/(1<<20), runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Print(res.table())
}

// dirFor returns the directory to generate into and a cleanup function.
func dirFor(keep string) (string, func(), error) {
	if keep != "" {
		if err := os.MkdirAll(keep, 0o755); err != nil {
			return "", nil, err
		}
		return keep, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "wsbench-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}
