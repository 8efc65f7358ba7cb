// Goroutine stacks: where they come from, how they are reused, and how overflow is caught.
//
// A million parked goroutines must fit on an untouched Linux machine, whose vm.max_map_count is
// 65530: one mmap (plus a guard page) per stack would need two maps per goroutine. So default-size
// stacks are carved from slabs of kSlotsPerSlab slots, one mmap each, committed lazily
// (MAP_NORESERVE, MADV_NOHUGEPAGE: transparent huge pages would commit 2 MiB at a time), so a
// parked goroutine costs the pages its frames touched, usually one.
//
// Overflow detection, in two layers:
//  - Guard pages while the map budget allows: the first slots ever handed out (about a quarter of
//    max_map_count) get their lowest page mprotect'ed PROT_NONE; an overflow faults there and the
//    SIGSEGV handler names the goroutine.
//  - A canary everywhere: the top kCanaryBytes of each slot are not part of its stack; they hold a
//    pattern that belongs to the slot above, whose overflow would write there first. The scheduler
//    checks the canary whenever a goroutine switches out. Slot 0's canary sits in the slab's header
//    page. Code compiled by `goro c++` checks its stack bound in function prologues and fails
//    before any damage.
//
// Fresh slots are prepared (top page populated and touched, canary, guard) in batches: by the
// caller, or, once a program makes stacks in numbers, ahead of demand by a background thread that
// keeps a small reserve (stack.cpp, preparer_main).
//
// Stacks of other sizes (go_with_stack, the main goroutine's 8 MiB) get their own mapping with a
// guard page, pooled by size.
#pragma once

#include <cstddef>
#include <cstdint>

namespace goro::stack {

constexpr std::size_t kPageSize = 4096;
constexpr std::size_t kCanaryBytes = 64;
constexpr std::size_t kMainStackSize = 8u << 20;

struct stack {
  std::uintptr_t lo = 0;  // lowest usable address
  std::uintptr_t hi = 0;  // one past the highest usable address (the initial stack pointer)
  std::uintptr_t canary =
      0;  // slab slots: where this stack's canary lives; 0 for dedicated mappings
  bool empty() const { return hi == 0; }
  std::size_t size() const { return hi - lo; }
};

// The default stack size: $GORO_STACK_SIZE bytes (rounded up to pages), else 64 KiB.
std::size_t default_size();

// Returns a stack with at least `bytes` usable (0: the default size): a slot of the default pool
// for the default size, else a mapping of its own with a guard page (an M's system and signal
// stacks, the main goroutine's). Never fails: exhaustion is fatal.
stack allocate(std::size_t bytes);

// A goroutine's stack of at least `bytes` (go_with_stack): a default one for 0 or any size the
// default meets, else allocate(bytes).
stack allocate_goroutine(std::size_t bytes);

// Fills out[0..n) with 1 <= n <= want default-size stacks and returns n: released stacks if the
// pool has any, else fresh slots from the reserve a background thread prepares once a program
// makes stacks in numbers, else fresh consecutive slots prepared here, together (their first pages
// populated, see prefault.hpp). For the per-P cache, which refills in batches.
std::size_t allocate_default(stack* out, std::size_t want);

// How many fresh slots the background preparer holds ready (for tests).
std::size_t reserve_size();

// Returns a stack to the global pool. The per-P cache in front of this lives in the scheduler.
void release(const stack& s);

// Whether the canary below the stack (the slot above its top) is intact; false after an overflow.
bool canary_intact(const stack& s);
// Asks the CPU to fetch the canary's line, which nothing but canary_intact reads: the scheduler
// checks it when a goroutine switches out, and prefetches it when the goroutine switches in, so
// the check does not wait for a line that has gone cold while the goroutine waited (skynet's race
// build under perf's software clock: canary_intact 2.8% of the samples before, 0.15% after).
inline void prefetch_canary(const stack& s) {
  if (s.canary != 0) __builtin_prefetch(reinterpret_cast<const void*>(s.canary));
}

// Whether addr lies in the guard page (or canary zone) just below s: a fault there is an overflow
// of s.
bool is_overflow_address(const stack& s, std::uintptr_t addr);

// How many slab slots are guarded by a page (for tests and docs): the map budget at start-up.
std::size_t guard_page_budget();

}  // namespace goro::stack
