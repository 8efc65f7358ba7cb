// Each goroutine fills its own std::map (the nodes come from one shared heap): distinct objects
// never race, and the results are read after wait.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <map>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::map<int, int> maps[2];
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&, g] {
        for (int i = 0; i < 100; ++i) maps[g][i] = g;
        wg.done();
      });
    }
    wg.wait();
    use(static_cast<long>(maps[0].size() + maps[1].size()));
  });
}
