// A thread's end happens before join returns: main reads what the thread wrote after join.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <thread>

void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

int main() {
  int x = 0;
  std::thread t([&] { x = 1; });
  t.join();
  use(x);
}
