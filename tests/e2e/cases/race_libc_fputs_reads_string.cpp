// fputs reads the string it prints: one thread prints a shared message to a FILE, another thread
// then overwrites a character of the message with no synchronisation -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_libc_fputs_reads_string\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_libc_fputs_reads_string\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

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
