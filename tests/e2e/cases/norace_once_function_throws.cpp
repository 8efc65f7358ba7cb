// If the Once function throws, the Once is done anyway (as in Go); what the function did before
// throwing still happens before every call returns. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <stdexcept>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Once once;
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        try {
          once.call([&] {
            x = 1;
            throw std::runtime_error("init failed");
          });
        } catch (const std::runtime_error&) {
        }
        use(x);
        wg.done();
      });
    }
    wg.wait();
  });
}
