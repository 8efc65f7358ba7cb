// A thread's end happens before join returns: main reads what the thread wrote after join.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <thread>

#include "race_steps_threads.hpp"

int main() {
  int x = 0;
  std::thread t([&] { x = 1; });
  t.join();
  use(x);
}
