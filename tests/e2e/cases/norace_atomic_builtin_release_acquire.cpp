// The __atomic builtins on a plain int carry their memory orders (SPEC): __ATOMIC_RELEASE store,
// __ATOMIC_ACQUIRE load. No race on data.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    int flag = 0;
    goro::go([&] {
      data = 1;
      __atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
    });
    while (__atomic_load_n(&flag, __ATOMIC_ACQUIRE) == 0) goro::yield();
    use(data);
  });
}
