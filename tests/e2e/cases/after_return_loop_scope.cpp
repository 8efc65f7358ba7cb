// A variable of one loop iteration handed to a goroutine that reads it after the iteration's scope
// ended: the function is still running, but the variable is dead (its scope's end, not a return).
// Optimised builds only: clang marks a scope's end for the optimiser, and at -O0 a variable lives
// until its function returns.
// RUN-FLAGS: -race
// OPT: -O1 -O2
// EXIT: 66
// CHECK: WARNING: stack use after return
// CHECK-RE: ^Read at 0x[0-9a-f]+ by goroutine [0-9]+:
// CHECK-RE: after_return_loop_scope\.cpp:(2[0-9]|3[0-9])\b
// CHECK: Found 1 stack use(s) after return
#include <cstdio>
#include <goro/goro.hpp>

__attribute__((noinline)) void consume(int v) { std::printf("%d\n", v); }

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    auto go_on = goro::make_chan<int>(4);
    {
      int job = 1;
      wg.add(1);
      goro::go([&] {  // NOLINT(goro-stack-capture): the bug under test
        go_on.recv();
        consume(job);  // `job`'s scope has ended
        wg.done();
      });
    }
    go_on.send(1);
    wg.wait();
  });
}
