// GORODEBUG=leakcheck=1: when main returns, the goroutines still alive are reported, grouped by
// the go statement that created them. Two senders on a channel whose only handles are their own
// captured copies are proved leaked, as is a receiver on a nil channel; leakcheckexit=3 makes such
// a run exit 3. (GOMAXPROCS=1 and a yield: the goroutines have parked before main returns.)
// OPT: -O0 -O1 -O2
// ENV: GOMAXPROCS=1
// ENV: GORODEBUG=leakcheck=1,leakcheckexit=3
// EXIT: 3
// CHECK: leak check: 3 goroutines left: 3 leaked, 0 still blocked, 0 still running
// CHECK-RE: ^2 goroutines leaked \[chan send\], created at .*leakcheck_leaked_sender\.cpp:23
// CHECK: blocked for ever: every handle of its channel is held by goroutines blocked on it
// CHECK-RE: ^goroutine \d+ \[chan send\]:$
// CHECK-RE: ^1 goroutine leaked \[chan receive \(nil chan\)\], created at .*_sender\.cpp:25
// CHECK: blocked for ever: it waits on a nil channel
// CHECK-NOT: still blocked [
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    {
      auto results = goro::make_chan<int>();
      for (int i = 0; i < 2; ++i) goro::go([results, i] { results.send(i); });
    }  // nobody will ever receive: main's handle is gone
    goro::go([] { goro::chan<int>().recv(); });
    goro::yield();
    std::puts("main returns");
    return 0;
  });
}
