// Two goroutines copy from one source into their own buffers: the source is only read, the
// destinations are disjoint. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <cstring>
#include <goro/goro.hpp>

char src[64] = "shared, read-only source";
char dst[2][64];

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&wg, g] {
        std::memcpy(dst[g], src, sizeof src);
        wg.done();
      });
    }
    wg.wait();
  });
}
