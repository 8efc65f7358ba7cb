// pthread_barrier_init writes the barrier object and pthread_barrier_wait reads it: one thread
// initialises a barrier (count 1, so waiting never blocks), another thread then waits on it with
// nothing ordering the two -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_pthread_barrier_init_vs_wait\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_pthread_barrier_init_vs_wait\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <thread>

#include "race_steps_threads.hpp"

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
