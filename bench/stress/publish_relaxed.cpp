// Publication without release: the producer raises a relaxed flag after writing its result, and
// main takes a fast path that reads the result as soon as it sees the flag.
//
// Bad interleaving: main is switched out in prepare(), after the go statement and before it looks
// at the flag; the producer runs and publishes, and main then sees the flag and reads the result
// with nothing ordering the producer's writes before that read.
// Detected by: the race detector (race build, -race): a data race on g_result, exit 66. It is
// reported only when main sees the flag; otherwise main waits on the channel, which orders the
// accesses.
// Default schedule: main checks the flag right after the go statement, before the producer has
// run (at GOMAXPROCS=2 the producer waits in main's runnext slot or run queue until an idle P
// wakes up and steals it, far longer than prepare() takes). The race build's schedule shaking
// (runnext skipped, a yield before 1 in 16 channel operations) has no point inside this window.
// Clean twin (-DCLEAN_TWIN): the flag is stored with release and loaded with acquire.
//
// DETECT: race
#include <atomic>

#include "stress.hpp"

int g_result = 0;
std::atomic<bool> g_published{false};

#ifdef CLEAN_TWIN
constexpr auto kPublish = std::memory_order_release;  // the result's writes come with the flag
constexpr auto kObserve = std::memory_order_acquire;
#else
constexpr auto kPublish = std::memory_order_relaxed;  // the bug: nothing comes with the flag
constexpr auto kObserve = std::memory_order_relaxed;
#endif

GORO_NOINLINE void prepare() { stress::opaque(7); }

void producer(goro::chan<int> done) {
  g_result = stress::opaque(42);
  g_published.store(true, kPublish);
  done.send(1);  // buffered: never blocks
}

int main() {
  return goro::run([] {
    auto done = goro::make_chan<int>(1);
    goro::go(producer, done);
    prepare();
    int value;
    if (g_published.load(kObserve)) {
      value = g_result;  // fast path: the result is already there
    } else {
      done.recv();  // the receive orders the producer's write before our read
      value = g_result;
    }
    return value == 42 ? 0 : 1;  // a race found makes the exit status 66 whatever this says
  });
}
