// A thread_local object with a constructor (dynamically initialised on first use in each thread)
// escapes: the owner uses it, publishes its address with a relaxed store, and another thread then
// updates a field through the pointer while the owner is alive -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_thread_local_object_with_constructor_escapes\.cpp:54\b
// CHECK: Previous
// CHECK-RE: race_thread_local_object_with_constructor_escapes\.cpp:46\b
// CHECK: Found 1 data race(s)
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "race_steps_threads.hpp"

// Keeps the thread that made the first access alive without spinning (a long spin would push that
// access out of the detector's history): a blocking pipe read, woken only after the second access.
int park_fds[2];
void park() {
  char c;
  if (read(park_fds[0], &c, 1) != 1) std::abort();
}
void unpark() {
  if (write(park_fds[1], "x", 1) != 1) std::abort();
}

std::atomic<int> constructed{0};

struct Stats {
  Stats() : hits(0), misses(0) { constructed.fetch_add(1, std::memory_order_relaxed); }
  long hits;
  long misses;
};

thread_local Stats tl_stats;
std::atomic<Stats*> escaped{nullptr};

int main() {
  if (pipe(park_fds) != 0) return 1;
  std::thread owner([] {
    tl_stats.hits = 3;  // access 1
    escaped.store(&tl_stats, std::memory_order_relaxed);
    reach(1);
    park();
  });
  std::thread other([] {
    await(1);
    Stats* s = escaped.load(std::memory_order_relaxed);
    s->hits = 4;  // access 2
    unpark();
  });
  owner.join();
  other.join();
  std::printf("constructed %d\n", constructed.load());
}
