// Every sync primitive shows its own state word in the deadlock report: goroutine 1 waits on a
// WaitGroup nobody finishes while the others wait on a Mutex, an RWMutex (as reader and as writer)
// and a Cond. Each stack starts at the user's blocking call: runtime frames are hidden.
// OPT: -O0 -O2
// EXIT: 2
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK-RE: ^goroutine 1 \[sync\.WaitGroup\.Wait\]:$
// CHECK-RE: deadlock_sync\.cpp:36
// CHECK-RE: ^goroutine \d+ \[sync\.Mutex\.Lock\]:$
// CHECK-RE: deadlock_sync\.cpp:29
// CHECK-RE: ^goroutine \d+ \[sync\.RWMutex\.RLock\]:$
// CHECK-RE: deadlock_sync\.cpp:30
// CHECK-RE: ^goroutine \d+ \[sync\.RWMutex\.Lock\]:$
// CHECK-RE: deadlock_sync\.cpp:31
// CHECK-RE: ^goroutine \d+ \[sync\.Cond\.Wait\]:$
// CHECK-RE: deadlock_sync\.cpp:34
#include <goro/goro.hpp>
#include <mutex>

int main() {
  return goro::run([] {
    goro::Mutex mu, cond_mu;
    goro::RWMutex rw;
    goro::Cond cond(cond_mu);
    goro::WaitGroup wg;
    mu.lock();
    rw.lock();
    wg.add(1);
    goro::go([&] { mu.lock(); });         // NOLINT(goro-lock-unlock): the deadlock under test
    goro::go([&] { rw.lock_shared(); });  // NOLINT(goro-lock-unlock): the deadlock under test
    goro::go([&] { rw.lock(); });         // NOLINT(goro-lock-unlock): the deadlock under test
    goro::go([&] {
      std::lock_guard l(cond_mu);
      cond.wait();
    });
    wg.wait();
  });
}
