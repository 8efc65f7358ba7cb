// A select that takes its default case received nothing and synchronises with nobody: the read
// after it races with the other goroutine's write.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_select_default_no_edge\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_select_default_no_edge\.cpp:27\b
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
    auto c = goro::make_chan<int>();
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
    });
    await(1);
    goro::select(goro::recv_case(c), goro::default_case());  // nothing was sent: default
    use(x);                                                  // access 2
  });
}
