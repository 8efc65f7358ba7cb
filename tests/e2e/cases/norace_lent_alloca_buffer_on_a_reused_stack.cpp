// A goroutine lends a variable-length array and an alloca() buffer to children, waits for them
// and returns without touching either itself; the buffers lie below every frame of its own that a
// hook saw. A later goroutine, unrelated to the children, runs on the recycled stack and writes
// locals of its own there. No race: the lender's end forgets what its children wrote into its
// stack (the hook that announces a buffer live notes its frame). The children park until the end,
// keeping their clock slots, which would otherwise pass their writes on as ordered.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// ENV: GOMAXPROCS=2
// RUNS: 10 10
// CHECK-STDOUT: 101 101
// CHECK-NOT: WARNING
#include <alloca.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <goro/goro.hpp>

goro::chan<int> hold = goro::make_chan<int>(0);  // never sent on: the children park here

__attribute__((noinline)) void lend_vla(int n) {
  goro::WaitGroup wg;
  wg.add(1);
  int64_t vla[n];
  int64_t* buf = vla;
  goro::go([buf, n, &wg] {
    for (int i = 0; i < n; ++i) buf[i] = i;
    wg.done();
    hold.recv();
  });
  wg.wait();
}

__attribute__((noinline)) void lend_alloca(int n) {
  goro::WaitGroup wg;
  wg.add(1);
  auto* buf = static_cast<int64_t*>(alloca(n * sizeof(int64_t)));
  goro::go([buf, n, &wg] {
    for (int i = 0; i < n; ++i) buf[i] = i;
    wg.done();
    hold.recv();
  });
  wg.wait();
}

__attribute__((noinline)) void set(int32_t* p) { *p = 1; }
__attribute__((noinline)) int deep(int d) {
  int32_t x;
  set(&x);
  return d == 0 ? x : deep(d - 1) + x;
}

int main() {
  return goro::run([] {
    auto results = goro::make_chan<int>(0);
    for (auto lend : {lend_vla, lend_alloca}) {
      goro::go([lend] { lend(1024); });
      goro::go([results] {
        goro::sleep(std::chrono::milliseconds(20));  // orders the writes in time only
        goro::go([results] { results.send(deep(100)); });
      });
      const int got = results.recv();
      std::printf(lend == lend_vla ? "%d " : "%d\n", got);
    }
    return 0;
  });
}
