// start_detached_thread; see os_thread.hpp.
#include "sched/os_thread.hpp"

namespace goro::sched {

int start_detached_thread(void* (*fn)(void*), void* arg, pthread_t* thread) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&t, &attr, fn, arg);
  pthread_attr_destroy(&attr);
  if (rc == 0 && thread != nullptr) *thread = t;
  return rc;
}

}  // namespace goro::sched
