// Creating a std::thread orders the creator's past before the thread starts: the thread reads what
// main wrote before constructing it.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <thread>

#include "race_steps_threads.hpp"

int main() {
  int x = 0;
  x = 1;
  std::thread t([&] { use(x); });
  t.join();
}
