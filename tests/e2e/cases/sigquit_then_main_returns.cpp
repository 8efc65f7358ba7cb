// SIGQUIT just before the program ends on its own still prints every goroutine and exits 2:
// goro::run's end waits for the reporter thread. Here goroutine 1 raises the signal and returns at
// once, as one does whose blocking call the signal cut short.
//
// ENV: GOMAXPROCS=1
// EXIT: 2
// CHECK: SIGQUIT: quit
// CHECK-RE: ^goroutine 1 \[running\]:$
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[chan receive\]:$
#include <signal.h>

#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    auto never = goro::make_chan<int>();
    goro::go([never] { never.recv(); });
    goro::yield();
    raise(SIGQUIT);
    return 0;
  });
}
