// Per-descriptor state (Go's pollDesc): a read and a write waiter slot, deadlines, the closing
// flag, and a pool that recycles the records without ever freeing them.
//
// A waiter slot is one atomic word: kNil (nobody, nothing seen), kReady (epoll reported readiness
// nobody has consumed yet), kWait (a goroutine is about to park) or the parked G itself. A waiter
// moves it nil → wait, re-checks closing and the deadline, and parks; on the scheduler stack the
// park commits wait → G, and fails (the goroutine resumes at once) if a waker replaced kWait
// meanwhile. A waker swaps in kReady (I/O readiness) or kNil (deadline, close) and readies whatever
// G it took. closing and the deadlines are stored before the waker looks at the slot, and read by
// the waiter after it set kWait, all seq_cst: either the waker sees kWait (and cancels the park) or
// the waiter sees the flag (and does not park).
//
// Records are pooled and never freed: a deadline timer that fires, or an epoll event that arrives,
// after the descriptor was closed and its record reused must still read valid memory. Both carry
// the sequence number they were made under (timer generation, the tag in the epoll data word) and
// are dropped when it no longer matches (a timer block, once allocated, stays with its record for
// the same reason). Lock order: pd.lock → timer heap lock → sched.lock.
#include "netpoll/poll_desc.hpp"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "debug/fatal.hpp"
#include "race/built_once.hpp"
#include "sched/sched.hpp"
#include "time/timer.hpp"

