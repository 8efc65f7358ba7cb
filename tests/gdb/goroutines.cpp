// The program tests/gdb/gdb_test.py stops in gdb: goroutines parked in each kind of wait, then
// main calls stop_here() (the breakpoint) while they wait. Lines named in the test are marked.
#include <chrono>
#include <goro/goro.hpp>

GORO_NOINLINE void stop_here() { asm volatile(""); }

GORO_NOINLINE void wait_for_value(goro::chan<int> c) {
  c.recv();  // LINE: chan receive
}

GORO_NOINLINE void wait_for_either(goro::chan<int> a, goro::chan<int> b) {
  goro::select(goro::recv_case(a), goro::recv_case(b));  // LINE: select
}

GORO_NOINLINE void take_lock(goro::Mutex& mu) {
  mu.lock();  // LINE: mutex
  mu.unlock();
}

GORO_NOINLINE void nap() {
  goro::sleep(std::chrono::hours(1));  // LINE: sleep
}

int main() {
  return goro::run([] {
    auto never = goro::make_chan<int>();
    goro::Mutex mu;
    mu.lock();
    goro::go([never] { wait_for_value(never); });
    goro::go([never] { wait_for_either(never, never); });
    goro::go([&mu] { take_lock(mu); });
    goro::go([] { nap(); });
    for (int i = 0; i < 10; ++i) goro::yield();  // at GOMAXPROCS=1 each runs until it parks
    stop_here();
    mu.unlock();
    never.close();
  });
}
