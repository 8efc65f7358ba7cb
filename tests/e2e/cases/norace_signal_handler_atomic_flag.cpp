// A signal handler updates an atomic the interrupted code keeps loading, the usual way a handler
// talks to a program. The detector's atomic hooks lock the location while they run, so a handler
// arriving inside one must not run hooks of its own on that thread (it would wait for the lock
// forever): handlers run with the hooks passing through. alarm() turns a hang into a failure.
// Asking for the disposition reports the program's handler, not the detector's wrapper.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: handled 1
// CHECK-STDOUT: disposition is the program's: 1
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

std::atomic<int> hits{0};
std::atomic<bool> stop{false};

void on_usr1(int) { hits.fetch_add(1); }

int main() {
  alarm(60);
  std::signal(SIGUSR1, on_usr1);
  const pthread_t self = pthread_self();
  std::thread sender([self] {
    for (int i = 0; i < 20000; ++i) pthread_kill(self, SIGUSR1);
    stop.store(true);
  });
  long loads = 0;
  while (!stop.load()) loads += hits.load();
  sender.join();
  std::printf("handled %d\n", hits.load() > 0);
  struct sigaction now {};
  sigaction(SIGUSR1, nullptr, &now);
  std::printf("disposition is the program's: %d\n", now.sa_handler == on_usr1);
  std::signal(SIGUSR1, SIG_IGN);
  return loads < 0;
}
