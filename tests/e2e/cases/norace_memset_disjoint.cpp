// memset over buf[0..100) does not touch buf[100]: a concurrent write there is not a race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <cstring>
#include <goro/goro.hpp>

char buf[128];

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      std::memset(buf, 0, 100);
      wg.done();
    });
    goro::go([&] {
      buf[100] = 1;
      wg.done();
    });
    wg.wait();
  });
}
