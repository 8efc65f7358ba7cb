// A program that deadlocks: main waits for a result that the worker never sends, because the worker
// itself waits for a request nobody makes. goro reports it the way Go does and exits with status 2.
//
//   goro run examples/deadlock.cpp
//
// EXIT: 2
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK-RE: ^goroutine 1 \[chan receive\]:$
// CHECK: main::$_0::operator()() const
// CHECK-RE: ^goroutine \d+ \[chan receive\]:$
// CHECK: worker(goro::chan<int>, goro::chan<int>)
// CHECK-RE: ^created by main::\$_0::operator\(\)\(\) const in goroutine 1$
#include <cstdio>
#include <goro/goro.hpp>

void worker(goro::chan<int> requests, goro::chan<int> results) {
  int n = requests.recv();  // nobody ever sends
  results.send(n * 2);
}

int main() {
  return goro::run([] {
    auto requests = goro::make_chan<int>();
    auto results = goro::make_chan<int>();
    goro::go(worker, requests, results);
    std::printf("result: %d\n", results.recv());
  });
}
