// The edge comes from the case taken only: select received from c2, whose sender never synchronised
// with the writer of x (which would signal on c1, later). The read races with the write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_select_recv_other_channel\.cpp:37\b
// CHECK: Previous
// CHECK-RE: race_select_recv_other_channel\.cpp:27\b
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
    auto c1 = goro::make_chan<int>();
    auto c2 = goro::make_chan<int>();
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
      await(2);
      c1.send(1);
    });
    goro::go([&] {
      await(1);
      c2.send(2);
    });
    goro::select(goro::recv_case(c1), goro::recv_case(c2));  // c2: c1 is sent after step 2
    use(x);                                                  // access 2
    reach(2);
    c1.recv();
  });
}
