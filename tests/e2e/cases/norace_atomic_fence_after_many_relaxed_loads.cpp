// An acquire fence orders what every relaxed load before it read, however many other relaxed
// loads came in between: eight goroutines publish with a release fence and a relaxed flag, and
// goroutine 1 polls every flag relaxed, loads unrelated counters relaxed, then fences once.
// RUN-FLAGS: -race
// OPT: -O0 -O1 -O2
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: sum 36
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>

constexpr int kWriters = 8;
long data[kWriters];
std::atomic<int> flags[kWriters];
std::atomic<long> stats[5];

int main() {
  return goro::run([] {
    for (int i = 0; i < kWriters; ++i) {
      goro::go([i] {
        data[i] = i + 1;
        std::atomic_thread_fence(std::memory_order_release);
        flags[i].store(1, std::memory_order_relaxed);
      });
    }
    for (int i = 0; i < kWriters; ++i) {
      while (flags[i].load(std::memory_order_relaxed) == 0) goro::yield();
    }
    long unrelated = 0;
    for (auto& s : stats) unrelated += s.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    long sum = unrelated;
    for (long d : data) sum += d;
    std::printf("sum %ld\n", sum);
  });
}
