// After an unbuffered send case completes, the sender's later write is not ordered with the
// receiver's read after its receive (the receive happens before the send completes, not the other
// way round for what follows). A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_select_send_write_after\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_select_send_write_after\.cpp:34\b
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
    auto other = goro::make_chan<int>();
    goro::go([&] {
      c.recv();
      await(1);
      use(x);  // access 2
      reach(2);
    });
    goro::select(goro::send_case(c, 1), goro::send_case(other, 2));
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
