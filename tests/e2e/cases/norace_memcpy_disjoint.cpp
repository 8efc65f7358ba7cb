// memcpy's range is exact: copying into dst[0..32) does not race with a write of dst[32], the first
// byte past it.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <cstring>
#include <goro/goro.hpp>

char src[64];
char dst[64];

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      std::memcpy(dst, src, 32);
      wg.done();
    });
    goro::go([&] {
      dst[32] = 1;
      wg.done();
    });
    wg.wait();
  });
}
