// GORODEBUG=schedseed: GOMAXPROCS defaults to 1 (a seed replays its interleaving only on one P),
// and a fatal error ends with the setting that replays the run.
// ENV: GORODEBUG=schedseed=7,pct=3
// EXIT: 2
// CHECK-STDOUT: GOMAXPROCS 1
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK: seeded schedule: GORODEBUG=schedseed=7,pct=3
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    std::printf("GOMAXPROCS %d\n", goro::gomaxprocs());
    std::fflush(stdout);
    auto never = goro::make_chan<int>();
    goro::go([never] { never.recv(); });
    never.recv();
    return 0;
  });
}
