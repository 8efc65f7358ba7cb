// A non-atomic read-modify-write split by a channel operation: each logger reads the next sequence
// number, sends the entry to the journal, then stores the number plus one.
//
// Bad interleaving: main reads the counter and is switched out at its send (a buffered send with
// room never blocks, so only a scheduler that yields before channel operations stops there); the
// worker logs its entry with the same number, and one increment is lost.
// Detected by: main's check after both logged, "BUG: two entries got one sequence number" (exit
// 1). Plain build (the race build would report the counter in every run, whatever the order).
// Default schedule: main logs right after the go statement and finishes before it blocks; the
// worker waits in main's runnext slot (an idle P steals it only after 3 us).
// Clean twin (-DCLEAN_TWIN): the read, the send and the write are under one mutex.
//
// DETECT: check
#include <mutex>

#include "stress.hpp"

int g_next_seq = 0;  // the bug: read and written by both loggers with nothing around the pair
goro::Mutex g_log_mu;

void log_entry(goro::chan<int> journal) {
#ifdef CLEAN_TWIN
  std::lock_guard lock(g_log_mu);
#endif
  const int seq = g_next_seq;
  journal.send(seq);  // room for every entry: never blocks
  g_next_seq = seq + 1;
}

int main() {
  return goro::run([] {
    auto journal = goro::make_chan<int>(4);
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([journal, &wg] {
      log_entry(journal);
      wg.done();
    });
    log_entry(journal);
    wg.wait();
    const int a = journal.recv();
    const int b = journal.recv();
    if (a == b) stress::fail("two entries got one sequence number");
  });
}
