// std::call_once (pthread_once beneath, SPEC): the initialiser happens before every call_once
// returns, so both threads read the value race-free.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <mutex>
#include <thread>

#include "race_steps_threads.hpp"

int g_value;
std::once_flag g_once;

int main() {
  auto get = [] {
    std::call_once(g_once, [] { g_value = 42; });
    use(g_value);
  };
  std::thread t1(get), t2(get);
  t1.join();
  t2.join();
}
