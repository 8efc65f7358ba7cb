// Starting the runtime's own OS threads (Ms, sysmon, the SIGQUIT reporter): detached, since none of
// them is ever joined.
#pragma once

#include <pthread.h>

namespace goro::sched {

// Starts fn(arg) on a new detached thread. Returns pthread_create's result (0 on success).
int start_detached_thread(void* (*fn)(void*), void* arg, pthread_t* thread = nullptr);

// Whether the process has threads the runtime did not start (plain std::threads, a library's
// workers), besides the one that called run(). Reads /proc/self/status: for the deadlock check
// only, which is rare. False when it cannot tell.
bool foreign_threads_exist();

}  // namespace goro::sched
