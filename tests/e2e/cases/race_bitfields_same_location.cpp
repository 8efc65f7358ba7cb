// Adjacent bit-fields are one memory location (C++ [intro.memory]): writing s.a and s.b from two
// goroutines is a race, although the fields are different.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_bitfields_same_location\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_bitfields_same_location\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

struct Flags {
  unsigned a : 4;
  unsigned b : 4;
};

int main() {
  return goro::run([] {
    Flags s{};
    goro::go([&] {
      s.a = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      s.b = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
