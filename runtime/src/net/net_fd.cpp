// net_fd: reference counting, close, and the read / write / accept loops over the netpoller.
#include "net/net_fd.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "net/address.hpp"
#include "race/hooks.hpp"
#include "sched/sched.hpp"
#include "sync/mutex.hpp"
#include "sync/sema.hpp"

namespace goro::net::detail {
namespace {

constexpr std::uint32_t kClosed = 1;
constexpr std::uint32_t kRef = 2;

// acquire: pairs with the release half of close_fd's CAS (only the flag is used).
bool closed(const net_fd* f) { return (f->state.load(std::memory_order_acquire) & kClosed) != 0; }

// What every read, write and accept does first: hold a reference, take the direction's goro Mutex
// (concurrent calls in one direction take turns), and check that the descriptor was not closed
// while the call queued: error() is 0 or why the call fails at once. prepare() then checks the
// deadline (as Go, after an empty read has returned).
class directed_call {
 public:
  directed_call(net_fd* f, netpoll::mode m) : ref_(f), f_(f), mode_(m) {
    if (!ref_.ok()) {
      error_ = EBADF;
      return;
    }
    const bool read = m == netpoll::mode::read;
    state_ = read ? &f->read_lock : &f->write_lock;
    sema_ = read ? &f->read_sema : &f->write_sema;
    // No holder is recorded: a conn's turn-taking is no lock of the program's (lock_wait.hpp).
    sync::mutex_lock(*state_, sema_, sched::wait_reason::io_wait,
                     {nullptr, sync::lock_wait_kind::none});
    if (closed(f)) error_ = ECANCELED;
  }
  ~directed_call() {
    if (state_ != nullptr) sync::mutex_unlock(*state_, sema_);
  }
  directed_call(const directed_call&) = delete;
  directed_call& operator=(const directed_call&) = delete;
  int error() const { return error_; }
  int prepare() const { return status_error(netpoll::prepare(f_->pd, mode_)); }

