// The channel itself is shared memory (SPEC, as in Go): close writes it, send reads it. A close not
// ordered after a send (nobody received the value) is reported as a race on the channel, naming
// both the send and the close.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_close_vs_send\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_chan_close_vs_send\.cpp:25\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      c.send(1);  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      c.close();  // access 2
      reach(2);
    });
    await(2);
  });
}
