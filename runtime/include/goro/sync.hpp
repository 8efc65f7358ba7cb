// Synchronization primitives for goroutines: Mutex, RWMutex, WaitGroup, Once and Cond, with the
// semantics of Go's sync package. A goroutine that has to wait is parked, never its thread: the
// thread runs other goroutines meanwhile.
//
// None of them can be copied or moved (Go's vet forbids copying locks for the same reason: a copy
// would split one lock into two). All may be used as globals: they are constant-initialised and
// need no destructor. Locking functions called outside goro::run() work while they need not wait;
// waiting there is a fatal error ("goroutine operation outside goro::run").
//
// Misuse is reported as Go does. Fatal, cannot be caught, exit status 2:
//   fatal error: sync: unlock of unlocked mutex
//   fatal error: sync: Unlock of unlocked RWMutex
//   fatal error: sync: RUnlock of unlocked RWMutex
// A panic, thrown as goro::panic_error: "sync: negative WaitGroup counter".
//
// Example:
//   goro::Mutex mu;
//   std::map<std::string, int> hits;
//   goro::WaitGroup wg;
//   for (auto& page : pages) {
//     wg.add(1);
//     goro::go([&, page] {
//       std::lock_guard lock(mu);
//       ++hits[page];
//       wg.done();
//     });
//   }
//   wg.wait();
#pragma once

#include <atomic>
#include <cstdint>

#include "goro/config.hpp"

// In the race build (goro c++ -race defines GORO_RACE=1) every operation goes out of line, where
// the runtime tells the detector about the happens-before edge; otherwise the uncontended lock and
// unlock are a single inlined atomic instruction each.
#if defined(GORO_RACE) && GORO_RACE
#define GORO_SYNC_INLINE_FAST_PATH 0
#else
#define GORO_SYNC_INLINE_FAST_PATH 1
#endif

// Names the goroutine running on the calling thread (nullptr on a thread that is not running one),
// kept by the scheduler at every switch. A Mutex records its holder with it so that the runtime can
// see a wait-for cycle among goroutines (partial deadlock detection). Initial-exec TLS: each read
// is a fresh %fs-relative load, so a goroutine that moved to another thread reads the new thread's
// value.
extern "C" __attribute__((tls_model("initial-exec"))) __thread void* __goro_current_g;

