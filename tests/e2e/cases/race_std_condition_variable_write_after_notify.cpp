// The producer thread writes data after notifying and unlocking: nothing orders it before the
// consumer's read after wait. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_condition_variable_write_after_notify\.cpp:35\b
// CHECK: Previous
// CHECK-RE: race_std_condition_variable_write_after_notify\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <condition_variable>
#include <mutex>
#include <thread>

#include "race_steps_threads.hpp"

int main() {
  int data = 0;
  bool ready = false;
  std::mutex mu;
  std::condition_variable cv;
  std::thread producer([&] {
    {
      std::lock_guard lock(mu);
      ready = true;
      cv.notify_one();
    }
    data = 42;  // access 1
    reach(1);
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return ready; });
  }
  await(1);
  use(data);  // access 2
  producer.join();
}
