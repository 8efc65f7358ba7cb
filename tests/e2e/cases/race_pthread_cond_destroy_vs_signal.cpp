// pthread_cond_signal reads the condition variable and pthread_cond_destroy writes it: one thread
// signals (nobody waits), another thread destroys the condition variable later with no
// synchronisation -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_pthread_cond_destroy_vs_signal\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_pthread_cond_destroy_vs_signal\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <thread>

#include "race_steps_threads.hpp"

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
