// Goroutines and channels in a dozen lines: ten workers square numbers, main sums the results.
//
//   goro run examples/hello.cpp
//
// CHECK-STDOUT: sum of squares 1..10 = 385
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    auto results = goro::make_chan<int>(10);
    for (int i = 1; i <= 10; ++i) {
      goro::go([results](int n) { results.send(n * n); }, i);
    }
    int sum = 0;
    for (int i = 0; i < 10; ++i) sum += results.recv();
    std::printf("sum of squares 1..10 = %d\n", sum);
  });
}
