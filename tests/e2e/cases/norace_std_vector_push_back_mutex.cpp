// std::vector::push_back from two goroutines under a goro::Mutex: unlock → lock orders the
// reallocations. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <mutex>
#include <vector>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::vector<int> v;
    goro::Mutex mu;
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&, g] {
        for (int i = 0; i < 50; ++i) {
          std::lock_guard lock(mu);
          v.push_back(g * 100 + i);
        }
        wg.done();
      });
    }
    wg.wait();
    use(static_cast<long>(v.size()));
  });
}
