// Different fields of one struct are different memory locations: two goroutines writing s.a and s.b
// concurrently do not race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

struct Pair {
  int a;
  int b;
};

int main() {
  return goro::run([] {
    Pair s{};
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
