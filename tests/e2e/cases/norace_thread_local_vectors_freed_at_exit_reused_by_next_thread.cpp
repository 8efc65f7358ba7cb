// Detached threads one after another, each filling its own thread_local std::vector, which is
// destroyed (its buffer freed) when the thread exits. The next thread usually gets the same thread
// arena and the same TLS block, so its vector's buffer lands on the memory the previous thread
// freed, with no happens-before between the threads (relaxed atomics and sleeps only). Memory
// freed and then handed out again by malloc is a new object: not a race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: waves 6 ok
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

thread_local std::vector<long> tl_items;
std::atomic<int> finished{0};
std::atomic<bool> bad{false};

int main() {
  constexpr int kWaves = 6;
  for (int wave = 0; wave < kWaves; ++wave) {
    std::thread([wave] {
      for (int i = 0; i < 300; ++i) tl_items.push_back(wave + i);
      long sum = 0;
      for (long v : tl_items) sum += v;
      if (sum != 300L * wave + 44850) bad.store(true, std::memory_order_relaxed);
      finished.fetch_add(1, std::memory_order_relaxed);
    }).detach();
    while (finished.load(std::memory_order_relaxed) <= wave) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let it exit: tl_items is freed
  }
  std::printf("waves %d %s\n", finished.load(std::memory_order_relaxed),
              bad.load(std::memory_order_relaxed) ? "bad" : "ok");
}
