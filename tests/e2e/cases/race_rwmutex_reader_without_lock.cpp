// The writer holds the write lock, the reader takes no lock at all: nothing orders them. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_rwmutex_reader_without_lock\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_rwmutex_reader_without_lock\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::RWMutex rw;
    goro::go([&] {
      rw.lock();
      x = 1;  // access 1
      rw.unlock();
      reach(1);
    });
    goro::go([&] {
      await(1);
      use(x);  // access 2
      reach(2);
    });
    await(2);
  });
}
