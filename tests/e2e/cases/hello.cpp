// The smallest goroutine program: goroutine 1 starts a goroutine that prints, and yields until it
// has finished. Also exercises the harness's ARGS and ENV directives and several -O levels.
// OPT: -O0 -O1 -O2
// ARGS: world
// ENV: GORO_E2E_GREETING=hello
// CHECK-STDOUT: hello, world (from a goroutine)
// CHECK-STDOUT: goroutines left: 1
// CHECK-NOT: panic
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <string>

int main(int argc, char** argv) {
  std::string name = argc > 1 ? argv[1] : "nobody";
  const char* env = std::getenv("GORO_E2E_GREETING");
  std::string greeting = env != nullptr ? env : "(unset)";
  return goro::run([&] {
    goro::go([greeting, name] {
      std::printf("%s, %s (from a goroutine)\n", greeting.c_str(), name.c_str());
    });
    while (goro::num_goroutine() > 1) goro::yield();
    std::printf("goroutines left: %d\n", goro::num_goroutine());
  });
}
