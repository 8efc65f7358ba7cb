// WaitGroup add inside the goroutine: the worker registers a job in the WaitGroup when it picks it
// up, so main's wait() can run before the add and return at once.
//
// Bad interleaving: the worker receives the job and is switched out in log_pickup(), before its
// add; main's send has completed, so main reaches wait() with the counter at zero and reads the
// result before the worker has written it.
// Detected by: main's check, "BUG: wait returned before the job was done" (exit 1). Plain build.
// Default schedule: main's send parks it (the worker has not run yet); the worker's receive
// readies main into runnext and the worker runs on through add, the job and done before main
// gets the P back (an idle P steals runnext only after 3 us).
// Clean twin (-DCLEAN_TWIN): main adds before it sends the job; the worker only calls done().
//
// DETECT: check
#include <atomic>

#include "stress.hpp"

std::atomic<int> g_result{0};

GORO_NOINLINE void log_pickup(int job) { stress::opaque(job); }

void worker(goro::chan<int> jobs, goro::WaitGroup* wg) {
  const int job = jobs.recv();
  log_pickup(job);
#ifndef CLEAN_TWIN
  wg->add(1);  // too late: main may be past its wait() already
#endif
  g_result.store(stress::opaque(job * 2), std::memory_order_relaxed);  // done() orders it
  wg->done();
}

int main() {
  return goro::run([] {
    auto jobs = goro::make_chan<int>();
    goro::WaitGroup wg;
    goro::go(worker, jobs, &wg);
#ifdef CLEAN_TWIN
    wg.add(1);
#endif
    jobs.send(21);
    wg.wait();
    if (g_result.load(std::memory_order_relaxed) != 42) {
      stress::fail("wait returned before the job was done");
    }
  });
}
