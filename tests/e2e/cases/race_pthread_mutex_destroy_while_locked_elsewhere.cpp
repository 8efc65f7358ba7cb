// pthread objects are memory: destroying a mutex writes it, so a destroy unordered with another
// thread's use of the same mutex is a race on the mutex (as ThreadSanitizer reports it). The lock
// and the unlock read the mutex in one segment: the report names the first of the two.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK: pthread_mutex_destroy
// CHECK-RE: race_pthread_mutex_destroy_while_locked_elsewhere\.cpp:32\b
// CHECK: Previous read at
// CHECK: pthread_mutex_lock
// CHECK-RE: race_pthread_mutex_destroy_while_locked_elsewhere\.cpp:26\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <thread>

#include "race_steps_threads.hpp"

pthread_mutex_t g_mu;

int main() {
  pthread_mutex_init(&g_mu, nullptr);
  std::thread user([] {
    pthread_mutex_lock(&g_mu);  // access 1
    pthread_mutex_unlock(&g_mu);
    reach(1);
  });
  std::thread destroyer([] {
    await(1);
    pthread_mutex_destroy(&g_mu);  // access 2
  });
  user.join();
  destroyer.join();
}
