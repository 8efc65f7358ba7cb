// A std::thread started by a goroutine writes after it started; the goroutine reads without joining
// first. A race between a thread and a goroutine.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_goroutine_std_thread_unjoined\.cpp:23\b
// CHECK: Previous
// CHECK-RE: race_goroutine_std_thread_unjoined\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>
#include <thread>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    std::thread t([&] {
      x = 1;  // access 1
      reach(1);
    });
    await(1);
    use(x);  // access 2
    goro::blocking([&] { t.join(); });
  });
}
