// http: the Go twin of examples/http_hello.cpp, the `http` benchmark's server — a minimal
// HTTP/1.1 keep-alive responder on raw net.Listener/net.Conn (not net/http), a goroutine per
// connection, with the same parsing: request heads up to the blank line, pipelined requests
// answered in one write, "Connection: close" honoured, Content-Length bodies skipped.
//
//	http [ADDR [SECONDS]]   listen on ADDR (default 127.0.0.1:8080), print "listening on HOST:PORT";
//	                        after SECONDS stop listening and exit 0, else run forever
//
// bench/run drives it with wrk and reports requests per second.
package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

const (
	body    = "Hello, World!\n"
	maxHead = 8192 // a longer request head is refused (400)
)

var badRequest = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

type request struct {
	valid, http10, keepAlive bool
	bodyLength               int
}

func parseHead(head []byte) request {
	req := request{keepAlive: true}
	lines := strings.Split(string(head), "\n")
	line := strings.TrimRight(lines[0], " \t\r")
	sp1, sp2 := strings.IndexByte(line, ' '), strings.LastIndexByte(line, ' ')
	if sp1 < 0 || sp2 == sp1 {
		return req
	}
	switch line[sp2+1:] {
	case "HTTP/1.0":
		req.http10, req.keepAlive = true, false
	case "HTTP/1.1":
	default:
		return req
	}
	for _, line := range lines[1:] {
		colon := strings.IndexByte(line, ':')
		if colon < 0 {
			continue
		}
		name, value := line[:colon], strings.Trim(line[colon+1:], " \t\r")
		switch {
		case strings.EqualFold(name, "Connection"):
			if strings.EqualFold(value, "close") {
				req.keepAlive = false
			}
			if strings.EqualFold(value, "keep-alive") {
				req.keepAlive = true
			}
		case strings.EqualFold(name, "Content-Length"):
			req.bodyLength, _ = strconv.Atoi(value)
		case strings.EqualFold(name, "Transfer-Encoding"):
			return req // a chunked body: not supported here
		}
	}
	req.valid = true
	return req
}

func appendResponse(out []byte, req request) []byte {
	out = append(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "...)
	out = strconv.AppendInt(out, int64(len(body)), 10)
	if !req.keepAlive {
		out = append(out, "\r\nConnection: close"...)
	} else if req.http10 {
		out = append(out, "\r\nConnection: keep-alive"...)
	}
	out = append(out, "\r\n\r\n"...)
	return append(out, body...)
}

func serveConn(conn net.Conn) {
	defer conn.Close()
	var in, out []byte
	skip := 0 // body bytes of the last request still to be discarded
	buf := make([]byte, 4096)
	open := true
	for open {
		n, err := conn.Read(buf)
		if n == 0 && err != nil {
			return
		}
		in = append(in, buf[:n]...)
		pos := skip
		if pos > len(in) {
			pos = len(in)
		}
		skip -= pos
		for open && skip == 0 {
			end := bytes.Index(in[pos:], []byte("\r\n\r\n"))
			if end < 0 {
				break
			}
			end += pos
			req := parseHead(in[pos:end])
			if !req.valid {
				out = append(out, badRequest...)
				open = false
				break
			}
			out = appendResponse(out, req)
			open = req.keepAlive
			pos = end + 4
			bodyHere := req.bodyLength
			if bodyHere > len(in)-pos {
				bodyHere = len(in) - pos
			}
			pos += bodyHere
			skip = req.bodyLength - bodyHere
		}
		in = append(in[:0], in[pos:]...)
		if len(in) > maxHead && open {
			out = append(out, badRequest...)
			open = false
		}
		if len(out) > 0 {
			if _, err := conn.Write(out); err != nil {
				return
			}
			out = out[:0]
		}
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
}

func acceptLoop(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			if strings.Contains(err.Error(), "use of closed network connection") {
				return
			}
			fmt.Fprintln(os.Stderr, "accept:", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		go serveConn(conn)
	}
}

func main() {
	addr, seconds := "127.0.0.1:8080", 0.0
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	if len(os.Args) > 2 {
		seconds, _ = strconv.ParseFloat(os.Args[2], 64)
	}
	if len(os.Args) > 3 || (len(os.Args) > 2 && seconds <= 0) {
		fmt.Fprintln(os.Stderr, "usage: http [ADDR [SECONDS]]")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "http: listen:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	if seconds == 0 {
		acceptLoop(ln)
		return
	}
	go acceptLoop(ln)
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	ln.Close()
}
