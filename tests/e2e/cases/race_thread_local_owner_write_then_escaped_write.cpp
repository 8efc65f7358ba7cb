// A thread_local's address escapes: the owner thread writes its thread_local directly, publishes
// the address with a relaxed store (no happens-before), and another thread then writes the
// variable through the pointer while the owner is still alive -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_thread_local_owner_write_then_escaped_write\.cpp:45\b
// CHECK: Previous
// CHECK-RE: race_thread_local_owner_write_then_escaped_write\.cpp:37\b
// CHECK: Found 1 data race(s)
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "race_steps_threads.hpp"

// Keeps the thread that made the first access alive without spinning (a long spin would push that
// access out of the detector's history): a blocking pipe read, woken only after the second access.
int park_fds[2];
void park() {
  char c;
  if (read(park_fds[0], &c, 1) != 1) std::abort();
}
void unpark() {
  if (write(park_fds[1], "x", 1) != 1) std::abort();
}

thread_local int tl_counter;
std::atomic<int*> escaped{nullptr};

int main() {
  if (pipe(park_fds) != 0) return 1;
  std::thread owner([] {
    tl_counter = 1;  // access 1
    escaped.store(&tl_counter, std::memory_order_relaxed);
    reach(1);
    park();  // stay alive (and keep tl_counter alive) until the other thread is done
  });
  std::thread other([] {
    await(1);
    int* p = escaped.load(std::memory_order_relaxed);
    *p = 2;  // access 2
    unpark();
  });
  owner.join();
  other.join();
}
