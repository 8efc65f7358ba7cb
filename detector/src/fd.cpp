// File descriptors as happens-before edges, as ThreadSanitizer models them: what a thread wrote to
// a pipe, socket or eventfd before a write happens before the read that returns data, and what it
// did before registering a descriptor with epoll_ctl happens before an epoll_wait on that epoll
// instance returns. Programs that hand work over a pipe (or, with goroutines, over blocking()
// socket calls) get no false reports.
//
// Each descriptor has a sync address: by default its own slot in fd_sync (eventfds, epoll
// instances, files). The two ends of a pipe share the read end's slot; every socket shares one
// address, since its peer may be any other socket of the process. A write, send or epoll_ctl
// merges the caller's clock into that address (several writers accumulate); a read, receive or
// epoll_wait that returns something acquires it. The model only ever adds edges to a descriptor
// that was written: a descriptor number reused after close may inherit its predecessor's clock, and
// sharing one address among all sockets orders unrelated connections — edges the program does not
// have, which can hide a race but never invent one. Descriptors past kTrackedFds share one address.
//
// The transfers are also the program's memory accesses (libc_call.hpp): a write or send reads its
// buffers, a read or receive writes the part it filled.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#include "interpose.hpp"
#include "libc_call.hpp"

namespace goro::race {
namespace {

constexpr int kTrackedFds = 1 << 16;

// One 8-byte slot per descriptor: its default sync address (the slots themselves hold nothing).
std::uint64_t fd_sync[kTrackedFds];
std::uint64_t overflow_sync;
std::uint64_t socket_sync;
// The address a descriptor uses when it is not its own slot (a pipe's write end, a socket);
// nullptr means its own. relaxed: the program orders a descriptor's creation before its use.
std::atomic<const void*> fd_alias[kTrackedFds];

const void* sync_of(int fd) {
  if (fd < 0) return nullptr;
  if (fd >= kTrackedFds) return &overflow_sync;
  const void* alias = fd_alias[fd].load(std::memory_order_relaxed);  // relaxed: see fd_alias
  return alias != nullptr ? alias : &fd_sync[fd];
}

void set_alias(int fd, const void* addr) {
  // relaxed: see fd_alias.
  if (fd >= 0 && fd < kTrackedFds) fd_alias[fd].store(addr, std::memory_order_relaxed);
}

// The program's memory a transfer reads (a write) or writes (a read): one buffer or an iovec array.
struct buffers {
  const void* p = nullptr;
  std::size_t n = 0;
  const iovec* iov = nullptr;
  std::size_t count = 0;
};

buffers one(const void* p, std::size_t n) { return {p, n, nullptr, 0}; }
buffers vec(const iovec* iov, std::size_t count) { return {nullptr, 0, iov, count}; }
buffers msg(const msghdr* m) { return m != nullptr ? vec(m->msg_iov, m->msg_iovlen) : buffers{}; }

// Checks the first `limit` bytes of b, the part the transfer moved.
void check(const libc_call& call, const buffers& b, std::size_t limit, bool read) {
  if (!call.active()) return;
  if (b.iov == nullptr) {
    call.range(b.p, b.n < limit ? b.n : limit, read);
    return;
  }
  for (std::size_t i = 0; i < b.count && limit > 0; ++i) {
    const std::size_t n = b.iov[i].iov_len < limit ? b.iov[i].iov_len : limit;
    call.range(b.iov[i].iov_base, n, read);
    limit -= n;
  }
}

// The buffers are checked as read, a release goes into fd's address, then real(fd, args...). The
// release before the write, not after: the reader may return as soon as the data lands. (A failed
// write then releases for nothing, an edge that can only hide a race.)
template <class F, class... Args>
auto write_to(const void* fn, std::uintptr_t caller, const buffers& b, F real, int fd,
              Args... args) {
  const libc_call call(fn, caller);
  check(call, b, SIZE_MAX, true);
  if (fd >= 0) release_merge_if(sync_of(fd));
  return real(fd, args...);
}

// real(fd, args...), then the part of the buffers it filled is checked as written and, if it
// returned something, fd's address is acquired.
template <class F, class... Args>
auto read_from(const void* fn, std::uintptr_t caller, const buffers& b, F real, int fd,
               Args... args) {
  const libc_call call(fn, caller);
  const auto rc = real(fd, args...);
  if (rc > 0) check(call, b, static_cast<std::size_t>(rc), false);
  if (rc >= 0 && fd >= 0) acquire_if(sync_of(fd));
  return rc;
}

GORO_REAL(write)
GORO_REAL(pwrite)
GORO_REAL(writev)
GORO_REAL(send)
GORO_REAL(sendto)
GORO_REAL(sendmsg)
GORO_REAL(read)
GORO_REAL(pread)
GORO_REAL(readv)
GORO_REAL(recv)
GORO_REAL(recvfrom)
GORO_REAL(recvmsg)
GORO_REAL(eventfd_read)
GORO_REAL(eventfd_write)
GORO_REAL(pipe)
GORO_REAL(pipe2)
GORO_REAL(socket)
GORO_REAL(socketpair)
GORO_REAL(accept)
GORO_REAL(accept4)
GORO_REAL(close)
GORO_REAL(epoll_ctl)
GORO_REAL(epoll_wait)
GORO_REAL(epoll_pwait)

}  // namespace
}  // namespace goro::race

