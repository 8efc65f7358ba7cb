// Two readers are not ordered with each other (RUnlock orders only the next Lock): a goroutine that
// wrongly writes under the read lock races with another reader.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_rwmutex_readers_write_read\.cpp:35\b
// CHECK: Previous
// CHECK-RE: race_rwmutex_readers_write_read\.cpp:28\b
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
    goro::RWMutex rw;
    goro::go([&] {
      rw.lock_shared();
      x = 1;  // access 1
      rw.unlock_shared();
      reach(1);
    });
    goro::go([&] {
      await(1);
      rw.lock_shared();
      use(x);  // access 2
      rw.unlock_shared();
      reach(2);
    });
    await(2);
  });
}
