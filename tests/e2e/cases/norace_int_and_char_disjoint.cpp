// An int and the char after it share one 8-byte word but no byte: writing both concurrently is not
// a race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

struct alignas(8) Word {
  int i;
  char c;
};

int main() {
  return goro::run([] {
    Word w{};
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      w.i = 1;
      wg.done();
    });
    goro::go([&] {
      w.c = 2;
      wg.done();
    });
    wg.wait();
    use(w.i + w.c);
  });
}
