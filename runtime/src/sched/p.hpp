// P: a processor, the right to run Go code. GOMAXPROCS of them exist; an M must hold one to run
// goroutines. Everything a P owns is touched without locks by its holder: the local run queue (also
// stolen from), the free-G cache and the stack cache.
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/run_queue.hpp"
#include "stack/stack.hpp"
#include "time/timer.hpp"

namespace goro::sched {

struct G;
struct M;

enum class p_status : std::uint8_t { idle, running, dead };

struct P {
  int id = 0;
  p_status status = p_status::idle;  // guarded by sched.lock when idle/dead transitions happen
  M* m = nullptr;                    // holder
  P* idle_link = nullptr;            // sched.idle_ps list
  std::uint32_t schedtick = 0;       // goroutines started here: every 61st checks the global queue first

  run_queue runq;
  timers::timer_heap timers;

  // Dead Gs kept for reuse.
  G* free_gs = nullptr;
  std::uint32_t free_g_count = 0;

  // Default-size stacks of finished goroutines, for the next goroutine that starts here. Stacks are
  // taken when a goroutine first runs, not when it is created, so a burst of `go` statements followed
  // by short goroutines cycles through a few warm stacks instead of touching a million fresh ones.
  static constexpr std::uint32_t kStackCacheSize = 32;
  stack::stack stack_cache[kStackCacheSize];
  std::uint32_t stack_cache_count = 0;

  // Fast-path source of goroutine ids: a batch claimed from the global counter.
  std::int64_t goid_next = 0;
  std::int64_t goid_end = 0;
};

}  // namespace goro::sched
