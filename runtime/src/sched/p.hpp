// P: a processor, the right to run Go code. GOMAXPROCS of them exist; an M must hold one to run
// goroutines. Everything a P owns is touched without locks by its holder: the local run queue (also
// stolen from), the free-G cache and the stack cache.
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/run_queue.hpp"
#include "sched/seeded.hpp"
#include "stack/stack.hpp"
#include "time/timer.hpp"

namespace goro::sched {

struct G;
struct M;

// idle: on sched.idle_ps. running: held by an M (or by sysmon for a moment while it hands a P
// retaken from a system call over). syscall: its M is inside blocking(); whoever moves it out of
// syscall by CAS owns it (the returning M, or sysmon retaking it). dead: removed by GOMAXPROCS.
enum class p_status : std::uint8_t { idle, running, syscall, dead };

// A counter with one writer at a time, read by others as a hint (sysmon compares two readings to
// tell whether anything happened in between). One writer needs no read-modify-write; relaxed
// suffices because no other data is published through the count.
class tick_counter {
 public:
  std::uint32_t load() const { return value_.load(std::memory_order_relaxed); }
  void bump() {
    value_.store(value_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint32_t> value_{0};
};

struct P {
  int id = 0;
  // Changed by its owner; idle/dead transitions under sched.lock, leaving syscall by CAS.
  std::atomic<p_status> status{p_status::idle};
  // The M holding this P. Written by the binding and unbinding M (acquire_p, idle_p_put,
  // enter_syscall); read by sysmon and by thieves. Release/acquire: sysmon dereferences the M it
  // reads, so the M's construction must be visible to it.
  std::atomic<M*> m{nullptr};
  P* idle_link = nullptr;  // sched.idle_ps list; sched.lock

  // Time slices started here, bumped by the M holding the P (a goroutine taken from runnext
  // continues its predecessor's slice, Go's inheritTime). Read by sysmon, which preempts a
  // goroutine whose P has not moved for 10 ms, and by the holder, which checks the global queue
  // first every 61st slice.
  tick_counter schedtick;
  // System calls entered here. Bumped by whoever owns the P at that moment: the M entering or
  // leaving the call, or sysmon once its CAS on status retook the P; the status CAS orders them.
  // Read by sysmon to tell one long call from many short ones.
  tick_counter syscalltick;

  run_queue runq;
  timers::timer_heap timers;

  // go statements of the goroutine running here since its turn began (owner only): at
  // kSpawnsPerTurn it yields so the goroutines it made run (start_goroutine).
  std::uint32_t turn_spawns = 0;

  // Goroutines started here minus those that ended here (either may be negative: a goroutine may
  // end on another P). Written by the P's owner alone, with a plain load and store: a locked add
  // per start and per end on one shared count was two of the four locked instructions of a
  // goroutine's life in the scheduler. relaxed: num_goroutine sums them as a count.
  std::atomic<std::int64_t> goroutines{0};

  // Dead Gs kept for reuse.
  G* free_gs = nullptr;
  std::uint32_t free_g_count = 0;

  // Default-size stacks of finished goroutines, for the next goroutine that starts here. Stacks are
  // taken when a goroutine first runs, not when it is created, so a burst of `go` statements
  // followed by short goroutines cycles through a few warm stacks instead of touching a million
  // fresh ones.
  // An empty cache refills with kStackRefill at once, fresh ones prepared in one batch
  // (stack::allocate_default), and leaves room for as many finished goroutines' stacks.
  static constexpr std::uint32_t kStackCacheSize = 32;
  static constexpr std::uint32_t kStackRefill = kStackCacheSize / 2;
  stack::stack stack_cache[kStackCacheSize];
  std::uint32_t stack_cache_count = 0;

  // Fast-path source of goroutine ids: a batch claimed from the global counter.
  std::int64_t goid_next = 0;
  std::int64_t goid_end = 0;

  // GORODEBUG=schedseed: this P's generator and strategy state (seeded.hpp).
  seeded_state seeded;
};

}  // namespace goro::sched
