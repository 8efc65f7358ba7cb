// pthread_cond_signal reads the condition variable and pthread_cond_destroy writes it: one thread
// signals (nobody waits), another thread destroys the condition variable later with no
// synchronisation -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_pthread_cond_destroy_vs_signal\.cpp:33\b
// CHECK: Previous
// CHECK-RE: race_pthread_cond_destroy_vs_signal\.cpp:28\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <atomic>
#include <thread>

// Orders the two accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

int main() {
  std::thread signaller([] {
    pthread_cond_signal(&cv);  // access 1
    reach(1);
  });
  std::thread destroyer([] {
    await(1);
    pthread_cond_destroy(&cv);  // access 2
  });
  signaller.join();
  destroyer.join();
}
