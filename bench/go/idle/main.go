// idle: N idle connections held open, client and server ends in one process over loopback. The
// server runs a goroutine per connection blocked in Read on a 4 KiB buffer, as an echo server
// waiting for its client would; the client ends are kept in a slice. Once all N are accepted and
// have sat for 100 ms, each client sends one byte, which its server goroutine echoes before it
// ends. The figure is the process's peak RSS (bench/run reports it per connection). Timed: setting
// up the N connections. Check: the bytes echoed at the end, N.
//
// Go raises the soft RLIMIT_NOFILE to the hard limit itself at start-up (since Go 1.19).
package main

import (
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"goro/bench/internal/harness"
)

func serve(conn net.Conn, accepted *sync.WaitGroup) {
	defer conn.Close()
	accepted.Done()
	buf := make([]byte, 4096)
	if n, _ := conn.Read(buf); n > 0 {
		conn.Write(buf[:n])
	}
}

func main() {
	n := harness.Size(10_000)
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && uint64(2*n+64) > lim.Cur {
		fmt.Fprintf(os.Stderr, "idle: %d connections need %d descriptors; RLIMIT_NOFILE is %d\n",
			n, 2*n+64, lim.Cur)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	addr := ln.Addr().String()
	var accepted sync.WaitGroup
	accepted.Add(n)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				panic(err)
			}
			go serve(conn, &accepted)
		}
	}()

	start := time.Now()
	clients := make([]net.Conn, 0, n)
	for i := 0; i < n; i++ {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			panic(err)
		}
		clients = append(clients, conn)
	}
	accepted.Wait()
	setup := time.Since(start)

	time.Sleep(100 * time.Millisecond) // every server goroutine is blocked by now
	for _, c := range clients {
		if _, err := c.Write([]byte{'x'}); err != nil {
			panic(err)
		}
	}
	var echoed int64
	b := make([]byte, 1)
	for _, c := range clients {
		if k, _ := c.Read(b); k == 1 && b[0] == 'x' {
			echoed++
		}
	}
	harness.Report("idle", echoed, setup)
}
