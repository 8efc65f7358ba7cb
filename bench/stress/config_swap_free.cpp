// A stale read across a swap: main replaces the shared config and frees the old one at once,
// while a reader that loaded the old pointer may still use it.
//
// Bad interleaving: main is switched out in load_config(), after the go statement and before the
// swap; the reader loads the old config and reads it; main then swaps and deletes it, with nothing
// ordering the reader's accesses before the delete.
// Detected by: the race detector (race build, -race): the delete (a write of the block) races
// with the reader's read, exit 66. When the reader runs after the swap it reads only the new
// config, published by the exchange, and nothing is reported.
// Default schedule: main swaps right after the go statement, before it blocks; the reader waits
// in main's runnext slot or run queue (the race build skips runnext at random) until main blocks
// or an idle P wakes up and steals it, far longer than load_config() takes. The race build's
// yield before 1 in 16 channel operations has no point inside this window.
// Clean twin (-DCLEAN_TWIN): main deletes the old config only after the reader has finished.
//
// DETECT: race
#include <atomic>

#include "stress.hpp"

struct Config {
  int limit;
  int burst;
};

std::atomic<Config*> g_config{nullptr};

GORO_NOINLINE Config* load_config(int limit) {
  return new Config{stress::opaque(limit), stress::opaque(limit / 4)};
}

void reader(goro::chan<int> budgets) {
  // acquire: pairs with the release of the store (or exchange) that published the config.
  const Config* c = g_config.load(std::memory_order_acquire);
  budgets.send(c->limit + c->burst);
}

int main() {
  return goro::run([] {
    g_config.store(load_config(8), std::memory_order_release);
    auto budgets = goro::make_chan<int>(1);
    goro::go(reader, budgets);
    Config* next = load_config(16);
    // acq_rel: publishes next's fields; acquires the old config's, which delete writes.
    Config* old = g_config.exchange(next, std::memory_order_acq_rel);
#ifdef CLEAN_TWIN
    const int budget = budgets.recv();  // the reader is done with whichever config it saw
    delete old;
#else
    delete old;  // "nobody can reach it any more": a reader may still hold it
    const int budget = budgets.recv();
#endif
    return budget == 10 || budget == 20 ? 0 : 1;
  });
}
