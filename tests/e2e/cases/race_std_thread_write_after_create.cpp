// Thread creation orders only what came before it: main's write after constructing the thread races
// with the thread's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_thread_write_after_create\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_std_thread_write_after_create\.cpp:27\b
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
    await(1);
    use(x);  // access 2
  });
  x = 1;  // access 1
  reach(1);
  t.join();
}
