// A send is ordered before the receive of its own value only. The sender writes b between its 1st
// and 2nd send on a cap-4 channel; the receiver takes the 1st value only, so its read of a is
// ordered but its read of b races.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_capN_unmatched_item\.cpp:36\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_capN_unmatched_item\.cpp:29\b
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
    int a = 0, b = 0;
    auto c = goro::make_chan<int>(4);
    goro::go([&] {
      a = 1;
      c.send(1);
      b = 1;  // access 1
      c.send(2);
      reach(1);
    });
    c.recv();  // the 1st value: ordered after `a = 1` only
    use(a);
    await(1);
    use(b);  // access 2
  });
}
