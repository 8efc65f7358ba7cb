// Three goroutines in a ring: each holds one Mutex and waits for the next one's. The cycle closes
// only when the third parks; it is reported with all three goroutines.
// Goroutine ids come in per-P batches: any ids (main may change P between its go statements).
// EXIT: 2
// CHECK-RE: ^fatal error: partial deadlock: goroutines \d+, \d+, \d+ wait for each other's locks$
// CHECK-RE: ^\twants sync\.Mutex
// CHECK-RE: ^\twants sync\.Mutex
// CHECK-RE: ^\twants sync\.Mutex
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>

goro::Mutex locks[3];

int main() {
  return goro::run([] {
    goro::WaitGroup all_hold;
    all_hold.add(3);
    for (int i = 0; i < 3; ++i) {
      goro::go([&all_hold, i] {
        std::lock_guard mine(locks[i]);
        all_hold.done();
        all_hold.wait();
        std::lock_guard next(locks[(i + 1) % 3]);
      });
    }
    for (int i = 0; i < 3000; ++i) goro::sleep(std::chrono::milliseconds(10));
    std::puts("not detected");
    return 0;
  });
}