 private:
  op_ref ref_;
  net_fd* f_;
  netpoll::mode mode_;
  std::atomic<std::int32_t>* state_ = nullptr;
  std::uint32_t* sema_ = nullptr;
  int error_ = 0;
};

}  // namespace

op_ref::op_ref(net_fd* f) noexcept : f_(nullptr) {
  if (f == nullptr) return;
  // relaxed: a first guess for the CAS. acquire on the CAS is more than needed: a reference only
  // needs the CAS's atomicity against close_fd (the record was published when f was handed out).
  std::uint32_t s = f->state.load(std::memory_order_relaxed);
  do {
    if ((s & kClosed) != 0) return;
  } while (!f->state.compare_exchange_weak(s, s + kRef, std::memory_order_acquire));
  f_ = f;
}

op_ref::~op_ref() {
  if (f_ == nullptr) return;
  // The last call out after close lets the closer go on. acq_rel: release orders this call's use
  // of the descriptor before the closer's ::close; acquire takes in the earlier calls' releases,
  // which the last one passes on through close_sema.
  if (f_->state.fetch_sub(kRef, std::memory_order_acq_rel) == kClosed + kRef) {
    sync::semrelease(&f_->close_sema, false);
  }
}

net_fd* make_fd(int fd, bool is_unix, const char* network) {
  netpoll::poll_desc* pd = netpoll::open(fd);
  if (pd == nullptr) {
    const int err = errno;
    ::close(fd);
    errno = err;
    return nullptr;
  }
  auto* f = new net_fd;
  f->fd = fd;
  f->pd = pd;
  f->is_unix = is_unix;
  f->network = network;
  return f;
}

bool is_open_fd(const net_fd* f) { return f != nullptr && !closed(f); }

int close_fd(net_fd* f) {
  if (f == nullptr) return EBADF;
  // relaxed: a first guess for the CAS. acq_rel on the CAS: acquire, so with no call in progress
  // the earlier calls' decrements come before our close; release, for closed()'s acquire.
  std::uint32_t s = f->state.load(std::memory_order_relaxed);
  do {
    if ((s & kClosed) != 0) return EBADF;
  } while (!f->state.compare_exchange_weak(s, s | kClosed, std::memory_order_acq_rel));
  netpoll::evict(f->pd);
  if (s != 0) {
    // Calls in progress: they fail promptly now (evicted), and the last one out releases us.
    if (sched::current_g() != nullptr) {
      sync::semacquire(&f->close_sema, false, sched::wait_reason::io_wait);
    } else {
      // acquire: pairs with the last ~op_ref's release decrement.
      while (f->state.load(std::memory_order_acquire) != kClosed) sched_yield();
    }
  }
  netpoll::close(f->pd);
  f->pd = nullptr;
  ::close(f->fd);
  f->fd = -1;
  if (!f->unlink_path.empty()) ::unlink(f->unlink_path.c_str());
  return 0;
}

void destroy_fd(net_fd* f) {
  if (f == nullptr) return;
  close_fd(f);
  delete f;
}

int status_error(netpoll::status st) {
  switch (st) {
    case netpoll::status::ok:
      return 0;
    case netpoll::status::closing:
      return ECANCELED;
    case netpoll::status::timeout:
      return ETIMEDOUT;
  }
  return EIO;
}

namespace {

// read() and send() of the user's buffer, which the race build's interposers check as accesses of
// the user's call site pc. Only around the call itself: the site is the thread's, and the goroutine
// may park (and move to another thread) between two calls.
ssize_t read_as(std::uintptr_t pc, int fd, void* p, std::size_t n) {
  const race::libc_call_site site(pc);
  return ::read(fd, p, n);
}

// MSG_NOSIGNAL: a peer that has gone makes this fail with EPIPE instead of killing the process.
ssize_t send_as(std::uintptr_t pc, int fd, const void* p, std::size_t n) {
  const race::libc_call_site site(pc);
  return ::send(fd, p, n, MSG_NOSIGNAL);
}

}  // namespace

std::size_t read_fd(net_fd* f, void* p, std::size_t n, int& err, std::uintptr_t pc) {
  directed_call call(f, netpoll::mode::read);
  if ((err = call.error()) != 0 || n == 0 || (err = call.prepare()) != 0) return 0;
  for (;;) {
    const ssize_t r = read_as(pc, f->fd, p, n);
    if (r >= 0) return static_cast<std::size_t>(r);
    if (errno == EINTR) continue;
    if (errno != EAGAIN) {
      err = errno;
      return 0;
    }
    if ((err = status_error(netpoll::wait(f->pd, netpoll::mode::read))) != 0) return 0;
  }
}

std::size_t write_fd(net_fd* f, const void* p, std::size_t n, int& err, std::uintptr_t pc) {
  directed_call call(f, netpoll::mode::write);
  if ((err = call.error()) != 0) return 0;
  if ((err = call.prepare()) != 0) return 0;
  const auto* bytes = static_cast<const char*>(p);
  std::size_t done = 0;
  while (done < n) {
    const ssize_t r = send_as(pc, f->fd, bytes + done, n - done);
    if (r >= 0) {
      done += static_cast<std::size_t>(r);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) {
      err = errno;
      return done;
    }
    if ((err = status_error(netpoll::wait(f->pd, netpoll::mode::write))) != 0) return done;
  }
  return done;
}

net_fd* accept_fd(net_fd* f, int& err) {
  directed_call call(f, netpoll::mode::read);
  if ((err = call.error()) != 0 || (err = call.prepare()) != 0) return nullptr;
  for (;;) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int c =
        ::accept4(f->fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c >= 0) {
      if (!f->is_unix) {
        int one = 1;
        ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // Go's default
      }
      net_fd* conn = make_fd(c, f->is_unix, f->network);
      if (conn == nullptr) {
        err = errno;
        return nullptr;
      }
      conn->remote = format_address(reinterpret_cast<sockaddr*>(&peer), len);
      conn->local = local_address(c);
      return conn;
    }
    // A connection that was reset before we took it: Go takes the next one.
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno != EAGAIN) {
      err = errno;
      return nullptr;
    }
    if ((err = status_error(netpoll::wait(f->pd, netpoll::mode::read))) != 0) return nullptr;
  }
}

int set_deadline_fd(net_fd* f, deadline t, bool read, bool write) {
  op_ref ref(f);
  if (!ref.ok()) return EBADF;
  netpoll::set_deadline(f->pd, deadline_ns(t), read, write);
  return 0;
}

std::int64_t deadline_ns(deadline t) {
  if (t == deadline{} || t == deadline::max()) return 0;
  const std::int64_t ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  return ns <= 0 ? -1 : ns;
}

}  // namespace goro::net::detail
