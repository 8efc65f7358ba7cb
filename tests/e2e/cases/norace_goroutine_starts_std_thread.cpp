// A goroutine starts a std::thread: the goroutine's past happens before the thread starts, and the
// thread's end before join returns (joined through goro::blocking). No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <thread>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    x = 1;
    std::thread t([&] { x += 1; });
    goro::blocking([&] { t.join(); });
    use(x);
  });
}