namespace goro::netpoll {
namespace {

constexpr std::uintptr_t kNil = 0;
constexpr std::uintptr_t kReady = 1;
constexpr std::uintptr_t kWait = 2;

// The pool: blocks of records, a free list under a lock.
struct pool {
  std::mutex lock;
  poll_desc* free = nullptr;
};

pool* new_pool() { return new pool; }

pool& the_pool() { return *built_once<new_pool>(); }

poll_desc* pool_get() {
  auto& pl = the_pool();
  std::lock_guard l(pl.lock);
  if (pl.free == nullptr) {
    constexpr int kBlock = 64;
    auto* block = new poll_desc[kBlock];
    for (int i = 0; i < kBlock; ++i) {
      block[i].link = pl.free;
      pl.free = &block[i];
    }
  }
  poll_desc* pd = pl.free;
  pl.free = pd->link;
  return pd;
}

void pool_put(poll_desc* pd) {
  auto& pl = the_pool();
  std::lock_guard l(pl.lock);
  pd->link = pl.free;
  pl.free = pd;
}

std::atomic<std::uintptr_t>& slot(poll_desc* pd, mode m) {
  return m == mode::read ? pd->rg : pd->wg;
}

// seq_cst loads: the waiter's half of the slot handshake (file comment), after kWait is set; they
// pair with the seq_cst stores of evict, set_deadline and deadline_fired.
status check(poll_desc* pd, mode m) {
  if (pd->closing.load(std::memory_order_seq_cst)) return status::closing;
  const std::int64_t d = (m == mode::read ? pd->rd : pd->wd).load(std::memory_order_seq_cst);
  if (d < 0) return status::timeout;
  return status::ok;
}

// Park's commit, on the scheduler stack: publish the G unless a waker got there first.
bool commit_wait(sched::G* g, void* arg) {
  auto* s = static_cast<std::atomic<std::uintptr_t>*>(arg);
  std::uintptr_t expected = kWait;
  // seq_cst: in the handshake's order with the wakers' swaps: either a waker took kWait first (we
  // fail, and resume) or it will find g here.
  if (!s->compare_exchange_strong(expected, reinterpret_cast<std::uintptr_t>(g),
                                  std::memory_order_seq_cst)) {
    return false;
  }
  // acq_rel: only the count matters (read by the poll and deadlock checks); nothing is published.
  sched::sched().netpoll_waiters.fetch_add(1, std::memory_order_acq_rel);
  return true;
}

// Outside a goroutine: the thread waits in poll(2) instead, honouring closing and the deadline by
// short re-checks (a foreign thread gets no wake-up from evict or the deadline timer).
status wait_thread(poll_desc* pd, mode m) {
  pollfd p{pd->fd, static_cast<short>(m == mode::read ? POLLIN : POLLOUT), 0};
  for (;;) {
    if (status st = check(pd, m); st != status::ok) return st;
    // acquire: only the value is used (to bound the poll); check() above did the ordering.
    const std::int64_t d = (m == mode::read ? pd->rd : pd->wd).load(std::memory_order_acquire);
    int timeout_ms = 50;
    if (d > 0) {
      const std::int64_t left = d - timers::now_ns();
      if (left <= 0) return status::timeout;
      timeout_ms = static_cast<int>(std::min<std::int64_t>(50, (left + 999'999) / 1'000'000));
    }
    if (::poll(&p, 1, timeout_ms) > 0) {
      // relaxed: forgets a readiness, as prepare(); no goroutine parks on this slot meanwhile.
      slot(pd, m).store(kNil, std::memory_order_relaxed);
      return status::ok;
    }
  }
}

void deadline_fired(timers::timer* t, void* arg, std::uint64_t generation, std::int64_t);

// pd.lock held. (Re)arms or disarms the timer of one direction for deadline d.
void arm_deadline(poll_desc* pd, timers::timer& t, std::int64_t d, std::uint64_t seq) {
  timers::remove(&t);
  if (d <= 0) return;
  t.when = d;
  t.generation = seq;
  t.arg = pd;
  t.fire = deadline_fired;
  timers::add(&t);
}

}  // namespace

sched::G* unblock(poll_desc* pd, mode m, bool io_ready) {
  auto& s = slot(pd, m);
  // seq_cst (load and CAS): the waker's half of the handshake, after its seq_cst store of closing
  // or a deadline (or, for readiness, after epoll reported it).
  std::uintptr_t old = s.load(std::memory_order_seq_cst);
  for (;;) {
    if (old == kReady) return nullptr;
    if (old == kNil && !io_ready) return nullptr;
    const std::uintptr_t next = io_ready ? kReady : kNil;
    if (s.compare_exchange_weak(old, next, std::memory_order_seq_cst)) break;
  }
  if (old == kNil || old == kWait)
    return nullptr;  // nobody parked (a pending park will not commit)
  sched::sched().netpoll_waiters.fetch_sub(1, std::memory_order_acq_rel);  // as in commit_wait
  return reinterpret_cast<sched::G*>(old);
}

namespace {

void wake(sched::G* g) {
  if (g != nullptr) sched::ready(g);
}

void deadline_fired(timers::timer* t, void* arg, std::uint64_t generation, std::int64_t) {
  auto* pd = static_cast<poll_desc*>(arg);
  bool read;
  {
    sched::runtime_lock_guard l(pd->lock);
    read = t == &pd->timers->read;
    // Moved, cleared or closed since this arming (the record may even serve another fd now).
    if (generation != (read ? pd->rseq : pd->wseq)) return;
    // seq_cst: stored before unblock() reads the slot (the waker's half of the handshake).
    (read ? pd->rd : pd->wd).store(-1, std::memory_order_seq_cst);
  }
  wake(unblock(pd, read ? mode::read : mode::write, false));
}

}  // namespace

poll_desc* open(int fd) {
  init();
  poll_desc* pd = pool_get();
  {
    sched::runtime_lock_guard l(pd->lock);
    pd->fd = fd;
    // relaxed: nobody waits on a record fresh from the pool; the lock orders these against a stale
    // deadline timer, and register_fd and the caller's hand-off of pd publish them.
    pd->closing.store(false, std::memory_order_relaxed);
    pd->rg.store(kNil, std::memory_order_relaxed);
    pd->wg.store(kNil, std::memory_order_relaxed);
    pd->rd.store(0, std::memory_order_relaxed);
    pd->wd.store(0, std::memory_order_relaxed);
  }
  if (!register_fd(pd)) {
    const int err = errno;
    pool_put(pd);
    errno = err;
    return nullptr;
  }
  return pd;
}

void evict(poll_desc* pd) {
  {
    sched::runtime_lock_guard l(pd->lock);
    // seq_cst: stored before unblock() reads the slots below (the waker's half of the handshake).
    pd->closing.store(true, std::memory_order_seq_cst);
    ++pd->rseq;
    ++pd->wseq;
    if (pd->timers != nullptr) {
      timers::remove(&pd->timers->read);
      timers::remove(&pd->timers->write);
    }
  }
  wake(unblock(pd, mode::read, false));
  wake(unblock(pd, mode::write, false));
}

void close(poll_desc* pd) {
  // relaxed: sanity checks. The caller evicted pd and is ordered after its last waiter, so
  // coherence alone shows their stores (acquire on the slots adds nothing needed).
  if (!pd->closing.load(std::memory_order_relaxed))
    debug::fatal_plain("netpoll: close without evict");
  const std::uintptr_t r = pd->rg.load(std::memory_order_acquire);
  const std::uintptr_t w = pd->wg.load(std::memory_order_acquire);
  if (r > kWait || w > kWait) debug::fatal_plain("netpoll: close with a goroutine still waiting");
  unregister_fd(pd);
  pool_put(pd);
}

status prepare(poll_desc* pd, mode m) {
  if (status st = check(pd, m); st != status::ok) return st;
  // relaxed: forgets a readiness seen before. A readiness reported after the I/O attempt that
  // follows must land after this store: the attempt's system call orders it in practice.
  slot(pd, m).store(kNil, std::memory_order_relaxed);
  return status::ok;
}

status wait(poll_desc* pd, mode m) {
  if (status st = check(pd, m); st != status::ok) return st;
  if (sched::current_g() == nullptr) return wait_thread(pd, m);
  auto& s = slot(pd, m);
  for (;;) {
    // seq_cst (load and CASes): the waiter's half of the handshake; kWait is set before check().
    std::uintptr_t old = s.load(std::memory_order_seq_cst);
    if (old == kReady) {
      if (s.compare_exchange_strong(old, kNil, std::memory_order_seq_cst)) return status::ok;
      continue;
    }
    if (old != kNil)
      debug::fatal_plain("netpoll: two goroutines wait on one descriptor in the same direction");
    if (s.compare_exchange_strong(old, kWait, std::memory_order_seq_cst)) break;
  }
  // After kWait is visible: a close or deadline from now on sees it and cancels the park.
  if (check(pd, m) == status::ok) sched::park(sched::wait_reason::io_wait, commit_wait, &s);
  // seq_cst: takes back whatever a waker left (kReady, kNil) or our own kWait, in the same order.
  const std::uintptr_t old = s.exchange(kNil, std::memory_order_seq_cst);
  if (old > kWait) debug::fatal_plain("netpoll: corrupted waiter slot");
  if (old == kReady) return status::ok;
  return check(pd, m);  // woken by close or deadline; or spuriously: the caller retries the call
}

void set_deadline(poll_desc* pd, std::int64_t when, bool read, bool write) {
  // A deadline already passed is stored as -1 at once (no timer), as Go does.
  const std::int64_t d = when == 0 ? 0 : (when <= timers::now_ns() ? -1 : when);
  {
    sched::runtime_lock_guard l(pd->lock);
    if (pd->closing.load(std::memory_order_relaxed)) return;  // relaxed: written under pd->lock
    if (pd->timers == nullptr) pd->timers = new deadline_timers;
    if (read) {
      ++pd->rseq;
      // seq_cst (both directions): stored before unblock() reads the slot (the waker's half).
      pd->rd.store(d, std::memory_order_seq_cst);
      arm_deadline(pd, pd->timers->read, d, pd->rseq);
    }
    if (write) {
      ++pd->wseq;
      pd->wd.store(d, std::memory_order_seq_cst);
      arm_deadline(pd, pd->timers->write, d, pd->wseq);
    }
  }
  if (d < 0) {
    if (read) wake(unblock(pd, mode::read, false));
    if (write) wake(unblock(pd, mode::write, false));
  }
}

}  // namespace goro::netpoll
