// Freeing is a write of the block: delete of an object another thread read with no ordering
// between the read and the delete is a race, reported at the delete under a "free" frame.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK: free
// CHECK-RE: race_free_while_another_thread_reads\.cpp:41\b
// CHECK: Previous read at
// CHECK-RE: race_free_while_another_thread_reads\.cpp:36\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdio>
#include <thread>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

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
