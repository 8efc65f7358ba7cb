// start_detached_thread and foreign_threads_exist; see os_thread.hpp.
#include "sched/os_thread.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace goro::sched {
namespace {

// Threads started here; none ever exits. relaxed: read only by the deadlock check, which runs
// after every M has parked (each M was counted before it could park).
std::atomic<int> g_started{0};

// The "Threads:" line of /proc/self/status, or -1.
int process_threads() {
  const int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[4096];
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = '\0';
  const char* line = std::strstr(buf, "\nThreads:");
  return line != nullptr ? std::atoi(line + std::strlen("\nThreads:")) : -1;
}

// Threads that are neither the program's nor the runtime's. ThreadSanitizer runs background
// threads of its own, started at the latest by the process's first pthread_create: TSan builds
// count the threads there are once the runtime's first thread exists, besides that one and its
// creator, and take them for the sanitizer's (a program's own threads started before that are then
// missed by the deadlock check, in TSan builds only). relaxed: a check that runs before the count
// is set sees 0, so foreign threads, so no deadlock: the safe side.
std::atomic<int> g_sanitizer_threads{0};

}  // namespace

int start_detached_thread(void* (*fn)(void*), void* arg, pthread_t* thread) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&t, &attr, fn, arg);
  pthread_attr_destroy(&attr);
  // relaxed (both): see g_started and g_sanitizer_threads.
  if (rc == 0 && g_started.fetch_add(1, std::memory_order_relaxed) == 0) {
#if defined(GORO_SANITIZE_THREAD)
    g_sanitizer_threads.store(process_threads() - 2, std::memory_order_relaxed);
#endif
  }
  if (rc == 0 && thread != nullptr) *thread = t;
  return rc;
}

bool foreign_threads_exist() {
  const int all = process_threads();
  // relaxed: see g_started and g_sanitizer_threads (a stale count errs toward "foreign").
  return all > 0 && all > g_started.load(std::memory_order_relaxed) + 1 +
                              g_sanitizer_threads.load(std::memory_order_relaxed);
}

}  // namespace goro::sched
