// The clean twin of race_libc_printf_string_argument: printf's precision and strtol's end mark
// what they read, so a thread writing the bytes after them (with no ordering) is no race; and
// printing after a join is ordered.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: 1234 ab 1234 done
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

// Orders the threads in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};

char g_text[16] = "1234 abcdefgh";

int main() {
  std::thread tail_writer([] {
    g_text[12] = 'Z';  // past what the reader's calls read
    step.store(1, std::memory_order_relaxed);
  });
  std::thread reader([] {
    while (step.load(std::memory_order_relaxed) < 1) std::this_thread::yield();
    char* end = nullptr;
    const long n = std::strtol(g_text, &end, 10);
    const int k = std::atoi(g_text);
    std::printf("%ld %.2s %d ", n, g_text + 5, k);
  });
  tail_writer.join();
  reader.join();
  std::printf("%s\n", g_text[12] == 'Z' ? "done" : "?");
}
