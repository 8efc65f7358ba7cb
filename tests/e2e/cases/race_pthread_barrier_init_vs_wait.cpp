// pthread_barrier_init writes the barrier object and pthread_barrier_wait reads it: one thread
// initialises a barrier (count 1, so waiting never blocks), another thread then waits on it with
// nothing ordering the two -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_pthread_barrier_init_vs_wait\.cpp:33\b
// CHECK: Previous
// CHECK-RE: race_pthread_barrier_init_vs_wait\.cpp:28\b
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

pthread_barrier_t barrier;

int main() {
  std::thread initialiser([] {
    pthread_barrier_init(&barrier, nullptr, 1);  // access 1
    reach(1);
  });
  std::thread waiter([] {
    await(1);
    pthread_barrier_wait(&barrier);  // access 2
  });
  initialiser.join();
  waiter.join();
  pthread_barrier_destroy(&barrier);
}
