// A std::thread started by a goroutine writes after it started; the goroutine reads without joining
// first. A race between a thread and a goroutine.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_goroutine_std_thread_unjoined\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_goroutine_std_thread_unjoined\.cpp:26\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>
#include <thread>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}
void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

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
