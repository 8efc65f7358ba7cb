// The __atomic builtins with __ATOMIC_RELAXED create no edge: the plain accesses race (the flag
// itself never does).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_builtin_relaxed\.cpp:23\b
// CHECK: Previous
// CHECK-RE: race_atomic_builtin_relaxed\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    int flag = 0;
    goro::go([&] {
      data = 1;  // access 1
      __atomic_store_n(&flag, 1, __ATOMIC_RELAXED);
    });
    while (__atomic_load_n(&flag, __ATOMIC_RELAXED) == 0) goro::yield();
    use(data);  // access 2
  });
}
