// ABA on a lock-free free list (a Treiber stack of slot indices): a pop reads the top and its
// successor, then swaps the top for the successor with a compare-and-swap that only compares the
// index.
//
// Bad interleaving: main reads top 0 and successor 1 and is switched out in note_pop(); the worker
// takes 0 and 1 and gives 0 back, so the top is 0 again and main's CAS succeeds, making slot 1,
// which the worker still holds, the new top. Main's next take hands out slot 1 a second time.
// Detected by: the in-use flag of the slot, "BUG: slot handed out twice" (exit 1). Plain build.
// Default schedule: main's first take runs right after the go statement, before it blocks; the
// worker waits in main's runnext slot (an idle P steals it only after 3 us).
// Clean twin (-DCLEAN_TWIN): the top carries a version tag that every pop and push bumps.
//
// DETECT: check
#include <atomic>
#include <cstdint>

#include "stress.hpp"

constexpr int kSlots = 4;
constexpr std::uint32_t kNone = 0xffffffff;
#ifdef CLEAN_TWIN
constexpr std::uint64_t kTagStep = std::uint64_t{1} << 32;
#else
constexpr std::uint64_t kTagStep = 0;  // the bug: the top is compared by index alone
#endif

std::atomic<std::uint64_t> g_top{0};  // low half: top slot or kNone; high half: version tag
std::atomic<std::uint32_t> g_next[kSlots] = {{1}, {2}, {3}, {kNone}};
std::atomic<bool> g_in_use[kSlots];

GORO_NOINLINE void note_pop(std::uint32_t slot) { stress::opaque(static_cast<int>(slot)); }

std::uint64_t with_top(std::uint64_t old, std::uint32_t top) {
  return ((old & ~std::uint64_t{0xffffffff}) + kTagStep) | top;
}

int take() {
  // acquire (load and CAS): the successor read below was written before the slot was pushed.
  std::uint64_t top = g_top.load(std::memory_order_acquire);
  for (;;) {
    const auto slot = static_cast<std::uint32_t>(top);
    if (slot == kNone) stress::fail("free list empty");
    const std::uint32_t next = g_next[slot].load(std::memory_order_relaxed);
    note_pop(slot);
    if (g_top.compare_exchange_weak(top, with_top(top, next), std::memory_order_acquire)) {
      if (g_in_use[slot].exchange(true, std::memory_order_relaxed)) {
        stress::fail("slot handed out twice");
      }
      return static_cast<int>(slot);
    }
  }
}

void give(int slot) {
  g_in_use[slot].store(false, std::memory_order_relaxed);
  std::uint64_t top = g_top.load(std::memory_order_relaxed);
  do {
    g_next[slot].store(static_cast<std::uint32_t>(top), std::memory_order_relaxed);
    // release: the successor stored above is visible to whoever pops this slot.
  } while (!g_top.compare_exchange_weak(top, with_top(top, slot), std::memory_order_release,
                                        std::memory_order_relaxed));
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&wg] {
      const int first = take();
      take();  // kept: still in use when the worker ends
      give(first);
      wg.done();
    });
    take();
    wg.wait();
    take();
  });
}
