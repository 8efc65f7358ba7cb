// As race_chan_buffered_recv_not_before_send, but the receiver is already blocked when the value is
// sent, so the runtime hands it over directly. The memory model does not change: on a cap-1 channel
// the 1st receive orders only the 2nd send, so this 1st send is not ordered after the receiver's
// earlier write. A race (Go's detector simulates the buffer slot here).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_handoff_recv_not_before_send\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_handoff_recv_not_before_send\.cpp:35\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <chrono>
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
      await(1);
      goro::sleep(std::chrono::milliseconds(20));  // lets the receiver block first
      c.send(1);
      use(x);  // access 2
      reach(2);
    });
    x = 1;  // access 1
    reach(1);
    c.recv();
    await(2);
  });
}
