// A goroutine captures a local by reference and uses it after the function that declared it has
// returned: the C++ bug a garbage collector hides. Reported as a stack use after return, naming the
// use, the frame's last write to the variable and where the goroutine was started.
// RUN-FLAGS: -race
// OPT: -O0 -O1 -O2
// EXIT: 66
// CHECK: WARNING: stack use after return
// CHECK-RE: ^Write at 0x[0-9a-f]+ by goroutine [0-9]+:
// CHECK-RE: after_return_goroutine_outlives_function\.cpp:2[0-9]\b
// CHECK: Previous write
// CHECK: start_counting
// CHECK: created at:
// CHECK: Found 1 stack use(s) after return
// CHECK-NOT: DATA RACE
#include <chrono>
#include <goro/goro.hpp>

goro::WaitGroup wg;
auto go_on = goro::make_chan<int>();

void start_counting() {
  int counter = 42;
  wg.add(1);
  goro::go([&] {   // NOLINT(goro-stack-capture): the bug under test
    go_on.recv();  // start_counting has returned by now
    counter = 7;
    wg.done();
  });
}

int main() {
  return goro::run([] {
    start_counting();
    go_on.send(1);
    wg.wait();
  });
}
