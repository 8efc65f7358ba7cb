// Check-then-act on a channel's length: post() sends into a one-slot mailbox only if it looks
// empty, so that it "never blocks"; len() is only a snapshot.
//
// Bad interleaving: main sees the mailbox empty and is switched out in stamp(); the worker sees it
// empty too and fills it; main's send then blocks for good, as nobody receives.
// Detected by: the runtime's deadlock report ("fatal error: all goroutines are asleep -
// deadlock!", exit 2). Plain build.
// Default schedule: main posts right after the go statement, before it blocks; the worker, waiting
// in main's runnext slot (an idle P steals it only after 3 us), finds the mailbox full and drops.
// Clean twin (-DCLEAN_TWIN): post() uses try_send, one step that never blocks.
//
// DETECT: deadlock
#include "stress.hpp"

GORO_NOINLINE int stamp(int msg) { return stress::opaque(msg * 10); }

void post(goro::chan<int> box, int msg) {
#ifdef CLEAN_TWIN
  box.try_send(stamp(msg));
#else
  if (box.len() < box.cap()) box.send(stamp(msg));
#endif
}

int main() {
  return goro::run([] {
    auto box = goro::make_chan<int>(1);
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([box, &wg] {
      post(box, 2);
      wg.done();
    });
    post(box, 1);
    wg.wait();
    return box.recv() > 0 ? 0 : 1;
  });
}
