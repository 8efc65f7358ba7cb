// Memory reused by a later allocation after proper synchronisation: a worker writes a block main
// gave it and signals completion (release/acquire); main frees the block, allocates a new one of
// the same size (usually the very same address), writes it, and hands it to the worker again,
// which writes it too. Every access is ordered; the free and the reuse must not be reported.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: second 7
#include <atomic>
#include <cstdio>
#include <thread>

std::atomic<int*> mailbox{nullptr};
std::atomic<int> acks{0};

int main() {
  std::thread worker([] {
    for (int round = 1; round <= 2; ++round) {
      int* block;
      while (!(block = mailbox.load(std::memory_order_acquire))) std::this_thread::yield();
      mailbox.store(nullptr, std::memory_order_relaxed);
      for (int i = 0; i < 8; ++i) block[i] += round;
      acks.store(round, std::memory_order_release);
    }
  });
  int* first = new int[8]();
  mailbox.store(first, std::memory_order_release);
  while (acks.load(std::memory_order_acquire) < 1) std::this_thread::yield();
  delete[] first;
  int* second = new int[8];
  for (int i = 0; i < 8; ++i) second[i] = 5;
  mailbox.store(second, std::memory_order_release);
  while (acks.load(std::memory_order_acquire) < 2) std::this_thread::yield();
  std::printf("second %d\n", second[0]);
  delete[] second;
  worker.join();
}
