// A GORODEBUG value a known key does not take is a start-up error that names the pair and what
// the key takes; unknown keys are ignored, as Go ignores them.
// ENV: GORODEBUG=futurekey=7,partialdeadlock=sometimes
// EXIT: 2
// CHECK: fatal error: GORODEBUG: partialdeadlock=sometimes: expected fatal, warn or 0
// CHECK-NOT: started
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    std::puts("started");
    return 0;
  });
}
