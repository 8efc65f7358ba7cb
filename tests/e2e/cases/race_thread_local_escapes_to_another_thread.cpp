// A thread_local variable is memory like any other once its address escapes: the owner's direct
// write and another thread's read through the pointer, unordered, race.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK-RE: race_thread_local_escapes_to_another_thread\.cpp:28\b
// CHECK: Previous read at
// CHECK-RE: race_thread_local_escapes_to_another_thread\.cpp:34\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

thread_local long t_requests;
std::atomic<long*> g_published{nullptr};
long g_seen;

int main() {
  std::thread owner([] {
    t_requests = 1;
    // release/acquire: the first write is ordered before the read; the second is not.
    g_published.store(&t_requests, std::memory_order_release);
    await(1);
    t_requests = 2;  // access 2
    reach(2);
  });
  std::thread peeker([] {
    long* p;
    while ((p = g_published.load(std::memory_order_acquire)) == nullptr) std::this_thread::yield();
    g_seen = *p;  // access 1
    reach(1);
  });
  peeker.join();
  owner.join();
  std::printf("%ld\n", g_seen);
}
