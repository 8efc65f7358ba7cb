// Goroutines may use std::mutex too (SPEC: the pthread primitives create edges): two goroutines
// incrementing under one std::mutex do not race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <mutex>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    std::mutex mu;
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        for (int i = 0; i < 50; ++i) {
          std::lock_guard lock(mu);
          ++x;
        }
        wg.done();
      });
    }
    wg.wait();
    use(x);
  });
}
