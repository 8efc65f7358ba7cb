// Stack allocation: slab carving, guard pages within the map budget, canaries, and the global pool.
// See stack.hpp for the design. Lock order: stack_pool.mu is a leaf (nothing is called under it
// that takes another runtime lock).
#include "stack/stack.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "debug/fatal.hpp"
#include "race/built_once.hpp"
#include "sched/os_thread.hpp"
#include "stack/prefault.hpp"

namespace goro::stack {
namespace {

constexpr std::size_t kSlotsPerSlab = 256;
constexpr std::uint64_t kCanaryWord = 0x60a0'5ac4'dead'beefull;
// The preparer thread keeps up to kReserve fresh slots ready and refills below half of that; it
// starts once allocate_default has carved kPreparerAfter runs itself (see preparer_main).
constexpr std::size_t kReserve = 64;
constexpr std::size_t kPreparerAfter = 4;

std::size_t round_to_pages(std::size_t n) { return (n + kPageSize - 1) & ~(kPageSize - 1); }

std::size_t read_default_size() {
  std::size_t size = 64 * 1024;
  if (const char* env = std::getenv("GORO_STACK_SIZE"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    errno = 0;
    unsigned long long v = std::strtoull(env, &end, 10);
    if (errno != 0 || end == env || *end != '\0' || v < 16 * 1024 || v > (1ull << 30)) {
      debug::fatal_plain("GORO_STACK_SIZE must be a byte count between 16384 and 1073741824");
    }
    size = static_cast<std::size_t>(v);
  }
  return round_to_pages(size);
}

std::size_t read_map_budget() {
  long max_maps = 65530;
  if (FILE* f = std::fopen("/proc/sys/vm/max_map_count", "r")) {
    if (std::fscanf(f, "%ld", &max_maps) != 1) max_maps = 65530;
    std::fclose(f);
  }
  // Each guard page splits a slab mapping into two more maps. Spend at most a quarter of the limit
  // on guards, leaving the rest to the program, its heap and its libraries.
  return max_maps > 4 ? static_cast<std::size_t>(max_maps / 4 / 2) : 0;
}

void* map_or_die(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    debug::fatal_plain("runtime: cannot allocate goroutine stack memory (mmap failed)");
  madvise(p, bytes, MADV_NOHUGEPAGE);
  return p;
}

void write_canary(std::uintptr_t at) {
  auto* words = reinterpret_cast<std::uint64_t*>(at);
  for (std::size_t i = 0; i < kCanaryBytes / 8; ++i) words[i] = kCanaryWord;
}

struct pool {
  std::mutex mu;
  // Every slot reserves a page for a guard below its stack (mapped but never touched when unused),
  // so guarded and unguarded stacks offer the same usable size.
  std::size_t slot_size = read_default_size() + kPageSize;
  std::size_t guards_left = read_map_budget();
  std::size_t guard_budget = guards_left;
  // The slab being carved: next free slot index and its base.
  std::uintptr_t slab_base = 0;
  std::size_t slab_next = kSlotsPerSlab;
  std::vector<stack> free_default;
  std::unordered_map<std::size_t, std::vector<stack>> free_dedicated;  // by usable size
  // Fresh slots the preparer has finished, in address order; the preparer waits on preparer_wake.
  std::vector<stack> prepared;
  std::condition_variable preparer_wake;
  std::size_t own_runs = 0;  // runs allocate_default carved and prepared itself
  bool preparer_started = false;
};

pool* new_pool() { return new pool; }

// Never destroyed: goroutines may still run during exit.
pool& the_pool() { return *built_once<new_pool>(); }

// Consecutive fresh slots taken from the slab being carved, under the pool's lock; finish_run
// prepares them after it. The first `guarded` of them were budgeted a guard page.
struct claimed_run {
  std::uintptr_t first_base;
  std::size_t slot_size;
  std::size_t count;
  std::size_t guarded;
};

claimed_run claim_run(pool& p, std::size_t want) {
  if (p.slab_next == kSlotsPerSlab) {
    // A header page in front of slot 0 holds slot 0's canary at its top.
    p.slab_base =
        reinterpret_cast<std::uintptr_t>(map_or_die(kPageSize + kSlotsPerSlab * p.slot_size));
    p.slab_next = 0;
  }
  claimed_run run{p.slab_base + kPageSize + p.slab_next * p.slot_size, p.slot_size,
                  std::min(want, kSlotsPerSlab - p.slab_next), 0};
  run.guarded = std::min(run.count, p.guards_left);
  p.slab_next += run.count;
  p.guards_left -= run.guarded;
  return run;
}

// A new stack's first page, its guard page's mprotect and its canary are the slow part; they are
// done here, outside the pool's lock, so that Ms starting goroutines at once do not queue behind
// one another's system calls. The run's pages that will be touched first are populated together:
// the page below each slot's base, which holds that slot's canary and is the top page of the slot
// below (the first stack frames land there), and the top page of the last slot. One batch per
// thread also keeps two Ms from faulting on the same page at once, as they did when one M wrote
// a slot's canary into the page where another M's goroutine was starting.
void finish_run(pool& p, const claimed_run& run, stack* out) {
  std::uintptr_t pages[kSlotsPerSlab + 1];
  for (std::size_t i = 0; i <= run.count; ++i)
    pages[i] = run.first_base + i * run.slot_size - kPageSize;
  populate_pages(pages, run.count + 1);
  for (std::size_t i = 0; i < run.count; ++i) {
    const std::uintptr_t base = run.first_base + i * run.slot_size;
    stack& s = out[i];
    s.lo = base;  // an unguarded slot uses its guard page too, so an overflow reaches the canary at
                  // once
    s.hi = base + run.slot_size - kCanaryBytes;
    s.canary = base - kCanaryBytes;
    if (i < run.guarded) {
      if (mprotect(reinterpret_cast<void*>(base), kPageSize, PROT_NONE) == 0) {
        s.lo = base + kPageSize;
      } else {
        std::lock_guard lock(p.mu);
        p.guards_left = 0;  // the kernel refused (map limit): fall back to canaries alone
      }
    }
    write_canary(s.canary);
  }
}

// The preparer: a background thread that prepares fresh slots ahead of demand. Preparing one costs
// some 12 us on the EPYC VM of docs/benchmarks.md (population, then the first touch from user
// space, the canary write, which the VM charges again), and a goroutine built at the top of its
// stack (sched/goroutine.cpp) pays it in the go statement: a loop making a million parked
// goroutines spent most of its time there, on one thread, while the other CPU sat idle. Pages a
// thread has prepared cost another thread 0.1 us at their first touch. The reserve holds fresh
// slots only (released stacks are handed out first, warm): at most kReserve pages resident beyond
// what runs.
void* preparer_main(void*) {
  pool& p = the_pool();
  std::unique_lock lock(p.mu);
  for (;;) {
    p.preparer_wake.wait(lock, [&p] { return p.prepared.size() < kReserve / 2; });
    while (p.prepared.size() < kReserve) {
      const claimed_run run = claim_run(p, kReserve - p.prepared.size());
      lock.unlock();
      stack batch[kSlotsPerSlab];
      finish_run(p, run, batch);
      lock.lock();
      p.prepared.insert(p.prepared.end(), batch, batch + run.count);
    }
  }
}

stack map_dedicated(std::size_t usable) {
  auto base = reinterpret_cast<std::uintptr_t>(map_or_die(kPageSize + usable));
  if (mprotect(reinterpret_cast<void*>(base), kPageSize, PROT_NONE) != 0) {
    debug::fatal_plain("runtime: cannot protect goroutine stack guard page (mprotect failed)");
  }
  return stack{base + kPageSize, base + kPageSize + usable, 0};
}

}  // namespace

std::size_t default_size() { return the_pool().slot_size - kPageSize - kCanaryBytes; }

std::size_t guard_page_budget() { return the_pool().guard_budget; }

std::size_t reserve_size() {
  pool& p = the_pool();
  std::lock_guard lock(p.mu);
  return p.prepared.size();
}

std::size_t allocate_default(stack* out, std::size_t want) {
  pool& p = the_pool();
  want = std::clamp<std::size_t>(want, 1, kSlotsPerSlab);
  claimed_run run;
  bool start_preparer = false;
  {
    std::lock_guard lock(p.mu);
    if (!p.free_default.empty()) {
      const std::size_t n = std::min(want, p.free_default.size());
      std::copy(p.free_default.end() - static_cast<std::ptrdiff_t>(n), p.free_default.end(), out);
      p.free_default.resize(p.free_default.size() - n);
      return n;
    }
    if (!p.prepared.empty()) {
      const auto n = static_cast<std::ptrdiff_t>(std::min(want, p.prepared.size()));
      std::copy(p.prepared.begin(), p.prepared.begin() + n, out);
      p.prepared.erase(p.prepared.begin(), p.prepared.begin() + n);
      if (p.prepared.size() < kReserve / 2) p.preparer_wake.notify_one();
      return static_cast<std::size_t>(n);
    }
    run = claim_run(p, want);
    if (!p.preparer_started && ++p.own_runs >= kPreparerAfter) {
      start_preparer = true;
      p.preparer_started = true;
    }
  }
  // If the thread cannot start, every batch stays the caller's to prepare, as before it.
  if (start_preparer) sched::start_detached_thread(preparer_main, nullptr);
  finish_run(p, run, out);
  return run.count;
}

stack allocate_goroutine(std::size_t bytes) {
  // "At least bytes": a request the default size meets gets a default stack, as a goroutine whose
  // G has a home stack keeps it for one. A smaller mapping of its own bought nothing (untouched
  // pages cost no memory) and could not hold the first calls into the dynamic linker.
  return allocate(bytes <= default_size() ? 0 : bytes);
}

stack allocate(std::size_t bytes) {
  if (bytes == 0 || bytes == default_size()) {
    stack s;
    allocate_default(&s, 1);
    return s;
  }
  pool& p = the_pool();
  std::lock_guard lock(p.mu);
  std::size_t usable = round_to_pages(bytes);
  auto& list = p.free_dedicated[usable];
  if (!list.empty()) {
    stack s = list.back();
    list.pop_back();
    return s;
  }
  return map_dedicated(usable);
}

void release(const stack& s) {
  pool& p = the_pool();
  std::lock_guard lock(p.mu);
  if (s.canary != 0) {
    p.free_default.push_back(s);
  } else {
    p.free_dedicated[s.size()].push_back(s);
  }
}

bool canary_intact(const stack& s) {
  if (s.canary == 0) return true;
  const auto* words = reinterpret_cast<const std::uint64_t*>(s.canary);
  for (std::size_t i = 0; i < kCanaryBytes / 8; ++i) {
    if (words[i] != kCanaryWord) return false;
  }
  return true;
}

bool is_overflow_address(const stack& s, std::uintptr_t addr) {
  std::uintptr_t floor = s.canary != 0 ? s.canary : s.lo - kPageSize;
  return addr >= floor && addr < s.lo;
}

}  // namespace goro::stack
