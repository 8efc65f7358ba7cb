// Clean twin of the init-vs-use races: one thread initialises a mutex, a condition variable and a
// barrier, then publishes them with a release store; the other thread uses them only after an
// acquire load sees the flag. Main destroys them after the joins and zero-fills the memory.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: used 1
#include <pthread.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

pthread_mutex_t mu;
pthread_cond_t cv;
pthread_barrier_t barrier;
std::atomic<bool> published{false};
int used;

int main() {
  std::thread initialiser([] {
    pthread_mutex_init(&mu, nullptr);
    pthread_cond_init(&cv, nullptr);
    pthread_barrier_init(&barrier, nullptr, 1);
    published.store(true, std::memory_order_release);
  });
  std::thread user([] {
    while (!published.load(std::memory_order_acquire)) std::this_thread::yield();
    pthread_mutex_lock(&mu);
    used = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_barrier_wait(&barrier);
  });
  initialiser.join();
  user.join();
  pthread_barrier_destroy(&barrier);
  pthread_cond_destroy(&cv);
  pthread_mutex_destroy(&mu);
  std::memset(&mu, 0, sizeof mu);
  std::memset(&cv, 0, sizeof cv);
  std::printf("used %d\n", used);
}
