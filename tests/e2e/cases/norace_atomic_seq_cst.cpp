// Default (seq_cst) atomic store and load include release/acquire: the plain write before the store
// is ordered before the plain read after the load.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    std::atomic<int> flag{0};
    goro::go([&] {
      data = 1;
      flag.store(1);
    });
    while (flag.load() == 0) goro::yield();
    use(data);
  });
}
