// A minimal HTTP/1.1 server on goro::net that answers every request with "Hello, World!".
//
// It shows a goroutine-per-connection server with keep-alive: each connection's goroutine reads
// request heads (the request line and headers up to the blank line), answers each one, and keeps
// the connection open until the client closes it or asks for "Connection: close". Requests that
// arrive together (pipelining) are answered together, in one write. It is also the server of the
// `http` benchmark (bench/run drives it with wrk; bench/go/http/main.go is its Go twin), so it
// does no more than a benchmark server needs: no Date header, no chunked request bodies.
//
//   http_hello [ADDR [SECONDS]]   listen on ADDR (default 127.0.0.1:8080; port 0 picks a free
//                                 port) and print "listening on HOST:PORT"; after SECONDS (a
//                                 decimal number) stop listening and exit 0, else run forever.
//
//   goro run examples/http_hello.cpp -- 127.0.0.1:8080 &   curl -i http://127.0.0.1:8080/
//
// ARGS: 127.0.0.1:0 0.5
// CHECK-STDOUT-RE: ^listening on 127\.0\.0\.1:\d+$
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <string>
#include <string_view>
#include <system_error>

namespace {

constexpr std::string_view kBody = "Hello, World!\n";
constexpr size_t kMaxHead = 8192;  // a longer request head is refused (400)

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// What the server needs to know of one request.
struct request {
  bool valid = false;
  bool http10 = false;  // HTTP/1.0: keep-alive must be confirmed in the response
  bool keep_alive = true;
  size_t body_length = 0;  // Content-Length: bytes to skip after the head
};

// Parses a request head: "METHOD TARGET HTTP/1.x" and header lines, without the blank line.
request parse_head(std::string_view head) {
  request req;
  size_t eol = head.find('\n');
  std::string_view line = trim(head.substr(0, eol));
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return req;
  std::string_view version = line.substr(sp2 + 1);
  if (version == "HTTP/1.0") {
    req.http10 = true;
    req.keep_alive = false;  // 1.0 closes unless the client asks to keep the connection
  } else if (version != "HTTP/1.1") {
    return req;
  }
  while (eol != std::string_view::npos) {
    head.remove_prefix(eol + 1);
    eol = head.find('\n');
    line = head.substr(0, eol);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    if (equals_ignoring_case(name, "Connection")) {
      if (equals_ignoring_case(value, "close")) req.keep_alive = false;
      if (equals_ignoring_case(value, "keep-alive")) req.keep_alive = true;
    } else if (equals_ignoring_case(name, "Content-Length")) {
      req.body_length = std::strtoull(std::string(value).c_str(), nullptr, 10);
    } else if (equals_ignoring_case(name, "Transfer-Encoding")) {
      return req;  // a chunked body: not supported here
    }
  }
  req.valid = true;
  return req;
}

void append_response(std::string& out, const request& req) {
  out += "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ";
  out += std::to_string(kBody.size());
  if (!req.keep_alive) {
    out += "\r\nConnection: close";
  } else if (req.http10) {
    out += "\r\nConnection: keep-alive";
  }
  out += "\r\n\r\n";
  out += kBody;
}

// Serves one connection until the client closes it, asks to close, or sends something malformed.
void serve_conn(goro::net::Conn conn) {
  std::string in;   // received bytes not yet parsed
  std::string out;  // responses to send after this read
  size_t skip = 0;  // body bytes of the last request still to be discarded
  char buf[4096];
  bool open = true;
  while (open) {
    std::error_code ec;
    size_t n = conn.read(buf, sizeof buf, ec);
    if (n == 0) return;  // end of stream or an error: either way the client is gone
    in.append(buf, n);
    size_t pos = std::min(skip, in.size());
    skip -= pos;
    while (open && skip == 0) {
      size_t end = in.find("\r\n\r\n", pos);
      if (end == std::string::npos) break;
      request req = parse_head(std::string_view(in).substr(pos, end - pos));
      if (!req.valid) {
        out += "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        open = false;
        break;
      }
      append_response(out, req);
      open = req.keep_alive;
      pos = end + 4;
      size_t body_here = std::min(req.body_length, in.size() - pos);
      pos += body_here;
      skip = req.body_length - body_here;
    }
    in.erase(0, pos);
    if (in.size() > kMaxHead && open) {
      out += "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      open = false;
    }
    if (!out.empty()) {
      conn.write(out.data(), out.size(), ec);
      if (ec) return;
      out.clear();
    }
  }
  // Connection: close — tell the client we are done sending, then the destructor closes.
  std::error_code ignored;
  conn.close_write(ignored);
}

// Accepts connections until the listener is closed, each served by its own goroutine.
void accept_loop(goro::net::Listener& ln) {
  for (;;) {
    std::error_code ec;
    goro::net::Conn conn = ln.accept(ec);
    if (ec == std::errc::operation_canceled || ec == std::errc::bad_file_descriptor) return;
    if (ec) {  // out of descriptors, say: wait a little, as Go's http.Server does
      std::fprintf(stderr, "accept: %s\n", ec.message().c_str());
      goro::sleep(std::chrono::milliseconds(10));
      continue;
    }
    goro::go(serve_conn, std::move(conn));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const char* addr = argc > 1 ? argv[1] : "127.0.0.1:8080";
  double seconds = argc > 2 ? std::atof(argv[2]) : 0;
  if (argc > 3 || (argc > 2 && seconds <= 0)) {
    std::fprintf(stderr, "usage: http_hello [ADDR [SECONDS]]\n");
    return 2;
  }
  return goro::run([&]() -> int {
    std::error_code ec;
    goro::net::Listener ln = goro::net::listen(addr, ec);
    if (ec) {
      std::fprintf(stderr, "http_hello: listen %s: %s\n", addr, ec.message().c_str());
      return 1;
    }
    std::printf("listening on %s\n", ln.addr().c_str());
    std::fflush(stdout);  // whoever started us waits for this line to learn the port
    if (seconds == 0) {
      accept_loop(ln);
      return 0;
    }
    goro::WaitGroup accepting;
    accepting.add(1);
    goro::go([&] {
      accept_loop(ln);
      accepting.done();
    });
    goro::sleep(std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(seconds)));
    ln.close();        // wakes the accept loop, which returns
    accepting.wait();  // so nothing uses ln once it goes out of scope
    // Connections still open end with the process, as a Go program's goroutines end with main.
    return 0;
  });
}
