// pthread_mutex_init writes the mutex object and pthread_mutex_lock reads it: one thread
// initialises a mutex, another thread locks it later with nothing ordering the two -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_pthread_mutex_init_vs_lock\.cpp:26\b
// CHECK: Previous
// CHECK-RE: race_pthread_mutex_init_vs_lock\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <thread>

#include "race_steps_threads.hpp"

pthread_mutex_t mu;  // zero-filled; initialised by the first thread

int main() {
  std::thread initialiser([] {
    pthread_mutex_init(&mu, nullptr);  // access 1
    reach(1);
  });
  std::thread user([] {
    await(1);
    pthread_mutex_lock(&mu);  // access 2
    pthread_mutex_unlock(&mu);
  });
  initialiser.join();
  user.join();
  pthread_mutex_destroy(&mu);
}
