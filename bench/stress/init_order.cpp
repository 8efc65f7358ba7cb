// Order violation: main starts the worker, then builds the table the worker reads.
//
// Bad interleaving: main is switched out inside build_table(), after the go statement and before
// the table is published; the worker runs first and finds no table.
// Detected by: the worker's check, "BUG: worker ran before the table was set up" (exit 1). Plain
// build.
// Default schedule: main runs on until it blocks in wg.wait(), so at GOMAXPROCS=1 the table is
// always there; at 2 the worker waits in main's runnext slot, which an idle P steals only after
// 3 us, far longer than build_table() takes.
// Clean twin (-DCLEAN_TWIN): the table is built and published before the go statement.
//
// DETECT: check
#include <atomic>

#include "stress.hpp"

struct Table {
  int rows[8];
};

std::atomic<Table*> g_table{nullptr};

GORO_NOINLINE Table* build_table() {
  auto* t = new Table;
  for (int i = 0; i < 8; ++i) t->rows[i] = stress::opaque(i * i);
  return t;
}

void worker(goro::WaitGroup* wg) {
  // acquire: pairs with main's release store, so the rows are visible with the pointer.
  const Table* t = g_table.load(std::memory_order_acquire);
  if (t == nullptr) stress::fail("worker ran before the table was set up");
  if (t->rows[3] != 9) stress::fail("worker read a half-built table");
  wg->done();
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
#ifdef CLEAN_TWIN
    g_table.store(build_table(), std::memory_order_release);
    goro::go(worker, &wg);
#else
    goro::go(worker, &wg);
    g_table.store(build_table(), std::memory_order_release);  // release: publishes the rows
#endif
    wg.wait();
  });
}
