// pthread_barrier_wait orders every thread's work before the barrier before every thread's work
// after it; pthread_tryjoin_np and pthread_timedjoin_np, when they succeed, order the thread's
// work before the caller's, as pthread_join does.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: barrier 6 tryjoin 7 timedjoin 8
#include <pthread.h>
#include <time.h>

#include <cstdio>

constexpr int kThreads = 3;
pthread_barrier_t barrier;
int slots[kThreads];
int sums[kThreads];

void* phase_worker(void* arg) {
  const auto me = reinterpret_cast<long>(arg);
  slots[me] = static_cast<int>(me) + 1;  // phase 1: each writes its own slot
  pthread_barrier_wait(&barrier);
  int sum = 0;  // phase 2: each reads every slot
  for (int v : slots) sum += v;
  sums[me] = sum;
  return nullptr;
}

int result;
void* set_result(void* arg) {
  result = static_cast<int>(reinterpret_cast<long>(arg));
  return nullptr;
}

int main() {
  pthread_barrier_init(&barrier, nullptr, kThreads);
  pthread_t threads[kThreads];
  for (long i = 0; i < kThreads; ++i)
    pthread_create(&threads[i], nullptr, phase_worker, reinterpret_cast<void*>(i));
  for (pthread_t t : threads) pthread_join(t, nullptr);
  pthread_barrier_destroy(&barrier);

  pthread_t t;
  pthread_create(&t, nullptr, set_result, reinterpret_cast<void*>(7));
  while (pthread_tryjoin_np(t, nullptr) != 0) {
  }
  const int tried = result;

  pthread_create(&t, nullptr, set_result, reinterpret_cast<void*>(8));
  for (;;) {
    timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 1;
    if (pthread_timedjoin_np(t, nullptr, &deadline) == 0) break;
  }
  std::printf("barrier %d tryjoin %d timedjoin %d\n", sums[0], tried, result);
}
