// The same field written by two goroutines without synchronisation is a race (the twin of
// norace_struct_different_fields).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_struct_same_field\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_struct_same_field\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

struct Pair {
  int a;
  int b;
};

int main() {
  return goro::run([] {
    Pair s{};
    goro::go([&] {
      s.a = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      s.a = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
