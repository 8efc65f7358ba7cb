// exchange with acq_rel on both sides: the taker's exchange reads the giver's value and
// synchronizes with it. No race on data.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    std::atomic<int> token{0};
    goro::go([&] {
      data = 1;
      token.exchange(1, std::memory_order_acq_rel);
    });
    while (token.exchange(0, std::memory_order_acq_rel) == 0) goro::yield();
    use(data);
  });
}
