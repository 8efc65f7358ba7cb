// A zero-width bit-field starts a new memory location (C++ [intro.memory]): s.a and s.b are
// separate, so writing them concurrently is not a race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

struct Flags {
  unsigned char a : 4;
  int : 0;
  unsigned char b : 4;
};

int main() {
  return goro::run([] {
    Flags s{};
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      s.a = 1;
      wg.done();
    });
    goro::go([&] {
      s.b = 2;
      wg.done();
    });
    wg.wait();
    use(s.a + s.b);
  });
}
