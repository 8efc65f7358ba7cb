// done releases, it does not acquire: one worker's write before its done is ordered before wait
// returns, not before another worker's later done. The second worker's read after its done races.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_waitgroup_done_not_acquire\.cpp:34\b
// CHECK: Previous
// CHECK-RE: race_waitgroup_done_not_acquire\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

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
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      x = 1;  // access 1
      wg.done();
      reach(1);
    });
    goro::go([&] {
      await(1);
      wg.done();
      use(x);  // access 2
      reach(2);
    });
    wg.wait();
    await(2);
  });
}
