// A global updated under a global goro::Mutex by several goroutines: unlock → lock orders every
// update. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <mutex>

#include "race_steps.hpp"

goro::Mutex g_mu;
int g_counter;

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(3);
    for (int g = 0; g < 3; ++g) {
      goro::go([&] {
        {
          std::lock_guard lock(g_mu);
          ++g_counter;
        }
        wg.done();
      });
    }
    wg.wait();
    use(g_counter);
  });
}
