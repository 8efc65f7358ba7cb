// Passing a pointer as a go argument copies the pointer, not the int: the parent's write after go
// races with the goroutine's read through the pointer.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_go_arg_pointer\.cpp:23\b
// CHECK: Previous
// CHECK-RE: race_go_arg_pointer\.cpp:31\b
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

void reader(int* p) {
  await(1);
  use(*p);  // access 2
  reach(2);
}

int main() {
  return goro::run([] {
    int x = 0;
    goro::go(reader, &x);
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
