// Double-checked initialisation done wrong: the table's pointer is published before the table is
// filled, so a caller on the lock-free fast path can read an unfilled entry.
//
// Bad interleaving: main takes the slow path, publishes the pointer and is switched out in fill();
// the worker's lookup takes the fast path and reads an entry that is still zero.
// Detected by: the worker's check, "BUG: read a table entry before it was filled" (exit 1). Plain
// build (the race build would also report the unordered accesses, in every run where they meet).
// Default schedule: main's lookup runs right after the go statement and fills the table before it
// blocks; the worker waits in main's runnext slot (an idle P steals it only after 3 us).
// Clean twin (-DCLEAN_TWIN): the table is filled first and published after.
//
// DETECT: check
#include <atomic>
#include <mutex>

#include "stress.hpp"

struct Table {
  int squares[16];
};

std::atomic<Table*> g_table{nullptr};
goro::Mutex g_init_mu;

GORO_NOINLINE void fill(Table* t) {
  for (int i = 0; i < 16; ++i) t->squares[i] = stress::opaque(i * i);
}

const Table* table() {
  // acquire: pairs with the release store below; a non-null pointer should mean a filled table.
  if (const Table* t = g_table.load(std::memory_order_acquire)) return t;
  std::lock_guard lock(g_init_mu);
  if (const Table* t = g_table.load(std::memory_order_relaxed)) return t;  // the mutex orders it
  auto* t = new Table{};
#ifdef CLEAN_TWIN
  fill(t);
  g_table.store(t, std::memory_order_release);
#else
  g_table.store(t, std::memory_order_release);  // too early: the fill below is not published
  fill(t);
#endif
  return t;
}

void lookup(int i) {
  if (table()->squares[i] != i * i) stress::fail("read a table entry before it was filled");
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&wg] {
      lookup(15);
      wg.done();
    });
    lookup(1);
    wg.wait();
  });
}
