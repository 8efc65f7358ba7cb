// echo: N client connections to an echo server in the same process, over loopback; each client
// makes 100 round trips of 64 bytes (write, then read the echo back) while the others do the same.
// Server and clients are a goroutine per connection. Timed: from the first dial to the last
// client's end. Check: the round trips whose echo came back intact, 100·N.
package main

import (
	"bytes"
	"io"
	"net"
	"time"

	"goro/bench/internal/harness"
)

const (
	roundTrips = 100
	message    = 64
)

func echo(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func client(addr string, done chan<- int64) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	out, in := make([]byte, message), make([]byte, message)
	var intact int64
	for r := 0; r < roundTrips; r++ {
		for i := range out {
			out[i] = byte('a' + r%26)
		}
		if _, err := conn.Write(out); err != nil {
			panic(err)
		}
		if _, err := io.ReadFull(conn, in); err != nil {
			break
		}
		if bytes.Equal(in, out) {
			intact++
		}
	}
	done <- intact
}

func main() {
	n := harness.Size(1000)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	addr := ln.Addr().String()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				panic(err)
			}
			go echo(conn)
		}
	}()
	start := time.Now()
	done := make(chan int64, n)
	for i := 0; i < n; i++ {
		go client(addr, done)
	}
	var total int64
	for i := 0; i < n; i++ {
		total += <-done
	}
	elapsed := time.Since(start)
	harness.Report("echo", total, elapsed)
}
