// The producer writes data after signalling and unlocking: nothing orders that write before the
// consumer's read after its wait returned. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_cond_write_after_signal\.cpp:35\b
// CHECK: Previous
// CHECK-RE: race_cond_write_after_signal\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>
#include <mutex>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    bool ready = false;
    goro::Mutex mu;
    goro::Cond cond(mu);
    goro::go([&] {
      {
        std::lock_guard lock(mu);
        ready = true;
        cond.signal();
      }
      data = 42;  // access 1
      reach(1);
    });
    {
      std::unique_lock lock(mu);
      while (!ready) cond.wait();
    }
    await(1);
    use(data);  // access 2
  });
}
