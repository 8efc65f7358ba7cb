// Go's sync.Cond: a Signal synchronizes before the Wait it unblocks. The signaller here writes
// `data` without holding the lock and signals without it; the waiter reads `data` after wait()
// returns. The lock alone orders nothing of the write (the signaller's last unlock came before
// it), so only the Cond's own edge makes this correct.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: data 42
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    goro::Mutex mu;
    goro::Cond cond(mu);
    std::atomic<bool> waiting{false};
    int data = 0;
    auto done = goro::make_chan<int>();
    goro::go([&] {
      mu.lock();
      waiting.store(true, std::memory_order_relaxed);
      cond.wait();
      const int seen = data;
      mu.unlock();
      done.send(seen);
    });
    while (!waiting.load(std::memory_order_relaxed)) goro::yield();
    mu.lock();  // the waiter released the lock inside wait(): it is on the Cond's list
    mu.unlock();
    data = 42;
    cond.signal();
    std::printf("data %d\n", done.recv());
  });
}