namespace goro {

// A mutual exclusion lock (Go's sync.Mutex), for std::lock_guard, std::unique_lock and
// std::scoped_lock. Unlike std::mutex it is not owned by a goroutine: one goroutine may lock it and
// another unlock it. A lock contended briefly is spun on (on a multicore machine, while other
// goroutines run); otherwise the goroutine parks. A goroutine that has waited more than 1 ms puts
// the Mutex into starvation mode, where the lock is handed to waiters in FIFO order.
//
// Example:
//   goro::Mutex mu;
//   int balance = 0;
//   void deposit(int n) {
//     std::lock_guard lock(mu);
//     balance += n;
//   }
class Mutex {
 public:
  constexpr Mutex() noexcept = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // Waits until the lock is free and takes it. Locking twice from one goroutine deadlocks.
  GORO_NOINSTR void lock() {
#if GORO_SYNC_INLINE_FAST_PATH
    std::int32_t seen = 0;
    // acquire: the previous holder's critical section happens-before ours. relaxed on failure:
    // `seen` is only where the slow path starts (saves it reloading a contended cache line).
    if (state_.compare_exchange_strong(seen, kLocked, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
      // relaxed (both): the holder is read only by a goroutine that waits for this lock, which
      // synchronises with us through the lock word, or under the runtime's wait-graph lock.
      owner_.store(__atomic_load_n(&__goro_current_g, __ATOMIC_RELAXED), std::memory_order_relaxed);
      return;
    }
    lock_slow(seen);
#else
    lock_slow(state_.load(std::memory_order_relaxed));  // relaxed: a first guess for a CAS
#endif
  }

  // Takes the lock if it is free, without waiting. Rarely the right tool (as in Go).
  bool try_lock() noexcept;

  // Releases the lock. Unlocking a Mutex that is not locked is a fatal error.
  GORO_NOINSTR void unlock() {
#if GORO_SYNC_INLINE_FAST_PATH
    // relaxed: published by the release below, which the next holder or waiter acquires.
    owner_.store(nullptr, std::memory_order_relaxed);
    // release: our critical section happens-before the next holder's.
    const std::int32_t now = state_.fetch_sub(kLocked, std::memory_order_release) - kLocked;
    if (now != 0) unlock_slow(now);  // waiters to wake, or not locked at all
#else
    unlock_out_of_line();
#endif
  }

 private:
  static constexpr std::int32_t kLocked = 1;

  void lock_slow(std::int32_t seen);
  void unlock_slow(std::int32_t now);
  void unlock_out_of_line();

  friend struct sync_access;

  // Go's layout: the lock state (locked, woken and starving bits, then the number of waiters) and
  // the semaphore the waiters park on. Then the goroutine holding the lock, nullptr while it is
  // free or held by a thread that is not a goroutine (and for an instant after a lock, before the
  // holder stores itself: a waiter that reads nullptr does not know the holder, and assumes
  // nothing).
  std::atomic<std::int32_t> state_{0};
  std::uint32_t sema_ = 0;
  std::atomic<void*> owner_{nullptr};
};

// A reader/writer lock (Go's sync.RWMutex): any number of readers or one writer. It meets
// SharedLockable, so std::shared_lock takes the read lock and std::unique_lock the write lock.
// Writers are preferred: once a writer waits, new readers wait behind it, so a stream of readers
// cannot starve it (and a goroutine must not take the read lock twice: a writer arriving between
// the two would deadlock them). Any goroutine may unlock.
//
// Example:
//   goro::RWMutex mu;
//   std::unordered_map<int, std::string> cache;
//   std::string get(int k) {
//     std::shared_lock lock(mu);
//     auto it = cache.find(k);
//     return it != cache.end() ? it->second : "";
//   }
//   void put(int k, std::string v) {
//     std::lock_guard lock(mu);
//     cache[k] = std::move(v);
//   }
class RWMutex {
 public:
  constexpr RWMutex() noexcept = default;
  RWMutex(const RWMutex&) = delete;
  RWMutex& operator=(const RWMutex&) = delete;

  // The write lock: waits for the current readers and writer to leave.
  void lock();
  bool try_lock() noexcept;
  void unlock();  // fatal if not write-locked

  // The read lock: waits only while a writer holds the lock or waits for it.
  void lock_shared();
  bool try_lock_shared() noexcept;
  void unlock_shared();  // fatal if not read-locked

 private:
  // Go's layout. The writers' Mutex, split into its two words so that its waiters show as
  // "sync.RWMutex.Lock" in dumps.
  std::atomic<std::int32_t> writer_state_{0};
  std::uint32_t writer_lock_sema_ = 0;
  std::uint32_t writer_sem_ = 0;  // a writer waits here for the departing readers
  std::uint32_t reader_sem_ = 0;  // readers wait here for the writer
  // Readers inside or waiting; minus 2^30 while a writer holds or waits for the lock.
  std::atomic<std::int32_t> reader_count_{0};
  // Readers a waiting writer still waits for.
  std::atomic<std::int32_t> reader_wait_{0};
  // Set once a read lock was released by a goroutine that had not recorded taking it (another
  // goroutine's, or one of too many held at once): from then on the runtime no longer trusts its
  // record of who reads this lock (partial deadlock detection). Guarded by the wait-graph lock.
  bool readers_unknown_ = false;
  // The writer holding the lock or waiting for the readers to leave (as Mutex::owner_).
  std::atomic<void*> writer_owner_{nullptr};

