// pthread_rwlock_init writes the rwlock object and pthread_rwlock_rdlock reads it: one thread
// initialises a rwlock, another thread read-locks it later with nothing ordering the two -> one
// race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_pthread_rwlock_init_vs_rdlock\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_pthread_rwlock_init_vs_rdlock\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <thread>

#include "race_steps_threads.hpp"

pthread_rwlock_t rw;  // zero-filled; initialised by the first thread

int main() {
  std::thread initialiser([] {
    pthread_rwlock_init(&rw, nullptr);  // access 1
    reach(1);
  });
  std::thread reader([] {
    await(1);
    pthread_rwlock_rdlock(&rw);  // access 2
    pthread_rwlock_unlock(&rw);
  });
  initialiser.join();
  reader.join();
  pthread_rwlock_destroy(&rw);
}
