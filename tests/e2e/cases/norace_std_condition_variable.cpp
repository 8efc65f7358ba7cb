// std::condition_variable with its std::mutex between threads: the edge comes through the mutex
// (unlock → lock around wait). The data written before notify is read race-free.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
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
    data = 42;
    std::lock_guard lock(mu);
    ready = true;
    cv.notify_one();
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return ready; });
  }
  use(data);
  producer.join();
}
