// An 8-byte write and a 2-byte write of its top two bytes (through a union) overlap: a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_overlap_u64_vs_u16\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_overlap_u64_vs_u16\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <cstdint>
#include <goro/goro.hpp>

#include "race_steps.hpp"

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
