// A deadlock dump shows, under each goroutine, the function whose go statement created it and the
// goroutine that ran it ("created by start_worker(...) in goroutine 1"), as Go does. The go
// statement is the last statement of start_worker, the common shape: at -O2 the compiler may turn
// the call into a jump, which must not make the dump name start_worker's caller instead (nor, at
// -O0, goro's own non-inlined templates; see goroutine_created_by_mid.cpp).
//
// OPT: -O0 -O2
// EXIT: 2
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK-RE: ^goroutine 1 \[chan receive\]:$
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[chan receive\]:$
// CHECK-RE: wait_for_orders\(goro::chan<int>\)
// CHECK-RE: ^created by start_worker\(goro::chan<int>\) in goroutine 1$
// CHECK-RE: goroutine_created_by\.cpp:[0-9]+
// CHECK-NOT: unreachable
#include <cstdio>
#include <goro/chan.hpp>
#include <goro/goro.hpp>

__attribute__((noinline)) void wait_for_orders(goro::chan<int> orders) {
  int order = orders.recv();  // nobody ever sends
  std::fprintf(stderr, "unreachable: got order %d\n", order);
}

__attribute__((noinline)) void start_worker(goro::chan<int> orders) {
  goro::go(wait_for_orders, orders);
}

int main() {
  return goro::run([] {
    auto orders = goro::make_chan<int>();
    auto results = goro::make_chan<int>();
    start_worker(orders);
    int r = results.recv();  // nobody ever sends either: global deadlock
    std::fprintf(stderr, "unreachable: got result %d\n", r);
    return 1;
  });
}
