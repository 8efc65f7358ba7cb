// The function given to goro::blocking runs on the goroutine's thread, outside the scheduler: a
// goroutine operation that would wait there (here a Mutex another goroutine holds) cannot park
// the goroutine, and is a fatal error that says so, naming the wait, instead of an internal one.
// EXIT: 2
// CHECK: fatal error: goroutine waits inside goro::blocking (sync.Mutex.Lock): the function
// CHECK-NOT: bad g status
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>

goro::Mutex held;

int main() {
  return goro::run([] {
    held.lock();
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&wg] {
      goro::blocking([] {
        held.lock();
        held.unlock();
      });
      wg.done();
    });
    goro::sleep(std::chrono::milliseconds(50));
    held.unlock();
    wg.wait();
    std::puts("not reached");
    return 0;
  });
}
