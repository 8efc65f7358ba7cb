// printf reads the strings its %s conversions print: printing a buffer another thread is writing,
// unordered, is a race reported under a printf frame.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Read at
// CHECK: printf
// CHECK-RE: race_libc_printf_string_argument\.cpp:27\b
// CHECK: Previous write at
// CHECK-RE: race_libc_printf_string_argument\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

char g_user[32] = "anonymous";

int main() {
  std::thread login([] {
    g_user[0] = 'A';  // access 1
    reach(1);
  });
  std::thread greeter([] {
    await(1);
    std::printf("hello %s, %d new messages\n", g_user, 3);  // access 2
  });
  login.join();
  greeter.join();
}
