// http_nethttp: the `http` benchmark's server written the ordinary Go way, on net/http, answering
// every request with "Hello, World!\n". bench/run reports it beside the raw-socket servers for
// information: net/http does much more per request (full header parsing, a Date header, response
// buffering), so it is not the twin of examples/http_hello.cpp — bench/go/http is.
//
//	http_nethttp [ADDR [SECONDS]]   as bench/go/http
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	addr, seconds := "127.0.0.1:8080", 0.0
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	if len(os.Args) > 2 {
		seconds, _ = strconv.ParseFloat(os.Args[2], 64)
	}
	if len(os.Args) > 3 || (len(os.Args) > 2 && seconds <= 0) {
		fmt.Fprintln(os.Stderr, "usage: http_nethttp [ADDR [SECONDS]]")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "http_nethttp: listen:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "14")
		w.Write([]byte("Hello, World!\n"))
	})
	if seconds > 0 {
		time.AfterFunc(time.Duration(seconds*float64(time.Second)), func() { os.Exit(0) })
	}
	http.Serve(ln, handler)
}
