// Creating a std::thread orders the creator's past before the thread starts: the thread reads what
// main wrote before constructing it.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <thread>

void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

int main() {
  int x = 0;
  x = 1;
  std::thread t([&] { use(x); });
  t.join();
}
