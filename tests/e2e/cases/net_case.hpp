// What the goro::net end-to-end cases share: failing the case with a message, a watchdog timer, a
// connected pair over loopback, reading an exact count of bytes, and checking a call on a closed
// object. Each case is compiled alone (`goro c++ case.cpp`), so these are inline functions in a
// header that a case includes as "net_case.hpp"; the harness and CMake take only *.cpp as cases.
//
// The messages are the ones the cases printed before they shared this header: "FAIL: <what>
// (<error message>)" on stderr, which `// CHECK-NOT: FAIL` looks for. A case whose watchdog must
// not be a goro timer (the scheduler itself may be stuck, or a pending timer would hide a false
// deadlock report) keeps its own std::thread or child process, and its own fail().
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

// Prints "FAIL: <what> (<ec's message>)" to stderr and ends the process at once with status 1,
// without running destructors or atexit handlers (other goroutines may still be running).
[[noreturn]] inline void fail(const char* what, std::error_code ec = {}) {
  std::fprintf(stderr, "FAIL: %s (%s)\n", what, ec.message().c_str());
  std::fflush(nullptr);
  std::_Exit(1);
}

[[noreturn]] inline void fail(const std::string& what, std::error_code ec = {}) {
  fail(what.c_str(), ec);
}

// Fails the case with "watchdog: the case hung for <limit> s" unless it has ended by then. A goro
// timer: use it only where the scheduler itself is not what may hang.
inline void arm_watchdog(std::chrono::seconds limit) {
  goro::after_func(limit, [limit] {
    char what[64];
    std::snprintf(what, sizeof what, "watchdog: the case hung for %lld s",
                  static_cast<long long>(limit.count()));
    fail(what);
  });
}

// Both ends of a TCP connection over 127.0.0.1 and the Listener that accepted it. The members are
// destroyed in reverse order (server, client, listener).
struct conn_pair {
  goro::net::Listener listener;
  goro::net::Conn client;  // dialed listener.addr()
  goro::net::Conn server;  // what listener.accept() returned
};

// Listens on 127.0.0.1:0, dials the listener's address and accepts that connection, in that order.
inline conn_pair connected_pair() {
  conn_pair p{goro::net::listen("127.0.0.1:0"), {}, {}};
  p.client = goro::net::dial(p.listener.addr());
  p.server = p.listener.accept();
  return p;
}

// Reads exactly n bytes from c, as many reads as that takes; end of stream first fails the case
// with on_eof.
inline std::string read_exactly(goro::net::Conn& c, std::size_t n,
                                const char* on_eof = "end of stream") {
  std::string s(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const std::size_t k = c.read(s.data() + got, n - got);
    if (k == 0) fail(on_eof);
    got += k;
  }
  return s;
}

// For the cases that run every check and list the failed ones: runs call, which must throw
// std::system_error(bad_file_descriptor) as `object` is closed. Otherwise prints "FAIL: <what> on
// a closed <object>: <the other error, or "no error">" and returns false.
inline bool fails_with_bad_fd(const char* what, const char* object,
                              const std::function<void()>& call) {
  std::error_code ec;
  try {
    call();
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::bad_file_descriptor) return true;
    ec = e.code();
  }
  std::fprintf(stderr, "FAIL: %s on a closed %s: %s\n", what, object,
               ec ? ec.message().c_str() : "no error");
  return false;
}
