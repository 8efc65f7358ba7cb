// A plain std::thread program (no goroutines) built with -race: one thread writes under a
// std::mutex, the other without it. A race between the two threads.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_thread_mutex_missing\.cpp:33\b
// CHECK: Previous
// CHECK-RE: race_std_thread_mutex_missing\.cpp:28\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <mutex>
#include <thread>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

int g_x;
std::mutex g_mu;

int main() {
  std::thread t1([] {
    std::lock_guard lock(g_mu);
    g_x = 1;  // access 1
    reach(1);
  });
  std::thread t2([] {
    await(1);
    g_x = 2;  // access 2
  });
  t1.join();
  t2.join();
}
