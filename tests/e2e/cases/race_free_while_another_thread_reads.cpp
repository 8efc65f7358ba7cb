// Freeing is a write of the block: delete of an object another thread read with no ordering
// between the read and the delete is a race, reported at the delete under a "free" frame.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK: free
// CHECK-RE: race_free_while_another_thread_reads\.cpp:35\b
// CHECK: Previous read at
// CHECK-RE: race_free_while_another_thread_reads\.cpp:30\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

struct job {
  long id;
  long cost;
};

job* g_job;
long g_seen;

int main() {
  g_job = new job{7, 3};
  g_job->cost = 4;
  std::thread reader([] {
    g_seen = g_job->cost;  // access 1
    reach(1);
  });
  std::thread reaper([] {
    await(1);
    delete g_job;  // access 2
  });
  reader.join();
  reaper.join();
  std::printf("%ld\n", g_seen);
}
