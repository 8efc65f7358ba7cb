// realloc ends the old block's life (moved or not): growing a buffer another thread read with no
// ordering is a race, reported at the realloc under a "realloc" frame.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK: realloc
// CHECK-RE: race_realloc_while_another_thread_reads\.cpp:31\b
// CHECK: Previous read at
// CHECK-RE: race_realloc_while_another_thread_reads\.cpp:26\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "race_steps_threads.hpp"

int* g_bigger;
long g_seen;

int main() {
  int* items = static_cast<int*>(std::malloc(4 * sizeof(int)));
  for (int i = 0; i < 4; ++i) items[i] = i;
  std::thread reader([items] {
    g_seen = items[2];  // access 1
    reach(1);
  });
  std::thread grower([items] {
    await(1);
    g_bigger = static_cast<int*>(std::realloc(items, 1024 * sizeof(int)));  // access 2
  });
  reader.join();
  grower.join();
  std::printf("%ld\n", g_seen);
  std::free(g_bigger);
}
