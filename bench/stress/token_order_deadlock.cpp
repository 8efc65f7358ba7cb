// A deadlock that needs one order: two goroutines each take two tokens (one-slot channels used as
// locks), in opposite orders. It deadlocks only when each holds its first token at once.
//
// Bad interleaving: main takes token a and is switched out in prepare(); the worker takes token b
// and blocks on a; main then blocks on b.
// Detected by: the runtime's deadlock report ("fatal error: all goroutines are asleep -
// deadlock!", exit 2). Plain build.
// Default schedule: main takes both tokens and gives them back right after the go statement,
// before it blocks; the worker waits in main's runnext slot (an idle P steals it after 3 us).
// Clean twin (-DCLEAN_TWIN): both take a before b.
//
// DETECT: deadlock
#include "stress.hpp"

GORO_NOINLINE void prepare(int who) { stress::opaque(who); }

void use_both(goro::chan<int> first, goro::chan<int> second, int who) {
  const int t1 = first.recv();
  prepare(who);
  const int t2 = second.recv();
  stress::opaque(t1 + t2);
  second.send(t2);  // one slot each, emptied by our receives: never blocks
  first.send(t1);
}

int main() {
  return goro::run([] {
    auto a = goro::make_chan<int>(1);
    auto b = goro::make_chan<int>(1);
    a.send(1);
    b.send(2);
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([a, b, &wg] {
#ifdef CLEAN_TWIN
      use_both(a, b, 2);
#else
      use_both(b, a, 2);
#endif
      wg.done();
    });
    use_both(a, b, 1);
    wg.wait();
  });
}
