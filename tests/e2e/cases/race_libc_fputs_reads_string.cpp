// fputs reads the string it prints: one thread prints a shared message to a FILE, another thread
// then overwrites a character of the message with no synchronisation -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_libc_fputs_reads_string\.cpp:34\b
// CHECK: Previous
// CHECK-RE: race_libc_fputs_reads_string\.cpp:29\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstdio>
#include <thread>

// Orders the two accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

char message[32] = "all systems nominal\n";
FILE* sink;

int main() {
  sink = std::fopen("/dev/null", "w");
  if (!sink) return 1;
  std::thread printer([] {
    std::fputs(message, sink);  // access 1
    reach(1);
  });
  std::thread editor([] {
    await(1);
    message[4] = 'S';  // access 2
  });
  printer.join();
  editor.join();
  std::fclose(sink);
}
