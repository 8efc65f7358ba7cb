// Networking over the netpoller: TCP (IPv4 and IPv6) and Unix domain stream sockets whose blocking
// calls park the goroutine, never its thread, and a hook to park on a descriptor of your own.
//
// Errors throw std::system_error carrying an errno code (std::generic_category()). Every call also
// has an overload taking a trailing std::error_code& that reports the error there instead of
// throwing (Asio's convention). The codes a program may want to tell apart:
//   std::errc::timed_out            a deadline passed (the call fails even if data was ready)
//   std::errc::operation_canceled   the Conn/Listener was closed while this call waited
//   std::errc::bad_file_descriptor  the Conn/Listener is closed (or was never opened)
//   std::errc::connection_refused, connection_reset, broken_pipe, address_in_use, ...  from the OS
//   std::errc::invalid_argument     a malformed address or unknown network
//
// Addresses are written as Go writes them: "127.0.0.1:8080", "[::1]:8080", ":8080" (every local
// address, IPv4 and IPv6), "localhost:80" (names resolve through getaddrinfo inside blocking()).
// Port 0 picks a free port: Listener::addr() tells which. Unix domain sockets use Go's network
// names: listen("unix", "/tmp/app.sock"), dial("unix", "/tmp/app.sock").
//
// Deadlines are absolute steady_clock times, as Go's SetDeadline: a call still waiting when the
// deadline passes fails with timed_out, so does every later call until the deadline is moved; a
// later deadline makes the connection usable again; a default-constructed time_point (Go's zero
// time) means no deadline.
//
// Example: an echo server.
//   goro::run([] {
//     auto ln = goro::net::listen("127.0.0.1:7000");
//     for (;;) {
//       goro::go([](goro::net::Conn c) {
//         char buf[4096];
//         while (size_t n = c.read(buf, sizeof buf)) c.write(buf, n);
//       }, ln.accept());
//     }
//   });
//
// Example: waiting for a pipe of your own.
//   int fds[2];
//   pipe2(fds, O_NONBLOCK);
//   goro::net::wait_readable(fds[0]);  // parks until a byte arrives; other goroutines run
//   meanwhile
//
// Race build: a write reads its buffer and a read writes its buffer, as seen by the detector, and
// what a goroutine did before a write happens before a read that returns data on any socket of the
// process (Go's model of I/O).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

namespace goro::net {

using deadline = std::chrono::steady_clock::time_point;

namespace detail {
struct net_fd;  // the socket, its netpoller registration and its reference count
}

// A connected stream socket. Move-only; the destructor closes it. Reads may run in one goroutine
// while writes run in another; concurrent reads (or writes) on one Conn take turns.
class Conn {
 public:
  Conn() noexcept = default;  // not connected: every call fails with bad_file_descriptor
  Conn(Conn&& other) noexcept : fd_(other.fd_) { other.fd_ = nullptr; }
  Conn& operator=(Conn&& other) noexcept;
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();

  // Reads up to n bytes; returns how many (> 0), or 0 at end of stream (the peer closed). n == 0
  // returns 0 at once.
  std::size_t read(void* p, std::size_t n);
  std::size_t read(void* p, std::size_t n, std::error_code& ec) noexcept;
  // Writes all n bytes, or fails; the error_code overload returns how many were written before the
  // error.
  std::size_t write(const void* p, std::size_t n);
  std::size_t write(const void* p, std::size_t n, std::error_code& ec) noexcept;

  // Closes the connection and wakes its blocked calls (they fail with operation_canceled). Closing
  // twice, or closing a moved-from Conn, does nothing.
  void close();
  void close(std::error_code& ec) noexcept;
  // Shuts down the sending side (the peer reads end of stream); reading continues (Go's
  // CloseWrite).
  void close_write();
  void close_write(std::error_code& ec) noexcept;

  std::string local_addr() const;
  std::string local_addr(std::error_code& ec) const;
  std::string remote_addr() const;
  std::string remote_addr(std::error_code& ec) const;

  void set_deadline(deadline t);  // both directions
  void set_deadline(deadline t, std::error_code& ec) noexcept;
  void set_read_deadline(deadline t);
  void set_read_deadline(deadline t, std::error_code& ec) noexcept;
  void set_write_deadline(deadline t);
  void set_write_deadline(deadline t, std::error_code& ec) noexcept;

  bool is_open() const noexcept;  // false once closed (or moved from)
  // The socket descriptor, for setsockopt and the like (-1 when closed). Do not read, write or
  // close it directly.
  int native_handle() const noexcept;

 private:
  friend class Listener;
  friend Conn dial(std::string_view, std::string_view, std::error_code&) noexcept;
  explicit Conn(detail::net_fd* fd) noexcept : fd_(fd) {}
  detail::net_fd* fd_ = nullptr;
};

// A listening socket. Move-only; the destructor closes it (and removes a Unix socket's file).
class Listener {
 public:
  Listener() noexcept = default;
  Listener(Listener&& other) noexcept : fd_(other.fd_) { other.fd_ = nullptr; }
  Listener& operator=(Listener&& other) noexcept;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  ~Listener();

  // Waits for the next connection.
  Conn accept();
  Conn accept(std::error_code& ec) noexcept;
  // The address actually bound, e.g. "127.0.0.1:41234" after listen("127.0.0.1:0").
  std::string addr() const;
  std::string addr(std::error_code& ec) const;
  // Stops listening and wakes a blocked accept (operation_canceled). Closing twice does nothing.
  void close();
  void close(std::error_code& ec) noexcept;
  // A deadline for accept.
  void set_deadline(deadline t);
  void set_deadline(deadline t, std::error_code& ec) noexcept;

  bool is_open() const noexcept;
  int native_handle() const noexcept;

 private:
  friend Listener listen(std::string_view, std::string_view, std::error_code&) noexcept;
  explicit Listener(detail::net_fd* fd) noexcept : fd_(fd) {}
  detail::net_fd* fd_ = nullptr;
};

// TCP: listen(addr) is listen("tcp", addr); likewise dial.
Listener listen(std::string_view addr);
Listener listen(std::string_view addr, std::error_code& ec) noexcept;
Conn dial(std::string_view addr);
Conn dial(std::string_view addr, std::error_code& ec) noexcept;

// Go's networks: "tcp" (IPv4 or IPv6), "tcp4", "tcp6", "unix" (addr is the socket's path).
Listener listen(std::string_view network, std::string_view addr);
Listener listen(std::string_view network, std::string_view addr, std::error_code& ec) noexcept;
Conn dial(std::string_view network, std::string_view addr);
Conn dial(std::string_view network, std::string_view addr, std::error_code& ec) noexcept;

// Parks the calling goroutine until fd — a non-blocking descriptor the caller owns (a pipe, an
// eventfd, a socket of another library) — is readable (or writable), or until the deadline passes
// (timed_out). Readiness includes end of stream and errors: the next read or write tells which.
// Each call registers fd with the netpoller and removes it again (two epoll_ctl calls). Outside a
// goroutine the calling thread waits.
void wait_readable(int fd, deadline t = {});
void wait_readable(int fd, deadline t, std::error_code& ec) noexcept;
void wait_writable(int fd, deadline t = {});
void wait_writable(int fd, deadline t, std::error_code& ec) noexcept;

}  // namespace goro::net
