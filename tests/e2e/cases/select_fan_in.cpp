// Fan-in with select: an unbuffered and a buffered producer, a default case that yields while
// nothing is ready, and a closed channel turned into a nil one (never ready) to stop polling it.
// Every value arrives exactly once and both producers are served.
// OPT: -O0 -O2
// ENV: GOMAXPROCS=2
// CHECK-STDOUT: received 20000 values, sum 199990000
// CHECK-STDOUT: both producers served: yes
// CHECK-STDOUT: closed seen: yes
// CHECK-NOT: panic
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    auto a = goro::make_chan<long>();
    auto b = goro::make_chan<long>(8);
    goro::go([a] {
      for (long i = 0; i < 10000; ++i) a.send(i);
    });
    goro::go([b] {
      for (long i = 10000; i < 20000; ++i) b.send(i);
      b.close();
    });
    long count = 0, sum = 0, from_a = 0, from_b = 0;
    bool b_closed = false;
    while (count < 20000) {
      goro::select(goro::recv_case(a, [&](long v) { ++count, sum += v, ++from_a; }),
                   goro::recv_case(b_closed ? goro::chan<long>() : b,
                                   [&](long v, bool ok) {
                                     if (ok) {
                                       ++count, sum += v, ++from_b;
                                     } else {
                                       b_closed =
                                           true;  // a nil channel is never ready: stop polling b
                                     }
                                   }),
                   goro::default_case([] { goro::yield(); }));
    }
    while (!b_closed) goro::select(goro::recv_case(b, [&](long, bool ok) { b_closed = !ok; }));
    std::printf("received %ld values, sum %ld\n", count, sum);
    std::printf("both producers served: %s\n", from_a == 10000 && from_b == 10000 ? "yes" : "no");
    std::printf("closed seen: %s\n", b_closed ? "yes" : "no");
  });
}
