// Detached threads one after another, each writing only its own thread_local buffer. A finished
// detached thread's stack (and the static TLS inside it) goes back to glibc's cache and is handed
// to the next thread, so the next thread's thread_local usually sits at the same address, with no
// happens-before between the two threads (only relaxed atomics and sleeps here). They are
// different objects, so this is not a race (ThreadSanitizer resets a new thread's TLS range).
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: waves 6 checksum ok
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

thread_local long tl_buffer[64];
std::atomic<int> finished{0};
std::atomic<bool> bad{false};

int main() {
  constexpr int kWaves = 6;
  for (int wave = 0; wave < kWaves; ++wave) {
    std::thread([wave] {
      for (int i = 0; i < 64; ++i) tl_buffer[i] = wave * 100 + i;
      long sum = 0;
      for (long v : tl_buffer) sum += v;
      if (sum != wave * 6400 + 2016) bad.store(true, std::memory_order_relaxed);
      finished.fetch_add(1, std::memory_order_relaxed);
    }).detach();
    while (finished.load(std::memory_order_relaxed) <= wave) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let it exit and free its stack
  }
  std::printf("waves %d checksum %s\n", finished.load(std::memory_order_relaxed),
              bad.load(std::memory_order_relaxed) ? "bad" : "ok");
}
