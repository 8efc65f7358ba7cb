// Accesses of different sizes that overlap race: a 4-byte write of an int and a 1-byte write of its
// third byte.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_overlap_int_vs_char\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_overlap_int_vs_char\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int w = 0;
    auto* bytes = reinterpret_cast<unsigned char*>(&w);
    goro::go([&] {
      w = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      bytes[2] = 7;  // access 2
      reach(2);
    });
    await(2);
  });
}
