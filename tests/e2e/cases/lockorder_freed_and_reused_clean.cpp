// A heap-allocated Mutex pair is used in the order A then B and freed; a new pair allocated at the
// very same addresses (checked: the case fails loudly if the allocator moved them) is used in the
// other order. The new mutexes are new locks: no lock-order inversion.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: lock-order
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: same addresses
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>

struct pair_of_locks {
  goro::Mutex first;
  goro::Mutex second;
};

int main() {
  return goro::run([] {
    auto* p = new pair_of_locks;
    const void* where = p;
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&] {
      {
        std::lock_guard l1(p->first);
        std::lock_guard l2(p->second);
      }
      wg.done();  // after the unlocks: main frees the pair as soon as it is woken
    });
    wg.wait();
    delete p;
    auto* q = new pair_of_locks;
    if (static_cast<const void*>(q) != where) {
      std::printf("allocator gave another address\n");
      return 1;
    }
    std::printf("same addresses\n");
    wg.add(1);
    goro::go([&] {
      {
        std::lock_guard l2(q->second);
        std::lock_guard l1(q->first);
      }
      wg.done();
    });
    wg.wait();
    delete q;
    return 0;
  });
}
