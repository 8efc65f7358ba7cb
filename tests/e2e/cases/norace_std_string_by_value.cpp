// A std::string captured by value is copied at the go statement (a new buffer): the goroutine reads
// its copy while the parent appends to the original. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <string>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::string s = "a string much too long for the small-string buffer";
    auto done = goro::make_chan<int>();
    goro::go([s, done] {
      use(static_cast<long>(s.size() + s[5]));
      done.send(0);
    });
    s += ", and more";
    done.recv();
  });
}
