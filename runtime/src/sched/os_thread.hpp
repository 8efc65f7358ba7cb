// Starting the runtime's own OS threads (Ms, sysmon, the SIGQUIT reporter): detached, since none of
// them is ever joined.
#pragma once

#include <pthread.h>

namespace goro::sched {

// Starts fn(arg) on a new detached thread. Returns pthread_create's result (0 on success).
int start_detached_thread(void* (*fn)(void*), void* arg, pthread_t* thread = nullptr);

}  // namespace goro::sched
