// The epoll instance: registration, the poll itself and its wake-up eventfd.
//
// The runtime talks to epoll with raw system calls, not through libc: the race build interposes
// libc's epoll functions to model a user's epoll as a happens-before edge, and the runtime's own
// registrations and polls must not create edges between unrelated goroutines.
//
// An event's data word is the record's address with the record's fdseq in the top 16 bits (user
// addresses fit in 48 bits): an event for a descriptor that was closed, and whose record now
// serves another, carries the old tag and is dropped.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#if defined(GORO_SANITIZE_THREAD)
#include <sanitizer/tsan_interface.h>
#endif

#include "debug/fatal.hpp"
#include "netpoll/poll_desc.hpp"
#include "sched/sched.hpp"

namespace goro::netpoll {
namespace {

constexpr int kMaxEvents = 128;
constexpr int kTagShift = 48;
constexpr std::uint64_t kAddressMask = (std::uint64_t{1} << kTagShift) - 1;

int epoll_fd = -1;
int wake_fd = -1;
std::atomic<bool> inited{false};
// A wake-up was written to wake_fd and not yet read back: further break_poll()s need not write.
std::atomic<std::uint32_t> wake_pending{0};
// epoll_pwait2 takes a nanosecond timeout (Linux 5.11); older kernels get epoll_wait's
// milliseconds.
std::atomic<bool> have_pwait2{true};
// The data word of wake_fd's registration (never a record's address).
constexpr std::uint64_t kWakeData = 1;

std::uint64_t data_of(poll_desc* pd) {
  // relaxed: fdseq changes only on the owner's thread (register/unregister), which calls this.
  return reinterpret_cast<std::uint64_t>(pd) |
         (static_cast<std::uint64_t>(pd->fdseq.load(std::memory_order_relaxed)) << kTagShift);
}

long ctl(int op, int fd, epoll_event* ev) { return syscall(SYS_epoll_ctl, epoll_fd, op, fd, ev); }

// The kernel carries a descriptor's record from epoll_ctl to the epoll_wait that returns it: an
// edge ThreadSanitizer cannot see through the raw system calls, so TSan builds declare it.
void record_published_to_kernel(poll_desc* pd) {
#if defined(GORO_SANITIZE_THREAD)
  __tsan_release(pd);
#else
  (void)pd;
#endif
}
void record_returned_by_kernel(poll_desc* pd) {
#if defined(GORO_SANITIZE_THREAD)
  __tsan_acquire(pd);
#else
  (void)pd;
#endif
}

int wait_events(epoll_event* events, std::int64_t delay_ns) {
  // relaxed (load and store): caches a fact about the kernel; a stale true costs one ENOSYS.
  if (have_pwait2.load(std::memory_order_relaxed)) {
    timespec ts{static_cast<time_t>(delay_ns / 1'000'000'000),
                static_cast<long>(delay_ns % 1'000'000'000)};
    long n = syscall(SYS_epoll_pwait2, epoll_fd, events, kMaxEvents, delay_ns < 0 ? nullptr : &ts,
                     nullptr, 0);
    if (n >= 0 || errno != ENOSYS) return static_cast<int>(n);
    have_pwait2.store(false, std::memory_order_relaxed);
  }
  int ms = -1;
  if (delay_ns == 0) {
    ms = 0;
  } else if (delay_ns > 0) {
    // Rounded up: waking before a timer is due would only make the caller poll again.
    ms = static_cast<int>(std::min<std::int64_t>((delay_ns + 999'999) / 1'000'000, 1'000'000'000));
  }
  return static_cast<int>(syscall(SYS_epoll_wait, epoll_fd, events, kMaxEvents, ms));
}

}  // namespace

void init() {
  // acquire: pairs with the release below, publishing epoll_fd and wake_fd.
  if (inited.load(std::memory_order_acquire)) return;
  static std::mutex once;
  std::lock_guard l(once);
  if (inited.load(std::memory_order_relaxed)) return;  // relaxed: `once` orders it
  epoll_fd = static_cast<int>(syscall(SYS_epoll_create1, EPOLL_CLOEXEC));
  if (epoll_fd < 0) debug::fatal_plain("runtime: netpoll: epoll_create1 failed");
  wake_fd = static_cast<int>(syscall(SYS_eventfd2, 0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake_fd < 0) debug::fatal_plain("runtime: netpoll: eventfd failed");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeData;
  if (ctl(EPOLL_CTL_ADD, wake_fd, &ev) != 0)
    debug::fatal_plain("runtime: netpoll: cannot register its eventfd");
  inited.store(true, std::memory_order_release);  // release: publishes epoll_fd and wake_fd
}

// acquire: pairs with init()'s release; callers go on to use epoll_fd and wake_fd.
bool initialized() { return inited.load(std::memory_order_acquire); }

// relaxed fdseq bumps (here and in unregister_fd): the tag only filters stale events, and one
// that slips past a stale read is a spurious readiness, which waiters retry past.
bool register_fd(poll_desc* pd) {
  pd->fdseq.fetch_add(1, std::memory_order_relaxed);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = data_of(pd);
  record_published_to_kernel(pd);
  return ctl(EPOLL_CTL_ADD, pd->fd, &ev) == 0;
}

void unregister_fd(poll_desc* pd) {
  epoll_event ev{};  // ignored by DEL, but kernels before 2.6.9 wanted it
  ctl(EPOLL_CTL_DEL, pd->fd, &ev);
  pd->fdseq.fetch_add(1, std::memory_order_relaxed);
}

void break_poll() {
  if (!initialized()) return;
  std::uint32_t expected = 0;
  // seq_cst: if this finds a wake-up pending, it comes before poll()'s reset in the total order,
  // so that poller, not blocked yet, computes its next timeout after our caller's timer was armed.
  if (!wake_pending.compare_exchange_strong(expected, 1, std::memory_order_seq_cst)) return;
  const std::uint64_t one = 1;
  while (syscall(SYS_write, wake_fd, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

sched::g_queue poll(std::int64_t delay_ns) {
  sched::g_queue ready;
  if (!initialized()) return ready;
  epoll_event events[kMaxEvents];
  const int n = wait_events(events, delay_ns);
  if (n < 0) {
    if (errno != EINTR) debug::fatal_plain("runtime: netpoll: epoll_wait failed");
    return ready;
  }
  for (int i = 0; i < n; ++i) {
    const epoll_event& ev = events[i];
    if (ev.data.u64 == kWakeData) {
      // Only a blocking poll consumes the wake-up: a non-blocking one (an M about to steal,
      // sysmon) may overlap with the M blocked here, and draining it would leave that M asleep
      // until its old timeout, past the earlier timer that break_poll was called for.
      if (delay_ns != 0) {
        std::uint64_t drained;
        syscall(SYS_read, wake_fd, &drained, sizeof drained);
        wake_pending.store(0, std::memory_order_seq_cst);  // seq_cst: see break_poll; after drain
      }
      continue;
    }
    auto* pd = reinterpret_cast<poll_desc*>(ev.data.u64 & kAddressMask);
    const auto tag = static_cast<std::uint16_t>(ev.data.u64 >> kTagShift);
    record_returned_by_kernel(pd);
    // relaxed: a filter only (see register_fd).
    if (tag != pd->fdseq.load(std::memory_order_relaxed)) continue;  // a closed descriptor's event
    const bool readable = (ev.events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
    const bool writable = (ev.events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
    if (readable) {
      if (sched::G* g = unblock(pd, mode::read, true)) ready.push_back(g);
    }
    if (writable) {
      if (sched::G* g = unblock(pd, mode::write, true)) ready.push_back(g);
    }
  }
  return ready;
}

}  // namespace goro::netpoll
