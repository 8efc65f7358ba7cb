// The state behind a Conn or Listener (Go's netFD + fdMutex): the socket, its netpoller record, the
// addresses it was created with, a count of calls in progress, and the locks that make concurrent
// reads (and concurrent writes) take turns.
//
// Closing must not release the descriptor number while a call may still use it (the number could
// be reused by another open and the call would read someone else's data). So every call holds a
// reference while it runs; close() marks the descriptor closed, wakes whoever waits in the
// netpoller, waits until the last reference is dropped, and only then closes the number. The
// record itself lives as long as its Conn or Listener object, so calls after close() fail cleanly.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "goro/net.hpp"
#include "netpoll/netpoll.hpp"

namespace goro::net::detail {

struct net_fd {
  int fd = -1;
  netpoll::poll_desc* pd = nullptr;
  bool is_unix = false;
  const char* network = "";  // "tcp", "tcp4", "tcp6", "unix" (a literal): for error messages
  std::string local;         // formatted addresses, as Go's netFD caches them
  std::string remote;
  std::string unlink_path;  // a Unix listener removes its socket file when closed

  // bit 0: closed; the rest: calls in progress, counted in steps of 2.
  std::atomic<std::uint32_t> state{0};
  std::uint32_t close_sema = 0;  // the closer waits here for the last call to finish

  // goro Mutex words (sync/mutex.hpp) serialising readers and writers.
  std::atomic<std::int32_t> read_lock{0};
  std::uint32_t read_sema = 0;
  std::atomic<std::int32_t> write_lock{0};
  std::uint32_t write_sema = 0;
};

// Makes a record for a connected or listening non-blocking socket (registers it with the
// netpoller). Returns nullptr with errno set on failure (fd is then closed).
net_fd* make_fd(int fd, bool is_unix, const char* network);
// True until close_fd (a null record is not open).
bool is_open_fd(const net_fd* f);
// Closes (as above). Returns 0, or EBADF if it was closed already.
int close_fd(net_fd* f);
// Closes if still open and frees the record (a Conn's or Listener's destructor; null is fine).
void destroy_fd(net_fd* f);

// A call in progress on f. ok() is false if f was closed first (the call fails with EBADF).
class op_ref {
 public:
  explicit op_ref(net_fd* f) noexcept;
  ~op_ref();
  op_ref(const op_ref&) = delete;
  op_ref& operator=(const op_ref&) = delete;
  bool ok() const noexcept { return f_ != nullptr; }

 private:
  net_fd* f_;
};

// Errors as errno values (0 = success). A wait or prepare that failed: the descriptor closed during
// the call, or a deadline passed.
int status_error(netpoll::status st);

// The I/O loops: try the call, park in the netpoller on EAGAIN, retry. pc: the user's call site
// for the race detector. read_fd returns bytes read (0 = end of stream); write_fd writes all n
// bytes and returns how many were written before an error.
std::size_t read_fd(net_fd* f, void* p, std::size_t n, int& err, std::uintptr_t pc);
std::size_t write_fd(net_fd* f, const void* p, std::size_t n, int& err, std::uintptr_t pc);
// Accepts a connection from a listening record.
net_fd* accept_fd(net_fd* f, int& err);
// Sets the read and/or write deadline. Returns 0 or EBADF.
int set_deadline_fd(net_fd* f, deadline t, bool read, bool write);
// A steady_clock time point as a netpoll deadline: the default value and the far future mean none.
std::int64_t deadline_ns(deadline t);

}  // namespace goro::net::detail
