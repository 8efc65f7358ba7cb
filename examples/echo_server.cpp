// A TCP echo server on goro::net, one goroutine per connection, and a client that checks it.
//
// Each connection's goroutine is written as plain blocking code (read, then write back); a read
// with no data parks the goroutine on the netpoller, not its thread, so a few threads serve any
// number of connections. This is the shape Go servers have, in C++.
//
//   echo_server serve ADDR       serve forever on ADDR ("127.0.0.1:7000", ":7000", port 0 = any)
//   echo_server client ADDR N    send N messages to ADDR, check each comes back, exit 1 if not
//   echo_server                  both in one process on a free loopback port (a self-test)
//
//   goro run examples/echo_server.cpp
//
// CHECK-STDOUT-RE: ^listening on 127\.0\.0\.1:\d+$
// CHECK-STDOUT: 1000 messages echoed
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <goro/goro.hpp>
#include <string>

namespace {

// Copies everything a client sends back to it, until the client closes its side.
void echo(goro::net::Conn conn) {
  char buf[4096];
  try {
    while (size_t n = conn.read(buf, sizeof buf)) conn.write(buf, n);
  } catch (const std::system_error& e) {
    // A reset by the peer ends this connection only; the server goes on.
    std::error_code ignored;
    std::fprintf(stderr, "echo %s: %s\n", conn.remote_addr(ignored).c_str(), e.what());
  }
}

// Accepts connections until the listener is closed, each served by its own goroutine.
void serve(goro::net::Listener& ln) {
  for (;;) {
    std::error_code ec;
    goro::net::Conn conn = ln.accept(ec);
    if (ec == std::errc::operation_canceled || ec == std::errc::bad_file_descriptor) return;
    if (ec) {
      // Running out of descriptors, say: report it and keep serving the connections we have.
      std::fprintf(stderr, "accept: %s\n", ec.message().c_str());
      goro::sleep(std::chrono::milliseconds(10));
      continue;
    }
    goro::go(echo, std::move(conn));
  }
}

// Reads exactly n bytes; false when the stream ends first.
bool read_full(goro::net::Conn& conn, char* p, size_t n) {
  while (n > 0) {
    size_t got = conn.read(p, n);
    if (got == 0) return false;
    p += got;
    n -= got;
  }
  return true;
}

// Sends n numbered messages one at a time and checks each echo; returns how many came back intact.
int client(const std::string& addr, int n) {
  goro::net::Conn conn = goro::net::dial(addr);
  std::string reply;
  int echoed = 0;
  for (int i = 0; i < n; ++i) {
    std::string msg = "message " + std::to_string(i) + "\n";
    conn.write(msg.data(), msg.size());
    reply.resize(msg.size());
    if (!read_full(conn, reply.data(), reply.size())) {
      std::fprintf(stderr, "client: the server closed the connection after %d messages\n", i);
      break;
    }
    if (reply != msg) {
      std::fprintf(stderr, "client: sent %s got back %s", msg.c_str(), reply.c_str());
      break;
    }
    ++echoed;
  }
  return echoed;
}

int usage() {
  std::fprintf(stderr, "usage: echo_server [serve ADDR | client ADDR N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (!(argc == 1 || (mode == "serve" && argc == 3) || (mode == "client" && argc == 4))) {
    return usage();
  }
  return goro::run([&]() -> int {
    try {
      if (mode == "client") {
        int n = std::atoi(argv[3]);
        int echoed = client(argv[2], n);
        std::printf("%d messages echoed\n", echoed);
        return echoed == n ? 0 : 1;
      }
      goro::net::Listener ln = goro::net::listen(mode == "serve" ? argv[2] : "127.0.0.1:0");
      std::printf("listening on %s\n", ln.addr().c_str());
      std::fflush(stdout);  // a script waiting for the address reads it now
      if (mode == "serve") {
        serve(ln);
        return 0;
      }
      // Self-test: the server in its own goroutine, the client here.
      goro::WaitGroup serving;
      serving.add(1);
      goro::go([&] {
        serve(ln);
        serving.done();
      });
      int echoed = 0;
      try {
        echoed = client(ln.addr(), 1000);
      } catch (const std::system_error& e) {
        std::fprintf(stderr, "client: %s\n", e.what());
      }
      std::printf("%d messages echoed\n", echoed);
      ln.close();      // wakes the accept in serve(), which returns
      serving.wait();  // so nothing uses ln once it goes out of scope
      return echoed == 1000 ? 0 : 1;
    } catch (const std::system_error& e) {
      std::fprintf(stderr, "echo_server: %s\n", e.what());
      return 1;
    }
  });
}
