// Closing twice: stop() asks "is quit closed yet?" with a select and a default case, and closes it
// if not; two goroutines stop at about the same time.
//
// Bad interleaving: main's select finds quit open and main is switched out in log_stop(); the
// worker's stop finds it open too and closes it; main then closes it again.
// Detected by: the runtime's panic, "panic: close of closed channel" (exit 2). Plain build.
// Default schedule: main stops right after the go statement and closes quit before it blocks; the
// worker, waiting in main's runnext slot (an idle P steals it only after 3 us), finds quit closed.
// Clean twin (-DCLEAN_TWIN): a goro::Once closes quit.
//
// DETECT: panic
#include "stress.hpp"

GORO_NOINLINE void log_stop(int who) { stress::opaque(who); }

void stop(goro::chan<bool> quit, int who) {
#ifdef CLEAN_TWIN
  static goro::Once once;
  once.call([&] {
    log_stop(who);
    quit.close();
  });
#else
  bool closed = false;
  goro::select(goro::recv_case(quit, [&] { closed = true; }), goro::default_case());
  if (!closed) {
    log_stop(who);
    quit.close();
  }
#endif
}

int main() {
  return goro::run([] {
    auto quit = goro::make_chan<bool>();
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([quit, &wg] {
      stop(quit, 2);
      wg.done();
    });
    stop(quit, 1);
    wg.wait();
  });
}
