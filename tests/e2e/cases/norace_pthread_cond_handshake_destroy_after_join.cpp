// Clean twin of the condition-variable races: mutex and condition variable are initialised before
// the threads start; a producer signals and a consumer waits concurrently (signal and wait both
// only read the object) in a 100-item hand-off; both are destroyed after the joins.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: sum 4950
#include <pthread.h>

#include <cstdio>
#include <thread>

pthread_mutex_t mu;
pthread_cond_t cv;
int slot = -1;  // -1: empty
long sum;

int main() {
  pthread_mutex_init(&mu, nullptr);
  pthread_cond_init(&cv, nullptr);
  std::thread producer([] {
    for (int i = 0; i < 100; ++i) {
      pthread_mutex_lock(&mu);
      while (slot != -1) pthread_cond_wait(&cv, &mu);
      slot = i;
      pthread_cond_broadcast(&cv);
      pthread_mutex_unlock(&mu);
    }
  });
  std::thread consumer([] {
    for (int i = 0; i < 100; ++i) {
      pthread_mutex_lock(&mu);
      while (slot == -1) pthread_cond_wait(&cv, &mu);
      sum += slot;
      slot = -1;
      pthread_cond_signal(&cv);
      pthread_mutex_unlock(&mu);
    }
  });
  producer.join();
  consumer.join();
  pthread_cond_destroy(&cv);
  pthread_mutex_destroy(&mu);
  std::printf("sum %ld\n", sum);
}
