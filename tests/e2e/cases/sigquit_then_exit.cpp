// SIGQUIT just before the program calls exit() still prints every goroutine and exits 2: exit's
// handlers wait for the reporter thread.
//
// ENV: GOMAXPROCS=1
// EXIT: 2
// CHECK: SIGQUIT: quit
// CHECK-RE: ^goroutine 1 \[running\]:$
#include <signal.h>

#include <cstdlib>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    raise(SIGQUIT);
    std::exit(0);
    return 0;
  });
}
