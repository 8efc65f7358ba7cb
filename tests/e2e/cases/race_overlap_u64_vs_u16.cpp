// An 8-byte write and a 2-byte write of its top two bytes (through a union) overlap: a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_overlap_u64_vs_u16\.cpp:34\b
// CHECK: Previous
// CHECK-RE: race_overlap_u64_vs_u16\.cpp:29\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdint>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

union Word {
  std::uint64_t whole;
  std::uint16_t halves[4];
};

int main() {
  return goro::run([] {
    Word u{};
    goro::go([&] {
      u.whole = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      u.halves[3] = 7;  // access 2
      reach(2);
    });
    await(2);
  });
}
