// A condition variable initialised by one thread while another signals it, with nothing ordering
// the two: pthread_cond_init writes the object, pthread_cond_signal reads it.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK: pthread_cond_init
// CHECK-RE: race_pthread_cond_init_vs_signal\.cpp:35\b
// CHECK: Previous read at
// CHECK: pthread_cond_signal
// CHECK-RE: race_pthread_cond_init_vs_signal\.cpp:30\b
// CHECK: Found 1 data race(s)
#include <pthread.h>

#include <atomic>
#include <thread>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

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
