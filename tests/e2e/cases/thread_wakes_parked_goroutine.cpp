// A plain std::thread delivers a value with try_send (non-blocking operations work from any
// thread) while goroutine 1 waits for it in recv(). Every goroutine is asleep meanwhile, but that
// is no deadlock: a thread the runtime did not start may still wake one, so none is reported
// while such a thread lives (as Go counts a C thread that entered it as running).
// OPT: -O1
// EXIT: 0
// CHECK-NOT: deadlock
// CHECK-STDOUT: got 42
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <thread>

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int>(1);
    std::thread t([c] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      c.try_send(42);
    });
    std::printf("got %d\n", c.recv());
    t.join();
  });
}
