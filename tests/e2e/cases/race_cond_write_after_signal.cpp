// The producer writes data after signalling and unlocking: nothing orders that write before the
// consumer's read after its wait returned. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_cond_write_after_signal\.cpp:42\b
// CHECK: Previous
// CHECK-RE: race_cond_write_after_signal\.cpp:34\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>
#include <mutex>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}
void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

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
