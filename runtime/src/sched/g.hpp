// G: one goroutine. Small on purpose (a million of them may be parked at once, each G sharing the
// top page of its stack with the goroutine's first frames): identity, the saved context and stack,
// what it waits for, and the bits a dump needs (creation site, park site).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "sched/context.hpp"
#include "sched/wait_reason.hpp"
#include "stack/stack.hpp"

namespace goro::synctest {
struct bubble;
}

namespace goro::sched {

struct M;

enum class g_status : std::uint8_t {
  idle,      // allocated, not yet started or reused
  runnable,  // on a run queue (or about to be)
  running,   // executing on an M
  waiting,   // parked: only ready() brings it back
  syscall,   // inside blocking(): owns its M, not a P
  dead,      // finished; on a free list for reuse
};

// libstdc++'s per-thread exception state (__cxa_eh_globals). A goroutine that parks inside a catch
// block and resumes on another thread must carry it along, so it is swapped at every switch.
struct eh_globals {
  void* caught_exceptions;
  unsigned int uncaught_exceptions;
};

using task_fn = void (*)(void*);

struct G {
  fcontext saved_context = nullptr;  // valid while not running
  // The stack it runs on: its home, one taken when it first ran, or one of the size go_with_stack
  // asked for. Empty until the first run for a G without a home.
  stack::stack stack;
  // Most Gs live at the top of a default-size stack slot, just above the stack they keep for good
  // (goroutine.cpp, new_g): that stack is the G's home. Empty for a G not at home (one from a G
  // chunk, or main's).
  stack::stack home;
  std::size_t stack_request = 0;  // go_with_stack size, 0 = default

  task_fn fn = nullptr;
  void* arg = nullptr;  // the closure: in closure_storage when it fits, else on the heap

  // The go statement's closure lives here when it fits (most lambdas capture a few words): spawning
  // then allocates nothing. Sized by goro::detail::kInlineClosureBytes.
  alignas(16) unsigned char closure_storage[64];

  std::int64_t goid = 0;
  std::int64_t parent_goid = 0;
  std::uintptr_t create_pc = 0;  // return address of the go statement

  std::atomic<g_status> status{g_status::idle};
  wait_reason reason = wait_reason::none;
  bool is_main = false;
  // synctest (synctest/bubble.hpp), both meaningful only when `bubble` is set: counted as durably
  // blocked (under the bubble's lock), and, set by a channel operation about to park, "one of my
  // channels is from outside the bubble" (the wait is then not durable). Fill padding.
  bool bubble_blocked = false;
  bool waits_outside_bubble = false;
  // pthread locks it holds (std::mutex and the like): no safe point switches it out meanwhile
  // (sched/user_locks.hpp). Fills padding.
  std::uint16_t user_locks = 0;
  // Seeded PCT schedules (seeded.cpp): 0 until first scheduled there, then its priority. Fills
  // padding, so a G stays the same size.
  std::uint32_t sched_priority = 0;

  // GORODEBUG=trace: the timestamp of its latest trace event (trace/hooks.hpp). Written by the
  // thread recording the event, before the goroutine can reach another thread.
  std::uint64_t trace_stamp = 0;

  // Where park() was called from: the dump walks the frame-pointer chain from here.
  std::uintptr_t park_pc = 0;
  std::uintptr_t park_fp = 0;

  G* schedlink = nullptr;  // intrusive link: global run queue, free lists, wait queues
  M* m = nullptr;          // the M running it, while running or in a syscall

  int saved_errno = 0;
  eh_globals saved_eh{nullptr, 0};

