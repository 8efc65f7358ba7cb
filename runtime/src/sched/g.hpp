// G: one goroutine. Small on purpose (a million of them may be parked at once): identity, the saved
// context and stack, what it waits for, and the bits a dump needs (creation site, park site).
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/context.hpp"
#include "sched/wait_reason.hpp"
#include "stack/stack.hpp"

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
  stack::stack stack;                // empty until the first run
  std::size_t stack_request = 0;     // go_with_stack size, 0 = default

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

  // The channel of the single send or receive it is parked in (chan.cpp), for the leak check.
  const void* blocked_chan = nullptr;

  void* param = nullptr;       // set by whoever readies it (e.g. which select case fired)
  void* race_state = nullptr;  // detector's per-goroutine context (race build)
#if defined(GORO_SANITIZE_THREAD)
  void* tsan_fiber = nullptr;  // from its first run to its exit
#endif
};

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
