// strlen reads the whole string and its terminator: a plain write of one of its characters by
// another thread, unordered with the call, is a race reported with strlen as the top frame.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Read at
// CHECK: strlen
// CHECK-RE: race_libc_strlen_vs_write\.cpp:27\b
// CHECK: Previous write at
// CHECK-RE: race_libc_strlen_vs_write\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <cstring>
#include <thread>

#include "race_steps_threads.hpp"

char g_name[32] = "worker-0";

int main() {
  std::thread writer([] {
    g_name[7] = '1';  // access 1
    reach(1);
  });
  std::thread reader([] {
    await(1);
    volatile std::size_t n = std::strlen(g_name);  // access 2
    (void)n;
  });
  writer.join();
  reader.join();
}
