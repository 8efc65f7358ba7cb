// std::ref passes a reference through go's decay-copy: the goroutine's read of the referenced int
// races with the parent's later write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_go_arg_reference_wrapper\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_go_arg_reference_wrapper\.cpp:32\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <functional>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}
void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

void reader(int& v) {
  await(1);
  use(v);  // access 2
  reach(2);
}

int main() {
  return goro::run([] {
    int x = 0;
    goro::go(reader, std::ref(x));
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
