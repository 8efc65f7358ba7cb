// std::shared_ptr copies in several goroutines: the reference count is atomic (acq_rel), so the
// last owner's destructor, which writes the object, is ordered after every other owner's reads.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <memory>

#include "race_steps.hpp"

struct Object {
  int value = 42;
  ~Object() { value = -1; }
};

int main() {
  return goro::run([] {
    auto p = std::make_shared<Object>();
    for (int g = 0; g < 3; ++g) {
      goro::go([p] {
        auto q = p;
        use(q->value);
      });
    }
    p.reset();  // whichever owner is last destroys the object
    while (goro::num_goroutine() > 1) goro::yield();
  });
}
