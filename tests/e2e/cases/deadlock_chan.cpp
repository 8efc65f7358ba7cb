// Every channel wait shows its own state in the deadlock report, with the user's blocking call on
// top (runtime frames hidden): goroutine 1 receives on a channel nobody sends to, while others send
// with no receiver, wait on nil channels, and sit in a select.
// OPT: -O0 -O2
// EXIT: 2
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK-RE: ^goroutine 1 \[chan receive\]:$
// CHECK-RE: deadlock_chan\.cpp:36
// CHECK-RE: ^goroutine \d+ \[chan send\]:$
// CHECK-RE: deadlock_chan\.cpp:30
// CHECK-RE: ^goroutine \d+ \[chan receive \(nil chan\)\]:$
// CHECK-RE: deadlock_chan\.cpp:31
// CHECK-RE: ^goroutine \d+ \[chan send \(nil chan\)\]:$
// CHECK-RE: deadlock_chan\.cpp:32
// CHECK-RE: ^goroutine \d+ \[select\]:$
// CHECK-RE: deadlock_chan\.cpp:33
// CHECK-RE: ^goroutine \d+ \[select \(no cases\)\]:$
// CHECK-RE: deadlock_chan\.cpp:34
// CHECK-NOT: goro::channel::
// CHECK-NOT: goro::detail::chan_
// CHECK-NOT: goro::detail::select_
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    auto full = goro::make_chan<int>(1);
    full.send(0);
    goro::chan<int> nil;
    auto never = goro::make_chan<int>();
    goro::go([full] { full.send(1); });
    goro::go([nil] { nil.recv(); });
    goro::go([nil] { nil.send(1); });
    goro::go([never, nil] { goro::select(goro::recv_case(never), goro::send_case(nil, 2)); });
    goro::go([] { goro::select(); });
    goro::yield();
    never.recv();
  });
}
