// Different elements of one pre-sized std::vector written by different goroutines: distinct memory
// locations, and the vector's own fields are only read. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <vector>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::vector<int> v(4);
    goro::WaitGroup wg;
    wg.add(4);
    for (int i = 0; i < 4; ++i) {
      goro::go([&, i] {
        v[i] = i + 1;
        wg.done();
      });
    }
    wg.wait();
    use(v[0] + v[3]);
  });
}