using namespace goro::race;

extern "C" {

// ---- creating descriptors: which sync address they use

int pipe(int fds[2]) {
  const int rc = real_pipe()(fds);
  if (rc == 0) set_alias(fds[1], sync_of(fds[0]));
  return rc;
}

int pipe2(int fds[2], int flags) {
  const int rc = real_pipe2()(fds, flags);
  if (rc == 0) set_alias(fds[1], sync_of(fds[0]));
  return rc;
}

int socket(int domain, int type, int protocol) {
  const int fd = real_socket()(domain, type, protocol);
  set_alias(fd, &socket_sync);
  return fd;
}

int socketpair(int domain, int type, int protocol, int fds[2]) {
  const int rc = real_socketpair()(domain, type, protocol, fds);
  if (rc == 0) {
    set_alias(fds[0], &socket_sync);
    set_alias(fds[1], &socket_sync);
  }
  return rc;
}

int accept(int fd, sockaddr* addr, socklen_t* len) {
  const int conn = real_accept()(fd, addr, len);
  set_alias(conn, &socket_sync);
  return conn;
}

int accept4(int fd, sockaddr* addr, socklen_t* len, int flags) {
  const int conn = real_accept4()(fd, addr, len, flags);
  set_alias(conn, &socket_sync);
  return conn;
}

int close(int fd) {
  set_alias(fd, nullptr);
  return real_close()(fd);
}

// ---- writing: a release into the descriptor's address

ssize_t write(int fd, const void* buf, size_t n) {
  return write_to(GORO_LIBC_HERE(write), one(buf, n), real_write(), fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t offset) {
  return write_to(GORO_LIBC_HERE(pwrite), one(buf, n), real_pwrite(), fd, buf, n, offset);
}

ssize_t writev(int fd, const iovec* iov, int count) {
  return write_to(GORO_LIBC_HERE(writev), vec(iov, count > 0 ? count : 0), real_writev(), fd, iov,
                  count);
}

ssize_t send(int fd, const void* buf, size_t n, int flags) {
  return write_to(GORO_LIBC_HERE(send), one(buf, n), real_send(), fd, buf, n, flags);
}

ssize_t sendto(int fd, const void* buf, size_t n, int flags, const sockaddr* to, socklen_t len) {
  return write_to(GORO_LIBC_HERE(sendto), one(buf, n), real_sendto(), fd, buf, n, flags, to, len);
}

ssize_t sendmsg(int fd, const msghdr* m, int flags) {
  return write_to(GORO_LIBC_HERE(sendmsg), ::goro::race::msg(m), real_sendmsg(), fd, m, flags);
}

int eventfd_write(int fd, eventfd_t value) {
  return write_to(GORO_LIBC_HERE(eventfd_write), buffers{}, real_eventfd_write(), fd, value);
}

// ---- reading: an acquire of the descriptor's address

ssize_t read(int fd, void* buf, size_t n) {
  return read_from(GORO_LIBC_HERE(read), one(buf, n), real_read(), fd, buf, n);
}

ssize_t pread(int fd, void* buf, size_t n, off_t offset) {
  return read_from(GORO_LIBC_HERE(pread), one(buf, n), real_pread(), fd, buf, n, offset);
}

ssize_t readv(int fd, const iovec* iov, int count) {
  return read_from(GORO_LIBC_HERE(readv), vec(iov, count > 0 ? count : 0), real_readv(), fd, iov,
                   count);
}

ssize_t recv(int fd, void* buf, size_t n, int flags) {
  return read_from(GORO_LIBC_HERE(recv), one(buf, n), real_recv(), fd, buf, n, flags);
}

ssize_t recvfrom(int fd, void* buf, size_t n, int flags, sockaddr* from, socklen_t* len) {
  return read_from(GORO_LIBC_HERE(recvfrom), one(buf, n), real_recvfrom(), fd, buf, n, flags, from,
                   len);
}

ssize_t recvmsg(int fd, msghdr* m, int flags) {
  return read_from(GORO_LIBC_HERE(recvmsg), ::goro::race::msg(m), real_recvmsg(), fd, m, flags);
}

int eventfd_read(int fd, eventfd_t* value) {
  return read_from(GORO_LIBC_HERE(eventfd_read), one(value, sizeof *value), real_eventfd_read(), fd,
                   value);
}

// ---- epoll: registering releases into the epoll instance, a wait that reports events acquires

int epoll_ctl(int epfd, int op, int fd, epoll_event* event) {
  if (op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) release_merge_if(sync_of(epfd));
  return real_epoll_ctl()(epfd, op, fd, event);
}

int epoll_wait(int epfd, epoll_event* events, int max, int timeout) {
  const int rc = real_epoll_wait()(epfd, events, max, timeout);
  if (rc > 0) acquire_if(sync_of(epfd));
  return rc;
}

int epoll_pwait(int epfd, epoll_event* events, int max, int timeout, const sigset_t* mask) {
  const int rc = real_epoll_pwait()(epfd, events, max, timeout, mask);
  if (rc > 0) acquire_if(sync_of(epfd));
  return rc;
}

}  // extern "C"
