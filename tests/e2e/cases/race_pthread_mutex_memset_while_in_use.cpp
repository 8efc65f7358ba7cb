// A plain write over a mutex another thread uses: memset of the mutex (a "reset" that forgets
// another thread locks it) races with the other thread's lock.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK-RE: race_pthread_mutex_memset_while_in_use\.cpp:37\b
// CHECK: Previous read at
// CHECK: pthread_mutex_lock
// CHECK-RE: race_pthread_mutex_memset_while_in_use\.cpp:30\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <cstring>
#include <thread>

#include "race_steps_threads.hpp"

struct counter {
  pthread_mutex_t mu;
  long n;
};

counter g_counter = {PTHREAD_MUTEX_INITIALIZER, 0};

int main() {
  std::thread user([] {
    // The lock and the unlock read the mutex in one segment: the report names the lock.
    pthread_mutex_lock(&g_counter.mu);  // access 1
    pthread_mutex_unlock(&g_counter.mu);
    reach(1);
  });
  std::thread resetter([] {
    await(1);
    // Only the mutex's own bytes: the counter itself was never touched.
    std::memset(&g_counter.mu, 0, sizeof g_counter.mu);  // access 2
  });
  user.join();
  resetter.join();
}
