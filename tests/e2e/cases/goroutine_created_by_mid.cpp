// As goroutine_created_by.cpp, but the go statement is not the last one in its function (so no
// compiler can turn the spawn into a tail jump) and the goroutine runs a lambda: "created by" still
// names the function holding the go statement, at every -O level (at -O0 goro's own templates are
// not inlined into it, and must not be named instead).
//
// OPT: -O0 -O1 -O2
// EXIT: 2
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK-RE: ^goroutine 1 \[chan receive\]:$
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[chan receive\]:$
// CHECK-RE: ^created by hire_worker\(goro::chan<int>\) in goroutine 1$
// CHECK-RE: goroutine_created_by_mid\.cpp:[0-9]+
// CHECK-NOT: created by void goro::
// CHECK-NOT: unreachable
#include <atomic>
#include <cstdio>
#include <goro/chan.hpp>
#include <goro/goro.hpp>

std::atomic<int> hired{0};

__attribute__((noinline)) void hire_worker(goro::chan<int> orders) {
  goro::go([orders] {
    int order = orders.recv();  // nobody ever sends
    std::fprintf(stderr, "unreachable: got order %d\n", order);
  });
  hired.fetch_add(1);
}

int main() {
  return goro::run([] {
    auto orders = goro::make_chan<int>();
    auto results = goro::make_chan<int>();
    hire_worker(orders);
    int r = results.recv();  // nobody ever sends either: global deadlock
    std::fprintf(stderr, "unreachable: got result %d\n", r);
    return 1;
  });
}
