// P: a processor, the right to run Go code. GOMAXPROCS of them exist; an M must hold one to run
// goroutines. Everything a P owns is touched without locks by its holder: the local run queue (also
// stolen from), the free-G cache and the stack cache.
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/run_queue.hpp"
#include "stack/stack.hpp"

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

  // Dead Gs kept for reuse, with their stacks if default-sized (Go keeps them together too).
  G* free_gs = nullptr;
  std::uint32_t free_g_count = 0;

  // Fast-path source of goroutine ids: a batch claimed from the global counter.
  std::int64_t goid_next = 0;
  std::int64_t goid_end = 0;
};

}  // namespace goro::sched
