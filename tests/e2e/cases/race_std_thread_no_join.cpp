// Without join nothing orders the thread's write before main's read: a race (join comes only after
// the read).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_thread_no_join\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_std_thread_no_join\.cpp:24\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <thread>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}
void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

int main() {
  int x = 0;
  std::thread t([&] {
    x = 1;  // access 1
    reach(1);
  });
  await(1);
  use(x);  // access 2
  t.join();
}
