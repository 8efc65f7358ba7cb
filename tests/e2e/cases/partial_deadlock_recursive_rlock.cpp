// Go forbids taking a read lock twice: a writer that arrives in between waits for the first read
// lock, and the second waits behind the writer. goro reports that cycle of two goroutines through
// one RWMutex: the reader wants it for reading behind the writer, the writer waits for the reader.
// (GOMAXPROCS=1 and yields fix the order: read lock, writer waiting, second read lock.)
// ENV: GOMAXPROCS=1
// EXIT: 2
// CHECK-RE: ^fatal error: partial deadlock: goroutines (2, 3|3, 2) wait for each other's locks$
// CHECK-RE: ^goroutine 2 \[sync\.RWMutex\.RLock\]:$
// CHECK-RE: ^\twants sync\.RWMutex 0x[0-9a-f]+ \(read\), waits behind writer goroutine 3$
// CHECK-RE: ^\tholds sync\.RWMutex 0x[0-9a-f]+ \(read\), waited for by goroutine 3$
// CHECK-NOT: not detected
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>
#include <shared_mutex>

goro::RWMutex config;

int main() {
  return goro::run([] {
    goro::go([] {
      std::shared_lock outer(config);
      for (int i = 0; i < 10; ++i) goro::yield();  // the writer queues meanwhile
      std::shared_lock inner(config);              // behind the writer, who waits for `outer`
    });
    goro::go([] {
      goro::yield();
      std::lock_guard write(config);
    });
    for (int i = 0; i < 3000; ++i) goro::sleep(std::chrono::milliseconds(10));
    std::puts("not detected");
    return 0;
  });
}
