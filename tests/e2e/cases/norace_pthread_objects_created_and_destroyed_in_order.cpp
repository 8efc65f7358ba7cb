// The clean twin of the pthread object races: a mutex, condition variable, rwlock and barrier
// initialised before the threads that use them start and destroyed after they are joined, and a
// heap object holding a mutex freed after its last user unlocked it under another lock.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: total 400
#include <pthread.h>

#include <cstdio>
#include <thread>
#include <vector>

struct shared {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_rwlock_t rw;
  pthread_barrier_t barrier;
  int total = 0;
  int arrived = 0;
};

int main() {
  auto* s = new shared;
  pthread_mutex_init(&s->mu, nullptr);
  pthread_cond_init(&s->cv, nullptr);
  pthread_rwlock_init(&s->rw, nullptr);
  pthread_barrier_init(&s->barrier, nullptr, 4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([s] {
      pthread_barrier_wait(&s->barrier);
      for (int i = 0; i < 100; ++i) {
        pthread_mutex_lock(&s->mu);
        ++s->total;
        pthread_mutex_unlock(&s->mu);
        pthread_rwlock_rdlock(&s->rw);
        pthread_rwlock_unlock(&s->rw);
      }
      pthread_mutex_lock(&s->mu);
      if (++s->arrived == 4) pthread_cond_broadcast(&s->cv);
      while (s->arrived < 4) pthread_cond_wait(&s->cv, &s->mu);
      pthread_mutex_unlock(&s->mu);
    });
  }
  for (std::thread& t : threads) t.join();
  std::printf("total %d\n", s->total);
  pthread_barrier_destroy(&s->barrier);
  pthread_rwlock_destroy(&s->rw);
  pthread_cond_destroy(&s->cv);
  pthread_mutex_destroy(&s->mu);
  delete s;
}