  // Partial deadlock detection (sync/lock_wait.cpp): the lock this goroutine waits for inside a
  // lock's slow path, its place among the goroutines doing so, and the RWMutexes it holds for
  // reading (the first kReadHeld of them). All guarded by the wait-graph lock while lock_wanted is
  // set; read_held is otherwise the goroutine's own.
  static constexpr int kReadHeld = 3;
  const void* lock_wanted = nullptr;
  G* lock_waiters_prev = nullptr;
  G* lock_waiters_next = nullptr;
  const void* read_held[kReadHeld] = {};
  std::uint8_t read_held_count = 0;
  std::uint8_t lock_wanted_kind = 0;  // a sync::lock_wait_kind
  std::uint32_t lock_walk_mark = 0;
  std::uint32_t lock_wait_seq = 0;  // bumped at each registration: "still the same wait?"
  // Bumped when the goroutine ends, so that a lock it left locked (Go lets another goroutine unlock
  // it) is not taken for one held by the next goroutine to reuse this G (holder_token below).
  // relaxed: read under the wait-graph lock, where a stale value only hides a holder.
  std::atomic<std::uint16_t> incarnation{0};

  // The channel of the single send or receive it is parked in (chan.cpp), for the leak check.
  const void* blocked_chan = nullptr;

  synctest::bubble* bubble = nullptr;  // the synctest bubble it belongs to, or nullptr

  void* param = nullptr;       // set by whoever readies it (e.g. which select case fired)
  void* race_state = nullptr;  // detector's per-goroutine context (race build)
#if defined(GORO_SANITIZE_THREAD)
  void* tsan_fiber = nullptr;  // from its first run to its exit
#endif
};

// The room a G takes where Gs are laid out side by side (the top of a stack slot, a G chunk): whole
// cache lines, so that two Ms switching two Gs never share one.
inline constexpr std::size_t kGRecordBytes = (sizeof(G) + 63) & ~std::size_t{63};

// What a lock records as its holder (goro::Mutex::owner_, RWMutex::writer_owner_, and
// __goro_current_g, which the scheduler sets to it): g's address, with its incarnation in the top
// 16 bits, which user-space addresses on x86-64 leave free.
inline void* holder_token(const G* g) {
  const auto incarnation = g->incarnation.load(std::memory_order_relaxed);
  return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(g) |
                                 (std::uintptr_t{incarnation} << 48));
}

// The G a holder token was made from, whatever it runs now.
inline G* g_of_token(const void* token) {
  return reinterpret_cast<G*>(reinterpret_cast<std::uintptr_t>(token) &
                              ((std::uintptr_t{1} << 48) - 1));
}

// The goroutine a holder token names, or nullptr if it has ended since (its G may run another).
inline G* holder_of_token(const void* token) {
  const auto bits = reinterpret_cast<std::uintptr_t>(token);
  G* g = g_of_token(token);
  if (g == nullptr || (bits >> 48) != g->incarnation.load(std::memory_order_relaxed))
    return nullptr;
  return g;
}

// Asks the CPU to fetch g's lines ahead: the goroutine a queue will hand out next. A goroutine that
// waited long behind others (a tree of them spawning and waiting: skynet) has a cold G, and the
// scheduler's first load from it, the queue's link or the status, stalled the switch to it (the
// global queue's pop was 3.1% of skynet's race-build time under perf's software clock, nearly all
// of it that one load). skynet 1M at GOMAXPROCS=1, median of 10 alternating runs: 416 -> 365 ms,
// race build 2272 -> 2179 ms; at 2, race 1632 -> 1600. spawn unchanged; yield, pingpong and
// buffered within 0.6% in instructions.
inline void prefetch_g(const G* g) {
  for (std::size_t off = 0; off < sizeof(G); off += 64)
    __builtin_prefetch(reinterpret_cast<const char*>(g) + off);
}

// A FIFO of goroutines linked through schedlink: the global run queue, and the goroutines a
// network poll made ready.
struct g_queue {
  G* head = nullptr;
  G* tail = nullptr;
  std::int64_t size = 0;
  void push_back(G* g);
  void push_back_batch(G* first, G* last, std::int64_t n);
  G* pop_front();
};

}  // namespace goro::sched
