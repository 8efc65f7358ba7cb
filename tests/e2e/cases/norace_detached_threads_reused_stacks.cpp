// Detached threads that run one after another: glibc hands a finished thread's stack block (its
// static TLS included) to the next thread it creates, with no join to order the two. Each thread
// writes only its own locals and its own thread_local: no report.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: finished 5
#include <atomic>
#include <cstdio>
#include <thread>

thread_local int per_thread_counter;
std::atomic<int> finished{0};

__attribute__((noinline)) void fill(volatile int* p, int n, int v) {
  for (int i = 0; i < n; ++i) p[i] = v;
}

int main() {
  for (int i = 0; i < 5; ++i) {
    std::thread([i] {
      volatile int local[16];
      fill(local, 16, i);
      per_thread_counter += i;
      finished.fetch_add(1, std::memory_order_relaxed);
    }).detach();
    // Wait for it to finish (relaxed: no edge, as between unrelated threads), and a little longer
    // so that it has exited and its stack is back in glibc's cache for the next one.
    while (finished.load(std::memory_order_relaxed) != i + 1) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::printf("finished %d\n", finished.load());
}
