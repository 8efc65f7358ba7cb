// A vector moved into the goroutine's lambda (init capture) belongs to the goroutine; the parent
// reuses its moved-from variable with new storage. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <vector>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::vector<int> v(64, 1);
    auto done = goro::make_chan<int>();
    goro::go([v = std::move(v), done]() mutable {
      v[10] = 2;
      use(v[10]);
      done.send(0);
    });
    v.assign(64, 3);
    use(v[10]);
    done.recv();
  });
}
