// A send on a closed channel panics with Go's message: caught, the panic plays recover; uncaught,
// it prints "panic: send on closed channel" and the panicking goroutine, and the process exits 2.
// The same for close of a closed and of a nil channel (caught here).
// OPT: -O0 -O2
// EXIT: 2
// CHECK: recovered: close of closed channel
// CHECK: recovered: close of nil channel
// CHECK: recovered: send on closed channel
// CHECK: panic: send on closed channel
// CHECK-RE: ^goroutine \d+ \[running\]:$
// CHECK-RE: chan_send_on_closed\.cpp:34
// CHECK-NOT: unreachable
#include <cstdio>
#include <goro/goro.hpp>

template <class F>
void recovered(F&& f) {
  try {
    f();
  } catch (const goro::panic_error& e) {
    std::fprintf(stderr, "recovered: %s\n", e.what());
  }
}

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int>(1);
    c.close();
    recovered([&] { c.close(); });
    recovered([] { goro::chan<int>().close(); });
    recovered([&] { c.send(1); });
    auto done = goro::make_chan<int>();
    goro::go([c] {
      c.send(2);
      std::fprintf(stderr, "unreachable\n");
    });
    done.recv();
  });
}
