// Stack allocation: slab carving, guard pages within the map budget, canaries, and the global pool.
// See stack.hpp for the design. Lock order: stack_pool.mu is a leaf (nothing is called under it
// that takes another runtime lock).
#include "stack/stack.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "debug/fatal.hpp"

namespace goro::stack {
namespace {

constexpr std::size_t kSlotsPerSlab = 256;
constexpr std::uint64_t kCanaryWord = 0x60a0'5ac4'dead'beefull;

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
};

pool& the_pool() {
  static pool* p = new pool;  // never destroyed: goroutines may still run during exit
  return *p;
}

// A slot taken from the slab being carved, under the pool's lock; finish_slot prepares it after.
struct claimed_slot {
  std::uintptr_t base;
  std::size_t slot_size;
  bool guard;  // a guard page was budgeted for it
};

claimed_slot claim_slot(pool& p) {
  if (p.slab_next == kSlotsPerSlab) {
    // A header page in front of slot 0 holds slot 0's canary at its top.
    p.slab_base =
        reinterpret_cast<std::uintptr_t>(map_or_die(kPageSize + kSlotsPerSlab * p.slot_size));
    p.slab_next = 0;
  }
  claimed_slot c{p.slab_base + kPageSize + p.slab_next * p.slot_size, p.slot_size,
                 p.guards_left > 0};
  ++p.slab_next;
  if (c.guard) --p.guards_left;
  return c;
}

// The guard page's mprotect and the canary's first touch (a page fault) are the slow part of a new
// stack; they run outside the pool's lock, so that Ms starting goroutines at once do not queue
// behind one another's system calls.
stack finish_slot(pool& p, const claimed_slot& c) {
  stack s;
  s.lo = c.base;  // an unguarded slot uses its guard page too, so an overflow reaches the canary at
                  // once
  s.hi = c.base + c.slot_size - kCanaryBytes;
  s.canary = c.base - kCanaryBytes;
  if (c.guard) {
    if (mprotect(reinterpret_cast<void*>(c.base), kPageSize, PROT_NONE) == 0) {
      s.lo = c.base + kPageSize;
    } else {
      std::lock_guard lock(p.mu);
      p.guards_left = 0;  // the kernel refused (map limit): fall back to canaries alone
    }
  }
  write_canary(s.canary);
  return s;
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

stack allocate(std::size_t bytes) {
  pool& p = the_pool();
  const bool standard = bytes == 0 || bytes == default_size();
  if (standard) {
    claimed_slot c;
    {
      std::lock_guard lock(p.mu);
      if (!p.free_default.empty()) {
        stack s = p.free_default.back();
        p.free_default.pop_back();
        return s;
      }
      c = claim_slot(p);
    }
    return finish_slot(p, c);
  }
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
