// A condition variable initialised by one thread while another signals it, with nothing ordering
// the two: pthread_cond_init writes the object, pthread_cond_signal reads it.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK: pthread_cond_init
// CHECK-RE: race_pthread_cond_init_vs_signal\.cpp:29\b
// CHECK: Previous read at
// CHECK: pthread_cond_signal
// CHECK-RE: race_pthread_cond_init_vs_signal\.cpp:24\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <thread>

#include "race_steps_threads.hpp"

pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;

int main() {
  std::thread signaller([] {
    pthread_cond_signal(&g_cv);  // access 1
    reach(1);
  });
  std::thread reinit([] {
    await(1);
    pthread_cond_init(&g_cv, nullptr);  // access 2
  });
  signaller.join();
  reinit.join();
}
