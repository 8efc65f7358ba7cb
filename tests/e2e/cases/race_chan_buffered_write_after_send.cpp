// On a buffered (cap 1) channel, a write after the send is not ordered before the receiver's read
// after its receive: a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_write_after_send\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_write_after_send\.cpp:27\b
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
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      c.send(1);
      x = 1;  // access 1
      reach(1);
    });
    c.recv();
    await(1);
    use(x);  // access 2
  });
}
