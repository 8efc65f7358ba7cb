// On a cap-2 channel the 1st receive happens before the 3rd send completes, not the 2nd: the
// sender's 1st and 2nd sends complete without waiting, so a write before the 1st receive is not
// ordered before the sender's read after its 2nd send. A race (a detector with one clock per
// channel would miss it).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_capN_earlier_send_unordered\.cpp:37\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_capN_earlier_send_unordered\.cpp:29\b
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
      await(1);
      x = 1;     // access 1
      c.recv();  // the 1st receive: it orders only the 3rd send
      reach(2);
    });
    c.send(1);
    c.send(2);  // both into the buffer, before the receive
    reach(1);
    await(2);
    use(x);  // access 2
  });
}
