// Sleep plus real synchronisation: whatever the sleeps, the channel receive orders the write. No
// race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <chrono>
#include <goro/goro.hpp>

void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    goro::go([&] {
      goro::sleep(std::chrono::milliseconds(5));
      x = 1;
      c.send(1);
    });
    goro::sleep(std::chrono::milliseconds(1));
    c.recv();
    use(x);
  });
}