  friend struct sync_access;
};

// Waits for a collection of goroutines to finish (Go's sync.WaitGroup). add(n) before starting
// work, done() when a piece finishes, wait() until the counter is back at zero. A counter below
// zero is a panic ("sync: negative WaitGroup counter"). It may be reused once wait() returned; an
// add() that raises the counter from zero must happen before the wait() it is meant for.
//
// Example:
//   goro::WaitGroup wg;
//   for (int i = 0; i < 10; ++i) {
//     wg.add(1);
//     goro::go([&wg, i] { work(i); wg.done(); });
//   }
//   wg.wait();
class WaitGroup {
 public:
  constexpr WaitGroup() noexcept = default;
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  void add(int delta);
  void done() { add(-1); }
  void wait();

 private:
  // Go's layout: the counter in the high 32 bits, the number of waiters in the low 32 bits.
  std::atomic<std::uint64_t> state_{0};
  std::uint32_t sema_ = 0;
};

// Runs a function exactly once (Go's sync.Once), however many goroutines call call(f) at once; the
// others wait until it has returned, and everything it did happens-before their call(f) returns.
// If f throws, the exception propagates and the Once counts as done anyway, as in Go. Calling
// call() on the same Once from inside f blocks forever.
//
// Example:
//   goro::Once once;
//   Config* config;
//   Config& get_config() {
//     once.call([] { config = load_config(); });
//     return *config;
//   }
class Once {
 public:
  constexpr Once() noexcept = default;
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  template <class F>
  void call(F&& f) {
    if (done()) return;
    auto thunk = [&f] { f(); };  // one object type for lambdas, functions and function pointers
    call_slow([](void* p) { (*static_cast<decltype(thunk)*>(p))(); }, &thunk);
  }

 private:
  GORO_NOINSTR bool done() const {
#if GORO_SYNC_INLINE_FAST_PATH
    // acquire: pairs with the release store after f returned, so f's effects are visible.
    return done_.load(std::memory_order_acquire) != 0;
#else
    return done_out_of_line();
#endif
  }
  bool done_out_of_line() const;
  void call_slow(void (*invoke)(void*), void* f);

  std::atomic<std::uint32_t> done_{0};
  Mutex m_;
};

namespace detail {

// The state of a Cond's wait list (Go's notifyList); only the runtime touches it.
struct notify_list {
  std::atomic<std::uint32_t> wait{0};    // the ticket the next waiter takes
  std::atomic<std::uint32_t> notify{0};  // the ticket the next signal wakes
  std::atomic<std::uint32_t> lock{0};
  void* head = nullptr;
  void* tail = nullptr;
};

}  // namespace detail

// A condition variable (Go's sync.Cond) bound to a Mutex, or to an RWMutex's write lock. wait()
// atomically unlocks it and parks; once woken it locks it again before returning, so check the
// condition in a loop. signal() wakes the longest-waiting goroutine, broadcast() all of them;
// neither requires holding the lock.
//
// Example:
//   goro::Mutex mu;
//   goro::Cond ready(mu);
//   std::deque<Job> jobs;
//   Job take() {
//     std::lock_guard lock(mu);
//     while (jobs.empty()) ready.wait();
//     Job j = std::move(jobs.front());
//     jobs.pop_front();
//     return j;
//   }
//   void give(Job j) {
//     { std::lock_guard lock(mu); jobs.push_back(std::move(j)); }
//     ready.signal();
//   }
class Cond {
 public:
  explicit Cond(Mutex& m) noexcept : mutex_(&m) {}
  explicit Cond(RWMutex& m) noexcept : rwmutex_(&m) {}
  Cond(const Cond&) = delete;
  Cond& operator=(const Cond&) = delete;

  // Must be called with the lock held.
  void wait();
  void signal();
  void broadcast();

 private:
  Mutex* mutex_ = nullptr;
  RWMutex* rwmutex_ = nullptr;
  detail::notify_list notify_;
};

}  // namespace goro

#undef GORO_SYNC_INLINE_FAST_PATH
