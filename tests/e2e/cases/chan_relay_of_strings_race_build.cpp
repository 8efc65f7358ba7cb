// A relay goroutine ranging over a channel of strings, built with -g at every -O level: with -g the
// slots of the functions inlined into the relay follow debug intrinsics in its entry block, and the
// race build's plugin once placed a variable's stack_live call before its slot there (the compiler
// crashed in its register coalescer at -O1 and above).
//
// RUN-FLAGS: -race
// OPT: -O0 -O1 -O2 -O3
// CHECK-STDOUT: relayed 10000 strings, 430000 bytes
// CHECK-NOT: DATA RACE
#include <cstdio>
#include <goro/goro.hpp>
#include <string>

__attribute__((noinline)) void relay(goro::chan<std::string> in, goro::chan<std::string> out) {
  for (auto s : in) out.send(s);
  out.close();
}

int main() {
  return goro::run([] {
    auto in = goro::make_chan<std::string>();
    auto out = goro::make_chan<std::string>();
    goro::go(relay, in, out);
    goro::go([in] {
      for (int i = 0; i < 10000; ++i) in.send(std::string(43, static_cast<char>('a' + i % 26)));
      in.close();
    });
    long strings = 0, bytes = 0;
    for (auto s : out) {
      ++strings;
      bytes += static_cast<long>(s.size());
    }
    std::printf("relayed %ld strings, %ld bytes\n", strings, bytes);
    return 0;
  });
}
