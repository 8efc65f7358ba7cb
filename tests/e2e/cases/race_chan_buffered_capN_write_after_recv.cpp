// The k-th receive orders what came before it, not after: a write the receiver makes after its 1st
// receive races with the sender's read after its 3rd send on a cap-2 channel.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_capN_write_after_recv\.cpp:34\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_capN_write_after_recv\.cpp:27\b
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
    auto c = goro::make_chan<int>(2);
    goro::go([&] {
      c.recv();
      x = 1;  // access 1
      reach(1);
    });
    c.send(1);
    c.send(2);
    c.send(3);
    await(1);
    use(x);  // access 2
  });
}
